// AKS identity bindings (issue 13): a class that logs in through the AKS token proxy works only for
// pods whose service account the binding's ClusterRole authorizes, on the cluster the binding names.
import { IDENTITY_BINDING_MOUNT } from "../../../core/facts-identity-binding";
import { CSI_CLASS } from "../../../core/facts-kubernetes";
import { registerWiringCheck, WiringCheck } from "../registry";

export const IDENTITY_BINDING_PODS: WiringCheck = {
  id: "AKSW-IB1",
  title: "The pods of an identity-binding class run as a service account its ClusterRole authorizes",
  consequence: "the AKS token proxy refuses the exchange (no use-managed-identity on the identity) and the mount fails",
  fix: "create the service account with WorkloadServiceAccount({ identityBinding: role }), or role.addServiceAccount({ namespace, name })",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(IDENTITY_BINDING_MOUNT)) {
      const cls = ctx.facts.last(source, CSI_CLASS);
      if (!cls) continue;
      const done = new Set<string>();
      for (const pod of ctx.podsOfClass(source, cls.namespace, cls.name)) {
        if (done.has(pod.sa) || data.covers(cls.namespace, pod.sa)) continue;
        done.add(pod.sa);
        const value = pod.at === source ? `${cls.namespace}/${pod.sa}` : pod.sa;
        report.broken(
          pod.at,
          pod.field,
          value,
          `runs as ${cls.namespace}/${pod.sa}, which the ClusterRole ${data.role.node.path} (verb use-managed-identity on the identity) does not authorize (it binds: ${data.authorized().join(", ") || "none"}): the AKS token proxy refuses the exchange and the mount fails. Create the service account with identityBinding: role, or call role.addServiceAccount`,
        );
      }
    }
  },
};

export const IDENTITY_BINDING_CLUSTER: WiringCheck = {
  id: "AKSW-IB2",
  title: "An identity-binding class is deployed to the cluster its binding names",
  consequence: "the token proxy of another cluster knows no binding for the identity and refuses the exchange",
  fix: "create an AksIdentityBinding (and its ClusterRole) for the cluster the class is deployed to",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(IDENTITY_BINDING_MOUNT)) {
      const cluster = ctx.clusterOf(source);
      const bound = data.boundCluster as { oidcIssuerUrl?: unknown };
      if (!cluster || typeof bound.oidcIssuerUrl !== "string") continue;
      if (ctx.clusters.sameIssuer(data.boundCluster as { oidcIssuerUrl: string }, bound.oidcIssuerUrl, cluster) === "no") {
        report.broken(source, "provider.identity.role", data.role.node.path, `authorizes an identity binding to cluster ${data.boundClusterLabel}, but the class is deployed to cluster ${cluster.label}: AKS refuses the token exchange there; create an AksIdentityBinding (and its cluster role) for cluster ${cluster.label}`);
      }
    }
  },
};

registerWiringCheck(IDENTITY_BINDING_PODS, IDENTITY_BINDING_CLUSTER);

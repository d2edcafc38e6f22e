// Kubernetes objects of one cluster: one object created twice, one Secret written by two
// writers, and pods mounting a class nobody creates. Each passes synth alone but fails at apply
// or at runtime.
import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Fact } from "../../../core/facts";
import { K8S_OBJECT, K8S_SECRET_WRITER, KubernetesObjectFact, SecretWriterFact } from "../../../core/facts-kubernetes";
import { isUnresolved } from "../../../core/validation";
import { WiringContext } from "../context";
import { registerWiringCheck, WiringCheck } from "../registry";

/** Where two Kubernetes objects of the same name collide: their cluster, else one provider of one stack. */
function collisionScope(ctx: WiringContext, at: IConstruct, resource: TerraformResource): { scope: string; clusterLabel?: string } {
  const cluster = ctx.clusterOf(at);
  if (cluster) return { scope: cluster.key, clusterLabel: cluster.label };
  return { scope: `?${TerraformStack.of(resource).node.path}|${resource.provider?.node.path ?? "(default provider)"}` };
}

export const OBJECT_CREATED_TWICE: WiringCheck = {
  id: "AKSW-K8S1",
  title: "A Kubernetes object is created once",
  consequence: 'two Terraform resources for one object collide at apply (the second create fails with "already exists", or one overwrites the other)',
  fix: "give one of them another name, or create the object once",
  run(ctx, report) {
    const seen = new Map<string, Fact<KubernetesObjectFact>>();
    for (const f of ctx.facts.all(K8S_OBJECT)) {
      const o = f.data;
      if (isUnresolved(o.name) || (o.namespace !== undefined && isUnresolved(o.namespace))) continue;
      const { scope, clusterLabel } = collisionScope(ctx, f.source, o.resource);
      const key = `${scope}|${o.kind}|${o.namespace ?? ""}|${o.name}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, f);
        continue;
      }
      const what = `${o.kind.split("/")[1]} ${o.namespace === undefined ? "" : `${o.namespace}/`}${o.name}`;
      report.broken(
        f.source,
        o.field,
        o.name,
        `${what} is also created by ${first.source.node.path}${clusterLabel ? ` in cluster ${clusterLabel}` : ""}: two Terraform resources for one Kubernetes object pass synth but collide at apply (the second create fails with "already exists", or one overwrites the other); give one of them another name${o.kind.endsWith("/SecretProviderClass") ? " (and mount it by that name)" : ""}, or create the object once`,
      );
    }
  },
};

export const SECRET_WRITTEN_TWICE: WiringCheck = {
  id: "AKSW-K8S2",
  title: "A Kubernetes Secret has one writer",
  consequence: "two writers overwrite each other's data, or one is refused (the Vault Secrets Operator does not take over a Secret it did not create): pods read the wrong values or none",
  fix: "sync into a Secret of another name",
  run(ctx, report) {
    const seen = new Map<string, Fact<SecretWriterFact>>();
    for (const f of ctx.facts.all(K8S_SECRET_WRITER)) {
      const w = f.data;
      if (isUnresolved(w.name) || isUnresolved(w.namespace)) continue;
      const { scope, clusterLabel } = collisionScope(ctx, f.source, w.resource);
      const key = `${scope}|${w.namespace}|${w.name}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, f);
        continue;
      }
      if (first.data.terraformObject && w.terraformObject) continue; // two Secret resources: one object made twice (AKSW-K8S1)
      report.broken(
        f.source,
        w.field,
        w.name,
        `Kubernetes Secret ${w.namespace}/${w.name}${clusterLabel ? ` of cluster ${clusterLabel}` : ""} is also written by ${first.data.label} (${first.source.node.path}): two writers of one Secret overwrite each other's data, or one is refused (the Vault Secrets Operator does not take over a Secret it did not create), so pods read the wrong values or none; sync into a Secret of another name`,
      );
    }
  },
};

export const CLASS_MOUNTED_EXISTS: WiringCheck = {
  id: "AKSW-K8S3",
  title: "Pods mount a class the app creates in their namespace",
  consequence: 'the pod stays in ContainerCreating ("secretproviderclasses not found")',
  fix: "create the class with SecretProviderClass in the pod's namespace",
  run(ctx, report) {
    const classes = ctx.classObjects;
    for (const { fact, cluster } of ctx.workloadPods) {
      const use = fact.data;
      const key = ctx.clusters.key(cluster);
      for (const v of use.classes) {
        if (classes.byKey.has(`${key}|${use.namespace}|${v.name}`)) continue;
        if (!cluster && classes.anyCluster.has(`${use.namespace}|${v.name}`)) continue;
        const elsewhere = classes.namespaces.get(`${key}|${v.name}`) ?? [];
        report.unverifiable(
          fact.source,
          v.field,
          v.name,
          `${use.workload} mounts SecretProviderClass "${v.name}", which this app does not create in namespace "${use.namespace}"${cluster ? ` of cluster ${cluster.label}` : ""}${elsewhere.length > 0 ? ` (it creates one in namespace ${elsewhere.map((n) => `"${n}"`).join(", ")}: a pod mounts classes of its own namespace only)` : ""}; the pod would stay in ContainerCreating ("secretproviderclasses not found"): create the class with SecretProviderClass in the pod's namespace`,
        );
      }
    }
  },
};

registerWiringCheck(CLASS_MOUNTED_EXISTS, OBJECT_CREATED_TWICE, SECRET_WRITTEN_TWICE);

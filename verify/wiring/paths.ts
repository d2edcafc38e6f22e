// The report's paths from workloads to secrets, built from the same facts as the checks: one
// per Secrets Store CSI class (Key Vault, Vault, AWS) and one per Vault Secrets Operator VaultAuth.
import { IConstruct } from "constructs";
import { AWS_CSI_MOUNT, AWS_SERVICE_ACCOUNT_ROLE } from "../../core/facts-aws";
import { CSI_CLASS, CsiClassFact } from "../../core/facts-kubernetes";
import { VSO_AUTH, VSO_STATIC_SECRET } from "../../core/facts-vault";
import { isUnresolved } from "../../core/validation";
import { azureClasses } from "./checks/azure-key-vault";
import { classInstaller } from "./checks/csi-providers";
import { vaultClasses } from "./checks/vault";
import { PodRef, uniq, WiringContext } from "./context";
import { registerWiringPaths } from "./registry";
import { WiringIdentityMode, WiringPath } from "./types";

function classPath(
  ctx: WiringContext,
  construct: IConstruct,
  cls: CsiClassFact,
  pods: readonly PodRef[],
  o: { store: WiringPath["store"]; storeLabel: string; identityMode: WiringIdentityMode; identity: string },
): WiringPath {
  const cluster = ctx.clusterOf(construct);
  return {
    store: o.store,
    storeLabel: o.storeLabel,
    via: `SecretProviderClass ${cls.namespace}/${cls.name}`,
    viaPath: construct.node.path,
    installer: classInstaller(ctx, construct, cls.provider),
    cluster: cluster?.label,
    namespace: cls.namespace,
    workloads: uniq(pods.map((p) => p.workload).filter((w): w is string => !!w)),
    serviceAccounts: o.identityMode === "vm-managed-identity" ? [] : uniq(pods.map((p) => `${cls.namespace}/${p.sa}`)),
    identityMode: o.identityMode,
    identity: o.identity,
    secrets: [...cls.objects],
    syncedSecrets: cls.syncedSecrets.map((s) => `${cls.namespace}/${s}`),
    verified: true,
  };
}

registerWiringPaths({
  name: "secrets-store-csi",
  build(ctx) {
    const azure = new Map(azureClasses(ctx).map((c) => [c.construct, c]));
    const vault = new Map(vaultClasses(ctx).map((c) => [c.construct, c]));
    for (const { source, data: cls } of ctx.facts.all(CSI_CLASS)) {
      const a = azure.get(source);
      const v = vault.get(source);
      if (a) {
        const mode = a.mount.identityMode;
        const identityMode: WiringIdentityMode = mode === "workloadIdentity" ? "workload-identity" : mode === "vmManagedIdentity" ? "vm-managed-identity" : "other";
        const kv = a.vault && ctx.keyVault(a.vault);
        ctx.paths.push(
          classPath(ctx, source, cls, a.pods, {
            store: "azure-key-vault",
            storeLabel:
              (a.vault && kv ? (isUnresolved(kv.name) ? `Key Vault ${a.vault.node.path}` : `Key Vault ${kv.name} (${a.vault.node.path})`) : `Key Vault ${a.mount.keyvaultName}`) +
              (kv?.authorization === "accessPolicy" ? " [access policies: every grant covers the whole vault]" : ""),
            identityMode,
            // The add-on's identity is on every node: any pod of the cluster can mount with it.
            identity: ctx.identityLabel(a.resolved) + (identityMode === "vm-managed-identity" ? " [on every node: any pod of the cluster can use it]" : ""),
          }),
        );
      } else if (v) {
        ctx.paths.push(
          classPath(ctx, source, cls, v.pods, {
            store: "vault",
            storeLabel: v.auth ? ctx.vaultStoreLabel(v.auth.construct) : `Vault ${v.mount.vaultAddress}`,
            identityMode: "vault-jwt",
            identity: `${v.auth ? "JWT role" : "role"} ${v.mount.roleName} (auth/${v.mount.authMount})`,
          }),
        );
      } else if (cls.provider === "aws") {
        const pods = ctx.podsOfClass(source, cls.namespace, cls.name);
        const mount = ctx.facts.last(source, AWS_CSI_MOUNT);
        // The IAM roles of the service accounts the pods run as (IrsaServiceAccount facts).
        const roles = uniq(
          pods.flatMap((p) => {
            const sa = p.saConstruct ?? ctx.serviceAccount(ctx.clusterOf(source), cls.namespace, p.sa)?.source;
            return sa ? ctx.facts.of(sa, AWS_SERVICE_ACCOUNT_ROLE).map((r) => r.role.node.path) : [];
          }),
        );
        const regions = [mount?.region, mount?.failoverRegion].filter((r): r is string => r !== undefined && !isUnresolved(r));
        ctx.paths.push(
          classPath(ctx, source, cls, pods, {
            store: "aws",
            storeLabel: `AWS Secrets Manager / SSM${regions.length > 0 ? ` (${regions.join(", failover ")})` : ""}`,
            identityMode: mount?.usePodIdentity ? "other" : "irsa",
            identity: mount?.usePodIdentity ? "EKS Pod Identity (not checked)" : roles.length > 0 ? `IAM role ${roles.join(", ")}` : "IAM role (none found)",
          }),
        );
      }
    }
  },
});

registerWiringPaths({
  name: "vault-secrets-operator",
  build(ctx) {
    const byAuth = new Map<IConstruct, { secretName: string; secret: string; namespace: string }[]>();
    for (const s of ctx.facts.all(VSO_STATIC_SECRET)) {
      const list = byAuth.get(s.data.auth);
      if (list) list.push(s.data);
      else byAuth.set(s.data.auth, [s.data]);
    }
    for (const { source, data: auth } of ctx.facts.all(VSO_AUTH)) {
      const secrets = byAuth.get(source) ?? [];
      const cluster = ctx.clusterOf(source);
      ctx.paths.push({
        store: "vault",
        storeLabel: ctx.vaultStoreLabel(auth.auth),
        via: `VaultAuth ${auth.namespace}/${auth.name}`,
        viaPath: source.node.path,
        cluster: cluster?.label,
        namespace: auth.namespace,
        workloads: uniq(secrets.flatMap((s) => ctx.podsReadingSecret(cluster, auth.namespace, s.secretName)).map((u) => u.data.workload!)),
        serviceAccounts: [`${auth.namespace}/${auth.serviceAccount}`],
        identityMode: "vault-jwt",
        identity: `JWT role ${auth.role} (auth/${ctx.jwtAuth(auth.auth)?.path}, audiences ${auth.audiences.join(", ")})`,
        secrets: uniq(secrets.map((s) => s.secret)),
        syncedSecrets: secrets.map((s) => `${s.namespace}/${s.secretName}`),
        verified: true,
      });
    }
  },
});

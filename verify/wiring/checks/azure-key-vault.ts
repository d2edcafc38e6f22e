// Classes that mount Azure Key Vault objects: the vault is the app's and in the class's tenant,
// the identity is known and usable by the pods (federated for their service account, or on the
// nodes of the class's cluster), and every mounted secret is declared and granted.
import { IConstruct } from "constructs";
import { Fact, SELF_CHECKED } from "../../../core/facts";
import { AZURE_KEY_VAULT_MOUNT, AzureKeyVaultMountFact, PrincipalRef } from "../../../core/facts-azure";
import { CSI_CLASS, CsiClassFact, K8S_SERVICE_ACCOUNT } from "../../../core/facts-kubernetes";
import { isUnresolved } from "../../../core/validation";
import { ClusterInfo, compare } from "../clusters";
import { asPrincipal, IdentityLike, PodRef, WiringContext } from "../context";
import { registerWiringCheck, WiringCheck } from "../registry";
import { checkAnnotation, checkFederation } from "./service-accounts";

/** A class with a Key Vault mount, and what the checks resolve about it once. */
export interface AzureClass {
  readonly construct: IConstruct;
  readonly cls: CsiClassFact;
  readonly mount: AzureKeyVaultMountFact;
  /** The vault construct: the one given, or the only one of the name given. */
  readonly vault?: IConstruct;
  readonly cluster?: ClusterInfo;
  /** The identity as given, and the app's identity it stands for. */
  readonly given?: IdentityLike;
  readonly resolved?: IdentityLike;
  readonly principal?: PrincipalRef;
  readonly pods: readonly PodRef[];
}

/** The Key Vault classes of the app, resolved once per analysis. */
export function azureClasses(ctx: WiringContext): readonly AzureClass[] {
  return ctx.once("azure:classes", () =>
    ctx.facts.all(AZURE_KEY_VAULT_MOUNT).flatMap((f: Fact<AzureKeyVaultMountFact>) => {
      const cls = ctx.facts.last(f.source, CSI_CLASS);
      if (!cls) return [];
      const m = f.data;
      let vault = m.keyVault;
      if (!vault && m.keyvaultName !== undefined) {
        const matches = ctx.keyVaultsNamed(m.keyvaultName);
        if (matches.length === 1) vault = matches[0];
      }
      const given = m.identityMode === "podIdentity" ? undefined : m.identity;
      const resolved = ctx.resolveIdentity(given);
      return [{ construct: f.source, cls, mount: m, vault, cluster: ctx.clusterOf(f.source), given, resolved, principal: asPrincipal(resolved), pods: ctx.podsOfClass(f.source, cls.namespace, cls.name) }];
    }),
  );
}

const label = (c: AzureClass) => `${c.cls.namespace}/${c.cls.name}`;

export const KEY_VAULT_KNOWN: WiringCheck = {
  id: "AKSW-KV1",
  title: "A class names a Key Vault of the app",
  consequence: "the vault's tenant, its read grants and its secrets cannot be checked: a wrong name mounts nothing (SecretNotFound / 403)",
  fix: "pass provider.keyVault (the KeyVault construct)",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      if (!c.vault) report.unverifiable(c.construct, "provider.keyvaultName", c.mount.keyvaultName, "names no KeyVault construct of this app, so the vault's tenant, its read grants and its secrets cannot be checked: pass provider.keyVault (the KeyVault construct)");
    }
  },
};

export const KEY_VAULT_TENANT: WiringCheck = {
  id: "AKSW-KV2",
  title: "A class's tenant is its vault's",
  consequence: 'the provider requests a token from the wrong tenant ("AADSTS700016" / "AADSTS90002", or 401 from Key Vault)',
  fix: "leave provider.tenantId out: it is taken from provider.keyVault",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      const tenantId = c.mount.tenantId;
      const vault = c.vault && ctx.keyVault(c.vault);
      if (!c.vault || !vault || tenantId === undefined) continue;
      const t = compare(tenantId, vault.tenantId);
      if (t === "no") {
        report.broken(c.construct, "provider.tenantId", tenantId, `is not the tenant of Key Vault ${c.vault.node.path} (${vault.tenantId}): the provider would request a token from the wrong tenant ("AADSTS700016" / "AADSTS90002", or 401 from Key Vault). Leave provider.tenantId out: it is taken from provider.keyVault`);
      } else if (t === "unknown" && !isUnresolved(tenantId)) {
        report.unverifiable(c.construct, "provider.tenantId", tenantId, `cannot be compared with the tenant of Key Vault ${c.vault.node.path}, which is known only at apply time: leave provider.tenantId out (it is taken from provider.keyVault)`);
      }
    }
  },
};

export const KEY_VAULT_WORKLOAD_IDENTITY: WiringCheck = {
  id: "AKSW-KV3",
  title: "A workload-identity class logs in as an identity of the app",
  consequence: 'a client ID copied from the wrong identity fails at mount time with "Identity not found" or AADSTS700213',
  fix: "pass the WorkloadIdentity construct as provider.identity.identity",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      if (c.mount.identityMode !== "workloadIdentity" || ctx.isFederated(c.resolved)) continue;
      report.unverifiable(
        c.construct,
        "provider.identity.identity",
        c.given?.clientId,
        `is not a WorkloadIdentity of this app, so whether it trusts the service account of the pods mounting this class cannot be checked (a client ID copied from the wrong identity fails at mount time with "Identity not found" or AADSTS700213): pass the WorkloadIdentity construct`,
      );
    }
  },
};

export const KEY_VAULT_POD_FEDERATION: WiringCheck = {
  id: "AKSW-KV4",
  title: "The class's identity trusts the service account its pods run as",
  consequence: 'the token exchange at mount time fails with AADSTS700213 ("No matching federated identity record")',
  fix: "identity.addServiceAccount({ namespace, name, issuer: cluster }) for the pods' service account, or bind with KeyVaultWorkloadBinding",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      const identity = c.resolved;
      if (c.mount.identityMode !== "workloadIdentity" || !ctx.isFederated(identity)) continue;
      const cluster = c.cluster;
      if (c.pods.length === 0) {
        // Nobody in this app mounts the class: the pods must at least be in its namespace.
        const all = ctx.federations(identity);
        const inNamespace = all.filter((f) => f.namespace === c.cls.namespace && (!cluster || ctx.clusters.sameIssuer(f.issuer, f.issuerUrl, cluster) !== "no"));
        if (inNamespace.length === 0) {
          report.broken(
            c.construct,
            "namespace",
            c.cls.namespace,
            `pods mounting this class run in namespace "${c.cls.namespace}"${cluster ? ` of cluster ${cluster.label}` : ""}, but its WorkloadIdentity ${identity.owner.node.path} trusts no service account there (it trusts: ${all.map((f) => f.subject).join(", ") || "nothing"}): the token exchange fails with AADSTS700213. Call identity.addServiceAccount({ namespace: "${c.cls.namespace}", name, issuer: cluster })`,
          );
        }
        continue;
      }
      forEachPod(c, (pod, value, who) => {
        const entry = ctx.serviceAccount(cluster, c.cls.namespace, pod.sa);
        const saConstruct = pod.saConstruct ?? (entry?.fact.identity ? entry.source : undefined);
        // A service account of the same identity reports its own federation (AKSW-SA2).
        const sa = saConstruct ? ctx.facts.of(saConstruct, K8S_SERVICE_ACCOUNT) : [];
        const federationOnServiceAccount = sa.some((s) => s.identity === identity) && ctx.clusters.key(ctx.clusterOf(saConstruct!)) === ctx.clusters.key(cluster);
        if (!federationOnServiceAccount) checkFederation(ctx, report, identity, cluster, c.cls.namespace, pod.sa, pod.at, pod.field, value, who);
      });
    }
  },
};

export const KEY_VAULT_POD_ANNOTATION: WiringCheck = {
  id: "AKSW-KV5",
  title: "The pods' service account is annotated with the class's identity",
  consequence: "pods get one identity from the workload identity webhook and mount with another (AADSTS700213 or 403)",
  fix: "create the service account with WorkloadServiceAccount({ identity }) for the class's identity",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      const identity = c.resolved;
      if (c.mount.identityMode !== "workloadIdentity" || !ctx.isFederated(identity)) continue;
      forEachPod(c, (pod, value) => checkAnnotation(ctx, report, identity, c.cluster, c.cls.namespace, pod.sa, pod.at, pod.field, value, label(c)));
    }
  },
};

export const KEY_VAULT_NODE_IDENTITY: WiringCheck = {
  id: "AKSW-KV6",
  title: "A node identity is on the nodes of the class's cluster",
  consequence: 'the mount fails with "Identity not found"',
  fix: "use the secretsProviderIdentity of the cluster the class is deployed to, and grant it read on the vault",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      if (c.mount.identityMode !== "vmManagedIdentity") continue;
      const field = "provider.identity.identity";
      const principal = c.principal;
      const nodesOf = principal && (principal.principalKind === "csi-addon" || principal.principalKind === "kubelet") ? ctx.identity(principal)?.nodesOf : undefined;
      const owner = nodesOf && ctx.clusters.cluster(nodesOf);
      if (principal && nodesOf && owner) {
        if (!c.cluster) continue;
        const same = ctx.clusters.sameIssuer(owner.fact.issuer, owner.fact.issuer.oidcIssuerUrl, c.cluster);
        if (same === "no") {
          report.broken(
            c.construct,
            field,
            nodesOf.node.path,
            `is the ${principal.principalKind === "csi-addon" ? "CSI add-on" : "kubelet"} identity of cluster ${nodesOf.node.path}, but the class is deployed to cluster ${c.cluster.label}, whose nodes do not carry it: the mount fails with "Identity not found". Use that cluster's secretsProviderIdentity, and grant it read on the vault`,
          );
        } else if (same === "unknown") {
          report.unverifiable(c.construct, field, nodesOf.node.path, `is the ${principal.principalKind} identity of cluster ${nodesOf.node.path}, and the class is deployed to cluster ${c.cluster.label}: they cannot be matched`);
        }
        continue;
      }
      report.unverifiable(
        c.construct,
        field,
        c.given?.clientId,
        `is not the add-on (or kubelet) identity of an AksCluster of this app, so whether the nodes of the cluster carry it cannot be checked (the mount fails with "Identity not found" when they do not): pass cluster.secretsProviderIdentity`,
      );
    }
  },
};

export const KEY_VAULT_OBJECT_TYPE: WiringCheck = {
  id: "AKSW-KV7",
  title: "Mounted objects are secrets",
  consequence: "keys and certificates need Get on keys / certificates, which read grants do not give: the mount fails with 403",
  fix: 'mount the certificate\'s secret (objectType "secret", objectFormat "pem" or "pfx")',
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      if (!c.vault) continue;
      c.mount.objects.forEach((o, i) => {
        const type = o.objectType ?? "secret";
        if (type === "secret") return;
        report.unverifiable(c.construct, `provider.objects[${i}].objectType`, type, `needs ${type === "cert" ? "certificates" : "keys"} Get on Key Vault ${c.vault!.node.path}, which KeyVault.grantSecretRead does not give and the checks cannot see: mount the certificate's secret (objectType "secret", objectFormat "pem" or "pfx") instead`);
      });
    }
  },
};

/** The secret objects of a class, with their index. */
function secretObjects(c: AzureClass): { objectName: string; i: number }[] {
  return c.mount.objects.flatMap((o, i) => ((o.objectType ?? "secret") === "secret" && !isUnresolved(o.objectName) ? [{ objectName: o.objectName, i }] : []));
}

export const KEY_VAULT_SECRET_DECLARED: WiringCheck = {
  id: "AKSW-KV8",
  title: "Mounted secrets are declared in the vault",
  consequence: "the mount fails with SecretNotFound (404)",
  fix: 'fix the name, or declare the secret (KeyVault secrets / keyVault.declareSecret(name)) and write its value with az keyvault secret set',
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      if (!c.vault) continue;
      const declared = ctx.declaredSecrets(c.vault);
      for (const { objectName, i } of secretObjects(c)) {
        if (declared.has(objectName)) continue;
        report.broken(
          c.construct,
          `provider.objects[${i}].objectName`,
          objectName,
          `is not a secret of Key Vault ${c.vault.node.path} (declared: ${[...declared].map((n) => JSON.stringify(n)).join(", ") || "none"}): the mount fails with SecretNotFound (404). Fix the name, or declare the secret (KeyVault secrets / keyVault.declareSecret("${objectName}")) and write its value with az keyvault secret set`,
        );
      }
    }
  },
};

export const KEY_VAULT_READ_GRANT: WiringCheck = {
  id: "AKSW-KV9",
  title: "The class's identity may read every mounted secret",
  consequence: "the mount fails with 403 Forbidden",
  fix: "keyVault.grantSecretRead(identity, { secrets: [...] })",
  run(ctx, report) {
    for (const c of azureClasses(ctx)) {
      // A class given the vault and a principal checks the grants itself (a SELF_CHECKED fact).
      if (!c.vault || !c.principal || ctx.facts.of(c.construct, SELF_CHECKED).some((x) => x.checkId === "AKSW-KV9")) continue;
      for (const { objectName, i } of secretObjects(c)) {
        if (ctx.canRead(c.vault, c.principal, objectName)) continue;
        report.broken(
          c.construct,
          `provider.objects[${i}].objectName`,
          objectName,
          `${ctx.identityLabel(c.principal)} has no read grant on this secret in Key Vault ${c.vault.node.path} (the mount fails with 403 Forbidden): call keyVault.grantSecretRead(identity, { secrets: ["${objectName}"] })`,
        );
      }
    }
  },
};

/** Each distinct pod (reporting place and service account) of a class, with its value and who it is for messages. */
function forEachPod(c: AzureClass, fn: (pod: PodRef, value: string, who: string) => void): void {
  const done = new Set<string>();
  for (const pod of c.pods) {
    const key = `${pod.at.node.path}|${pod.sa}`;
    if (done.has(key)) continue;
    done.add(key);
    const value = pod.at === c.construct ? `${c.cls.namespace}/${pod.sa}` : pod.sa;
    const who = pod.workload ? `${pod.workload}, mounting SecretProviderClass ${label(c)},` : `the pods of SecretProviderClass ${label(c)}`;
    fn(pod, value, who);
  }
}

registerWiringCheck(KEY_VAULT_KNOWN, KEY_VAULT_TENANT, KEY_VAULT_WORKLOAD_IDENTITY, KEY_VAULT_POD_FEDERATION, KEY_VAULT_POD_ANNOTATION, KEY_VAULT_NODE_IDENTITY, KEY_VAULT_OBJECT_TYPE, KEY_VAULT_SECRET_DECLARED, KEY_VAULT_READ_GRANT);

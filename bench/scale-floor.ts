// The raw floor of bench/scale.mjs: the same resource mix per workload as bench/scale-app.ts,
// written with bare provider bindings and no library code: no validation, no wiring checks, no
// security rules, no reports. Per workload: a user-assigned identity, its federated credential,
// two role assignments (Key Vault Secrets User on a secret), a service account annotated with the
// identity's client ID and a SecretProviderClass manifest in the cluster stack (one cross-stack
// reference per identity), and a namespace per `--per-namespace` workloads. The base is one
// resource group, one AKS cluster (its OIDC issuer) and one Key Vault.
//
//   node BUNDLE.cjs --workloads N --outdir DIR [--per-namespace K]
//
// Prints the same JSON line as scale-app.ts (ms.build = building the tree, ms.synth = app.synth()).
import { performance } from "node:perf_hooks";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { App, TerraformStack } from "cdktf";

const tLoaded = performance.now();
const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
};
const workloads = Number(arg("workloads"));
const outdir = arg("outdir");
const perNamespace = Number(arg("per-namespace", "10"));
const TENANT = "11111111-2222-3333-4444-555555555555";

let t = performance.now();
const app = new App({ outdir });
const platform = new TerraformStack(app, "platform");
new AzurermProvider(platform, "azurerm", { features: [{}] });
const rg = new ResourceGroup(platform, "rg", { name: "rg-secrets", location: "westeurope" });
const cluster = new KubernetesCluster(platform, "cluster", {
  name: "aks-secrets",
  resourceGroupName: rg.name,
  location: rg.location,
  dnsPrefix: "aks-secrets",
  oidcIssuerEnabled: true,
  workloadIdentityEnabled: true,
  defaultNodePool: { name: "system", vmSize: "Standard_D4ds_v5", nodeCount: 3 },
  identity: { type: "SystemAssigned" },
});
const vault = new KeyVault(platform, "vault", { name: "kv-secrets-0001", resourceGroupName: rg.name, location: rg.location, tenantId: TENANT, skuName: "standard", enableRbacAuthorization: true });
const clusterStack = new TerraformStack(app, "cluster");
new KubernetesProvider(clusterStack, "kubernetes", {});

let secrets = 0;
const namespaces = new Set<string>();
for (let i = 0; i < workloads; i++) {
  const namespace = `team-${String(Math.floor(i / perNamespace)).padStart(3, "0")}`;
  const sa = `app-${String(i).padStart(4, "0")}`;
  if (!namespaces.has(namespace)) {
    namespaces.add(namespace);
    new NamespaceV1(clusterStack, `ns-${namespace}`, { metadata: { name: namespace } });
  }
  const identity = new UserAssignedIdentity(platform, `id-${sa}`, { name: `id-${sa}`, resourceGroupName: rg.name, location: rg.location });
  new FederatedIdentityCredential(platform, `fic-${sa}`, {
    name: `fic-${sa}`,
    resourceGroupName: rg.name,
    parentId: identity.id,
    issuer: cluster.oidcIssuerUrl,
    subject: `system:serviceaccount:${namespace}:${sa}`,
    audience: ["api://AzureADTokenExchange"],
  });
  const names = [`${namespace}-${sa}-s0`, `${namespace}-${sa}-s1`];
  secrets += names.length;
  for (const [j, name] of names.entries()) {
    new RoleAssignment(platform, `ra-${sa}-${j}`, { scope: `${vault.id}/secrets/${name}`, roleDefinitionName: "Key Vault Secrets User", principalId: identity.principalId, principalType: "ServicePrincipal" });
  }
  new ServiceAccountV1(clusterStack, `sa-${sa}`, { metadata: { name: sa, namespace, annotations: { "azure.workload.identity/client-id": identity.clientId } } });
  new Manifest(clusterStack, `spc-${sa}`, {
    manifest: {
      apiVersion: "secrets-store.csi.x-k8s.io/v1",
      kind: "SecretProviderClass",
      metadata: { name: sa, namespace },
      spec: {
        provider: "azure",
        parameters: {
          clientID: identity.clientId,
          keyvaultName: vault.name,
          tenantId: TENANT,
          objects: `array:\n${names.map((n) => `  - |\n    objectName: ${n}\n    objectType: secret`).join("\n")}\n`,
        },
      },
    },
  });
}
const build = performance.now() - t;
t = performance.now();
app.synth();
const synth = performance.now() - t;
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ workloads, namespaces: namespaces.size, secrets, authorization: "rbac", ms: { load: tLoaded, build, validate: 0, synth, after: 0 }, maxRssBytes: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })}\n`,
);

// The battery's cases for issue 13: AKS identity bindings (azapi layer, binding, cluster role,
// token-proxy classes), restart on rotation (Reloader, VSO restart targets) and the External
// Secrets Operator. Each builds a small app of its own (the stacks a real app has) with one bad input.
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, TerraformStack } from "cdktf";
import { AksCluster } from "../../../constructs/azure/aks-cluster";
import { AzapiProvider, AzapiResource, AzapiResourceProps } from "../../../constructs/azure/azapi";
import { AksIdentityBinding } from "../../../constructs/azure/aks-identity-binding";
import { KeyVault } from "../../../constructs/azure/key-vault";
import { IDENTITY_BINDING_CREDENTIAL_NAME, WorkloadIdentity } from "../../../constructs/azure/workload-identity";
import { KeyVaultWorkloadBinding } from "../../../constructs/bindings/key-vault-workload-binding";
import { EsoAzureKeyVaultProvider, EsoClusterSecretStore, EsoExternalSecret, EsoExternalSecretProps, EsoSecretStore, EsoSecretStoreProps, EsoVaultProvider, ExternalSecretsOperator } from "../../../constructs/external-secrets";
import { IdentityBindingClusterRole } from "../../../constructs/kubernetes/identity-binding-role";
import { PodSecretsMount } from "../../../constructs/kubernetes/pod-secrets-mount";
import { Reloader, ReloaderProps } from "../../../constructs/kubernetes/reloader";
import { SecretProviderClass } from "../../../constructs/kubernetes/secret-provider-class";
import { WorkloadServiceAccount } from "../../../constructs/kubernetes/workload-service-account";
import { VaultJwtAuth } from "../../../constructs/vault/vault-jwt-auth";
import { rolloutRestartTarget, VaultSecretsOperator, VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../../../constructs/vault/vault-secrets-operator";
import { applyWiringChecks, declareClusterScope } from "../../../verify/wiring";
import { BadInputCase } from "../battery";

const TENANT = "11111111-2222-3333-4444-555555555555";
const SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
const VAULT_ADDR = "https://vault.example:8200";
const REASON = "the orders team syncs its whole vault";
const GUID_RULE = /must be a GUID/;

/** The stacks of a small app: platform (Azure + azapi), vault-config, cluster (kubernetes + helm), cluster-eso (ESO resources). */
function base(app: App, opts: { azapi?: boolean; rotation?: boolean } = {}) {
  const platform = new TerraformStack(app, "platform");
  new AzurermProvider(platform, "azurerm", { features: [{}] });
  if (opts.azapi !== false) new AzapiProvider(platform, "azapi");
  const cluster = new AksCluster(platform, "cluster", { name: "aks-a", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" }, secretRotation: opts.rotation ?? true });
  const keyVault = new KeyVault(platform, "vault", { name: "kv-orders-01", resourceGroupName: "rg", location: "westeurope", tenantId: TENANT, secrets: ["orders-db", "orders-tls"] });
  const identity = new WorkloadIdentity(platform, "shared", { name: "id-shared", resourceGroupName: "rg", location: "westeurope", issuer: cluster });
  const vaultStack = new TerraformStack(app, "vault-config");
  new VaultProvider(vaultStack, "vault", { address: VAULT_ADDR });
  const jwt = new VaultJwtAuth(vaultStack, "jwt", { issuer: cluster });
  const role = jwt.addRole({ name: "orders", namespace: "orders", serviceAccountName: "orders-eso", secrets: [{ mount: "secret", path: "orders/db" }] });
  const k8s = new TerraformStack(app, "cluster");
  new KubernetesProvider(k8s, "kubernetes", {});
  new HelmProvider(k8s, "helm", {});
  declareClusterScope(k8s, cluster);
  const eso = new TerraformStack(app, "cluster-eso");
  new KubernetesProvider(eso, "kubernetes", {});
  declareClusterScope(eso, cluster);
  return { app, platform, cluster, keyVault, identity, vaultStack, jwt, role, k8s, eso };
}
type Base = ReturnType<typeof base>;

const withBase = (f: (b: Base) => void, opts?: Parameters<typeof base>[1]) => (app: App) => f(base(app, opts));

// --- identity bindings ------------------------------------------------------

const bound = (b: Base) => {
  const binding = new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity });
  const role = new IdentityBindingClusterRole(b.k8s, "role", { binding });
  return { binding, role };
};
const resourceProps: AzapiResourceProps = { resourceType: "Microsoft.Resources/resourceGroups", apiVersion: "2024-03-01", name: "rg", parentId: "/subscriptions/00000000-0000-0000-0000-000000000000", body: {} };
const addResource = (patch: Partial<AzapiResourceProps>, azapi = true) => withBase((b) => void new AzapiResource(b.platform, "res", { ...resourceProps, ...patch }), { azapi });
const tokenProxyClass = (b: Base, role: IdentityBindingClusterRole) =>
  new SecretProviderClass(b.k8s, "spc", { name: "orders-kv", namespace: "orders", provider: { type: "azure", keyVault: b.keyVault, identity: { mode: "identityBinding", role }, objects: [{ objectName: "orders-db" }] } });

const identityBindingCases: BadInputCase[] = [
  // constructs/azure/azapi.ts
  { name: "azapi provider: subscription not a GUID", build: (app) => void new AzapiProvider(new TerraformStack(app, "s"), "azapi", { subscriptionId: "my-sub" }), expect: { path: "s/azapi", field: "subscriptionId", value: "my-sub", rule: GUID_RULE } },
  { name: "azapi provider: useOidc as a string", build: (app) => void new AzapiProvider(new TerraformStack(app, "s"), "azapi", { useOidc: "yes" as any }), expect: { path: "s/azapi", field: "useOidc", value: "yes", rule: /must be true or false/ } },
  { name: "azapi provider: unknown cloud", build: (app) => void new AzapiProvider(new TerraformStack(app, "s"), "azapi", { environment: "germany" as any }), expect: { path: "s/azapi", field: "environment", value: "germany", rule: /^must be one of "china", "public", "usgovernment"/ } },
  { name: "azapi provider: alias with a dot", build: (app) => void new AzapiProvider(new TerraformStack(app, "s"), "azapi", { alias: "a.b" }), expect: { path: "s/azapi", field: "alias", value: "a.b", rule: /must be a Terraform name/ } },
  { name: "azapi resource without a type", build: addResource({ resourceType: undefined as any }), expect: { path: "platform/res", field: "resourceType", rule: /^is required: a string/ } },
  { name: "azapi resource without an API version", build: addResource({ apiVersion: undefined as any }), expect: { path: "platform/res", field: "apiVersion", rule: /^is required: a string/ } },
  { name: "azapi resource without a name", build: addResource({ name: "" }), expect: { path: "platform/res", field: "name", value: "", rule: /is required: the resource name/ } },
  { name: "azapi resource without a parent", build: addResource({ parentId: "" }), expect: { path: "platform/res", field: "parentId", value: "", rule: /is required: the ARM ID of the parent/ } },
  { name: "azapi resource with a JSON string body", build: addResource({ body: "{}" as any }), expect: { path: "platform/res", field: "body", value: "{}", rule: /must be an object/ } },
  { name: "azapi resource type without a provider namespace", build: addResource({ resourceType: "resourceGroups" }), expect: { path: "platform/res", field: "resourceType", value: "resourceGroups", rule: /must be an ARM resource type/ } },
  { name: "azapi resource API version 'latest'", build: addResource({ apiVersion: "latest" }), expect: { path: "platform/res", field: "apiVersion", value: "latest", rule: /must be an ARM API version/ } },
  { name: "azapi resource parent by name", build: addResource({ parentId: "rg-orders" }), expect: { path: "platform/res", field: "parentId", value: "rg-orders", rule: /must be an ARM resource ID/ } },
  { name: "azapi resource export path with a space", build: addResource({ responseExportValues: ["properties. x"] }), expect: { path: "platform/res", field: "responseExportValues[0]", value: "properties. x", rule: /must be a dotted path/ } },
  { name: "azapi output that is not exported", build: withBase((b) => void new AzapiResource(b.platform, "res", resourceProps).outputValue("properties.x")), expect: { path: "platform/res", field: "outputValue", value: "properties.x", rule: /is not exported/ } },
  { name: "azapi resource in a stack without the azapi provider", build: addResource({}, false), expect: { path: "platform/res", field: "provider", value: "stack platform", rule: /needs the azapi provider in its stack/ } },
  // constructs/azure/aks-identity-binding.ts
  { name: "identity binding without identity", build: withBase((b) => void new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster } as any)), expect: { path: "platform/binding", field: "identity", rule: /^is required: a WorkloadIdentity/ } },
  { name: "identity binding without cluster", build: withBase((b) => void new AksIdentityBinding(b.platform, "binding", { identity: b.identity } as any)), expect: { path: "platform/binding", field: "cluster", rule: /^is required: an object \{ id, name \}/ } },
  { name: "identity binding on a cluster ID of another type", build: withBase((b) => void new AksIdentityBinding(b.platform, "binding", { identity: b.identity, cluster: { id: SUBNET, name: "x" } })), expect: { path: "platform/binding", field: "cluster.id", value: SUBNET, rule: /a Microsoft\.ContainerService\/managedClusters ID/ } },
  { name: "identity binding name with a hyphen", build: withBase((b) => void new AksIdentityBinding(b.platform, "binding", { identity: b.identity, cluster: b.cluster, name: "orders-binding" })), expect: { path: "platform/binding", field: "name", value: "orders-binding", rule: /identity binding names are 1-63 lowercase letters and digits/ } },
  {
    name: "identity binding for an identity named at apply time, without a name",
    build: withBase((b) => {
      const id = new WorkloadIdentity(b.platform, "late", { name: b.cluster.nameRef, resourceGroupName: "rg", location: "westeurope", issuer: b.cluster });
      new AksIdentityBinding(b.platform, "binding", { identity: id, cluster: b.cluster });
    }),
    expect: { path: "platform/binding", field: "name", rule: /is required when the identity's name is known only at apply/ },
  },
  // constructs/azure/workload-identity.ts
  {
    name: "identity binding on an identity with 20 credentials",
    build: withBase((b) => {
      for (let i = 0; i < 20; i++) b.identity.addServiceAccount({ namespace: `ns${i}`, name: "app" });
      new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity });
    }),
    expect: { path: "platform/shared", field: "identityBindings", value: "platform/binding", rule: /would make AKS add the credential "aks-identity-binding" to an identity that holds 20 already/ },
  },
  {
    name: "identity binding on an identity with a credential named aks-identity-binding",
    build: withBase((b) => {
      b.identity.addServiceAccount({ namespace: "a", name: "app", credentialName: IDENTITY_BINDING_CREDENTIAL_NAME });
      new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity });
    }),
    expect: { path: "platform/shared", field: "identityBindings", value: "platform/binding", rule: /binds an identity that has a credential named "aks-identity-binding"/ },
  },
  {
    name: "two identity bindings of one identity on one cluster",
    build: withBase((b) => {
      new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity });
      new AksIdentityBinding(b.platform, "again", { cluster: b.cluster, identity: b.identity, name: "again" });
    }),
    expect: { path: "platform/shared", field: "identityBindings", value: "platform/again", rule: /binds the identity to a cluster platform\/binding already binds it to/ },
  },
  {
    name: "credential named aks-identity-binding on a bound identity",
    build: withBase((b) => {
      new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity });
      b.identity.addServiceAccount({ namespace: "a", name: "app", credentialName: IDENTITY_BINDING_CREDENTIAL_NAME });
    }),
    expect: { path: "platform/shared", field: "addServiceAccount.credentialName", value: IDENTITY_BINDING_CREDENTIAL_NAME, rule: /is the name of the credential AKS writes/ },
  },
  // constructs/kubernetes/identity-binding-role.ts
  { name: "cluster role without binding", build: withBase((b) => void new IdentityBindingClusterRole(b.k8s, "role", {} as any)), expect: { path: "cluster/role", field: "binding", rule: /^is required: an AksIdentityBinding/ } },
  {
    name: "two cluster roles for one binding",
    build: withBase((b) => {
      const { binding, role } = bound(b);
      role.addServiceAccount({ namespace: "a", name: "app" });
      new IdentityBindingClusterRole(b.k8s, "role2", { binding, name: "other" });
    }),
    expect: { path: "cluster/role2", field: "binding", value: "platform/binding", rule: /already has its cluster role cluster\/role/ },
  },
  {
    name: "cluster role name with capitals",
    build: withBase((b) => void new IdentityBindingClusterRole(b.k8s, "role", { binding: new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity }), name: "UseMI" })),
    expect: { path: "cluster/role", field: "name", value: "UseMI", rule: /DNS-1123 subdomain/ },
  },
  { name: "cluster role nobody uses", build: withBase((b) => void bound(b)), expect: { path: "cluster/role", field: "serviceAccounts", rule: /no service account is authorized/ } },
  { name: "cluster role: service account as a string", build: withBase((b) => bound(b).role.addServiceAccount("orders/app" as any)), expect: { path: "cluster/role", field: "addServiceAccount", value: "orders/app", rule: /must be a service account \{ namespace, name \}/ } },
  { name: "cluster role: namespace with capitals", build: withBase((b) => bound(b).role.addServiceAccount({ namespace: "Orders", name: "app" })), expect: { path: "cluster/role", field: "addServiceAccount.namespace", value: "Orders", rule: /DNS-1123 label/ } },
  { name: "cluster role: service account name with _", build: withBase((b) => bound(b).role.addServiceAccount({ namespace: "orders", name: "app_1" })), expect: { path: "cluster/role", field: "addServiceAccount.name", value: "app_1", rule: /DNS-1123 subdomain/ } },
  // constructs/kubernetes/workload-service-account.ts
  { name: "service account: identityBinding that is not a role", build: withBase((b) => void new WorkloadServiceAccount(b.k8s, "sa", { identity: b.identity, namespace: "orders", name: "app", identityBinding: {} as any })), expect: { path: "cluster/sa", field: "identityBinding", value: {}, rule: /^must be an IdentityBindingClusterRole \(this object has no binding, identity/ } },
  {
    name: "service account of another identity through a binding",
    build: withBase((b) => {
      const other = new WorkloadIdentity(b.platform, "other", { name: "id-other", resourceGroupName: "rg", location: "westeurope", issuer: b.cluster });
      new WorkloadServiceAccount(b.k8s, "sa", { identity: other, namespace: "orders", name: "app", identityBinding: bound(b).role });
    }),
    expect: { path: "cluster/sa", field: "identityBinding", value: "cluster/role", rule: /authorizes identity platform\/shared, not this service account's identity/ },
  },
  {
    name: "service account for another cluster than its binding's",
    build: withBase((b) => {
      const other = new AksCluster(b.platform, "cluster-b", { name: "aks-b", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
      new WorkloadServiceAccount(b.k8s, "sa", { identity: b.identity, namespace: "orders", name: "app", identityBinding: bound(b).role, cluster: other });
    }),
    expect: { path: "cluster/sa", field: "identityBinding", value: "cluster/role", rule: /binds the identity to cluster aks-a, not to this service account's cluster/ },
  },
  // constructs/kubernetes/secret-provider-class.ts
  {
    name: "token-proxy class without a role",
    build: withBase((b) => void new SecretProviderClass(b.k8s, "spc", { name: "x", namespace: "orders", provider: { type: "azure", keyVault: b.keyVault, identity: { mode: "identityBinding" } as any, objects: [{ objectName: "orders-db" }] } })),
    expect: { path: "cluster/spc", field: "provider.identity.role", rule: /^is required: an IdentityBindingClusterRole/ },
  },
  {
    name: "class identity mode misspelled",
    build: withBase((b) => void new SecretProviderClass(b.k8s, "spc", { name: "x", namespace: "orders", provider: { type: "azure", keyVault: b.keyVault, identity: { mode: "identity-binding" } as any, objects: [{ objectName: "orders-db" }] } })),
    expect: { path: "cluster/spc", field: "provider.identity.mode", value: "identity-binding", rule: /^must be one of "workloadIdentity", "vmManagedIdentity", "identityBinding"/ },
  },
  // constructs/kubernetes/pod-secrets-mount.ts
  {
    name: "pod helper: service account that does not use the class's binding",
    build: withBase((b) => {
      const { role } = bound(b);
      b.keyVault.grantSecretRead(b.identity, { secrets: ["orders-db"] });
      role.addServiceAccount({ namespace: "orders", name: "plain" });
      b.identity.addServiceAccount({ namespace: "orders", name: "plain" });
      const plain = new WorkloadServiceAccount(b.k8s, "plain", { identity: b.identity, namespace: "orders", name: "plain" });
      new PodSecretsMount(tokenProxyClass(b, role), { serviceAccount: plain });
    }),
    expect: { path: "cluster/spc", field: "podSecrets.serviceAccount", value: "orders/plain", rule: /does not use the class's identity binding/ },
  },
  // constructs/bindings/key-vault-workload-binding.ts
  {
    name: "workload binding: identityBinding that is not a role",
    build: withBase((b) => void new KeyVaultWorkloadBinding(b.platform, b.k8s, "orders", { cluster: b.cluster, keyVault: b.keyVault, namespace: "orders", serviceAccountName: "app", secrets: ["orders-db"], identityBinding: "role" as any })),
    expect: { path: "platform/orders", field: "identityBinding", value: "role", rule: /^must be an IdentityBindingClusterRole/ },
  },
  {
    name: "workload binding: identity and identityBinding of two identities",
    build: withBase((b) => {
      const other = new WorkloadIdentity(b.platform, "other", { name: "id-other", resourceGroupName: "rg", location: "westeurope", issuer: b.cluster });
      new KeyVaultWorkloadBinding(b.platform, b.k8s, "orders", { cluster: b.cluster, keyVault: b.keyVault, namespace: "orders", serviceAccountName: "app", secrets: ["orders-db"], identity: other, identityBinding: bound(b).role });
    }),
    expect: { path: "platform/orders", field: "identity", value: "platform/other", rule: /contradicts identityBinding/ },
  },
  {
    name: "workload binding: identityBinding of another cluster",
    build: withBase((b) => {
      const other = new AksCluster(b.platform, "cluster-b", { name: "aks-b", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
      new KeyVaultWorkloadBinding(b.platform, b.k8s, "orders", { cluster: other, keyVault: b.keyVault, namespace: "orders", serviceAccountName: "app", secrets: ["orders-db"], identityBinding: bound(b).role });
    }),
    expect: { path: "platform/orders", field: "identityBinding", value: "cluster/role", rule: /binds the identity to cluster aks-a, not to this binding's cluster/ },
  },
  // verify/wiring/checks/identity-bindings.ts
  {
    name: "wiring: pods of a token-proxy class as a service account the role does not authorize",
    build: withBase((b) => {
      const { role } = bound(b);
      b.keyVault.grantSecretRead(b.identity, { secrets: ["orders-db"] });
      role.addServiceAccount({ namespace: "orders", name: "app" });
      new PodSecretsMount(tokenProxyClass(b, role), { serviceAccount: "other" });
      applyWiringChecks(b.app);
    }),
    expect: { path: "cluster/spc", field: "podSecrets.serviceAccount", value: "orders/other", rule: /runs as orders\/other, which the ClusterRole cluster\/role .* does not authorize/ },
  },
  {
    name: "wiring: token-proxy class in a cluster its binding does not name",
    build: withBase((b) => {
      const other = new AksCluster(b.platform, "cluster-b", { name: "aks-b", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
      const binding = new AksIdentityBinding(b.platform, "binding", { cluster: other, identity: b.identity });
      const role = new IdentityBindingClusterRole(b.k8s, "role", { binding, serviceAccounts: [{ namespace: "orders", name: "app" }] });
      b.keyVault.grantSecretRead(b.identity, { secrets: ["orders-db"] });
      tokenProxyClass(b, role);
      applyWiringChecks(b.app);
    }),
    expect: { path: "cluster/spc", field: "provider.identity.role", value: "cluster/role", rule: /authorizes an identity binding to cluster aks-b, but the class is deployed to cluster platform\/cluster/ },
  },
];

// --- restart on rotation ----------------------------------------------------

const addReloader = (patch: Partial<ReloaderProps>, rotation = true) => withBase((b) => void new Reloader(b.k8s, "reloader", { driver: b.cluster, ...patch }), { rotation });
const plainClass = (b: Base, stack: TerraformStack = b.k8s, cluster: AksCluster = b.cluster) =>
  new SecretProviderClass(stack, "spc", { name: "orders-kv", namespace: "orders", provider: { type: "azure", keyVault: b.keyVault, identity: { mode: "vmManagedIdentity", identity: cluster.secretsProviderIdentity }, objects: [{ objectName: "orders-db" }] } });

const restartCases: BadInputCase[] = [
  { name: "Reloader chart version as a range", build: addReloader({ chartVersion: "^2.2.0" }), expect: { path: "cluster/reloader", field: "chartVersion", value: "^2.2.0", rule: /must be an exact chart version/ } },
  { name: "Reloader namespace with capitals", build: addReloader({ namespace: "Reloader" }), expect: { path: "cluster/reloader", field: "namespace", value: "Reloader", rule: /DNS-1123 label/ } },
  { name: "Reloader release name with _", build: addReloader({ releaseName: "re_loader" }), expect: { path: "cluster/reloader", field: "releaseName", value: "re_loader", rule: /DNS-1123 label/ } },
  { name: "Reloader without a driver", build: addReloader({ driver: undefined as any }), expect: { path: "cluster/reloader", field: "driver", rule: /^is required: an object \{ secretRotation, node \}/ } },
  { name: "Reloader on a cluster whose driver has rotation off", build: addReloader({}, false), expect: { path: "cluster/reloader", field: "driver", value: "platform/cluster", rule: /has secret rotation off/ } },
  { name: "Reloader reading Secrets with a short reason", build: addReloader({ watchSecrets: { reason: "eso" } }), expect: { path: "cluster/reloader", field: "watchSecrets.reason", value: "eso", rule: /needs a written reason/ } },
  { name: "Reloader values turning the CSI integration off", build: addReloader({ values: { reloader: { enableCSIIntegration: false } } }), expect: { path: "cluster/reloader", field: "values.reloader.enableCSIIntegration", value: false, rule: /is set by this construct/ } },
  { name: "Reloader values ignoring ConfigMaps too", build: addReloader({ values: { reloader: { ignoreConfigMaps: true } } }), expect: { path: "cluster/reloader", field: "values.reloader.ignoreConfigMaps", value: true, rule: /exits at start with both/ } },
  { name: "Reloader annotations for no class", build: withBase((b) => void new Reloader(b.k8s, "reloader", { driver: b.cluster }).annotationsFor([])), expect: { path: "cluster/reloader", field: "annotationsFor", value: [], rule: /needs at least one SecretProviderClass/ } },
  {
    name: "Reloader annotations for classes of two namespaces",
    build: withBase((b) => void new Reloader(b.k8s, "reloader", { driver: b.cluster }).annotationsFor([{ name: "a", namespace: "orders" }, { name: "b", namespace: "billing" }])),
    expect: { path: "cluster/reloader", field: "annotationsFor", rule: /names classes of several namespaces/ },
  },
  { name: "pod helper restartOnRotation that is not a Reloader", build: withBase((b) => void new PodSecretsMount(plainClass(b), { restartOnRotation: {} as any })), expect: { path: "cluster/spc", field: "podSecrets.restartOnRotation", value: "object", rule: /must be the Reloader installed on the class's cluster/ } },
  // verify/wiring/checks/rotation.ts
  {
    name: "wiring: restart on rotation of a class on a cluster with rotation off, by another cluster's Reloader",
    build: withBase((b) => {
      const other = new AksCluster(b.platform, "cluster-b", { name: "aks-b", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" }, secretRotation: false });
      const kb = new TerraformStack(b.app, "cluster-b");
      new KubernetesProvider(kb, "kubernetes", {});
      declareClusterScope(kb, other);
      const reloader = new Reloader(b.k8s, "reloader", { driver: b.cluster });
      new PodSecretsMount(plainClass(b, kb, other), { restartOnRotation: reloader });
      applyWiringChecks(b.app);
    }),
    expect: { path: "cluster-b/spc", field: "podSecrets.restartOnRotation", value: "cluster/reloader", rule: /cluster platform\/cluster-b has secret rotation off/ },
  },
  {
    name: "wiring: restart on rotation by the Reloader of another cluster",
    build: withBase((b) => {
      const other = new AksCluster(b.platform, "cluster-b", { name: "aks-b", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
      const kb = new TerraformStack(b.app, "cluster-b");
      new KubernetesProvider(kb, "kubernetes", {});
      declareClusterScope(kb, other);
      const reloader = new Reloader(b.k8s, "reloader", { driver: b.cluster });
      new PodSecretsMount(plainClass(b, kb, other), { restartOnRotation: reloader });
      applyWiringChecks(b.app);
    }),
    expect: { path: "cluster-b/spc", field: "podSecrets.restartOnRotation", value: "cluster/reloader", rule: /runs in cluster platform\/cluster, but the class is deployed to cluster platform\/cluster-b/ },
  },
  // constructs/vault/vault-secrets-operator.ts
  {
    name: "VSO restart target in another namespace",
    build: withBase((b) => {
      const operator = new VaultSecretsOperator(b.k8s, "vso");
      const connection = new VsoVaultConnection(b.eso, "connection", { operator, address: VAULT_ADDR });
      const auth = new VsoVaultAuth(b.eso, "auth", { role: b.role, connection });
      new VsoVaultStaticSecret(b.eso, "secret", { auth, secret: { mount: "secret", path: "orders/db" }, destination: { name: "orders-db" }, rolloutRestartTargets: [{ kind: "Deployment", name: "orders", namespace: "billing" }] });
    }),
    expect: { path: "cluster-eso/secret", field: "rolloutRestartTargets[0].namespace", value: "billing", rule: /must be "orders", the secret's namespace/ },
  },
  { name: "VSO restart target of a class", build: withBase((b) => void rolloutRestartTarget(plainClass(b).resource as any)), expect: { path: "cluster/spc/manifest", field: "rolloutRestartTarget", value: "kubernetes_manifest", rule: /must be a Deployment, StatefulSet or DaemonSet/ } },
  {
    name: "VSO restart target of a deployment with a generated name",
    build: withBase((b) => {
      const d = new DeploymentV1(b.k8s, "app", { metadata: { generateName: "app-", namespace: "orders" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { container: [{ name: "a", image: "busybox" }] } } } });
      rolloutRestartTarget(d);
    }),
    expect: { path: "cluster/app", field: "rolloutRestartTarget.metadata.name", rule: /must be set/ },
  },
];

// --- External Secrets Operator ----------------------------------------------

const operatorOf = (b: Base) => new ExternalSecretsOperator(b.k8s, "eso");
const teamSa = (b: Base) => {
  b.identity.addServiceAccount({ namespace: "orders", name: "orders-eso" });
  return new WorkloadServiceAccount(b.k8s, "orders-eso", { identity: b.identity, namespace: "orders", name: "orders-eso" });
};
const azureStoreProps = (b: Base, operator = operatorOf(b)): EsoSecretStoreProps => ({ operator, name: "orders-kv", namespace: "orders", provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "serviceAccount", serviceAccount: teamSa(b) } } });
const addStore = (patch: (b: Base) => Partial<EsoSecretStoreProps>) => withBase((b) => void new EsoSecretStore(b.eso, "store", { ...azureStoreProps(b), ...patch(b) }));
const vaultProvider = (b: Base, patch: Partial<EsoVaultProvider> = {}): EsoVaultProvider => ({ type: "vault", server: VAULT_ADDR, mount: "secret", role: b.role, ...patch });
const addVaultStore = (patch: Partial<EsoVaultProvider>, namespace = "orders") => withBase((b) => void new EsoSecretStore(b.eso, "store", { operator: operatorOf(b), name: "orders-vault", namespace, provider: vaultProvider(b, patch) }));
const azureEs = (patch: Partial<EsoExternalSecretProps>) =>
  withBase((b) => {
    const store = new EsoSecretStore(b.eso, "store", azureStoreProps(b));
    b.keyVault.grantSecretRead(b.identity, { secrets: ["orders-db"] });
    new EsoExternalSecret(b.eso, "es", { store, name: "orders-db", data: [{ secretKey: "password", remoteKey: "orders-db" }], ...patch });
  });
const vaultEs = (patch: Partial<EsoExternalSecretProps>) =>
  withBase((b) => {
    const store = new EsoSecretStore(b.eso, "store", { operator: operatorOf(b), name: "orders-vault", namespace: "orders", provider: vaultProvider(b) });
    new EsoExternalSecret(b.eso, "es", { store, name: "orders-db", data: [{ secretKey: "password", remoteKey: "orders/db", property: "password" }], ...patch });
  });
const operatorStore = (b: Base) => {
  const operator = new ExternalSecretsOperator(b.k8s, "eso-wi", { namespace: "eso-wi", releaseName: "eso-wi", workloadIdentity: b.identity });
  b.identity.addServiceAccount({ namespace: "eso-wi", name: "external-secrets" });
  return new EsoClusterSecretStore(b.eso, "shared", { operator, name: "shared-kv", allowedNamespaces: ["orders"], provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "operator" } } });
};

const esoCases: BadInputCase[] = [
  // constructs/external-secrets/operator.ts
  { name: "ESO chart version 'latest'", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { chartVersion: "latest" })), expect: { path: "cluster/eso", field: "chartVersion", value: "latest", rule: /must be an exact chart version/ } },
  { name: "ESO namespace with capitals", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { namespace: "ESO" })), expect: { path: "cluster/eso", field: "namespace", value: "ESO", rule: /DNS-1123 label/ } },
  { name: "ESO release name with a dot", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { releaseName: "external.secrets" })), expect: { path: "cluster/eso", field: "releaseName", value: "external.secrets", rule: /DNS-1123 label/ } },
  { name: "ESO service account name with _", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { serviceAccountName: "eso_sa" })), expect: { path: "cluster/eso", field: "serviceAccountName", value: "eso_sa", rule: /DNS-1123 subdomain/ } },
  { name: "ESO workload identity given by client ID", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { workloadIdentity: { clientId: TENANT } as any })), expect: { path: "cluster/eso", field: "workloadIdentity", value: { clientId: TENANT }, rule: /^must be a WorkloadIdentity \(this object has no id, name/ } },
  { name: "ESO identity that does not trust the operator", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { workloadIdentity: b.identity })), expect: { path: "cluster/eso", field: "workloadIdentity", value: "platform/shared", rule: /has no federated credential for the operator's service account system:serviceaccount:external-secrets:external-secrets/ } },
  // constructs/external-secrets/secret-store.ts
  { name: "ESO store without the operator", build: addStore(() => ({ operator: undefined as any })), expect: { path: "cluster-eso/store", field: "operator", rule: /^is required: an ExternalSecretsOperator/ } },
  { name: "ESO store name with capitals", build: addStore(() => ({ name: "Orders" })), expect: { path: "cluster-eso/store", field: "name", value: "Orders", rule: /DNS-1123 subdomain/ } },
  { name: "ESO store namespace with capitals", build: withBase((b) => void new EsoSecretStore(b.eso, "store", { operator: operatorOf(b), name: "x", namespace: "Orders", provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "operator" } } })), expect: { path: "cluster-eso/store", field: "namespace", value: "Orders", rule: /DNS-1123 label/ } },
  { name: "ESO store provider type misspelled", build: addStore(() => ({ provider: { type: "azurekv" } as any })), expect: { path: "cluster-eso/store", field: "provider.type", value: "azurekv", rule: /^must be one of "azureKeyVault", "vault"/ } },
  { name: "ESO Key Vault store without the vault construct", build: addStore(() => ({ provider: { type: "azureKeyVault", keyVault: "kv-orders-01" as any, auth: { mode: "operator" } } })), expect: { path: "cluster-eso/store", field: "provider.keyVault", value: "kv-orders-01", rule: /^must be a KeyVault/ } },
  { name: "ESO Key Vault store with a service account name", build: addStore((b) => ({ provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "serviceAccount", serviceAccount: "orders-eso" as any } } })), expect: { path: "cluster-eso/store", field: "provider.auth.serviceAccount", value: "orders-eso", rule: /^must be a WorkloadServiceAccount/ } },
  {
    name: "ESO Key Vault store on a service account of a client ID",
    build: addStore((b) => ({ provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "serviceAccount", serviceAccount: new WorkloadServiceAccount(b.k8s, "ref", { identity: { clientId: TENANT }, namespace: "orders", name: "ref" }) } } })),
    expect: { path: "cluster-eso/store", field: "provider.auth.serviceAccount", value: "orders/ref", rule: /stands for an identity given by client ID only/ },
  },
  {
    name: "ESO Key Vault store on a service account that uses an identity binding",
    build: addStore((b) => ({ provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "serviceAccount", serviceAccount: new WorkloadServiceAccount(b.k8s, "bound", { identity: b.identity, namespace: "orders", name: "bound", identityBinding: bound(b).role }) } } })),
    expect: { path: "cluster-eso/store", field: "provider.auth.serviceAccount", value: "orders/bound", rule: /uses an AKS identity binding/ },
  },
  {
    name: "ESO Key Vault store on a service account of another namespace",
    build: addStore((b) => {
      b.identity.addServiceAccount({ namespace: "billing", name: "eso" });
      return { provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "serviceAccount", serviceAccount: new WorkloadServiceAccount(b.k8s, "billing", { identity: b.identity, namespace: "billing", name: "eso" }) } } };
    }),
    expect: { path: "cluster-eso/store", field: "provider.auth.serviceAccount", value: "billing/eso", rule: /must be in the store's namespace "orders"/ },
  },
  { name: "ESO namespaced store on the operator's identity", build: addStore((b) => ({ provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "operator" } } })), expect: { path: "cluster-eso/store", field: "provider.auth.mode", value: "operator", rule: /is only for a ClusterSecretStore/ } },
  {
    name: "ESO cluster store on an operator without identity",
    build: withBase((b) => void new EsoClusterSecretStore(b.eso, "shared", { operator: operatorOf(b), name: "shared", allowedNamespaces: ["orders"], provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "operator" } } })),
    expect: { path: "cluster-eso/shared", field: "provider.auth.mode", value: "operator", rule: /needs the operator installed with workloadIdentity/ },
  },
  { name: "ESO Key Vault store auth mode misspelled", build: addStore((b) => ({ provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "workloadIdentity" } as any } })), expect: { path: "cluster-eso/store", field: "provider.auth.mode", value: "workloadIdentity", rule: /^must be one of "serviceAccount", "operator"/ } },
  { name: "ESO Vault store without a role", build: addVaultStore({ role: "orders" as any }), expect: { path: "cluster-eso/store", field: "provider.role", value: "orders", rule: /^must be a VaultJwtRole/ } },
  { name: "ESO Vault store over http", build: addVaultStore({ server: "http://vault.example:8200" }), expect: { path: "cluster-eso/store", field: "provider.server", value: "http://vault.example:8200", rule: /must be an https URL/ } },
  { name: "ESO Vault store mount with a leading slash", build: addVaultStore({ mount: "/secret" }), expect: { path: "cluster-eso/store", field: "provider.mount", value: "/secret", rule: /must be a Vault mount path/ } },
  { name: "ESO Vault store namespace with a space", build: addVaultStore({ vaultNamespace: "admin team" }), expect: { path: "cluster-eso/store", field: "provider.vaultNamespace", value: "admin team", rule: /must be a Vault namespace path/ } },
  { name: "ESO Vault store audience the role does not bind", build: addVaultStore({ audience: "vault-2" }), expect: { path: "cluster-eso/store", field: "provider.audience", value: "vault-2", rule: /is not bound by JWT role "orders"/ } },
  { name: "ESO Vault store outside the role's namespace", build: addVaultStore({}, "billing"), expect: { path: "cluster-eso/store", field: "namespace", value: "billing", rule: /must be "orders", the namespace of the service account JWT role "orders" binds/ } },
  {
    name: "ESO cluster store open to all without a reason",
    build: withBase((b) => void new EsoClusterSecretStore(b.eso, "shared", { operator: operatorOf(b), name: "shared", allowAllNamespaces: { reason: "all" }, provider: vaultProvider(b) })),
    expect: { path: "cluster-eso/shared", field: "allowAllNamespaces.reason", value: "all", rule: /needs a written reason/ },
  },
  {
    name: "ESO cluster store with both allowedNamespaces and allowAllNamespaces",
    build: withBase((b) => void new EsoClusterSecretStore(b.eso, "shared", { operator: operatorOf(b), name: "shared", allowedNamespaces: ["orders"], allowAllNamespaces: { reason: "every team may use it" }, provider: vaultProvider(b) })),
    expect: { path: "cluster-eso/shared", field: "allowedNamespaces", value: ["orders"], rule: /contradicts allowAllNamespaces/ },
  },
  { name: "ESO cluster store without allowed namespaces", build: withBase((b) => void new EsoClusterSecretStore(b.eso, "shared", { operator: operatorOf(b), name: "shared", provider: vaultProvider(b) })), expect: { path: "cluster-eso/shared", field: "allowedNamespaces", rule: /must list the namespaces/ } },
  { name: "ESO cluster store allowing a namespace with capitals", build: withBase((b) => void new EsoClusterSecretStore(b.eso, "shared", { operator: operatorOf(b), name: "shared", allowedNamespaces: ["Orders"], provider: vaultProvider(b) })), expect: { path: "cluster-eso/shared", field: "allowedNamespaces[0]", value: "Orders", rule: /DNS-1123 label/ } },
  { name: "ESO store in the operator's stack", build: withBase((b) => void new EsoSecretStore(b.k8s, "store", azureStoreProps(b))), expect: { path: "cluster/store", field: "operator", value: "cluster/eso", rule: /is in the same stack/ } },
  // constructs/external-secrets/external-secret.ts
  { name: "ExternalSecret without store", build: withBase((b) => void new EsoExternalSecret(b.eso, "es", { name: "x", namespace: "orders", data: [{ secretKey: "a", remoteKey: "orders-db" }] } as any)), expect: { path: "cluster-eso/es", field: "store", rule: /^is required: an EsoClusterSecretStore or an EsoSecretStore/ } },
  { name: "ExternalSecret of a cluster store without namespace", build: withBase((b) => void new EsoExternalSecret(b.eso, "es", { store: operatorStore(b), name: "x", data: [{ secretKey: "a", remoteKey: "orders-tls" }] })), expect: { path: "cluster-eso/es", field: "namespace", rule: /is required with a ClusterSecretStore/ } },
  { name: "ExternalSecret name with capitals", build: azureEs({ name: "OrdersDb" }), expect: { path: "cluster-eso/es", field: "name", value: "OrdersDb", rule: /DNS-1123 subdomain/ } },
  { name: "ExternalSecret target name with _", build: azureEs({ target: { name: "orders_db" } }), expect: { path: "cluster-eso/es", field: "target.name", value: "orders_db", rule: /DNS-1123 subdomain/ } },
  { name: "ExternalSecret namespace with capitals", build: withBase((b) => void new EsoExternalSecret(b.eso, "es", { store: operatorStore(b), name: "x", namespace: "Orders", data: [{ secretKey: "a", remoteKey: "orders-tls" }] })), expect: { path: "cluster-eso/es", field: "namespace", value: "Orders", rule: /DNS-1123 label/ } },
  { name: "ExternalSecret outside its SecretStore's namespace", build: azureEs({ namespace: "billing" }), expect: { path: "cluster-eso/es", field: "namespace", value: "billing", rule: /a SecretStore serves ExternalSecrets of its own namespace only/ } },
  { name: "ExternalSecret in a namespace the cluster store does not allow", build: withBase((b) => void new EsoExternalSecret(b.eso, "es", { store: operatorStore(b), name: "x", namespace: "billing", data: [{ secretKey: "a", remoteKey: "orders-tls" }] })), expect: { path: "cluster-eso/es", field: "namespace", value: "billing", rule: /may not use ClusterSecretStore shared-kv/ } },
  { name: "ExternalSecret refresh 'hourly'", build: azureEs({ refreshInterval: "hourly" }), expect: { path: "cluster-eso/es", field: "refreshInterval", value: "hourly", rule: /must be a Go duration/ } },
  { name: "ExternalSecret refresh every 2 days", build: azureEs({ refreshInterval: "48h" }), expect: { path: "cluster-eso/es", field: "refreshInterval", value: "48h", rule: /must be from 30s to 24h/ } },
  { name: "ExternalSecret creation policy misspelled", build: azureEs({ target: { creationPolicy: "owner" as any } }), expect: { path: "cluster-eso/es", field: "target.creationPolicy", value: "owner", rule: /^must be one of "Merge", "Orphan", "Owner"/ } },
  { name: "ExternalSecret deletion policy misspelled", build: azureEs({ target: { deletionPolicy: "Keep" as any } }), expect: { path: "cluster-eso/es", field: "target.deletionPolicy", value: "Keep", rule: /^must be one of "Delete", "Merge", "Retain"/ } },
  { name: "ExternalSecret target type unknown", build: azureEs({ target: { type: "tls" } }), expect: { path: "cluster-eso/es", field: "target.type", value: "tls", rule: /must be a Secret type/ } },
  { name: "ExternalSecret target label with a space", build: azureEs({ target: { labels: { "team name": "orders" } } }), expect: { path: "cluster-eso/es", field: 'target.labels["team name"]', value: "team name", rule: /label keys are qualified names/ } },
  { name: "ExternalSecret reading nothing", build: azureEs({ data: [] }), expect: { path: "cluster-eso/es", field: "data", value: [], rule: /must name at least one key to read/ } },
  { name: "ExternalSecret key with a slash", build: azureEs({ data: [{ secretKey: "db/password", remoteKey: "orders-db" }] }), expect: { path: "cluster-eso/es", field: "data[0].secretKey", value: "db/password", rule: /must be a Secret data key/ } },
  { name: "ExternalSecret key twice", build: azureEs({ data: [{ secretKey: "a", remoteKey: "orders-db" }, { secretKey: "a", remoteKey: "orders-db" }] }), expect: { path: "cluster-eso/es", field: "data[1].secretKey", value: "a", rule: /is used twice in this Secret/ } },
  { name: "ExternalSecret Key Vault key without remote name", build: azureEs({ data: [{ secretKey: "a", remoteKey: "" }] }), expect: { path: "cluster-eso/es", field: "data[0].remoteKey", value: "", rule: /is required: the name of the Key Vault secret/ } },
  { name: "ExternalSecret Vault key without remote path", build: vaultEs({ data: [{ secretKey: "a", remoteKey: "" }] }), expect: { path: "cluster-eso/es", field: "data[0].remoteKey", value: "", rule: /is required: the path of the secret inside the store's mount/ } },
  { name: "ExternalSecret Key Vault name with a dot", build: azureEs({ data: [{ secretKey: "a", remoteKey: "orders.db" }] }), expect: { path: "cluster-eso/es", field: "data[0].remoteKey", value: "orders.db", rule: /Key Vault object names/ } },
  { name: "ExternalSecret Vault path with data/", build: vaultEs({ data: [{ secretKey: "a", remoteKey: "data/orders/db" }] }), expect: { path: "cluster-eso/es", field: "data[0].remoteKey", value: "data/orders/db", rule: /must be a secret path inside the store's mount/ } },
  { name: "ExternalSecret property on a Key Vault secret", build: azureEs({ data: [{ secretKey: "a", remoteKey: "orders-db", property: "password" }] }), expect: { path: "cluster-eso/es", field: "data[0].property", value: "password", rule: /applies to Vault stores/ } },
  { name: "ExternalSecret Key Vault version not hex", build: azureEs({ data: [{ secretKey: "a", remoteKey: "orders-db", version: "v2" }] }), expect: { path: "cluster-eso/es", field: "data[0].version", value: "v2", rule: /must be a Key Vault version id/ } },
  { name: "ExternalSecret Key Vault find by path", build: azureEs({ data: [], dataFrom: { path: "orders" } }), expect: { path: "cluster-eso/es", field: "dataFrom", rule: /must be \{ all: true \} with a Key Vault store/ } },
  { name: "ExternalSecret Vault find of everything", build: vaultEs({ data: [], dataFrom: { all: true } }), expect: { path: "cluster-eso/es", field: "dataFrom.path", rule: /is required with a Vault store/ } },
  { name: "ExternalSecret Vault find path with ..", build: vaultEs({ data: [], dataFrom: { path: "orders/../billing" } }), expect: { path: "cluster-eso/es", field: "dataFrom.path", value: "orders/../billing", rule: /must be a secret path inside the store's mount/ } },
  { name: "wiring: ExternalSecret key the identity may not read", build: azureEs({ data: [{ secretKey: "tls", remoteKey: "orders-tls" }] }), expect: { path: "cluster-eso/es", field: "data[0].remoteKey", value: "orders-tls", rule: /is not readable by the identity platform\/shared of store orders-kv/ } },
  { name: "wiring: ExternalSecret of every Key Vault secret without a list grant", build: azureEs({ data: [], dataFrom: { all: true } }), expect: { path: "cluster-eso/es", field: "dataFrom", rule: /cannot list every secret/ } },
  // constructs/azure/key-vault.ts
  { name: "Key Vault list grant for a few secrets", build: withBase((b) => void b.keyVault.grantSecretRead(b.identity, { secrets: ["orders-db"], list: { reason: REASON } })), expect: { path: "platform/vault", field: "grantSecretRead.list", value: ["orders-db"], rule: /lists the whole vault: leave secrets out/ } },
  { name: "Key Vault list grant with a short reason", build: withBase((b) => void b.keyVault.grantSecretRead(b.identity, { list: { reason: "eso" } })), expect: { path: "platform/vault", field: "grantSecretRead.list.reason", value: "eso", rule: /needs a written reason/ } },
  // constructs/vault/vault-jwt-auth.ts
  { name: "Vault role prefix on a mount with a leading slash", build: withBase((b) => void b.jwt.addRole({ name: "ops", namespace: "ops", serviceAccountName: "ops", secrets: [], secretPrefixes: [{ mount: "/secret", path: "ops" }] })), expect: { path: "vault-config/jwt", field: "addRole.secretPrefixes[0].mount", value: "/secret", rule: /must be a Vault mount path/ } },
  { name: "Vault role prefix with a glob", build: withBase((b) => void b.jwt.addRole({ name: "ops", namespace: "ops", serviceAccountName: "ops", secrets: [], secretPrefixes: [{ mount: "secret", path: "ops/*" }] })), expect: { path: "vault-config/jwt", field: "addRole.secretPrefixes[0].path", value: "ops/*", rule: /no globs/ } },
];

// --- look-alikes (after the props check of issue 14a) ----------------------------------------
// The props check (core/props.ts) refuses a missing construct or a value of the wrong type first,
// but it checks a class structurally: an object holding the class's members passes it. Such an
// object (a construct of a second copy of the library in node_modules, or a hand-rolled stand-in)
// still reaches each construct's own instanceof check, which these cases show.

/** A plain-object copy of a construct: its own fields and the values of its getters. */
function lookalike<T extends object>(real: T): T {
  const copy: Record<string, unknown> = { ...(real as Record<string, unknown>) };
  for (let proto = Object.getPrototypeOf(real); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (!d.get || k in copy) continue;
      try {
        copy[k] = (real as unknown as Record<string, unknown>)[k];
      } catch {
        // a getter that needs the real instance: left out
      }
    }
  }
  return copy as T;
}

const lookalikeCases: BadInputCase[] = [
  { name: "identity binding with a look-alike identity", build: withBase((b) => void new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: lookalike(b.identity) })), expect: { path: "platform/binding", field: "identity", value: "object", rule: /is required: the WorkloadIdentity to share/ } },
  {
    name: "cluster role with a look-alike binding",
    build: withBase((b) => void new IdentityBindingClusterRole(b.k8s, "role", { binding: lookalike(new AksIdentityBinding(b.platform, "binding", { cluster: b.cluster, identity: b.identity })) })),
    expect: { path: "cluster/role", field: "binding", value: "object", rule: /is required: the AksIdentityBinding/ },
  },
  { name: "service account: identityBinding that only looks like a role", build: withBase((b) => void new WorkloadServiceAccount(b.k8s, "sa", { identity: b.identity, namespace: "orders", name: "app", identityBinding: lookalike(bound(b).role) })), expect: { path: "cluster/sa", field: "identityBinding", value: "object", rule: /must be the IdentityBindingClusterRole/ } },
  {
    name: "token-proxy class with a look-alike role",
    build: withBase((b) => void new SecretProviderClass(b.k8s, "spc", { name: "x", namespace: "orders", provider: { type: "azure", keyVault: b.keyVault, identity: { mode: "identityBinding", role: lookalike(bound(b).role) }, objects: [{ objectName: "orders-db" }] } })),
    expect: { path: "cluster/spc", field: "provider.identity.role", value: "object", rule: /must be the IdentityBindingClusterRole/ },
  },
  {
    name: "workload binding: identityBinding that only looks like a role",
    build: withBase((b) => void new KeyVaultWorkloadBinding(b.platform, b.k8s, "orders", { cluster: b.cluster, keyVault: b.keyVault, namespace: "orders", serviceAccountName: "app", secrets: ["orders-db"], identityBinding: lookalike(bound(b).role) })),
    expect: { path: "platform/orders", field: "identityBinding", value: "object", rule: /must be the IdentityBindingClusterRole/ },
  },
  { name: "ESO operator with a look-alike workload identity", build: withBase((b) => void new ExternalSecretsOperator(b.k8s, "eso", { workloadIdentity: lookalike(b.identity) })), expect: { path: "cluster/eso", field: "workloadIdentity", value: "object", rule: /must be a WorkloadIdentity construct/ } },
  { name: "ESO store with a look-alike operator", build: withBase((b) => { const p = azureStoreProps(b); new EsoSecretStore(b.eso, "store", { ...p, operator: lookalike(p.operator) }); }), expect: { path: "cluster-eso/store", field: "operator", value: "object", rule: /needs the ExternalSecretsOperator/ } },
  { name: "ESO Key Vault store with a look-alike vault", build: withBase((b) => { const p = azureStoreProps(b); new EsoSecretStore(b.eso, "store", { ...p, provider: { ...(p.provider as EsoAzureKeyVaultProvider), keyVault: lookalike(b.keyVault) } }); }), expect: { path: "cluster-eso/store", field: "provider.keyVault", value: "object", rule: /must be the KeyVault construct/ } },
  {
    name: "ESO Key Vault store with a look-alike service account",
    build: withBase((b) => {
      const p = azureStoreProps(b);
      const auth = (p.provider as EsoAzureKeyVaultProvider).auth as { mode: "serviceAccount"; serviceAccount: WorkloadServiceAccount };
      new EsoSecretStore(b.eso, "store", { ...p, provider: { type: "azureKeyVault", keyVault: b.keyVault, auth: { mode: "serviceAccount", serviceAccount: lookalike(auth.serviceAccount) } } });
    }),
    expect: { path: "cluster-eso/store", field: "provider.auth.serviceAccount", value: "object", rule: /must be a WorkloadServiceAccount/ },
  },
  { name: "ESO Vault store with a look-alike role", build: withBase((b) => void new EsoSecretStore(b.eso, "store", { operator: operatorOf(b), name: "orders-vault", namespace: "orders", provider: vaultProvider(b, { role: lookalike(b.role) }) })), expect: { path: "cluster-eso/store", field: "provider.role", value: "object", rule: /must be the VaultJwtRole/ } },
  {
    name: "ExternalSecret with a look-alike store",
    build: withBase((b) => void new EsoExternalSecret(b.eso, "es", { store: lookalike(new EsoSecretStore(b.eso, "store", azureStoreProps(b))), name: "x", namespace: "orders", data: [{ secretKey: "a", remoteKey: "orders-db" }] })),
    expect: { path: "cluster-eso/es", field: "store", value: "object", rule: /needs the EsoSecretStore or EsoClusterSecretStore/ },
  },
];

export const cases: BadInputCase[] = [...identityBindingCases, ...restartCases, ...esoCases, ...lookalikeCases];

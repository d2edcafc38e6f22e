import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Deployment } from "@cdktf/provider-kubernetes/lib/deployment";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { KeyVault, KeyVaultAuthorization } from "../../constructs/azure/key-vault";
import { KeyVaultWorkloadBinding } from "../../constructs/bindings/key-vault-workload-binding";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { externalPrincipal } from "../../constructs/azure/principal";
import { AzureKeyVaultProviderConfig, SecretProviderClass, VaultProviderConfig } from "../../constructs/kubernetes/secret-provider-class";
import { ValidationError, ValidationProblem, validateTree } from "../../core/validation";
import { VaultJwtAuth } from "../../constructs/vault/vault-jwt-auth";
import { VaultSecretsOperator, VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../../constructs/vault/vault-secrets-operator";
import { allowUnverifiedWiring, applyWiringChecks, declareClusterScope, UNVERIFIED_WIRING_OPT_OUT, wiringReport } from "../../verify/wiring";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { ClusterStack } from "../../stacks/cluster-stack";
import { expectProblems } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
const COPIED_CLIENT_ID = "0f0e0d0c-0b0a-0908-0706-050403020100";
const VAULT_ADDRESS = "https://vault-private.example.hashicorp.cloud:8200";
const REASON = "identity managed by the identity team in another repository";

/**
 * Two AKS clusters (a and b), one Key Vault, identities of two workloads (orders trusts
 * orders/orders-api on cluster a; payments trusts payments/payments-api on cluster a), a cluster
 * stack per cluster and a Vault configuration stack whose JWT auth trusts cluster a.
 */
function world(options: { authorization?: KeyVaultAuthorization } = {}) {
  const app = Testing.app();
  const platform = new TerraformStack(app, "platform");
  new AzurermProvider(platform, "azurerm", { features: [{}] });
  const aks = (id: string) =>
    new AksCluster(platform, id, { name: `aks-${id}`, resourceGroupName: "rg-wiring", location: "westeurope", nodeSubnetId: `/subscriptions/x/resourceGroups/rg-wiring/providers/Microsoft.Network/virtualNetworks/v/subnets/${id}`, apiServerAccess: { mode: "private" } });
  const clusterA = aks("cluster-a");
  const clusterB = aks("cluster-b");
  const keyVault = new KeyVault(platform, "keyvault", {
    name: "kv-wiring-test",
    resourceGroupName: "rg-wiring",
    location: "westeurope",
    tenantId: TENANT,
    authorization: options.authorization ?? "rbac",
    secrets: ["orders-db-password", "orders-db-user", "payments-key"],
  });
  const identity = (id: string, namespace: string, name: string, issuer = clusterA) =>
    new WorkloadIdentity(platform, id, { name: `id-${id}`, resourceGroupName: "rg-wiring", location: "westeurope", issuer, serviceAccounts: [{ namespace, name }] });
  const orders = identity("orders", "orders", "orders-api");
  const payments = identity("payments", "payments", "payments-api");
  keyVault.grantSecretRead(orders, { secrets: ["orders-db-password", "orders-db-user"] });
  keyVault.grantSecretRead(payments, { secrets: ["payments-key"] });
  const k8s = new ClusterStack(app, "k8s", { cluster: clusterA });
  const k8sB = new ClusterStack(app, "k8s-b", { cluster: clusterB });

  const vaultStack = new TerraformStack(app, "vault-config");
  new VaultProvider(vaultStack, "vault", { address: VAULT_ADDRESS, namespace: "admin" });
  const jwt = new VaultJwtAuth(vaultStack, "jwt", { issuer: clusterA });
  const ordersRole = jwt.addRole({ name: "orders", namespace: "orders", serviceAccountName: "orders-vault", secrets: [{ mount: "secret", path: "orders/config" }] });
  return { app, platform, clusterA, clusterB, keyVault, orders, payments, k8s, k8sB, vaultStack, jwt, ordersRole };
}
type World = ReturnType<typeof world>;

/** The orders workload read with its own identity through the binding (the happy path). */
function bindOrders(w: World) {
  return new KeyVaultWorkloadBinding(w.platform, w.k8s, "orders-binding", {
    cluster: w.clusterA,
    keyVault: w.keyVault,
    identity: w.orders,
    namespace: "orders",
    serviceAccountName: "orders-api",
    secrets: ["orders-db-password"],
  });
}

/** A Deployment in `scope` whose pods run as `serviceAccount` and mount class `spcName`. */
function deployment(scope: TerraformStack, id: string, namespace: string, spcName: string, serviceAccount?: string) {
  return new Deployment(scope, id, {
    metadata: { name: id, namespace },
    spec: {
      selector: { matchLabels: { app: id } },
      template: {
        metadata: { labels: { app: id } },
        spec: {
          serviceAccountName: serviceAccount,
          container: [{ name: "app", image: "busybox", volumeMount: [{ name: "secrets", mountPath: "/mnt/secrets", readOnly: true }] }],
          volume: [{ name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: spcName } } }],
        },
      },
    },
  });
}

function azureClass(scope: TerraformStack, id: string, namespace: string, provider: Omit<AzureKeyVaultProviderConfig, "type">): SecretProviderClass {
  return new SecretProviderClass(scope, id, { name: id, namespace, provider: { type: "azure", ...provider } });
}

/** Validates the whole app with the wiring checks on and returns the problems (none: []). */
function problems(app: App): ValidationProblem[] {
  applyWiringChecks(app);
  try {
    validateTree(app);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return expectProblems(() => {
      throw e;
    });
  }
}

/** Expects exactly one problem at `path` on `field`, with `value`, whose rule matches. */
function expectWiring(app: App, expected: { path: string; field: string; value: unknown; rule: RegExp }): ValidationProblem {
  const found = problems(app);
  const match = found.filter((p) => p.path === expected.path && p.field === expected.field && expected.rule.test(p.rule));
  if (match.length !== 1) throw new Error(`expected one problem ${JSON.stringify({ ...expected, rule: String(expected.rule) })}, found:\n${found.map((p) => `  [${p.path}] ${p.field}: ${p.value} — ${p.rule}`).join("\n")}`);
  expect(match[0].value).toBe(expected.value === undefined ? "(not set)" : JSON.stringify(expected.value));
  return match[0];
}

describe("wiring checks: a correct configuration", () => {
  test("a binding across stacks, a deployment using it and the Vault operator pass, and the report shows the paths", () => {
    const w = world();
    const binding = bindOrders(w);
    deployment(w.k8s, "orders-api", "orders", binding.secretProviderClass.name, "orders-api");
    const operator = new VaultSecretsOperator(w.k8s, "vso");
    const connection = new VsoVaultConnection(w.k8s, "connection", { operator, address: VAULT_ADDRESS });
    new VsoVaultAuth(w.k8s, "vault-auth", { role: w.ordersRole, connection, createServiceAccount: true });
    expect(problems(w.app)).toEqual([]);
    // Also when each stack is validated alone, as cdktf does in app.synth().
    for (const s of [w.platform, w.k8s, w.k8sB, w.vaultStack]) expect(() => Testing.synth(s, true)).not.toThrow();
    const report = wiringReport(w.app);
    expect(report.paths.map((p) => [p.via, p.identityMode, p.workloads, p.serviceAccounts])).toEqual([
      ["SecretProviderClass orders/orders-api-kv", "workload-identity", ["Deployment orders/orders-api"], ["orders/orders-api"]],
      ["VaultAuth orders/vault-orders", "vault-jwt", [], ["orders/orders-vault"]],
    ]);
  });

  test("a client ID given as the identity's attribute (a string) is checked the same way as the construct", () => {
    const w = world();
    const spc = azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: { clientId: w.orders.clientId } }, objects: [{ objectName: "orders-db-password" }] });
    const sa = new WorkloadServiceAccount(w.k8s, "sa", { identity: w.orders, namespace: "orders", name: "orders-api" });
    new PodSecretsMount(spc, { serviceAccount: sa });
    expect(problems(w.app)).toEqual([]);

    const bad = world();
    const spc2 = azureClass(bad.k8s, "orders-kv", "orders", { keyVault: bad.keyVault, identity: { mode: "workloadIdentity", identity: { clientId: bad.payments.clientId } }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc2, { serviceAccount: "orders-api" });
    new ServiceAccountV1(bad.k8s, "raw-sa", { metadata: { name: "orders-api", namespace: "orders", annotations: { "azure.workload.identity/client-id": bad.payments.clientId } } });
    expectWiring(bad.app, { path: "k8s/orders-kv", field: "podSecrets.serviceAccount", value: "orders/orders-api", rule: /runs as system:serviceaccount:orders:orders-api, but WorkloadIdentity platform\/payments has no federated credential.*AADSTS700213.*addServiceAccount/ });
    // The grant is checked too, through the identity the string stands for.
    expectWiring(bad.app, { path: "k8s/orders-kv", field: "provider.objects[0].objectName", value: "orders-db-password", rule: /WorkloadIdentity platform\/payments has no read grant.*403 Forbidden.*grantSecretRead/ });
  });
});

describe("wiring checks: each broken link fails synth with the link, the value and the fix", () => {
  test("a client ID copied from the wrong identity: the class logs in as another identity than its pods' service account", () => {
    const w = world();
    new WorkloadServiceAccount(w.k8s, "orders-sa", { identity: w.orders, namespace: "orders", name: "orders-api" });
    azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.payments }, objects: [{ objectName: "orders-db-password" }] });
    deployment(w.k8s, "orders-api", "orders", "orders-kv", "orders-api");
    const field = "spec.template.spec.service_account_name";
    expectWiring(w.app, { path: "k8s/orders-api", field, value: "orders-api", rule: /Deployment orders\/orders-api, mounting SecretProviderClass orders\/orders-kv, runs as system:serviceaccount:orders:orders-api, but WorkloadIdentity platform\/payments has no federated credential/ });
    expectWiring(w.app, { path: "k8s/orders-api", field, value: "orders-api", rule: /service account orders\/orders-api \(k8s\/orders-sa\) is annotated with the client ID of WorkloadIdentity platform\/orders, but SecretProviderClass orders\/orders-kv logs in as platform\/payments/ });
  });

  test("a client ID copied by hand (a literal GUID) cannot be verified: an error until the construct is passed or an opt-out is recorded", () => {
    const w = world();
    const spc = azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: { clientId: COPIED_CLIENT_ID } }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    const p = expectWiring(w.app, { path: "k8s/orders-kv", field: "provider.identity.identity", value: COPIED_CLIENT_ID, rule: /is not a WorkloadIdentity of this app.*"Identity not found".*pass the WorkloadIdentity construct.*allowUnverifiedWiring/ });
    expect(p.rule).toMatch(/allowUnverifiedWiring\(construct, \{ reason \}\)/);

    expect(() => allowUnverifiedWiring(spc, { reason: "legacy" })).toThrow(/allowUnverifiedWiring.reason: "legacy" — an opt-out of the wiring checks needs a written reason/);
    allowUnverifiedWiring(spc, { reason: REASON });
    expect(spc.node.metadata.find((m) => m.type === UNVERIFIED_WIRING_OPT_OUT)?.data).toBe(REASON);
    expect(problems(w.app)).toEqual([]);
    expect(wiringReport(w.app).accepted).toEqual([expect.objectContaining({ path: "k8s/orders-kv", field: "provider.identity.identity", value: JSON.stringify(COPIED_CLIENT_ID), reason: REASON, optOutAt: "k8s/orders-kv" })]);
  });

  test("a WorkloadServiceAccount annotated with a literal client ID cannot be verified", () => {
    const w = world();
    new WorkloadServiceAccount(w.k8s, "orders-sa", { identity: { clientId: COPIED_CLIENT_ID }, namespace: "orders", name: "orders-api" });
    expectWiring(w.app, { path: "k8s/orders-sa", field: "identity.clientId", value: COPIED_CLIENT_ID, rule: /is not the client ID of a WorkloadIdentity of this app.*azure.workload.identity\/client-id.*pass the WorkloadIdentity construct/ });
  });

  test("a service account without the client ID annotation, and one the app does not create", () => {
    const w = world();
    const spc = azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    expectWiring(w.app, { path: "k8s/orders-kv", field: "podSecrets.serviceAccount", value: "orders/orders-api", rule: /service account orders\/orders-api is not created by this app, so its azure.workload.identity\/client-id annotation cannot be checked.*WorkloadServiceAccount/ });
    new ServiceAccountV1(w.k8s, "raw-sa", { metadata: { name: "orders-api", namespace: "orders" } });
    expectWiring(w.app, { path: "k8s/orders-kv", field: "podSecrets.serviceAccount", value: "orders/orders-api", rule: /the service account orders\/orders-api \(k8s\/raw-sa\) has no azure.workload.identity\/client-id annotation, but SecretProviderClass orders\/orders-kv logs in as platform\/orders/ });
  });

  test("a tenant ID that is not the vault's", () => {
    const w = world();
    const binding = bindOrders(w);
    azureClass(w.k8s, "orders-kv-tenant", "orders", { keyVault: w.keyVault, tenantId: OTHER_TENANT, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(w.k8s.node.findChild("orders-kv-tenant") as SecretProviderClass, { serviceAccount: binding.serviceAccount });
    expectWiring(w.app, { path: "k8s/orders-kv-tenant", field: "provider.tenantId", value: OTHER_TENANT, rule: new RegExp(`is not the tenant of Key Vault platform/keyvault \\(${TENANT}\\).*Leave provider.tenantId out`) });
  });

  test("a literal vault name is resolved to the KeyVault construct and checked: tenant, grants, secrets", () => {
    const w = world();
    const binding = bindOrders(w);
    const spc = azureClass(w.k8s, "by-name", "orders", { keyvaultName: "kv-wiring-test", tenantId: OTHER_TENANT, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "payments-key" }] });
    new PodSecretsMount(spc, { serviceAccount: binding.serviceAccount });
    expectWiring(w.app, { path: "k8s/by-name", field: "provider.tenantId", value: OTHER_TENANT, rule: /is not the tenant of Key Vault platform\/keyvault/ });
    expectWiring(w.app, { path: "k8s/by-name", field: "provider.objects[0].objectName", value: "payments-key", rule: /WorkloadIdentity platform\/orders has no read grant on this secret in Key Vault platform\/keyvault.*grantSecretRead\(identity, \{ secrets: \["payments-key"\] \}\)/ });
  });

  test("a vault name that matches no KeyVault construct cannot be verified", () => {
    const w = world();
    const binding = bindOrders(w);
    const spc = azureClass(w.k8s, "elsewhere", "orders", { keyvaultName: "kv-someone-else", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "x" }] });
    new PodSecretsMount(spc, { serviceAccount: binding.serviceAccount });
    expectWiring(w.app, { path: "k8s/elsewhere", field: "provider.keyvaultName", value: "kv-someone-else", rule: /names no KeyVault construct of this app.*pass provider.keyVault/ });
    allowUnverifiedWiring(w.k8s, { reason: "the legacy vault belongs to the data team" });
    expect(problems(w.app)).toEqual([]);
  });

  test("an access policy saved on the wrong principal (the class's own grant check, run across stacks)", () => {
    const w = world({ authorization: "accessPolicy" });
    const other = new WorkloadIdentity(w.platform, "reports", { name: "id-reports", resourceGroupName: "rg-wiring", location: "westeurope", issuer: w.clusterA, serviceAccounts: [{ namespace: "reports", name: "reports" }] });
    const sa = new WorkloadServiceAccount(w.k8s, "reports-sa", { identity: other, namespace: "reports", name: "reports" });
    const spc = azureClass(w.k8s, "reports-kv", "reports", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: other }, objects: [{ objectName: "orders-db-user" }] });
    new PodSecretsMount(spc, { serviceAccount: sa });
    expectWiring(w.app, { path: "k8s/reports-kv", field: "provider.objects[0].objectName", value: "orders-db-user", rule: /the workload-identity identity platform\/reports has no read grant on this secret in platform\/keyvault/ });
  });

  test("the add-on identity of another cluster", () => {
    const w = world();
    w.keyVault.grantSecretRead(w.clusterB.secretsProviderIdentity, { secrets: ["orders-db-password"] });
    azureClass(w.k8s, "addon-kv", "orders", { keyVault: w.keyVault, identity: { mode: "vmManagedIdentity", identity: w.clusterB.secretsProviderIdentity }, objects: [{ objectName: "orders-db-password" }] });
    expectWiring(w.app, { path: "k8s/addon-kv", field: "provider.identity.identity", value: "platform/cluster-b", rule: /is the CSI add-on identity of cluster platform\/cluster-b, but the class is deployed to cluster platform\/cluster-a.*"Identity not found".*secretsProviderIdentity/ });
  });

  test("a VM identity given as a client ID cannot be verified; a granted external principal is still checked for its grant", () => {
    const w = world();
    const nodes = externalPrincipal(w.platform, { principalId: "aaaaaaaa-0000-0000-0000-000000000001", clientId: "aaaaaaaa-0000-0000-0000-000000000002" });
    w.keyVault.grantSecretRead(nodes, { secrets: ["orders-db-user"] });
    azureClass(w.k8s, "node-kv", "orders", { keyVault: w.keyVault, identity: { mode: "vmManagedIdentity", identity: { clientId: nodes.clientId } }, objects: [{ objectName: "orders-db-password" }] });
    expectWiring(w.app, { path: "k8s/node-kv", field: "provider.identity.identity", value: nodes.clientId, rule: /is not the add-on \(or kubelet\) identity of an AksCluster of this app.*pass cluster.secretsProviderIdentity/ });
    expectWiring(w.app, { path: "k8s/node-kv", field: "provider.objects[0].objectName", value: "orders-db-password", rule: /identity platform has no read grant on this secret/ });
  });

  test("a federated credential whose subject names another namespace", () => {
    const w = world();
    const misbound = new WorkloadIdentity(w.platform, "misbound", { name: "id-misbound", resourceGroupName: "rg-wiring", location: "westeurope", issuer: w.clusterA, serviceAccounts: [{ namespace: "default", name: "orders-api" }] });
    w.keyVault.grantSecretRead(misbound, { secrets: ["orders-db-password"] });
    const spc = azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: misbound }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    new ServiceAccountV1(w.k8s, "raw-sa", { metadata: { name: "orders-api", namespace: "orders", annotations: { "azure.workload.identity/client-id": misbound.clientId } } });
    expectWiring(w.app, {
      path: "k8s/orders-kv",
      field: "podSecrets.serviceAccount",
      value: "orders/orders-api",
      rule: /runs as system:serviceaccount:orders:orders-api, but WorkloadIdentity platform\/misbound has no federated credential for that subject \(it trusts: system:serviceaccount:default:orders-api\); the credential for namespace "default" does not cover namespace "orders".*addServiceAccount\(\{ namespace: "orders", name: "orders-api"/,
    });
  });

  test("with no pod in the app, the identity must at least trust a service account of the class's namespace", () => {
    const w = world();
    azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.payments }, objects: [{ objectName: "payments-key" }] });
    expectWiring(w.app, { path: "k8s/orders-kv", field: "namespace", value: "orders", rule: /run in namespace "orders" of cluster platform\/cluster-a, but its WorkloadIdentity platform\/payments trusts no service account there \(it trusts: system:serviceaccount:payments:payments-api\)/ });
  });

  test("a federated credential on the issuer of another cluster", () => {
    const w = world();
    const onB = new WorkloadIdentity(w.platform, "on-b", { name: "id-on-b", resourceGroupName: "rg-wiring", location: "westeurope", issuer: w.clusterB, serviceAccounts: [{ namespace: "orders", name: "orders-api" }] });
    w.keyVault.grantSecretRead(onB, { secrets: ["orders-db-password"] });
    // The service account sits in cluster a's stack without naming a cluster: only the tree knows where it runs.
    const sa = new WorkloadServiceAccount(w.k8s, "orders-sa", { identity: onB, namespace: "orders", name: "orders-api" });
    const spc = azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: onB }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc, { serviceAccount: sa });
    expectWiring(w.app, { path: "k8s/orders-sa", field: "identity", value: "platform/on-b", rule: /deployed to cluster platform\/cluster-a, but WorkloadIdentity platform\/on-b trusts system:serviceaccount:orders:orders-api only from cluster platform\/cluster-b.*AADSTS700213/ });
    // Reported once, on the service account, not again on the class.
    expect(problems(w.app)).toHaveLength(1);
  });

  test("a secret name that is not in the vault", () => {
    const w = world({ authorization: "accessPolicy" });
    const binding = bindOrders(w);
    const spc = azureClass(w.k8s, "typo", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-passwd" }] });
    new PodSecretsMount(spc, { serviceAccount: binding.serviceAccount });
    expectWiring(w.app, { path: "k8s/typo", field: "provider.objects[0].objectName", value: "orders-db-passwd", rule: /is not a secret of Key Vault platform\/keyvault \(declared: "orders-db-password", "orders-db-user", "payments-key"\).*SecretNotFound.*declareSecret\("orders-db-passwd"\)/ });
    // Access policies are vault-wide, so the grant check alone would not have caught it.
    expect(problems(w.app)).toHaveLength(1);
  });

  test("keys and certificates need grants the library does not give: not verifiable", () => {
    const w = world();
    const binding = bindOrders(w);
    const spc = azureClass(w.k8s, "certs", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "tls", objectType: "cert" }] });
    new PodSecretsMount(spc, { serviceAccount: binding.serviceAccount });
    expectWiring(w.app, { path: "k8s/certs", field: "provider.objects[0].objectType", value: "cert", rule: /needs certificates Get.*objectType "secret"/ });
  });

  test("a deployment that mounts a class the app does not create in its namespace", () => {
    const w = world();
    bindOrders(w);
    deployment(w.k8s, "misplaced", "default", "orders-api-kv", "orders-api");
    expectWiring(w.app, {
      path: "k8s/misplaced",
      field: 'spec.template.spec.volume["secrets"].csi.volume_attributes.secretProviderClass',
      value: "orders-api-kv",
      rule: /mounts SecretProviderClass "orders-api-kv", which this app does not create in namespace "default".*it creates one in namespace "orders"/,
    });
  });

  test("the errors also fail Testing.synth of the cluster stack alone, and validateTree fails before anything is written", () => {
    const w = world();
    azureClass(w.k8s, "orders-kv", "orders", { keyVault: w.keyVault, tenantId: OTHER_TENANT, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-password" }] });
    applyWiringChecks(w.app);
    expect(() => Testing.synth(w.k8s, true)).toThrow(/\[k8s\/orders-kv\].*provider\.tenantId/);
    expect(() => validateTree(w.app)).toThrow(ValidationError);
  });
});

describe("wiring checks: Vault JWT roles, the operator's VaultAuth and service accounts", () => {
  function operator(w: World, scope: TerraformStack = w.k8s) {
    const vso = new VaultSecretsOperator(scope, "vso");
    return new VsoVaultConnection(scope, "connection", { operator: vso, address: VAULT_ADDRESS });
  }

  test("an audience that differs between the role and the VaultAuth: refused by the construct at once", () => {
    const w = world();
    const connection = operator(w);
    expect(() => new VsoVaultAuth(w.k8s, "auth", { role: w.ordersRole, connection, audiences: ["https://kubernetes.default.svc"] })).toThrow(/audiences\[0\]: "https:\/\/kubernetes.default.svc" — is not bound by JWT role "orders"/);
  });

  test("an audience that differs between the role and a hand-written VaultAuth manifest", () => {
    const w = world();
    new Manifest(w.k8s, "raw-auth", {
      manifest: {
        apiVersion: "secrets.hashicorp.com/v1beta1",
        kind: "VaultAuth",
        metadata: { name: "orders", namespace: "orders" },
        spec: { vaultConnectionRef: "vault-secrets-operator/hcp-vault", namespace: "admin", method: "jwt", mount: "jwt-aks", jwt: { role: "orders", serviceAccount: "orders-api", audiences: ["https://kubernetes.default.svc"] } },
      },
    });
    expectWiring(w.app, { path: "k8s/raw-auth", field: "manifest.spec.jwt.audiences[0]", value: "https://kubernetes.default.svc", rule: /is not bound by JWT role "orders" of auth\/jwt-aks \(bound: vault\).*permission denied/ });
    expectWiring(w.app, { path: "k8s/raw-auth", field: "manifest.spec.jwt.serviceAccount", value: "orders-api", rule: /presents a token of system:serviceaccount:orders:orders-api, but JWT role "orders" of auth\/jwt-aks binds system:serviceaccount:orders:orders-vault/ });
  });

  test("a VaultAuth deployed to a cluster whose issuer the JWT auth does not trust", () => {
    const w = world();
    const connection = operator(w, w.k8sB);
    new VsoVaultAuth(w.k8sB, "auth", { role: w.ordersRole, connection, createServiceAccount: true });
    expectWiring(w.app, { path: "k8s-b/auth", field: "role", value: "orders", rule: /auth\/jwt-aks \(vault-config\/jwt\) trusts service account tokens of cluster platform\/cluster-a, but this is deployed to cluster platform\/cluster-b.*issuer mismatch/ });
  });

  test("a VaultAuth logging in to another Vault namespace than the auth mount's", () => {
    const w = world();
    const connection = operator(w);
    new VsoVaultAuth(w.k8s, "auth", { role: w.ordersRole, connection, createServiceAccount: true, vaultNamespace: "admin/team" });
    expectWiring(w.app, { path: "k8s/auth", field: "vaultNamespace", value: "admin/team", rule: /auth\/jwt-aks \(vault-config\/jwt\) lives in Vault namespace "admin", but the login goes to namespace "admin\/team"/ });
  });

  test("a VaultConnection to another Vault than the one holding the role", () => {
    const w = world();
    const vso = new VaultSecretsOperator(w.k8s, "vso");
    const connection = new VsoVaultConnection(w.k8s, "connection", { operator: vso, address: "https://another-vault.example:8200" });
    new VsoVaultAuth(w.k8s, "auth", { role: w.ordersRole, connection, createServiceAccount: true });
    expectWiring(w.app, { path: "k8s/auth", field: "connection.address", value: "https://another-vault.example:8200", rule: /is not the Vault that holds auth\/jwt-aks/ });
  });

  test("a VaultAuth whose service account the app does not create", () => {
    const w = world();
    const connection = operator(w);
    new VsoVaultAuth(w.k8s, "auth", { role: w.ordersRole, connection });
    expectWiring(w.app, { path: "k8s/auth", field: "serviceAccount", value: "orders-vault", rule: /service account orders\/orders-vault is not created by this app.*createServiceAccount/ });
    new ServiceAccountV1(w.k8s, "orders-vault-sa", { metadata: { name: "orders-vault", namespace: "orders" } });
    expect(problems(w.app)).toEqual([]);
  });

  describe("the Vault CSI provider (strings only: role, mount, audience)", () => {
    const vaultClass = (w: World, provider: Partial<VaultProviderConfig>, serviceAccount = "orders-vault") => {
      const spc = new SecretProviderClass(w.k8s, "vault-csi", {
        name: "orders-vault",
        namespace: "orders",
        provider: { type: "vault", roleName: "orders", vaultAddress: VAULT_ADDRESS, vaultNamespace: "admin", vaultAuthMountPath: "jwt-aks", audience: "vault", objects: [{ objectName: "config", secretPath: "secret/data/orders/config" }], ...provider },
      });
      new ServiceAccountV1(w.k8s, "orders-vault-sa", { metadata: { name: "orders-vault", namespace: "orders" } });
      deployment(w.k8s, "orders-worker", "orders", "orders-vault", serviceAccount);
      return spc;
    };

    test("a matching class passes and is reported as a Vault path", () => {
      const w = world();
      vaultClass(w, {});
      expect(problems(w.app)).toEqual([]);
      expect(wiringReport(w.app).paths.find((p) => p.via === "SecretProviderClass orders/orders-vault")).toEqual(
        expect.objectContaining({ store: "vault", identityMode: "vault-jwt", workloads: ["Deployment orders/orders-worker"], serviceAccounts: ["orders/orders-vault"], secrets: ["secret/data/orders/config"], verified: true }),
      );
    });

    test("an audience the role does not bind, or none", () => {
      const w = world();
      vaultClass(w, { audience: "api://AzureADTokenExchange" });
      expectWiring(w.app, { path: "k8s/vault-csi", field: "provider.audience", value: "api://AzureADTokenExchange", rule: /is not bound by JWT role "orders" of auth\/jwt-aks \(bound: vault\)/ });
      const w2 = world();
      vaultClass(w2, { audience: undefined });
      expectWiring(w2.app, { path: "k8s/vault-csi", field: "provider.audience", value: undefined, rule: /is not set: the vault CSI provider then requests a token with the API server's default audience/ });
    });

    test("pods running as another service account than the role binds", () => {
      const w = world();
      vaultClass(w, {}, "orders-api");
      expectWiring(w.app, { path: "k8s/orders-worker", field: "spec.template.spec.service_account_name", value: "orders-api", rule: /runs as system:serviceaccount:orders:orders-api, but JWT role "orders" of auth\/jwt-aks binds system:serviceaccount:orders:orders-vault/ });
    });

    test("a role that does not exist, a path the role may not read, a mount that is not a JWT auth of the app", () => {
      const w = world();
      vaultClass(w, { roleName: "order", objects: [{ objectName: "config", secretPath: "secret/data/orders/config" }] });
      expectWiring(w.app, { path: "k8s/vault-csi", field: "provider.roleName", value: "order", rule: /is not a role of auth\/jwt-aks \(vault-config\/jwt; roles: orders\)/ });
      const w2 = world();
      vaultClass(w2, { objects: [{ objectName: "config", secretPath: "secret/orders/config" }] });
      expectWiring(w2.app, { path: "k8s/vault-csi", field: "provider.objects[0].secretPath", value: "secret/orders/config", rule: /is not readable by JWT role "orders" \(policy jwt-aks-orders-read reads secret\/data\/orders\/config\)/ });
      const w3 = world();
      vaultClass(w3, { vaultAuthMountPath: "kubernetes" });
      expectWiring(w3.app, { path: "k8s/vault-csi", field: "provider.vaultAuthMountPath", value: "kubernetes", rule: /is not the path of a VaultJwtAuth of this app/ });
    });
  });
});

describe("wiring checks: one Kubernetes object, or one Secret, made twice in a cluster", () => {
  const ordersClass = (scope: TerraformStack, id: string, name: string, syncInto?: string) =>
    new SecretProviderClass(scope, id, {
      name,
      namespace: "orders",
      provider: { type: "azure", keyVault: w0().keyVault, identity: { mode: "workloadIdentity", identity: w0().orders }, objects: [{ objectName: "orders-db-password" }] },
      secretObjects: syncInto ? [{ secretName: syncInto, data: [{ objectName: "orders-db-password", key: "password" }] }] : undefined,
    });
  let current: World;
  const w0 = () => current;
  const fresh = () => (current = world());
  /** The duplicate problems only (the classes here have no pods: other checks report on them too). */
  const duplicates = (app: App) => problems(app).filter((p) => /is also (created|written) by/.test(p.rule));

  test("two SecretProviderClasses of one namespace and name: reported on the second, naming the first; in two clusters they are two objects", () => {
    const w = fresh();
    ordersClass(w.k8s, "orders-kv", "orders-kv");
    ordersClass(w.k8sB, "orders-kv", "orders-kv"); // another cluster: no conflict
    expect(duplicates(w.app)).toEqual([]);
    const other = new ClusterStack(w.app, "k8s-more", { cluster: w.clusterA }); // another stack of cluster a
    ordersClass(other, "orders-kv-copy", "orders-kv");
    expect(duplicates(w.app)).toEqual([
      {
        path: "k8s-more/orders-kv-copy",
        field: "name",
        value: JSON.stringify("orders-kv"),
        rule: 'SecretProviderClass orders/orders-kv is also created by k8s/orders-kv in cluster platform/cluster-a: two Terraform resources for one Kubernetes object pass synth but collide at apply (the second create fails with "already exists", or one overwrites the other); give one of them another name (and mount it by that name), or create the object once',
      },
    ]);
    expect(wiringReport(w.app).problems.map((p) => p.path)).toContain("k8s-more/orders-kv-copy");
  });

  test("a hand-written SecretProviderClass manifest and a construct of the same name", () => {
    const w = fresh();
    new Manifest(w.k8s, "raw-spc", { manifest: { apiVersion: "secrets-store.csi.x-k8s.io/v1", kind: "SecretProviderClass", metadata: { name: "orders-kv", namespace: "orders" }, spec: { provider: "azure" } } });
    ordersClass(w.k8s, "orders-kv", "orders-kv");
    expect(duplicates(w.app).map((p) => [p.path, p.field, p.rule.split(":")[0]])).toEqual([["k8s/orders-kv", "name", "SecretProviderClass orders/orders-kv is also created by k8s/raw-spc in cluster platform/cluster-a"]]);
  });

  test("service accounts and namespaces: a WorkloadServiceAccount, a VaultAuth's own service account, ClusterStack.namespace in two stacks of one cluster", () => {
    const w = fresh();
    new WorkloadServiceAccount(w.k8s, "orders-sa", { identity: w.orders, namespace: "orders", name: "orders-vault" });
    const vso = new VaultSecretsOperator(w.k8s, "vso");
    const connection = new VsoVaultConnection(w.k8s, "connection", { operator: vso, address: VAULT_ADDRESS });
    new VsoVaultAuth(w.k8s, "vault-auth", { role: w.ordersRole, connection, createServiceAccount: true });
    w.k8s.namespace("orders");
    const more = new ClusterStack(w.app, "k8s-more", { cluster: w.clusterA });
    more.namespace("orders");
    w.k8sB.namespace("orders"); // another cluster
    expect(duplicates(w.app).map((p) => [p.path, p.field, p.value, p.rule.split(":")[0]])).toEqual([
      ["k8s/vault-auth", "serviceAccount", JSON.stringify("orders-vault"), "ServiceAccount orders/orders-vault is also created by k8s/orders-sa in cluster platform/cluster-a"],
      ["k8s-more/namespace-orders", "metadata.name", JSON.stringify("orders"), "Namespace orders is also created by k8s/namespace-orders in cluster platform/cluster-a"],
    ]);
  });

  test("a class and a VaultStaticSecret writing one Kubernetes Secret; a Secret resource of that name too", () => {
    const w = fresh();
    ordersClass(w.k8s, "orders-kv", "orders-kv", "orders-db");
    const vso = new VaultSecretsOperator(w.k8s, "vso");
    const connection = new VsoVaultConnection(w.k8s, "connection", { operator: vso, address: VAULT_ADDRESS });
    const auth = new VsoVaultAuth(w.k8s, "vault-auth", { role: w.ordersRole, connection, createServiceAccount: true });
    new VsoVaultStaticSecret(w.k8s, "orders-config", { auth, secret: { mount: "secret", path: "orders/config" }, destination: { name: "orders-db" } });
    new SecretV1(w.k8s, "raw-secret", { metadata: { name: "orders-db", namespace: "orders" } });
    expect(duplicates(w.app).map((p) => [p.path, p.field, p.value, p.rule.split(": two writers")[0]])).toEqual([
      ["k8s/orders-config", "destination.name", JSON.stringify("orders-db"), "Kubernetes Secret orders/orders-db of cluster platform/cluster-a is also written by SecretProviderClass orders/orders-kv (secretObjects) (k8s/orders-kv)"],
      ["k8s/raw-secret", "metadata.name", JSON.stringify("orders-db"), "Kubernetes Secret orders/orders-db of cluster platform/cluster-a is also written by SecretProviderClass orders/orders-kv (secretObjects) (k8s/orders-kv)"],
    ]);
    // A Secret of the same name in another namespace, or synced in another cluster, is another Secret.
    const w2 = fresh();
    ordersClass(w2.k8s, "orders-kv", "orders-kv", "orders-db");
    ordersClass(w2.k8sB, "orders-kv", "orders-kv", "orders-db");
    new SecretV1(w2.k8s, "raw-secret", { metadata: { name: "orders-db", namespace: "payments" } });
    expect(duplicates(w2.app)).toEqual([]);
  });

  test("two Secret resources of one name are one object made twice, reported once", () => {
    const w = fresh();
    new SecretV1(w.k8s, "a", { metadata: { name: "tls", namespace: "orders" }, type: "kubernetes.io/tls" });
    new SecretV1(w.k8s, "b", { metadata: { name: "tls", namespace: "orders" }, type: "kubernetes.io/tls" });
    expect(duplicates(w.app).map((p) => [p.path, p.field, p.rule.split(":")[0]])).toEqual([["k8s/b", "metadata.name", "Secret orders/tls is also created by k8s/a in cluster platform/cluster-a"]]);
  });

  test("without a declared cluster: objects through one provider of one stack collide, objects of two such stacks may be in two clusters", () => {
    const w = fresh();
    const plain = (id: string) => {
      const s = new TerraformStack(w.app, id);
      new KubernetesProvider(s, "kubernetes", {});
      return s;
    };
    const a = plain("apps-a");
    const b = plain("apps-b");
    new ServiceAccountV1(a, "sa", { metadata: { name: "batch", namespace: "jobs" } });
    new ServiceAccountV1(b, "sa", { metadata: { name: "batch", namespace: "jobs" } });
    expect(duplicates(w.app)).toEqual([]);
    new ServiceAccountV1(a, "sa-again", { metadata: { name: "batch", namespace: "jobs" } });
    const aliased = new KubernetesProvider(a, "kubernetes-other", { alias: "other" });
    new ServiceAccountV1(a, "sa-other-cluster", { provider: aliased, metadata: { name: "batch", namespace: "jobs" } });
    expect(duplicates(w.app).map((p) => [p.path, p.field, p.rule.split(":")[0]])).toEqual([["apps-a/sa-again", "metadata.name", "ServiceAccount jobs/batch is also created by apps-a/sa"]]);
  });
});

describe("wiring checks: clusters outside a ClusterStack, performance", () => {
  test("declareClusterScope places a scope on a cluster", () => {
    const w = world();
    const own = new TerraformStack(w.app, "own-k8s");
    declareClusterScope(own, w.clusterB);
    const spc = azureClass(own, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    new ServiceAccountV1(own, "sa", { metadata: { name: "orders-api", namespace: "orders", annotations: { "azure.workload.identity/client-id": w.orders.clientId } } });
    expectWiring(w.app, { path: "own-k8s/orders-kv", field: "podSecrets.serviceAccount", value: "orders/orders-api", rule: /deployed to cluster platform\/cluster-b, but WorkloadIdentity platform\/orders trusts system:serviceaccount:orders:orders-api only from cluster platform\/cluster-a/ });
  });

  test("a ClusterStack declares its cluster with declareClusterScope: a cluster given by name is matched with the AksCluster of that name", () => {
    const ordersClass = (scope: TerraformStack) => {
      const spc = azureClass(scope, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-password" }] });
      new PodSecretsMount(spc, { serviceAccount: "orders-api" });
      new ServiceAccountV1(scope, "sa", { metadata: { name: "orders-api", namespace: "orders", annotations: { "azure.workload.identity/client-id": w.orders.clientId } } });
    };
    let w = world();
    // The same cluster as platform/cluster-a (aks-cluster-a in rg-wiring), given by name: the orders identity trusts it.
    ordersClass(new ClusterStack(w.app, "by-name", { cluster: { name: "aks-cluster-a", resourceGroupName: "rg-wiring" } }));
    expect(problems(w.app)).toEqual([]);
    // Another cluster by name: the identity trusts cluster-a only.
    w = world();
    ordersClass(new ClusterStack(w.app, "by-name", { cluster: { name: "aks-legacy", resourceGroupName: "rg-wiring" } }));
    expectWiring(w.app, {
      path: "by-name/orders-kv",
      field: "podSecrets.serviceAccount",
      value: "orders/orders-api",
      rule: /deployed to cluster rg-wiring\/aks-legacy, but WorkloadIdentity platform\/orders trusts system:serviceaccount:orders:orders-api only from cluster platform\/cluster-a/,
    });
  });

  test("a stack is placed on a cluster by its declaration, not by looking like a ClusterStack", () => {
    const w = world();
    // The shape the checks used to recognise (aksCluster and cluster attributes), without a declaration.
    class LookAlike extends TerraformStack {
      readonly aksCluster = w.clusterB;
      readonly cluster = { name: w.clusterB.name, resourceGroupName: w.clusterB.resourceGroupName, oidcIssuerUrl: w.clusterB.oidcIssuerUrl };
    }
    const look = new LookAlike(w.app, "look-alike");
    new KubernetesProvider(look, "kubernetes", {});
    const spc = azureClass(look, "orders-kv", "orders", { keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.orders }, objects: [{ objectName: "orders-db-password" }] });
    new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    new ServiceAccountV1(look, "sa", { metadata: { name: "orders-api", namespace: "orders", annotations: { "azure.workload.identity/client-id": w.orders.clientId } } });
    expect(problems(w.app)).toEqual([]);
    expect(wiringReport(w.app).paths.find((p) => p.viaPath === "look-alike/orders-kv")?.cluster).toBeUndefined();
    // Declared, the same stack is on cluster-b, which the orders identity does not trust.
    declareClusterScope(look, w.clusterB);
    expectWiring(w.app, { path: "look-alike/orders-kv", field: "podSecrets.serviceAccount", value: "orders/orders-api", rule: /deployed to cluster platform\/cluster-b/ });
  });

  test("a workload in a stack that names no cluster is still matched with the class by namespace and name", () => {
    const w = world();
    const binding = bindOrders(w);
    const apps = new TerraformStack(w.app, "apps");
    new KubernetesProvider(apps, "kubernetes", {});
    deployment(apps, "orders-api", "orders", binding.secretProviderClass.name, "orders-api");
    expect(problems(w.app)).toEqual([]);
    deployment(apps, "orders-batch", "orders", binding.secretProviderClass.name);
    expectWiring(w.app, { path: "apps/orders-batch", field: "spec.template.spec.service_account_name", value: "default", rule: /Deployment orders\/orders-batch, mounting SecretProviderClass orders\/orders-api-kv, runs as system:serviceaccount:orders:default, but WorkloadIdentity platform\/orders has no federated credential/ });
  });

  test("workloads written as raw manifests (a CronJob) are followed too", () => {
    const w = world();
    const binding = bindOrders(w);
    new Manifest(w.k8s, "nightly", {
      manifest: {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "nightly", namespace: "orders" },
        spec: {
          schedule: "0 2 * * *",
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  serviceAccountName: "orders-batch",
                  restartPolicy: "Never",
                  containers: [{ name: "job", image: "busybox" }],
                  volumes: [{ name: "kv", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: binding.secretProviderClass.name } } }],
                },
              },
            },
          },
        },
      },
    });
    expectWiring(w.app, {
      path: "k8s/nightly",
      field: "manifest.spec.jobTemplate.spec.template.spec.serviceAccountName",
      value: "orders-batch",
      rule: /CronJob orders\/nightly, mounting SecretProviderClass orders\/orders-api-kv, runs as system:serviceaccount:orders:orders-batch, but WorkloadIdentity platform\/orders has no federated credential/,
    });
  });

  test("one analysis per validation pass: whole-tree walks do not grow with the number of workloads", () => {
    // Structural, not timed (speed is measured by bench/scale.mjs): count the walks over the
    // whole tree that one validateTree makes, for 5 and for 50 workloads.
    const walksFor = (n: number) => {
      const w = world();
      for (let i = 0; i < n; i++) {
        const b = new KeyVaultWorkloadBinding(w.platform, w.k8s, `w${i}`, { cluster: w.clusterA, keyVault: w.keyVault, namespace: `ns${i}`, serviceAccountName: "app", secrets: ["orders-db-user"], resourceGroupName: "rg-wiring", location: "westeurope" });
        deployment(w.k8s, `app${i}`, `ns${i}`, b.secretProviderClass.name, "app");
      }
      applyWiringChecks(w.app);
      const spy = jest.spyOn(w.app.node, "findAll");
      validateTree(w.app);
      const walks = spy.mock.calls.length;
      spy.mockRestore();
      return walks;
    };
    const small = walksFor(5);
    expect(small).toBeGreaterThan(0);
    expect(walksFor(50)).toBe(small);
  });
});

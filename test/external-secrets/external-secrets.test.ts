import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { KeyVault } from "../../constructs/azure/key-vault";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { AksIdentityBinding } from "../../constructs/azure/aks-identity-binding";
import { IdentityBindingClusterRole } from "../../constructs/kubernetes/identity-binding-role";
import { EsoClusterSecretStore, EsoExternalSecret, EsoSecretStore, ESO_CHART_VERSION, ExternalSecretsOperator } from "../../constructs/external-secrets";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { VaultJwtAuth } from "../../constructs/vault/vault-jwt-auth";
import { validateTree } from "../../core/validation";
import { CONFORMANCE, expectProblem, expectProblems, only, resources, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
const VAULT_ADDR = "https://vault-private.example.hashicorp.cloud:8200";

/**
 * Four stacks as a real app has them: Azure (cluster, vault, identity), Vault (JWT auth), the
 * cluster (operator, service accounts) and a later stack for the ESO resources (their CRDs must
 * exist at plan time).
 */
function world(opts: { authorization?: "rbac" | "accessPolicy" } = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "eso-"));
  const app = new App({ outdir, stackTraces: false });
  const azure = new TerraformStack(app, "platform");
  new AzurermProvider(azure, "azurerm", { features: [{}] });
  const cluster = new AksCluster(azure, "cluster", { name: "aks-a", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
  const keyVault = new KeyVault(azure, "vault", { name: "kv-orders-01", resourceGroupName: "rg", location: "westeurope", tenantId: TENANT, secrets: ["orders-db-user", "orders-db-password", "orders-tls"], authorization: opts.authorization ?? "rbac" });
  const identity = new WorkloadIdentity(azure, "orders-eso", { name: "id-orders-eso", resourceGroupName: "rg", location: "westeurope", issuer: cluster });
  const vaultStack = new TerraformStack(app, "vault-config");
  new VaultProvider(vaultStack, "vault", { address: VAULT_ADDR, namespace: "admin" });
  const jwt = new VaultJwtAuth(vaultStack, "jwt", { issuer: cluster });
  const k8s = new TerraformStack(app, "cluster");
  new KubernetesProvider(k8s, "kubernetes", {});
  new HelmProvider(k8s, "helm", {});
  const operator = new ExternalSecretsOperator(k8s, "eso");
  const later = new TerraformStack(app, "cluster-eso");
  new KubernetesProvider(later, "kubernetes", {});
  return { app, outdir, azure, cluster, keyVault, identity, jwt, k8s, operator, later };
}

type World = ReturnType<typeof world>;

/** The orders team's store: its own service account, federated with its own identity. */
function azureStore(w: World, opts: { annotateTenantId?: boolean } = {}) {
  w.identity.addServiceAccount({ namespace: "orders", name: "orders-eso" });
  const sa = new WorkloadServiceAccount(w.k8s, "orders-eso", { identity: w.identity, namespace: "orders", name: "orders-eso", cluster: w.cluster, annotateTenantId: opts.annotateTenantId });
  return new EsoSecretStore(w.later, "orders-store", { operator: w.operator, name: "orders-kv", namespace: "orders", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "serviceAccount", serviceAccount: sa } } });
}

function synthAll(w: World): Record<string, TfJson> {
  validateTree(w.app);
  w.app.synth();
  const out: Record<string, TfJson> = {};
  for (const s of fs.readdirSync(path.join(w.outdir, "stacks"))) out[s] = JSON.parse(fs.readFileSync(path.join(w.outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  return out;
}

const kinds = (tf: TfJson) => Object.fromEntries(Object.values(resources(tf, "kubernetes_manifest")).map((m: any) => [`${m.manifest.kind}/${m.manifest.metadata.name}`, m.manifest]));
/** The conformance check's summary; every manifest of the ESO stack is of a kind it knows (none "not checked"). */
const conform = (outdir: string) => {
  const out = execFileSync(process.execPath, [CONFORMANCE, outdir], { encoding: "utf8" });
  expect(out).not.toMatch(/cluster-eso: .*not checked/);
  return out;
};

describe("the operator", () => {
  test("is installed with Helm at the pinned chart, with its CRDs, a fixed service account name and token requests allowed", () => {
    const w = world();
    const release = only(synthAll(w).cluster, "helm_release");
    expect(release).toMatchObject({ name: "external-secrets", repository: "https://charts.external-secrets.io", chart: "external-secrets", version: ESO_CHART_VERSION, namespace: "external-secrets", create_namespace: true, atomic: true, wait: true });
    expect(ESO_CHART_VERSION).toBe("2.9.0");
    expect(parse(release.values[0])).toEqual({ installCRDs: true, serviceAccount: { create: true, name: "external-secrets" }, rbac: { create: true, serviceAccountTokenCreate: true } });
  });
});

describe("Azure Key Vault with workload identity", () => {
  test("a SecretStore that references the team's federated service account, and ExternalSecrets for named keys and for every secret", () => {
    const w = world();
    const store = azureStore(w);
    w.keyVault.grantSecretRead(w.identity, { list: { reason: "the orders team syncs its whole vault into one Secret" } });
    new EsoExternalSecret(w.later, "db", { store, name: "orders-db", data: [{ secretKey: "username", remoteKey: "orders-db-user" }, { secretKey: "password", remoteKey: "orders-db-password" }], refreshInterval: "15m" });
    new EsoExternalSecret(w.later, "all", { store, name: "orders-all", dataFrom: { all: true } });
    const stacks = synthAll(w);
    const m = kinds(stacks["cluster-eso"]);
    expect(m["SecretStore/orders-kv"]).toEqual({
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: "orders-kv", namespace: "orders" },
      spec: { provider: { azurekv: { authType: "WorkloadIdentity", vaultUrl: expect.stringMatching(/^\$\{data\.terraform_remote_state\./), tenantId: TENANT, serviceAccountRef: { name: "orders-eso" } } } },
    });
    expect(m["ExternalSecret/orders-db"].spec).toEqual({
      refreshInterval: "15m",
      secretStoreRef: { name: "orders-kv", kind: "SecretStore" },
      target: { name: "orders-db", creationPolicy: "Owner", deletionPolicy: "Retain" },
      data: [
        { secretKey: "username", remoteRef: { key: "orders-db-user" } },
        { secretKey: "password", remoteRef: { key: "orders-db-password" } },
      ],
    });
    expect(m["ExternalSecret/orders-all"].spec.dataFrom).toEqual([{ find: { name: { regexp: ".*" } } }]);
    expect(m["ExternalSecret/orders-all"].spec.refreshInterval).toBe("1h");
    // The ESO stack waits for the operator's (CRDs at plan time); no client secret anywhere.
    expect(JSON.stringify(stacks["cluster-eso"])).not.toMatch(/clientSecret|authSecretRef/);
    expect(conform(w.outdir)).toMatch(/conformance: (\d+) of \1 manifests conform/);
  });

  test("a service account that annotates its tenant keeps the tenant out of the store (ESO refuses both)", () => {
    const w = world();
    const store = azureStore(w, { annotateTenantId: true });
    w.keyVault.grantSecretRead(w.identity, { secrets: ["orders-db-user"] });
    new EsoExternalSecret(w.later, "db", { store, name: "orders-db", data: [{ secretKey: "username", remoteKey: "orders-db-user" }] });
    expect(kinds(synthAll(w)["cluster-eso"])["SecretStore/orders-kv"].spec.provider.azurekv.tenantId).toBeUndefined();
  });

  test("wiring: a key the store's identity has no grant on is refused (the operator would get 403)", () => {
    const w = world();
    const store = azureStore(w);
    w.keyVault.grantSecretRead(w.identity, { secrets: ["orders-db-user"] });
    new EsoExternalSecret(w.later, "db", { store, name: "orders-db", data: [{ secretKey: "password", remoteKey: "orders-db-password" }] });
    expectProblem(() => validateTree(w.app), { path: "cluster-eso/db", field: "data[0].remoteKey", value: "orders-db-password", rule: /is not readable by the identity platform\/orders-eso of store orders-kv/ });
  });

  test("wiring: every secret of the vault needs a grant that lists (access policy List, with a reason)", () => {
    const w = world({ authorization: "accessPolicy" });
    const store = azureStore(w);
    w.keyVault.grantSecretRead(w.identity);
    new EsoExternalSecret(w.later, "all", { store, name: "orders-all", dataFrom: { all: true } });
    expectProblem(() => validateTree(w.app), { field: "dataFrom", rule: /cannot list every secret .*list: \{ reason \}/ });
    w.keyVault.grantSecretRead(w.identity, { list: { reason: "the orders team syncs its whole vault into one Secret" } });
    const policy = only(synthAll(w).platform, "azurerm_key_vault_access_policy");
    expect(policy.secret_permissions).toEqual(["Get", "List"]);
  });

  test("wiring: the identity must trust the store's service account (else AADSTS700213)", () => {
    const w = world();
    const sa = new WorkloadServiceAccount(w.k8s, "orders-eso", { identity: w.identity, namespace: "orders", name: "orders-eso", cluster: w.cluster });
    new EsoSecretStore(w.later, "store", { operator: w.operator, name: "orders-kv", namespace: "orders", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "serviceAccount", serviceAccount: sa } } });
    expectProblem(() => validateTree(w.app), { path: "cluster/orders-eso", field: "identity", rule: /has no federated credential for system:serviceaccount:orders:orders-eso/ });
  });

  test("a store's service account must be in its namespace, and must not rely on an identity binding", () => {
    const w = world();
    const binding = new AksIdentityBinding(w.azure, "binding", { cluster: w.cluster, identity: w.identity });
    const role = new IdentityBindingClusterRole(w.k8s, "role", { binding });
    const bound = new WorkloadServiceAccount(w.k8s, "bound", { identity: w.identity, namespace: "orders", name: "bound", identityBinding: role });
    expectProblem(
      () => new EsoSecretStore(w.later, "bound-store", { operator: w.operator, name: "bound", namespace: "orders", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "serviceAccount", serviceAccount: bound } } }),
      { field: "provider.auth.serviceAccount", value: "orders/bound", rule: /uses an AKS identity binding, which the External Secrets Operator does not support/ },
    );
    w.identity.addServiceAccount({ namespace: "billing", name: "eso" });
    const sa = new WorkloadServiceAccount(w.k8s, "billing-eso", { identity: w.identity, namespace: "billing", name: "eso" });
    expectProblem(
      () => new EsoSecretStore(w.later, "store", { operator: w.operator, name: "orders-kv", namespace: "orders", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "serviceAccount", serviceAccount: sa } } }),
      { field: "provider.auth.serviceAccount", value: "billing/eso", rule: /must be in the store's namespace "orders"/ },
    );
  });

  test("ESO resources in the operator's own stack are refused (their CRDs do not exist at the first plan)", () => {
    const w = world();
    w.identity.addServiceAccount({ namespace: "orders", name: "orders-eso" });
    const sa = new WorkloadServiceAccount(w.k8s, "orders-eso", { identity: w.identity, namespace: "orders", name: "orders-eso" });
    new EsoSecretStore(w.k8s, "store", { operator: w.operator, name: "orders-kv", namespace: "orders", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "serviceAccount", serviceAccount: sa } } });
    expectProblem(() => validateTree(w.app), { path: "cluster/store", field: "operator", rule: /is in the same stack .* needs the operator's CRDs at plan time/ });
  });

  test("a ClusterSecretStore on the operator's own identity: only listed namespaces, and the identity must trust the operator", () => {
    const w = world();
    const operator = new ExternalSecretsOperator(w.k8s, "eso-wi", { namespace: "eso-wi", releaseName: "eso-wi", workloadIdentity: w.identity });
    const store = new EsoClusterSecretStore(w.later, "shared", { operator, name: "shared-kv", allowedNamespaces: ["orders", "billing"], provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "operator" } } });
    w.keyVault.grantSecretRead(w.identity, { secrets: ["orders-tls"] });
    new EsoExternalSecret(w.later, "tls", { store, name: "orders-tls", namespace: "orders", target: { type: "kubernetes.io/tls" }, data: [{ secretKey: "tls.crt", remoteKey: "orders-tls" }, { secretKey: "tls.key", remoteKey: "orders-tls" }] });
    expectProblem(() => validateTree(w.app), { path: "cluster/eso-wi", field: "workloadIdentity", rule: /no federated credential for the operator's service account system:serviceaccount:eso-wi:external-secrets/ });
    w.identity.addServiceAccount({ namespace: "eso-wi", name: "external-secrets" });
    const stacks = synthAll(w);
    const release = Object.values(resources(stacks.cluster, "helm_release")).find((r: any) => r.name === "eso-wi") as any;
    expect(parse(release.values[0])).toMatchObject({ serviceAccount: { name: "external-secrets", annotations: { "azure.workload.identity/client-id": expect.stringMatching(/client_id\}$/) } }, podLabels: { "azure.workload.identity/use": "true" } });
    const m = kinds(stacks["cluster-eso"]);
    expect(m["ClusterSecretStore/shared-kv"].spec).toEqual({ provider: { azurekv: { authType: "WorkloadIdentity", vaultUrl: expect.any(String) } }, conditions: [{ namespaces: ["orders", "billing"] }] });
    expect(m["ExternalSecret/orders-tls"].spec.target).toEqual({ name: "orders-tls", creationPolicy: "Owner", deletionPolicy: "Retain", template: { type: "kubernetes.io/tls" } });
    expect(conform(w.outdir)).toMatch(/conformance: (\d+) of \1 manifests conform/);
  });

  test("a ClusterSecretStore refuses namespaces it does not list, and a namespaced store the operator's identity", () => {
    const w = world();
    const operator = new ExternalSecretsOperator(w.k8s, "eso-wi", { namespace: "eso-wi", releaseName: "eso-wi", workloadIdentity: w.identity });
    const store = new EsoClusterSecretStore(w.later, "shared", { operator, name: "shared-kv", allowedNamespaces: ["orders"], provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "operator" } } });
    expectProblem(() => new EsoExternalSecret(w.later, "x", { store, name: "x", namespace: "billing", data: [{ secretKey: "a", remoteKey: "orders-tls" }] }), { field: "namespace", value: "billing", rule: /may not use ClusterSecretStore shared-kv/ });
    expectProblem(() => new EsoSecretStore(w.later, "ns", { operator, name: "ns-kv", namespace: "orders", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "operator" } } }), { field: "provider.auth.mode", value: "operator", rule: /only for a ClusterSecretStore/ });
    expectProblem(() => new EsoClusterSecretStore(w.later, "open", { operator, name: "open", provider: { type: "azureKeyVault", keyVault: w.keyVault, auth: { mode: "operator" } } }), { field: "allowedNamespaces", rule: /must list the namespaces/ });
  });
});

describe("Vault with JWT auth", () => {
  function vaultWorld() {
    const w = world();
    const role = w.jwt.addRole({ name: "orders-eso", namespace: "orders", serviceAccountName: "orders-eso", secrets: [{ mount: "secret", path: "orders/db" }], secretPrefixes: [{ mount: "secret", path: "orders/shared" }] });
    const store = new EsoSecretStore(w.later, "store", { operator: w.operator, name: "orders-vault", namespace: "orders", provider: { type: "vault", server: VAULT_ADDR, mount: "secret", role, createServiceAccount: true } });
    return { ...w, role, store };
  }

  test("the store is built from the JWT role (mount, role, service account, audience), and reads named paths and a whole folder", () => {
    const w = vaultWorld();
    new EsoExternalSecret(w.later, "db", { store: w.store, name: "orders-db", data: [{ secretKey: "password", remoteKey: "orders/db", property: "password" }] });
    new EsoExternalSecret(w.later, "shared", { store: w.store, name: "orders-shared", dataFrom: { path: "orders/shared" } });
    const stacks = synthAll(w);
    const m = kinds(stacks["cluster-eso"]);
    expect(m["SecretStore/orders-vault"].spec).toEqual({
      provider: { vault: { server: VAULT_ADDR, path: "secret", version: "v2", namespace: "admin", auth: { jwt: { path: "jwt-aks", role: "orders-eso", kubernetesServiceAccountToken: { serviceAccountRef: { name: "orders-eso" } } } } } },
    });
    expect(m["ExternalSecret/orders-db"].spec.data).toEqual([{ secretKey: "password", remoteRef: { key: "orders/db", property: "password" } }]);
    expect(m["ExternalSecret/orders-shared"].spec.dataFrom).toEqual([{ find: { path: "orders/shared", name: { regexp: ".*" } } }]);
    // The role's policy lists and reads the folder (ESO's find LISTs MOUNT/metadata/PATH/).
    const policy = Object.values(resources(stacks["vault-config"], "vault_policy")).find((p: any) => p.name.includes("orders-eso")) as any;
    expect(policy.policy).toContain('path "secret/metadata/orders/shared/*" {\n  capabilities = ["list"]\n}');
    expect(policy.policy).toContain('path "secret/data/orders/shared/*" {\n  capabilities = ["read"]\n}');
    expect(only(stacks["cluster-eso"], "kubernetes_service_account_v1").metadata).toMatchObject({ name: "orders-eso", namespace: "orders" });
    expect(conform(w.outdir)).toMatch(/conformance: (\d+) of \1 manifests conform/);
  });

  test("dataFrom of the wrong type is named against the variant it resembles ({ path } or { all: true }), an empty one against both", () => {
    const w = vaultWorld();
    const ps = (dataFrom: unknown) => expectProblems(() => new EsoExternalSecret(w.later, `es-${JSON.stringify(dataFrom).length}`, { store: w.store, name: "orders-x", dataFrom: dataFrom as any }));
    expect(ps({ path: 5 }).map((p) => [p.field, p.rule])).toEqual([["dataFrom.path", "must be a string"]]);
    expect(ps({}).map((p) => [p.field, p.rule])).toEqual([
      ["dataFrom.all", "is required: true (or give an object { path } instead)"],
      ["dataFrom.path", "is required: a string (or give an object { all: true } instead)"],
    ]);
  });

  test("wiring: a path the role may not read, or a folder it may not list, is refused (403 from Vault)", () => {
    const w = vaultWorld();
    new EsoExternalSecret(w.later, "other", { store: w.store, name: "orders-other", data: [{ secretKey: "x", remoteKey: "billing/db" }] });
    new EsoExternalSecret(w.later, "all", { store: w.store, name: "orders-all", dataFrom: { path: "orders" } });
    expectProblem(() => validateTree(w.app), { path: "cluster-eso/other", field: "data[0].remoteKey", value: "billing/db", rule: /is not readable by JWT role "orders-eso"/ });
    expectProblem(() => validateTree(w.app), { path: "cluster-eso/all", field: "dataFrom", rule: /cannot list every secret .*secretPrefixes/ });
  });

  test("wiring: the audience must be bound by the role, and the store must be in the role's namespace", () => {
    const w = vaultWorld();
    expectProblem(() => new EsoSecretStore(w.later, "aud", { operator: w.operator, name: "x", namespace: "orders", provider: { type: "vault", server: VAULT_ADDR, mount: "secret", role: w.role, audience: "api://AzureADTokenExchange" } }), {
      field: "provider.audience",
      rule: /is not bound by JWT role "orders-eso"/,
    });
    expectProblem(() => new EsoSecretStore(w.later, "ns", { operator: w.operator, name: "x", namespace: "billing", provider: { type: "vault", server: VAULT_ADDR, mount: "secret", role: w.role } }), {
      field: "namespace",
      value: "billing",
      rule: /must be "orders", the namespace of the service account JWT role "orders-eso" binds/,
    });
  });

  test("a non-default audience is requested explicitly; in a ClusterSecretStore the service account's namespace is named", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "ops", namespace: "ops", serviceAccountName: "ops-eso", audiences: ["vault-ops"], secrets: [{ mount: "secret", path: "ops/config" }] });
    new EsoClusterSecretStore(w.later, "ops", { operator: w.operator, name: "ops-vault", allowedNamespaces: ["ops"], provider: { type: "vault", server: VAULT_ADDR, mount: "secret", role } });
    const spec = kinds(synthAll(w)["cluster-eso"])["ClusterSecretStore/ops-vault"].spec;
    expect(spec.provider.vault.auth.jwt.kubernetesServiceAccountToken).toEqual({ serviceAccountRef: { name: "ops-eso", namespace: "ops", audiences: ["vault-ops"] } });
  });

  test("refresh interval, names and data are typed", () => {
    const w = vaultWorld();
    expectProblem(() => new EsoExternalSecret(w.later, "a", { store: w.store, name: "a", refreshInterval: "5s", data: [{ secretKey: "x", remoteKey: "orders/db" }] }), { field: "refreshInterval", value: "5s", rule: /from 30s to 24h/ });
    expectProblem(() => new EsoExternalSecret(w.later, "b", { store: w.store, name: "b", refreshInterval: "daily", data: [{ secretKey: "x", remoteKey: "orders/db" }] }), { field: "refreshInterval", value: "daily", rule: /Go duration/ });
    expectProblem(() => new EsoExternalSecret(w.later, "c", { store: w.store, name: "c" }), { field: "data", rule: /at least one key/ });
    expectProblem(() => new EsoExternalSecret(w.later, "d", { store: w.store, name: "d", namespace: "billing", data: [{ secretKey: "x", remoteKey: "orders/db" }] }), { field: "namespace", value: "billing", rule: /SecretStore serves ExternalSecrets of its own namespace only/ });
  });
});

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App, Testing, TerraformOutput, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { AzapiProvider, AzapiResource, AZAPI_PROVIDER_VERSION } from "../../constructs/azure/azapi";
import { AksIdentityBinding, defaultBindingName, identityBindingName, IDENTITY_BINDING_API_VERSION } from "../../constructs/azure/aks-identity-binding";
import { KeyVault } from "../../constructs/azure/key-vault";
import { IDENTITY_BINDING_CREDENTIAL_NAME, WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { KeyVaultWorkloadBinding } from "../../constructs/bindings/key-vault-workload-binding";
import { IdentityBindingClusterRole } from "../../constructs/kubernetes/identity-binding-role";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { validateTree } from "../../core/validation";
import { applyWiringChecks } from "../../verify/wiring";
import { ClusterStack } from "../../stacks/cluster-stack";
import { PlatformStack } from "../../stacks/platform-stack";
import { CONFORMANCE, expectProblem, expectProblems, only, resources, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";

/** A stack with azurerm, kubernetes and (unless told otherwise) azapi, a cluster, a vault and a shared identity. */
function world(opts: { azapi?: boolean } = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  new KubernetesProvider(stack, "kubernetes", {});
  if (opts.azapi !== false) new AzapiProvider(stack, "azapi");
  const cluster = new AksCluster(stack, "cluster", { name: "aks-a", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
  const vault = new KeyVault(stack, "vault", { name: "kv-shared-01", resourceGroupName: "rg", location: "westeurope", tenantId: TENANT, secrets: ["team-db"] });
  const identity = new WorkloadIdentity(stack, "shared", { name: "id-shared", resourceGroupName: "rg", location: "westeurope", issuer: cluster });
  return { stack, cluster, vault, identity };
}

const synthOf = (stack: TerraformStack): TfJson => JSON.parse(Testing.synth(stack, true));

describe("the azapi layer", () => {
  test("a stack with the provider requires azure/azapi at the pinned version and configures it", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AzapiProvider(stack, "azapi", { subscriptionId: "00000000-0000-0000-0000-000000000000", useOidc: true });
    const tf = synthOf(stack);
    expect(tf.terraform.required_providers.azapi).toEqual({ source: "azure/azapi", version: AZAPI_PROVIDER_VERSION });
    expect(AZAPI_PROVIDER_VERSION).toBe("2.12.0");
    expect(tf.provider!.azapi).toEqual([{ subscription_id: "00000000-0000-0000-0000-000000000000", use_oidc: true }]);
  });

  test("an azapi_resource without the provider in its stack fails synth (Terraform would look for hashicorp/azapi)", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AzapiResource(stack, "r", { resourceType: "Microsoft.Resources/resourceGroups", apiVersion: "2024-03-01", name: "rg", parentId: "/subscriptions/00000000-0000-0000-0000-000000000000", body: {} });
    expectProblem(() => validateTree(stack.node.root), { field: "provider", value: "stack test", rule: /needs the azapi provider in its stack/ });
  });

  test("the body is written as an object (azapi 2.x refuses a string) with schema validation on", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AzapiProvider(stack, "azapi");
    new AzapiResource(stack, "r", { resourceType: "Microsoft.Resources/resourceGroups", apiVersion: "2024-03-01", name: "rg", parentId: "/subscriptions/00000000-0000-0000-0000-000000000000", body: { location: "westeurope" } });
    const r = only(synthOf(stack), "azapi_resource");
    expect(r).toMatchObject({ type: "Microsoft.Resources/resourceGroups@2024-03-01", name: "rg", schema_validation_enabled: true, body: { location: "westeurope" } });
  });

  test("bad type, API version, parent and body are refused", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const problems = expectProblems(() => new AzapiResource(stack, "r", { resourceType: "containerservice", apiVersion: "latest", name: "x", parentId: "rg", body: {} }));
    expect(problems.map((p) => p.field).sort()).toEqual(["apiVersion", "parentId", "resourceType"]);
    // a JSON string body (azapi 2.x refuses it) is a type error: the props check answers first
    const body = expectProblems(() => new AzapiResource(stack, "s", { resourceType: "Microsoft.ContainerService/managedClusters/identityBindings", apiVersion: "2026-05-01", name: "x", parentId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg", body: "{}" as any }));
    expect(body.map((p) => [p.field, p.rule])).toEqual([["body", "must be an object of named values"]]);
  });
});

describe("AksIdentityBinding (Azure side)", () => {
  test("writes the identity binding through azapi: type@2026-05-01, the cluster as parent, the identity's resource ID in the body", () => {
    const { stack, cluster, identity } = world();
    new AksIdentityBinding(stack, "binding", { cluster, identity });
    const tf = synthOf(stack);
    const r = only(tf, "azapi_resource");
    expect(IDENTITY_BINDING_API_VERSION).toBe("2026-05-01");
    expect(r.type).toBe("Microsoft.ContainerService/managedClusters/identityBindings@2026-05-01");
    expect(r.parent_id).toMatch(/^\$\{azurerm_kubernetes_cluster\.cluster_\w+\.id\}$/);
    expect(r.body).toEqual({ properties: { managedIdentity: { resourceId: expect.stringMatching(/^\$\{azurerm_user_assigned_identity\.shared_identity_\w+\.id\}$/) } } });
    expect(r.response_export_values).toEqual(["properties.oidcIssuer.oidcIssuerUrl"]);
    expect(r.name).toBe(defaultBindingName("id-shared"));
    expect(r.name).toMatch(/^idshared[0-9a-f]{8}$/);
  });

  test("the issuer AKS federates the identity with is exported from the response", () => {
    const { stack, cluster, identity } = world();
    const b = new AksIdentityBinding(stack, "binding", { cluster, identity });
    new TerraformOutput(stack, "issuer", { value: b.oidcIssuerUrl });
    expect(synthOf(stack).output!.issuer.value).toMatch(/^\$\{azapi_resource\.binding_\w+\.output\.properties\.oidcIssuer\.oidcIssuerUrl\}$/);
  });

  test("every valid identity name gives a valid, distinct binding name", () => {
    const names = ["id-orders", "id_orders", "ID-Orders", "1abc", "abc", "a".repeat(128), `x-${"b".repeat(120)}`, "id-a-b", "id-ab", "idab", "id__a"];
    const derived = names.map(defaultBindingName);
    for (const d of derived) expect(identityBindingName.test(d)).toBe(true);
    expect(new Set(derived).size).toBe(names.length);
    expect(defaultBindingName("idab")).toBe("idab");
  });

  test("an explicit name outside the API's pattern is refused", () => {
    const { stack, cluster, identity } = world();
    expectProblem(() => new AksIdentityBinding(stack, "binding", { cluster, identity, name: "orders-binding" }), { field: "name", value: "orders-binding", rule: /lowercase letters and digits, starting with a letter/ });
  });

  test("the binding waits for the identity's credential writes and later credentials wait for it (Azure refuses concurrent ones)", () => {
    const { stack, cluster, identity } = world();
    identity.addServiceAccount({ namespace: "a", name: "app" });
    new AksIdentityBinding(stack, "binding", { cluster, identity });
    identity.addServiceAccount({ namespace: "b", name: "app" });
    const tf = synthOf(stack);
    const creds = resources(tf, "azurerm_federated_identity_credential");
    const key = (name: string) => Object.keys(creds).find((k) => creds[k].name === name)!;
    const binding = only(tf, "azapi_resource");
    const bindingKey = Object.keys(resources(tf, "azapi_resource"))[0];
    expect(binding.depends_on).toEqual([`azurerm_federated_identity_credential.${key("a-app")}`]);
    expect(creds[key("b-app")].depends_on).toEqual([`azapi_resource.${bindingKey}`]);
  });

  test("the AKS-managed credential counts: an identity with 20 credentials cannot be bound", () => {
    const { stack, cluster, identity } = world();
    for (let i = 0; i < 20; i++) identity.addServiceAccount({ namespace: `ns${i}`, name: "app" });
    expectProblem(() => new AksIdentityBinding(stack, "binding", { cluster, identity }), { path: "test/shared", field: "identityBindings", value: "test/binding", rule: new RegExp(`would make AKS add the credential "${IDENTITY_BINDING_CREDENTIAL_NAME}" to an identity that holds 20 already: number 21 of at most 20`) });
  });

  test("with a binding, the 20th own credential is refused and the error offers identity bindings", () => {
    const { stack, cluster, identity } = world();
    new AksIdentityBinding(stack, "binding", { cluster, identity });
    for (let i = 0; i < 19; i++) identity.addServiceAccount({ namespace: `ns${i}`, name: "app" });
    expect(identity.credentialCount).toBe(20);
    expectProblem(() => identity.addServiceAccount({ namespace: "ns19", name: "app" }), { field: "addServiceAccount", rule: /number 21 \(one of them the identity bindings' "aks-identity-binding"\).*AKS identity binding/ });
  });

  test("the 21st credential of an identity without binding names identity bindings as the fix", () => {
    const { identity } = world();
    for (let i = 0; i < 20; i++) identity.addServiceAccount({ namespace: `ns${i}`, name: "app" });
    expectProblem(() => identity.addServiceAccount({ namespace: "ns20", name: "app" }), { field: "addServiceAccount", rule: /at most 20 \(an Azure limit\): split the workloads over several identities, or serve the service accounts of a cluster through an AKS identity binding/ });
  });

  test("one binding per identity and cluster; a credential named like AKS's is refused", () => {
    const { stack, cluster, identity } = world();
    new AksIdentityBinding(stack, "binding", { cluster, identity });
    expectProblem(() => new AksIdentityBinding(stack, "again", { cluster, identity, name: "again" }), { path: "test/shared", field: "identityBindings", value: "test/again", rule: /binds the identity to a cluster test\/binding already binds it to/ });
    expectProblem(() => identity.addServiceAccount({ namespace: "a", name: "app", credentialName: IDENTITY_BINDING_CREDENTIAL_NAME }), { field: "addServiceAccount.credentialName", rule: /the name of the credential AKS writes/ });
  });
});

describe("IdentityBindingClusterRole and the pods (Kubernetes side)", () => {
  function wired() {
    const w = world();
    const binding = new AksIdentityBinding(w.stack, "binding", { cluster: w.cluster, identity: w.identity });
    const role = new IdentityBindingClusterRole(w.stack, "role", { binding });
    w.vault.grantSecretRead(w.identity, { secrets: ["team-db"] });
    return { ...w, binding, role };
  }

  test("the ClusterRole grants use-managed-identity on the identity's client ID; the binding lists every service account", () => {
    const { stack, identity, role } = wired();
    new WorkloadServiceAccount(stack, "sa-a", { identity, namespace: "team-a", name: "app", identityBinding: role });
    new WorkloadServiceAccount(stack, "sa-b", { identity, namespace: "team-b", name: "app", identityBinding: role });
    const tf = synthOf(stack);
    const clusterRole = only(tf, "kubernetes_cluster_role_v1");
    expect(clusterRole.rule).toEqual([{ api_groups: ["cid.wi.aks.azure.com"], resources: [expect.stringMatching(/^\$\{azurerm_user_assigned_identity\.shared_identity_\w+\.client_id\}$/)], verbs: ["use-managed-identity"] }]);
    expect(clusterRole.metadata.name).toMatch(/^use-mi-\$\{azurerm_user_assigned_identity\.shared_identity_\w+\.client_id\}$/);
    const rb = only(tf, "kubernetes_cluster_role_binding_v1");
    expect(rb.role_ref).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: expect.stringMatching(/^\$\{kubernetes_cluster_role_v1\.role_\w+\.metadata\[0\]\.name\}$/) });
    expect(rb.subject).toEqual([
      { kind: "ServiceAccount", name: "app", namespace: "team-a" },
      { kind: "ServiceAccount", name: "app", namespace: "team-b" },
    ]);
    // No federated credential per service account: AKS's one shared credential serves them.
    expect(resources(tf, "azurerm_federated_identity_credential")).toEqual({});
  });

  test("a ClusterRole nobody uses fails synth (Kubernetes refuses a binding without subjects)", () => {
    const { stack } = wired();
    expectProblem(() => validateTree(stack.node.root), { path: "test/role", field: "serviceAccounts", rule: /no service account is authorized/ });
  });

  test("the class logs in through the token proxy; the pod helper adds the identity-binding annotation", () => {
    const { stack, identity, role, vault } = wired();
    const sa = new WorkloadServiceAccount(stack, "sa", { identity, namespace: "team-a", name: "app", identityBinding: role });
    const spc = new SecretProviderClass(stack, "spc", { name: "team-a-kv", namespace: "team-a", provider: { type: "azure", keyVault: vault, identity: { mode: "identityBinding", role }, objects: [{ objectName: "team-db" }] } });
    const pod = new PodSecretsMount(spc, { serviceAccount: sa });
    const tf = synthOf(stack);
    const params = only(tf, "kubernetes_manifest").manifest.spec.parameters;
    expect(params.useAzureTokenProxy).toBe("true");
    expect(params.clientID).toMatch(/client_id\}$/);
    expect(params.useVMManagedIdentity).toBeUndefined();
    expect(pod.podLabels).toEqual({ "azure.workload.identity/use": "true" });
    expect(pod.podAnnotations).toEqual({ "azure.workload.identity/use-identity-binding": "true" });
    expect(parse(pod.toYaml())).toMatchObject({ metadata: { annotations: { "azure.workload.identity/use-identity-binding": "true" } }, spec: { serviceAccountName: "app" } });
  });

  test("wiring check: pods running as a service account the ClusterRole does not authorize are refused", () => {
    const { stack, identity, role, vault } = wired();
    new WorkloadServiceAccount(stack, "sa", { identity, namespace: "team-a", name: "app", identityBinding: role });
    const spc = new SecretProviderClass(stack, "spc", { name: "team-a-kv", namespace: "team-a", provider: { type: "azure", keyVault: vault, identity: { mode: "identityBinding", role }, objects: [{ objectName: "team-db" }] } });
    new PodSecretsMount(spc, { serviceAccount: "other" });
    applyWiringChecks(stack.node.root);
    expectProblem(() => validateTree(stack.node.root), { field: "podSecrets.serviceAccount", value: "team-a/other", rule: /does not authorize .*AKS token proxy refuses the exchange/ });
  });

  test("a service account of another identity, or a pod helper without the binding, are refused", () => {
    const { stack, role, vault, cluster } = wired();
    const other = new WorkloadIdentity(stack, "other", { name: "id-other", resourceGroupName: "rg", location: "westeurope", issuer: cluster });
    expectProblem(() => new WorkloadServiceAccount(stack, "sa", { identity: other, namespace: "team-a", name: "app", identityBinding: role }), { field: "identityBinding", rule: /authorizes identity test\/shared, not this service account's identity/ });
    const plain = new WorkloadServiceAccount(stack, "plain", { identity: role.identity, namespace: "team-a", name: "plain" });
    role.addServiceAccount({ namespace: "team-a", name: "plain" });
    const spc = new SecretProviderClass(stack, "spc", { name: "team-a-kv", namespace: "team-a", provider: { type: "azure", keyVault: vault, identity: { mode: "identityBinding", role }, objects: [{ objectName: "team-db" }] } });
    expectProblem(() => new PodSecretsMount(spc, { serviceAccount: plain }), { field: "podSecrets.serviceAccount", rule: /does not use the class's identity binding/ });
  });

  test("the shared identity still needs a read grant on what the class mounts", () => {
    const w = world();
    const binding = new AksIdentityBinding(w.stack, "binding", { cluster: w.cluster, identity: w.identity });
    const role = new IdentityBindingClusterRole(w.stack, "role", { binding, serviceAccounts: [{ namespace: "team-a", name: "app" }] });
    new SecretProviderClass(w.stack, "spc", { name: "team-a-kv", namespace: "team-a", provider: { type: "azure", keyVault: w.vault, identity: { mode: "identityBinding", role }, objects: [{ objectName: "team-db" }] } });
    expectProblem(() => validateTree(w.stack.node.root), { field: "provider.objects[0].objectName", value: "team-db", rule: /has no read grant on this secret/ });
  });
});

describe("a fleet on one identity through the platform and cluster stacks", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ib-"));
  const app = new App({ outdir });
  const secrets = Array.from({ length: 30 }, (_, i) => `team-${i}-db`);
  const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: ["demo-username", "demo-password", ...secrets], keyVaultAuthorization: "rbac" });
  const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
  const shared = new WorkloadIdentity(platform, "fleet", { name: "id-fleet", resourceGroupName: platform.resourceGroup.name, location: platform.location, issuer: platform.cluster });
  const binding = platform.bindIdentity(shared);
  const role = new IdentityBindingClusterRole(cluster, "fleet-role", { binding });
  const bindings = secrets.map(
    (s, i) => new KeyVaultWorkloadBinding(platform, cluster, `team-${i}`, { cluster: platform.cluster, keyVault: platform.keyVault, namespace: `team-${i}`, serviceAccountName: "app", secrets: [s], identityBinding: role }),
  );
  validateTree(app);
  app.synth();
  const read = (s: string): TfJson => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  const p = read("platform");
  const c = read("cluster");

  test("30 service accounts share one identity: one binding, one ClusterRole, no federated credential per workload", () => {
    expect(Object.keys(resources(p, "azapi_resource"))).toHaveLength(1);
    expect(p.terraform.required_providers.azapi).toEqual({ source: "azure/azapi", version: "2.12.0" });
    // (azurerm 4.81/5.x name the identity in user_assigned_identity_id, not parent_id)
    const credentials = Object.values(resources(p, "azurerm_federated_identity_credential")) as any[];
    expect(credentials.length).toBeGreaterThan(0);
    for (const f of credentials) expect(f.parent_id).toBeUndefined();
    expect(credentials.filter((f) => String(f.user_assigned_identity_id).includes("fleet"))).toEqual([]);
    expect(only(c, "kubernetes_cluster_role_binding_v1").subject).toHaveLength(30);
    expect(shared.credentialCount).toBe(1);
    for (const b of bindings) expect(b.identity).toBe(shared);
  });

  test("each class uses the token proxy with the shared identity's client ID, read through the platform's outputs", () => {
    const classes = Object.values(resources(c, "kubernetes_manifest")).filter((m: any) => m.manifest.kind === "SecretProviderClass" && m.manifest.metadata.namespace.startsWith("team-"));
    expect(classes).toHaveLength(30);
    for (const m of classes as any[]) {
      expect(m.manifest.spec.parameters.useAzureTokenProxy).toBe("true");
      expect(m.manifest.spec.parameters.clientID).toMatch(/^\$\{data\.terraform_remote_state\./);
    }
  });

  test("the shared identity gets a Secrets User grant on each secret a workload reads", () => {
    const grants = Object.values(resources(p, "azurerm_role_assignment")).filter((r: any) => String(r.principal_id).includes("fleet"));
    expect(grants).toHaveLength(30);
  });

  test("the manifests conform to the upstream CRD schemas", () => {
    expect(execFileSync(process.execPath, [CONFORMANCE, outdir], { encoding: "utf8" })).toMatch(/conformance: \d+ of \d+ manifests conform/);
  });
});

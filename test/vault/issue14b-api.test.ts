// Issue 14's new-user API on the Vault side and around it: JWT roles attaching existing policies
// by name, VaultAuth as a namespace's default service account, addHcpVault's names and TTLs, the
// cluster-vault stack ordered after vault-config by the VaultAuth itself; the bare pod helper; and
// the wiring report's rendering (no raw token, accepted links not drawn as broken).
import { App, TerraformStack, Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { VaultJwtAuth } from "../../constructs/vault/vault-jwt-auth";
import { VaultSecretsOperator, VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../../constructs/vault/vault-secrets-operator";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { SecretsPod } from "../../constructs/kubernetes/secrets-pod";
import { buildDefaultApp } from "../../app/default-app";
import { validateTree } from "../../core/validation";
import { allowUnverifiedWiring, applyWiringChecks, formatWiringReport, wiringMermaid, wiringReport } from "../../verify/wiring";
import { expectProblem, only, resources } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";
const ADDRESS = "https://vault-private.example.hashicorp.cloud:8200";

function world() {
  const app = Testing.app();
  const vaultStack = new TerraformStack(app, "vault");
  new VaultProvider(vaultStack, "vault", { address: ADDRESS, namespace: "admin" });
  const jwt = new VaultJwtAuth(vaultStack, "jwt", { issuer: { oidcIssuerUrl: ISSUER } });
  const cluster = new TerraformStack(app, "cluster");
  new KubernetesProvider(cluster, "kubernetes", {});
  new HelmProvider(cluster, "helm", {});
  const operator = new VaultSecretsOperator(cluster, "vso");
  const connection = new VsoVaultConnection(cluster, "connection", { operator, address: ADDRESS });
  return { app, vaultStack, jwt, cluster, connection };
}
const tfOf = (stack: TerraformStack) => JSON.parse(Testing.synth(stack));

describe("JWT roles attaching existing policies by name", () => {
  test("a role with attached policies only has no policy of its own", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "dev", namespace: "demo", serviceAccountName: "demo-app", policies: ["dev"] });
    const tf = tfOf(w.vaultStack);
    expect(resources(tf, "vault_policy")).toEqual({});
    expect(only(tf, "vault_jwt_auth_backend_role").token_policies).toEqual(["dev"]);
    expect([role.policyName, role.policy, role.tokenPolicies]).toEqual([undefined, undefined, ["dev"]]);
  });

  test("a role reading secrets of its own and attaching more: its own policy first, same address as before", () => {
    const w = world();
    w.jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets: [{ mount: "secret", path: "demo/config" }], policies: ["shared-read"] });
    const tf = tfOf(w.vaultStack);
    expect(Object.keys(resources(tf, "vault_policy"))).toEqual([expect.stringMatching(/^jwt_policy-demo_/)]);
    expect(only(tf, "vault_jwt_auth_backend_role").token_policies).toEqual(["${vault_policy.jwt_policy-demo_F0F8A1B6.name}", "shared-read"].map((x, i) => (i === 0 ? expect.stringMatching(/^\$\{vault_policy\.jwt_policy-demo_[0-9A-F]+\.name\}$/) : x)));
  });

  test("read access: own, stated, unknown or none", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "dev", namespace: "demo", serviceAccountName: "demo-app", secrets: [{ mount: "secret", path: "own" }], policies: ["dev"], policyReads: [{ mount: "secret", path: "stated" }] });
    const bare = w.jwt.addRole({ name: "bare", namespace: "demo", serviceAccountName: "bare", secrets: [{ mount: "secret", path: "own" }] });
    expect(["own", "stated", "other"].map((path) => role.readAccess({ mount: "secret", path }))).toEqual(["own", "stated", "unknown"]);
    expect(bare.readAccess({ mount: "secret", path: "other" })).toBe("none");
    expect([role.canRead({ mount: "secret", path: "stated" }), role.canRead({ mount: "secret", path: "other" })]).toEqual([true, false]);
  });

  test("a VaultStaticSecret through an attached policy: accepted at construction, stated reads pass the checks, unstated ones are unverifiable links", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "dev", namespace: "demo", serviceAccountName: "demo-app", policies: ["dev"], policyReads: [{ mount: "secret", path: "demo/config" }] });
    const auth = new VsoVaultAuth(w.cluster, "auth", { role, connection: w.connection, createServiceAccount: true });
    new VsoVaultStaticSecret(w.cluster, "stated", { auth, secret: { mount: "secret", path: "demo/config" }, destination: { name: "demo-config" } });
    new VsoVaultStaticSecret(w.cluster, "unstated", { auth, secret: { mount: "secret", path: "team/other" }, destination: { name: "team-other" } });
    const report = wiringReport(w.app);
    expect(report.problems.map((p) => [p.path, p.field, p.checkId])).toEqual([["cluster/unstated", "secret", "AKSW-VSO2"]]);
    allowUnverifiedWiring(w.cluster.node.findChild("unstated"), { reason: "policy dev grants secret/data/team/* (managed by the vault team)" });
    expect(wiringReport(w.app).problems).toEqual([]);
  });

  test("with no attached policy, a secret the role does not read is still refused at construction", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets: [{ mount: "secret", path: "demo/config" }] });
    const auth = new VsoVaultAuth(w.cluster, "auth", { role, connection: w.connection, createServiceAccount: true });
    expectProblem(() => new VsoVaultStaticSecret(w.cluster, "other", { auth, secret: { mount: "secret", path: "team/other" }, destination: { name: "x" } }), { field: "secret", rule: /is not readable by JWT role "demo" .*policy jwt-aks-demo-read reads secret\/data\/demo\/config/ });
  });
});

describe("VaultAuth as a namespace's default service account", () => {
  test("needs no opt-out and creates no service account", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "jobs", namespace: "batch", serviceAccountName: "default", secrets: [{ mount: "secret", path: "batch/config" }] });
    new VsoVaultAuth(w.cluster, "auth", { role, connection: w.connection });
    expect(wiringReport(w.app).problems).toEqual([]);
    expect(resources(tfOf(w.cluster), "kubernetes_service_account_v1")).toEqual({});
  });

  test("another service account not created by the app is still an unverifiable link", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "jobs", namespace: "batch", serviceAccountName: "jobs", secrets: [{ mount: "secret", path: "batch/config" }] });
    new VsoVaultAuth(w.cluster, "auth", { role, connection: w.connection });
    expect(wiringReport(w.app).problems.map((p) => [p.field, p.checkId])).toEqual([["serviceAccount", "AKSW-VSO1"]]);
  });
});

describe("ordering: the VaultAuth's stack after its role's", () => {
  test("a cluster stack with a VaultAuth depends on the Vault stack without addDependency", () => {
    const w = world();
    const role = w.jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets: [{ mount: "secret", path: "demo/config" }] });
    expect(w.cluster.dependencies).not.toContain(w.vaultStack);
    new VsoVaultAuth(w.cluster, "auth", { role, connection: w.connection, createServiceAccount: true });
    expect(w.cluster.dependencies).toContain(w.vaultStack);
  });

  test("the default app's cluster-vault stack follows vault-config", () => {
    const d = buildDefaultApp(Testing.app(), { platform: { tenantId: TENANT } });
    expect(d.clusterVault!.dependencies).toContain(d.hcpVault!.vaultConfig);
  });
});

describe("addHcpVault names and TTLs", () => {
  test("the VaultConnection's name, each VaultAuth's name, token TTLs, attached policies, the default service account", () => {
    const d = buildDefaultApp(Testing.app(), {
      platform: { tenantId: TENANT },
      hcpVault: {
        connection: { name: "vault-private", timeout: "30s" },
        workloads: [
          { name: "demo", namespace: "demo", serviceAccountName: "default", vaultAuthName: "demo-login", tokenTtl: "10m", tokenMaxTtl: "30m", serviceAccountTokenSeconds: 900, secrets: [{ path: "demo/config", destination: "demo-config" }] },
          { name: "dev", namespace: "demo", serviceAccountName: "dev-app", policies: ["dev"], ownPolicy: false, secrets: [{ path: "dev/config", destination: "dev-config" }] },
        ],
      },
    });
    const hv = d.hcpVault!;
    expect([hv.connection.name, hv.auths.get("demo")!.name, hv.auths.get("demo")!.serviceAccountResource]).toEqual(["vault-private", "demo-login", undefined]);
    const demo = hv.vaultConfig.role("demo");
    expect([demo.tokenTtlSeconds, demo.tokenMaxTtlSeconds]).toEqual([600, 1800]);
    const dev = hv.vaultConfig.role("dev");
    expect([dev.policyName, dev.attachedPolicies, dev.policyReads]).toEqual([undefined, ["dev"], [{ mount: "secret", path: "dev/config" }]]);
    const manifests = Object.values(resources(JSON.parse(Testing.synth(d.clusterVault!)), "kubernetes_manifest")).map((r: any) => r.manifest);
    expect(manifests.find((m) => m.kind === "VaultConnection")).toMatchObject({ metadata: { name: "vault-private" }, spec: { timeout: "30s" } });
    expect(manifests.find((m) => m.metadata.name === "demo-login").spec.jwt).toMatchObject({ serviceAccount: "default", tokenExpirationSeconds: 900 });
    expect(() => validateTree(d.platform.node.root)).not.toThrow();
  });
});

describe("SecretsPod: a bare pod mounting a class", () => {
  test("runs as the class's service account with its label, mounts the volume read-only, and is hardened", () => {
    const d = buildDefaultApp(Testing.app(), { platform: { tenantId: TENANT }, hcpVault: false });
    const binding = d.demo!.workloadIdentity.binding;
    new SecretsPod(d.cluster, "debug", { mount: binding.pod, name: "demo-debug", image: "registry.k8s.io/e2e-test-images/busybox:1.29-4", command: ["sleep", "3600"], env: [{ name: "DEMO_PASSWORD", key: "password" }] });
    const tf = JSON.parse(Testing.synth(d.cluster));
    const pod = only(tf, "kubernetes_pod_v1");
    expect(pod.metadata).toEqual({ name: "demo-debug", namespace: "demo", labels: { "azure.workload.identity/use": "true" } });
    expect(pod.spec).toMatchObject({ service_account_name: "demo-app", automount_service_account_token: false, restart_policy: "Never", security_context: { run_as_non_root: true } });
    expect(pod.spec.volume).toEqual([{ name: "demo-kv-workload-identity", csi: { driver: "secrets-store.csi.k8s.io", read_only: true, volume_attributes: { secretProviderClass: "demo-kv-workload-identity" } } }]);
    expect(pod.spec.container[0]).toMatchObject({
      name: "app",
      command: ["sleep", "3600"],
      volume_mount: [{ name: "demo-kv-workload-identity", mount_path: "/mnt/secrets-store", read_only: true }],
      security_context: { allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } },
    });
    expect(pod.spec.container[0].env).toEqual([{ name: "DEMO_PASSWORD", value_from: { secret_key_ref: { name: "demo-kv-workload-identity", key: "password" } } }]);
    expect(() => validateTree(d.platform.node.root)).not.toThrow();
  });
});

describe("the wiring report's rendering", () => {
  test("never prints a raw cdktf token", () => {
    const d = buildDefaultApp(Testing.app(), { platform: { tenantId: TENANT } });
    // A Vault CSI class whose address is the HCP cluster's endpoint: known at apply time only.
    new SecretProviderClass(d.cluster, "vault-csi", {
      name: "vault-csi",
      namespace: "demo",
      provider: { type: "vault", roleName: "demo", vaultAddress: d.hcpVault!.hcp.vault.privateEndpointUrl, vaultNamespace: "admin", vaultAuthMountPath: "jwt-aks", audience: "vault", objects: [{ objectName: "config", secretPath: "secret/data/demo/config" }] },
    });
    const report = wiringReport(d.platform.node.root);
    const text = formatWiringReport(report);
    expect(text).not.toMatch(/TfToken|\$\{TOKEN/);
    expect(JSON.stringify(report)).not.toMatch(/TfToken/);
  });

  test("an accepted unverifiable link is marked accepted, not broken", () => {
    const app: App = Testing.app();
    const d = buildDefaultApp(app, { platform: { tenantId: TENANT, keyVaultAuthorization: "accessPolicy" }, hcpVault: false });
    const legacy = new SecretProviderClass(d.cluster, "legacy-kv", {
      name: "legacy-kv",
      namespace: "demo",
      provider: { type: "azure", keyvaultName: "kv-legacy-team", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: d.platform.cluster.secretsProviderIdentity }, objects: [{ objectName: "token" }] },
    });
    allowUnverifiedWiring(legacy, { reason: "the legacy vault is managed by the data team" });
    applyWiringChecks(app);
    expect(() => validateTree(app)).not.toThrow();
    const report = wiringReport(app);
    const path = report.paths.find((p) => p.via === "SecretProviderClass demo/legacy-kv")!;
    expect([path.verified, path.accepted]).toEqual([false, true]);
    const mermaid = wiringMermaid(report);
    expect(mermaid).not.toMatch(/classDef broken/);
    expect(mermaid).toMatch(/^ {2}class n\d+ accepted$/m);
    expect(formatWiringReport(report)).toContain("accepted (unverifiable link, see below)");
  });
});


import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { validateTree } from "../../core/validation";
import { ClusterStack } from "../../stacks/cluster-stack";
import { addHcpVault, AddHcpVaultOptions } from "../../app/hcp-vault";
import { PlatformStack } from "../../stacks/platform-stack";
import { CONFORMANCE, expectProblem, TfJson } from "../helpers";

const CHECK = CONFORMANCE;
const TENANT = "11111111-2222-3333-4444-555555555555";

/** A cluster-side stack as the app has one: kubernetes and helm providers. */
function clusterStack(app: App, id: string): TerraformStack {
  const s = new TerraformStack(app, id);
  new KubernetesProvider(s, "kubernetes", {});
  new HelmProvider(s, "helm", {});
  return s;
}

function build(options: Partial<AddHcpVaultOptions> = {}, secretsStack = false) {
  const app = Testing.app();
  const platform = new PlatformStack(app, "platform", { tenantId: TENANT });
  const cluster = clusterStack(app, "cluster");
  const secrets = secretsStack ? clusterStack(app, "cluster-secrets") : undefined;
  const result = addHcpVault(app, { platform, clusterScope: cluster, secretsScope: secrets, ...options });
  return { app, platform, cluster, secrets, result };
}

function read(app: App, stack: string): TfJson {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

const values = (tf: TfJson, type: string, kind: "resource" | "data" = "resource"): any[] => Object.values((kind === "resource" ? tf.resource : tf.data)?.[type] ?? {});

describe("addHcpVault with the default demo workload", () => {
  const { app, cluster, result } = build();
  validateTree(app);
  app.synth();
  const hcp = read(app, "hcp");
  const vc = read(app, "vault-config");
  const k8s = read(app, "cluster");

  test("the HCP stack has the hcp, azurerm and azuread providers, an HVN and a private Vault", () => {
    expect(Object.keys(hcp.provider!).sort()).toEqual(["azuread", "azurerm", "hcp"]);
    expect(values(hcp, "hcp_hvn")[0]).toMatchObject({ hvn_id: "hvn-secrets", cidr_block: "172.25.16.0/20", region: "westeurope", cloud_provider: "azure" });
    expect(values(hcp, "hcp_vault_cluster")[0]).toMatchObject({ cluster_id: "vault-secrets", public_endpoint: false, lifecycle: { prevent_destroy: true } });
  });

  test("peers the platform's AKS VNet with one route for its address space", () => {
    const peering = values(hcp, "hcp_azure_peering_connection")[0];
    expect(peering.peering_id).toBe("aks");
    expect(peering.peer_vnet_name).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\..*name\}$/);
    expect(values(hcp, "hcp_hvn_route").map((r) => r.destination_cidr)).toEqual(["10.20.0.0/16"]);
    expect(values(hcp, "azurerm_role_definition")[0].permissions[0].actions).toHaveLength(3);
  });

  test("the Vault config stack talks to the private endpoint in namespace admin, with no token in the configuration", () => {
    const provider = vc.provider!.vault[0];
    expect(provider.address).toMatch(/cross-stack-output-hcp_vault_cluster.*vault_private_endpoint_url/);
    expect(provider.namespace).toBe("admin");
    expect(provider.token).toBeUndefined();
    expect(JSON.stringify(vc)).not.toMatch(/hvs\.|s\.[A-Za-z0-9]{24}/);
  });

  test("a protected KV v2 mount, JWT auth on the AKS issuer, and the demo role with its read-only policy", () => {
    expect(values(vc, "vault_mount")[0]).toMatchObject({ path: "secret", type: "kv", options: { version: "2" }, lifecycle: { prevent_destroy: true } });
    const backend = values(vc, "vault_jwt_auth_backend")[0];
    expect(backend.oidc_discovery_url).toMatch(/cross-stack-reference-input-platform.*oidc_issuer_url/);
    expect(backend.bound_issuer).toBe(backend.oidc_discovery_url);
    expect(values(vc, "vault_jwt_auth_backend_role")[0]).toMatchObject({ role_name: "demo", bound_subject: "system:serviceaccount:demo:demo-vault", bound_audiences: ["vault"], user_claim: "sub", role_type: "jwt" });
    expect(values(vc, "vault_policy")[0].policy).toContain('path "secret/data/demo/config" {\n  capabilities = ["read"]\n}');
  });

  test("the cluster side gets the operator, its connection, the demo VaultAuth and the synced secret, all conformant", () => {
    expect(values(k8s, "helm_release")[0]).toMatchObject({ chart: "vault-secrets-operator", version: "1.4.1" });
    const kinds = values(k8s, "kubernetes_manifest").map((r) => `${r.manifest.kind}/${r.manifest.metadata.namespace}/${r.manifest.metadata.name}`);
    expect(kinds.sort()).toEqual(["VaultAuth/demo/vault-demo", "VaultConnection/vault-secrets-operator/hcp-vault", "VaultStaticSecret/demo/demo-config"]);
    const vss = values(k8s, "kubernetes_manifest").find((r) => r.manifest.kind === "VaultStaticSecret").manifest.spec;
    expect(vss).toMatchObject({ mount: "secret", path: "demo/config", type: "kv-v2", destination: { name: "demo-config", create: true } });
    expect(values(k8s, "kubernetes_service_account_v1")[0].metadata).toMatchObject({ name: "demo-vault", namespace: "demo" });
    expect(execFileSync("node", [CHECK, app.outdir], { encoding: "utf8" })).toMatch(/conformance: 3 of 3 manifests conform/);
  });

  test("the cluster side deploys after Vault is configured", () => {
    expect(cluster.dependencies).toContain(result.vaultConfig);
    expect(result.auths.get("demo")!.role).toBe(result.vaultConfig.role("demo"));
  });
});

describe("addHcpVault options", () => {
  test("custom resources can go to a later stack than the operator", () => {
    const { app, cluster, secrets } = build({}, true);
    app.synth();
    expect(values(read(app, "cluster"), "kubernetes_manifest")).toHaveLength(0);
    expect(values(read(app, "cluster-secrets"), "kubernetes_manifest")).toHaveLength(3);
    expect(secrets!.dependencies).toEqual(expect.arrayContaining([cluster]));
  });

  test("several workloads, each with its own role, auth and secrets, and rollout targets", () => {
    const { app, result } = build({
      workloads: [
        { name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [{ path: "demo/config", destination: "demo-config", rolloutRestartTargets: [{ kind: "Deployment", name: "demo-app" }] }] },
        { name: "billing", namespace: "billing", serviceAccountName: "billing-vault", createServiceAccount: false, secrets: [{ path: "billing/db", destination: "db", refreshAfter: "10m" }, { path: "billing/api", destination: "api" }] },
      ],
    });
    app.synth();
    const vc = read(app, "vault-config");
    expect(values(vc, "vault_jwt_auth_backend_role").map((r) => r.bound_subject).sort()).toEqual(["system:serviceaccount:billing:billing-vault", "system:serviceaccount:demo:demo-vault"]);
    const billingPolicy = values(vc, "vault_policy").find((p) => p.name === "jwt-aks-billing-read").policy;
    expect([...billingPolicy.matchAll(/path "([^"]+)"/g)].map((m: RegExpMatchArray) => m[1])).toEqual(["secret/data/billing/db", "secret/data/billing/api"]);
    expect(result.staticSecrets.map((s) => `${s.namespace}/${s.secretName}`)).toEqual(["demo/demo-config", "billing/db", "billing/api"]);
    const k8s = read(app, "cluster");
    expect(values(k8s, "kubernetes_service_account_v1")).toHaveLength(1);
    expect(execFileSync("node", [CHECK, app.outdir], { encoding: "utf8" })).toMatch(/conformance: 6 of 6 manifests conform/);
  });

  test("an HVN overlapping the platform VNet or the AKS service CIDR is rejected, naming the HCP stack's construct", () => {
    expectProblem(() => build({ hcp: { hvnCidr: "10.20.0.0/20" } }), { path: "hcp/hvn", field: "spokes[0].addressRanges[0]", value: "10.20.0.0/16", rule: /overlaps the HVN CIDR/ });
    expectProblem(() => build({ hcp: { hvnCidr: "172.16.0.0/20" } }), { path: "hcp/hvn", field: "hvn.cidrBlock", value: "172.16.0.0/20", rule: /reserved range 172.16.0.0\/16/ });
  });

  test("the HVN must not overlap the service CIDR the cluster was given (read from AksCluster.serviceCidr)", () => {
    const app = Testing.app();
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT, cluster: { serviceCidr: "192.168.0.0/20" } });
    expect(platform.cluster.serviceCidr).toBe("192.168.0.0/20");
    expectProblem(() => addHcpVault(app, { platform, clusterScope: clusterStack(app, "cluster"), hcp: { hvnCidr: "192.168.8.0/21" } }), {
      path: "hcp/hvn",
      field: "hvn.cidrBlock",
      value: "192.168.8.0/21",
      rule: /^overlaps the reserved range 192\.168\.0\.0\/20/,
    });
    // The default service CIDR is then free for the HVN.
    const ok = Testing.app();
    const p2 = new PlatformStack(ok, "platform", { tenantId: TENANT, cluster: { serviceCidr: "192.168.0.0/20" } });
    expect(() => addHcpVault(ok, { platform: p2, clusterScope: clusterStack(ok, "cluster"), hcp: { hvnCidr: "172.16.0.0/20" } })).not.toThrow();
  });

  test("an existing HVN can be adopted", () => {
    const { app } = build({ hcp: { existingHvn: { hvnId: "shared", cidrBlock: "192.168.100.0/24" } } });
    app.synth();
    const hcp = read(app, "hcp");
    expect(hcp.resource!.hcp_hvn).toBeUndefined();
    expect(values(hcp, "hcp_hvn", "data")[0].hvn_id).toBe("shared");
    expect(values(hcp, "hcp_vault_cluster")[0].hvn_id).toMatch(/^\$\{data\.hcp_hvn\./);
  });

  test("a Kubernetes Secret synced twice is rejected", () => {
    expectProblem(
      () => build({ workloads: [{ name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [{ path: "a/b", destination: "same" }, { path: "a/c", destination: "same" }] }] }),
      { path: "vault-config", field: "workloads[0].secrets[1].destination", value: "same", rule: /synced twice/ },
    );
  });

  test.each([
    ["secrets", "workloads[0].secrets", /^is required: the list of KV v2 secrets/],
    ["name", "workloads[0].name", /^is required: the workload's Vault role name/],
    ["namespace", "workloads[0].namespace", /^is required: the Kubernetes namespace/],
    ["serviceAccountName", "workloads[0].serviceAccountName", /^is required: the service account the operator logs in as/],
  ])("a workload without %s is reported on the vault-config stack before any stack is built (no TypeError)", (key, field, rule) => {
    const w: Record<string, unknown> = { name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets: [{ path: "ops/config", destination: "ops-config" }] };
    delete w[key];
    const app = Testing.app();
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT });
    expectProblem(() => addHcpVault(app, { platform, clusterScope: clusterStack(app, "cluster"), workloads: [w as any] }), { path: "vault-config", field, value: undefined, rule });
    expect(app.node.tryFindChild("hcp")).toBeUndefined();
  });

  test("a secret sync without path or destination, or not an object, is reported", () => {
    const ws = (secrets: unknown[]) => [{ name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets } as any];
    expectProblem(() => build({ workloads: ws([{ destination: "ops-config" }]) }), { path: "vault-config", field: "workloads[0].secrets[0].path", rule: /^is required: the secret's path/ });
    expectProblem(() => build({ workloads: ws([{ path: "ops/config" }]) }), { path: "vault-config", field: "workloads[0].secrets[0].destination", rule: /^is required: the name of the Kubernetes Secret/ });
    expectProblem(() => build({ workloads: ws(["ops/config"]) }), { path: "vault-config", field: "workloads[0].secrets[0]", value: "ops/config", rule: /must be a secret sync/ });
    expectProblem(() => build({ workloads: [null as any] }), { path: "vault-config", field: "workloads[0]", rule: /must be a workload/ });
    expectProblem(() => build({ workloads: {} as any }), { path: "vault-config", field: "workloads", rule: /must be a list/ });
  });

  test("the problems name the vault-config stack under its own id", () => {
    expectProblem(() => build({ stackIds: { vaultConfig: "vault-team" }, workloads: [{ name: "ops", namespace: "ops", serviceAccountName: "ops-vault" } as any] }), {
      path: "vault-team",
      field: "workloads[0].secrets",
      rule: /is required/,
    });
  });

  test("role() of a name the JWT auth does not have is a ValidationError listing the roles", () => {
    const { result } = build();
    expectProblem(() => result.vaultConfig.role("nope"), { path: "vault-config", field: "role", value: "nope", rule: /^is not a role of auth\/jwt-aks \(roles: demo\)/ });
  });

  test("wires into ClusterStacks as the default app would: operator in the cluster stack, resources in a later one", () => {
    const app = Testing.app();
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT });
    const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
    const clusterVault = new ClusterStack(app, "cluster-vault", { cluster: platform.cluster });
    const namespace = cluster.namespace("demo");
    const hv = addHcpVault(app, { platform, clusterScope: cluster, secretsScope: clusterVault, namespaceDependencies: [namespace] });
    validateTree(app);
    app.synth();
    // The namespace lives in another state: a stack dependency, never a dangling depends_on.
    expect(clusterVault.dependencies).toEqual(expect.arrayContaining([cluster, hv.vaultConfig]));
    const tf = read(app, "cluster-vault");
    expect(JSON.stringify(tf)).not.toContain("kubernetes_namespace_v1.");
    expect(values(read(app, "cluster"), "helm_release")).toHaveLength(1);
    expect(values(tf, "kubernetes_manifest")).toHaveLength(3);
    expect(execFileSync("node", [CHECK, app.outdir], { encoding: "utf8" })).toMatch(/conformance: \d+ of \d+ manifests conform/);
  });

  test("in one stack with the namespace, resources wait for it with depends_on", () => {
    const app = Testing.app();
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT });
    const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
    addHcpVault(app, { platform, clusterScope: cluster, namespaceDependencies: [cluster.namespace("demo")] });
    app.synth();
    const tf = read(app, "cluster");
    const nsId = Object.keys(tf.resource!.kubernetes_namespace_v1)[0];
    expect(values(tf, "kubernetes_service_account_v1")[0].depends_on).toEqual([`kubernetes_namespace_v1.${nsId}`]);
    const auth = values(tf, "kubernetes_manifest").find((r) => r.manifest.kind === "VaultAuth");
    expect(auth.depends_on).toContain(`kubernetes_namespace_v1.${nsId}`);
  });
});

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { parse } from "yaml";
import { validateTree } from "../../core/validation";
import { buildDefaultApp, DefaultApp } from "../../app/default-app";
import { CONFORMANCE, expectProblems, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";

function synthDefault(config: Parameters<typeof buildDefaultApp>[1] = { platform: { tenantId: TENANT } }) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-"));
  const app = new App({ outdir });
  const built: DefaultApp = buildDefaultApp(app, config);
  validateTree(app);
  app.synth();
  const read = (s: string): TfJson => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  return { outdir, built, platform: read("platform"), cluster: read("cluster"), manifest: JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) };
}

function remoteOutput(platformTf: TfJson, expr: string): string {
  const m = /^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.([\w-]+)\}$/.exec(expr);
  expect(m).not.toBeNull();
  return platformTf.output![m![1]].value;
}

describe("default app", () => {
  const s = synthDefault();
  const spcs = Object.values(s.cluster.resource!.kubernetes_manifest).map((r: any) => r.manifest);
  const byName = (n: string) => spcs.find((m) => m.metadata.name === n);
  const deployments = s.cluster.resource!.kubernetes_deployment_v1;
  const addonClientId = `\${azurerm_kubernetes_cluster.${Object.keys(s.platform.resource!.azurerm_kubernetes_cluster)[0]}.key_vault_secrets_provider[0].secret_identity[0].client_id}`;
  const demoIdentity = Object.keys(s.platform.resource!.azurerm_user_assigned_identity).find((k) => s.platform.resource!.azurerm_user_assigned_identity[k].name === "id-secrets-demo")!;

  test("has the platform, cluster and HCP Vault stacks, each deployed after what it reads", () => {
    expect(s.built.platform.node.id).toBe("platform");
    expect(s.built.cluster.node.id).toBe("cluster");
    expect(Object.keys(s.manifest.stacks).sort()).toEqual(["cluster", "cluster-vault", "hcp", "platform", "vault-config"]);
    expect(s.manifest.stacks.cluster.dependencies).toEqual(["platform"]);
    expect(s.manifest.stacks.hcp.dependencies).toEqual(["platform"]);
    expect([...s.manifest.stacks["vault-config"].dependencies].sort()).toEqual(["hcp", "platform"]);
    // The operator's custom resources come after the operator (cluster) and the Vault role (vault-config).
    expect([...s.manifest.stacks["cluster-vault"].dependencies].sort()).toEqual(["cluster", "hcp", "platform", "vault-config"]);
  });

  test("hcpVault: false leaves the HCP side out", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-"));
    const app = new App({ outdir });
    const built = buildDefaultApp(app, { platform: { tenantId: TENANT }, hcpVault: false });
    expect(built.hcpVault).toBeUndefined();
    app.synth();
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["cluster", "platform"]);
  });

  test("keeps the platform's resource addresses (no new platform resource for the demo)", () => {
    const addresses = Object.entries(s.platform.resource!).flatMap(([t, rs]) => Object.keys(rs).map((k) => `${t}.${k}`)).sort();
    expect(addresses).toEqual([
      "azurerm_federated_identity_credential.workload-demo_credential-demo-demo-app_F9285080",
      "azurerm_key_vault.keyvault_3579520A",
      "azurerm_kubernetes_cluster.cluster_A4C38409",
      "azurerm_resource_group.rg",
      "azurerm_role_assignment.deployer-cluster-admin",
      // The vault is in RBAC mode: role assignments instead of the access policies of
      // "accessPolicy" mode (grants, not state: switching modes keeps the vault's address).
      "azurerm_role_assignment.keyvault_read-platform-cluster-csi-addon-vault_E35E4CB6",
      "azurerm_role_assignment.keyvault_read-platform-workload-demo-vault_B6C12C11",
      "azurerm_role_assignment.keyvault_write-platform-current_DAB518A0",
      "azurerm_role_definition.keyvault_writer-role_F5423853",
      "azurerm_subnet.nodes",
      "azurerm_user_assigned_identity.workload-demo_identity_E9BA373D",
      "azurerm_virtual_network.vnet",
    ]);
  });

  test("the demo namespace holds two SecretProviderClasses for the same two secrets", () => {
    expect(Object.keys(s.cluster.resource!.kubernetes_namespace_v1)).toEqual(["namespace-demo"]);
    expect(spcs.map((m) => `${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual(["demo/demo-kv-addon", "demo/demo-kv-workload-identity"]);
    for (const m of spcs) {
      const objects = parse(m.spec.parameters.objects).array.map((x: string) => parse(x));
      expect(objects).toEqual([
        { objectName: "demo-username", objectType: "secret" },
        { objectName: "demo-password", objectType: "secret" },
      ]);
      expect(m.spec.secretObjects).toEqual([
        { secretName: m.metadata.name, type: "Opaque", data: [{ objectName: "demo-username", key: "username" }, { objectName: "demo-password", key: "password" }] },
      ]);
      expect(m.spec.parameters.tenantID).toBe(TENANT);
    }
  });

  test("workload identity: the platform's demo identity, its service account, and the label on the pods", () => {
    const m = byName("demo-kv-workload-identity");
    expect(remoteOutput(s.platform, m.spec.parameters.clientID)).toBe(`\${azurerm_user_assigned_identity.${demoIdentity}.client_id}`);
    expect(m.spec.parameters.useVMManagedIdentity).toBeUndefined();
    const sa = Object.values(s.cluster.resource!.kubernetes_service_account_v1)[0] as any;
    expect(sa.metadata).toMatchObject({ name: "demo-app", namespace: "demo" });
    expect(remoteOutput(s.platform, sa.metadata.annotations["azure.workload.identity/client-id"])).toBe(`\${azurerm_user_assigned_identity.${demoIdentity}.client_id}`);
    const d = deployments["deployment-demo-workload-identity"];
    expect(d.spec.template.spec.service_account_name).toBe("demo-app");
    expect(d.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
  });

  test("add-on identity: the CSI add-on's client ID, VM-assigned", () => {
    const m = byName("demo-kv-addon");
    expect(m.spec.parameters.useVMManagedIdentity).toBe("true");
    expect(remoteOutput(s.platform, m.spec.parameters.userAssignedIdentityID)).toBe(addonClientId);
    expect(m.spec.parameters.clientID).toBeUndefined();
    const d = deployments["deployment-demo-addon-identity"];
    expect(d.spec.template.spec.service_account_name).toBeUndefined();
    expect(d.spec.template.metadata.labels["azure.workload.identity/use"]).toBeUndefined();
  });

  test.each([
    ["deployment-demo-workload-identity", "demo-kv-workload-identity"],
    ["deployment-demo-addon-identity", "demo-kv-addon"],
  ])("%s reads both secrets as files and as env vars from the synced Secret", (id, spcName) => {
    const d = deployments[id];
    const pod = d.spec.template.spec;
    expect(d.metadata.namespace).toBe("demo");
    expect(pod.volume).toEqual([{ name: spcName, csi: { driver: "secrets-store.csi.k8s.io", read_only: true, volume_attributes: { secretProviderClass: spcName } } }]);
    const c = pod.container[0];
    expect(c.volume_mount).toEqual([{ name: spcName, mount_path: "/mnt/secrets-store", read_only: true }]);
    expect(c.env).toEqual([
      { name: "DEMO_USERNAME", value_from: { secret_key_ref: { name: spcName, key: "username" } } },
      { name: "DEMO_PASSWORD", value_from: { secret_key_ref: { name: spcName, key: "password" } } },
    ]);
    const script = c.command[2];
    expect(script).toContain("/mnt/secrets-store/demo-username");
    expect(script).toContain("/mnt/secrets-store/demo-password");
    // Presence only: the script never prints a value, and has no Terraform interpolation.
    expect(script).not.toMatch(/cat |echo "?\$DEMO|\$\{/);
    expect(c.security_context).toMatchObject({ allow_privilege_escalation: false, read_only_root_filesystem: true });
    expect(d.depends_on).toEqual(expect.arrayContaining(["kubernetes_namespace_v1.namespace-demo"]));
  });

  test("every manifest (2 SecretProviderClasses; VaultConnection, VaultAuth, VaultStaticSecret) passes the upstream CRD conformance check", () => {
    expect(execFileSync("node", [CONFORMANCE, s.outdir], { encoding: "utf8" })).toMatch(/5 of 5 manifests conform/);
  });
});

test("without the add-on grant, the add-on demo fails at synth naming the missing grant", () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "default-app-bad-")) });
  buildDefaultApp(app, { platform: { tenantId: TENANT, addonReadsSecrets: [], keyVaultAuthorization: "rbac" } });
  const problems = expectProblems(() => validateTree(app));
  expect(problems.map((p) => [p.path, p.field])).toEqual([
    ["cluster/demo-kv-addon", "provider.objects[0].objectName"],
    ["cluster/demo-kv-addon", "provider.objects[1].objectName"],
  ]);
});

test("cluster stack settings pass through, e.g. the Terraform Cloud login", () => {
  const s = synthDefault({ platform: { tenantId: TENANT }, cluster: { auth: { mode: "terraformCloud" } } });
  expect(s.cluster.provider!.kubernetes[0].exec[0].command).toBe("sh");
});

describe("the demo's own input", () => {
  const build = (config: Parameters<typeof buildDefaultApp>[1]) => () => buildDefaultApp(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "default-app-demo-")) }), config);
  const demo = (secrets: string[]) => ({ platform: { workloads: [{ name: "api", namespace: "api", serviceAccountName: "api", secrets: ["api-key"] }, { name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets }] } });

  test.each([[["demo-username"]], [["demo-username", "demo-username"]], [["a", "b", "c"]]])("a demo workload reading %j is refused on the platform's workload (it reads a username and a password)", (secrets) => {
    const problems = expectProblems(build(demo(secrets)));
    expect(problems.map((p) => [p.path, p.field, p.value])).toEqual([["platform", "workloads[1].secrets", JSON.stringify(secrets)]]);
    expect(problems[0].rule).toMatch(/must name exactly two different secrets/);
  });

  test("a demo workload with two other secret names mounts those", () => {
    const s = synthDefault({ platform: { tenantId: TENANT, ...demo(["db-user", "db-pass"]).platform } });
    const objects = Object.values(s.cluster.resource!.kubernetes_manifest)
      .filter((m: any) => m.manifest.kind === "SecretProviderClass")
      .map((m: any) => parse(m.manifest.spec.parameters.objects).array.map((o: string) => parse(o).objectName));
    expect(objects).toEqual([
      ["db-user", "db-pass"],
      ["db-user", "db-pass"],
    ]);
  });

  test.each(["", "busybox latest", "busybox\t"])("demo image %j is refused on the cluster stack", (image) => {
    const problems = expectProblems(build({ demoImage: image }));
    expect(problems.map((p) => [p.path, p.field])).toEqual([["cluster", "demoImage"]]);
    expect(problems[0].rule).toMatch(/container image reference/);
  });
});

describe("the platform's subscription", () => {
  test("reaches every stack's azurerm provider, so the peering and the data sources look in the right subscription", () => {
    const SUB = "22222222-3333-4444-5555-666666666666";
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-"));
    const app = new App({ outdir });
    buildDefaultApp(app, { platform: { tenantId: TENANT, subscriptionId: SUB } });
    app.synth();
    for (const stack of ["platform", "cluster", "cluster-vault", "hcp"]) {
      const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect([stack, tf.provider.azurerm[0].subscription_id]).toEqual([stack, SUB]);
    }
  });
});

test("the HCP peering names the spoke VNet's own subscription (from its ARM ID), not the hcp stack's", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "default-app-"));
  const app = new App({ outdir });
  buildDefaultApp(app, { platform: { tenantId: TENANT } });
  app.synth();
  const hcp = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "hcp", "cdk.tf.json"), "utf8"));
  const [peering] = Object.values(hcp.resource.hcp_azure_peering_connection) as any[];
  expect(peering.peer_subscription_id).toMatch(/^\$\{element\(split\("\/", data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+vnet[\w-]*id\), 2\)\}$/);
});

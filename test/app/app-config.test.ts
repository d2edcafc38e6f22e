import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ValidationError } from "../../core/validation";
import { loadDefaultAppConfig } from "../../app/app-config";
import { runAppCommand } from "../helpers";


/** Runs the real app command (what `cdktf synth` runs) in a fresh directory; returns status, stderr and the stacks written. */
function runApp(opts: { config?: unknown; env?: Record<string, string> } = {}) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-config-"));
  const { status, stderr } = runAppCommand(cwd, opts);
  const stacksDir = path.join(cwd, "cdktf.out", "stacks");
  const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((s) => fs.existsSync(path.join(stacksDir, s, "cdk.tf.json"))) : [];
  const read = (s: string) => JSON.parse(fs.readFileSync(path.join(stacksDir, s, "cdk.tf.json"), "utf8"));
  return { status, stderr, stacks: stacks.sort(), read };
}

describe("loadDefaultAppConfig", () => {
  test("nothing configured: only the (empty) backend settings; every default applies", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-config-"));
    expect(loadDefaultAppConfig({ cwd, env: {} })).toEqual({ platform: undefined, cluster: undefined, demoImage: undefined, hcpVault: {}, backend: {} });
  });

  test("maps the file, context and environment onto buildDefaultApp's props", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-config-"));
    fs.writeFileSync(
      path.join(cwd, "platform.config.json"),
      JSON.stringify({ platform: { location: "northeurope", apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"] } }, hcpVault: { enabled: false } }),
    );
    const cfg = loadDefaultAppConfig({
      cwd,
      context: { cluster: { auth: { mode: "terraformCloud" } } },
      env: { AKS_SECRETS__PLATFORM__NAME_PREFIX: "shop", TFC_ORGANIZATION: "acme" },
    });
    expect(cfg.platform).toEqual({ location: "northeurope", namePrefix: "shop", apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"] } });
    expect(cfg.cluster).toEqual({ auth: { mode: "terraformCloud" } });
    expect(cfg.hcpVault).toBe(false);
    expect(cfg.backend).toMatchObject({ organization: "acme" });
  });

  test("deployer access can be switched off from the environment", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-config-"));
    expect(loadDefaultAppConfig({ cwd, env: { AKS_SECRETS__PLATFORM__DEPLOYER_ACCESS: "false" } }).platform).toEqual({ deployerAccess: false });
  });

  test("local admin access cannot be switched on from configuration (it needs a reason in code)", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-config-"));
    expect(() => loadDefaultAppConfig({ cwd, env: { AKS_SECRETS__CLUSTER__AUTH__MODE: "localAdmin" } })).toThrow(
      /\[environment AKS_SECRETS__CLUSTER__AUTH__MODE\] cluster.auth.mode: "localAdmin" — must be one of "azureCli", "workloadIdentity", "terraformCloud", "managedIdentity"/,
    );
  });
});

describe("required settings of the default app's schema", () => {
  const load = (config: unknown, env: Record<string, string> = {}) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-config-"));
    fs.writeFileSync(path.join(cwd, "platform.config.json"), JSON.stringify(config));
    try {
      loadDefaultAppConfig({ cwd, env });
    } catch (e) {
      return (e as ValidationError).problems.map((p) => [p.path, p.field]);
    }
    return [];
  };
  const FILE = "config file platform.config.json";

  test.each([
    ["platform.workloads[]", { platform: { workloads: [{}] } }, ["name", "namespace", "serviceAccountName", "secrets"].map((k) => `platform.workloads[0].${k}`)],
    ["hcpVault.workloads[]", { hcpVault: { workloads: [{}] } }, ["name", "namespace", "serviceAccountName", "secrets"].map((k) => `hcpVault.workloads[0].${k}`)],
    [
      "hcpVault.workloads[].secrets[]",
      { hcpVault: { workloads: [{ name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [{}] }] } },
      ["path", "destination"].map((k) => `hcpVault.workloads[0].secrets[0].${k}`),
    ],
    ["hcpVault.hcp.existingHvn", { hcpVault: { hcp: { existingHvn: { projectId: "p" } } } }, ["hvnId", "cidrBlock"].map((k) => `hcpVault.hcp.existingHvn.${k}`)],
    [
      "hcpVault.hcp.extraSpokes[]",
      { hcpVault: { hcp: { extraSpokes: [{}] } } },
      ["name", "vnetId", "vnetName", "resourceGroupName", "location", "subscriptionId", "tenantId", "addressRanges"].map((k) => `hcpVault.hcp.extraSpokes[0].${k}`),
    ],
    ["platform.apiServerAccess", { platform: { apiServerAccess: { ranges: ["203.0.113.0/24"] } } }, ["platform.apiServerAccess.mode"]],
    ["cluster.auth", { cluster: { auth: { clientId: "11111111-2222-3333-4444-555555555555" } } }, ["cluster.auth.mode"]],
  ])("%s: each required key left out is reported on the config file", (_what, config, fields) => {
    expect(load(config)).toEqual(fields.map((f) => [FILE, f]));
  });

  test("platform and hcpVault themselves need no key: a partial platform in the file is complete with defaults", () => {
    expect(load({ platform: { location: "northeurope" }, hcpVault: { hcp: { hvnCidr: "172.26.0.0/20" } } })).toEqual([]);
  });

  test("the API server mode may come from the environment while the ranges are in the file", () => {
    expect(load({ platform: { apiServerAccess: { ranges: ["203.0.113.0/24"] } } }, { AKS_SECRETS__PLATFORM__API_SERVER_ACCESS__MODE: "authorizedIpRanges" })).toEqual([]);
  });
});

describe("the app command with configuration", () => {
  test("defaults: five stacks, local state, no credentials needed", () => {
    const r = runApp();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stacks).toEqual(["cluster", "cluster-vault", "hcp", "platform", "vault-config"]);
    for (const s of r.stacks) expect(r.read(s).terraform.cloud).toBeUndefined();
  });

  test("TFC_ORGANIZATION: a cloud block and a named workspace per stack, cross-stack state read from those workspaces", () => {
    const r = runApp({ env: { TFC_ORGANIZATION: "acme", TFC_WORKSPACE_PREFIX: "aks-secrets-", TFC_PROJECT: "platform" } });
    expect(r.status).toBe(0);
    // The bootstrap stack creates the workspaces: its own state stays local (test/terraform-cloud/).
    expect(r.stacks).toContain("tfc-bootstrap");
    expect(r.read("tfc-bootstrap").terraform.cloud).toBeUndefined();
    for (const s of r.stacks.filter((x) => x !== "tfc-bootstrap")) {
      expect(r.read(s).terraform.cloud).toEqual({ organization: "acme", workspaces: { name: `aks-secrets-${s}`, project: "platform" } });
    }
    const remote = Object.values(r.read("cluster").data.terraform_remote_state) as any[];
    expect(remote.map((x) => [x.backend, x.config.organization, x.config.workspaces.name])).toEqual([["remote", "acme", "aks-secrets-platform"]]);
  });

  test("a config file changes names, location and ranges", () => {
    const r = runApp({
      config: {
        platform: { namePrefix: "shop", location: "northeurope", vnetAddressSpace: ["10.40.0.0/16"], nodeSubnetCidr: "10.40.0.0/22", keyVaultName: "kv-shop-cfg-01" },
        hcpVault: { enabled: false },
      },
    });
    expect(r.status).toBe(0);
    expect(r.stacks).toEqual(["cluster", "platform"]);
    const p = r.read("platform");
    expect(Object.values(p.resource.azurerm_key_vault).map((v: any) => [v.name, v.location])).toEqual([["kv-shop-cfg-01", "northeurope"]]);
    expect(Object.values(p.resource.azurerm_virtual_network).map((v: any) => v.address_space)).toEqual([["10.40.0.0/16"]]);
  });

  test("bad configuration: exit 1, a message naming where, field, value and rule, no stack trace, nothing written", () => {
    const r = runApp({ config: { platform: { keyVaultAuthorization: "open", nodeSubnetCidr: "10.99.0.0/22" } }, env: { AKS_SECRETS__PLATFORM__CLUSTER__NODE_COUNT: "two" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[config file platform.config.json] platform.keyVaultAuthorization: "open" — must be one of "accessPolicy", "rbac"');
    expect(r.stderr).toContain('[environment AKS_SECRETS__PLATFORM__CLUSTER__NODE_COUNT] platform.cluster.nodeCount: "two" — must be a number');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stacks).toEqual([]);
  });

  test("configuration that is well-typed but breaks a construct rule fails the same way as a bad prop", () => {
    const r = runApp({ config: { platform: { nodeSubnetCidr: "10.99.0.0/22" } } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[platform] nodeSubnetCidr: "10.99.0.0/22" — must lie inside the VNet address space 10.20.0.0/16');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stacks).toEqual([]);
  });
});

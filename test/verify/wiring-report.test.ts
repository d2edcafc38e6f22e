import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { validateTree, ValidationError } from "../../core/validation";
import { validateAndSynth } from "../../core/synth";
import { allowUnverifiedWiring, applyWiringChecks, formatWiringReport, WIRING_REPORT_FILE, wiringMermaid, wiringReport, writeWiringReport } from "../../verify/wiring";
import { buildDefaultApp } from "../../app/default-app";

const TENANT = "11111111-2222-3333-4444-555555555555";

/** Node ids declared in a Mermaid flowchart, and the pairs of ids each edge joins. */
function parseFlowchart(src: string): { nodes: Map<string, string>; edges: [string, string, string | undefined][] } {
  const lines = src.split("\n");
  expect(lines[0]).toBe("flowchart LR");
  const nodes = new Map<string, string>();
  const edges: [string, string, string | undefined][] = [];
  for (const line of lines.slice(1).map((l) => l.trim())) {
    const edge = /^(n\d+) (?:-- "([^"]*)" )?--> (n\d+)$/.exec(line);
    if (edge) {
      edges.push([edge[1], edge[3], edge[2]]);
      continue;
    }
    const node = /^(n\d+)(?:\["([^"]*)"\]|\("([^"]*)"\)|\[\("([^"]*)"\)\]|>"([^"]*)"\])$/.exec(line);
    if (node) {
      nodes.set(node[1], node[2] ?? node[3] ?? node[4] ?? node[5]);
      continue;
    }
    if (/^classDef |^class /.test(line)) continue;
    throw new Error(`unexpected flowchart line: ${line}`);
  }
  return { nodes, edges };
}

describe("wiring report of the default app", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "wiring-report-"));
  const app = new App({ outdir });
  buildDefaultApp(app, { platform: { tenantId: TENANT } });
  applyWiringChecks(app); // idempotent: also fine once buildDefaultApp applies it itself
  const report = wiringReport(app);

  test("the default app has no wiring problem, no accepted link, no security finding and no suppression", () => {
    expect(() => validateTree(app)).not.toThrow();
    expect(report.problems).toEqual([]);
    expect(report.accepted).toEqual([]);
    expect(report.unusedOptOuts).toEqual([]);
    expect(report.security.findings).toEqual([]);
    expect(report.security.suppressed).toEqual([]);
    // And with the test app cdktf gives.
    const testApp = Testing.app();
    buildDefaultApp(testApp);
    applyWiringChecks(testApp);
    expect(() => validateTree(testApp)).not.toThrow();
  });

  test("lists the two Key Vault demo workloads and the HCP Vault demo", () => {
    const byVia = Object.fromEntries(report.paths.map((p) => [p.via, p]));
    expect(Object.keys(byVia).sort()).toEqual(["SecretProviderClass demo/demo-kv-addon", "SecretProviderClass demo/demo-kv-workload-identity", "VaultAuth demo/vault-demo"]);
    expect(byVia["SecretProviderClass demo/demo-kv-workload-identity"]).toEqual({
      store: "azure-key-vault",
      // The default name is computed by Terraform: the report names the construct, and says access policies are vault-wide.
      storeLabel: "Key Vault platform/keyvault [access policies: every grant covers the whole vault]",
      via: "SecretProviderClass demo/demo-kv-workload-identity",
      viaPath: "cluster/demo-workload-identity/secret-provider-class",
      installer: "the AKS add-on's Azure provider (cluster platform/cluster)",
      cluster: "platform/cluster",
      namespace: "demo",
      workloads: ["Deployment demo/demo-workload-identity"],
      serviceAccounts: ["demo/demo-app"],
      identityMode: "workload-identity",
      identity: "WorkloadIdentity platform/workload-demo",
      secrets: ["demo-username", "demo-password"],
      syncedSecrets: ["demo/demo-kv-workload-identity"],
      verified: true,
    });
    expect(byVia["SecretProviderClass demo/demo-kv-addon"]).toEqual(
      expect.objectContaining({ store: "azure-key-vault", workloads: ["Deployment demo/demo-addon-identity"], serviceAccounts: [], identityMode: "vm-managed-identity", identity: "CSI add-on identity of platform/cluster [on every node: any pod of the cluster can use it]", secrets: ["demo-username", "demo-password"], verified: true }),
    );
    expect(byVia["VaultAuth demo/vault-demo"]).toEqual(
      expect.objectContaining({ store: "vault", storeLabel: "HCP Vault vault-secrets (hcp/vault)", cluster: "platform/cluster", serviceAccounts: ["demo/demo-vault"], identityMode: "vault-jwt", identity: "JWT role demo (auth/jwt-aks, audiences vault)", secrets: ["secret/demo/config"], syncedSecrets: ["demo/demo-config"], verified: true }),
    );
  });

  test("renders Markdown with a table and a Mermaid flowchart whose edges join declared nodes", () => {
    const md = formatWiringReport(report);
    expect(md).toMatch(/^# Wiring report\n/);
    expect(md).toContain("| Deployment demo/demo-workload-identity | demo/demo-app | SecretProviderClass demo/demo-kv-workload-identity | the AKS add-on's Azure provider (cluster platform/cluster) | WorkloadIdentity platform/workload-demo (workload identity) |");
    expect(md).toContain("Security rules: ");
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(md);
    expect(block).not.toBeNull();
    const { nodes, edges } = parseFlowchart(block![1]);
    for (const [a, b] of edges) {
      expect(nodes.has(a)).toBe(true);
      expect(nodes.has(b)).toBe(true);
    }
    const id = (label: string) => [...nodes].find(([, l]) => l === label)?.[0];
    const has = (from: string, to: string, label?: string) => edges.some(([a, b, l]) => a === id(from) && b === id(to) && l === label);
    const store = "Key Vault platform/keyvault [access policies: every grant covers the whole vault]";
    // workload identity: deployment -> service account -> class -> identity -> vault -> secrets
    expect(has("Deployment demo/demo-workload-identity", "ServiceAccount demo/demo-app", "runs as")).toBe(true);
    expect(has("ServiceAccount demo/demo-app", "SecretProviderClass demo/demo-kv-workload-identity")).toBe(true);
    expect(has("SecretProviderClass demo/demo-kv-workload-identity", "WorkloadIdentity platform/workload-demo", "workload identity")).toBe(true);
    expect(has("WorkloadIdentity platform/workload-demo", store, "reads")).toBe(true);
    expect(has(store, "demo-username")).toBe(true);
    // add-on identity: deployment -> class -> add-on identity -> the same vault node
    expect(has("Deployment demo/demo-addon-identity", "SecretProviderClass demo/demo-kv-addon", "mounts")).toBe(true);
    expect(has("CSI add-on identity of platform/cluster [on every node: any pod of the cluster can use it]", store, "reads")).toBe(true);
    // HCP Vault: service account -> VaultAuth -> role -> HCP Vault -> path
    expect(has("ServiceAccount demo/demo-vault", "VaultAuth demo/vault-demo")).toBe(true);
    expect(has("JWT role demo (auth/jwt-aks, audiences vault)", "HCP Vault vault-secrets (hcp/vault)", "reads")).toBe(true);
    expect(has("HCP Vault vault-secrets (hcp/vault)", "secret/demo/config")).toBe(true);
    expect(block![1]).not.toContain("classDef broken");
  });

  test("validateAndSynth writes the report beside the synthesized stacks, and prints it with WIRING_REPORT=1", () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: any) => {
      out.push(String(chunk));
      return true;
    });
    process.env.WIRING_REPORT = "1";
    try {
      validateAndSynth(app);
    } finally {
      delete process.env.WIRING_REPORT;
      spy.mockRestore();
    }
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["cluster", "cluster-vault", "hcp", "platform", "vault-config"]);
    const written = fs.readFileSync(path.join(outdir, WIRING_REPORT_FILE), "utf8");
    expect(written).toContain("```mermaid\nflowchart LR\n");
    expect(written).toContain("VaultAuth demo/vault-demo");
    expect(out.join("")).toContain(written);
  });
});

describe("wiring report of an app with problems", () => {
  test("lists the problems, marks the path and the diagram node as broken, and records accepted links", () => {
    const app = Testing.app();
    const built = buildDefaultApp(app, { platform: { tenantId: TENANT }, hcpVault: false });
    new SecretProviderClass(built.cluster, "typo-kv", {
      name: "typo-kv",
      namespace: "demo",
      provider: { type: "azure", keyVault: built.platform.keyVault, identity: { mode: "vmManagedIdentity", identity: built.platform.cluster.secretsProviderIdentity }, objects: [{ objectName: "demo-passwrd" }] },
    });
    const legacy = new SecretProviderClass(built.cluster, "legacy-kv", {
      name: "legacy-kv",
      namespace: "demo",
      provider: { type: "azure", keyvaultName: "kv-legacy-team", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: built.platform.cluster.secretsProviderIdentity }, objects: [{ objectName: "token" }] },
    });
    allowUnverifiedWiring(legacy, { reason: "the legacy vault is managed by the data team" });
    applyWiringChecks(app);
    const report = wiringReport(app);
    // Access policies are vault-wide (the default platform's mode): only the declaration check catches the typo.
    expect(report.problems.map((p) => [p.path, p.field, p.value])).toEqual([["cluster/typo-kv", "provider.objects[0].objectName", '"demo-passwrd"']]);
    expect(report.paths.find((p) => p.via === "SecretProviderClass demo/typo-kv")?.verified).toBe(false);
    expect(report.accepted).toEqual([expect.objectContaining({ path: "cluster/legacy-kv", field: "provider.keyvaultName", reason: "the legacy vault is managed by the data team" })]);
    const md = formatWiringReport(report);
    expect(md).toContain("## Problems\n\n- [cluster/typo-kv] provider.objects[0].objectName: \"demo-passwrd\" — is not a secret of Key Vault platform/keyvault");
    expect(md).toContain("- [cluster/legacy-kv] provider.keyvaultName: \"kv-legacy-team\" — accepted on cluster/legacy-kv: the legacy vault is managed by the data team");
    const mermaid = wiringMermaid(report);
    const typo = /^ {2}(n\d+)\["SecretProviderClass demo\/typo-kv"\]$/m.exec(mermaid)![1];
    expect(mermaid).toMatch(new RegExp(`^  class (n\\d+,)*${typo}(,n\\d+)* broken$`, "m"));
    expect(() => validateTree(app)).toThrow(/\[cluster\/typo-kv\] provider.objects\[0\].objectName: "demo-passwrd" — is not a secret of Key Vault/);
  });
});

test("the report includes the constructs' own wiring checks (a class's read grants), run once", () => {
  const app = Testing.app();
  const built = buildDefaultApp(app, { platform: { tenantId: TENANT, keyVaultAuthorization: "rbac", addonReadsSecrets: ["demo-username"] }, hcpVault: false });
  applyWiringChecks(app);
  expect(() => validateTree(app)).toThrow(/\[cluster\/demo-kv-addon\] provider.objects\[1\].objectName: "demo-password" — the csi-addon identity platform\/cluster has no read grant/);
  const report = wiringReport(app);
  expect(report.problems).toEqual([expect.objectContaining({ path: "cluster/demo-kv-addon", field: "provider.objects[1].objectName", value: '"demo-password"' })]);
  expect(report.paths.find((p) => p.via === "SecretProviderClass demo/demo-kv-addon")?.verified).toBe(false);
  expect(report.paths.find((p) => p.via === "SecretProviderClass demo/demo-kv-workload-identity")?.verified).toBe(true);
  expect(built.platform.keyVault.authorization).toBe("rbac");
});

describe("writeWiringReport", () => {
  test("writes into the App's outdir by default, or into the directory given", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "wiring-report-write-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "empty");
    expect(writeWiringReport(stack)).toBe(path.join(outdir, WIRING_REPORT_FILE));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "wiring-report-other-"));
    expect(writeWiringReport(app, other)).toBe(path.join(other, WIRING_REPORT_FILE));
    expect(fs.readFileSync(path.join(other, WIRING_REPORT_FILE), "utf8")).toMatch(/^# Wiring report\n\n0 path\(s\) from workloads to secrets; no wiring problem\./);
  });

  test("a tree whose root is not an App and no directory: a programming error naming the fix, not a ValidationError; nothing written", () => {
    const root = new Construct(undefined as unknown as Construct, "tree");
    const child = new Construct(root, "child");
    let error: unknown;
    try {
      writeWiringReport(child);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(
      'writeWiringReport: no directory to write wiring-report.md to: the root of the construct tree (Construct "tree") has no outdir, so it is not a cdktf App; pass the directory as the second argument, writeWiringReport(app, "cdktf.out"), or build the stacks in an App',
    );
    // With a directory it works for such a tree too.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wiring-report-tree-"));
    expect(fs.existsSync(writeWiringReport(child, dir))).toBe(true);
  });
});

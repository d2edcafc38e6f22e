// One acceptance API for security rule ids and wiring check ids, and the wiring checks' catalog.
import fs from "node:fs";
import path from "node:path";
import { Testing } from "cdktf";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { validateTree, ValidationError } from "../../core/validation";
import { buildDefaultApp } from "../../app/default-app";
import { Verification } from "../../verify/acceptance";
import { securityReport } from "../../verify/security-rules";
import { applyWiringChecks, formatWiringReport, wiringChecks, wiringChecksMarkdown, wiringReport } from "../../verify/wiring";
import { expectProblem } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";

/** The default app (no HCP), with a class reading a vault the app does not know, through the add-on identity of a cluster of another app. */
function legacy() {
  const app = Testing.app();
  const built = buildDefaultApp(app, { platform: { tenantId: TENANT }, hcpVault: false });
  const spc = new SecretProviderClass(built.cluster, "legacy-kv", {
    name: "legacy-kv",
    namespace: "demo",
    provider: { type: "azure", keyvaultName: "kv-legacy-team", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: { clientId: "0f0e0d0c-0b0a-0908-0706-050403020100" } }, objects: [{ objectName: "token" }] },
  });
  applyWiringChecks(app);
  return { app, built, spc };
}

const failures = (app: ReturnType<typeof Testing.app>) => {
  try {
    validateTree(app);
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => [p.path, p.field]);
    throw e;
  }
};

describe("Verification.of(scope).accept({ id, reason })", () => {
  test("a wiring check id accepts that check's unverifiable links only; the report lists them with the id", () => {
    const { app, spc } = legacy();
    expect(failures(app)).toEqual([
      ["cluster/legacy-kv", "provider.keyvaultName"],
      ["cluster/legacy-kv", "provider.identity.identity"],
    ]);
    Verification.of(spc).accept({ id: "AKSW-KV1", reason: "the legacy vault is managed by the data team" });
    expect(failures(app)).toEqual([["cluster/legacy-kv", "provider.identity.identity"]]);
    Verification.of(app.node.findChild("cluster")).accept({ id: "AKSW-KV6", reason: "the legacy node pool carries this identity" });
    expect(failures(app)).toEqual([]);
    const report = wiringReport(app);
    expect(report.accepted.map((a) => [a.path, a.field, a.checkId, a.optOutAt, a.reason])).toEqual([
      ["cluster/legacy-kv", "provider.keyvaultName", "AKSW-KV1", "cluster/legacy-kv", "the legacy vault is managed by the data team"],
      ["cluster/legacy-kv", "provider.identity.identity", "AKSW-KV6", "cluster", "the legacy node pool carries this identity"],
    ]);
    expect(formatWiringReport(report)).toContain("- [cluster/legacy-kv] provider.keyvaultName: \"kv-legacy-team\" — accepted on cluster/legacy-kv: the legacy vault is managed by the data team (AKSW-KV1)");
    // An acceptance that matches nothing is listed as unused.
    Verification.of(app.node.findChild("cluster")).accept({ id: "AKSW-VSO1", reason: "the operator's service accounts come from GitOps" });
    expect(wiringReport(app).unusedOptOuts).toEqual([{ path: "cluster", reason: "AKSW-VSO1: the operator's service accounts come from GitOps" }]);
  });

  test("a broken link is not accepted by its check's id", () => {
    const app = Testing.app();
    const built = buildDefaultApp(app, { platform: { tenantId: TENANT }, hcpVault: false });
    const typo = new SecretProviderClass(built.cluster, "typo-kv", {
      name: "typo-kv",
      namespace: "demo",
      provider: { type: "azure", keyVault: built.platform.keyVault, identity: { mode: "vmManagedIdentity", identity: built.platform.cluster.secretsProviderIdentity }, objects: [{ objectName: "demo-passwrd" }] },
    });
    Verification.of(typo).accept({ id: "AKSW-KV8", reason: "we are sure the secret exists" });
    applyWiringChecks(app);
    expect(failures(app)).toEqual([["cluster/typo-kv", "provider.objects[0].objectName"]]);
    expect(wiringReport(app).problems).toEqual([expect.objectContaining({ path: "cluster/typo-kv", checkId: "AKSW-KV8" })]);
    expect(formatWiringReport(wiringReport(app))).toMatch(/— is not a secret of Key Vault platform\/keyvault .* \(AKSW-KV8 Mounted secrets are declared in the vault; at runtime: the mount fails with SecretNotFound \(404\)\)/);
  });

  test("a security rule id is a suppression, listed in the security report (here unused: the vault complies)", () => {
    const app = Testing.app();
    buildDefaultApp(app, { platform: { tenantId: TENANT }, hcpVault: false });
    const vault = app.node.findAll().find((c) => c.node.path === "platform/keyvault")!;
    Verification.of(vault).accept({ id: "AKSS-KV1", reason: "purge protection is managed by policy" });
    expect(securityReport(app).unusedSuppressions).toEqual([{ path: "platform/keyvault", id: "AKSS-KV1", reason: "purge protection is managed by policy" }]);
  });

  test("an unknown id or a short reason is refused before anything is recorded", () => {
    const { spc } = legacy();
    expectProblem(() => Verification.of(spc).accept({ id: "AKSW-KV1", reason: "ok" }, { id: "AKSS-NOPE", reason: "a long enough reason" }), { path: "cluster/legacy-kv", field: "accept[1].id", value: "AKSS-NOPE", rule: /^must be a security rule id \(AKSS-KV1, .*\) or a wiring check id \(AKSW-SA1, / });
    expect(spc.node.metadata.filter((m) => m.type.startsWith("aks-secrets:accept"))).toEqual([]);
  });
});

describe("the wiring checks' catalog", () => {
  test("every check has a unique AKSW id, a title, what fails at runtime and the fix", () => {
    const checks = wiringChecks();
    expect(checks.length).toBeGreaterThanOrEqual(20);
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    for (const c of checks) {
      expect(c.id).toMatch(/^AKSW-[A-Z0-9]+[0-9]$/);
      for (const text of [c.title, c.consequence, c.fix]) expect(text.length).toBeGreaterThan(10);
    }
  });

  test("the README's table is wiringChecksMarkdown()", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const table = /<!-- wiring-checks:start -->\n([\s\S]*?)\n<!-- wiring-checks:end -->/.exec(readme)?.[1];
    expect(table).toBe(wiringChecksMarkdown().trim());
  });
});

// Everything the README shows in TypeScript is run here: each ```ts block is extracted, its
// package imports pointed at this repository, type-checked with tsc, bundled and executed in a
// process of its own. The security rules table is checked against securityRulesMarkdown().
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { securityRulesMarkdown } from "../verify/security-rules";

const ROOT = path.resolve(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const GEN = path.join(ROOT, ".gen", "readme");

beforeAll(() => {
  fs.rmSync(GEN, { recursive: true, force: true });
  fs.mkdirSync(GEN, { recursive: true });
  blocks.forEach((code, i) => {
    const local = code.replace(/from "aks-secrets-platform(\/[^"]*)?"/g, (_m, sub: string | undefined) => `from "../../${sub ? sub.slice(1) : "index"}"`);
    fs.writeFileSync(path.join(GEN, `example-${i + 1}.ts`), local);
  });
  fs.writeFileSync(
    path.join(GEN, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { rootDir: "../.." }, include: ["*.ts"] }),
  );
});

test("the README has TypeScript examples", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(3);
});

test("every example type-checks against the library", () => {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", GEN], { stdio: "pipe" });
});

test.each(blocks.map((_, i) => [i + 1]))("example %i runs and synthesizes", (n) => {
  const entry = path.join(GEN, `example-${n}.ts`);
  const outfile = path.join(GEN, `example-${n}.js`);
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "cjs", packages: "external", logLevel: "error" });
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-"));
  execFileSync(process.execPath, [outfile], { cwd: GEN, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: "pipe" });
  const stacks = fs.readdirSync(path.join(outdir, "stacks"));
  expect(stacks.length).toBeGreaterThan(0);
  for (const s of stacks) expect(fs.existsSync(path.join(outdir, "stacks", s, "cdk.tf.json"))).toBe(true);
});

test("the security rules table is the rules' own", () => {
  const table = /<!-- rules-table:start -->\n([\s\S]*?)\n<!-- rules-table:end -->/.exec(README)?.[1];
  expect(table).toBe(securityRulesMarkdown().trim());
});

describe("the README's configuration example", () => {
  const json = /```json\n([\s\S]*?)```/.exec(README)?.[1];

  test("is there, and is what the default app accepts: it synthesizes with it, with the env override shown beside it", () => {
    expect(json).toBeDefined();
    const { App } = require("cdktf");
    const { loadDefaultAppConfig } = require("../app/app-config");
    const { buildDefaultApp } = require("../app/default-app");
    const { validateTree } = require("../core/validation");
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "readme-config-"));
    fs.writeFileSync(path.join(cwd, "platform.config.json"), json!);
    const env = { AKS_SECRETS__PLATFORM__LOCATION: "northeurope" };
    expect(README).toContain("AKS_SECRETS__PLATFORM__LOCATION=northeurope");
    const config = loadDefaultAppConfig({ cwd, env });
    const app = new App({ outdir: path.join(cwd, "out") });
    const built = buildDefaultApp(app, config);
    validateTree(app);
    app.synth();
    expect(built.platform.keyVault.name).toBe("kv-shop-prod-01");
    expect(built.platform.location).toBe("northeurope");
    expect(built.hcpVault).toBeDefined();
  });
});

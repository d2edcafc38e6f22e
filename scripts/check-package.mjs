#!/usr/bin/env node
// The packed-package test: packs this package as npm would publish it, installs the tarball
// into a fresh project (with its peer dependencies, from the registry or npm's cache), then
// type-checks and runs a TypeScript consumer that imports the package root and a deep
// `constructs/*` entry, composes a stack of its own and synthesizes it.
//
//   npm run test:package
//
// Prints "package: N passed, 0 failed" and exits 0 when everything holds.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "check-package-"));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" } });
let passed = 0;
let failed = 0;
const check = (what, ok, detail = "") => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${!ok && detail ? `\n     ${detail}` : ""}`);
};

try {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tmp], root))[0];
  const tarball = path.join(tmp, packed.filename);
  const files = packed.files.map((f) => f.path);
  check("the tarball carries the built root and its declarations", files.includes("dist/index.js") && files.includes("dist/index.d.ts"));
  check("the tarball carries no tests, sources or benchmarks", !files.some((f) => /^(test|bench|core|constructs|verify|stacks|app)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts"))), files.join(", "));

  const app = path.join(tmp, "consumer");
  fs.mkdirSync(app);
  // Optional peers (the Terraform Cloud bootstrap's tfe provider) stay out: the package must work without them.
  const peers = Object.entries(pkg.peerDependencies).filter(([n]) => !pkg.peerDependenciesMeta?.[n]?.optional).map(([n, v]) => `${n}@${v}`);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }, null, 2));
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, ...peers], app);
  check("installs into a fresh project with its peers", fs.existsSync(path.join(app, "node_modules", pkg.name, "dist", "index.js")));
  // The stack below imports the package root: it must load without the optional peers.
  check("the optional peers are not installed (the root loads without them)", !fs.existsSync(path.join(app, "node_modules", "@cdktf", "provider-tfe")));

  fs.writeFileSync(
    path.join(app, "stack.ts"),
    `import { App, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { AksCluster, KeyVault, WorkloadIdentity, PlatformStack, validateAndSynth } from "${pkg.name}";
import { KeyVault as DeepKeyVault } from "${pkg.name}/constructs/azure/key-vault";

// A stack of the consumer's own that uses the constructs directly.
class TeamStack extends TerraformStack {
  constructor(scope: App, id: string) {
    super(scope, id);
    new AzurermProvider(this, "azurerm", { features: [{}] });
    const cluster = new AksCluster(this, "cluster", {
      name: "aks-team", resourceGroupName: "rg-team", location: "westeurope",
      nodeSubnetId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
      apiServerAccess: { mode: "private" },
    });
    const vault: KeyVault = new DeepKeyVault(this, "vault", {
      name: "kv-team-0001", resourceGroupName: "rg-team", location: "westeurope",
      tenantId: "11111111-2222-3333-4444-555555555555",
    });
    const identity = new WorkloadIdentity(this, "orders", {
      name: "id-orders", resourceGroupName: "rg-team", location: "westeurope", issuer: cluster,
      serviceAccounts: [{ namespace: "shop", name: "orders" }],
    });
    vault.grantSecretRead(identity, { secrets: ["orders-db"] });
  }
}

const app = new App({ outdir: "out" });
new TeamStack(app, "team");
new PlatformStack(app, "platform");
validateAndSynth(app);
`,
  );
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, skipLibCheck: true, outDir: "build", types: [] }, include: ["stack.ts"] }),
  );
  try {
    run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."], app);
    check("a TypeScript consumer type-checks against the published declarations", true);
  } catch (e) {
    check("a TypeScript consumer type-checks against the published declarations", false, `${e.stdout}${e.stderr}`);
  }
  run(process.execPath, ["build/stack.js"], app);
  const team = JSON.parse(fs.readFileSync(path.join(app, "out", "stacks", "team", "cdk.tf.json"), "utf8"));
  check("the consumer's own stack synthesizes with the constructs' resources", !!team.resource?.azurerm_kubernetes_cluster && !!team.resource?.azurerm_role_assignment && !!team.resource?.azurerm_federated_identity_credential);
  check("the exported PlatformStack synthesizes in the consumer's app", fs.existsSync(path.join(app, "out", "stacks", "platform", "cdk.tf.json")));
} catch (e) {
  check("packing, installing and running the consumer", false, `${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`package: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

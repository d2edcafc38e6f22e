#!/usr/bin/env node
// Synthesis cost of the default app against its floor.
//
//   node bench/synth.mjs [--runs N] [--check]
//
// "app":   the real app command of cdktf.json (scripts/run-app.mjs) with its bundle up to date;
// "cold":  the same after a source change, so esbuild rebuilds the bundle first.
// "floor": a minimal cdktf app (one stack, one resource) that loads exactly the provider
//          modules the default app loads, as precompiled JS: what no app using those
//          bindings can go below.
// Prints median wall time and median peak RSS of each and their ratio. With --check, exits 1
// when the app costs more than 1.5x the floor in time or memory.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 7;
const check = args.includes("--check");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));

// Which provider modules does the default app load? Ask esbuild.
const meta = (await build({ entryPoints: [path.join(root, "main.ts")], bundle: true, platform: "node", packages: "external", write: false, metafile: true, logLevel: "silent" })).metafile;
const providerModules = [...new Set(Object.values(meta.inputs).flatMap((i) => i.imports.map((x) => x.path)).filter((p) => p.startsWith("@cdktf/provider-")))].sort();

const floorFile = path.join(tmp, "floor.cjs");
fs.writeFileSync(
  floorFile,
  `const { App, TerraformStack } = require("cdktf");
${providerModules.map((m) => `require(${JSON.stringify(m)});`).join("\n")}
const { AzurermProvider } = require("@cdktf/provider-azurerm/lib/provider");
const { ResourceGroup } = require("@cdktf/provider-azurerm/lib/resource-group");
const app = new App();
const s = new TerraformStack(app, "floor");
new AzurermProvider(s, "azurerm", { features: [{}] });
new ResourceGroup(s, "rg", { name: "rg", location: "westeurope" });
app.synth();
`,
);
fs.symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"));

function measure(argv, before) {
  before?.();
  const report = path.join(tmp, "rss");
  const env = { ...process.env, BENCH_REPORT: report, CDKTF_OUTDIR: path.join(tmp, "out") };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-r", path.join(root, "bench/measure.cjs"), ...argv], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed:\n${r.stderr}`);
  return { ms, rss: Number(fs.readFileSync(report, "utf8")) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function series(argv, before) {
  measure(argv, before); // warm the file cache
  const xs = Array.from({ length: runs }, () => measure(argv, before));
  return { ms: median(xs.map((x) => x.ms)), rss: median(xs.map((x) => x.rss)) };
}

const floor = series([floorFile]);
const appCmd = [path.join(root, "scripts/run-app.mjs")];
const cold = series(appCmd, () => fs.rmSync(path.join(root, ".cdktf-app"), { recursive: true, force: true }));
const app = series(appCmd);
const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const ratioMs = Math.max(app.ms, cold.ms) / floor.ms;
const ratioRss = Math.max(app.rss, cold.rss) / floor.rss;
console.log(`provider modules loaded: ${providerModules.length}; runs: ${runs} (medians)`);
console.log(`${"".padEnd(8)}${"wall".padStart(10)}${"peak RSS".padStart(12)}`);
console.log(`${"floor".padEnd(8)}${`${floor.ms.toFixed(0)} ms`.padStart(10)}${mb(floor.rss).padStart(12)}`);
console.log(`${"app".padEnd(8)}${`${app.ms.toFixed(0)} ms`.padStart(10)}${mb(app.rss).padStart(12)}   (bundle up to date)`);
console.log(`${"cold".padEnd(8)}${`${cold.ms.toFixed(0)} ms`.padStart(10)}${mb(cold.rss).padStart(12)}   (bundle rebuilt first)`);
console.log(`${"worst".padEnd(8)}${`${ratioMs.toFixed(2)}x`.padStart(10)}${`${ratioRss.toFixed(2)}x`.padStart(12)}   (budget 1.50x)`);
fs.rmSync(tmp, { recursive: true, force: true });
if (check && (ratioMs > 1.5 || ratioRss > 1.5)) {
  console.error("the default app costs more than 1.5x its floor");
  process.exit(1);
}

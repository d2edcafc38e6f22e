#!/usr/bin/env node
// Synthesis cost of the default app as the number of bound workloads grows.
//
//   node bench/scale.mjs [--sizes 1,100,500,1000] [--runs 3] [--auth rbac|accessPolicy]
//                        [--per-namespace 10] [--identity-bindings] [--profile] [--check] [--verbose]
//
// --identity-bindings: the fleet shares one identity through an AKS identity binding and one
// ClusterRole (no identity or federated credential per workload), in both the app and the floor.
//
// For each size N, a child process (bench/scale-app.ts, bundled with esbuild) builds the
// default app (buildDefaultApp: security rules and wiring checks included) plus N workloads
// bound with KeyVaultWorkloadBinding (team namespaces of --per-namespace workloads, a service
// account and an identity each, 1-3 secrets, every other one synced to a Kubernetes Secret),
// runs validateAndSynth (validateTree, app.synth() into a temp dir, after-synth hooks) as the
// app command does, and reports the split of its time and its peak RSS. One process per size
// and run, so memory is measured per size; runs go round robin over the sizes so a burst of
// load from elsewhere does not land on one size only.
//
// Prints, per size, medians: resources synthesized, wall and CPU time of the whole process, the
// load / build / validate / synth / hooks split, ms per workload over the smallest size, peak
// RSS. Then the linearity verdict: a least-squares fit wall = a + b*N with its worst relative
// deviation, the marginal cost per workload between consecutive sizes (judged on wall time minus
// module loading, which does not depend on N and is the noisiest part), and whether the largest
// size is under 5 s. --profile runs the two largest sizes once more under --cpu-prof and prints
// the top self-time functions (source-mapped to our .ts files) with their growth relative to N.
// Each size is also measured for the raw floor (bench/scale-floor.ts: the same resource mix per
// workload on bare bindings, no library code) in the same rounds, and the ratios are printed.
// --check exits 1 when the largest size takes 5 s or more, more than 1.5x the floor's wall time or
// peak memory, or its marginal cost per workload is more than 1.5x the previous size's; a failure
// is confirmed with as many runs again first.
// --verbose prints every run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { SourceMap } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { appExternals } from "../scripts/app-externals.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const sizes = [...new Set(opt("sizes", "1,100,500,1000").split(",").map(Number))].sort((a, b) => a - b);
const runs = Number(opt("runs", "3"));
const auth = opt("auth", "rbac");
const perNamespace = Number(opt("per-namespace", "10"));
const check = args.includes("--check");
const identityBindings = args.includes("--identity-bindings");
const profile = args.includes("--profile");
const BUDGET_MS = 5000;
const MARGINAL_BUDGET = 1.5;
const FLOOR_BUDGET = 1.5;
if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 0) || !(runs >= 1) || !(perNamespace >= 1) || !["rbac", "accessPolicy"].includes(auth)) {
  console.error("usage: node bench/scale.mjs [--sizes 1,10,100,500 (two or more)] [--runs 3] [--auth rbac|accessPolicy] [--per-namespace 10] [--identity-bindings] [--profile] [--check] [--verbose]");
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
fs.symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"));
const bundle = path.join(tmp, "scale-app.cjs");
const floorBundle = path.join(tmp, "scale-floor.cjs");
await build({
  entryPoints: [path.join(root, "bench/scale-floor.ts")],
  outfile: floorBundle,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
await build({
  entryPoints: [path.join(root, "bench/scale-app.ts")],
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: appExternals(root), // as the app command bundles (scripts/run-app.mjs): yaml bundled
  sourcemap: "external", // only read by --profile, to name our own hot functions by .ts file and line
  logLevel: "warning",
});

/** One child process for `n` workloads: its report, wall time and what it wrote. */
function measure(n, extraNodeArgs = [], entry = bundle) {
  const outdir = path.join(tmp, `out-${n}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  // Both processes run as the app command runs ours: without cdktf's per-token stack traces.
  const argv = [...extraNodeArgs, "-r", path.join(root, "scripts/no-token-stack-traces.cjs"), entry, "--workloads", String(n), "--outdir", outdir, "--auth", auth, "--per-namespace", String(perNamespace), ...(identityBindings ? ["--identity-bindings"] : [])];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd: tmp, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    console.error(`N=${n} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
    process.exit(1);
  }
  const report = JSON.parse(r.stdout.trim().split("\n").pop());
  return { wall, ...report, ...countResources(outdir) };
}

/** Resources in every stack's cdk.tf.json, in all and by type. */
function countResources(outdir) {
  const byType = {};
  let resources = 0;
  const stacksDir = path.join(outdir, "stacks");
  for (const stack of fs.readdirSync(stacksDir)) {
    const tf = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8"));
    for (const [type, byName] of Object.entries(tf.resource ?? {})) {
      const k = Object.keys(byName).length;
      resources += k;
      byType[type] = (byType[type] ?? 0) + k;
    }
  }
  return { resources, byType };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const loadBefore = os.loadavg()[0];
console.log(`bench/scale: sizes ${sizes.join(", ")}; ${runs} run(s) each (medians); Key Vault authorization "${auth}"; ${perNamespace} workloads per namespace; ${identityBindings ? "one identity for the fleet through an AKS identity binding" : "an identity per workload"}; ${os.cpus().length} CPU(s), load average ${loadBefore.toFixed(2)}`);
measure(sizes[0]); // warm the file cache
const samples = new Map(sizes.map((n) => [n, []]));
/** The raw floor (bench/scale-floor.ts: the same resource mix on bare bindings), per size, measured in the same rounds. */
const floorSamples = new Map(sizes.map((n) => [n, []]));
const round = () => {
  for (const n of sizes) {
    samples.get(n).push(measure(n));
    floorSamples.get(n).push(measure(n, [], floorBundle));
  }
};
for (let r = 0; r < runs; r++) round();

/** Prints the table and the verdict for the samples so far; returns whether a budget is exceeded. */
function report() {
  if (args.includes("--verbose")) {
    for (const [n, xs] of samples) console.log(`N=${n} runs (wall/cpu/load ms): ${xs.map((x) => `${x.wall.toFixed(0)}/${x.cpuMs.toFixed(0)}/${x.ms.load.toFixed(0)}`).join(" ")}`);
  }
  const rows = sizes.map((n) => {
    const xs = samples.get(n);
    const med = (f) => median(xs.map(f));
    const walls = xs.map((x) => x.wall);
    return {
      n,
      resources: xs[0].resources,
      byType: xs[0].byType,
      wall: med((x) => x.wall),
      net: med((x) => x.wall - x.ms.load),
      cpu: med((x) => x.cpuMs),
      load: med((x) => x.ms.load),
      build: med((x) => x.ms.build),
      validate: med((x) => x.ms.validate),
      synth: med((x) => x.ms.synth),
      after: med((x) => x.ms.after ?? 0),
      work: med((x) => x.ms.build + x.ms.validate + x.ms.synth + (x.ms.after ?? 0)),
      rss: med((x) => x.maxRssBytes),
      floorWall: median(floorSamples.get(n).map((x) => x.wall)),
      floorRss: median(floorSamples.get(n).map((x) => x.maxRssBytes)),
      floorResources: floorSamples.get(n)[0].resources,
      spread: (Math.max(...walls) - Math.min(...walls)) / median(walls),
    };
  });
  const base = rows[0];
  const cols = [
    ["N", 5, (r) => r.n],
    ["resources", 10, (r) => r.resources],
    ["wall ms", 8, (r) => r.wall.toFixed(0)],
    ["cpu ms", 7, (r) => r.cpu.toFixed(0)],
    ["load", 5, (r) => r.load.toFixed(0)],
    ["build", 6, (r) => r.build.toFixed(0)],
    ["validate", 9, (r) => r.validate.toFixed(0)],
    ["synth", 6, (r) => r.synth.toFixed(0)],
    ["hooks", 6, (r) => r.after.toFixed(0)],
    [`ms/wl over N=${base.n}`, 16, (r) => (r === base ? "-" : ((r.wall - base.wall) / (r.n - base.n)).toFixed(2))],
    ["peak MB", 8, (r) => (r.rss / 2 ** 20).toFixed(0)],
    ["floor ms", 9, (r) => r.floorWall.toFixed(0)],
    ["x wall", 7, (r) => (r.wall / r.floorWall).toFixed(2)],
    ["floor MB", 9, (r) => (r.floorRss / 2 ** 20).toFixed(0)],
    ["x mem", 6, (r) => (r.rss / r.floorRss).toFixed(2)],
    ["spread", 7, (r) => `${(r.spread * 100).toFixed(0)}%`],
  ];
  console.log(cols.map(([h, w]) => h.padStart(w)).join(" "));
  for (const r of rows) console.log(cols.map(([, w, f]) => String(f(r)).padStart(w)).join(" "));
  console.log(
    "wall: the whole child process, as seen from here; cpu: its user+system CPU time (all threads); load: node start to the app's first line\n" +
      "(modules loaded); build: buildDefaultApp + the bindings; validate/synth/hooks: the three steps of validateAndSynth (validateTree,\n" +
      "app.synth(), after-synth hooks); floor: bench/scale-floor.ts, the same resource mix per workload on bare bindings (no\n" +
      "library code), measured in the same rounds; x wall / x mem: this app over the floor; spread: (max-min)/median of the wall times.",
  );
  const top = rows[rows.length - 1];
  const perWorkload = Object.entries(top.byType)
    .map(([type, count]) => [type, count - (base.byType[type] ?? 0)])
    .filter(([, d]) => d > 0)
    .map(([type, d]) => `${type} ${(d / (top.n - base.n)).toFixed(2)}`);
  console.log(`resources per added workload: ${perWorkload.join(", ")}`);

  // Linearity 1: least squares wall = a + b*N; the worst relative deviation of a measured point from the line.
  const k = rows.length;
  const mx = rows.reduce((s, r) => s + r.n, 0) / k;
  const my = rows.reduce((s, r) => s + r.wall, 0) / k;
  const b = rows.reduce((s, r) => s + (r.n - mx) * (r.wall - my), 0) / rows.reduce((s, r) => s + (r.n - mx) ** 2, 0);
  const a = my - b * mx;
  const worst = rows
    .map((r) => ({ n: r.n, dev: (r.wall - (a + b * r.n)) / r.wall }))
    .reduce((w, d) => (Math.abs(d.dev) > Math.abs(w.dev) ? d : w));
  console.log(`\nfit: wall = ${a.toFixed(0)} ms + ${b.toFixed(2)} ms x N; worst deviation from the line ${(worst.dev * 100).toFixed(1)}% (N=${worst.n})`);

  // Linearity 2: marginal cost per workload between consecutive sizes (wall, in-process work, memory).
  const marginals = rows.slice(1).map((r, i) => {
    const p = rows[i];
    const dn = r.n - p.n;
    return { from: p.n, to: r.n, wall: (r.wall - p.wall) / dn, net: (r.net - p.net) / dn, work: (r.work - p.work) / dn, kb: (r.rss - p.rss) / dn / 1024 };
  });
  for (const m of marginals) {
    console.log(
      `marginal ${m.from}->${m.to}: ${m.net.toFixed(2)} ms/workload wall-load (${m.wall.toFixed(2)} wall, ${m.work.toFixed(2)} in-process build..hooks), ${m.kb.toFixed(0)} KB/workload peak RSS`,
    );
  }
  const last = marginals[marginals.length - 1];
  const prev = marginals[marginals.length - 2];
  let failed = false;
  if (prev) {
    // On wall time minus module loading: loading does not depend on N and is the noisiest part
    // of a run on a shared machine; everything that grows with N (exit included) stays in.
    const growth = last.net / prev.net;
    const wallGrowth = last.wall / prev.wall;
    const workGrowth = last.work / prev.work;
    const ok = growth <= MARGINAL_BUDGET;
    failed ||= !ok;
    const pct = (g) => `${g >= 1 ? "+" : ""}${((g - 1) * 100).toFixed(0)}%`;
    console.log(
      `${ok ? "LINEAR" : "SUPERLINEAR"}: the marginal cost per workload at N=${last.to} is ${growth.toFixed(2)}x that at N=${prev.to} ` +
        `(${pct(growth)} on wall-load; ${pct(wallGrowth)} wall, ${pct(workGrowth)} in-process; budget ${MARGINAL_BUDGET}x)`,
    );
  }
  const fast = top.wall < BUDGET_MS;
  failed ||= !fast;
  console.log(`${fast ? "FAST" : "SLOW"}: N=${top.n} synthesizes in ${top.wall.toFixed(0)} ms, ${fast ? "under" : "NOT under"} the ${BUDGET_MS} ms budget`);
  const xWall = top.wall / top.floorWall;
  const xMem = top.rss / top.floorRss;
  const near = xWall <= FLOOR_BUDGET && xMem <= FLOOR_BUDGET;
  failed ||= !near;
  console.log(
    `${near ? "NEAR THE FLOOR" : "FAR FROM THE FLOOR"}: N=${top.n} takes ${xWall.toFixed(2)}x the raw floor's wall time (${top.floorWall.toFixed(0)} ms, ${top.floorResources} resources) ` +
      `and ${xMem.toFixed(2)}x its peak memory (${(top.floorRss / 2 ** 20).toFixed(0)} MB); budget ${FLOOR_BUDGET}x each`,
  );
  return { failed, rows, top };
}

let { failed, rows, top } = report();
if (check && failed) {
  // A shared machine slows down in bursts: confirm a failure with as many runs again before reporting it.
  console.log(`\n--check: over budget; ${runs} more run(s) per size to tell a regression from noise...\n`);
  for (let r = 0; r < runs; r++) round();
  ({ failed, rows, top } = report());
}

const policies = top.byType.azurerm_key_vault_access_policy ?? 0;
if (policies > 0) {
  console.log(
    `note: ${policies} Key Vault access policies at N=${top.n}; a vault holds at most 1024${policies > 1024 ? " — this deployment would FAIL" : ""}. Use keyVaultAuthorization: "rbac" (one role assignment per workload and secret) at this scale.`,
  );
}
if (loadBefore > os.cpus().length * 0.5) console.log(`note: load average ${loadBefore.toFixed(2)} on ${os.cpus().length} CPU(s) before the runs: other processes compete, times are noisy (see spread)`);

if (profile) printProfile(rows.length > 1 ? rows[rows.length - 2].n : undefined, top.n);

if (check && failed) {
  console.error(`--check: N=${top.n} must take under ${BUDGET_MS} ms, within ${FLOOR_BUDGET}x of the raw floor's wall time and memory, and its marginal cost per workload must stay within ${MARGINAL_BUDGET}x of the previous size's`);
  process.exit(1);
}

/**
 * Runs sizes `small` and `big` under --cpu-prof and prints the top self-time functions at `big`,
 * each with its self-time growth from `small` divided by the growth of N: about 1.0x for a cost
 * per workload, less with a fixed part, well above 1.0x for a superlinear hot spot.
 */
function printProfile(small, big) {
  const selfTimes = (n) => {
    const dir = path.join(tmp, `prof-${n}`);
    measure(n, ["--cpu-prof", "--cpu-prof-dir", dir]);
    const prof = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))), "utf8"));
    const selfMs = new Map();
    prof.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000));
    const byFn = new Map();
    let total = 0;
    for (const node of prof.nodes) {
      const ms = selfMs.get(node.id) ?? 0;
      total += ms;
      const key = `${node.callFrame.functionName || "(anonymous)"}  ${where(node.callFrame)}`;
      byFn.set(key, (byFn.get(key) ?? 0) + ms);
    }
    return { byFn, total };
  };
  const map = new SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, "utf8")));
  const bundleUrl = pathToFileURL(bundle).href;
  const where = (cf) => {
    if (cf.url === bundleUrl) {
      const e = map.findEntry(cf.lineNumber, cf.columnNumber);
      if (e?.originalSource) return `${path.relative(root, path.resolve(path.dirname(bundle), e.originalSource.replace(/^file:\/\//, "")))}:${e.originalLine + 1}`;
    }
    if (!cf.url) return "(native)";
    const file = cf.url.startsWith("file://") ? fileURLToPath(cf.url) : cf.url;
    return `${path.relative(root, file).replace(/^.*node_modules\//, "")}:${cf.lineNumber + 1}`;
  };
  const b = selfTimes(big);
  const s = small === undefined || small === 0 ? undefined : selfTimes(small);
  const nRatio = s ? big / small : 1;
  console.log(`\nprofile of N=${big} (${b.total.toFixed(0)} ms sampled${s ? `; N=${small}: ${s.total.toFixed(0)} ms` : ""}), top self time:`);
  console.log(`${"ms".padStart(7)} ${"share".padStart(6)}${s ? ` ${`N=${small} ms`.padStart(10)} ${"growth/N".padStart(9)}` : ""}  function  file:line`);
  let flagged = 0;
  for (const [key, ms] of [...b.byFn].sort((x, y) => y[1] - x[1]).slice(0, 20)) {
    const before = s?.byFn.get(key) ?? 0;
    // Self time growth over the growth of N: about 1 for a per-workload cost, below 1 with a fixed part, above for a superlinear one.
    const g = before > 0 ? ms / before / nRatio : Infinity;
    const hot = s && ms / b.total >= 0.02 && g > MARGINAL_BUDGET;
    flagged += hot ? 1 : 0;
    const cols = s ? ` ${before.toFixed(0).padStart(10)} ${(Number.isFinite(g) ? `${g.toFixed(2)}x` : "new").padStart(9)}` : "";
    console.log(`${ms.toFixed(0).padStart(7)} ${`${((ms / b.total) * 100).toFixed(1)}%`.padStart(6)}${cols}  ${key}${hot ? "   <-- grows faster than N" : ""}`);
  }
  if (s) {
    console.log(
      flagged
        ? `${flagged} function(s) with 2% or more of the time grow more than ${MARGINAL_BUDGET}x faster than N (one sampled run each: confirm with a second --profile)`
        : `no function with 2% or more of the time grows more than ${MARGINAL_BUDGET}x faster than N`,
    );
  }
}

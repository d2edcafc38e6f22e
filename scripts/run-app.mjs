#!/usr/bin/env node
// The app command of cdktf.json. Bundles our own TypeScript sources with esbuild (dependencies
// stay external and load from node_modules) and runs the bundle in this same process: no
// type-checking on the synth path (`npm test` type-checks), no TypeScript loader hooks.
// The bundle is rebuilt only when a source is newer than it. `node bench/synth.mjs` compares
// the cost with a minimal app loading the same provider modules.
//
//   node scripts/run-app.mjs [ENTRY.ts]     (default: main.ts)
//   APP_SOURCE_MAPS=1 ...                   map stack traces back to the .ts sources
//   CDKTF_TOKEN_STACK_TRACES=1 ...          keep cdktf's per-token creation stack traces
//   APP_BUNDLE_DIR=DIR ...                  where the bundle is kept (default .cdktf-app/)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appExternals } from "./app-externals.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.resolve(root, process.argv[2] ?? "main.ts");
const bundleDir = process.env.APP_BUNDLE_DIR ? path.resolve(process.env.APP_BUNDLE_DIR) : path.join(root, ".cdktf-app");
const outfile = path.join(bundleDir, path.relative(root, entry).replace(/[\\/]/g, "__").replace(/\.ts$/, ".js"));
const sourceMaps = process.env.APP_SOURCE_MAPS === "1";

const SKIP = new Set(["node_modules", "cdktf.out", "dist", "coverage", "bench"]);

/** Newest modification time of the project's own sources and build inputs. */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (!SKIP.has(e) && !e.startsWith(".")) visit(path.join(p, e));
    } else if (/\.(ts|json)$/.test(p)) newest = Math.max(newest, st.mtimeMs);
  };
  // What a bundle of the entry can contain: the library's folders, and the entry's own folder.
  for (const p of ["core", "constructs", "verify", "stacks", "app", "index.ts", "terraform-cloud.ts", "package.json", path.relative(root, entry)]) visit(path.join(root, p));
  if (path.dirname(entry) !== root) visit(path.dirname(entry));
  return newest;
}

/** esbuild's native binary for this platform, when installed (it is an optional dependency of esbuild). */
function esbuildBinary() {
  if (process.platform === "win32") return undefined;
  try {
    return createRequire(path.join(root, "package.json")).resolve(`@esbuild/${process.platform}-${process.arch}/bin/esbuild`);
  } catch {
    return undefined;
  }
}

const built = fs.statSync(outfile, { throwIfNoEntry: false });
const stamp = `${outfile}.${sourceMaps ? "maps" : "plain"}`;
if (!built || !fs.existsSync(stamp) || built.mtimeMs < newestSource()) {
  const options = {
    entry,
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // Dependencies load from node_modules, except small pure-JS ones that load faster bundled
    // (yaml: fewer files to resolve and read at every start).
    external: appExternals(root),
    sourcemap: sourceMaps ? "inline" : undefined,
    logLevel: "warning",
  };
  const bin = esbuildBinary();
  if (bin) {
    // The native binary directly: ~30 ms, against ~90 ms for loading esbuild's JS API and its service.
    const args = [entry, "--bundle", `--platform=${options.platform}`, `--format=${options.format}`, `--target=${options.target}`, `--outfile=${outfile}`, `--log-level=${options.logLevel}`];
    for (const e of options.external) args.push(`--external:${e}`);
    if (options.sourcemap) args.push(`--sourcemap=${options.sourcemap}`);
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    execFileSync(bin, args, { stdio: ["ignore", "inherit", "inherit"] });
  } else {
    const { buildSync } = await import("esbuild");
    const { entry: entryPoint, ...rest } = options;
    buildSync({ entryPoints: [entryPoint], ...rest });
  }
  for (const f of fs.readdirSync(path.dirname(outfile))) if (f.startsWith(`${path.basename(outfile)}.`)) fs.rmSync(path.join(path.dirname(outfile), f));
  fs.writeFileSync(stamp, "");
}
if (sourceMaps) process.setSourceMapsEnabled(true);
const requireApp = createRequire(outfile);
requireApp(path.join(path.dirname(fileURLToPath(import.meta.url)), "no-token-stack-traces.cjs"));
requireApp(outfile);

// What the app command's bundle leaves to node_modules (scripts/run-app.mjs), shared with the
// benchmarks so that they measure the bundle the app command runs.
import fs from "node:fs";
import path from "node:path";

/** Small pure-JS dependencies that load faster bundled (fewer files to resolve and read at every start). */
export const BUNDLED = new Set(["yaml"]);

/** Every package the project at `root` depends on, and its subpaths, except those in BUNDLED: esbuild's `external`. */
export function appExternals(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies }).filter((n) => !BUNDLED.has(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

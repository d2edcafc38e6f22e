// Jest transform: strips TypeScript types with esbuild (no type-checking here: `npm test` runs
// tsc first). About as fast as SWC, and esbuild is already the app command's bundler, so the
// project carries one compiler less. ts-jest would type-check every file again (slow) and does
// not support TypeScript 7.
const { transformSync } = require("esbuild");
const crypto = require("node:crypto");
const { version } = require("esbuild/package.json");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith(".ts") ? "ts" : "js",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha1").update(version).update("\0").update(filename).update("\0").update(source).digest("hex");
  },
};

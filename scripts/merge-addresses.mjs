// Merges the per-file address records of `ADDRESSES_RECORD=DIR npx jest` into test/fixtures/addresses.json
// (see test/support/addresses.ts). Usage: node scripts/merge-addresses.mjs DIR
import fs from "node:fs";
import path from "node:path";
const dir = process.argv[2];
const out = {};
for (const f of fs.readdirSync(dir).sort()) Object.assign(out, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
fs.writeFileSync(path.resolve("test/fixtures/addresses.json"), JSON.stringify(sorted, null, 1) + "\n");
console.log(`${Object.keys(sorted).length} stacks, ${Object.values(sorted).reduce((n, a) => n + a.length, 0)} addresses`);

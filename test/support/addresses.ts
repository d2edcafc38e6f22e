// Resource addresses are API: renaming a construct id replaces a real Key Vault. Every stack
// that any test synthesizes records its addresses (`type.name`, `data.type.name`) under the test's
// name; at the end of each test file they are compared with test/fixtures/addresses.json, the
// addresses recorded before the source tree was reorganised by domain (issue 15). An address
// recorded there that a test with the same name no longer synthesizes fails the file. New
// addresses are fine. `ADDRESSES_RECORD=DIR npx jest` writes one JSON per test file into DIR
// (scripts/merge-addresses.mjs turns them into the fixture).
import fs from "node:fs";
import path from "node:path";
import { TerraformStack } from "cdktf";

type Recorded = Map<string, Set<string>>;
const recorded: Recorded = new Map();
const FIXTURE = path.resolve(__dirname, "../fixtures/addresses.json");
const PATCHED = Symbol.for("aks-secrets/test-addresses-patched");

function addressesOf(tf: Record<string, any>): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const name of Object.keys(byName as object)) out.push(`${type}.${name}`);
  for (const [type, byName] of Object.entries(tf.data ?? {})) for (const name of Object.keys(byName as object)) out.push(`data.${type}.${name}`);
  return out;
}

const proto = TerraformStack.prototype as any;
if (!proto[PATCHED]) {
  proto[PATCHED] = true;
  const original = proto.toTerraform;
  proto.toTerraform = function (this: TerraformStack) {
    const tf = original.call(this);
    const state = expect.getState();
    const file = path.basename(state.testPath ?? "unknown");
    const key = `${file} :: ${state.currentTestName ?? "(outside a test)"} :: ${this.node.path}`;
    let set = recorded.get(key);
    if (!set) recorded.set(key, (set = new Set()));
    for (const a of addressesOf(tf)) set.add(a);
    return tf;
  };
}

afterAll(() => {
  const record = process.env.ADDRESSES_RECORD;
  if (record) {
    fs.mkdirSync(record, { recursive: true });
    const file = path.basename(expect.getState().testPath ?? "unknown");
    const json = Object.fromEntries([...recorded].map(([k, v]) => [k, [...v].sort()]));
    fs.writeFileSync(path.join(record, `${file}.json`), JSON.stringify(json));
    return;
  }
  const fixture: Record<string, string[]> = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
  const lost: string[] = [];
  for (const [key, now] of recorded) {
    const before = fixture[key];
    if (!before) continue;
    const missing = before.filter((a) => !now.has(a));
    if (missing.length > 0) lost.push(`${key}: ${missing.join(", ")}`);
  }
  if (lost.length > 0) throw new Error(`resource addresses changed (a renamed construct id replaces the real resource):\n${lost.join("\n")}`);
});

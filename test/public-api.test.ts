// The package root still exports every name it exported before the verification redesign (issue
// 15): the runtime values here, the types by test/public-api-types.ts (type-checked by tsc).
import fs from "node:fs";
import path from "node:path";

const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "public-api.json"), "utf8")) as { values: string[]; declarations: string[] };

test("every runtime export of the root is still there", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const root = require("../index") as Record<string, unknown>;
  expect(recorded.values.length).toBeGreaterThan(100);
  expect(recorded.values.filter((n) => !(n in root))).toEqual([]);
});

test("the type-level check names every recorded declaration", () => {
  const src = fs.readFileSync(path.join(__dirname, "public-api-types.ts"), "utf8");
  expect(recorded.declarations.filter((n) => !new RegExp(`^  ${n},$`, "m").test(src))).toEqual([]);
});

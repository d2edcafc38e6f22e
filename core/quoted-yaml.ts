// The two YAML shapes the Azure SecretProviderClass writes once per class: a flat map with every
// string double-quoted (one object of `objects`) and a map `array:` of block literals (the
// `objects` parameter). yaml's stringify builds a whole document model per call (~0.1 ms, a tenth
// of a bound workload's construction at fleet sizes); for the simple values these shapes hold
// (printable ASCII, integer numbers, identifier keys) the text is written directly, byte for byte
// what yaml writes (test/core/quoted-yaml.test.ts compares the two); anything else goes to yaml.
import { stringify } from "yaml";

/** yaml options: every string double-quoted, so `on` or `0644` cannot be read as a boolean or a number. */
export const QUOTED_SCALARS = { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 } as const;
const BLOCK_LITERALS = { defaultStringType: "BLOCK_LITERAL", defaultKeyType: "PLAIN", lineWidth: 0 } as const;

/** Printable ASCII without `"` and `\`: double-quoted as is. */
const SIMPLE_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9]*$/;
/** A line of a simple quoted map: a plain key, then a quoted string or an integer. */
const SIMPLE_LINE = /^[A-Za-z][A-Za-z0-9]*: (?:"[\x20\x21\x23-\x5b\x5d-\x7e]*"|-?\d+)$/;

/** `stringify(map, QUOTED_SCALARS)`. */
export function quotedYamlMap(map: Record<string, unknown>): string {
  let out = "";
  for (const [key, value] of Object.entries(map)) {
    if (!PLAIN_KEY.test(key)) return stringify(map, QUOTED_SCALARS);
    if (typeof value === "string" && SIMPLE_STRING.test(value)) out += `${key}: "${value}"\n`;
    else if (typeof value === "number" && Number.isSafeInteger(value) && !Object.is(value, -0)) out += `${key}: ${value}\n`;
    else return stringify(map, QUOTED_SCALARS);
  }
  return out === "" ? stringify(map, QUOTED_SCALARS) : out;
}

/** `stringify({ array: docs }, block literals)`, for documents written by {@link quotedYamlMap}. */
export function blockLiteralArray(docs: readonly string[]): string {
  let out = "array:\n";
  for (const doc of docs) {
    const lines = doc.endsWith("\n") ? doc.slice(0, -1).split("\n") : [];
    if (lines.length === 0 || !lines.every((l) => SIMPLE_LINE.test(l))) return stringify({ array: docs }, BLOCK_LITERALS);
    out += `  - |\n${lines.map((l) => `    ${l}\n`).join("")}`;
  }
  return docs.length === 0 ? stringify({ array: docs }, BLOCK_LITERALS) : out;
}

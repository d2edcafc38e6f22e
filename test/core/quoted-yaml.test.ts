// The direct writer of the Azure class's `objects` YAML writes exactly what yaml's stringify writes
// for the same input, for simple values (which it writes itself) and for everything else (which it
// hands to yaml), and what it writes parses back to the input.
import { parse, stringify } from "yaml";
import { blockLiteralArray, QUOTED_SCALARS, quotedYamlMap } from "../../core/quoted-yaml";

const BLOCKS = { defaultStringType: "BLOCK_LITERAL", defaultKeyType: "PLAIN", lineWidth: 0 } as const;

/** Strings the writer takes itself, and strings it must hand to yaml. */
const STRINGS = [
  "db-password",
  "team-099-app-0999-s0",
  "",
  " leading and trailing ",
  "on",
  "0644",
  "null",
  "~",
  "a: b # c",
  "- item",
  "${TfToken[TOKEN.123]}",
  "#{hash}",
  "'single'",
  "x".repeat(300),
  'quote"inside',
  "back\\slash",
  "new\nline",
  "tab\there",
  "ünïcödé",
  "emoji 🔑",
  "\u0007bell",
  "\u007fdel",
];
const NUMBERS = [0, 1, 420, 0o644, 200, -5, 1.5, Number.MAX_SAFE_INTEGER + 2, -0, NaN];

describe("quotedYamlMap", () => {
  it.each(STRINGS)("writes %j as yaml does, and it parses back", (s) => {
    const map = { objectName: s, objectType: "secret", objectAlias: s };
    expect(quotedYamlMap(map)).toBe(stringify(map, QUOTED_SCALARS));
    expect(parse(quotedYamlMap(map))).toEqual(map);
  });

  it.each(NUMBERS)("writes the number %p as yaml does", (n) => {
    const map = { objectName: "a", objectVersionHistory: n };
    expect(quotedYamlMap(map)).toBe(stringify(map, QUOTED_SCALARS));
  });

  it("hands keys that are not plain identifiers, other types and an empty map to yaml", () => {
    for (const map of [{ "with space": "a" }, { "1key": "a" }, { k: true }, { k: null }, { k: ["a"] }, { k: { nested: "a" } }, {}]) {
      expect(quotedYamlMap(map as Record<string, unknown>)).toBe(stringify(map, QUOTED_SCALARS));
    }
  });
});

describe("blockLiteralArray", () => {
  it("writes one block literal per document as yaml does, for every string and number above", () => {
    const docs = [
      ...STRINGS.map((s) => quotedYamlMap({ objectName: s, objectType: "secret" })),
      ...NUMBERS.map((n) => quotedYamlMap({ objectName: "a", objectVersionHistory: n })),
    ];
    for (let i = 0; i < docs.length; i++) {
      const some = [docs[i], docs[(i + 1) % docs.length]];
      expect(blockLiteralArray(some)).toBe(stringify({ array: some }, BLOCKS));
      expect(parse(blockLiteralArray(some))).toEqual({ array: some });
    }
  });

  it("hands documents it did not write, and an empty list, to yaml", () => {
    for (const docs of [[], ["plain text"], ["a: 1\n\n"], ["  indented: 1\n"], ["a: 1\nb"], [""]]) {
      expect(blockLiteralArray(docs)).toBe(stringify({ array: docs }, BLOCKS));
    }
  });

  it("writes the class's objects as the Azure provider reads them: a map whose array holds one YAML document per object", () => {
    const objects = [
      { objectName: "db-password", objectType: "secret" },
      { objectName: "tls", objectType: "cert", objectAlias: "tls.pem", objectVersionHistory: 3 },
    ];
    const text = blockLiteralArray(objects.map((o) => quotedYamlMap(o)));
    expect(text).toBe('array:\n  - |\n    objectName: "db-password"\n    objectType: "secret"\n  - |\n    objectName: "tls"\n    objectType: "cert"\n    objectAlias: "tls.pem"\n    objectVersionHistory: 3\n');
    expect((parse(text) as { array: string[] }).array.map((d) => parse(d))).toEqual(objects);
  });
});

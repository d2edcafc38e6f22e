#!/usr/bin/env node
// The table of public props of every exported construct and stack, generated from the TypeScript
// types with the TypeScript 7 compiler API (typescript/unstable/sync): every class exported by a
// library source file (core, constructs, verify, stacks, app; not only the root barrel, so the
// constructs of optional providers are included) whose base chain holds `Construct`, with the
// shape of its constructor's last parameter (its props), field by field, nested objects, arrays,
// records, enums (unions of literals) and unions recursively.
//
//   node scripts/props-table.mjs            prints the table as JSON (read by test/core/props-walker.test.ts)
//   node scripts/props-table.mjs --write    writes core/props-shapes.generated.ts (the runtime checks' table)
//   node scripts/props-table.mjs --check    exits 1 when core/props-shapes.generated.ts is stale
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { API, SignatureKind, SymbolFlags, TypeFlags } from "typescript/unstable/sync";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GENERATED = path.join(root, "core/props-shapes.generated.ts");
const SOURCE_DIRS = ["core", "constructs", "verify", "stacks", "app"];
/** At most this many members name a class in its structural check. */
const MAX_MEMBERS = 6;

function buildTable() {
  const api = new API({ cwd: root });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [path.join(root, "tsconfig.json")] });
    const project = snapshot.getProjects()[0];
    const checker = project.checker;
    const str = (t) => checker.typeToString(t);
    const rel = (p) => path.relative(root, p).split(path.sep).join("/");
    const fileOf = (sym) => (sym?.declarations?.[0] ? rel(sym.declarations[0].path) : undefined);
    const ownFile = (f) => !!f && SOURCE_DIRS.some((d) => f.startsWith(`${d}/`));
    const baseNames = (t) => {
      const out = [];
      let b = t;
      for (let i = 0; i < 20; i++) {
        const bs = b.isClassOrInterface?.() ? checker.getBaseTypes(b) : [];
        if (!bs.length) break;
        b = bs[0];
        out.push(b.getSymbol()?.name ?? str(b));
      }
      return out;
    };

    function members(sym) {
      const t = checker.getDeclaredTypeOfSymbol(sym);
      const props = checker.getPropertiesOfType(t).filter((p) => !(p.flags & SymbolFlags.Optional) && !p.name.startsWith("_") && !p.name.startsWith("__"));
      const own = props.filter((p) => fileOf(p) === fileOf(sym));
      return [...own, ...props.filter((p) => !own.includes(p))].slice(0, MAX_MEMBERS).map((p) => p.name).sort();
    }

    function shape(t, stack) {
      if (t.flags & (TypeFlags.Any | TypeFlags.Unknown)) return { kind: "unknown" };
      if (t.flags & (TypeFlags.String | TypeFlags.TemplateLiteral)) return { kind: "string" };
      if (t.flags & TypeFlags.Number) return { kind: "number" };
      if (t.flags & TypeFlags.Boolean) return { kind: "boolean" };
      if (t.flags & TypeFlags.BooleanLiteral) return { kind: "literal", values: [str(t) === "true"] };
      if (t.flags & (TypeFlags.StringLiteral | TypeFlags.NumberLiteral)) return { kind: "literal", values: [t.value] };
      if (t.flags & TypeFlags.Union) {
        const parts = t.getTypes().filter((x) => !(x.flags & (TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Void)));
        const shapes = parts.map((p) => shape(p, stack));
        const lits = shapes.filter((s) => s.kind === "literal");
        const bools = lits.filter((s) => typeof s.values[0] === "boolean");
        let rest = shapes.filter((s) => s.kind !== "literal");
        let values = lits.filter((s) => typeof s.values[0] !== "boolean").flatMap((s) => s.values);
        if (bools.length === 2) rest = [{ kind: "boolean" }, ...rest];
        else values = [...values, ...bools.flatMap((s) => s.values)];
        values.sort((a, b) => String(a).localeCompare(String(b)));
        const all = [...(values.length ? [{ kind: "literal", values }] : []), ...rest];
        if (all.length === 1) return all[0];
        const objects = all.filter((s) => s.kind === "object");
        const disc = objects.length === all.length ? discriminant(objects) : undefined;
        return { kind: "union", ...(disc ? { discriminant: disc } : {}), variants: all };
      }
      if (t.flags & (TypeFlags.Object | TypeFlags.Intersection)) {
        if (checker.isArrayType(t) || checker.isTupleType(t)) return { kind: "array", element: shape(checker.getTypeArguments(t)[0], stack) };
        if (checker.getSignaturesOfType(t, SignatureKind.Call).length) return { kind: "function" };
        const sym = t.getSymbol();
        if (sym && sym.flags & SymbolFlags.Class) return { kind: "instance", name: sym.name, members: members(sym) };
        const file = fileOf(sym);
        if (sym && !(t.flags & TypeFlags.Intersection) && !sym.name.startsWith("__") && !ownFile(file)) return { kind: "reference", name: sym.name };
        const props = checker.getPropertiesOfType(t);
        const index = checker.getIndexInfosOfType(t);
        if (index.length && props.length === 0) return { kind: "record", value: shape(index[0].valueType, stack) };
        if (stack.includes(t.id)) return { kind: "unknown" };
        const name = t.getAliasSymbol()?.name ?? (sym && !sym.name.startsWith("__") ? sym.name : undefined);
        const fields = props.map((p) => ({ name: p.name, optional: !!(p.flags & SymbolFlags.Optional), type: shape(checker.getTypeOfSymbol(p), [...stack, t.id]) }));
        return { kind: "object", ...(name && name !== "Omit" && name !== "Partial" ? { name } : {}), fields };
      }
      return { kind: "unknown" };
    }
    function discriminant(objects) {
      const names = objects[0].fields.filter((f) => !f.optional && f.type.kind === "literal").map((f) => f.name);
      return names.find((n) => objects.every((o) => o.fields.some((f) => f.name === n && !f.optional && f.type.kind === "literal")));
    }

    const files = project.program
      .getSourceFileNames()
      .map((f) => ({ abs: f, rel: rel(f) }))
      .filter((f) => ownFile(f.rel) && f.rel.endsWith(".ts") && !f.rel.endsWith(".d.ts") && !f.rel.endsWith("/index.ts"))
      .sort((a, b) => a.rel.localeCompare(b.rel));
    const entries = [];
    const seen = new Set();
    for (const f of files) {
      const sf = project.program.getSourceFile(f.abs);
      const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
      if (!moduleSymbol) continue;
      for (const e0 of checker.getExportsOfModule(moduleSymbol)) {
        const e = e0.flags & SymbolFlags.Alias ? checker.getAliasedSymbol(e0) : e0;
        if (!(e.flags & SymbolFlags.Class) || seen.has(e.name) || fileOf(e) !== f.rel) continue;
        const bases = baseNames(checker.getDeclaredTypeOfSymbol(e));
        if (!bases.includes("Construct")) continue;
        seen.add(e.name);
        const [signature] = checker.getSignaturesOfType(checker.getTypeOfSymbol(e), SignatureKind.Construct);
        const params = signature.getParameters().map((p, i) => {
          const t = checker.getParameterType(signature, i);
          const optional = !!(t.flags & TypeFlags.Union && t.getTypes().some((x) => x.flags & TypeFlags.Undefined));
          return { name: p.name, optional, type: shape(t, []) };
        });
        entries.push({ name: e.name, file: f.rel, kind: bases.includes("TerraformStack") ? "stack" : "construct", params });
      }
    }
    return entries;
  } finally {
    api.close();
  }
}

function generated(entries) {
  const shapes = Object.fromEntries(entries.map((e) => [e.name, { optional: e.params[e.params.length - 1].optional, type: e.params[e.params.length - 1].type }]));
  return [
    "// Generated by scripts/props-table.mjs from the props types of every construct and stack: do not",
    "// edit. After changing a props interface run `npm run gen:props` (test/core/props-walker.test.ts",
    "// fails while this file is stale). core/props.ts checks props against it at runtime.",
    'import type { PropsShape } from "./props";',
    "",
    `export const PROPS_SHAPES: Readonly<Record<string, PropsShape>> = ${JSON.stringify(shapes)};`,
    "",
  ].join("\n");
}

const entries = buildTable();
if (process.argv.includes("--write")) {
  fs.writeFileSync(GENERATED, generated(entries));
} else if (process.argv.includes("--check")) {
  const current = fs.existsSync(GENERATED) ? fs.readFileSync(GENERATED, "utf8") : "";
  if (current !== generated(entries)) {
    process.stderr.write("core/props-shapes.generated.ts is stale: run npm run gen:props\n");
    process.exit(1);
  }
} else {
  process.stdout.write(JSON.stringify({ entries }));
}

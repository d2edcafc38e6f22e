// Every public prop of every exported construct and stack, from the table generated from the
// TypeScript types (scripts/props-table.mjs, not a hand-picked list): given the wrong type, null,
// left out when required, outside its enum (and NaN for numbers), each must fail with a
// ValidationError on the construct's own path naming that field (or a field inside it), never with
// a TypeError and never be accepted. The valid baselines are hand-written (props-fixtures.ts); a
// construct without one, or a field no baseline reaches, fails here.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { validateTree, ValidationError } from "../../core/validation";
import { fits, shapeProblems } from "../../core/props";
import { PROPS_SHAPES } from "../../core/props-shapes.generated";
import { FIXTURES, UNREACHABLE } from "./props-fixtures";
import { applyMutation, mutations, Mutation, propsTable, tablePaths } from "./props-walker";

const ROOT = path.resolve(__dirname, "../..");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "props-walker-"));
const table = propsTable(ROOT);

type Outcome = { kind: "ok" } | { kind: "validation"; error: ValidationError } | { kind: "other"; error: unknown };

/** Builds, validates the whole tree and (only when nothing failed) synthesizes, as validateAndSynth does. */
function run(build: (app: App) => void): Outcome {
  const app = new App({ outdir: fs.mkdtempSync(path.join(TMP, "app-")), stackTraces: false });
  try {
    build(app);
    validateTree(app);
    app.synth();
    return { kind: "ok" };
  } catch (e) {
    return e instanceof ValidationError ? { kind: "validation", error: e } : { kind: "other", error: e };
  }
}

/** Whether every container from `v` down to the parent of `at`'s last step is a plain object or array. */
function throughPlain(v: unknown, at: readonly (string | number)[]): boolean {
  let o = v;
  for (const k of at.slice(0, -1)) {
    if (o === null || typeof o !== "object" || (!Array.isArray(o) && Object.getPrototypeOf(o) !== Object.prototype)) return false;
    o = (o as any)[k];
  }
  return at.length === 0 || (o !== null && typeof o === "object" && (Array.isArray(o) || Object.getPrototypeOf(o) === Object.prototype));
}

const describeOutcome = (o: Outcome) => (o.kind === "ok" ? "accepted: synthesized" : o.kind === "validation" ? o.error.message : `${(o.error as Error)?.stack ?? String(o.error)}`);

test("the table is generated from the sources and finds every construct and stack", () => {
  const names = table.map((e) => e.name);
  for (const n of ["AksCluster", "KeyVault", "SecretProviderClass", "VaultJwtAuth", "PlatformStack", "ClusterStack"]) expect(names).toContain(n);
  expect(table.every((e) => e.params.length >= 3)).toBe(true);
});

test("core/props-shapes.generated.ts matches the props types (else: npm run gen:props)", () => {
  let stderr = "";
  try {
    execFileSync(process.execPath, [path.join(ROOT, "scripts/props-table.mjs"), "--check"], { stdio: "pipe" });
  } catch (e: any) {
    stderr = String(e.stderr);
  }
  expect(stderr).toBe("");
});

describe.each(table.map((e) => [e.name, e] as const))("%s", (name, entry) => {
  const fixtures = FIXTURES[name] ?? [];
  const propsParam = entry.params[entry.params.length - 1];
  const unreachable = UNREACHABLE[name] ?? {};

  test("has a valid baseline in test/core/props-fixtures.ts", () => {
    if (fixtures.length === 0) throw new Error(`${name} (${entry.file}) has no baseline: add FIXTURES.${name} to test/core/props-fixtures.ts (valid props, and the call that builds it)`);
  });

  const reached = new Set<string>();
  const cases: { fixture: string; m: Mutation; build: (app: App) => { path: string; run: () => unknown } }[] = [];
  /** The baselines' props and every mutation of them, for the fast path's agreement with shapeProblems. */
  const values: unknown[] = [];
  for (const f of fixtures) {
    const probe = f.build(new App({ outdir: fs.mkdtempSync(path.join(TMP, "probe-")), stackTraces: false }));
    const ms = mutations(propsParam.type, probe.props, [], "", !propsParam.optional, "", reached);
    // (Mutations inside a class instance, which clonePlain shares, would change the probe itself: left out here.)
    values.push(probe.props, ...ms.filter((m) => throughPlain(probe.props, m.at)).map((m) => applyMutation(probe.props, m)));
    // A prop the type does not have (a misspelling) is refused, not ignored.
    if (typeof probe.props === "object" && probe.props !== null) ms.push({ field: "walkerUnknownProp", at: ["walkerUnknownProp"], op: "set", value: 1, label: "(a prop the type does not have)" });
    for (const m of ms) {
      cases.push({
        fixture: f.name,
        m,
        build: (app) => {
          const b = f.build(app);
          return { path: b.path, run: () => b.create(applyMutation(b.props, m)) };
        },
      });
    }
  }

  if (fixtures.length > 0) {
    test.each(fixtures.map((f) => [f.name, f] as const))("baseline %s synthesizes", (_n, f) => {
      const o = run((app) => {
        const b = f.build(app);
        b.create(b.props);
      });
      expect(describeOutcome(o)).toBe("accepted: synthesized");
    });

    test("fits (checkProps' fast path) is true exactly when shapeProblems finds nothing, on the baselines and every mutation", () => {
      const shape = PROPS_SHAPES[name];
      expect(shape).toBeDefined();
      const disagree = values.filter((v) => v !== undefined && fits(shape.type, v) !== (shapeProblems(shape.type, v, "props").length === 0));
      expect(disagree).toEqual([]);
      // Some mutation does not fit (every construct's props can be given wrong).
      expect(values.some((v) => v !== undefined && !fits(shape.type, v))).toBe(true);
    });

    test("every field of the table is reached by a baseline (or listed as unreachable with its reason)", () => {
      const all = tablePaths(propsParam.type);
      expect(all.filter((p) => !reached.has(p) && !(p in unreachable))).toEqual([]);
      expect(Object.keys(unreachable).filter((p) => !all.includes(p) || reached.has(p))).toEqual([]);
    });
  }

  test.each(cases.map((c) => [`${c.fixture}: ${c.m.field} ${c.m.op === "delete" ? "left out" : c.m.label}`, c] as const))("%s fails with a ValidationError naming the field", (_n, c) => {
    let subject = "";
    const o = run((app) => {
      const b = c.build(app);
      subject = b.path;
      b.run();
    });
    if (o.kind !== "validation") throw new Error(`expected a ValidationError on ${c.m.field}, got: ${describeOutcome(o)}`);
    const named = o.error.problems.filter((p) => p.path === subject && (p.field === c.m.field || p.field.startsWith(`${c.m.field}.`) || p.field.startsWith(`${c.m.field}[`)));
    if (named.length === 0) throw new Error(`expected a problem on [${subject}] ${c.m.field}, got:\n${o.error.message}`);
  });
});

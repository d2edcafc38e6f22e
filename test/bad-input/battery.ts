// The machinery of the bad-input battery: running one case the way the app command does
// (build, validateTree, synth only when nothing failed) in a fresh output directory, and the
// checks every case must pass. The cases themselves are in test/bad-input.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { IConstruct } from "constructs";
import { show, validateTree, ValidationError, ValidationProblem } from "../../core/validation";

export interface Expected {
  /** Construct path (or configuration source) the problem is reported on. */
  readonly path: string | RegExp;
  readonly field: string;
  /** The offending value as given; compared with the message's rendering (`show`). Leave the key out to not check it. */
  readonly value?: unknown;
  /** The rule, as the message words it. */
  readonly rule: RegExp;
}

export interface BadInputCase {
  readonly name: string;
  /** Builds the app with one bad input (throwing is fine: that is what most validations do). */
  readonly build: (app: App) => void;
  readonly expect: Expected;
}

export interface Outcome {
  readonly outdir: string;
  readonly error: unknown;
  /** The problem that met the expectation, when one did. */
  readonly matched?: ValidationProblem;
  /** Class names (prototype chain) of the construct at the matched problem's path, when it is a construct. */
  readonly classes: readonly string[];
}

const ROOT_TMP = fs.mkdtempSync(path.join(os.tmpdir(), "bad-input-"));

/** A fresh temporary directory for one case. */
export function freshDir(prefix: string): string {
  return fs.mkdtempSync(path.join(ROOT_TMP, `${prefix}-`));
}

function matches(p: ValidationProblem, e: Expected): boolean {
  const pathOk = typeof e.path === "string" ? p.path === e.path : e.path.test(p.path);
  return pathOk && p.field === e.field && (!("value" in e) || p.value === show(e.value)) && e.rule.test(p.rule);
}

function classChain(o: object | undefined): string[] {
  const out: string[] = [];
  for (let p = o && Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) out.push(p.constructor.name);
  return out;
}

/**
 * Runs a case like `validateAndSynth` does, without exiting the process: build, validate the
 * whole tree, and synthesize only when nothing failed.
 */
export function runCase(c: BadInputCase): Outcome {
  const outdir = freshDir("case");
  // No stack trace per construct (as Testing.app does): capturing them under jest costs most of a build.
  const app = new App({ outdir, stackTraces: false });
  let error: unknown;
  try {
    c.build(app);
    validateTree(app);
    app.synth();
  } catch (e) {
    error = e;
  }
  const matched = error instanceof ValidationError ? error.problems.find((p) => matches(p, c.expect)) : undefined;
  const at: IConstruct | undefined = matched ? app.node.findAll().find((x) => x.node.path === matched.path) : undefined;
  return { outdir, error, matched, classes: classChain(at) };
}

/** Files (not directories) under `dir`, relative to it. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/** A line of a stack trace, e.g. `    at Object.<anonymous> (/x/y.ts:1:2)`. */
export const STACK_FRAME = /^\s*at\s+(?:\S.*\(.*:\d+:\d+\)|\S+:\d+:\d+)\s*$/;

/** The message of a ValidationError: a header, then one `  [path] field: value — rule` line per problem. */
const HEADER = /^Invalid configuration \(\d+ problems?\):$/;
const PROBLEM_LINE = /^ {2}\[[^\n]*\] [^\n]+: [^\n]* — [^\n]+$/;

/** The checks every case must pass. */
export function assertCase(c: BadInputCase, o: Outcome): void {
  if (!(o.error instanceof ValidationError)) {
    // Show what happened instead: no error (synth succeeded) or another error with its stack.
    const what = o.error === undefined ? `synth succeeded, wrote: ${filesUnder(o.outdir).join(", ")}` : String((o.error as Error)?.stack ?? o.error);
    throw new Error(`expected a ValidationError for "${c.name}", got: ${what}`);
  }
  const ve = o.error;
  // The problem: path, field, value and rule as expected.
  expect(ve.problems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path: typeof c.expect.path === "string" ? c.expect.path : expect.stringMatching(c.expect.path),
        field: c.expect.field,
        ...("value" in c.expect ? { value: show(c.expect.value) } : {}),
        rule: expect.stringMatching(c.expect.rule),
      }),
    ]),
  );
  const p = o.matched!;
  // The message names path, field, value and rule on one line, and every line is the header or a
  // problem: no stack frame, nothing that needs a stack trace to be understood.
  const lines = ve.message.split("\n");
  expect(lines).toContain(`  [${p.path}] ${p.field}: ${p.value} — ${p.rule}`);
  expect(lines[0]).toMatch(HEADER);
  for (const line of lines.slice(1)) expect(line).toMatch(PROBLEM_LINE);
  expect(lines.filter((l) => STACK_FRAME.test(l))).toEqual([]);
  expect(p.rule.length).toBeGreaterThanOrEqual(10);
  // Nothing written: no stack's cdk.tf.json, no manifest.json, no file at all (cdktf's App
  // creates the empty stacks/ directory at construction).
  expect(filesUnder(o.outdir)).toEqual([]);
}

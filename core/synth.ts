// Running an app: validate the whole tree first, synthesize only when nothing failed, then the
// after-synth hooks (reports beside the output). The only place that prints and exits.
import fs from "node:fs";
import path from "node:path";
import { IConstruct } from "constructs";
import { validateTree, ValidationError } from "./validation";
import { pinProviderVersions } from "./provider-versions";

/** Anything with a `synth()` method, such as a cdktf `App`. */
export interface Synthesizable extends IConstruct {
  synth(): void;
}

/** A function {@link validateAndSynth} runs after `app.synth()`, e.g. to write a report beside the output. */
export type AfterSynthHook = (app: Synthesizable) => void;

const AFTER_SYNTH_HOOKS = new WeakMap<IConstruct, AfterSynthHook[]>();
/** Apps in the `app.synth()` of {@link validateAndSynth}, right after their tree was validated. */
const SYNTHESIZING_VALIDATED = new WeakSet<IConstruct>();

/**
 * True while {@link validateAndSynth} runs `app.synth()` for the app `root` belongs to, right after
 * `validateTree` passed in the same synchronous run: validations may reuse what that pass computed
 * when the tree is unchanged since.
 */
export function synthesizingValidated(root: IConstruct): boolean {
  return SYNTHESIZING_VALIDATED.has(root.node.root);
}

/** Registers a hook (once per function) that {@link validateAndSynth} runs after synthesizing `app`. */
export function addAfterSynthHook(app: IConstruct, hook: AfterSynthHook): void {
  const hooks = AFTER_SYNTH_HOOKS.get(app) ?? [];
  if (!hooks.includes(hook)) hooks.push(hook);
  AFTER_SYNTH_HOOKS.set(app, hooks);
}

/**
 * Validates the whole app, then synthesizes it, then runs the hooks registered with
 * {@link addAfterSynthHook}. A {@link ValidationError} is printed as its
 * message alone (no stack trace: the message names path, field, value and rule) and the
 * process exits with status 1 before any stack is written.
 */
export function validateAndSynth(app: Synthesizable): void {
  try {
    validateTree(app);
  } catch (e) {
    if (e instanceof ValidationError) exitWithProblems(app, e);
    throw e;
  }
  pinProviderVersions(app);
  const started = Date.now();
  SYNTHESIZING_VALIDATED.add(app.node.root);
  try {
    app.synth();
  } catch (e) {
    // A check that runs as stacks render (the synthesized-values check) can fail after an earlier
    // stack was written: remove what this synth wrote, so that nothing is left behind.
    if (e instanceof ValidationError) {
      discardStacksWrittenSince(app, started);
      exitWithProblems(app, e);
    }
    throw e;
  } finally {
    SYNTHESIZING_VALIDATED.delete(app.node.root);
  }
  for (const hook of AFTER_SYNTH_HOOKS.get(app) ?? []) hook(app);
}

/**
 * Prints a {@link ValidationError}'s message alone and exits with status 1, leaving no output
 * behind: cdktf's App creates its output folder and an empty `stacks/` folder when constructed,
 * and those are removed again when they hold nothing.
 */
export function exitWithProblems(app: IConstruct, e: ValidationError): never {
  process.stderr.write(`${e.message}\n`);
  discardEmptyOutput(app);
  process.exit(1);
}

/** Removes the app's output folder and its `stacks/` folder when they are empty. */
export function discardEmptyOutput(app: IConstruct): void {
  const outdir = (app as { outdir?: unknown }).outdir;
  if (typeof outdir !== "string") return;
  for (const dir of [path.join(outdir, "stacks"), outdir]) {
    try {
      if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
    } catch {
      /* absent or not empty: leave it */
    }
  }
}

/** Removes the stack folders of the app's output written since `since` (ms since the epoch). */
export function discardStacksWrittenSince(app: IConstruct, since: number): void {
  const outdir = (app as { outdir?: unknown }).outdir;
  if (typeof outdir !== "string") return;
  const stacks = path.join(outdir, "stacks");
  for (const name of fs.existsSync(stacks) ? fs.readdirSync(stacks) : []) {
    const dir = path.join(stacks, name);
    const file = path.join(dir, "cdk.tf.json");
    try {
      if (!fs.existsSync(file) || fs.statSync(file).mtimeMs >= since - 1000) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* leave it */
    }
  }
}

// The validation hooks: one analysis per validation pass, its problems reported on the
// constructs that hold the broken links (node.addValidation + problemMessage), so validateTree /
// validateAndSynth fail before anything is written, and a stack validated alone sees the whole app.
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { addAfterSynthHook } from "../../core/synth";
import { problemMessage } from "../../core/validation";
import { analyze, collectingOwn } from "./analyze";
import { Problem } from "./context";
import { writeWiringReportHook } from "./report";

interface RootState {
  problems: Map<IConstruct, Problem[]>;
  /** The analysis is fresh for the current synchronous run (see {@link ensureFresh}). */
  fresh: boolean;
  /** Construct count when analysed: a changed tree is analysed again. */
  size: number;
}

const STATES = new WeakMap<IConstruct, RootState>();
const HOOKED = new WeakSet<IConstruct>();
const VALIDATED = new WeakSet<IConstruct>();

function compute(root: IConstruct): RootState {
  const analysis = analyze(root);
  const state: RootState = { problems: analysis.problems, fresh: true, size: analysis.size };
  STATES.set(root, state);
  // A later synchronous pass (the stacks validated by app.synth right after validateTree) reuses this one.
  queueMicrotask(() => {
    state.fresh = false;
  });
  for (const c of analysis.problems.keys()) ensureConstructValidation(root, c);
  return state;
}

/** Analyses unless an analysis of the same tree was made in this synchronous run. */
function ensureFresh(root: IConstruct): void {
  const state = STATES.get(root);
  if (state?.fresh && state.size === root.node.findAll().length) return;
  compute(root);
}

function ensureConstructValidation(root: IConstruct, c: IConstruct): void {
  if (VALIDATED.has(c)) return;
  VALIDATED.add(c);
  c.node.addValidation({
    validate: () => (collectingOwn() ? [] : (STATES.get(root)?.problems.get(c) ?? []).map((p) => problemMessage(p.field, p.value, p.rule))),
  });
}

function hookStack(root: IConstruct, stack: IConstruct): void {
  if (HOOKED.has(stack)) return;
  HOOKED.add(stack);
  // Runs before the stack's constructs are validated (validations run parent first): a stack
  // validated alone (Testing.synth(stack, true), app.synth) sees the wiring of the whole app.
  stack.node.addValidation({
    validate: () => {
      ensureFresh(root);
      return [];
    },
  });
}

/**
 * Turns the wiring checks on for every stack of the app: `validateTree(app)` (and so
 * `validateAndSynth(app)`), `Testing.synth(stack, true)` and `app.synth()` fail on a broken
 * link from a pod to a secret, on the construct that holds it, before anything is written.
 * Stacks added later are covered. `validateAndSynth` also writes `wiring-report.md`
 * beside the output (and prints it when `WIRING_REPORT=1`). Idempotent.
 */
export function applyWiringChecks(app: IConstruct): void {
  const root = app.node.root;
  if (!HOOKED.has(root)) {
    HOOKED.add(root);
    root.node.addValidation({
      validate: () => {
        for (const c of root.node.findAll()) if (TerraformStack.isStack(c)) hookStack(root, c);
        compute(root); // validateTree(app) starts here: always a new analysis
        return [];
      },
    });
    addAfterSynthHook(root, writeWiringReportHook);
  }
  for (const c of root.node.findAll()) if (TerraformStack.isStack(c)) hookStack(root, c);
}


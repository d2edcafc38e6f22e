// The latest analysis of each app, with what it takes to know that it is still current: the
// validation hooks make one per validation pass, and the wiring report written right after
// app.synth() (in the same synchronous run, with the tree found unchanged) reuses it instead of
// analysing the app a second time.
import { TerraformBackend } from "cdktf";
import { IConstruct } from "constructs";
import { analyze, Analysis } from "./analyze";

interface RootState {
  readonly analysis: Analysis;
  /** The analysis is fresh for the current synchronous run (cleared by a microtask). */
  fresh: boolean;
  /** Construct count when analysed (see {@link analysedSize}): a changed tree is analysed again. */
  readonly size: number;
  /** The tree was found unchanged since the analysis, in this synchronous run. */
  sizeChecked: boolean;
}

const STATES = new WeakMap<IConstruct, RootState>();

const CROSS_STACK_ELEMENT = /^cross-stack-(output|reference-input)-/;

/**
 * Whether the analysis depends on `c`: all constructs but those cdktf adds itself while
 * `app.synth()` prepares the stacks (the outputs and remote-state data sources of cross-stack
 * references, `cross-stack-output-*` / `cross-stack-reference-input-*`, and the local backend of a
 * stack without one), which carry no wiring. So the stack validations of `app.synth()` right after
 * `validateTree` reuse its analysis.
 */
function counts(c: IConstruct): boolean {
  return !TerraformBackend.isBackend(c) && !CROSS_STACK_ELEMENT.test(c.node.id);
}

function analysedSize(root: IConstruct): number {
  let n = 0;
  for (const c of root.node.findAll()) if (counts(c)) n++;
  return n;
}

/** A new analysis of the app under `root`, kept as the latest. */
export function analyseNow(root: IConstruct): Analysis {
  let size = 0;
  const analysis = analyze(root, (c) => {
    if (counts(c)) size++;
  });
  const state: RootState = { analysis, fresh: true, size, sizeChecked: false };
  STATES.set(root, state);
  // A later synchronous pass (the stacks validated by app.synth right after validateTree, the report) reuses this one.
  queueMicrotask(() => {
    state.fresh = false;
  });
  return analysis;
}

/**
 * The latest analysis if it was made in this synchronous run and the tree is unchanged since (the
 * stack validations of one app.synth() count the tree once); else a new one.
 */
export function currentAnalysis(root: IConstruct): Analysis {
  const state = STATES.get(root);
  if (state?.fresh && state.sizeChecked) return state.analysis;
  if (state?.fresh && state.size === analysedSize(root)) {
    // Checked once per synchronous run: the other stacks that app.synth validates next, and the report, reuse it.
    state.sizeChecked = true;
    return state.analysis;
  }
  return analyseNow(root);
}

/** The problems of the latest analysis of the app under `root`, whenever it was made (none before the first). */
export function latestProblems(root: IConstruct): Analysis["problems"] | undefined {
  return STATES.get(root)?.analysis.problems;
}

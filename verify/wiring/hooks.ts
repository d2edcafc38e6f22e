// The validation hooks: one analysis per validation pass, its problems reported on the
// constructs that hold the broken links (node.addValidation + problemMessage), so validateTree /
// validateAndSynth fail before anything is written, and a stack validated alone sees the whole app.
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { addAfterSynthHook, synthesizingValidated } from "../../core/synth";
import { constructsUnder, problemMessage } from "../../core/validation";
import { Analysis, collectingOwn } from "./analyze";
import { analyseNow, currentAnalysis, latestProblems } from "./latest";
import { writeWiringReportHook } from "./report";

const HOOKED = new WeakSet<IConstruct>();
const VALIDATED = new WeakSet<IConstruct>();

/** Reports the problems of `analysis` on the constructs that hold them. */
function reportOn(root: IConstruct, analysis: Analysis): void {
  for (const c of analysis.problems.keys()) ensureConstructValidation(root, c);
}

function ensureConstructValidation(root: IConstruct, c: IConstruct): void {
  if (VALIDATED.has(c)) return;
  VALIDATED.add(c);
  c.node.addValidation({
    validate: () => (collectingOwn() ? [] : (latestProblems(root)?.get(c) ?? []).map((p) => problemMessage(p.field, p.value, p.rule))),
  });
}

function hookStack(root: IConstruct, stack: IConstruct): void {
  if (HOOKED.has(stack)) return;
  HOOKED.add(stack);
  // Runs before the stack's constructs are validated (validations run parent first): a stack
  // validated alone (Testing.synth(stack, true), app.synth) sees the wiring of the whole app.
  stack.node.addValidation({
    validate: () => {
      reportOn(root, currentAnalysis(root)); // analyses unless this synchronous run did, on the same tree
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
        for (const c of constructsUnder(root)) if (TerraformStack.isStack(c)) hookStack(root, c);
        // validateTree(app) starts here: always a new analysis. The app validation that closes
        // validateAndSynth's app.synth() reuses the one its validateTree made (tree unchanged).
        reportOn(root, synthesizingValidated(root) ? currentAnalysis(root) : analyseNow(root));
        return [];
      },
    });
    addAfterSynthHook(root, writeWiringReportHook);
  }
  for (const c of root.node.findAll()) if (TerraformStack.isStack(c)) hookStack(root, c);
}


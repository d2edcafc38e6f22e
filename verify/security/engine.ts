// Evaluating the rules on a resource, and the validations that fail synth on unsuppressed findings.
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { synthesizingValidated } from "../../core/synth";
import { readResourceConfig } from "../../core/terraform-config";
import { constructsUnder, problemMessage, show, sweepRoot } from "../../core/validation";
import { RULES_BY_TYPE } from "./rules";
import { suppressionFor, SuppressionHit } from "./suppressions";
import { SecurityFinding } from "./types";

/** True for the resources some rule looks at. */
export function isChecked(c: IConstruct): c is TerraformResource {
  return TerraformResource.isTerraformResource(c) && RULES_BY_TYPE.has((c as TerraformResource).terraformResourceType);
}

export interface Evaluated {
  readonly finding: SecurityFinding;
  /** The rendered value, before `show`. */
  readonly raw: unknown;
  readonly suppression?: SuppressionHit;
}

/**
 * Evaluations made in the current synchronous run, reused by a later validation of the same
 * resource in that run: `validateAndSynth` validates the tree, then `app.synth()` validates every
 * stack again, with nothing changed in between. Forgotten at the next microtask, so a tree
 * changed later (tests, a second synth) is evaluated afresh.
 */
let fresh: WeakMap<TerraformResource, Evaluated[]> | undefined;

export function evaluateResource(resource: TerraformResource): Evaluated[] {
  if (!fresh) {
    fresh = new WeakMap();
    queueMicrotask(() => {
      fresh = undefined;
    });
  }
  let out = fresh.get(resource);
  if (!out) fresh.set(resource, (out = evaluateNow(resource)));
  return out;
}

function evaluateNow(resource: TerraformResource): Evaluated[] {
  const rules = RULES_BY_TYPE.get(resource.terraformResourceType) ?? [];
  if (rules.length === 0) return [];
  const config = readResourceConfig(resource);
  const out: Evaluated[] = [];
  for (const rule of rules) {
    for (const v of rule.check(config)) {
      const finding: SecurityFinding = {
        ruleId: rule.id,
        title: rule.title,
        path: config.path,
        resourceType: config.type,
        attribute: v.attribute,
        value: show(v.value),
        detail: v.detail,
        rationale: rule.rationale,
        fix: rule.fix,
      };
      out.push({ finding, raw: v.value, suppression: suppressionFor(resource, rule.id) });
    }
  }
  return out;
}

/** The message of a finding, as `problemMessage` renders it: field = rule id + attribute. */
function findingProblem(f: SecurityFinding, rawValue: unknown): string {
  return problemMessage(
    `${f.ruleId} ${f.attribute}`,
    rawValue,
    `${f.title}: ${f.detail}. Why: ${f.rationale} Fix: ${f.fix} To accept the risk: SecurityRules.suppress(construct, [{ id: "${f.ruleId}", reason: "..." }]).`,
  );
}

const VALIDATED = new WeakSet<IConstruct>();
const HOOKED = new WeakSet<IConstruct>();

/** Registers, once, the validation that fails synth on this resource's unsuppressed findings. */
export function ensureResourceValidation(resource: TerraformResource): void {
  if (VALIDATED.has(resource)) return;
  VALIDATED.add(resource);
  resource.node.addValidation({
    validate: () =>
      evaluateResource(resource)
        .filter((e) => !e.suppression)
        .map((e) => findingProblem(e.finding, e.raw)),
  });
}

/**
 * Registers, once, a validation on `scope` that (when the tree is validated, scope before its
 * children) gives every checked resource under it its own validation. Resources added after
 * `applySecurityRules` are covered too, and each finding is reported on the resource's
 * own path, exactly once.
 */
export function hookScope(scope: IConstruct): void {
  if (HOOKED.has(scope)) return;
  HOOKED.add(scope);
  scope.node.addValidation({
    validate: () => {
      // In validateAndSynth's app.synth(), validateTree has just swept this tree; since then only
      // cdktf's cross-stack outputs and remote-state sources were added, which no rule checks.
      if (synthesizingValidated(scope)) return [];
      // A scope below the one validateTree sweeps: that scope's hook, validated first, covered it.
      const root = sweepRoot();
      if (root !== undefined && root !== scope && HOOKED.has(root) && scope.node.scopes.includes(root)) return [];
      for (const c of constructsUnder(scope)) if (isChecked(c)) ensureResourceValidation(c);
      return [];
    },
  });
}


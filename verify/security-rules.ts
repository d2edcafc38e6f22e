// Security rules in the style of cdk-nag, applied to the Terraform resources themselves (by
// resource type), so they also catch resources created without this library's constructs.
//
// No provider binding is imported: rules read the configuration a resource will synthesize
// (core/terraform-config.ts: snake_case attributes, `addOverride` escape hatches merged,
// `lifecycle`), from the resource object, without resolving tokens and without side effects.
//
//   security/rules/<RuleName>.ts  one rule a file; security/rules/index.ts the registry (report order)
//   security/grants.ts            deployer vs workload grants, role and scope classification
//   security/suppressions.ts      suppressions, admin grants, opt-outs: the innermost that covers a rule
//   security/engine.ts            evaluating a resource; the validations that fail synth
//   security/report.ts            the report as data, text and the README's rule table
import { IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { publishFact } from "../core/facts";
import { ADMIN_GRANT } from "../core/facts-azure";
import { readResourceConfig, renderConfigValue, ResourceConfig } from "../core/terraform-config";
import { checkOptOut, show, ValidationError, ValidationProblem, Validator } from "../core/validation";
import { ensureResourceValidation, hookScope, isChecked } from "./security/engine";
import { RULES_BY_ID, SECURITY_RULES } from "./security/rules";
import { OPT_OUT_RULES, SUPPRESS_METADATA } from "./security/suppressions";
import { SecurityRule, SecurityRuleSuppression } from "./security/types";

// What a resource will synthesize is read by core/terraform-config.ts; re-exported here, where it always was.
export { readResourceConfig, renderConfigValue };
export type { ResourceConfig };
export { SECURITY_RULE_PREFIX } from "./security/types";
export type { RuleViolation, SecurityFinding, SecurityReport, SecurityRule, SecurityRuleSuppression, SuppressedFinding, UnusedSuppression } from "./security/types";
export { isDeployerPrincipal, KEY_VAULT_SECRETS_USER_ROLE_ID } from "./security/grants";
export { SECURITY_RULES, securityRule } from "./security/rules";
export { formatSecurityReport, securityReport, securityRulesMarkdown } from "./security/report";

/**
 * The security rules as a cdktf Aspect (cdk-nag style): `Aspects.of(stack).add(new SecurityRules())`.
 * When cdktf invokes aspects during synth, every checked resource gets a validation that fails
 * the stack's synth on an unsuppressed finding. cdktf writes stacks one by one, so prefer
 * {@link applySecurityRules} with `validateTree`/`validateAndSynth`, which fail before any file is written.
 */
export class SecurityRules implements IAspect {
  /** The rules this aspect applies. */
  public readonly rules: readonly SecurityRule[] = SECURITY_RULES;

  visit(node: IConstruct): void {
    if (isChecked(node)) ensureResourceValidation(node);
  }

  /**
   * Accepts findings of the given rules on `construct` and everything under it, each with a
   * written reason (10 characters or more) that the report lists. Throws a ValidationError for
   * an unknown rule id or a missing/short reason.
   */
  static suppress(construct: IConstruct, suppressions: readonly SecurityRuleSuppression[]): void {
    const v = new Validator(construct);
    suppressions.forEach((s, i) => {
      v.check(RULES_BY_ID.has(s?.id), `suppressions[${i}].id`, s?.id, `must be a security rule id: ${SECURITY_RULES.map((r) => r.id).join(", ")}`);
      checkOptOut(v, `suppressions[${i}].reason`, s ?? {}, "a suppression", "it is printed in the security report");
    });
    v.throwIfAny();
    for (const s of suppressions) construct.node.addMetadata(SUPPRESS_METADATA, { id: s.id, reason: s.reason.trim() });
  }

  /**
   * Declares the access policies / role assignments under `construct` as admin grants (people
   * or pipelines that manage secrets, not workloads): suppresses AKSS-KV4 and AKSS-KV5 there with the reason.
   */
  static declareAdminGrant(construct: IConstruct, reason: string): void {
    // the length rule applies to what the user wrote, not to the prefix added below
    const v = new Validator(construct);
    checkOptOut(v, "declareAdminGrant.reason", { reason }, "an admin grant", "it is printed in the security report");
    v.throwIfAny();
    publishFact(construct, ADMIN_GRANT, { reason: reason.trim() });
  }

  /** Makes an opt-out recorded as `aks-secrets:opt-out:NAME` count as a suppression of these rules. */
  static mapOptOut(name: string, ruleIds: readonly string[]): void {
    // No construct here: the problems name the call.
    const path = `SecurityRules.mapOptOut(${JSON.stringify(name)})`;
    const problems: ValidationProblem[] = [];
    if (typeof name !== "string" || !/^[A-Za-z][\w.-]*$/.test(name)) {
      problems.push({ path, field: "name", value: show(name), rule: "must be an opt-out name such as destroy or localAccounts: letters, digits, '_', '-' and '.', starting with a letter (it is recorded as aks-secrets:opt-out:NAME)" });
    }
    if (!Array.isArray(ruleIds)) problems.push({ path, field: "ruleIds", value: show(ruleIds), rule: `must be a list of security rule ids (${SECURITY_RULES.map((r) => r.id).join(", ")})` });
    (Array.isArray(ruleIds) ? ruleIds : []).forEach((id, i) => {
      if (!RULES_BY_ID.has(id)) problems.push({ path, field: `ruleIds[${i}]`, value: show(id), rule: `must be a security rule id: ${SECURITY_RULES.map((r) => r.id).join(", ")}` });
    });
    if (problems.length > 0) throw new ValidationError(problems);
    OPT_OUT_RULES.set(name, [...new Set([...(OPT_OUT_RULES.get(name) ?? []), ...ruleIds])]);
  }

  /** The opt-out names and the rules each stands for. */
  static get optOuts(): ReadonlyMap<string, readonly string[]> {
    return new Map(OPT_OUT_RULES);
  }
}

/**
 * Applies the security rules to every stack under `scope` (an App, or a stack): registers
 * validations on `scope` and on each stack so that `validateTree(app)` (run by `validateAndSynth`)
 * fails on any unsuppressed finding before a file is written, and a stack's own synth fails the
 * same way. Each of those validations first gives every checked resource under it its validation,
 * so it does what the {@link SecurityRules} aspect does; the aspect is not added (cdktf visits every
 * construct once per aspect at synth). Idempotent; resources and stacks added later are covered
 * when the tree is validated.
 */
export function applySecurityRules(scope: IConstruct): void {
  hookScope(scope);
  for (const c of scope.node.findAll()) {
    if (TerraformStack.isStack(c)) hookScope(c);
    if (isChecked(c)) ensureResourceValidation(c);
  }
}


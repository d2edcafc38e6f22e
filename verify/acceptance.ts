// One acceptance API for both kinds of finding: `Verification.of(scope).accept({ id, reason })`
// takes a security rule id (AKSS-...: a suppression, as SecurityRules.suppress) or a wiring check
// id (AKSW-...: accepts that check's unverifiable links under the scope, as allowUnverifiedWiring
// does for every check). Broken wiring (a mismatch the checks prove) cannot be accepted. The
// `{ reason }` props of the constructs stay the construct-level way to opt out of a secure default.
import { IConstruct } from "constructs";
import { checkOptOut, Validator } from "../core/validation";
import { SECURITY_RULES, securityRule, SecurityRules } from "./security-rules";
import "./wiring/checks";
import { wiringCheck, wiringChecks } from "./wiring/registry";
import { WIRING_ACCEPTANCE } from "./wiring/types";

/** A finding accepted on purpose: the rule or check id, and why (10 characters or more; listed in the reports). */
export interface Acceptance {
  readonly id: string;
  readonly reason: string;
}

/** The acceptances of one scope (`Verification.of(scope)`), in the style of cdk-nag's `Validations.of(construct).acknowledge`. */
export class Verification {
  /** The facade for `scope`: the construct, or an ancestor (a stack) to accept for everything under it. */
  static of(scope: IConstruct): Verification {
    return new Verification(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * Accepts findings under the scope, each with a written reason: a security rule id suppresses
   * that rule's findings (as `SecurityRules.suppress`); a wiring check id accepts that check's
   * unverifiable links (as `allowUnverifiedWiring`, for one check). Throws a ValidationError for
   * an unknown id or a missing or short reason, before recording anything.
   */
  accept(...acceptances: Acceptance[]): this {
    const v = new Validator(this.scope);
    acceptances.forEach((a, i) => {
      const id = a?.id;
      v.check(
        typeof id === "string" && (securityRule(id) !== undefined || wiringCheck(id) !== undefined),
        `accept[${i}].id`,
        id,
        `must be a security rule id (${SECURITY_RULES.map((r) => r.id).join(", ")}) or a wiring check id (${wiringChecks().map((c) => c.id).join(", ")})`,
      );
      checkOptOut(v, `accept[${i}].reason`, a ?? {}, "an acceptance", "it is printed in the reports");
    });
    v.throwIfAny();
    for (const a of acceptances) {
      if (securityRule(a.id)) SecurityRules.suppress(this.scope, [{ id: a.id, reason: a.reason }]);
      else this.scope.node.addMetadata(WIRING_ACCEPTANCE, { id: a.id, reason: a.reason.trim() });
    }
    return this;
  }
}

// The security rules' public data types: a rule, what it reports, findings, suppressions, the report.
import { ResourceConfig } from "../../core/terraform-config";

/** The prefix of every rule id of this library. */
export const SECURITY_RULE_PREFIX = "AKSS";

/** One broken rule on one attribute of one resource, as a rule reports it. */
export interface RuleViolation {
  /** Attribute path in the synthesized resource, e.g. `network_acls.default_action`. */
  readonly attribute: string;
  /** The offending value, rendered for people (tokens as `${reference}`, secret values redacted). */
  readonly value: unknown;
  /** What exactly is wrong with this value. */
  readonly detail: string;
}

/** A security rule: an id, a one-line rationale and a fix, checked on resources of some types. */
export interface SecurityRule {
  /** `AKSS-...`: what suppressions name. */
  readonly id: string;
  /** Short name of the control. */
  readonly title: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** One line: how to comply. */
  readonly fix: string;
  /** Terraform resource types the rule looks at. */
  readonly resourceTypes: readonly string[];
  /** Returns the violations of this resource (none when compliant). */
  check(config: ResourceConfig): RuleViolation[];
}

/** A suppression as given to `SecurityRules.suppress`. */
export interface SecurityRuleSuppression {
  /** The rule id, e.g. `AKSS-KV2`. */
  readonly id: string;
  /** Why the risk is accepted: at least 10 characters, it is printed in the report. */
  readonly reason: string;
}

/** A finding: a rule broken by a resource. */
export interface SecurityFinding {
  readonly ruleId: string;
  readonly title: string;
  /** Construct path of the resource. */
  readonly path: string;
  readonly resourceType: string;
  readonly attribute: string;
  /** The value, rendered (see {@link RuleViolation.value}), as shown in messages. */
  readonly value: string;
  readonly detail: string;
  readonly rationale: string;
  readonly fix: string;
}

/** A finding that does not fail synth because a reason was written for it. */
export interface SuppressedFinding extends SecurityFinding {
  /** The written reason. */
  readonly reason: string;
  /** `suppression`: `SecurityRules.suppress`; `opt-out`: a construct's `{ reason }` opt-out prop. */
  readonly source: "suppression" | "opt-out";
  /** Construct path where the suppression or opt-out was recorded (the resource or an ancestor). */
  readonly suppressedAt: string;
  /** For an opt-out: its name, e.g. `publicNetwork`. */
  readonly optOut?: string;
}

/** A suppression recorded with `SecurityRules.suppress` that matched no finding. */
export interface UnusedSuppression {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Everything the rules found under a scope, for reports. */
export interface SecurityReport {
  /** Findings that fail synth. */
  readonly findings: SecurityFinding[];
  /** Findings accepted with a written reason. */
  readonly suppressed: SuppressedFinding[];
  /** Suppressions that no longer match anything (candidates for removal). */
  readonly unusedSuppressions: UnusedSuppression[];
  /** How many resources the rules looked at. */
  readonly resourcesChecked: number;
}


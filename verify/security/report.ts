// The security report: findings, suppressed findings with their reasons, unused suppressions;
// as data, as text for the wiring report, and the rule table as Markdown for the README.
import { IConstruct } from "constructs";
import { evaluateResource, isChecked } from "./engine";
import { SECURITY_RULES } from "./rules";
import { SUPPRESS_METADATA } from "./suppressions";
import { SecurityFinding, SecurityReport, SuppressedFinding, UnusedSuppression } from "./types";

/**
 * Evaluates the rules over every resource under `scope` (whether or not they were applied) and
 * returns findings, suppressed findings with their reasons, and unused suppressions, as data.
 */
export function securityReport(scope: IConstruct): SecurityReport {
  const findings: SecurityFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<object>();
  let resourcesChecked = 0;
  /** Suppressions in tree order, judged unused once every resource is evaluated (one walk for both). */
  const declared: { readonly c: IConstruct; readonly data: any }[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) if (m.type === SUPPRESS_METADATA) declared.push({ c, data: m.data });
    if (!isChecked(c)) continue;
    resourcesChecked++;
    for (const e of evaluateResource(c)) {
      if (!e.suppression) {
        findings.push(e.finding);
        continue;
      }
      if (e.suppression.entry) used.add(e.suppression.entry);
      suppressed.push({
        ...e.finding,
        reason: e.suppression.reason,
        source: e.suppression.source,
        suppressedAt: e.suppression.at.node.path,
        ...(e.suppression.optOut ? { optOut: e.suppression.optOut } : {}),
      });
    }
  }
  const unusedSuppressions: UnusedSuppression[] = declared.filter((d) => !used.has(d.data)).map(({ c, data }) => ({ path: c.node.path, id: data.id, reason: data.reason }));
  return { findings, suppressed, unusedSuppressions, resourcesChecked };
}

/** Renders a {@link SecurityReport} as plain text for the wiring report. */
export function formatSecurityReport(report: SecurityReport): string {
  const lines = [`Security rules: ${report.resourcesChecked} resources checked, ${report.findings.length} finding(s), ${report.suppressed.length} suppressed`];
  for (const f of report.findings) lines.push(`  FAIL ${f.ruleId} [${f.path}] ${f.attribute}: ${f.value} — ${f.detail}`);
  for (const s of report.suppressed) {
    const how = s.source === "opt-out" ? `opt-out ${s.optOut} on ${s.suppressedAt}` : `suppressed on ${s.suppressedAt}`;
    lines.push(`  SUPPRESSED ${s.ruleId} [${s.path}] ${s.attribute}: ${s.value} — ${how}: ${s.reason}`);
  }
  for (const u of report.unusedSuppressions) lines.push(`  UNUSED suppression ${u.id} on [${u.path}]: ${u.reason}`);
  return lines.join("\n");
}

/** The rule table as markdown (id, control, rationale, fix), e.g. for the README. */
export function securityRulesMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "| Id | Control | Rationale | Fix |",
    "|---|---|---|---|",
    ...SECURITY_RULES.map((r) => `| ${r.id} | ${esc(r.title)} (${r.resourceTypes.map((t) => `\`${t}\``).join(", ")}) | ${esc(r.rationale)} | ${esc(r.fix)} |`),
  ].join("\n");
}

// AKSS-SEC4: No sensitive Helm values in configuration.
import { absent, hasContent, isLiteralSecret, isPlainObject, redacted, renderConfigValue } from "../../../core/terraform-config";
import { RuleViolation, SecurityRule } from "../types";

export const NoSensitiveHelmValues: SecurityRule = {
  id: "AKSS-SEC4",
  title: "No sensitive Helm values in configuration",
  rationale: "set_sensitive values and a repository password are stored in the Terraform state (sensitive only hides them from plan output).",
  fix: "Have the chart read the secret from Key Vault / Vault at runtime (CSI driver, Vault Secrets Operator) instead of passing it as a value; use set_wo from an ephemeral source if it must be passed.",
  resourceTypes: ["helm_release"],
  check: ({ attributes: a }) => {
    const out: RuleViolation[] = [];
    if (hasContent(a.set_sensitive)) {
      const names = Array.isArray(a.set_sensitive) ? a.set_sensitive.map((s: any) => (isPlainObject(s) ? String(renderConfigValue(s.name)) : "?")) : [];
      out.push({ attribute: "set_sensitive", value: names.length > 0 ? `[${names.join(", ")}] = <redacted>` : redacted(a.set_sensitive), detail: "is set: the values land in the Terraform state" });
    }
    if (!absent(a.repository_password)) out.push({ attribute: "repository_password", value: redacted(a.repository_password), detail: "is set: the password lands in the Terraform state" });
    if (Array.isArray(a.set_wo) && a.set_wo.some((s: any) => isPlainObject(s) && isLiteralSecret(s.value))) {
      out.push({ attribute: "set_wo", value: redacted(a.set_wo), detail: "holds literal values: the secret is in the code and in cdktf.out" });
    }
    return out;
  },
};

// AKSS-SEC5: No Secret manifest with data in configuration.
import { hasContent, isPlainObject, redacted } from "../../../core/terraform-config";
import { RuleViolation, SecurityRule } from "../types";

export const NoSecretManifestData: SecurityRule = {
  id: "AKSS-SEC5",
  title: "No Secret manifest with data in configuration",
  rationale: "A kubernetes_manifest of kind Secret with data or stringData puts the secret value in the Terraform state and, if literal, in Git.",
  fix: "Deliver the secret with the Secrets Store CSI driver or the Vault Secrets Operator (VaultStaticSecret) instead of a Secret manifest.",
  resourceTypes: ["kubernetes_manifest"],
  check: ({ attributes: a }) => {
    const m = a.manifest;
    if (!isPlainObject(m) || m.kind !== "Secret") return []; // a token manifest's kind cannot be known
    const out: RuleViolation[] = [];
    for (const k of ["data", "stringData"]) {
      if (hasContent(m[k])) out.push({ attribute: `manifest.${k}`, value: redacted(m[k]), detail: "is set on a Secret: the value lands in the Terraform state" });
    }
    return out;
  },
};

// AKSS-SEC2: No Kubernetes Secret data in configuration.
import { hasContent, isLiteralSecret, redacted } from "../../../core/terraform-config";
import { RuleViolation, SecurityRule } from "../types";

export const NoKubernetesSecretData: SecurityRule = {
  id: "AKSS-SEC2",
  title: "No Kubernetes Secret data in configuration",
  rationale: "data / binary_data of a kubernetes_secret(_v1)(_data) is stored in the Terraform state and, if literal, in Git: exactly what secret delivery from Key Vault or Vault avoids.",
  fix: "Deliver the secret with the Secrets Store CSI driver (SecretProviderClass) or the Vault Secrets Operator; if Terraform must write it, use data_wo from an ephemeral source.",
  resourceTypes: ["kubernetes_secret", "kubernetes_secret_v1", "kubernetes_secret_v1_data"],
  check: ({ attributes: a }) => {
    const out: RuleViolation[] = [];
    for (const k of ["data", "binary_data"]) {
      if (hasContent(a[k])) out.push({ attribute: k, value: redacted(a[k]), detail: "is set: the secret value lands in the Terraform state" });
    }
    for (const k of ["data_wo", "binary_data_wo"]) {
      if (isLiteralSecret(a[k])) out.push({ attribute: k, value: redacted(a[k]), detail: "holds literal values: the secret is in the code and in cdktf.out" });
    }
    return out;
  },
};

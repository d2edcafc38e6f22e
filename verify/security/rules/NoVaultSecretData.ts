// AKSS-SEC3: No Vault secret data in configuration.
import { absent, hasContent, isLiteralSecret, redacted } from "../../../core/terraform-config";
import { RuleViolation, SecurityRule } from "../types";

export const NoVaultSecretData: SecurityRule = {
  id: "AKSS-SEC3",
  title: "No Vault secret data in configuration",
  rationale: "data_json of a Vault KV secret (or secret_value of an HCP Vault Secrets secret) is stored in the Terraform state and, if literal, in Git, outside Vault's access control and audit.",
  fix: "Write the secret with `vault kv put` (or from its producing system) and let Terraform manage only policies and roles; or use data_json_wo from an ephemeral source.",
  resourceTypes: ["vault_kv_secret", "vault_kv_secret_v2", "vault_generic_secret", "hcp_vault_secrets_secret"],
  check: ({ attributes: a }) => {
    const out: RuleViolation[] = [];
    if (!absent(a.secret_value)) out.push({ attribute: "secret_value", value: redacted(a.secret_value), detail: "is set: the secret value lands in the Terraform state" });
    if (hasContent(a.data_json)) out.push({ attribute: "data_json", value: redacted(a.data_json), detail: "is set: the secret value lands in the Terraform state" });
    if (isLiteralSecret(a.data_json_wo)) out.push({ attribute: "data_json_wo", value: redacted(a.data_json_wo), detail: "is a literal: the secret is in the code and in cdktf.out" });
    return out;
  },
};

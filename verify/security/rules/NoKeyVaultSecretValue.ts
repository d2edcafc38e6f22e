// AKSS-SEC1: No Key Vault secret value in configuration.
import { absent, block, isLiteralSecret, redacted } from "../../../core/terraform-config";
import { RuleViolation, SecurityRule } from "../types";

export const NoKeyVaultSecretValue: SecurityRule = {
  id: "AKSS-SEC1",
  title: "No Key Vault secret value in configuration",
  rationale: "A value given to azurerm_key_vault_secret (or a certificate's contents) is stored in plain text in the Terraform state and, if literal, in Git.",
  fix: "Declare the secret by name only (KeyVault.declareSecret) and write its value out of band with `az keyvault secret set`; or use value_wo fed from an ephemeral resource.",
  resourceTypes: ["azurerm_key_vault_secret", "azurerm_key_vault_certificate"],
  check: ({ type, attributes: a }) => {
    const out: RuleViolation[] = [];
    if (type === "azurerm_key_vault_secret") {
      if (!absent(a.value)) out.push({ attribute: "value", value: redacted(a.value), detail: "is set: the secret value lands in the Terraform state" });
      if (isLiteralSecret(a.value_wo)) out.push({ attribute: "value_wo", value: redacted(a.value_wo), detail: "is a literal: the secret value is in the code and in cdktf.out" });
    } else {
      const cert = block(a.certificate);
      if (cert === "token") out.push({ attribute: "certificate", value: redacted(a.certificate), detail: "is set: the certificate and its private key land in the Terraform state" });
      else if (cert) {
        for (const k of ["contents", "password"]) {
          if (!absent(cert[k])) out.push({ attribute: `certificate.${k}`, value: redacted(cert[k]), detail: "is set: the certificate and its private key land in the Terraform state" });
        }
      }
    }
    return out;
  },
};

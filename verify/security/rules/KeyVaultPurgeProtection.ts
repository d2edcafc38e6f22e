// AKSS-KV1: Key Vault purge protection.
import { boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { KEY_VAULT } from "../values";

export const KeyVaultPurgeProtection: SecurityRule = {
  id: "AKSS-KV1",
  title: "Key Vault purge protection",
  rationale: "Without purge protection a deleted vault or secret can be purged at once, by mistake or by an attacker, and every secret in it is lost for good.",
  fix: "Set purge_protection_enabled = true (KeyVault does); it cannot be turned off again once on.",
  resourceTypes: [KEY_VAULT],
  check: ({ attributes: a }) => {
    const v = boolArg(a.purge_protection_enabled);
    if (!v.known) return [{ attribute: "purge_protection_enabled", value: renderConfigValue(a.purge_protection_enabled), detail: unknownDetail(a.purge_protection_enabled) }];
    return v.value === true ? [] : [{ attribute: "purge_protection_enabled", value: v.value, detail: v.value === undefined ? "is not set (the provider default is false)" : "is false" }];
  },
};

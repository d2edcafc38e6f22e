// AKSS-KV3: Key Vault destroy protection.
import { boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { KEY_VAULT } from "../values";

export const KeyVaultDestroyProtection: SecurityRule = {
  id: "AKSS-KV3",
  title: "Key Vault destroy protection",
  rationale: "The vault holds the only copy of secrets written out of band; a `terraform destroy` or a replacing change must not delete it.",
  fix: "Set lifecycle { prevent_destroy = true } (KeyVault does); opt out with allowDestroy: { reason }.",
  resourceTypes: [KEY_VAULT],
  check: ({ attributes: a }) => {
    const v = boolArg(a.lifecycle?.prevent_destroy);
    return v.known && v.value === true ? [] : [{ attribute: "lifecycle.prevent_destroy", value: renderConfigValue(a.lifecycle?.prevent_destroy), detail: v.known ? "is not true" : unknownDetail(a.lifecycle?.prevent_destroy) }];
  },
};

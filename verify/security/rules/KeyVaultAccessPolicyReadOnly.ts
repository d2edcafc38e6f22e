// AKSS-KV4: Key Vault access policies: read only.
import { absent, isPlainObject, listArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { checkAccessPolicy } from "../grants";
import { SecurityRule } from "../types";
import { KEY_VAULT } from "../values";

export const KeyVaultAccessPolicyReadOnly: SecurityRule = {
  id: "AKSS-KV4",
  title: "Key Vault access policies: read only",
  rationale: "A workload identity that can list, write or delete secrets, or use keys and certificates, turns one compromised pod into a compromised vault.",
  fix: "Give workloads secret_permissions = [\"Get\"] and no key, certificate or storage permissions (KeyVault.grantSecretRead does); admin grants go to the deployer (data.azurerm_client_config.object_id) or are declared with SecurityRules.declareAdminGrant.",
  resourceTypes: [KEY_VAULT, "azurerm_key_vault_access_policy"],
  check: ({ type, attributes: a }) => {
    if (type === "azurerm_key_vault_access_policy") return checkAccessPolicy(a, "");
    if (absent(a.access_policy)) return [];
    const list = listArg(a.access_policy);
    if (!list.known) return [{ attribute: "access_policy", value: renderConfigValue(a.access_policy), detail: unknownDetail(a.access_policy) }];
    return (list.value ?? []).flatMap((p, i) =>
      isPlainObject(p) ? checkAccessPolicy(p, `access_policy[${i}].`) : [{ attribute: `access_policy[${i}]`, value: renderConfigValue(p), detail: unknownDetail(p) }],
    );
  },
};

// AKSS-KV5: Key Vault role assignments: Secrets User only.
import { absent, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { isDeployerPrincipal, roleOf, scopeKind } from "../grants";
import { SecurityRule } from "../types";

export const KeyVaultRoleAssignmentSecretsUser: SecurityRule = {
  id: "AKSS-KV5",
  title: "Key Vault role assignments: Secrets User only",
  rationale: "Any Key Vault role beyond Key Vault Secrets User (or Secrets User above a single vault) lets a workload read more, write, or grant access itself.",
  fix: 'Assign only "Key Vault Secrets User", scoped to the vault or to one secret (KeyVault.grantSecretRead does); admin roles go to the deployer or are declared with SecurityRules.declareAdminGrant.',
  resourceTypes: ["azurerm_role_assignment"],
  check: ({ attributes: a }) => {
    const scope = scopeKind(a.scope);
    const role = roleOf(a);
    if (scope === "other" && !role.keyVaultRole) return []; // not about Key Vault
    if (scope === "unknown" && role.known && !role.keyVaultRole) return [];
    if (isDeployerPrincipal(a.principal_id)) return [];
    const roleAttr = absent(a.role_definition_name) ? "role_definition_id" : "role_definition_name";
    if (!role.known) return [{ attribute: roleAttr, value: renderConfigValue(a[roleAttr]), detail: `${unknownDetail(a[roleAttr])}, on a scope that may be a Key Vault` }];
    if (!role.secretsUser) {
      return [{ attribute: roleAttr, value: role.label, detail: `is assigned ${scope === "vault" ? "on a Key Vault" : `on ${renderConfigValue(a.scope)}`}: workloads get only Key Vault Secrets User` }];
    }
    if (scope === "vault") return [];
    return [
      {
        attribute: "scope",
        value: renderConfigValue(a.scope),
        detail: scope === "other" ? "is wider than one vault: the workload could read every secret of every vault under it" : `${unknownDetail(a.scope)}: scope Secrets User to a vault or secret ID`,
      },
    ];
  },
};

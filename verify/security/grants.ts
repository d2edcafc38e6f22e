// Admin grants vs workload grants, and what a role assignment's role and scope are.
//
// A grant is a workload grant unless its principal is the identity running Terraform
// (`data.azurerm_client_config.X.object_id` / `data.azuread_client_config.X.object_id`).
// That identity creates the vault, its access policies and role assignments, so it can
// already give itself any data-plane right: a grant to it is no escalation. Any other
// principal is treated as a workload, because misclassifying a workload as admin would
// pass an over-broad grant silently, while misclassifying an admin only costs a written
// suppression (`SecurityRules.declareAdminGrant`, or an `ADMIN_GRANT` fact).

import { hasContent, isDynamicString, listArg, literalPart, RAW_INTERPOLATION, referencesOf, renderConfigValue, TOKEN_IN_STRING, unknownDetail } from "../../core/terraform-config";
import { RuleViolation } from "./types";

const DEPLOYER_REFERENCE = /^data\.(azurerm|azuread)_client_config\.[^.]+\.object_id$/;

/** True when the value is exactly a reference to the object ID of the identity running Terraform. */
export function isDeployerPrincipal(v: unknown): boolean {
  if (typeof v !== "string" || !isDynamicString(v) || literalPart(v).trim() !== "") return false;
  const refs = referencesOf(v);
  return refs.length === 1 && DEPLOYER_REFERENCE.test(refs[0]);
}

/** Built-in role `Key Vault Secrets User`: read secret contents, nothing else. */
export const KEY_VAULT_SECRETS_USER_ROLE_ID = "4633458b-17de-408a-b874-0445c86b69e6";
/** Built-in Key Vault roles known by ID, so a grant by `role_definition_id` is recognised too. */
const KEY_VAULT_ROLE_IDS: Record<string, string> = {
  [KEY_VAULT_SECRETS_USER_ROLE_ID]: "Key Vault Secrets User",
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
};

export type ScopeKind = "vault" | "other" | "unknown";

const VAULT_SCOPE_LITERAL = /\/providers\/Microsoft\.KeyVault\/(vaults|managedHSMs)\/[^/]+(\/(secrets|keys|certificates)\/[^/]+)?\/?$/i;
const VAULT_REFERENCE = /^(data\.)?azurerm_key_vault(_secret|_key|_certificate|_managed_hardware_security_module)?\.[^.]+\.(id|resource_id|resource_versionless_id)$/;
const NON_VAULT_REFERENCE = /^(data\.)?azurerm_(resource_group|subscription|management_group|storage_account|kubernetes_cluster|virtual_network|subnet|user_assigned_identity|container_registry)\.[^.]+\.id$/;

/** What a role assignment's scope points at, as far as it can be told before apply. */
export function scopeKind(scope: unknown): ScopeKind {
  if (typeof scope !== "string") return "unknown";
  if (!isDynamicString(scope)) return VAULT_SCOPE_LITERAL.test(scope) ? "vault" : "other";
  // e.g. `/subscriptions/${var.sub}/resourceGroups/${var.rg}/providers/Microsoft.KeyVault/vaults/${var.name}`
  if (VAULT_SCOPE_LITERAL.test(scope.replace(TOKEN_IN_STRING, "X").replace(RAW_INTERPOLATION, "X"))) return "vault";
  const refs = referencesOf(scope);
  const suffix = literalPart(scope);
  if (refs.length === 1 && VAULT_REFERENCE.test(refs[0]) && /^(\/(secrets|keys|certificates)\/[^/]+)?\/?$/.test(suffix)) return "vault";
  if (refs.length === 1 && NON_VAULT_REFERENCE.test(refs[0]) && suffix === "") return "other";
  return "unknown";
}

/** The role a role assignment gives: its name, and whether it is a Key Vault role / Secrets User. */
export function roleOf(attrs: Record<string, any>): { label: string; known: boolean; keyVaultRole: boolean; secretsUser: boolean } {
  const name = attrs.role_definition_name;
  const id = attrs.role_definition_id;
  if (typeof name === "string" && !isDynamicString(name)) {
    return { label: name, known: true, keyVaultRole: /^key vault /i.test(name.trim()), secretsUser: name.trim().toLowerCase() === "key vault secrets user" };
  }
  if (typeof id === "string" && !isDynamicString(id)) {
    const guid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(id)?.[1]?.toLowerCase();
    const known = guid ? KEY_VAULT_ROLE_IDS[guid] : undefined;
    return { label: known ? `${known} (${id})` : id, known: true, keyVaultRole: !!known, secretsUser: guid === KEY_VAULT_SECRETS_USER_ROLE_ID };
  }
  return { label: String(renderConfigValue(name ?? id)), known: false, keyVaultRole: false, secretsUser: false };
}


/** The violations of one access policy (none for the deployer's): Get on secrets only. */
export function checkAccessPolicy(policy: Record<string, any>, prefix: string): RuleViolation[] {
  if (isDeployerPrincipal(policy.object_id)) return [];
  const out: RuleViolation[] = [];
  const secrets = listArg(policy.secret_permissions);
  if (!secrets.known) {
    out.push({ attribute: `${prefix}secret_permissions`, value: renderConfigValue(policy.secret_permissions), detail: unknownDetail(policy.secret_permissions) });
  } else {
    const extra = (secrets.value ?? []).filter((p) => typeof p !== "string" || isDynamicString(p) || p.trim().toLowerCase() !== "get");
    if (extra.length > 0) {
      out.push({
        attribute: `${prefix}secret_permissions`,
        value: renderConfigValue(secrets.value),
        detail: `grants ${extra.map((p) => String(renderConfigValue(p))).join(", ")} beyond Get: a workload reads secret values by name and needs nothing else (List enumerates every secret name)`,
      });
    }
  }
  for (const kind of ["key", "certificate", "storage"] as const) {
    const attr = `${kind}_permissions`;
    const v = policy[attr];
    if (hasContent(v)) {
      out.push({ attribute: `${prefix}${attr}`, value: renderConfigValue(v), detail: `grants ${kind} permissions: a workload reading secrets needs none` });
    }
  }
  return out;
}


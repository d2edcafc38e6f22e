// Security rules in the style of cdk-nag, applied to the Terraform resources themselves (by
// resource type), so they also catch resources created without this library's constructs.
//
// No provider binding is imported: rules read the configuration a resource will synthesize
// (snake_case attributes, `addOverride` escape hatches merged, `lifecycle`), from the
// resource object, without resolving tokens and without side effects on the tree.
import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { checkOptOut, isUnresolved, OPT_OUT_METADATA_PREFIX, problemMessage, show, ValidationError, ValidationProblem, Validator } from "../core/validation";
import { isTooWide, parseCidr, TOO_WIDE_RANGE_REASON, WIDEST_ALLOWED_PREFIX } from "../core/cidr";
import { factsOf, publishFact } from "../core/facts";
import { ADMIN_GRANT, AdminGrantFact } from "../core/facts-azure";
import { absent, block, boolArg, hasContent, isDynamicString, isLiteralSecret, isPlainObject, isToken, listArg, literalPart, RAW_INTERPOLATION, readResourceConfig, redacted, referencesOf, renderConfigValue, ResourceConfig, TOKEN_IN_STRING, unknownDetail } from "../core/terraform-config";

// What a resource will synthesize is read by core/terraform-config.ts; re-exported here, where it always was.
export { readResourceConfig, renderConfigValue };
export type { ResourceConfig };

/** The prefix of every rule id of this library. */
export const SECURITY_RULE_PREFIX = "AKSS";

// ---------------------------------------------------------------------------
// Public data types

/** One broken rule on one attribute of one resource, as a rule reports it. */
export interface RuleViolation {
  /** Attribute path in the synthesized resource, e.g. `network_acls.default_action`. */
  readonly attribute: string;
  /** The offending value, rendered for people (tokens as `${reference}`, secret values redacted). */
  readonly value: unknown;
  /** What exactly is wrong with this value. */
  readonly detail: string;
}

/** A security rule: an id, a one-line rationale and a fix, checked on resources of some types. */
export interface SecurityRule {
  /** `AKSS-...`: what suppressions name. */
  readonly id: string;
  /** Short name of the control. */
  readonly title: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** One line: how to comply. */
  readonly fix: string;
  /** Terraform resource types the rule looks at. */
  readonly resourceTypes: readonly string[];
  /** Returns the violations of this resource (none when compliant). */
  check(config: ResourceConfig): RuleViolation[];
}

/** A suppression as given to {@link SecurityRules.suppress}. */
export interface SecurityRuleSuppression {
  /** The rule id, e.g. `AKSS-KV2`. */
  readonly id: string;
  /** Why the risk is accepted: at least 10 characters, it is printed in the report. */
  readonly reason: string;
}

/** A finding: a rule broken by a resource. */
export interface SecurityFinding {
  readonly ruleId: string;
  readonly title: string;
  /** Construct path of the resource. */
  readonly path: string;
  readonly resourceType: string;
  readonly attribute: string;
  /** The value, rendered (see {@link RuleViolation.value}), as shown in messages. */
  readonly value: string;
  readonly detail: string;
  readonly rationale: string;
  readonly fix: string;
}

/** A finding that does not fail synth because a reason was written for it. */
export interface SuppressedFinding extends SecurityFinding {
  /** The written reason. */
  readonly reason: string;
  /** `suppression`: {@link SecurityRules.suppress}; `opt-out`: a construct's `{ reason }` opt-out prop. */
  readonly source: "suppression" | "opt-out";
  /** Construct path where the suppression or opt-out was recorded (the resource or an ancestor). */
  readonly suppressedAt: string;
  /** For an opt-out: its name, e.g. `publicNetwork`. */
  readonly optOut?: string;
}

/** A suppression recorded with {@link SecurityRules.suppress} that matched no finding. */
export interface UnusedSuppression {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Everything the rules found under a scope, for reports. */
export interface SecurityReport {
  /** Findings that fail synth. */
  readonly findings: SecurityFinding[];
  /** Findings accepted with a written reason. */
  readonly suppressed: SuppressedFinding[];
  /** Suppressions that no longer match anything (candidates for removal). */
  readonly unusedSuppressions: UnusedSuppression[];
  /** How many resources the rules looked at. */
  readonly resourcesChecked: number;
}

/**
 * Entries of an IP list that open the resource to (nearly) everyone: wider than
 * WIDEST_ALLOWED_PREFIX (validation.ts, a /8), the limit AksCluster also enforces at construction.
 * Tokens are not checked.
 */
function tooWideRanges(entries: readonly unknown[]): string[] {
  return entries.filter((e): e is string => {
    if (typeof e !== "string" || isUnresolved(e)) return false;
    const n = parseCidr(e.trim(), { allowBareAddress: true });
    return !!n && isTooWide(n);
  });
}

// ---------------------------------------------------------------------------
// Admin grants vs workload grants
//
// A grant is a workload grant unless its principal is the identity running Terraform
// (`data.azurerm_client_config.X.object_id` / `data.azuread_client_config.X.object_id`).
// That identity creates the vault, its access policies and role assignments, so it can
// already give itself any data-plane right: a grant to it is no escalation. Any other
// principal is treated as a workload, because misclassifying a workload as admin would
// pass an over-broad grant silently, while misclassifying an admin only costs a written
// suppression ({@link SecurityRules.declareAdminGrant}).

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

type ScopeKind = "vault" | "other" | "unknown";

const VAULT_SCOPE_LITERAL = /\/providers\/Microsoft\.KeyVault\/(vaults|managedHSMs)\/[^/]+(\/(secrets|keys|certificates)\/[^/]+)?\/?$/i;
const VAULT_REFERENCE = /^(data\.)?azurerm_key_vault(_secret|_key|_certificate|_managed_hardware_security_module)?\.[^.]+\.(id|resource_id|resource_versionless_id)$/;
const NON_VAULT_REFERENCE = /^(data\.)?azurerm_(resource_group|subscription|management_group|storage_account|kubernetes_cluster|virtual_network|subnet|user_assigned_identity|container_registry)\.[^.]+\.id$/;

/** What a role assignment's scope points at, as far as it can be told before apply. */
function scopeKind(scope: unknown): ScopeKind {
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
function roleOf(attrs: Record<string, any>): { label: string; known: boolean; keyVaultRole: boolean; secretsUser: boolean } {
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

// ---------------------------------------------------------------------------
// The rules

const KEY_VAULT = "azurerm_key_vault";
const AKS = "azurerm_kubernetes_cluster";

function checkAccessPolicy(policy: Record<string, any>, prefix: string): RuleViolation[] {
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

/**
 * The rules, in report order. Rule ids are API: suppressions and opt-outs name them.
 */
export const SECURITY_RULES: readonly SecurityRule[] = [
  {
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
  },
  {
    id: "AKSS-KV2",
    title: "Key Vault closed network",
    rationale: "A vault reachable from every address is one leaked credential away from disclosure; the firewall limits where a stolen token can be used.",
    fix: 'Set public_network_access_enabled = false (private endpoint), or network_acls { default_action = "Deny" } with explicit ip_rules / virtual_network_subnet_ids (KeyVault\'s default); opt out with allowPublicNetwork: { reason }.',
    resourceTypes: [KEY_VAULT],
    check: ({ attributes: a }) => {
      const pub = boolArg(a.public_network_access_enabled);
      if (pub.known && pub.value === false) return [];
      const acls = block(a.network_acls);
      if (acls === undefined) return [{ attribute: "network_acls", value: undefined, detail: "is not set and public network access is on: the vault accepts requests from every address" }];
      if (acls === "token") return [{ attribute: "network_acls", value: renderConfigValue(a.network_acls), detail: unknownDetail(a.network_acls) }];
      const out: RuleViolation[] = [];
      const action = acls.default_action;
      if (isToken(action)) out.push({ attribute: "network_acls.default_action", value: renderConfigValue(action), detail: unknownDetail(action) });
      else if (typeof action !== "string" || action.toLowerCase() !== "deny") {
        out.push({ attribute: "network_acls.default_action", value: action, detail: 'is not "Deny": the firewall lets every address through' });
      }
      const ips = listArg(acls.ip_rules);
      const wide = ips.known ? tooWideRanges(ips.value ?? []) : [];
      if (wide.length > 0) out.push({ attribute: "network_acls.ip_rules", value: ips.known ? ips.value : undefined, detail: `allows ${wide.join(", ")}, ${TOO_WIDE_RANGE_REASON}` });
      return out;
    },
  },
  {
    id: "AKSS-KV3",
    title: "Key Vault destroy protection",
    rationale: "The vault holds the only copy of secrets written out of band; a `terraform destroy` or a replacing change must not delete it.",
    fix: "Set lifecycle { prevent_destroy = true } (KeyVault does); opt out with allowDestroy: { reason }.",
    resourceTypes: [KEY_VAULT],
    check: ({ attributes: a }) => {
      const v = boolArg(a.lifecycle?.prevent_destroy);
      return v.known && v.value === true ? [] : [{ attribute: "lifecycle.prevent_destroy", value: renderConfigValue(a.lifecycle?.prevent_destroy), detail: v.known ? "is not true" : unknownDetail(a.lifecycle?.prevent_destroy) }];
    },
  },
  {
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
  },
  {
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
  },
  {
    id: "AKSS-AKS1",
    title: "AKS local accounts disabled",
    rationale: "The local cluster-admin kubeconfig is a static, non-expiring credential that bypasses Entra ID, Conditional Access and audit.",
    fix: "Set local_account_disabled = true (AksCluster does); opt out with allowLocalAccounts: { reason }.",
    resourceTypes: [AKS],
    check: ({ attributes: a }) => {
      const v = boolArg(a.local_account_disabled);
      if (!v.known) return [{ attribute: "local_account_disabled", value: renderConfigValue(a.local_account_disabled), detail: unknownDetail(a.local_account_disabled) }];
      return v.value === true ? [] : [{ attribute: "local_account_disabled", value: v.value, detail: v.value === undefined ? "is not set (local accounts are on by default)" : "is false" }];
    },
  },
  {
    id: "AKSS-AKS2",
    title: "AKS Entra ID authentication with Azure RBAC",
    rationale: "Without Entra ID integration and Azure RBAC, cluster access is granted outside Azure's identity, review and audit trail.",
    fix: "Set azure_active_directory_role_based_access_control { azure_rbac_enabled = true } and keep role_based_access_control_enabled (AksCluster does).",
    resourceTypes: [AKS],
    check: ({ attributes: a }) => {
      const out: RuleViolation[] = [];
      const rbac = boolArg(a.role_based_access_control_enabled);
      if (rbac.known && rbac.value === false) out.push({ attribute: "role_based_access_control_enabled", value: false, detail: "turns Kubernetes RBAC off" });
      else if (!rbac.known) out.push({ attribute: "role_based_access_control_enabled", value: renderConfigValue(a.role_based_access_control_enabled), detail: unknownDetail(a.role_based_access_control_enabled) });
      const aad = block(a.azure_active_directory_role_based_access_control);
      if (aad === undefined) out.push({ attribute: "azure_active_directory_role_based_access_control", value: undefined, detail: "is not set: the cluster does not authenticate with Entra ID" });
      else if (aad === "token") out.push({ attribute: "azure_active_directory_role_based_access_control", value: renderConfigValue(a.azure_active_directory_role_based_access_control), detail: unknownDetail(a.azure_active_directory_role_based_access_control) });
      else {
        const azureRbac = boolArg(aad.azure_rbac_enabled);
        if (!azureRbac.known) out.push({ attribute: "azure_active_directory_role_based_access_control.azure_rbac_enabled", value: renderConfigValue(aad.azure_rbac_enabled), detail: unknownDetail(aad.azure_rbac_enabled) });
        else if (azureRbac.value !== true) out.push({ attribute: "azure_active_directory_role_based_access_control.azure_rbac_enabled", value: azureRbac.value, detail: "is not true: Kubernetes authorization is not done with Azure RBAC" });
      }
      return out;
    },
  },
  {
    id: "AKSS-AKS3",
    title: "AKS API server private or IP-restricted",
    rationale: "An API server open to the internet exposes the cluster's control plane to credential stuffing and to every future API server vulnerability.",
    fix: `Set private_cluster_enabled = true, or api_server_access_profile { authorized_ip_ranges = [...] } with ranges no wider than /${WIDEST_ALLOWED_PREFIX} (AksCluster's apiServerAccess).`,
    resourceTypes: [AKS],
    check: ({ attributes: a }) => {
      const priv = boolArg(a.private_cluster_enabled);
      if (priv.known && priv.value === true) return [];
      const profile = block(a.api_server_access_profile);
      const ranges = profile && profile !== "token" ? listArg(profile.authorized_ip_ranges) : undefined;
      if (profile === "token" || (ranges && !ranges.known)) {
        const v = profile === "token" ? a.api_server_access_profile : (profile as Record<string, any>).authorized_ip_ranges;
        return [{ attribute: "api_server_access_profile.authorized_ip_ranges", value: renderConfigValue(v), detail: `${unknownDetail(v)}; an empty list leaves the API server public` }];
      }
      const list = ranges?.known ? (ranges.value ?? []) : [];
      if (list.length === 0) {
        return [
          {
            attribute: "private_cluster_enabled",
            value: priv.known ? priv.value : renderConfigValue(a.private_cluster_enabled),
            detail: priv.known ? "is not true and no api_server_access_profile.authorized_ip_ranges are set: the API server is open to every address" : `${unknownDetail(a.private_cluster_enabled)}, and no authorized IP ranges are set`,
          },
        ];
      }
      const wide = tooWideRanges(list);
      return wide.length > 0 ? [{ attribute: "api_server_access_profile.authorized_ip_ranges", value: list, detail: `allows ${wide.join(", ")}, ${TOO_WIDE_RANGE_REASON}` }] : [];
    },
  },
  {
    id: "AKSS-AKS4",
    title: "AKS secret rotation on",
    rationale: "Without rotation, mounted secrets keep their old value until the pod restarts, so a rotated or revoked secret stays in use.",
    fix: "Set key_vault_secrets_provider { secret_rotation_enabled = true } (AksCluster does, every 2m by default).",
    resourceTypes: [AKS],
    check: ({ attributes: a }) => {
      const kvsp = block(a.key_vault_secrets_provider);
      if (kvsp === undefined) return []; // no CSI add-on: nothing to rotate
      if (kvsp === "token") return [{ attribute: "key_vault_secrets_provider", value: renderConfigValue(a.key_vault_secrets_provider), detail: unknownDetail(a.key_vault_secrets_provider) }];
      const v = boolArg(kvsp.secret_rotation_enabled);
      if (!v.known) return [{ attribute: "key_vault_secrets_provider.secret_rotation_enabled", value: renderConfigValue(kvsp.secret_rotation_enabled), detail: unknownDetail(kvsp.secret_rotation_enabled) }];
      return v.value === true ? [] : [{ attribute: "key_vault_secrets_provider.secret_rotation_enabled", value: v.value, detail: v.value === undefined ? "is not set (off by default)" : "is false" }];
    },
  },
  {
    id: "AKSS-HCP1",
    title: "HCP Vault without a public endpoint",
    rationale: "A public Vault endpoint puts every auth method and the whole secret store on the internet; pods reach Vault privately through the HVN peering.",
    fix: "Leave public_endpoint unset or false on hcp_vault_cluster and reach Vault over the HVN peering / private link.",
    resourceTypes: ["hcp_vault_cluster"],
    check: ({ attributes: a }) => {
      const v = boolArg(a.public_endpoint);
      if (!v.known) return [{ attribute: "public_endpoint", value: renderConfigValue(a.public_endpoint), detail: unknownDetail(a.public_endpoint) }];
      return v.value === true ? [{ attribute: "public_endpoint", value: true, detail: "exposes the Vault cluster on the internet" }] : [];
    },
  },
  {
    id: "AKSS-HCP2",
    title: "HCP Vault destroy protection",
    rationale: "The Vault cluster holds its secrets, auth configuration and audit trail; a `terraform destroy` or a replacing change must not delete it.",
    fix: "Set lifecycle { prevent_destroy = true } on hcp_vault_cluster; opt out with an allowDestroy: { reason } prop.",
    resourceTypes: ["hcp_vault_cluster"],
    check: ({ attributes: a }) => {
      const v = boolArg(a.lifecycle?.prevent_destroy);
      return v.known && v.value === true ? [] : [{ attribute: "lifecycle.prevent_destroy", value: renderConfigValue(a.lifecycle?.prevent_destroy), detail: v.known ? "is not true" : unknownDetail(a.lifecycle?.prevent_destroy) }];
    },
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
];

const RULES_BY_ID = new Map(SECURITY_RULES.map((r) => [r.id, r]));
const RULES_BY_TYPE = new Map<string, SecurityRule[]>();
for (const r of SECURITY_RULES) for (const t of r.resourceTypes) RULES_BY_TYPE.set(t, [...(RULES_BY_TYPE.get(t) ?? []), r]);

/** The rule with this id, or `undefined`. */
export function securityRule(id: string): SecurityRule | undefined {
  return RULES_BY_ID.get(id);
}

// ---------------------------------------------------------------------------
// Suppressions and opt-outs

const SUPPRESS_METADATA = "aks-secrets:suppress";

/**
 * Which rules an opt-out recorded by a construct (`recordOptOut(construct, NAME, { reason })`: metadata `aks-secrets:opt-out:NAME`)
 * stands for. Extend with {@link SecurityRules.mapOptOut} when a construct adds an opt-out.
 */
const OPT_OUT_RULES = new Map<string, string[]>([
  ["localAccounts", ["AKSS-AKS1"]], // AksCluster allowLocalAccounts
  ["publicNetwork", ["AKSS-KV2"]], // KeyVault allowPublicNetwork
  ["destroy", ["AKSS-KV3", "AKSS-HCP2"]], // KeyVault allowDestroy (and an HCP Vault allowDestroy)
  ["publicEndpoint", ["AKSS-HCP1"]], // an HCP Vault allowPublicEndpoint
]);

interface SuppressionHit {
  readonly reason: string;
  readonly source: "suppression" | "opt-out";
  readonly at: IConstruct;
  readonly optOut?: string;
  readonly entry?: object;
}

/** The rules an admin grant (an `ADMIN_GRANT` fact, published by KeyVault.grantSecretWrite or {@link SecurityRules.declareAdminGrant}) accepts. */
const ADMIN_GRANT_RULES = ["AKSS-KV4", "AKSS-KV5"];

/** The innermost suppression, admin grant or opt-out for `ruleId` on the resource or one of its ancestors. */
function suppressionFor(resource: IConstruct, ruleId: string): SuppressionHit | undefined {
  const scopes = resource.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const c = scopes[i];
    if (ADMIN_GRANT_RULES.includes(ruleId)) {
      const admin = factsOf(c).find((f) => f.type === ADMIN_GRANT);
      if (admin) return { reason: `admin grant: ${(admin.data as AdminGrantFact).reason}`, source: "suppression", at: c };
    }
    for (const m of c.node.metadata) {
      if (m.type === SUPPRESS_METADATA && m.data?.id === ruleId) return { reason: m.data.reason, source: "suppression", at: c, entry: m.data };
      if (m.type.startsWith(OPT_OUT_METADATA_PREFIX)) {
        const name = m.type.slice(OPT_OUT_METADATA_PREFIX.length);
        if (OPT_OUT_RULES.get(name)?.includes(ruleId)) return { reason: String(m.data), source: "opt-out", at: c, optOut: name };
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Evaluation

/** True for the resources some rule looks at. */
function isChecked(c: IConstruct): c is TerraformResource {
  return TerraformResource.isTerraformResource(c) && RULES_BY_TYPE.has((c as TerraformResource).terraformResourceType);
}

interface Evaluated {
  readonly finding: SecurityFinding;
  /** The rendered value, before `show`. */
  readonly raw: unknown;
  readonly suppression?: SuppressionHit;
}

function evaluateResource(resource: TerraformResource): Evaluated[] {
  const rules = RULES_BY_TYPE.get(resource.terraformResourceType) ?? [];
  if (rules.length === 0) return [];
  const config = readResourceConfig(resource);
  const out: Evaluated[] = [];
  for (const rule of rules) {
    for (const v of rule.check(config)) {
      const finding: SecurityFinding = {
        ruleId: rule.id,
        title: rule.title,
        path: config.path,
        resourceType: config.type,
        attribute: v.attribute,
        value: show(v.value),
        detail: v.detail,
        rationale: rule.rationale,
        fix: rule.fix,
      };
      out.push({ finding, raw: v.value, suppression: suppressionFor(resource, rule.id) });
    }
  }
  return out;
}

/** The message of a finding, as `problemMessage` renders it: field = rule id + attribute. */
function findingProblem(f: SecurityFinding, rawValue: unknown): string {
  return problemMessage(
    `${f.ruleId} ${f.attribute}`,
    rawValue,
    `${f.title}: ${f.detail}. Why: ${f.rationale} Fix: ${f.fix} To accept the risk: SecurityRules.suppress(construct, [{ id: "${f.ruleId}", reason: "..." }]).`,
  );
}

const VALIDATED = new WeakSet<IConstruct>();
const HOOKED = new WeakSet<IConstruct>();

/** Registers, once, the validation that fails synth on this resource's unsuppressed findings. */
function ensureResourceValidation(resource: TerraformResource): void {
  if (VALIDATED.has(resource)) return;
  VALIDATED.add(resource);
  resource.node.addValidation({
    validate: () =>
      evaluateResource(resource)
        .filter((e) => !e.suppression)
        .map((e) => findingProblem(e.finding, e.raw)),
  });
}

/**
 * Registers, once, a validation on `scope` that (when the tree is validated, scope before its
 * children) gives every checked resource under it its own validation. Resources added after
 * {@link applySecurityRules} are covered too, and each finding is reported on the resource's
 * own path, exactly once.
 */
function hookScope(scope: IConstruct): void {
  if (HOOKED.has(scope)) return;
  HOOKED.add(scope);
  scope.node.addValidation({
    validate: () => {
      for (const c of scope.node.findAll()) if (isChecked(c)) ensureResourceValidation(c);
      return [];
    },
  });
}

// ---------------------------------------------------------------------------
// Public API

/**
 * The security rules as a cdktf Aspect (cdk-nag style): `Aspects.of(stack).add(new SecurityRules())`.
 * When cdktf invokes aspects during synth, every checked resource gets a validation that fails
 * the stack's synth on an unsuppressed finding. cdktf writes stacks one by one, so prefer
 * {@link applySecurityRules} with `validateTree`/`validateAndSynth`, which fail before any file is written.
 */
export class SecurityRules implements IAspect {
  /** The rules this aspect applies. */
  public readonly rules: readonly SecurityRule[] = SECURITY_RULES;

  visit(node: IConstruct): void {
    if (isChecked(node)) ensureResourceValidation(node);
  }

  /**
   * Accepts findings of the given rules on `construct` and everything under it, each with a
   * written reason (10 characters or more) that the report lists. Throws a ValidationError for
   * an unknown rule id or a missing/short reason.
   */
  static suppress(construct: IConstruct, suppressions: readonly SecurityRuleSuppression[]): void {
    const v = new Validator(construct);
    suppressions.forEach((s, i) => {
      v.check(RULES_BY_ID.has(s?.id), `suppressions[${i}].id`, s?.id, `must be a security rule id: ${SECURITY_RULES.map((r) => r.id).join(", ")}`);
      checkOptOut(v, `suppressions[${i}].reason`, s ?? {}, "a suppression", "it is printed in the security report");
    });
    v.throwIfAny();
    for (const s of suppressions) construct.node.addMetadata(SUPPRESS_METADATA, { id: s.id, reason: s.reason.trim() });
  }

  /**
   * Declares the access policies / role assignments under `construct` as admin grants (people
   * or pipelines that manage secrets, not workloads): suppresses AKSS-KV4 and AKSS-KV5 there with the reason.
   */
  static declareAdminGrant(construct: IConstruct, reason: string): void {
    // the length rule applies to what the user wrote, not to the prefix added below
    const v = new Validator(construct);
    checkOptOut(v, "declareAdminGrant.reason", { reason }, "an admin grant", "it is printed in the security report");
    v.throwIfAny();
    publishFact(construct, ADMIN_GRANT, { reason: reason.trim() });
  }

  /** Makes an opt-out recorded as `aks-secrets:opt-out:NAME` count as a suppression of these rules. */
  static mapOptOut(name: string, ruleIds: readonly string[]): void {
    // No construct here: the problems name the call.
    const path = `SecurityRules.mapOptOut(${JSON.stringify(name)})`;
    const problems: ValidationProblem[] = [];
    if (typeof name !== "string" || !/^[A-Za-z][\w.-]*$/.test(name)) {
      problems.push({ path, field: "name", value: show(name), rule: "must be an opt-out name such as destroy or localAccounts: letters, digits, '_', '-' and '.', starting with a letter (it is recorded as aks-secrets:opt-out:NAME)" });
    }
    if (!Array.isArray(ruleIds)) problems.push({ path, field: "ruleIds", value: show(ruleIds), rule: `must be a list of security rule ids (${SECURITY_RULES.map((r) => r.id).join(", ")})` });
    (Array.isArray(ruleIds) ? ruleIds : []).forEach((id, i) => {
      if (!RULES_BY_ID.has(id)) problems.push({ path, field: `ruleIds[${i}]`, value: show(id), rule: `must be a security rule id: ${SECURITY_RULES.map((r) => r.id).join(", ")}` });
    });
    if (problems.length > 0) throw new ValidationError(problems);
    OPT_OUT_RULES.set(name, [...new Set([...(OPT_OUT_RULES.get(name) ?? []), ...ruleIds])]);
  }

  /** The opt-out names and the rules each stands for. */
  static get optOuts(): ReadonlyMap<string, readonly string[]> {
    return new Map(OPT_OUT_RULES);
  }
}

/**
 * Applies the security rules to every stack under `scope` (an App, or a stack): adds the
 * {@link SecurityRules} aspect to each stack and registers validations so that `validateTree(app)`
 * (run by `validateAndSynth`) fails on any unsuppressed finding before a file is written.
 * Idempotent; resources and stacks added later are covered when the tree is validated.
 */
export function applySecurityRules(scope: IConstruct): void {
  hookScope(scope);
  for (const c of scope.node.findAll()) {
    if (TerraformStack.isStack(c)) {
      if (!Aspects.of(c).all.some((a) => a instanceof SecurityRules)) Aspects.of(c).add(new SecurityRules());
      hookScope(c);
    }
    if (isChecked(c)) ensureResourceValidation(c);
  }
}

/**
 * Evaluates the rules over every resource under `scope` (whether or not they were applied) and
 * returns findings, suppressed findings with their reasons, and unused suppressions, as data.
 */
export function securityReport(scope: IConstruct): SecurityReport {
  const findings: SecurityFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<object>();
  let resourcesChecked = 0;
  for (const c of scope.node.findAll()) {
    if (!isChecked(c)) continue;
    resourcesChecked++;
    for (const e of evaluateResource(c)) {
      if (!e.suppression) {
        findings.push(e.finding);
        continue;
      }
      if (e.suppression.entry) used.add(e.suppression.entry);
      suppressed.push({
        ...e.finding,
        reason: e.suppression.reason,
        source: e.suppression.source,
        suppressedAt: e.suppression.at.node.path,
        ...(e.suppression.optOut ? { optOut: e.suppression.optOut } : {}),
      });
    }
  }
  const unusedSuppressions: UnusedSuppression[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type === SUPPRESS_METADATA && !used.has(m.data)) unusedSuppressions.push({ path: c.node.path, id: m.data.id, reason: m.data.reason });
    }
  }
  return { findings, suppressed, unusedSuppressions, resourcesChecked };
}

/** Renders a {@link SecurityReport} as plain text for the wiring report. */
export function formatSecurityReport(report: SecurityReport): string {
  const lines = [`Security rules: ${report.resourcesChecked} resources checked, ${report.findings.length} finding(s), ${report.suppressed.length} suppressed`];
  for (const f of report.findings) lines.push(`  FAIL ${f.ruleId} [${f.path}] ${f.attribute}: ${f.value} — ${f.detail}`);
  for (const s of report.suppressed) {
    const how = s.source === "opt-out" ? `opt-out ${s.optOut} on ${s.suppressedAt}` : `suppressed on ${s.suppressedAt}`;
    lines.push(`  SUPPRESSED ${s.ruleId} [${s.path}] ${s.attribute}: ${s.value} — ${how}: ${s.reason}`);
  }
  for (const u of report.unusedSuppressions) lines.push(`  UNUSED suppression ${u.id} on [${u.path}]: ${u.reason}`);
  return lines.join("\n");
}

/** The rule table as markdown (id, control, rationale, fix), e.g. for the README. */
export function securityRulesMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "| Id | Control | Rationale | Fix |",
    "|---|---|---|---|",
    ...SECURITY_RULES.map((r) => `| ${r.id} | ${esc(r.title)} (${r.resourceTypes.map((t) => `\`${t}\``).join(", ")}) | ${esc(r.rationale)} | ${esc(r.fix)} |`),
  ].join("\n");
}

// The registry of the security rules, one rule a file (cdk-nag style: rules/<RuleName>.ts holds the
// id, title, rationale, fix, resource types and the predicate). Listed here in report order:
// rule ids are API (suppressions and opt-outs name them). A new rule is a file and a line here.
import { SecurityRule } from "../types";
import { AksApiServerRestricted } from "./AksApiServerRestricted";
import { AksEntraIdAzureRbac } from "./AksEntraIdAzureRbac";
import { AksLocalAccountsDisabled } from "./AksLocalAccountsDisabled";
import { AksSecretRotation } from "./AksSecretRotation";
import { HcpVaultDestroyProtection } from "./HcpVaultDestroyProtection";
import { HcpVaultNoPublicEndpoint } from "./HcpVaultNoPublicEndpoint";
import { KeyVaultAccessPolicyReadOnly } from "./KeyVaultAccessPolicyReadOnly";
import { KeyVaultClosedNetwork } from "./KeyVaultClosedNetwork";
import { KeyVaultDestroyProtection } from "./KeyVaultDestroyProtection";
import { KeyVaultPurgeProtection } from "./KeyVaultPurgeProtection";
import { KeyVaultRoleAssignmentSecretsUser } from "./KeyVaultRoleAssignmentSecretsUser";
import { NoKeyVaultSecretValue } from "./NoKeyVaultSecretValue";
import { NoKubernetesSecretData } from "./NoKubernetesSecretData";
import { NoSecretManifestData } from "./NoSecretManifestData";
import { NoSensitiveHelmValues } from "./NoSensitiveHelmValues";
import { NoVaultSecretData } from "./NoVaultSecretData";

/** The rules, in report order. */
export const SECURITY_RULES: readonly SecurityRule[] = [
  KeyVaultPurgeProtection,
  KeyVaultClosedNetwork,
  KeyVaultDestroyProtection,
  KeyVaultAccessPolicyReadOnly,
  KeyVaultRoleAssignmentSecretsUser,
  AksLocalAccountsDisabled,
  AksEntraIdAzureRbac,
  AksApiServerRestricted,
  AksSecretRotation,
  HcpVaultNoPublicEndpoint,
  HcpVaultDestroyProtection,
  NoKeyVaultSecretValue,
  NoKubernetesSecretData,
  NoVaultSecretData,
  NoSensitiveHelmValues,
  NoSecretManifestData,
];

export const RULES_BY_ID: ReadonlyMap<string, SecurityRule> = new Map(SECURITY_RULES.map((r) => [r.id, r]));
export const RULES_BY_TYPE: ReadonlyMap<string, readonly SecurityRule[]> = (() => {
  const m = new Map<string, SecurityRule[]>();
  for (const r of SECURITY_RULES) for (const t of r.resourceTypes) m.set(t, [...(m.get(t) ?? []), r]);
  return m;
})();

/** The rule with this id, or `undefined`. */
export function securityRule(id: string): SecurityRule | undefined {
  return RULES_BY_ID.get(id);
}

// Suppressions (SecurityRules.suppress metadata), admin grants (ADMIN_GRANT facts) and opt-outs
// (`{ reason }` props recorded as metadata) and the innermost one that covers a rule on a resource.
import { IConstruct } from "constructs";
import { factsOf } from "../../core/facts";
import { ADMIN_GRANT, AdminGrantFact } from "../../core/facts-azure";
import { OPT_OUT_METADATA_PREFIX } from "../../core/validation";

export const SUPPRESS_METADATA = "aks-secrets:suppress";

/**
 * Which rules an opt-out recorded by a construct (`recordOptOut(construct, NAME, { reason })`: metadata `aks-secrets:opt-out:NAME`)
 * stands for. Extend with `SecurityRules.mapOptOut` when a construct adds an opt-out.
 */
export const OPT_OUT_RULES = new Map<string, string[]>([
  ["localAccounts", ["AKSS-AKS1"]], // AksCluster allowLocalAccounts
  ["publicNetwork", ["AKSS-KV2"]], // KeyVault allowPublicNetwork
  ["destroy", ["AKSS-KV3", "AKSS-HCP2"]], // KeyVault allowDestroy (and an HCP Vault allowDestroy)
  ["publicEndpoint", ["AKSS-HCP1"]], // an HCP Vault allowPublicEndpoint
]);

export interface SuppressionHit {
  readonly reason: string;
  readonly source: "suppression" | "opt-out";
  readonly at: IConstruct;
  readonly optOut?: string;
  readonly entry?: object;
}

/** The rules an admin grant (an `ADMIN_GRANT` fact, published by KeyVault.grantSecretWrite or `SecurityRules.declareAdminGrant`) accepts. */
const ADMIN_GRANT_RULES = ["AKSS-KV4", "AKSS-KV5"];

/** The innermost suppression, admin grant or opt-out for `ruleId` on the resource or one of its ancestors. */
export function suppressionFor(resource: IConstruct, ruleId: string): SuppressionHit | undefined {
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


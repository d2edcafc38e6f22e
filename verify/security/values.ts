// Value helpers the rules share beyond core/terraform-config.ts: IP ranges that are no restriction.
import { isTooWide, parseCidr } from "../../core/cidr";
import { isUnresolved } from "../../core/validation";

export const KEY_VAULT = "azurerm_key_vault";
export const AKS = "azurerm_kubernetes_cluster";

/**
 * Entries of an IP list that open the resource to (nearly) everyone: wider than
 * WIDEST_ALLOWED_PREFIX (validation.ts, a /8), the limit AksCluster also enforces at construction.
 * Tokens are not checked.
 */
export function tooWideRanges(entries: readonly unknown[]): string[] {
  return entries.filter((e): e is string => {
    if (typeof e !== "string" || isUnresolved(e)) return false;
    const n = parseCidr(e.trim(), { allowBareAddress: true });
    return !!n && isTooWide(n);
  });
}


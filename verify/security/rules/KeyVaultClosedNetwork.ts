// AKSS-KV2: Key Vault closed network.
import { block, boolArg, isToken, listArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { TOO_WIDE_RANGE_REASON } from "../../../core/cidr";
import { RuleViolation, SecurityRule } from "../types";
import { KEY_VAULT, tooWideRanges } from "../values";

export const KeyVaultClosedNetwork: SecurityRule = {
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
};

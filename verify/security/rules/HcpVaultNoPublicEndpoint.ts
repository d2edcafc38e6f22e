// AKSS-HCP1: HCP Vault without a public endpoint.
import { boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";

export const HcpVaultNoPublicEndpoint: SecurityRule = {
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
};

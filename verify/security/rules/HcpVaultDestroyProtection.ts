// AKSS-HCP2: HCP Vault destroy protection.
import { boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";

export const HcpVaultDestroyProtection: SecurityRule = {
  id: "AKSS-HCP2",
  title: "HCP Vault destroy protection",
  rationale: "The Vault cluster holds its secrets, auth configuration and audit trail; a `terraform destroy` or a replacing change must not delete it.",
  fix: "Set lifecycle { prevent_destroy = true } on hcp_vault_cluster; opt out with an allowDestroy: { reason } prop.",
  resourceTypes: ["hcp_vault_cluster"],
  check: ({ attributes: a }) => {
    const v = boolArg(a.lifecycle?.prevent_destroy);
    return v.known && v.value === true ? [] : [{ attribute: "lifecycle.prevent_destroy", value: renderConfigValue(a.lifecycle?.prevent_destroy), detail: v.known ? "is not true" : unknownDetail(a.lifecycle?.prevent_destroy) }];
  },
};

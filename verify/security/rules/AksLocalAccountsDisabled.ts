// AKSS-AKS1: AKS local accounts disabled.
import { boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { AKS } from "../values";

export const AksLocalAccountsDisabled: SecurityRule = {
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
};

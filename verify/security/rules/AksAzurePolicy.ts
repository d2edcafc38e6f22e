// AKSS-AKS5: AKS Azure Policy add-on on.
import { boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { AKS } from "../values";

export const AksAzurePolicy: SecurityRule = {
  id: "AKSS-AKS5",
  title: "AKS Azure Policy add-on on",
  rationale:
    "Without the Azure Policy add-on, Azure Policy for Kubernetes (no privileged pods or host mounts, allowed images, ...) neither audits nor denies anything in the cluster: policy assigned to the subscription does not reach its workloads.",
  fix: "Set azure_policy_enabled = true (AksCluster does); opt out with allowWithoutAzurePolicy: { reason }.",
  resourceTypes: [AKS],
  check: ({ attributes: a }) => {
    const v = boolArg(a.azure_policy_enabled);
    if (!v.known) return [{ attribute: "azure_policy_enabled", value: renderConfigValue(a.azure_policy_enabled), detail: unknownDetail(a.azure_policy_enabled) }];
    return v.value === true ? [] : [{ attribute: "azure_policy_enabled", value: v.value, detail: v.value === undefined ? "is not set (the add-on is off by default)" : "is false" }];
  },
};

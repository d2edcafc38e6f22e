// AKSS-AKS2: AKS Entra ID authentication with Azure RBAC.
import { block, boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { RuleViolation, SecurityRule } from "../types";
import { AKS } from "../values";

export const AksEntraIdAzureRbac: SecurityRule = {
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
};

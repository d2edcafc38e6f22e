// AKSS-AKS6: AKS automatic Kubernetes upgrades.
import { absent, isToken, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { AKS } from "../values";

export const AksAutomaticUpgrades: SecurityRule = {
  id: "AKSS-AKS6",
  title: "AKS automatic Kubernetes upgrades",
  rationale: "A cluster without an automatic upgrade channel stays on its Kubernetes version: it misses the patch releases that fix vulnerabilities and drops out of AKS support.",
  fix: 'Set automatic_upgrade_channel = "patch" (AksCluster does; "stable" and "rapid" also upgrade), and maintenance_window_auto_upgrade to choose when; opt out with allowManualUpgrades: { reason }.',
  resourceTypes: [AKS],
  check: ({ attributes: a }) => {
    const c = a.automatic_upgrade_channel;
    if (isToken(c)) return [{ attribute: "automatic_upgrade_channel", value: renderConfigValue(c), detail: unknownDetail(c) }];
    if (absent(c) || c === "none") {
      return [{ attribute: "automatic_upgrade_channel", value: absent(c) ? undefined : c, detail: absent(c) ? "is not set: AKS does not upgrade the cluster (channel none)" : "is none: AKS does not upgrade the cluster" }];
    }
    return [];
  },
};

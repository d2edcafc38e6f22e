// AKSS-AKS7: AKS node OS upgrades managed by AKS.
import { isToken, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { AKS } from "../values";

export const AksNodeOsUpgrades: SecurityRule = {
  id: "AKSS-AKS7",
  title: "AKS node OS upgrades managed",
  rationale: "Nodes on node OS channel None get no OS patches; on Unmanaged they miss the weekly node images and reboot for patches without AKS draining them first.",
  fix: 'Leave node_os_upgrade_channel at "NodeImage" (the provider default, and AksCluster\'s) or set "SecurityPatch", with maintenance_window_node_os to choose when; opt out with allowUnmanagedNodeOs: { reason }.',
  resourceTypes: [AKS],
  check: ({ attributes: a }) => {
    const c = a.node_os_upgrade_channel;
    if (isToken(c)) return [{ attribute: "node_os_upgrade_channel", value: renderConfigValue(c), detail: unknownDetail(c) }];
    if (c === "None" || c === "Unmanaged") {
      return [{ attribute: "node_os_upgrade_channel", value: c, detail: c === "None" ? "is None: the nodes' OS is never patched" : "is Unmanaged: no node images, and patch reboots are not coordinated by AKS" }];
    }
    return [];
  },
};

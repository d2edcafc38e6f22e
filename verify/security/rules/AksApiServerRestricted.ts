// AKSS-AKS3: AKS API server private or IP-restricted.
import { block, boolArg, listArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { TOO_WIDE_RANGE_REASON, WIDEST_ALLOWED_PREFIX } from "../../../core/cidr";
import { SecurityRule } from "../types";
import { AKS, tooWideRanges } from "../values";

export const AksApiServerRestricted: SecurityRule = {
  id: "AKSS-AKS3",
  title: "AKS API server private or IP-restricted",
  rationale: "An API server open to the internet exposes the cluster's control plane to credential stuffing and to every future API server vulnerability.",
  fix: `Set private_cluster_enabled = true, or api_server_access_profile { authorized_ip_ranges = [...] } with ranges no wider than /${WIDEST_ALLOWED_PREFIX} (AksCluster's apiServerAccess).`,
  resourceTypes: [AKS],
  check: ({ attributes: a }) => {
    const priv = boolArg(a.private_cluster_enabled);
    if (priv.known && priv.value === true) return [];
    const profile = block(a.api_server_access_profile);
    const ranges = profile && profile !== "token" ? listArg(profile.authorized_ip_ranges) : undefined;
    if (profile === "token" || (ranges && !ranges.known)) {
      const v = profile === "token" ? a.api_server_access_profile : (profile as Record<string, any>).authorized_ip_ranges;
      return [{ attribute: "api_server_access_profile.authorized_ip_ranges", value: renderConfigValue(v), detail: `${unknownDetail(v)}; an empty list leaves the API server public` }];
    }
    const list = ranges?.known ? (ranges.value ?? []) : [];
    if (list.length === 0) {
      return [
        {
          attribute: "private_cluster_enabled",
          value: priv.known ? priv.value : renderConfigValue(a.private_cluster_enabled),
          detail: priv.known ? "is not true and no api_server_access_profile.authorized_ip_ranges are set: the API server is open to every address" : `${unknownDetail(a.private_cluster_enabled)}, and no authorized IP ranges are set`,
        },
      ];
    }
    const wide = tooWideRanges(list);
    return wide.length > 0 ? [{ attribute: "api_server_access_profile.authorized_ip_ranges", value: list, detail: `allows ${wide.join(", ")}, ${TOO_WIDE_RANGE_REASON}` }] : [];
  },
};

// AKSS-AKS4: AKS secret rotation on.
import { block, boolArg, renderConfigValue, unknownDetail } from "../../../core/terraform-config";
import { SecurityRule } from "../types";
import { AKS } from "../values";

export const AksSecretRotation: SecurityRule = {
  id: "AKSS-AKS4",
  title: "AKS secret rotation on",
  rationale: "Without rotation, mounted secrets keep their old value until the pod restarts, so a rotated or revoked secret stays in use.",
  fix: "Set key_vault_secrets_provider { secret_rotation_enabled = true } (AksCluster does, every 2m by default).",
  resourceTypes: [AKS],
  check: ({ attributes: a }) => {
    const kvsp = block(a.key_vault_secrets_provider);
    if (kvsp === undefined) return []; // no CSI add-on: nothing to rotate
    if (kvsp === "token") return [{ attribute: "key_vault_secrets_provider", value: renderConfigValue(a.key_vault_secrets_provider), detail: unknownDetail(a.key_vault_secrets_provider) }];
    const v = boolArg(kvsp.secret_rotation_enabled);
    if (!v.known) return [{ attribute: "key_vault_secrets_provider.secret_rotation_enabled", value: renderConfigValue(kvsp.secret_rotation_enabled), detail: unknownDetail(kvsp.secret_rotation_enabled) }];
    return v.value === true ? [] : [{ attribute: "key_vault_secrets_provider.secret_rotation_enabled", value: v.value, detail: v.value === undefined ? "is not set (off by default)" : "is false" }];
  },
};

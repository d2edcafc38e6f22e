import { VaultCluster } from "@cdktf/provider-hcp/lib/vault-cluster";
import { Construct } from "constructs";
import { publishFact } from "../../core/facts";
import { VAULT_SERVER } from "../../core/facts-vault";
import { hcpSlug, IHcpHvn } from "./hvn-peering";
import { checkOptOut, isUnresolved, OptOut, recordOptOut, Rules, Validator } from "../../core/validation";

/** The Vault namespace HCP Vault gives its customers: every path, auth mount and policy lives in it. */
export const HCP_VAULT_ADMIN_NAMESPACE = "admin";

/** HCP Vault Dedicated tiers the HCP provider accepts (`starter_small` is retired). */
export const HCP_VAULT_TIERS = ["dev", "standard_small", "standard_medium", "standard_large", "plus_small", "plus_medium", "plus_large"] as const;
export type HcpVaultTier = (typeof HCP_VAULT_TIERS)[number];

export interface HcpVaultClusterProps {
  /** Cluster ID (3-36 letters, digits, hyphens). */
  readonly clusterId: string;
  /** The HVN the cluster lives in: an {@link HvnPeering}. */
  readonly hvn: IHcpHvn;
  /** Tier. `dev` has no SLA and is for trials only. @default "standard_small" */
  readonly tier?: HcpVaultTier;
  /** Minimum Vault version at creation, e.g. `v1.21.2`. @default HCP's recommended version */
  readonly minVaultVersion?: string;
  /** HCP project. @default the provider's project */
  readonly projectId?: string;
  /**
   * Let `terraform destroy` delete the cluster and every secret in it. An opt-out: give the reason.
   * @default the cluster carries `lifecycle.prevent_destroy`
   */
  readonly allowDestroy?: OptOut;
}

/**
 * A private HCP Vault Dedicated cluster: no public endpoint and no proxy endpoint, so it is
 * reached only over the HVN's peerings. Protected from destroy by default.
 *
 * Exposes {@link privateEndpointUrl} (what the Vault provider and a `VaultConnection` use) and
 * {@link namespace} (`admin`, HCP Vault's customer namespace).
 */
export class HcpVaultCluster extends Construct {
  /** The underlying resource. Address stays `hcp_vault_cluster.<id>_cluster`: renaming the construct id would replace the cluster. */
  public readonly resource: VaultCluster;
  public readonly clusterId: string;
  /** `https://…private…hashicorp.cloud:8200`: reachable only from peered networks. */
  public readonly privateEndpointUrl: string;
  /** HCP Vault's customer namespace, `admin`: set it on the Vault provider and on every `VaultAuth`. */
  public readonly namespace = HCP_VAULT_ADMIN_NAMESPACE;
  public readonly tier: HcpVaultTier;
  /** Vault version actually running. */
  public readonly vaultVersion: string;
  public readonly selfLink: string;

  constructor(scope: Construct, id: string, props: HcpVaultClusterProps) {
    super(scope, id);
    const tier = props.tier ?? "standard_small";
    const v = new Validator(this)
      .rule("clusterId", props.clusterId, hcpSlug)
      .rule("projectId", props.projectId, Rules.guid)
      .check((HCP_VAULT_TIERS as readonly string[]).includes(tier), "tier", tier, `must be one of ${HCP_VAULT_TIERS.join(", ")}`)
      .check(!!props.hvn, "hvn", undefined, "needs the HVN (an HvnPeering) the cluster lives in");
    if (props.minVaultVersion !== undefined && !isUnresolved(props.minVaultVersion)) {
      v.check(/^v?\d+\.\d+\.\d+$/.test(props.minVaultVersion), "minVaultVersion", props.minVaultVersion, "must be a Vault version such as v1.21.2");
    }
    checkOptOut(v, "allowDestroy.reason", props.allowDestroy);
    v.throwIfAny();

    this.resource = new VaultCluster(this, "cluster", {
      clusterId: props.clusterId,
      hvnId: props.hvn.hvnId,
      tier,
      publicEndpoint: false,
      proxyEndpoint: "DISABLED",
      minVaultVersion: props.minVaultVersion,
      projectId: props.projectId,
      lifecycle: { preventDestroy: !props.allowDestroy },
    });
    recordOptOut(this, "destroy", props.allowDestroy);
    this.clusterId = props.clusterId;
    this.tier = tier;
    this.privateEndpointUrl = this.resource.vaultPrivateEndpointUrl;
    this.vaultVersion = this.resource.vaultVersion;
    this.selfLink = this.resource.selfLink;
    publishFact(this, VAULT_SERVER, { address: this.privateEndpointUrl, label: `HCP Vault ${props.clusterId} (${this.node.path})` });
  }
}

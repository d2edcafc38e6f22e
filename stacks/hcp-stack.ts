import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HcpProvider } from "@cdktf/provider-hcp/lib/provider";
import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { HcpVaultCluster, HcpVaultTier } from "../constructs/hcp/hcp-vault-cluster";
import { HvnPeering, HvnSource, HvnSpoke } from "../constructs/hcp/hvn-peering";
import { PlatformStack } from "./platform-stack";
import { checkProps } from "../core/props";
import { azurermProviderDefaults, usePinnedProviderVersions } from "../core/provider-versions";

export interface HcpStackProps {
  /** The platform whose spoke VNet (the AKS VNet) is peered with the HVN. */
  readonly platform: PlatformStack;
  /** HVN ID. @default `hvn-PREFIX` */
  readonly hvnId?: string;
  /** HVN CIDR block: RFC 1918, /16 to /25, overlapping no spoke and not the AKS service CIDR. @default "172.25.16.0/20" (HCP's default) */
  readonly hvnCidr?: string;
  /** HVN region. @default the platform's location */
  readonly hvnRegion?: string;
  /** Adopt this existing HVN instead of creating one. @default an HVN is created */
  readonly existingHvn?: { readonly hvnId: string; readonly cidrBlock: string; readonly projectId?: string };
  /** Spokes to peer besides the platform's VNet (each gets its own peering and routes). @default none */
  readonly extraSpokes?: readonly HvnSpoke[];
  /** Name of the platform VNet's spoke (its peering ID). @default "aks" */
  readonly spokeName?: string;
  /** Vault cluster ID. @default `vault-PREFIX` */
  readonly vaultClusterId?: string;
  /** Vault tier. @default "standard_small" */
  readonly vaultTier?: HcpVaultTier;
  /** HCP project. @default HCP_PROJECT_ID from the environment, else the organization's oldest project */
  readonly hcpProjectId?: string;
  /** Subscription of the platform VNet. @default ARM_SUBSCRIPTION_ID at plan time */
  readonly subscriptionId?: string;
}

/**
 * The HCP side: an HVN peered with the platform's AKS VNet (peering, HCP's service principal,
 * the peering role on the VNet and its assignment, routes once active), and a private HCP
 * Vault cluster in it. Providers: hcp, azurerm (the VNet's subscription), azuread (the tenant).
 */
export class HcpStack extends TerraformStack {
  public readonly peering: HvnPeering;
  public readonly vault: HcpVaultCluster;

  constructor(scope: Construct, id: string, props: HcpStackProps) {
    super(scope, id);
    checkProps(this, "HcpStack", props);
    usePinnedProviderVersions(this);
    const { platform } = props;
    const prefix = platform.namePrefix;
    new HcpProvider(this, "hcp", { projectId: props.hcpProjectId });
    new AzurermProvider(this, "azurerm", { ...azurermProviderDefaults(), subscriptionId: props.subscriptionId });
    const current = new DataAzurermClientConfig(this, "current");
    new AzureadProvider(this, "azuread", { tenantId: current.tenantId });

    const hvn: HvnSource = props.existingHvn
      ? { mode: "existing", ...props.existingHvn }
      : { mode: "create", hvnId: props.hvnId ?? `hvn-${prefix}`, region: props.hvnRegion ?? platform.location, cidrBlock: props.hvnCidr ?? "172.25.16.0/20", projectId: props.hcpProjectId };
    this.peering = new HvnPeering(this, "hvn", {
      hvn,
      spokes: [
        // The VNet's own subscription (third segment of its ARM ID), whatever this stack runs with.
        HvnPeering.spokeFromVirtualNetwork(props.spokeName ?? "aks", platform.vnet, { subscriptionId: props.subscriptionId ?? Fn.element(Fn.split("/", platform.vnet.id), 2), tenantId: current.tenantId }),
        ...(props.extraSpokes ?? []),
      ],
      // Traffic to the HVN must not be routed into the cluster's service network.
      reservedRanges: [platform.cluster.serviceCidr],
    });
    this.vault = new HcpVaultCluster(this, "vault", {
      clusterId: props.vaultClusterId ?? `vault-${prefix}`,
      hvn: this.peering,
      tier: props.vaultTier,
      projectId: props.hcpProjectId,
    });
    new TerraformOutput(this, "hvn-id", { value: this.peering.hvnId });
    new TerraformOutput(this, "vault-private-endpoint-url", { value: this.vault.privateEndpointUrl, description: "Reachable only from the peered VNets" });
    new TerraformOutput(this, "vault-namespace", { value: this.vault.namespace });
  }
}

import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { isUnresolved, Validator } from "../../core/validation";

/** The private DNS zone of Key Vault private endpoints (Azure public cloud). */
export const KEY_VAULT_PRIVATE_DNS_ZONE = "privatelink.vaultcore.azure.net";
/** The Key Vault sub-resource a private endpoint connects to. */
export const KEY_VAULT_PRIVATE_LINK_SUBRESOURCE = "vault";

/**
 * A private endpoint for a Key Vault whose public network access is off. Opt-in. Cost: the
 * endpoint is billed per hour and per GB it processes, the private DNS zone per month (see the
 * Azure Private Link and Azure DNS pricing); whoever writes secret values (`az keyvault secret
 * set`) must then run from a network that resolves the zone (a linked VNet, or one peered to it
 * with DNS forwarding).
 */
export interface KeyVaultPrivateEndpointOptions {
  /** Subnet (ID) the endpoint's network interface is placed in. */
  readonly subnetId: string;
  /**
   * An existing `privatelink.vaultcore.azure.net` zone (ID) to register the endpoint in, such as
   * a hub's. Give this or {@link linkedVirtualNetworkIds}, not both.
   * @default - a zone is created in the vault's resource group
   */
  readonly privateDnsZoneId?: string;
  /**
   * VNets (IDs) the zone created here is linked to, so their DNS resolves the vault's name to
   * the endpoint: the AKS VNet at least (the CSI driver on the nodes reads through it).
   * Required unless {@link privateDnsZoneId} is given.
   * @default - none
   */
  readonly linkedVirtualNetworkIds?: readonly string[];
}

/** What the private endpoint takes from its vault. */
export interface KeyVaultPrivateEndpointProps extends KeyVaultPrivateEndpointOptions {
  readonly vaultId: string;
  readonly vaultName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags?: Record<string, string>;
}

/** Zones created per stack and resource group: a second one of the same name would fail at apply. */
const ZONES = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * Checks a vault's private endpoint options (`field` is the prop, `privateEndpoint`), including
 * that no other vault of the stack already creates the zone in the same resource group.
 */
export function checkKeyVaultPrivateEndpoint(v: Validator, field: string, options: KeyVaultPrivateEndpointOptions, vault: IConstruct, resourceGroupName: string): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    v.fail(field, options, "must be { subnetId, linkedVirtualNetworkIds } or { subnetId, privateDnsZoneId }");
    return;
  }
  const links = options.linkedVirtualNetworkIds;
  v.check(typeof options.subnetId === "string" && options.subnetId !== "", `${field}.subnetId`, options.subnetId, "is required: the subnet (ID) the endpoint's network interface goes in");
  if (options.privateDnsZoneId !== undefined && links !== undefined) {
    v.fail(`${field}.linkedVirtualNetworkIds`, links, "applies only to a zone created here, and privateDnsZoneId names an existing one: link that zone where it is managed, and remove one of the two");
  } else if (options.privateDnsZoneId !== undefined) {
    v.check(
      isUnresolved(options.privateDnsZoneId) || (typeof options.privateDnsZoneId === "string" && /\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.[a-z.]+$/i.test(options.privateDnsZoneId)),
      `${field}.privateDnsZoneId`,
      options.privateDnsZoneId,
      `must be the ARM ID of a private DNS zone for Key Vault endpoints, /subscriptions/SUBSCRIPTION/resourceGroups/GROUP/providers/Microsoft.Network/privateDnsZones/${KEY_VAULT_PRIVATE_DNS_ZONE}`,
    );
  } else {
    v.check(
      Array.isArray(links) && links.length > 0 && links.every((l) => typeof l === "string" && l !== ""),
      `${field}.linkedVirtualNetworkIds`,
      links,
      "must list the VNets (IDs) whose DNS resolves the vault through the endpoint, the AKS VNet at least; or give privateDnsZoneId, an existing zone",
    );
    const zones = ZONES.get(TerraformStack.of(vault)) ?? new Map<string, IConstruct>();
    ZONES.set(TerraformStack.of(vault), zones);
    const first = zones.get(resourceGroupName);
    if (first && first !== vault) {
      v.fail(
        `${field}.privateDnsZoneId`,
        undefined,
        `is not set, so a second ${KEY_VAULT_PRIVATE_DNS_ZONE} zone would be created in the resource group of ${first.node.path}, whose endpoint creates one already (Azure refuses the second at apply): pass that vault's privateEndpoint.privateDnsZoneId`,
      );
    } else {
      zones.set(resourceGroupName, vault);
    }
  }
}

/**
 * A Key Vault private endpoint (checked by the vault: {@link checkKeyVaultPrivateEndpoint}) (`azurerm_private_endpoint`, sub-resource `vault`) registered in
 * the `privatelink.vaultcore.azure.net` private DNS zone: the zone is created and linked to the
 * given VNets, or an existing zone is used.
 */
export class KeyVaultPrivateEndpoint extends Construct {
  public readonly endpoint: PrivateEndpoint;
  /** The zone created here, when none was given. */
  public readonly zone?: PrivateDnsZone;
  /** ARM ID of the zone the endpoint is registered in (created here or given). */
  public readonly privateDnsZoneId: string;
  public readonly links: readonly PrivateDnsZoneVirtualNetworkLink[];

  constructor(scope: Construct, id: string, props: KeyVaultPrivateEndpointProps) {
    super(scope, id);
    const links = props.linkedVirtualNetworkIds;

    if (props.privateDnsZoneId === undefined) {
      this.zone = new PrivateDnsZone(this, "zone", { name: KEY_VAULT_PRIVATE_DNS_ZONE, resourceGroupName: props.resourceGroupName, tags: props.tags });
    }
    this.privateDnsZoneId = props.privateDnsZoneId ?? this.zone!.id;
    this.links = (props.privateDnsZoneId === undefined ? (links ?? []) : []).map(
      (vnetId, i) =>
        new PrivateDnsZoneVirtualNetworkLink(this, `link-${i}`, {
          name: `${props.vaultName}-link-${i}`,
          resourceGroupName: props.resourceGroupName,
          privateDnsZoneName: this.zone!.name,
          virtualNetworkId: vnetId,
          registrationEnabled: false,
          tags: props.tags,
        }),
    );
    this.endpoint = new PrivateEndpoint(this, "endpoint", {
      name: `pe-${props.vaultName}`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.subnetId,
      privateServiceConnection: {
        name: `${props.vaultName}-vault`,
        isManualConnection: false,
        privateConnectionResourceId: props.vaultId,
        subresourceNames: [KEY_VAULT_PRIVATE_LINK_SUBRESOURCE],
      },
      privateDnsZoneGroup: { name: "vault", privateDnsZoneIds: [this.privateDnsZoneId] },
      tags: props.tags,
      // Resolution through a zone created here needs its links.
      dependsOn: this.links.length > 0 ? [...this.links] : undefined,
    });
  }
}

import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { AzurePeeringConnection } from "@cdktf/provider-hcp/lib/azure-peering-connection";
import { DataHcpAzurePeeringConnection } from "@cdktf/provider-hcp/lib/data-hcp-azure-peering-connection";
import { DataHcpHvn } from "@cdktf/provider-hcp/lib/data-hcp-hvn";
import { Hvn } from "@cdktf/provider-hcp/lib/hvn";
import { HvnRoute } from "@cdktf/provider-hcp/lib/hvn-route";
import { Construct } from "constructs";
import { checkOptOut, isUnresolved, OptOut, recordOptOut, Rules, StringRule, Validator } from "../../core/validation";
import { contains, Ipv4Network, isPrivate, overlaps, parseCidr } from "../../core/cidr";
import { checkProps } from "../../core/props";

/**
 * The actions HCP needs on a spoke VNet to create its side of the peering, and nothing
 * else: the custom role written for HCP's service principal holds exactly these.
 */
export const HVN_PEERING_ACTIONS: readonly string[] = [
  "Microsoft.Network/virtualNetworks/peer/action",
  "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read",
  "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
];

/** The smallest and largest HVN prefixes HCP accepts (`/16` to `/25`). */
export const HVN_MIN_PREFIX = 16;
export const HVN_MAX_PREFIX = 25;

/** HCP identifiers (`hvn_id`, `peering_id`, `hvn_route_id`, `cluster_id`): 3-36 letters, digits and hyphens. */
export const hcpSlug: StringRule = {
  description: "HCP IDs are 3-36 characters of letters, digits and hyphens, starting and ending with a letter or digit",
  test: (v) => /^[\da-zA-Z][-a-zA-Z\d]{1,34}[\da-zA-Z]$/.test(v),
};

/** Spoke names: part of the peering ID and of each route ID, so short enough for both. */
const spokeNameRule: StringRule = {
  description: "spoke names are 3-17 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit (they prefix HCP route IDs, which are limited to 36 characters)",
  test: (v) => /^[a-z][a-z0-9-]{1,15}[a-z0-9]$/.test(v),
};

/** The string fields of an {@link HvnSpoke} that must be given, and what each is for. */
const REQUIRED_SPOKE_FIELDS = ["name", "vnetId", "vnetName", "resourceGroupName", "location", "subscriptionId", "tenantId"] as const;
const SPOKE_FIELD_PURPOSE: Record<(typeof REQUIRED_SPOKE_FIELDS)[number], string> = {
  name: "the spoke's short name (its peering ID and the prefix of its route IDs)",
  vnetId: "the ARM ID of the spoke VNet, the scope of HCP's peering role and its assignment",
  vnetName: "the name of the spoke VNet HCP peers with",
  resourceGroupName: "the resource group of the spoke VNet",
  location: "the Azure region of the spoke VNet",
  subscriptionId: "the subscription of the spoke VNet",
  tenantId: "the Entra ID tenant of the spoke's subscription, where HCP's service principal is created",
};

/** RFC 6598 shared address space: HVN routes accept it besides RFC 1918. */
const SHARED_ADDRESS_SPACE = parseCidr("100.64.0.0/10")!;

/** An HCP HashiCorp Virtual Network, as HCP services placed in it need it. */
export interface IHcpHvn {
  /** The HVN's ID (`hvn_id`), what `hcp_vault_cluster.hvn_id` names. */
  readonly hvnId: string;
  /** The HVN's `self_link`, what peerings and routes name. */
  readonly selfLink: string;
  /** The HVN's CIDR block as declared (checked against the spokes at synth). */
  readonly cidrBlock: string;
  /** The HVN's region. */
  readonly region: string;
}

/** Where the HVN comes from: created here, or an existing one adopted by reference. */
export type HvnSource =
  | {
      readonly mode: "create";
      /** HVN ID (3-36 letters, digits, hyphens). */
      readonly hvnId: string;
      /** Azure region of the HVN, e.g. `westeurope`. Put it in the spokes' region. */
      readonly region: string;
      /** CIDR block: an RFC 1918 range from /16 to /25 that overlaps no spoke. */
      readonly cidrBlock: string;
      /** HCP project. @default the provider's project */
      readonly projectId?: string;
      /**
       * Let `terraform destroy` delete the HVN. An opt-out: give the reason.
       * @default the HVN carries `lifecycle.prevent_destroy`
       */
      readonly allowDestroy?: OptOut;
    }
  | {
      readonly mode: "existing";
      /** ID of the HVN to adopt. It is read with the `hcp_hvn` data source and never modified or destroyed here. */
      readonly hvnId: string;
      /**
       * Its CIDR block, stated so the overlap checks run at synth; a postcondition on the data
       * source fails the plan if the real HVN has another.
       */
      readonly cidrBlock: string;
      /** HCP project. @default the provider's project */
      readonly projectId?: string;
    };

/** A spoke VNet to peer with the HVN. */
export interface HvnSpoke {
  /** Short name (3-17 lowercase letters, digits, hyphens): the peering ID, the prefix of its route IDs and the construct id. */
  readonly name: string;
  /** ARM ID of the VNet: the scope of HCP's custom role and its assignment. */
  readonly vnetId: string;
  readonly vnetName: string;
  readonly resourceGroupName: string;
  /** Azure region of the VNet. */
  readonly location: string;
  /** Subscription of the VNet. */
  readonly subscriptionId: string;
  /** Entra ID tenant of the subscription: HCP's service principal is created there. */
  readonly tenantId: string;
  /**
   * Address ranges of the spoke that must reach HCP: one HVN route each. HVN routes can only
   * target a peering, never hop through a hub, so list every range of this spoke and peer
   * every other spoke itself.
   */
  readonly addressRanges: readonly string[];
  /** Allow forwarded traffic on the peering. @default false */
  readonly allowForwardedTraffic?: boolean;
  /** Use the spoke's remote gateways (hub with a gateway). @default false */
  readonly useRemoteGateways?: boolean;
}

export interface HvnPeeringProps {
  /** The HVN: created here or an existing one. */
  readonly hvn: HvnSource;
  /** One or more spoke VNets, each with its own peering, role, assignment and routes. */
  readonly spokes: readonly HvnSpoke[];
  /**
   * Further ranges the HVN must not overlap although they are not peered, such as the AKS
   * service CIDR (pods would send Vault's traffic to kube-proxy) or on-premises ranges.
   * @default none
   */
  readonly reservedRanges?: readonly string[];
}

/** What was created for one spoke. */
export interface HvnSpokePeering {
  readonly spoke: HvnSpoke;
  /** `hcp_azure_peering_connection`: pending until HCP's principal may peer. */
  readonly peering: AzurePeeringConnection;
  /** HCP's application as a service principal in the spoke's tenant. */
  readonly servicePrincipal: ServicePrincipal;
  /** Custom role on the VNet with exactly {@link HVN_PEERING_ACTIONS}. */
  readonly roleDefinition: RoleDefinition;
  readonly roleAssignment: RoleAssignment;
  /** The peering read back with `wait_for_active_state`, after the role assignment. */
  readonly activePeering: DataHcpAzurePeeringConnection;
  /** One route per address range, targeting the active peering. */
  readonly routes: readonly HvnRoute[];
}

/**
 * An HCP HVN peered with one or more Azure spoke VNets. Per spoke: the peering connection,
 * HCP's service principal in the spoke's tenant, a custom role scoped to the VNet with the
 * three peering actions, its assignment, the peering read back once active (after the
 * assignment), and an HVN route per address range targeting that active peering.
 *
 * The HVN CIDR must be an RFC 1918 range from /16 to /25 overlapping no spoke range and no
 * reserved range; spoke ranges must be valid HVN route destinations and not overlap each other.
 */
export class HvnPeering extends Construct implements IHcpHvn {
  /** The created HVN, when `mode: "create"`. Address stays `hcp_hvn.<id>_hvn`. */
  public readonly hvn?: Hvn;
  /** The adopted HVN, when `mode: "existing"`. */
  public readonly existingHvn?: DataHcpHvn;
  public readonly hvnId: string;
  public readonly selfLink: string;
  public readonly cidrBlock: string;
  public readonly region: string;
  /** Whether the HVN is managed here. */
  public readonly adopted: boolean;
  private readonly spokePeerings: HvnSpokePeering[] = [];

  /**
   * Describes a spoke from an `azurerm_virtual_network` of this app: name, resource group,
   * location and ID as references, address ranges from its configured address space.
   */
  static spokeFromVirtualNetwork(
    name: string,
    vnet: VirtualNetwork,
    ids: { subscriptionId: string; tenantId: string },
    options: { addressRanges?: readonly string[]; allowForwardedTraffic?: boolean; useRemoteGateways?: boolean } = {},
  ): HvnSpoke {
    return {
      name,
      vnetId: vnet.id,
      vnetName: vnet.name,
      resourceGroupName: vnet.resourceGroupName,
      location: vnet.location,
      subscriptionId: ids.subscriptionId,
      tenantId: ids.tenantId,
      addressRanges: options.addressRanges ?? vnet.addressSpaceInput ?? [],
      allowForwardedTraffic: options.allowForwardedTraffic,
      useRemoteGateways: options.useRemoteGateways,
    };
  }

  constructor(scope: Construct, id: string, props: HvnPeeringProps) {
    super(scope, id);
    checkProps(this, "HvnPeering", props);
    const v = new Validator(this);
    const source = props.hvn as HvnSource | undefined;
    if (!source || (source.mode !== "create" && source.mode !== "existing")) {
      v.fail("hvn.mode", (source as { mode?: string } | undefined)?.mode, 'must be "create" (with hvnId, region and cidrBlock) or "existing" (with hvnId and cidrBlock)');
      v.throwIfAny();
    }
    const hvnSource = source as HvnSource;
    v.check(typeof hvnSource.hvnId === "string" && hvnSource.hvnId !== "", "hvn.hvnId", hvnSource.hvnId, hvnSource.mode === "existing" ? "is required: the ID of the existing HVN to adopt" : "is required: the ID of the HVN to create")
      .rule("hvn.hvnId", hvnSource.hvnId, hcpSlug)
      .rule("hvn.projectId", hvnSource.projectId, Rules.guid);
    if (hvnSource.mode === "create") {
      v.check(typeof hvnSource.region === "string" && hvnSource.region !== "", "hvn.region", hvnSource.region, "is required: the Azure region of the HVN, such as westeurope (put it in the spokes' region)");
      v.rule("hvn.region", hvnSource.region, Rules.azureLocation);
      checkOptOut(v, "hvn.allowDestroy.reason", hvnSource.allowDestroy);
    }
    const cidrGiven = typeof hvnSource.cidrBlock === "string" && hvnSource.cidrBlock !== "";
    v.check(cidrGiven, "hvn.cidrBlock", hvnSource.cidrBlock, hvnSource.mode === "existing" ? "is required: the existing HVN's CIDR block, stated so the overlap checks run at synth" : "is required: the CIDR block of the HVN, an RFC 1918 range from /16 to /25 such as 172.25.16.0/20");
    const hvnNet = cidrGiven ? checkHvnCidr(v, "hvn.cidrBlock", hvnSource.cidrBlock) : undefined;

    const reserved: Ipv4Network[] = [];
    (props.reservedRanges ?? []).forEach((r, i) => {
      if (isUnresolved(r)) return;
      const n = parseCidr(r);
      if (!n) return void v.fail(`reservedRanges[${i}]`, r, "must be an IPv4 CIDR block like 172.16.0.0/16 with no host bits set");
      reserved.push(n);
      if (hvnNet && overlaps(hvnNet, n)) v.fail("hvn.cidrBlock", hvnSource.cidrBlock, `overlaps the reserved range ${r}: traffic to HCP would be routed there; choose a free RFC 1918 range`);
    });

    const spokes = props.spokes ?? [];
    v.check(spokes.length > 0, "spokes", spokes, "must list at least one spoke VNet to peer with the HVN");
    const names = new Set<string>();
    const seen: { net: Ipv4Network; spoke: string }[] = [];
    spokes.forEach((s, i) => {
      const f = `spokes[${i}]`;
      if (typeof s !== "object" || s === null) return void v.fail(f, s, "must be a spoke { name, vnetId, vnetName, resourceGroupName, location, subscriptionId, tenantId, addressRanges }");
      for (const key of REQUIRED_SPOKE_FIELDS) {
        const value = s[key];
        if (typeof value !== "string" || value === "") v.fail(`${f}.${key}`, value, `is required: ${SPOKE_FIELD_PURPOSE[key]}`);
      }
      v.rule(`${f}.name`, s.name, spokeNameRule)
        .check(!names.has(s.name), `${f}.name`, s.name, "is used by another spoke: spoke names are unique (they are the peering IDs)")
        .rule(`${f}.vnetId`, s.vnetId, Rules.virtualNetworkId)
        .rule(`${f}.vnetName`, s.vnetName, Rules.networkName)
        .rule(`${f}.resourceGroupName`, s.resourceGroupName, Rules.resourceGroupName)
        .rule(`${f}.location`, s.location, Rules.azureLocation)
        .rule(`${f}.subscriptionId`, s.subscriptionId, Rules.guid)
        .rule(`${f}.tenantId`, s.tenantId, Rules.guid);
      names.add(s.name);
      const ranges = Array.isArray(s.addressRanges) ? s.addressRanges : [];
      if (s.addressRanges !== undefined && !Array.isArray(s.addressRanges)) {
        v.fail(`${f}.addressRanges`, s.addressRanges, "must be a list of the spoke's address ranges (CIDR blocks)");
      } else if (ranges.length === 0) {
        v.fail(`${f}.addressRanges`, ranges, "must list the spoke's address ranges: each gets an HVN route, and without one nothing in the spoke can reach HCP");
      }
      ranges.forEach((r, j) => {
        const rf = `${f}.addressRanges[${j}]`;
        if (isUnresolved(r)) return void v.fail(rf, r, "must be known at synth (a literal CIDR): the overlap checks and the route IDs need it");
        const n = parseCidr(r);
        if (!n) return void v.fail(rf, r, "must be an IPv4 CIDR block like 10.20.0.0/16 with no host bits set");
        if (!isPrivate(n) && !contains(SHARED_ADDRESS_SPACE, n)) v.fail(rf, r, "HVN routes only accept RFC 1918 (10/8, 172.16/12, 192.168/16) or RFC 6598 (100.64/10) destinations");
        if (hvnNet && overlaps(hvnNet, n)) v.fail(rf, r, `overlaps the HVN CIDR ${hvnSource.cidrBlock}: overlapping networks cannot be peered`);
        const clash = seen.find((x) => overlaps(x.net, n));
        if (clash) v.fail(rf, r, `overlaps ${clash.net.cidr} of spoke "${clash.spoke}": each range may be routed to one peering only`);
        seen.push({ net: n, spoke: s.name });
      });
    });
    v.throwIfAny();

    this.adopted = hvnSource.mode === "existing";
    this.cidrBlock = hvnSource.cidrBlock;
    if (hvnSource.mode === "create") {
      this.hvn = new Hvn(this, "hvn", {
        hvnId: hvnSource.hvnId,
        cloudProvider: "azure",
        region: hvnSource.region,
        cidrBlock: hvnSource.cidrBlock,
        projectId: hvnSource.projectId,
        lifecycle: { preventDestroy: !hvnSource.allowDestroy },
      });
      recordOptOut(this, "destroy", hvnSource.allowDestroy);
      this.hvnId = this.hvn.hvnId;
      this.selfLink = this.hvn.selfLink;
      this.region = this.hvn.region;
    } else {
      this.existingHvn = new DataHcpHvn(this, "hvn", {
        hvnId: hvnSource.hvnId,
        projectId: hvnSource.projectId,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.cidr_block == ${JSON.stringify(hvnSource.cidrBlock)}}`,
              errorMessage: `HVN ${hvnSource.hvnId} has CIDR block other than the declared ${hvnSource.cidrBlock}: state its real CIDR block so the overlap checks hold.`,
            },
          ],
        },
      });
      this.hvnId = this.existingHvn.hvnId;
      this.selfLink = this.existingHvn.selfLink;
      this.region = this.existingHvn.region;
    }
    for (const s of spokes) this.peerSpoke(s, hvnSource.hvnId);
  }

  /** What was created per spoke, in the order given. */
  get spokes(): readonly HvnSpokePeering[] {
    return [...this.spokePeerings];
  }

  private peerSpoke(spoke: HvnSpoke, hvnId: string): void {
    const scope = new Construct(this, spoke.name);
    const peering = new AzurePeeringConnection(scope, "peering", {
      hvnLink: this.selfLink,
      peeringId: spoke.name,
      peerVnetName: spoke.vnetName,
      peerResourceGroupName: spoke.resourceGroupName,
      peerSubscriptionId: spoke.subscriptionId,
      peerTenantId: spoke.tenantId,
      peerVnetRegion: spoke.location,
      allowForwardedTraffic: spoke.allowForwardedTraffic,
      useRemoteGateways: spoke.useRemoteGateways,
    });
    // HCP peers from its own tenant with a multi-tenant application: it needs a service
    // principal here. `use_existing` adopts one that an earlier peering already created.
    const servicePrincipal = new ServicePrincipal(scope, "hcp-principal", {
      clientId: peering.applicationId,
      useExisting: true,
      description: `HCP HVN ${hvnId}: peers with VNet ${spoke.name}`,
    });
    const roleDefinition = new RoleDefinition(scope, "peering-role", {
      name: `hcp-hvn-peering-${hvnId}-${spoke.name}`,
      description: `Lets HCP peer HVN ${hvnId} with this VNet (spoke ${spoke.name}).`,
      scope: spoke.vnetId,
      assignableScopes: [spoke.vnetId],
      permissions: [{ actions: [...HVN_PEERING_ACTIONS] }],
    });
    const roleAssignment = new RoleAssignment(scope, "peering-role-assignment", {
      scope: spoke.vnetId,
      roleDefinitionId: roleDefinition.roleDefinitionResourceId,
      principalId: servicePrincipal.objectId,
      principalType: "ServicePrincipal",
    });
    // The peering turns active once HCP's principal holds the role: read it back waiting for
    // that, and let the routes target the active peering.
    const activePeering = new DataHcpAzurePeeringConnection(scope, "active-peering", {
      hvnLink: this.selfLink,
      peeringId: peering.peeringId,
      waitForActiveState: true,
      dependsOn: [roleAssignment],
    });
    const routes = spoke.addressRanges.map(
      (range) =>
        new HvnRoute(scope, `route-${cidrSlug(range)}`, {
          hvnLink: this.selfLink,
          hvnRouteId: `${spoke.name}-${cidrSlug(range)}`,
          destinationCidr: range,
          targetLink: activePeering.selfLink,
        }),
    );
    this.spokePeerings.push({ spoke, peering, servicePrincipal, roleDefinition, roleAssignment, activePeering, routes });
  }
}

/** `10.20.0.0/16` -> `10-20-0-0-16`. */
export function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/** Checks an HVN CIDR block: well-formed, RFC 1918, /16 to /25. Returns the network when valid. */
export function checkHvnCidr(v: Validator, field: string, value: string): Ipv4Network | undefined {
  if (isUnresolved(value)) return undefined;
  const n = value === undefined ? undefined : parseCidr(value);
  if (!n) {
    v.fail(field, value, "must be an IPv4 CIDR block like 172.25.16.0/20 with no host bits set");
    return undefined;
  }
  let ok = true;
  if (!isPrivate(n)) {
    v.fail(field, value, "must be a private RFC 1918 range (10/8, 172.16/12, 192.168/16): HCP rejects public HVN ranges");
    ok = false;
  }
  if (n.prefix < HVN_MIN_PREFIX || n.prefix > HVN_MAX_PREFIX) {
    v.fail(field, value, `must be from /${HVN_MIN_PREFIX} to /${HVN_MAX_PREFIX}: HCP accepts HVNs of that size only`);
    ok = false;
  }
  return ok ? n : undefined;
}

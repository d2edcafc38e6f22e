// Cases of issue 14a: input at the JavaScript edge (the generated props check, core/props.ts),
// Azure limits, ARM IDs and derived names.
import { AksCluster } from "../../../constructs/azure/aks-cluster";
import { BadInputCase } from "../battery";
import { addAks, addHvn, addIdentity, addVault, GUID, jwtAuth, onDefault, spoke, withConfig } from "../fixtures";

const FIFTY_ONE = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]));

export const cases: BadInputCase[] = [
  {
    name: "props left out of a construct that needs them",
    build: onDefault((d) => void new AksCluster(d.platform, "cluster-extra", undefined as any)),
    expect: { path: "platform/cluster-extra", field: "props", value: undefined, rule: /^is required: an object \{ name, resourceGroupName, location, nodeSubnetId, apiServerAccess, \.\.\. \}/ },
  },
  {
    name: "escape hatch that writes undefined into a name",
    build: onDefault((d) => void d.platform.keyVault.resource.addOverride("name", `kv-${undefined}`)),
    expect: { path: "platform", field: "azurerm_key_vault.keyvault_3579520A.name", value: "kv-undefined", rule: /^holds "undefined" where a value belongs \(made by platform\/keyvault\/vault\)/ },
  },
  { name: "misspelled prop", build: addAks({ dnsPrefx: "aksx" } as any), expect: { path: "platform/cluster-extra", field: "dnsPrefx", value: "aksx", rule: /^is not a prop of AksCluster \(did you mean dnsPrefix\?\)/ } },
  // Azure limits: tags (azurerm's limits and ARM's key characters), at the construct and the stack the user set them on.
  { name: "51 tags on a cluster", build: addAks({ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"])) }), expect: { path: "platform/cluster-extra", field: "tags", value: "51 tags", rule: /^holds at most 50 tags \(an Azure limit\)/ } },
  { name: "tag name with a slash on a vault", build: addVault({ tags: { "team/name": "shop" } }), expect: { path: "platform/keyvault-extra", field: 'tags["team/name"]', value: "team/name", rule: /^tag names cannot hold any of < > % & \\ \? \// } },
  { name: "tag name of 513 characters on an identity", build: addIdentity({ tags: { ["k".repeat(513)]: "v" } }), expect: { path: "platform/workload-extra", field: `tags["${"k".repeat(513)}"]`, value: "k".repeat(513), rule: /^tag names are 1-512 characters/ } },
  { name: "tag value of 257 characters on the platform", build: withConfig({ platform: { tags: { owner: "x".repeat(257) } } }), expect: { path: "platform", field: 'tags["owner"]', value: "x".repeat(257), rule: /^tag values are at most 256 characters/ } },
  { name: "51 tags on a vault", build: addVault({ tags: FIFTY_ONE }), expect: { path: "platform/keyvault-extra", field: "tags", value: "51 tags", rule: /^holds at most 50 tags/ } },
  { name: "51 tags on an identity", build: addIdentity({ tags: FIFTY_ONE }), expect: { path: "platform/workload-extra", field: "tags", value: "51 tags", rule: /^holds at most 50 tags/ } },
  { name: "51 tags on the platform", build: withConfig({ platform: { tags: FIFTY_ONE } }), expect: { path: "platform", field: "tags", value: "51 tags", rule: /^holds at most 50 tags/ } },
  { name: "cluster location that is no Azure region", build: addAks({ location: "westeuropa" }), expect: { path: "platform/cluster-extra", field: "location", value: "westeuropa", rule: /^must be an Azure region as ARM names it/ } },
  // Locations: a known region, not only a well-formed word.
  { name: "location that is no Azure region", build: withConfig({ platform: { location: "westeuropa" } }), expect: { path: "platform", field: "location", value: "westeuropa", rule: /^must be an Azure region as ARM names it/ } },
  // ARM IDs of the expected type.
  { name: "node subnet given as the VNet's ID", build: addAks({ nodeSubnetId: `/subscriptions/${GUID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet` }), expect: { path: "platform/cluster-extra", field: "nodeSubnetId", value: `/subscriptions/${GUID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet`, rule: /^must be the ARM ID of a subnet: \/subscriptions\/SUBSCRIPTION\/resourceGroups\/GROUP\/providers\/Microsoft\.Network\/virtualNetworks\/VNET\/subnets\/SUBNET/ } },
  { name: "vault firewall subnet given by name", build: addVault({ allowedSubnetIds: ["snet-aks-nodes"] }), expect: { path: "platform/keyvault-extra", field: "allowedSubnetIds[0]", value: "snet-aks-nodes", rule: /^must be the ARM ID of a subnet/ } },
  { name: "spoke VNet given as a subnet's ID", build: withConfig(spoke({ vnetId: `/subscriptions/${GUID}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/x` })), expect: { path: "hcp/hvn", field: "spokes[1].vnetId", value: `/subscriptions/${GUID}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/x`, rule: /^must be the ARM ID of a virtual network/ } },
  // Across constructs: what would collide at apply, and options that exclude each other.
  { name: "second JWT auth on the default mount path of the same Vault", build: jwtAuth({ path: "jwt-aks" }), expect: { path: "vault-config/jwt-extra", field: "path", value: "jwt-aks", rule: /^is already the mount path of vault-config\/jwt in this Vault: two auth methods cannot share a mount/ } },
  { name: "JWT discovery with public keys too (two key sources)", build: jwtAuth({ path: "jwt-other", keys: { mode: "discovery", keys: ["-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----"] } as any }), expect: { path: "vault-config/jwt-extra", field: "keys.keys", rule: /^applies only to mode "publicKeys": with mode "discovery" it would be ignored/ } },
  { name: "existing HVN given a region (only a new HVN has one)", build: addHvn({ hvn: { mode: "existing", hvnId: "hvn-shared", cidrBlock: "172.26.0.0/20", region: "westeurope" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.region", value: "westeurope", rule: /^applies only to mode "create": with mode "existing" it would be ignored/ } },
  // Addresses AKS and Azure use.
  { name: "service CIDR in a range AKS reserves", build: addAks({ serviceCidr: "172.30.0.0/16" }), expect: { path: "platform/cluster-extra", field: "serviceCidr", value: "172.30.0.0/16", rule: /^overlaps 172\.30\.0\.0\/16, a range AKS reserves/ } },
  { name: "DNS service IP on kubernetes.default's address", build: addAks({ serviceCidr: "192.168.0.0/20", dnsServiceIp: "192.168.0.1" }), expect: { path: "platform/cluster-extra", field: "dnsServiceIp", value: "192.168.0.1", rule: /^must be an address inside serviceCidr 192\.168\.0\.0\/20, other than its first two/ } },
  { name: "VNet address space in the link-local range", build: withConfig({ platform: { vnetAddressSpace: ["169.254.0.0/16"], nodeSubnetCidr: "169.254.0.0/22" } }), expect: { path: "platform", field: "vnetAddressSpace[0]", value: "169.254.0.0/16", rule: /^overlaps 169\.254\.0\.0\/16, which Azure refuses in a VNet or AKS reserves/ } },
];

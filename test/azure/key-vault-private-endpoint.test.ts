// Key Vault without public network access behind a private endpoint (KeyVault.privateEndpoint,
// PlatformStack.keyVaultPrivateEndpoint), and PlatformStack's other issue-14 options: names of the
// VNet, node subnet and workload identities, the grant scope, the authorization mode's addresses,
// and the default app's demo switch.
import { App, Testing } from "cdktf";
import { KeyVault, KeyVaultProps } from "../../constructs/azure/key-vault";
import { KEY_VAULT_PRIVATE_DNS_ZONE } from "../../constructs/azure/key-vault-private-endpoint";
import { PlatformStack, PlatformStackProps } from "../../stacks/platform-stack";
import { buildDefaultApp } from "../../app/default-app";
import { validateTree } from "../../core/validation";
import { only, resources, synth, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const base: KeyVaultProps = { name: "kv-pe-0001", resourceGroupName: "rg-pe", location: "westeurope", tenantId: TENANT };
const SUBNET = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe";
const VNET = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet";
const ZONE = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net";

function platform(props: PlatformStackProps = {}): { stack: PlatformStack; tf: TfJson } {
  const stack = new PlatformStack(Testing.app(), "platform", { tenantId: TENANT, ...props });
  return { stack, tf: JSON.parse(Testing.synth(stack, true)) };
}

describe("KeyVault privateEndpoint", () => {
  test("turns public network access off and adds an endpoint for the vault sub-resource, registered in a zone linked to the VNets", () => {
    let vault!: KeyVault;
    const tf = synth((s) => {
      vault = new KeyVault(s, "kv", { ...base, privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [VNET] } });
    });
    const kv = only(tf, "azurerm_key_vault");
    expect(kv.public_network_access_enabled).toBe(false);
    expect(kv.network_acls).toEqual({ default_action: "Deny", bypass: "AzureServices" });
    expect(vault.publicNetworkAccess).toBe(false);
    const zone = only(tf, "azurerm_private_dns_zone");
    expect(zone).toMatchObject({ name: KEY_VAULT_PRIVATE_DNS_ZONE, resource_group_name: "rg-pe" });
    const link = only(tf, "azurerm_private_dns_zone_virtual_network_link");
    expect(link).toMatchObject({ name: "kv-pe-0001-link-0", resource_group_name: "rg-pe", virtual_network_id: VNET, registration_enabled: false });
    expect(link.private_dns_zone_name).toMatch(/^\$\{azurerm_private_dns_zone\.kv_private-endpoint_zone_[0-9A-F]+\.name\}$/);
    const pe = only(tf, "azurerm_private_endpoint");
    expect(pe).toMatchObject({ name: "pe-kv-pe-0001", location: "westeurope", resource_group_name: "rg-pe", subnet_id: SUBNET });
    expect(pe.private_service_connection).toMatchObject({ name: "kv-pe-0001-vault", is_manual_connection: false, subresource_names: ["vault"] });
    expect(pe.private_service_connection.private_connection_resource_id).toMatch(/^\$\{azurerm_key_vault\.kv_vault_[0-9A-F]+\.id\}$/);
    expect(pe.private_dns_zone_group).toEqual({ name: "vault", private_dns_zone_ids: [expect.stringMatching(/^\$\{azurerm_private_dns_zone\.kv_private-endpoint_zone_[0-9A-F]+\.id\}$/)] });
    expect(pe.depends_on).toEqual([expect.stringMatching(/^azurerm_private_dns_zone_virtual_network_link\./)]);
  });

  test("an existing zone (a hub's) is used as given: no zone, no link", () => {
    const tf = synth((s) => void new KeyVault(s, "kv", { ...base, privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: ZONE } }));
    expect(resources(tf, "azurerm_private_dns_zone")).toEqual({});
    expect(resources(tf, "azurerm_private_dns_zone_virtual_network_link")).toEqual({});
    expect(only(tf, "azurerm_private_endpoint").private_dns_zone_group.private_dns_zone_ids).toEqual([ZONE]);
  });

  test("without it the vault stays public behind its firewall, with no endpoint", () => {
    const tf = synth((s) => void new KeyVault(s, "kv", base));
    expect(only(tf, "azurerm_key_vault").public_network_access_enabled).toBe(true);
    expect(resources(tf, "azurerm_private_endpoint")).toEqual({});
  });

  test("a second vault in another resource group creates its own zone", () => {
    const tf = synth((s) => {
      new KeyVault(s, "kv-a", { ...base, privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [VNET] } });
      new KeyVault(s, "kv-b", { ...base, name: "kv-pe-0002", resourceGroupName: "rg-other", privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [VNET] } });
    });
    expect(Object.keys(resources(tf, "azurerm_private_dns_zone"))).toHaveLength(2);
  });
});

describe("PlatformStack keyVaultPrivateEndpoint", () => {
  test("a /27 subnet after the node subnet, the vault behind an endpoint there, the zone linked to the spoke VNet", () => {
    const { tf, stack } = platform({ keyVaultPrivateEndpoint: true });
    const subnets = resources(tf, "azurerm_subnet");
    expect(Object.keys(subnets).sort()).toEqual(["nodes", "private-endpoints"]);
    expect(subnets["private-endpoints"]).toMatchObject({ name: "snet-private-endpoints", address_prefixes: ["10.20.4.0/27"] });
    expect(only(tf, "azurerm_key_vault").public_network_access_enabled).toBe(false);
    expect(only(tf, "azurerm_key_vault").network_acls).toEqual({ default_action: "Deny", bypass: "AzureServices" });
    expect(only(tf, "azurerm_private_endpoint").subnet_id).toBe("${azurerm_subnet.private-endpoints.id}");
    expect(only(tf, "azurerm_private_dns_zone_virtual_network_link").virtual_network_id).toBe("${azurerm_virtual_network.vnet.id}");
    expect(stack.privateEndpointSubnet).toBeDefined();
    // The stateful resources keep their addresses.
    expect(Object.keys(resources(tf, "azurerm_key_vault"))).toEqual(["keyvault_3579520A"]);
  });

  test("the subnet's range and name can be given", () => {
    const { tf } = platform({ keyVaultPrivateEndpoint: { subnetCidr: "10.20.8.0/28", subnetName: "snet-pe" } });
    expect(resources(tf, "azurerm_subnet")["private-endpoints"]).toMatchObject({ name: "snet-pe", address_prefixes: ["10.20.8.0/28"] });
  });
});

describe("PlatformStack names and grants", () => {
  test("the VNet, the node subnet and each workload's identity can be named", () => {
    const { tf } = platform({
      vnetName: "vnet-shop-weu",
      nodeSubnetName: "snet-shop-nodes",
      workloads: [{ name: "orders", namespace: "shop", serviceAccountName: "orders", secrets: ["orders-db"], identityName: "uai-orders-prod" }],
    });
    expect(only(tf, "azurerm_virtual_network").name).toBe("vnet-shop-weu");
    expect(only(tf, "azurerm_subnet").name).toBe("snet-shop-nodes");
    expect(only(tf, "azurerm_user_assigned_identity").name).toBe("uai-orders-prod");
    // Only the names change: the addresses stay.
    expect(Object.keys(resources(tf, "azurerm_virtual_network"))).toEqual(["vnet"]);
    expect(Object.keys(resources(tf, "azurerm_subnet"))).toEqual(["nodes"]);
  });

  test('keyVaultGrantScope "secret": one Secrets User assignment per secret read', () => {
    const { tf } = platform({ keyVaultGrantScope: "secret", addonReadsSecrets: [] });
    const readers = (Object.values(resources(tf, "azurerm_role_assignment")) as any[]).filter((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(readers.map((r) => r.scope.replace(/\$\{azurerm_key_vault\.[^}]+\}/, "VAULT")).sort()).toEqual(["VAULT/secrets/demo-password", "VAULT/secrets/demo-username"]);
  });

  test("switching the authorization mode keeps every stateful resource's address", () => {
    const stateful = ["azurerm_resource_group", "azurerm_virtual_network", "azurerm_subnet", "azurerm_kubernetes_cluster", "azurerm_key_vault", "azurerm_user_assigned_identity", "azurerm_federated_identity_credential"];
    const addresses = (tf: TfJson) => stateful.flatMap((t) => Object.keys(resources(tf, t)).map((k) => `${t}.${k}`));
    const rbac = platform().tf;
    const policies = platform({ keyVaultAuthorization: "accessPolicy" }).tf;
    expect(addresses(rbac)).toEqual(addresses(policies));
    expect([only(rbac, "azurerm_key_vault").rbac_authorization_enabled, only(policies, "azurerm_key_vault").rbac_authorization_enabled]).toEqual([true, false]);
  });
});

describe("the default app's demo switch", () => {
  test("demo: false leaves out the demo workload, its deployments and the HCP Vault demo", () => {
    const app = Testing.app();
    const d = buildDefaultApp(app, { platform: { tenantId: TENANT }, demo: false });
    expect(d.demo).toBeUndefined();
    expect(d.platform.workloads).toEqual([]);
    expect(d.hcpVault!.auths.size).toBe(0);
    expect(d.hcpVault!.vaultConfig.jwtAuth.roles).toEqual([]);
    const platformTf = JSON.parse(Testing.synth(d.platform));
    expect(resources(platformTf, "azurerm_user_assigned_identity")).toEqual({});
    expect(() => validateTree(app)).not.toThrow();
  });

  test("demo: false keeps the workloads given", () => {
    const app: App = Testing.app();
    const d = buildDefaultApp(app, { platform: { tenantId: TENANT, workloads: [{ name: "orders", namespace: "shop", serviceAccountName: "orders", secrets: ["orders-db"] }] }, demo: false, hcpVault: false });
    expect(d.platform.workloads.map((w) => w.name)).toEqual(["orders"]);
  });
});

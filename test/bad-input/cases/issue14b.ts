// The battery's cases for issue 14's secure defaults and new-user API: AksCluster's upgrade
// channels, maintenance windows, OS disks, host encryption and node pools; KeyVault's write
// grants and private endpoint; PlatformStack's names, grant scope and private endpoint; Vault
// roles attaching existing policies; VaultAuth as a namespace's default service account; the
// pod helper for a bare pod; the default app's demo switch; the new security rules and checks.
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AksClusterProps } from "../../../constructs/azure/aks-cluster";
import { KeyVault } from "../../../constructs/azure/key-vault";
import { externalPrincipal } from "../../../constructs/azure/principal";
import { SecretsPod } from "../../../constructs/kubernetes/secrets-pod";
import { VsoVaultAuth, VsoVaultStaticSecret } from "../../../constructs/vault/vault-secrets-operator";
import { DefaultApp } from "../../../app/default-app";
import { BadInputCase } from "../battery";
import { addRole, addVault, kvProps, onDefault, REASON, SUBDOMAIN, LABEL, vaultClass, wired, withConfig } from "../fixtures";

const WHY = "the platform team upgrades clusters by hand during the migration";
const CLUSTER = "platform/cluster";
const weekly = { schedule: { frequency: "Weekly" as const, dayOfWeek: "Sunday" as const }, startTime: "02:00" };
const SUBNET = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe";
const VNET = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet";

/** The default app with these cluster props (through the platform stack). */
const cluster = (c: Partial<AksClusterProps>) => withConfig({ platform: { cluster: c } });
const window = (kubernetes: unknown) => cluster({ maintenanceWindows: { kubernetes: kubernetes as any } });
const W = "maintenanceWindows.kubernetes";
const pool = (options: Record<string, unknown>) => onDefault((d) => void d.platform.cluster.addNodePool("extra", { name: "extra", ...options } as any));
const POOL = "platform/cluster/extra";
/** A writer of the demo vault (not the deployer). */
const owners = (d: DefaultApp) => externalPrincipal(new Construct(d.platform, "owners"), { principalId: "00000000-0000-0000-0000-0000000000ff", clientId: "10000000-0000-0000-0000-0000000000ff" });
/** A role of the default JWT auth for demo/demo-vault reading through the attached `dev` policy only. */
const batchRole = (d: DefaultApp) => d.hcpVault!.vaultConfig.jwtAuth.addRole({ name: "batch", namespace: "demo", serviceAccountName: "demo-vault", policies: ["dev"] });
const pod = (patch: Record<string, unknown>) => onDefault((d) => void new SecretsPod(d.cluster, "extra-pod", { mount: d.demo!.workloadIdentity.pod, name: "extra-pod", image: "busybox", ...patch } as any));

export const cases: BadInputCase[] = [
  // --- AksCluster: opt-outs and upgrade channels
  { name: "Azure Policy opt-out without a reason", build: cluster({ allowWithoutAzurePolicy: { reason: "no" } }), expect: { path: CLUSTER, field: "allowWithoutAzurePolicy.reason", value: "no", rule: REASON } },
  { name: "manual upgrades opt-out without a reason", build: cluster({ allowManualUpgrades: { reason: "later" } }), expect: { path: CLUSTER, field: "allowManualUpgrades.reason", value: "later", rule: REASON } },
  { name: "unmanaged node OS opt-out without a reason", build: cluster({ allowUnmanagedNodeOs: { reason: "legacy" } }), expect: { path: CLUSTER, field: "allowUnmanagedNodeOs.reason", value: "legacy", rule: REASON } },
  { name: "an unknown upgrade channel", build: cluster({ automaticUpgradeChannel: "weekly" as any }), expect: { path: CLUSTER, field: "automaticUpgradeChannel", value: "weekly", rule: /^must be one of "patch", "stable", "rapid", "node-image", "none"$/ } },
  { name: "upgrade channel none without the opt-out", build: cluster({ automaticUpgradeChannel: "none" }), expect: { path: CLUSTER, field: "automaticUpgradeChannel", value: "none", rule: /^turns automatic Kubernetes upgrades off, an opt-out of the secure default/ } },
  { name: "manual upgrades with a channel", build: cluster({ automaticUpgradeChannel: "stable", allowManualUpgrades: { reason: WHY } }), expect: { path: CLUSTER, field: "allowManualUpgrades", value: { reason: WHY }, rule: /^contradicts automaticUpgradeChannel "stable"/ } },
  { name: "an unknown node OS channel", build: cluster({ nodeOsUpgradeChannel: "Weekly" as any }), expect: { path: CLUSTER, field: "nodeOsUpgradeChannel", value: "Weekly", rule: /^must be one of "NodeImage", "SecurityPatch", "Unmanaged", "None"$/ } },
  { name: "node OS channel None without the opt-out", build: cluster({ nodeOsUpgradeChannel: "None" }), expect: { path: CLUSTER, field: "nodeOsUpgradeChannel", value: "None", rule: /^leaves the nodes' OS without AKS-managed patching/ } },
  { name: "the node OS opt-out with a managed channel", build: cluster({ nodeOsUpgradeChannel: "SecurityPatch", allowUnmanagedNodeOs: { reason: WHY } }), expect: { path: CLUSTER, field: "allowUnmanagedNodeOs", value: { reason: WHY }, rule: /^contradicts nodeOsUpgradeChannel "SecurityPatch"/ } },
  { name: "node-image channel with SecurityPatch nodes", build: cluster({ automaticUpgradeChannel: "node-image", nodeOsUpgradeChannel: "SecurityPatch" }), expect: { path: CLUSTER, field: "nodeOsUpgradeChannel", value: "SecurityPatch", rule: /^must be "NodeImage" with automaticUpgradeChannel "node-image"/ } },
  { name: "a pinned patch release on the patch channel", build: cluster({ kubernetesVersion: "1.30.4" }), expect: { path: CLUSTER, field: "kubernetesVersion", value: "1.30.4", rule: /^pins a patch release, but automaticUpgradeChannel "patch"/ } },
  { name: "a pinned version on the rapid channel", build: cluster({ kubernetesVersion: "1.30", automaticUpgradeChannel: "rapid" }), expect: { path: CLUSTER, field: "kubernetesVersion", value: "1.30", rule: /^is pinned, but automaticUpgradeChannel "rapid"/ } },
  // --- maintenance windows
  { name: "maintenance windows that are a string", build: cluster({ maintenanceWindows: "sunday" as any }), expect: { path: CLUSTER, field: "maintenanceWindows", value: "sunday", rule: /^must be \{ kubernetes\?: MaintenanceWindow/ } },
  { name: "a maintenance window that is a string", build: window("sunday"), expect: { path: CLUSTER, field: W, value: "sunday", rule: /^must be a maintenance window/ } },
  { name: "a maintenance window that recurs hourly", build: window({ ...weekly, schedule: { frequency: "Hourly" } }), expect: { path: CLUSTER, field: `${W}.schedule.frequency`, value: "Hourly", rule: /^must be one of "Daily", "Weekly"/ } },
  { name: "a maintenance window every 0 weeks", build: window({ ...weekly, schedule: { frequency: "Weekly", dayOfWeek: "Sunday", intervalWeeks: 0 } }), expect: { path: CLUSTER, field: `${W}.schedule.intervalWeeks`, value: 0, rule: /^must be a whole number, 1 or more$/ } },
  { name: "a weekly window without a day", build: window({ ...weekly, schedule: { frequency: "Weekly" } }), expect: { path: CLUSTER, field: `${W}.schedule.dayOfWeek`, rule: /^is required for a Weekly schedule/ } },
  { name: "a relative monthly window without a week index", build: window({ ...weekly, schedule: { frequency: "RelativeMonthly", dayOfWeek: "Monday" } }), expect: { path: CLUSTER, field: `${W}.schedule.weekIndex`, rule: /^is required for a RelativeMonthly schedule/ } },
  { name: "a monthly window on day 0", build: window({ ...weekly, schedule: { frequency: "AbsoluteMonthly", dayOfMonth: 0 } }), expect: { path: CLUSTER, field: `${W}.schedule.dayOfMonth`, value: 0, rule: /^is required for an AbsoluteMonthly schedule/ } },
  { name: "a window starting at 2am written 2:00", build: window({ ...weekly, startTime: "2:00" }), expect: { path: CLUSTER, field: `${W}.startTime`, value: "2:00", rule: /^is required: the start time as HH:mm/ } },
  { name: "a window of 2 hours", build: window({ ...weekly, durationHours: 2 }), expect: { path: CLUSTER, field: `${W}.durationHours`, value: 2, rule: /^must be a whole number of hours from 4 to 24/ } },
  { name: "a window offset written as a zone name", build: window({ ...weekly, utcOffset: "CET" }), expect: { path: CLUSTER, field: `${W}.utcOffset`, value: "CET", rule: /^must be a UTC offset as \+HH:mm or -HH:mm/ } },
  { name: "a window starting on 31 April", build: window({ ...weekly, startDate: "2026-04-31" }), expect: { path: CLUSTER, field: `${W}.startDate`, value: "2026-04-31", rule: /^must be a calendar date as YYYY-MM-DD/ } },
  { name: "blackout dates that are one string", build: window({ ...weekly, notAllowed: "2026-12-24" }), expect: { path: CLUSTER, field: `${W}.notAllowed`, value: "2026-12-24", rule: /^must be a list of date ranges/ } },
  { name: "a blackout that ends before it starts", build: window({ ...weekly, notAllowed: [{ start: "2026-12-31", end: "2026-12-24" }] }), expect: { path: CLUSTER, field: `${W}.notAllowed[0]`, rule: /^must be a date range \{ start, end \}/ } },
  { name: "a Kubernetes window with manual upgrades", build: cluster({ allowManualUpgrades: { reason: WHY }, maintenanceWindows: { kubernetes: weekly } }), expect: { path: CLUSTER, field: W, value: weekly, rule: /^schedules automatic Kubernetes upgrades, which allowManualUpgrades turns off/ } },
  { name: "a node OS window on the None channel", build: cluster({ allowUnmanagedNodeOs: { reason: WHY }, maintenanceWindows: { nodeOs: weekly } }), expect: { path: CLUSTER, field: "maintenanceWindows.nodeOs", value: weekly, rule: /^schedules AKS-managed node OS upgrades, which node OS channel "None" does not make/ } },
  // --- pools and disks
  { name: "host encryption as a string", build: cluster({ hostEncryption: "yes" as any }), expect: { path: CLUSTER, field: "hostEncryption", value: "yes", rule: /^must be true or false$/ } },
  { name: "an OS disk of an unknown type", build: cluster({ osDisk: { type: "Premium" } as any }), expect: { path: CLUSTER, field: "osDisk", value: { type: "Premium" }, rule: /^must be \{ type: "Managed" \| "Ephemeral", sizeGb\? \}/ } },
  { name: "an ephemeral OS disk without a size", build: cluster({ vmSize: "Standard_D2ds_v5", osDisk: { type: "Ephemeral" } as any }), expect: { path: CLUSTER, field: "osDisk.sizeGb", rule: /^is required for an Ephemeral OS disk/ } },
  { name: "an OS disk of 8 GiB", build: cluster({ osDisk: { type: "Managed", sizeGb: 8 } }), expect: { path: CLUSTER, field: "osDisk.sizeGb", value: 8, rule: /^must be a whole number of GiB from 30 to 2048$/ } },
  { name: "an ephemeral OS disk on the default VM size, which has no local disk", build: cluster({ osDisk: { type: "Ephemeral", sizeGb: 64 } }), expect: { path: CLUSTER, field: "osDisk.type", value: "Ephemeral", rule: /^needs a VM size with a local cache or temp disk, and Standard_D2s_v5 has none: choose a 'd' size such as Standard_D2ds_v5/ } },
  { name: "a temporary pool name with capitals", build: cluster({ temporaryNodePoolName: "Rotate" }), expect: { path: CLUSTER, field: "temporaryNodePoolName", value: "Rotate", rule: /AKS Linux node pool names are 1-12 lowercase letters and digits/ } },
  { name: "the default pool's name as its temporary name", build: cluster({ temporaryNodePoolName: "system" }), expect: { path: CLUSTER, field: "temporaryNodePoolName", value: "system", rule: /^must differ from nodePoolName \("system"\)/ } },
  { name: "a dedicated system pool given as a string", build: cluster({ dedicatedSystemPool: "yes" as any }), expect: { path: CLUSTER, field: "dedicatedSystemPool", value: "yes", rule: /^must be true, false or \{ userPool/ } },
  { name: "a node pool named with a dash", build: pool({ name: "batch-1" }), expect: { path: POOL, field: "name", value: "batch-1", rule: /AKS Linux node pool names are 1-12 lowercase letters and digits/ } },
  { name: "a node pool VM size with a space", build: pool({ vmSize: "Standard D2" }), expect: { path: POOL, field: "vmSize", value: "Standard D2", rule: /must be an Azure VM size name/ } },
  { name: "a node pool of mode Spot", build: pool({ mode: "Spot" }), expect: { path: POOL, field: "mode", value: "Spot", rule: /^must be "User" or "System"$/ } },
  { name: "a node pool with host encryption 1", build: pool({ hostEncryption: 1 }), expect: { path: POOL, field: "hostEncryption", value: 1, rule: /^must be true or false$/ } },
  { name: "a node pool without nodes", build: pool({ nodeCount: 0 }), expect: { path: POOL, field: "nodeCount", value: 0, rule: /^must be a whole number from 1 to 1000$/ } },
  { name: "a node pool named like the default pool", build: pool({ name: "system" }), expect: { path: POOL, field: "name", value: "system", rule: /^is already a node pool of this cluster/ } },
  { name: "a node pool OS disk given as a string", build: pool({ osDisk: "Ephemeral" }), expect: { path: POOL, field: "osDisk", value: "Ephemeral", rule: /^must be \{ type: "Managed" \| "Ephemeral", sizeGb\? \}/ } },
  { name: "a node pool with an ephemeral disk on a size without local disk", build: pool({ osDisk: { type: "Ephemeral", sizeGb: 64 } }), expect: { path: POOL, field: "osDisk.type", value: "Ephemeral", rule: /^needs a VM size with a local cache or temp disk/ } },
  // --- KeyVault
  { name: "a write grant with purge rights", build: onDefault((d) => void d.platform.keyVault.grantSecretWrite(owners(d), { reason: "the team that owns the values", extraPermissions: ["Purge" as any] })), expect: { path: "platform/keyvault", field: "grantSecretWrite.extraPermissions", value: ["Purge"], rule: /^must list rights from "Get", "List", "Delete", "Recover"/ } },
  {
    name: "a second write grant with other rights",
    build: onDefault((d) => {
      const o = owners(d);
      d.platform.keyVault.grantSecretWrite(o, { reason: "the team that owns the values" });
      d.platform.keyVault.grantSecretWrite(o, { reason: "the team that owns the values", extraPermissions: ["Delete"] });
    }),
    expect: { path: "platform/keyvault", field: "grantSecretWrite.extraPermissions", value: ["Delete"], rule: /^differ from the write grant platform\/owners has already \(Set\)/ },
  },
  { name: "a private endpoint given as a string", build: addVault({ privateEndpoint: SUBNET as any }), expect: { path: "platform/keyvault-extra", field: "privateEndpoint", value: SUBNET, rule: /^must be \{ subnetId, linkedVirtualNetworkIds \}/ } },
  { name: "a private endpoint without a subnet", build: addVault({ privateEndpoint: { linkedVirtualNetworkIds: [VNET] } as any }), expect: { path: "platform/keyvault-extra", field: "privateEndpoint.subnetId", rule: /^is required: the subnet \(ID\)/ } },
  {
    name: "a private endpoint with an existing zone and links",
    build: addVault({ privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: `${VNET.replace(/virtualNetworks\/vnet$/, "privateDnsZones/privatelink.vaultcore.azure.net")}`, linkedVirtualNetworkIds: [VNET] } }),
    expect: { path: "platform/keyvault-extra", field: "privateEndpoint.linkedVirtualNetworkIds", value: [VNET], rule: /^applies only to a zone created here/ },
  },
  { name: "a private endpoint zone of another service", build: addVault({ privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: VNET.replace(/virtualNetworks\/vnet$/, "privateDnsZones/privatelink.blob.core.windows.net") } }), expect: { path: "platform/keyvault-extra", field: "privateEndpoint.privateDnsZoneId", rule: /^must be the ARM ID of a private DNS zone for Key Vault endpoints/ } },
  { name: "a private endpoint zone created and linked nowhere", build: addVault({ privateEndpoint: { subnetId: SUBNET } }), expect: { path: "platform/keyvault-extra", field: "privateEndpoint.linkedVirtualNetworkIds", rule: /^must list the VNets \(IDs\) whose DNS resolves the vault/ } },
  {
    name: "two vaults creating the private DNS zone in one resource group",
    build: onDefault((d) => {
      new KeyVault(d.platform, "kv-a", { ...kvProps, name: "kv-extra-a", privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [VNET] } });
      new KeyVault(d.platform, "kv-b", { ...kvProps, name: "kv-extra-b", privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [VNET] } });
    }),
    expect: { path: "platform/kv-b", field: "privateEndpoint.privateDnsZoneId", rule: /^is not set, so a second privatelink\.vaultcore\.azure\.net zone would be created in the resource group of platform\/kv-a/ },
  },
  { name: "firewall ranges with a private endpoint", build: addVault({ allowedIpRanges: ["203.0.113.7"], privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [VNET] } }), expect: { path: "platform/keyvault-extra", field: "allowedIpRanges", value: ["203.0.113.7"], rule: /^applies to public network access, which privateEndpoint turns off/ } },
  // --- PlatformStack
  { name: "a workload identity name with a space", build: withConfig({ platform: { workloads: [{ name: "orders", namespace: "shop", serviceAccountName: "orders", secrets: ["orders-db"], identityName: "id orders" }] } }), expect: { path: "platform", field: "workloads[0].identityName", value: "id orders", rule: /managed identity names are 3-128 characters/ } },
  { name: "a VNet name ending in a dot", build: withConfig({ platform: { vnetName: "vnet-shop." } }), expect: { path: "platform", field: "vnetName", value: "vnet-shop.", rule: /virtual network and subnet names are 2-64 characters/ } },
  { name: "a node subnet name of one character", build: withConfig({ platform: { nodeSubnetName: "n" } }), expect: { path: "platform", field: "nodeSubnetName", value: "n", rule: /virtual network and subnet names are 2-64 characters/ } },
  { name: "a grant scope of subscription", build: withConfig({ platform: { keyVaultGrantScope: "subscription" as any } }), expect: { path: "platform", field: "keyVaultGrantScope", value: "subscription", rule: /^must be "vault" \(one assignment per identity on the vault\) or "secret"/ } },
  { name: "a private endpoint setting given as a string", build: withConfig({ platform: { keyVaultPrivateEndpoint: "on" as any } }), expect: { path: "platform", field: "keyVaultPrivateEndpoint", value: "on", rule: /^must be true, false or \{ subnetCidr\?, subnetName\? \}$/ } },
  { name: "a private endpoint subnet name with a space", build: withConfig({ platform: { keyVaultPrivateEndpoint: { subnetName: "snet pe" } } }), expect: { path: "platform", field: "keyVaultPrivateEndpoint.subnetName", value: "snet pe", rule: /virtual network and subnet names are 2-64 characters/ } },
  { name: "firewall ranges with the platform's private endpoint", build: withConfig({ platform: { keyVaultPrivateEndpoint: true, keyVaultAllowedIpRanges: ["203.0.113.7"] } }), expect: { path: "platform", field: "keyVaultAllowedIpRanges", value: ["203.0.113.7"], rule: /^applies to the vault's public network access, which keyVaultPrivateEndpoint turns off/ } },
  { name: "a private endpoint beside a node subnet known only at apply time", build: withConfig({ platform: { keyVaultPrivateEndpoint: true, nodeSubnetCidr: Fn.cidrsubnet("10.20.0.0/16", 6, 0) } }), expect: { path: "platform", field: "keyVaultPrivateEndpoint.subnetCidr", rule: /^is required when the node subnet is not a literal CIDR/ } },
  { name: "a private endpoint subnet overlapping the node subnet", build: withConfig({ platform: { keyVaultPrivateEndpoint: { subnetCidr: "10.20.1.0/27" } } }), expect: { path: "platform", field: "keyVaultPrivateEndpoint.subnetCidr", value: "10.20.1.0/27", rule: /^overlaps the node subnet 10\.20\.0\.0\/22/ } },
  // --- the default app
  { name: "the demo switch given as a string", build: withConfig({ demo: "no" as any }), expect: { path: "platform", field: "demo", value: "no", rule: /^must be true \(include the demo workloads\) or false/ } },
  // --- Vault roles with attached policies
  { name: "attached policies given as one string", build: addRole({ policies: "dev" as any }), expect: { path: "vault-config/jwt", field: "addRole.policies", value: "dev", rule: /^must be a list of existing Vault policy names/ } },
  { name: "an attached policy name with a space", build: addRole({ policies: ["dev team"] }), expect: { path: "vault-config/jwt", field: "addRole.policies[0]", value: "dev team", rule: /^must be a Vault policy name/ } },
  { name: "the root policy attached", build: addRole({ policies: ["root"] }), expect: { path: "vault-config/jwt", field: "addRole.policies[0]", value: "root", rule: /^is Vault's root policy/ } },
  { name: "a policy attached twice", build: addRole({ policies: ["dev", "dev"] }), expect: { path: "vault-config/jwt", field: "addRole.policies[1]", value: "dev", rule: /^is attached twice/ } },
  { name: "stated reads without attached policies", build: onDefault((d) => void d.hcpVault!.vaultConfig.jwtAuth.addRole({ name: "ops", namespace: "ops", serviceAccountName: "ops-app", secrets: [d.hcpVault!.vaultConfig.secret("ops/config")], policyReads: [d.hcpVault!.vaultConfig.secret("ops/other")] })), expect: { path: "vault-config/jwt", field: "addRole.policyReads", rule: /^states what attached policies read, but the role attaches none/ } },
  {
    name: "a Vault CSI mount read through a policy attached by name",
    build: wired((d) => {
      batchRole(d);
      vaultClass(d, { roleName: "batch", objects: [{ objectName: "x", secretPath: "secret/data/team/x" }] });
    }),
    expect: { path: "cluster/vault-csi", field: "provider.objects[0].secretPath", value: "secret/data/team/x", rule: /^is read through policies JWT role "batch" attaches by name \(dev\)/ },
  },
  {
    name: "a VaultStaticSecret read through a policy attached by name",
    build: wired((d) => {
      const auth = new VsoVaultAuth(d.clusterVault!, "vault-auth-batch", { role: batchRole(d), connection: d.hcpVault!.connection });
      new VsoVaultStaticSecret(d.clusterVault!, "vault-secret-batch", { auth, secret: d.hcpVault!.vaultConfig.secret("team/x"), destination: { name: "team-x" } });
    }),
    expect: { path: "cluster-vault/vault-secret-batch", field: "secret", value: "secret/data/team/x", rule: /^is read through policies JWT role "batch" attaches by name \(dev\)/ },
  },
  {
    name: "a VaultAuth creating the namespace's default service account",
    build: onDefault((d) => {
      const role = d.hcpVault!.vaultConfig.jwtAuth.addRole({ name: "jobs", namespace: "demo", serviceAccountName: "default", secrets: [d.hcpVault!.vaultConfig.secret("demo/config")] });
      new VsoVaultAuth(d.clusterVault!, "vault-auth-jobs", { role, connection: d.hcpVault!.connection, createServiceAccount: true });
    }),
    expect: { path: "cluster-vault/vault-auth-jobs", field: "createServiceAccount", value: true, rule: /^would create demo\/default, which Kubernetes creates in every namespace/ },
  },
  // --- the bare pod helper
  { name: "a bare pod without its mount", build: pod({ mount: undefined }), expect: { path: "cluster/extra-pod", field: "mount", rule: /^needs the PodSecretsMount of the class to mount/ } },
  { name: "a bare pod named with capitals", build: pod({ name: "Extra" }), expect: { path: "cluster/extra-pod", field: "name", value: "Extra", rule: SUBDOMAIN } },
  { name: "a bare pod image with a space", build: pod({ image: "busybox latest" }), expect: { path: "cluster/extra-pod", field: "image", value: "busybox latest", rule: /^must be a container image reference/ } },
  { name: "a bare pod container named with a dot", build: pod({ containerName: "app.main" }), expect: { path: "cluster/extra-pod", field: "containerName", value: "app.main", rule: LABEL } },
  // --- the security rules
  { name: "AKSS-AKS5: Azure Policy add-on overridden off", build: onDefault((d) => d.platform.cluster.resource.addOverride("azure_policy_enabled", false)), expect: { path: "platform/cluster/cluster", field: "AKSS-AKS5 azure_policy_enabled", value: false, rule: /Azure Policy add-on on: is false/ } },
  { name: "AKSS-AKS6: upgrade channel overridden away", build: onDefault((d) => d.platform.cluster.resource.addOverride("automatic_upgrade_channel", undefined)), expect: { path: "platform/cluster/cluster", field: "AKSS-AKS6 automatic_upgrade_channel", rule: /automatic Kubernetes upgrades: is not set/ } },
  { name: "AKSS-AKS7: node OS channel overridden to None", build: onDefault((d) => d.platform.cluster.resource.addOverride("node_os_upgrade_channel", "None")), expect: { path: "platform/cluster/cluster", field: "AKSS-AKS7 node_os_upgrade_channel", value: "None", rule: /node OS upgrades managed: is None/ } },
];

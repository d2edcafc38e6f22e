// AksCluster's secure defaults added for issue 14 (the Azure Policy add-on, the automatic upgrade
// channels and their maintenance windows), each opt-out, and the documented opt-ins (host
// encryption, ephemeral OS disks, a system pool for critical add-ons only), on synthesized JSON.
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { AksCluster, AksClusterProps } from "../../constructs/azure/aks-cluster";
import { lacksLocalDisk } from "../../constructs/azure/aks-node-pool";
import { OPT_OUT_METADATA_PREFIX } from "../../core/validation";
import { applySecurityRules, securityReport } from "../../verify/security-rules";
import { buildDefaultApp } from "../../app/default-app";
import { expectProblem, only, resources, synth } from "../helpers";

const SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
const base: AksClusterProps = { name: "aks-sec", resourceGroupName: "rg-sec", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } };
const REASON = "the platform team upgrades by hand during the migration";

const cluster = (over: Partial<AksClusterProps> = {}) => only(synth((s) => new AksCluster(s, "aks", { ...base, ...over })), "azurerm_kubernetes_cluster");
const make = (over: Partial<AksClusterProps>) => () => synth((s) => new AksCluster(s, "aks", { ...base, ...over }));
const weekly = { schedule: { frequency: "Weekly" as const, dayOfWeek: "Sunday" as const }, startTime: "02:00" };

describe("AksCluster secure defaults", () => {
  test("the Azure Policy add-on is on, Kubernetes follows the patch channel and nodes the NodeImage channel", () => {
    const c = cluster();
    expect(c.azure_policy_enabled).toBe(true);
    expect(c.automatic_upgrade_channel).toBe("patch");
    expect(c.node_os_upgrade_channel).toBe("NodeImage");
    expect(c.maintenance_window_auto_upgrade).toBeUndefined();
    expect(c.maintenance_window_node_os).toBeUndefined();
  });

  test("the default pool runs everything on managed disks without host encryption, and can be rotated", () => {
    const pool = cluster().default_node_pool;
    expect(pool).toMatchObject({ only_critical_addons_enabled: false, host_encryption_enabled: false, temporary_name_for_rotation: "systemtmp" });
    expect(pool.os_disk_type).toBeUndefined();
    expect(cluster({ nodePoolName: "averylongpol" }).default_node_pool.temporary_name_for_rotation).toBe("averylongtmp");
    expect(cluster({ temporaryNodePoolName: "spare" }).default_node_pool.temporary_name_for_rotation).toBe("spare");
  });

  test("the construct reports what it configured", () => {
    const stack = Testing.synthScope((s) => {
      const c = new AksCluster(s, "aks", base);
      expect([c.azurePolicyEnabled, c.upgrades, c.criticalAddonsOnly, c.userPool]).toEqual([true, { kubernetes: "patch", nodeOs: "NodeImage", maintenanceWindows: { kubernetes: false, nodeOs: false } }, false, undefined]);
    });
    expect(stack).toContain("azure_policy_enabled");
  });

  test("the default app's cluster has the add-on and both upgrade channels", () => {
    const app = Testing.app();
    const d = buildDefaultApp(app, { hcpVault: false });
    const c = only(JSON.parse(Testing.synth(d.platform)), "azurerm_kubernetes_cluster");
    expect([c.azure_policy_enabled, c.automatic_upgrade_channel, c.node_os_upgrade_channel]).toEqual([true, "patch", "NodeImage"]);
  });
});

describe("opt-outs: recorded, turn the setting off, and are listed as suppressions of their rule", () => {
  const cases: [string, Partial<AksClusterProps>, string, string, (c: any) => void][] = [
    ["allowWithoutAzurePolicy", { allowWithoutAzurePolicy: { reason: REASON } }, "withoutAzurePolicy", "AKSS-AKS5", (c) => expect(c.azure_policy_enabled).toBe(false)],
    ["allowManualUpgrades", { allowManualUpgrades: { reason: REASON } }, "manualUpgrades", "AKSS-AKS6", (c) => expect(c.automatic_upgrade_channel).toBeUndefined()],
    ["allowUnmanagedNodeOs (None)", { allowUnmanagedNodeOs: { reason: REASON } }, "unmanagedNodeOs", "AKSS-AKS7", (c) => expect(c.node_os_upgrade_channel).toBe("None")],
    ["allowUnmanagedNodeOs (Unmanaged)", { allowUnmanagedNodeOs: { reason: REASON }, nodeOsUpgradeChannel: "Unmanaged" }, "unmanagedNodeOs", "AKSS-AKS7", (c) => expect(c.node_os_upgrade_channel).toBe("Unmanaged")],
    ["automaticUpgradeChannel none with its opt-out", { allowManualUpgrades: { reason: REASON }, automaticUpgradeChannel: "none" }, "manualUpgrades", "AKSS-AKS6", (c) => expect(c.automatic_upgrade_channel).toBeUndefined()],
  ];
  test.each(cases)("%s", (_name, over, recordedAs, ruleId, expectResource) => {
    const app: App = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    const aks = new AksCluster(stack, "aks", { ...base, ...over });
    applySecurityRules(app);
    expectResource(only(JSON.parse(Testing.synth(stack, true)), "azurerm_kubernetes_cluster"));
    expect(aks.node.metadata.filter((m) => m.type.startsWith(OPT_OUT_METADATA_PREFIX)).map((m) => [m.type, m.data])).toEqual([[`${OPT_OUT_METADATA_PREFIX}${recordedAs}`, REASON]]);
    const report = securityReport(app);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([expect.objectContaining({ ruleId, path: "test/aks/cluster", source: "opt-out", optOut: recordedAs, reason: REASON })]);
  });

  test.each(["allowWithoutAzurePolicy", "allowManualUpgrades", "allowUnmanagedNodeOs"])("%s without a real reason is refused with the shared rule", (prop) => {
    expectProblem(make({ [prop]: { reason: "short" } }), { path: "test/aks", field: `${prop}.reason`, rule: /^an opt-out of the secure default needs a written reason/ });
  });
});

describe("upgrade channels", () => {
  test("stable, rapid and node-image are taken as given; SecurityPatch too", () => {
    expect(cluster({ automaticUpgradeChannel: "stable" }).automatic_upgrade_channel).toBe("stable");
    expect(cluster({ automaticUpgradeChannel: "rapid", nodeOsUpgradeChannel: "SecurityPatch" })).toMatchObject({ automatic_upgrade_channel: "rapid", node_os_upgrade_channel: "SecurityPatch" });
    expect(cluster({ automaticUpgradeChannel: "node-image" }).automatic_upgrade_channel).toBe("node-image");
  });

  test.each<[string, Partial<AksClusterProps>, string, unknown, RegExp]>([
    ["an unknown Kubernetes channel", { automaticUpgradeChannel: "weekly" as any }, "automaticUpgradeChannel", "weekly", /must be one of "patch", "stable", "rapid", "node-image", "none"/],
    ["channel none without the opt-out", { automaticUpgradeChannel: "none" }, "automaticUpgradeChannel", "none", /allowManualUpgrades: \{ reason \}/],
    ["the manual opt-out with a channel", { automaticUpgradeChannel: "stable", allowManualUpgrades: { reason: REASON } }, "allowManualUpgrades", { reason: REASON }, /contradicts automaticUpgradeChannel "stable"/],
    ["an unknown node OS channel", { nodeOsUpgradeChannel: "Weekly" as any }, "nodeOsUpgradeChannel", "Weekly", /must be one of "NodeImage", "SecurityPatch", "Unmanaged", "None"/],
    ["Unmanaged without the opt-out", { nodeOsUpgradeChannel: "Unmanaged" }, "nodeOsUpgradeChannel", "Unmanaged", /allowUnmanagedNodeOs: \{ reason \}/],
    ["None without the opt-out", { nodeOsUpgradeChannel: "None" }, "nodeOsUpgradeChannel", "None", /without AKS-managed patching/],
    ["the node OS opt-out with a managed channel", { nodeOsUpgradeChannel: "SecurityPatch", allowUnmanagedNodeOs: { reason: REASON } }, "allowUnmanagedNodeOs", { reason: REASON }, /contradicts nodeOsUpgradeChannel "SecurityPatch"/],
    ["node-image with SecurityPatch", { automaticUpgradeChannel: "node-image", nodeOsUpgradeChannel: "SecurityPatch" }, "nodeOsUpgradeChannel", "SecurityPatch", /must be "NodeImage" with automaticUpgradeChannel "node-image"/],
    ["a pinned patch release on the patch channel", { kubernetesVersion: "1.30.4" }, "kubernetesVersion", "1.30.4", /give the minor version only \(1\.30\)/],
    ["a pinned version on the stable channel", { kubernetesVersion: "1.30", automaticUpgradeChannel: "stable" }, "kubernetesVersion", "1.30", /leave kubernetesVersion unset/],
  ])("%s is refused", (_name, over, field, value, rule) => {
    expectProblem(make(over), { path: "test/aks", field, value: value as any, rule });
  });

  test("a minor version on the patch channel, and a pinned patch with manual upgrades, are accepted", () => {
    expect(cluster({ kubernetesVersion: "1.30" }).kubernetes_version).toBe("1.30");
    expect(cluster({ kubernetesVersion: "1.30.4", allowManualUpgrades: { reason: REASON } }).kubernetes_version).toBe("1.30.4");
  });
});

describe("maintenance windows", () => {
  test("a weekly window for each channel, with the provider's defaults filled in and dates as RFC 3339", () => {
    const c = cluster({
      maintenanceWindows: {
        kubernetes: { schedule: { frequency: "Weekly", dayOfWeek: "Sunday", intervalWeeks: 2 }, startTime: "01:30", durationHours: 6, utcOffset: "+05:30", startDate: "2026-09-01", notAllowed: [{ start: "2026-12-20", end: "2027-01-03" }] },
        nodeOs: weekly,
      },
    });
    expect(c.maintenance_window_auto_upgrade).toEqual({
      frequency: "Weekly",
      interval: 2,
      day_of_week: "Sunday",
      duration: 6,
      start_time: "01:30",
      utc_offset: "+05:30",
      start_date: "2026-09-01T00:00:00Z",
      not_allowed: [{ start: "2026-12-20T00:00:00Z", end: "2027-01-03T00:00:00Z" }],
    });
    expect(c.maintenance_window_node_os).toEqual({ frequency: "Weekly", interval: 1, day_of_week: "Sunday", duration: 4, start_time: "02:00", utc_offset: "+00:00" });
  });

  test("daily, absolute and relative monthly schedules", () => {
    const c = cluster({
      maintenanceWindows: {
        kubernetes: { schedule: { frequency: "RelativeMonthly", dayOfWeek: "Saturday", weekIndex: "Last" }, startTime: "22:00" },
        nodeOs: { schedule: { frequency: "Daily", intervalDays: 3 }, startTime: "03:00" },
      },
    });
    expect(c.maintenance_window_auto_upgrade).toMatchObject({ frequency: "RelativeMonthly", interval: 1, day_of_week: "Saturday", week_index: "Last" });
    expect(c.maintenance_window_node_os).toMatchObject({ frequency: "Daily", interval: 3 });
    expect(cluster({ maintenanceWindows: { kubernetes: { schedule: { frequency: "AbsoluteMonthly", dayOfMonth: 1, intervalMonths: 3 }, startTime: "09:00" } } }).maintenance_window_auto_upgrade).toMatchObject({
      frequency: "AbsoluteMonthly",
      interval: 3,
      day_of_month: 1,
    });
  });

  test("the construct reports which windows are set", () => {
    Testing.synthScope((s) => {
      expect(new AksCluster(s, "aks", { ...base, maintenanceWindows: { nodeOs: weekly } }).upgrades.maintenanceWindows).toEqual({ kubernetes: false, nodeOs: true });
    });
  });

  const k = (w: unknown): Partial<AksClusterProps> => ({ maintenanceWindows: { kubernetes: w as any } });
  test.each<[string, Partial<AksClusterProps>, string, unknown, RegExp]>([
    ["windows that are not an object", { maintenanceWindows: "sunday" as any }, "maintenanceWindows", "sunday", /kubernetes\?: MaintenanceWindow/],
    ["a window that is not an object", k("sunday"), "maintenanceWindows.kubernetes", "sunday", /must be a maintenance window/],
    ["an unknown frequency", k({ ...weekly, schedule: { frequency: "Hourly" } }), "maintenanceWindows.kubernetes.schedule.frequency", "Hourly", /"Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly"/],
    ["no schedule", k({ startTime: "02:00" }), "maintenanceWindows.kubernetes.schedule.frequency", undefined, /must be one of/],
    ["a weekly schedule without a day", k({ ...weekly, schedule: { frequency: "Weekly" } }), "maintenanceWindows.kubernetes.schedule.dayOfWeek", undefined, /is required for a Weekly schedule/],
    ["a relative schedule without a week index", k({ ...weekly, schedule: { frequency: "RelativeMonthly", dayOfWeek: "Monday" } }), "maintenanceWindows.kubernetes.schedule.weekIndex", undefined, /First, Second, Third, Fourth, Last/],
    ["day 32", k({ ...weekly, schedule: { frequency: "AbsoluteMonthly", dayOfMonth: 32 } }), "maintenanceWindows.kubernetes.schedule.dayOfMonth", 32, /from 1 to 31/],
    ["an interval of 0", k({ ...weekly, schedule: { frequency: "Daily", intervalDays: 0 } }), "maintenanceWindows.kubernetes.schedule.intervalDays", 0, /1 or more/],
    ["no start time", k({ schedule: weekly.schedule }), "maintenanceWindows.kubernetes.startTime", undefined, /HH:mm/],
    ["a start time of 24:00", k({ ...weekly, startTime: "24:00" }), "maintenanceWindows.kubernetes.startTime", "24:00", /00:00 to 23:59/],
    ["3 hours", k({ ...weekly, durationHours: 3 }), "maintenanceWindows.kubernetes.durationHours", 3, /from 4 to 24/],
    ["an offset without a sign", k({ ...weekly, utcOffset: "05:30" }), "maintenanceWindows.kubernetes.utcOffset", "05:30", /\+HH:mm or -HH:mm/],
    ["a start date that is not a date", k({ ...weekly, startDate: "2026-02-30" }), "maintenanceWindows.kubernetes.startDate", "2026-02-30", /YYYY-MM-DD/],
    ["blackout dates that are not a list", k({ ...weekly, notAllowed: "december" }), "maintenanceWindows.kubernetes.notAllowed", "december", /list of date ranges/],
    ["a blackout that ends before it starts", k({ ...weekly, notAllowed: [{ start: "2026-12-31", end: "2026-12-01" }] }), "maintenanceWindows.kubernetes.notAllowed[0]", { start: "2026-12-31", end: "2026-12-01" }, /start not after end/],
    ["a Kubernetes window with manual upgrades", { allowManualUpgrades: { reason: REASON }, maintenanceWindows: { kubernetes: weekly } }, "maintenanceWindows.kubernetes", weekly, /allowManualUpgrades turns off/],
    ["a node OS window on the Unmanaged channel", { allowUnmanagedNodeOs: { reason: REASON }, nodeOsUpgradeChannel: "Unmanaged", maintenanceWindows: { nodeOs: weekly } }, "maintenanceWindows.nodeOs", weekly, /"Unmanaged" does not make/],
  ])("%s is refused", (_name, over, field, value, rule) => {
    expectProblem(make(over), { path: "test/aks", field, value: value as any, rule });
  });
});

describe("opt-ins: host encryption, ephemeral OS disks, a system pool for critical add-ons only", () => {
  test("host encryption reaches the default pool and the user pool", () => {
    const tf = synth((s) => new AksCluster(s, "aks", { ...base, hostEncryption: true, dedicatedSystemPool: true }));
    expect(only(tf, "azurerm_kubernetes_cluster").default_node_pool.host_encryption_enabled).toBe(true);
    expect(only(tf, "azurerm_kubernetes_cluster_node_pool").host_encryption_enabled).toBe(true);
  });

  test("an ephemeral OS disk on a size with a temp disk", () => {
    const pool = cluster({ vmSize: "Standard_D2ds_v5", osDisk: { type: "Ephemeral", sizeGb: 64 } }).default_node_pool;
    expect([pool.os_disk_type, pool.os_disk_size_gb]).toEqual(["Ephemeral", 64]);
    expect(cluster({ osDisk: { type: "Managed", sizeGb: 64 } }).default_node_pool).toMatchObject({ os_disk_type: "Managed", os_disk_size_gb: 64 });
  });

  test.each<[string, Partial<AksClusterProps>, string, unknown, RegExp]>([
    ["Ephemeral on a size without local disk", { osDisk: { type: "Ephemeral", sizeGb: 64 } }, "osDisk.type", "Ephemeral", /Standard_D2s_v5 has none: choose a 'd' size such as Standard_D2ds_v5/],
    ["Ephemeral without a size", { vmSize: "Standard_D2ds_v5", osDisk: { type: "Ephemeral" } as any }, "osDisk.sizeGb", undefined, /is required for an Ephemeral OS disk/],
    ["an unknown disk type", { osDisk: { type: "Premium" } as any }, "osDisk", { type: "Premium" }, /"Managed" \| "Ephemeral"/],
    ["a disk of 10 GiB", { osDisk: { type: "Managed", sizeGb: 10 } }, "osDisk.sizeGb", 10, /from 30 to 2048/],
    ["host encryption that is not a boolean", { hostEncryption: "yes" as any }, "hostEncryption", "yes", /true or false/],
    ["a temporary pool name with capitals", { temporaryNodePoolName: "Spare" }, "temporaryNodePoolName", "Spare", /1-12 lowercase letters and digits/],
    ["the default pool's own name as temporary name", { temporaryNodePoolName: "system" }, "temporaryNodePoolName", "system", /must differ from nodePoolName/],
    ["a dedicated system pool that is a string", { dedicatedSystemPool: "yes" as any }, "dedicatedSystemPool", "yes", /true, false or \{ userPool/],
  ])("%s is refused", (_name, over, field, value, rule) => {
    expectProblem(make(over), { path: "test/aks", field, value: value as any, rule });
  });

  test("which VM sizes lack a local disk", () => {
    expect(["Standard_D2s_v5", "Standard_E4as_v6", "Standard_D4ps_v5"].map(lacksLocalDisk)).toEqual([true, true, true]);
    expect(["Standard_D2ds_v5", "Standard_E4-2ds_v5", "Standard_D2ads_v5", "Standard_DS2_v2", "Standard_NC24ads_A100_v4"].map(lacksLocalDisk)).toEqual([false, false, false, false, false]);
  });

  test("a dedicated system pool: the default pool is tainted for critical add-ons, workloads get a user pool like it", () => {
    const tf = synth((s) => new AksCluster(s, "aks", { ...base, dedicatedSystemPool: true }));
    expect(only(tf, "azurerm_kubernetes_cluster").default_node_pool.only_critical_addons_enabled).toBe(true);
    expect(Object.keys(resources(tf, "azurerm_kubernetes_cluster_node_pool"))).toEqual([expect.stringMatching(/^aks_user-pool_[0-9A-F]{8}$/)]);
    const pool = only(tf, "azurerm_kubernetes_cluster_node_pool");
    expect(pool).toMatchObject({ name: "user", mode: "User", vm_size: "Standard_D2s_v5", node_count: 2, vnet_subnet_id: SUBNET, host_encryption_enabled: false, upgrade_settings: { max_surge: "10%" } });
    expect(pool.kubernetes_cluster_id).toMatch(/^\$\{azurerm_kubernetes_cluster\.aks_cluster_[0-9A-F]+\.id\}$/);
  });

  test("the user pool's settings, and more pools with addNodePool", () => {
    const tf = synth((s) => {
      const c = new AksCluster(s, "aks", { ...base, vmSize: "Standard_D2ds_v5", osDisk: { type: "Ephemeral", sizeGb: 64 }, dedicatedSystemPool: { userPool: { name: "apps", vmSize: "Standard_D4ds_v5", nodeCount: 3 } } });
      expect(c.userPool?.name).toBe("apps");
      c.addNodePool("batch", { name: "batch", nodeCount: 1, osDisk: { type: "Managed" } });
    });
    const pools = Object.values(resources(tf, "azurerm_kubernetes_cluster_node_pool"));
    expect(pools.map((p: any) => [p.name, p.vm_size, p.node_count, p.os_disk_type, p.os_disk_size_gb]).sort()).toEqual([
      ["apps", "Standard_D4ds_v5", 3, "Ephemeral", 64],
      ["batch", "Standard_D2ds_v5", 1, "Managed", undefined],
    ]);
  });

  test.each<[string, Record<string, unknown>, string, unknown, RegExp]>([
    ["a pool name with a dash", { name: "user-1" }, "name", "user-1", /1-12 lowercase letters and digits/],
    ["the default pool's name", { name: "system" }, "name", "system", /already a node pool of this cluster/],
    ["the temporary rotation name", { name: "systemtmp" }, "name", "systemtmp", /already a node pool of this cluster/],
    ["no nodes", { name: "batch", nodeCount: 0 }, "nodeCount", 0, /from 1 to 1000/],
    ["an unknown mode", { name: "batch", mode: "Spot" }, "mode", "Spot", /"User" or "System"/],
    ["a VM size with a space", { name: "batch", vmSize: "Standard D2" }, "vmSize", "Standard D2", /Azure VM size name/],
    ["host encryption that is not a boolean", { name: "batch", hostEncryption: 1 }, "hostEncryption", 1, /true or false/],
    ["an ephemeral disk on a size without local disk", { name: "batch", osDisk: { type: "Ephemeral", sizeGb: 64 } }, "osDisk.type", "Ephemeral", /has none/],
  ])("addNodePool refuses %s", (_name, options, field, value, rule) => {
    expectProblem(() => synth((s) => new AksCluster(s, "aks", base).addNodePool("extra", options as any)), { path: "test/aks/extra", field, value: value as any, rule });
  });
});

import { ClusterAuth } from "../stacks/cluster-stack";
import { ConfigSources, loadConfig, Schema, s } from "./config";
import { backendSettingsFromEnv } from "./backend";
import { DefaultAppConfig } from "./default-app";

const stringList = s.array(s.string());
/** An opt-out of a secure default: `{ "reason": "..." }`. */
const optOut = s.object({ reason: s.string() }, { required: ["reason"] });
/** A planned maintenance window (AksCluster's MaintenanceWindow). */
const maintenanceWindow = s.object(
  {
    schedule: s.object(
      {
        frequency: s.string(["Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly"]),
        dayOfWeek: s.string(),
        weekIndex: s.string(),
        dayOfMonth: s.int(),
        intervalDays: s.int(),
        intervalWeeks: s.int(),
        intervalMonths: s.int(),
      },
      { required: ["frequency"] },
    ),
    startTime: s.string(),
    durationHours: s.int(),
    utcOffset: s.string(),
    startDate: s.string(),
    notAllowed: s.array(s.object({ start: s.string(), end: s.string() }, { required: ["start", "end"] })),
  },
  { required: ["schedule", "startTime"] },
);

/**
 * What the default app can be configured with, in `platform.config.json`, cdktf context
 * `config`, or `AKS_SECRETS__*` environment variables. Every top-level key is optional: the defaults
 * synthesize with no credentials. Objects that describe one thing (a workload, a spoke, an
 * existing HVN, the API server access, the cluster auth) list their required keys. Semantic rules (names, GUIDs, CIDRs, overlaps) are checked by
 * the constructs the values reach, with the same errors as props.
 */
export const DEFAULT_APP_SCHEMA: Schema = s.object({
  platform: s.object({
    namePrefix: s.string(),
    location: s.string(),
    subscriptionId: s.string(),
    tenantId: s.string(),
    resourceGroupName: s.string(),
    vnetName: s.string(),
    nodeSubnetName: s.string(),
    vnetAddressSpace: stringList,
    nodeSubnetCidr: s.string(),
    apiServerAccess: s.object({ mode: s.string(["private", "authorizedIpRanges"]), ranges: stringList, privateDnsZoneId: s.string() }, { required: ["mode"] }),
    cluster: s.object({
      name: s.string(),
      dnsPrefix: s.string(),
      kubernetesVersion: s.string(),
      vmSize: s.string(),
      nodeCount: s.int(1, 1000),
      serviceCidr: s.string(),
      secretRotationInterval: s.string(),
      adminGroupObjectIds: stringList,
      allowWithoutAzurePolicy: optOut,
      automaticUpgradeChannel: s.string(["patch", "stable", "rapid", "node-image", "none"]),
      allowManualUpgrades: optOut,
      nodeOsUpgradeChannel: s.string(["NodeImage", "SecurityPatch", "Unmanaged", "None"]),
      allowUnmanagedNodeOs: optOut,
      maintenanceWindows: s.object({ kubernetes: maintenanceWindow, nodeOs: maintenanceWindow }),
      hostEncryption: s.boolean(),
      osDisk: s.object({ type: s.string(["Managed", "Ephemeral"]), sizeGb: s.int() }, { required: ["type"] }),
      dedicatedSystemPool: s.boolean(),
    }),
    keyVaultName: s.string(),
    keyVaultAuthorization: s.string(["accessPolicy", "rbac"]),
    keyVaultGrantScope: s.string(["vault", "secret"]),
    keyVaultPrivateEndpoint: s.boolean(),
    keyVaultAllowedIpRanges: stringList,
    secrets: stringList,
    workloads: s.array(
      s.object({ name: s.string(), namespace: s.string(), serviceAccountName: s.string(), secrets: stringList, identityName: s.string() }, { required: ["name", "namespace", "serviceAccountName", "secrets"] }),
    ),
    addonReadsSecrets: stringList,
    deployerAccess: s.boolean(),
  }),
  cluster: s.object({
    auth: s.object(
      {
        mode: s.string(["azureCli", "workloadIdentity", "terraformCloud", "managedIdentity"]),
        clientId: s.string(),
        tenantId: s.string(),
      },
      { required: ["mode"] },
    ),
  }),
  demo: s.boolean(),
  demoImage: s.string(),
  hcpVault: s.object({
    enabled: s.boolean(),
    hcp: s.object({
      hvnId: s.string(),
      hvnCidr: s.string(),
      hvnRegion: s.string(),
      spokeName: s.string(),
      vaultClusterId: s.string(),
      vaultTier: s.string(),
      hcpProjectId: s.string(),
      existingHvn: s.object({ hvnId: s.string(), cidrBlock: s.string(), projectId: s.string() }, { required: ["hvnId", "cidrBlock"] }),
      extraSpokes: s.array(
        s.object(
          {
            name: s.string(),
            vnetId: s.string(),
            vnetName: s.string(),
            resourceGroupName: s.string(),
            location: s.string(),
            subscriptionId: s.string(),
            tenantId: s.string(),
            addressRanges: stringList,
          },
          // Every field of HvnSpoke but the optional peering flags (not configurable here).
          { required: ["name", "vnetId", "vnetName", "resourceGroupName", "location", "subscriptionId", "tenantId", "addressRanges"] },
        ),
      ),
    }),
    workloads: s.array(
      s.object(
        {
          name: s.string(),
          namespace: s.string(),
          serviceAccountName: s.string(),
          audiences: stringList,
          secrets: s.array(s.object({ path: s.string(), destination: s.string(), refreshAfter: s.string() }, { required: ["path", "destination"] })),
        },
        { required: ["name", "namespace", "serviceAccountName", "secrets"] },
      ),
    ),
  }),
});

/** The raw shape of {@link DEFAULT_APP_SCHEMA}. */
interface RawConfig {
  platform?: DefaultAppConfig["platform"] & Record<string, unknown>;
  cluster?: { auth?: { mode: Exclude<ClusterAuth["mode"], "localAdmin">; clientId?: string; tenantId?: string } };
  demo?: boolean;
  demoImage?: string;
  hcpVault?: { enabled?: boolean; hcp?: Record<string, unknown>; workloads?: unknown[] };
}

/**
 * Reads the default app's configuration (context, file, environment; see {@link loadConfig})
 * and the Terraform Cloud settings (`TFC_*`), and returns props for `buildDefaultApp`.
 * Invalid configuration throws a ValidationError that names where each bad value came from.
 */
export function loadDefaultAppConfig(sources: ConfigSources = {}): DefaultAppConfig {
  const raw = loadConfig<RawConfig>(DEFAULT_APP_SCHEMA, sources);
  const { enabled, ...hcpVault } = raw.hcpVault ?? {};
  return {
    platform: raw.platform,
    cluster: raw.cluster?.auth ? { auth: raw.cluster.auth as ClusterAuth } : undefined,
    demo: raw.demo,
    demoImage: raw.demoImage,
    hcpVault: enabled === false ? false : (hcpVault as DefaultAppConfig["hcpVault"]),
    backend: backendSettingsFromEnv(sources.env ?? process.env),
  };
}

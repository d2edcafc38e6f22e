import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { Construct } from "constructs";
import { IPrincipal } from "./principal";
import { checkOptOut, isUnresolved, OptOut, parseGoDuration, recordOptOut, Rules, StringRule, Validator } from "../../core/validation";
import { checkCidr, checkCidrList, isTooWide, parseCidr, TOO_WIDE_RANGE_REASON, WIDEST_ALLOWED_PREFIX } from "../../core/cidr";
import { publishFact } from "../../core/facts";
import { AZURE_IDENTITY } from "../../core/facts-azure";
import { CLUSTER } from "../../core/facts-cluster";
import { CSI_PROVIDER } from "../../core/facts-installers";

/**
 * How the API server is reached. AKS requires one of the two to be chosen explicitly:
 * an API server open to the whole internet is not offered.
 */
export type ApiServerAccess =
  /** A private cluster: the API server has only a private endpoint in the cluster's VNet. */
  | { readonly mode: "private"; /** Private DNS zone ID, `System` or `None`. @default "System" */ readonly privateDnsZoneId?: string }
  /** A public endpoint limited to these IPv4 addresses or CIDR blocks, each a /8 or narrower ({@link WIDEST_ALLOWED_PREFIX}). */
  | { readonly mode: "authorizedIpRanges"; readonly ranges: string[] };

export interface AksClusterProps {
  /** Cluster name (1-63 letters, digits, `-`, `_`). */
  readonly name: string;
  readonly resourceGroupName: string;
  /** Azure location, e.g. `westeurope`. */
  readonly location: string;
  /** DNS prefix of the API server FQDN. @default the cluster name, with `_` turned into `-` */
  readonly dnsPrefix?: string;
  /** Subnet (ID) of the default node pool. Azure CNI puts nodes and pods in the VNet. */
  readonly nodeSubnetId: string;
  /** How the API server may be reached: private, or public limited to IP ranges. No default: choose. */
  readonly apiServerAccess: ApiServerAccess;
  /** Entra ID tenant for Kubernetes RBAC. @default the provider's tenant */
  readonly tenantId?: string;
  /** Entra ID groups given cluster-admin through Azure RBAC. @default none */
  readonly adminGroupObjectIds?: string[];
  /** Kubernetes version, `1.30` (AKS picks the latest patch) or `1.30.4`. @default the AKS default at creation */
  readonly kubernetesVersion?: string;
  /** VM size of the default node pool. @default "Standard_D2s_v5" */
  readonly vmSize?: string;
  /** Node count of the default node pool. @default 2 */
  readonly nodeCount?: number;
  /** Name of the default node pool. @default "system" */
  readonly nodePoolName?: string;
  /** Service CIDR; must not overlap the VNet (AKS refuses it). @default "172.16.0.0/16" ({@link AKS_DEFAULT_SERVICE_CIDR}) */
  readonly serviceCidr?: string;
  /** Cluster DNS service IP, inside the service CIDR. @default the 10th address of the service CIDR */
  readonly dnsServiceIp?: string;
  /** Network policy engine. @default "azure" */
  readonly networkPolicy?: "azure" | "calico" | "cilium";
  /**
   * How the Secrets Store CSI driver gets onto the cluster: the AKS Key Vault Secrets Provider
   * add-on (driver + Azure provider, managed by AKS), or `"selfManaged"`: no add-on, the driver
   * and the providers the classes need are installed with Helm by the cluster's
   * {@link SecretsStore} (see `ClusterStack.secretsStore`). The add-on cannot serve the AWS
   * provider; a self-managed driver cannot run beside the add-on.
   * @default "aksAddon"
   */
  readonly secretsStoreCsiDriver?: CsiDriverInstall;
  /** Turn secret rotation of the CSI add-on on (add-on only). @default true */
  readonly secretRotation?: boolean;
  /** How often the CSI driver re-reads mounted secrets, a Go duration (`2m`, `90s`, `1h`), 30s to 24h. @default "2m" */
  readonly secretRotationInterval?: string;
  /**
   * Keep local accounts (the static cluster-admin kubeconfig). This is an opt-out of the
   * secure default: give the reason, it is recorded on the construct.
   * @default local accounts are disabled
   */
  readonly allowLocalAccounts?: OptOut;
  /**
   * Let `terraform destroy` (or a replacing change) delete the cluster. An opt-out: give the reason.
   * A new cluster has a new OIDC issuer URL, so every federated credential and Vault JWT role
   * trusting the old one stops working, and in-cluster state is lost.
   * @default the cluster carries `lifecycle.prevent_destroy`
   */
  readonly allowDestroy?: OptOut;
  /** SKU tier. @default "Standard" */
  readonly skuTier?: "Free" | "Standard" | "Premium";
  readonly tags?: Record<string, string>;
}

/**
 * Who installs the Secrets Store CSI driver on a cluster: the AKS add-on, or Helm releases of
 * this library (`selfManaged`).
 */
export type CsiDriverInstall = "aksAddon" | "selfManaged";

/** The identity of the AKS Key Vault Secrets Provider add-on, as a grantable principal. */
export interface AddonIdentity extends IPrincipal {
  /** ARM ID of the add-on's user-assigned identity (in the node resource group). */
  readonly resourceId: string;
}

const MIN_ROTATION_S = 30;
const MAX_ROTATION_S = 24 * 3600;

/** The service CIDR an {@link AksCluster} gets when `serviceCidr` is not set. */
export const AKS_DEFAULT_SERVICE_CIDR = "172.16.0.0/16";

/** Azure VM size names (`Standard_D2s_v5`, constrained-vCPU sizes such as `Standard_E4-2ds_v5`). */
export const vmSizeRule: StringRule = {
  description: "must be an Azure VM size name such as Standard_D2s_v5: 1-64 letters, digits, '_' and '-', starting with a letter, no spaces (az vm list-sizes -l LOCATION lists them)",
  test: (v) => /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(v),
};

/** Kubernetes versions as AKS takes them: `1.30` (latest patch) or `1.30.4`. */
export const kubernetesVersionRule: StringRule = {
  description: "must be a Kubernetes version such as 1.30 or 1.30.4: major.minor with an optional patch, no leading 'v' (az aks get-versions -l LOCATION lists them)",
  test: (v) => /^\d+\.\d+(\.\d+)?$/.test(v),
};

/** `private_dns_zone_id` of a private cluster: `System`, `None` or the ARM ID of a private DNS zone. */
export const privateDnsZoneIdRule: StringRule = {
  description:
    'must be "System" (AKS creates the zone), "None" (no zone: bring your own DNS) or the ARM ID of a private DNS zone, /subscriptions/SUBSCRIPTION/resourceGroups/GROUP/providers/Microsoft.Network/privateDnsZones/privatelink.REGION.azmk8s.io',
  test: (v) =>
    v === "System" ||
    v === "None" ||
    /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\/resourceGroups\/[-\w._()]+\/providers\/Microsoft\.Network\/privateDnsZones\/[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]$/i.test(v),
};

/**
 * An AKS cluster ready for secret delivery: OIDC issuer and Entra Workload ID on, the
 * Key Vault Secrets Store CSI add-on with rotation (or none: `secretsStoreCsiDriver: "selfManaged"`), local accounts off, Entra ID
 * authentication with Azure RBAC for Kubernetes authorization, Azure CNI, and an API
 * server that is private or limited to authorized IP ranges.
 *
 * Exposes what other constructs need as typed attributes: {@link oidcIssuerUrl} for
 * federated credentials and Vault JWT auth, {@link secretsProviderIdentity} for Key Vault
 * grants in add-on mode, {@link kubeletIdentity}, {@link nameRef}/{@link resourceGroupNameRef}
 * for a consuming stack to read connection details with a data source (cross-stack references),
 * and {@link serviceCidr} for the networks that must not overlap it.
 */
export class AksCluster extends Construct {
  /** The underlying resource (escape hatch). Address stays `azurerm_kubernetes_cluster.<id>_cluster`. */
  public readonly resource: KubernetesCluster;
  /** The cluster name as given (a literal when given as one): for messages, checks and matching. */
  public readonly name: string;
  /** The resource group as given (a literal when given as one). */
  public readonly resourceGroupName: string;
  /**
   * A reference to the cluster resource's `name` attribute (`${azurerm_kubernetes_cluster.X.name}`),
   * not the literal: used from another stack it becomes a cross-stack reference (an output of this
   * stack, an input of that one), so that stack's data sources read the cluster only once it exists.
   */
  public readonly nameRef: string;
  /** A reference to the cluster resource's `resource_group_name` attribute: see {@link nameRef}. */
  public readonly resourceGroupNameRef: string;
  public readonly location: string;
  /**
   * The Kubernetes service CIDR as configured (`serviceCidr`, else {@link AKS_DEFAULT_SERVICE_CIDR}).
   * Networks routed to the cluster's VNet (peerings, the HCP HVN) must not overlap it.
   */
  public readonly serviceCidr: string;
  /** ARM ID of the cluster. */
  public readonly id: string;
  /** OIDC issuer URL: the `issuer` of federated credentials and Vault's JWT discovery URL. */
  public readonly oidcIssuerUrl: string;
  /** Who installs the Secrets Store CSI driver: the add-on (the default) or {@link SecretsStore} with Helm. */
  public readonly secretsStoreCsiDriver: CsiDriverInstall;
  private readonly addonIdentity?: AddonIdentity;
  /** The kubelet identity (pulls images; never grant it secrets). */
  public readonly kubeletIdentity: IPrincipal;
  /** API server FQDN: the private FQDN for a private cluster, the public one otherwise. */
  public readonly apiServerFqdn: string;
  /** True when the API server is private. */
  public readonly privateCluster: boolean;
  /** Tenant used for Entra ID authentication, when given. */
  public readonly tenantId?: string;
  /** Whether local accounts are disabled (the default). */
  public readonly localAccountsDisabled: boolean;
  /** Rotation settings of the CSI add-on, as configured (`{ enabled: false, interval: "" }` without the add-on). */
  public readonly secretRotation: { readonly enabled: boolean; readonly interval: string };

  /**
   * The CSI add-on's own identity (`key_vault_secrets_provider.secret_identity`). A cluster with
   * `secretsStoreCsiDriver: "selfManaged"` has no add-on and no such identity: asking for it
   * throws a {@link ValidationError} (use workload identity).
   */
  get secretsProviderIdentity(): AddonIdentity {
    if (!this.addonIdentity) {
      new Validator(this)
        .fail("secretsProviderIdentity", this.secretsStoreCsiDriver, 'does not exist: the cluster has no Key Vault Secrets Provider add-on (secretsStoreCsiDriver "selfManaged"), so no add-on identity to grant or mount with; use workload identity (a WorkloadIdentity per workload), or keep the add-on')
        .throwIfAny();
    }
    return this.addonIdentity!;
  }

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const v = new Validator(this);
    const dnsPrefix = props.dnsPrefix ?? props.name.replace(/_/g, "-");
    const csiDriver: CsiDriverInstall = props.secretsStoreCsiDriver ?? "aksAddon";
    const addon = csiDriver === "aksAddon";
    const rotationEnabled = addon && (props.secretRotation ?? true);
    const rotationInterval = addon ? (props.secretRotationInterval ?? "2m") : "";
    const serviceCidr = props.serviceCidr ?? AKS_DEFAULT_SERVICE_CIDR;
    const nodePoolName = props.nodePoolName ?? "system";
    const nodeCount = props.nodeCount ?? 2;

    v.rule("name", props.name, Rules.aksClusterName);
    if (props.dnsPrefix !== undefined || Rules.aksClusterName.test(props.name)) {
      v.rule(props.dnsPrefix === undefined ? "dnsPrefix (derived from name: set it)" : "dnsPrefix", dnsPrefix, Rules.aksDnsPrefix);
    }
    v
      .rule("resourceGroupName", props.resourceGroupName, Rules.resourceGroupName)
      .rule("location", props.location, Rules.azureLocation)
      .rule("tenantId", props.tenantId, Rules.guid)
      .rule("nodePoolName", nodePoolName, Rules.aksNodePoolName)
      .rule("vmSize", props.vmSize, vmSizeRule)
      .rule("kubernetesVersion", props.kubernetesVersion, kubernetesVersionRule);
    (props.adminGroupObjectIds ?? []).forEach((g, i) => v.rule(`adminGroupObjectIds[${i}]`, g, Rules.guid));
    v.check(Number.isInteger(nodeCount) && nodeCount >= 1 && nodeCount <= 1000, "nodeCount", nodeCount, "must be a whole number from 1 to 1000");

    v.check(addon || csiDriver === "selfManaged", "secretsStoreCsiDriver", props.secretsStoreCsiDriver, 'must be "aksAddon" (the AKS Key Vault Secrets Provider add-on) or "selfManaged" (Helm releases of the driver and providers)');
    if (csiDriver === "selfManaged") {
      for (const field of ["secretRotation", "secretRotationInterval"] as const) {
        if (props[field] !== undefined) {
          v.fail(field, props[field], 'configures the AKS add-on, which secretsStoreCsiDriver "selfManaged" turns off: set rotation on the self-managed driver instead (ClusterStack secretsStore.driver: rotationPollInterval, disableSecretRotation)');
        }
      }
    }
    if (addon && !isUnresolved(rotationInterval)) {
      const seconds = parseGoDuration(rotationInterval);
      if (seconds === undefined) {
        v.fail("secretRotationInterval", rotationInterval, "must be a Go duration such as 2m, 90s or 1h30m");
      } else if (seconds < MIN_ROTATION_S || seconds > MAX_ROTATION_S) {
        v.fail(
          "secretRotationInterval",
          rotationInterval,
          "must be from 30s to 24h: shorter polling multiplies Key Vault reads per mounted pod and runs into Key Vault throttling",
        );
      }
    }

    const access = props.apiServerAccess as ApiServerAccess | undefined;
    if (!access || (access.mode !== "private" && access.mode !== "authorizedIpRanges")) {
      v.fail("apiServerAccess", (access as { mode?: string } | undefined)?.mode, 'must be { mode: "private" } or { mode: "authorizedIpRanges", ranges: [...] }: a public API server open to every address is not offered');
    } else if (access.mode === "private") {
      v.rule("apiServerAccess.privateDnsZoneId", access.privateDnsZoneId, privateDnsZoneIdRule);
      const ranges = (access as { ranges?: unknown }).ranges;
      if (ranges !== undefined && !(Array.isArray(ranges) && ranges.length === 0)) {
        v.fail("apiServerAccess.ranges", ranges, 'applies only to mode "authorizedIpRanges": a private cluster has no public endpoint to restrict, so the ranges would be ignored; remove them, or use { mode: "authorizedIpRanges", ranges }');
      }
    } else if (access.mode === "authorizedIpRanges") {
      const zone = (access as { privateDnsZoneId?: unknown }).privateDnsZoneId;
      if (zone !== undefined) {
        v.fail("apiServerAccess.privateDnsZoneId", zone, 'applies only to mode "private": an API server reached on authorized IP ranges has a public FQDN and no private DNS zone, so it would be ignored; remove it, or use { mode: "private", privateDnsZoneId }');
      }
      if (!access.ranges || access.ranges.length === 0) {
        v.fail("apiServerAccess.ranges", access.ranges ?? [], "must list at least one IPv4 address or CIDR block");
      } else {
        checkCidrList(v, "apiServerAccess.ranges", access.ranges, { allowBareAddress: true, allowOverlap: true });
        // The limit of the security rule AKSS-AKS3, checked here so the input fails at once, on this field.
        access.ranges.forEach((r, i) => {
          const n = isUnresolved(r) ? undefined : parseCidr(r, { allowBareAddress: true });
          if (n && isTooWide(n)) {
            v.fail(
              `apiServerAccess.ranges[${i}]`,
              r,
              `is ${TOO_WIDE_RANGE_REASON} (it opens the API server to ${n.prefix === 0 ? "every address" : `${(n.end - n.start + 1).toLocaleString("en-US")} addresses`}); use private mode or ranges of a /${WIDEST_ALLOWED_PREFIX} or narrower`,
            );
          }
        });
      }
    }

    const svc = checkCidr(v, "serviceCidr", serviceCidr);
    const dnsServiceIp = props.dnsServiceIp ?? (svc ? intToIp(svc.start + 10) : undefined);
    if (svc && dnsServiceIp && !isUnresolved(dnsServiceIp)) {
      const ip = parseCidr(dnsServiceIp, { allowBareAddress: true });
      v.check(!!ip && ip.prefix === 32 && ip.start > svc.start && ip.end < svc.end, "dnsServiceIp", dnsServiceIp, `must be an address inside serviceCidr ${serviceCidr}, other than its first and last`);
    }
    checkOptOut(v, "allowDestroy.reason", props.allowDestroy);
    checkOptOut(v, "allowLocalAccounts.reason", props.allowLocalAccounts);
    v.throwIfAny();

    const api = access as ApiServerAccess;
    const isPrivate = api.mode === "private";
    this.resource = new KubernetesCluster(this, "cluster", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      dnsPrefix,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? "Standard",
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      localAccountDisabled: !props.allowLocalAccounts,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: props.adminGroupObjectIds,
      },
      privateClusterEnabled: isPrivate,
      privateDnsZoneId: api.mode === "private" ? api.privateDnsZoneId ?? "System" : undefined,
      apiServerAccessProfile: api.mode === "authorizedIpRanges" ? { authorizedIpRanges: api.ranges } : undefined,
      identity: { type: "SystemAssigned" },
      defaultNodePool: {
        name: nodePoolName,
        vmSize: props.vmSize ?? "Standard_D2s_v5",
        nodeCount,
        vnetSubnetId: props.nodeSubnetId,
        onlyCriticalAddonsEnabled: false,
        upgradeSettings: { maxSurge: "10%" },
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPolicy: props.networkPolicy ?? "azure",
        serviceCidr,
        dnsServiceIp,
      },
      // No block: no add-on (the self-managed driver must not run beside it).
      keyVaultSecretsProvider: addon
        ? {
            secretRotationEnabled: rotationEnabled,
            secretRotationInterval: rotationEnabled ? rotationInterval : undefined,
          }
        : undefined,
      tags: props.tags,
      lifecycle: { preventDestroy: !props.allowDestroy },
    });
    recordOptOut(this, "destroy", props.allowDestroy);
    recordOptOut(this, "localAccounts", props.allowLocalAccounts);

    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.nameRef = this.resource.name;
    this.resourceGroupNameRef = this.resource.resourceGroupName;
    this.serviceCidr = serviceCidr;
    this.location = props.location;
    this.id = this.resource.id;
    this.oidcIssuerUrl = this.resource.oidcIssuerUrl;
    this.privateCluster = isPrivate;
    this.tenantId = props.tenantId;
    this.localAccountsDisabled = !props.allowLocalAccounts;
    this.secretRotation = { enabled: rotationEnabled, interval: rotationInterval };
    this.apiServerFqdn = isPrivate ? this.resource.privateFqdn : this.resource.fqdn;
    this.secretsStoreCsiDriver = csiDriver;
    if (addon) {
      const identity = this.resource.keyVaultSecretsProvider.secretIdentity.get(0);
      this.addonIdentity = {
        principalId: identity.objectId,
        clientId: identity.clientId,
        resourceId: identity.userAssignedIdentityId,
        principalKind: "csi-addon",
        owner: this,
      };
    }
    this.kubeletIdentity = {
      principalId: this.resource.kubeletIdentity.objectId,
      clientId: this.resource.kubeletIdentity.clientId,
      principalKind: "kubelet",
      owner: this,
    };
    // For the verification layer: a cluster (its own issuer) whose nodes carry these two identities.
    publishFact(this, CLUSTER, { issuer: this, name: this.name, resourceGroupName: this.resourceGroupName });
    if (this.addonIdentity) publishFact(this, AZURE_IDENTITY, { identity: this.addonIdentity, federated: false, nodesOf: this });
    // The add-on runs the Azure provider on this cluster's nodes.
    if (addon) publishFact(this, CSI_PROVIDER, { provider: "azure", label: `the AKS add-on's Azure provider (cluster ${this.node.path})`, cluster: this });
    publishFact(this, AZURE_IDENTITY, { identity: this.kubeletIdentity, federated: false, nodesOf: this });
  }
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

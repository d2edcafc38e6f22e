import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Fn, TerraformIterator, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { AKS_DEFAULT_SERVICE_CIDR, AksCluster, AksClusterProps, ApiServerAccess } from "../constructs/azure/aks-cluster";
import { KeyVault, KeyVaultAuthorization } from "../constructs/azure/key-vault";
import { IPrincipal } from "../constructs/azure/principal";
import { isUnresolved, Rules, Validator } from "../core/validation";
import { checkCidr, checkCidrList, contains, overlaps, parseCidr } from "../core/cidr";
import { WorkloadIdentity } from "../constructs/azure/workload-identity";

/** A workload whose pods read Key Vault secrets through their own identity. */
export interface PlatformWorkload {
  /** Short name; the identity is named `id-PREFIX-NAME`. */
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** Key Vault secrets (names) the workload reads. */
  readonly secrets: string[];
}

export interface PlatformStackProps {
  /** Prefix of every resource name. @default "secrets" */
  readonly namePrefix?: string;
  /** Azure location. @default "westeurope" */
  readonly location?: string;
  /** Subscription to deploy into. @default ARM_SUBSCRIPTION_ID from the environment at plan time */
  readonly subscriptionId?: string;
  /** Entra ID tenant of the vault and the cluster. @default the tenant Terraform signs in to (`azurerm_client_config`) */
  readonly tenantId?: string;
  /** Resource group name. @default `rg-PREFIX` */
  readonly resourceGroupName?: string;
  /** Address space of the spoke VNet. @default ["10.20.0.0/16"] */
  readonly vnetAddressSpace?: string[];
  /** Node subnet, inside the VNet. @default "10.20.0.0/22" */
  readonly nodeSubnetCidr?: string;
  /** How the API server is reached. @default { mode: "private" } */
  readonly apiServerAccess?: ApiServerAccess;
  /** Further cluster settings. @default AksCluster defaults */
  readonly cluster?: Partial<Omit<AksClusterProps, "name" | "resourceGroupName" | "location" | "nodeSubnetId" | "apiServerAccess" | "tenantId">> & { readonly name?: string };
  /** Key Vault name (globally unique, 3-24). @default `kv-PREFIX-` + 6 hex characters of the resource group ID's hash (unique per subscription and group) */
  readonly keyVaultName?: string;
  /** Key Vault authorization model. @default "accessPolicy" (what the walkthroughs use) */
  readonly keyVaultAuthorization?: KeyVaultAuthorization;
  /** Addresses allowed through the Key Vault firewall, e.g. the secret owners' workstations. @default none */
  readonly keyVaultAllowedIpRanges?: string[];
  /** Secrets the vault holds, declared by name (values are set out of band). @default the demo workload's */
  readonly secrets?: string[];
  /** Workloads with their own identity. @default one demo workload reading two secrets */
  readonly workloads?: PlatformWorkload[];
  /**
   * Grant the CSI add-on's own identity read access to these secrets (the walkthroughs' mode).
   * The add-on identity is on every node: any pod that can create a SecretProviderClass can use
   * it, and in `accessPolicy` mode its grant covers the whole vault. Prefer workload identities.
   * @default the demo workload's secrets when there is a workload named "demo", else none
   */
  readonly addonReadsSecrets?: string[];
  /**
   * Give the identity running Terraform what the next steps need, local accounts being off:
   * *Azure Kubernetes Service RBAC Cluster Admin* on the cluster (to apply the cluster stacks and
   * run kubectl) and the right to write the Key Vault secret values (out of band). `false`
   * grants neither: give access another way (`cluster.adminGroupObjectIds`, `keyVault.grantSecretWrite`).
   * @default true
   */
  readonly deployerAccess?: boolean;
  /**
   * Name of a Terraform variable of this stack (a list of principal object IDs, empty by
   * default) whose principals get *Azure Kubernetes Service RBAC Cluster Admin* and *Azure
   * Kubernetes Service Cluster User Role* on the cluster, as the deployer does. This is how the
   * Terraform Cloud bootstrap (`TerraformCloudBootstrapStack`) hands the cluster workspaces'
   * identity to the stack that creates the cluster: it sets the variable on this workspace.
   * @default - no such variable
   */
  readonly clusterOperatorsVariable?: string;
  readonly tags?: Record<string, string>;
}

/** The built-in role that is cluster-admin through Azure RBAC for Kubernetes. */
export const AKS_RBAC_CLUSTER_ADMIN = "Azure Kubernetes Service RBAC Cluster Admin";
/** The built-in role that may read the cluster's user kubeconfig (what the cluster stacks' data source reads). */
export const AKS_CLUSTER_USER = "Azure Kubernetes Service Cluster User Role";

export const DEMO_WORKLOAD: PlatformWorkload = {
  name: "demo",
  namespace: "demo",
  serviceAccountName: "demo-app",
  secrets: ["demo-username", "demo-password"],
};

/**
 * The Azure side of the platform: resource group, spoke VNet and node subnet (with the Key
 * Vault service endpoint), the AKS cluster, the Key Vault and its secrets (declared by
 * name), one workload identity per workload with its federated credential and
 * least-privilege read grant, and a read grant for the CSI add-on's own identity.
 */
export class PlatformStack extends TerraformStack {
  public readonly resourceGroup: ResourceGroup;
  public readonly vnet: VirtualNetwork;
  public readonly nodeSubnet: Subnet;
  public readonly cluster: AksCluster;
  public readonly keyVault: KeyVault;
  /** Workload identities by workload name. */
  public readonly workloadIdentities: ReadonlyMap<string, WorkloadIdentity>;
  public readonly workloads: readonly PlatformWorkload[];
  public readonly namePrefix: string;
  public readonly location: string;
  public readonly tenantId: string;
  /** The subscription given in props (other stacks deploying next to this one use it too). */
  public readonly subscriptionId?: string;
  /** The identity running Terraform, when `deployerAccess` is on. */
  public readonly deployer?: IPrincipal;

  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id);
    const prefix = props.namePrefix ?? "secrets";
    const location = props.location ?? "westeurope";
    const addressSpace = props.vnetAddressSpace ?? ["10.20.0.0/16"];
    const nodeSubnetCidr = props.nodeSubnetCidr ?? "10.20.0.0/22";
    const workloads = props.workloads ?? [DEMO_WORKLOAD];

    const v = new Validator(this)
      .rule("namePrefix", prefix, { description: "must be 1-20 lowercase letters, digits and hyphens, starting with a letter", test: (s) => /^[a-z][a-z0-9-]{0,19}$/.test(s) })
      .rule("subscriptionId", props.subscriptionId, Rules.guid)
      .rule("tenantId", props.tenantId, Rules.guid)
      .rule("resourceGroupName", props.resourceGroupName, Rules.resourceGroupName);
    const spaces = checkCidrList(v, "vnetAddressSpace", addressSpace);
    const subnet = checkCidr(v, "nodeSubnetCidr", nodeSubnetCidr);
    if (subnet && spaces.length === addressSpace.length && !spaces.some((s) => contains(s, subnet))) {
      v.fail("nodeSubnetCidr", nodeSubnetCidr, `must lie inside the VNet address space ${addressSpace.join(", ")}`);
    }
    // AKS refuses a service CIDR that overlaps the cluster's VNet, but only at apply: check it here.
    // A malformed one is reported by the AksCluster (field serviceCidr).
    const serviceCidr = props.cluster?.serviceCidr ?? AKS_DEFAULT_SERVICE_CIDR;
    const svc = isUnresolved(serviceCidr) ? undefined : parseCidr(serviceCidr);
    const svcClash = svc && spaces.find((n) => overlaps(n, svc));
    if (svcClash) {
      v.fail(
        props.cluster?.serviceCidr === undefined ? "cluster.serviceCidr (default)" : "cluster.serviceCidr",
        serviceCidr,
        `overlaps the VNet address space ${svcClash.cidr}: AKS refuses a service CIDR that overlaps the cluster's VNet (at apply); set cluster.serviceCidr to a private range outside the VNet, such as 192.168.0.0/20, or move the VNet`,
      );
    }
    const names = new Set<string>();
    workloads.forEach((w, i) => {
      const f = `workloads[${i}]`;
      if (typeof w !== "object" || w === null) return void v.fail(f, w, "must be a workload { name, namespace, serviceAccountName, secrets }");
      if (typeof w.name !== "string" || w.name === "") {
        v.fail(`${f}.name`, w.name, "is required: the workload's short name (its identity is named id-PREFIX-NAME)");
      } else {
        v.check(/^[a-z][a-z0-9-]{0,30}$/.test(w.name), `workloads[${i}].name`, w.name, "must be 1-31 lowercase letters, digits and hyphens, starting with a letter");
        v.check(!names.has(w.name), `workloads[${i}].name`, w.name, "is used by another workload: workload names are unique");
        names.add(w.name);
      }
      v.check(typeof w.namespace === "string" && w.namespace !== "", `${f}.namespace`, w.namespace, "is required: the Kubernetes namespace of the workload's service account");
      v.check(typeof w.serviceAccountName === "string" && w.serviceAccountName !== "", `${f}.serviceAccountName`, w.serviceAccountName, "is required: the service account the workload's pods run as (its federated credential's subject)");
      if (!Array.isArray(w.secrets)) v.fail(`${f}.secrets`, w.secrets, "is required: the list of Key Vault secret names the workload reads");
      else v.check(w.secrets.length > 0, `workloads[${i}].secrets`, w.secrets, "must name at least one secret");
    });
    v.throwIfAny();

    this.namePrefix = prefix;
    this.location = location;
    this.workloads = workloads;
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: props.subscriptionId });
    this.subscriptionId = props.subscriptionId;
    const deployerAccess = props.deployerAccess ?? true;
    const current = props.tenantId === undefined || deployerAccess ? new DataAzurermClientConfig(this, "current") : undefined;
    this.tenantId = props.tenantId ?? current!.tenantId;

    this.resourceGroup = new ResourceGroup(this, "rg", { name: props.resourceGroupName ?? `rg-${prefix}`, location, tags: props.tags });
    const rgName = this.resourceGroup.name;
    this.vnet = new VirtualNetwork(this, "vnet", { name: `vnet-${prefix}`, location, resourceGroupName: rgName, addressSpace, tags: props.tags });
    this.nodeSubnet = new Subnet(this, "nodes", {
      name: "snet-aks-nodes",
      resourceGroupName: rgName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [nodeSubnetCidr],
      // The CSI driver on the nodes reaches the vault through its firewall via this endpoint.
      serviceEndpoints: ["Microsoft.KeyVault"],
    });

    const clusterName = props.cluster?.name ?? `aks-${prefix}`;
    this.cluster = new AksCluster(this, "cluster", {
      ...props.cluster,
      name: clusterName,
      resourceGroupName: rgName,
      location,
      nodeSubnetId: this.nodeSubnet.id,
      apiServerAccess: props.apiServerAccess ?? { mode: "private" },
      tenantId: props.tenantId,
      tags: props.tags,
    });

    this.keyVault = new KeyVault(this, "keyvault", {
      name: props.keyVaultName ?? defaultVaultName(prefix, this.resourceGroup.id),
      resourceGroupName: rgName,
      location,
      tenantId: this.tenantId,
      authorization: props.keyVaultAuthorization ?? "accessPolicy",
      allowedIpRanges: props.keyVaultAllowedIpRanges,
      allowedSubnetIds: [this.nodeSubnet.id],
      secrets: props.secrets ?? workloads.flatMap((w) => w.secrets),
      tags: props.tags,
    });

    const identities = new Map<string, WorkloadIdentity>();
    for (const w of workloads) {
      const identity = new WorkloadIdentity(this, `workload-${w.name}`, {
        name: `id-${prefix}-${w.name}`,
        resourceGroupName: rgName,
        location,
        issuer: this.cluster,
        serviceAccounts: [{ namespace: w.namespace, name: w.serviceAccountName }],
        tags: props.tags,
      });
      this.keyVault.grantSecretRead(identity, { secrets: w.secrets });
      identities.set(w.name, identity);
      new TerraformOutput(this, `workload-${w.name}-client-id`, { value: identity.clientId, description: `Client ID of workload ${w.name}` });
    }
    this.workloadIdentities = identities;

    const addonSecrets = props.addonReadsSecrets ?? workloads.find((w) => w.name === DEMO_WORKLOAD.name)?.secrets ?? [];
    if (addonSecrets.length > 0) this.keyVault.grantSecretRead(this.cluster.secretsProviderIdentity, { secrets: addonSecrets });

    if (deployerAccess && current) {
      const deployer: IPrincipal = { principalId: current.objectId, clientId: current.clientId, principalKind: "deployer", owner: current };
      this.deployer = deployer;
      new RoleAssignment(this, "deployer-cluster-admin", {
        scope: this.cluster.id,
        roleDefinitionName: AKS_RBAC_CLUSTER_ADMIN,
        principalId: deployer.principalId,
        description: "The identity deploying the platform applies the cluster stacks (local accounts are disabled)",
      });
      this.keyVault.grantSecretWrite(deployer, { reason: "the identity deploying the platform writes the secret values out of band" });
    }

    if (props.clusterOperatorsVariable !== undefined) {
      new Validator(this)
        .check(typeof props.clusterOperatorsVariable === "string" && /^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(props.clusterOperatorsVariable), "clusterOperatorsVariable", props.clusterOperatorsVariable, "must be a Terraform variable name: letters, digits, '_' and '-', starting with a letter or '_'")
        .throwIfAny();
      const operators = new TerraformVariable(this, props.clusterOperatorsVariable, {
        type: "list(string)",
        default: [],
        description: "Object IDs of principals (the cluster workspaces' identity) that apply the cluster stacks: AKS RBAC Cluster Admin and Cluster User on the cluster",
      });
      for (const [id, role] of [["cluster-operators-admin", AKS_RBAC_CLUSTER_ADMIN], ["cluster-operators-user", AKS_CLUSTER_USER]] as const) {
        const each = TerraformIterator.fromList(operators.listValue);
        new RoleAssignment(this, id, { forEach: each, scope: this.cluster.id, roleDefinitionName: role, principalId: each.value, principalType: "ServicePrincipal" });
      }
    }

    new TerraformOutput(this, "cluster-name", { value: this.cluster.name });
    new TerraformOutput(this, "resource-group-name", { value: rgName });
    new TerraformOutput(this, "oidc-issuer-url", { value: this.cluster.oidcIssuerUrl });
    new TerraformOutput(this, "key-vault-name", { value: this.keyVault.name });
    new TerraformOutput(this, "csi-addon-client-id", { value: this.cluster.secretsProviderIdentity.clientId });
  }
}

/**
 * `kv-` + prefix (trimmed) + the first 6 hex characters of the SHA-1 of `scopeId`, computed by
 * Terraform: given the resource group's ARM ID (which holds the subscription), every
 * subscription and group gets its own name, as Key Vault's global DNS names require, and the
 * name stays the same on every apply. 24 characters at most.
 */
export function defaultVaultName(prefix: string, scopeId: string): string {
  const stem = prefix.replace(/[^a-z0-9]/g, "").slice(0, 14) || "vault";
  return `kv-${stem}-${Fn.substr(Fn.sha1(scopeId), 0, 6)}`;
}

// The Terraform Cloud (HCP Terraform) bootstrap: the workspaces of an app's stacks, their trust
// and their credentials, as code. Deployed once, from a workstation (local state), before the
// other stacks; afterwards every stack runs in its own workspace with dynamic credentials and no
// secret anywhere. Loads @cdktf/provider-tfe, an optional peer: import it from
// `aks-secrets-platform/terraform-cloud`, not from the package root.
import { DirectoryRole } from "@cdktf/provider-azuread/lib/directory-role";
import { DirectoryRoleAssignment } from "@cdktf/provider-azuread/lib/directory-role-assignment";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { DataHcpProject } from "@cdktf/provider-hcp/lib/data-hcp-project";
import { HcpProvider } from "@cdktf/provider-hcp/lib/provider";
import { AgentPool } from "@cdktf/provider-tfe/lib/agent-pool";
import { AgentPoolAllowedWorkspaces } from "@cdktf/provider-tfe/lib/agent-pool-allowed-workspaces";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { CloudBackend, Fn, Lazy, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { problemMessage, Rules, Validator } from "../core/validation";
import { TfcAzureRunIdentity } from "../constructs/terraform-cloud/azure-run-identity";
import { TfcHcpRunIdentity } from "../constructs/terraform-cloud/hcp-run-identity";
import { TFC_AZURE_AUDIENCE, TFC_DEFAULT_PROJECT, TFC_VAULT_AUTH_PATH, tfcVaultRole, TfcWorkspaceAddress } from "../constructs/terraform-cloud/run-subject";
import { TfcVaultRunTrust } from "../constructs/terraform-cloud/vault-run-trust";
import { BackendSettings, isBootstrapStack, markBootstrapStack, TFC_CLUSTER_PRINCIPALS_VARIABLE, workspaceName } from "./backend";

/** How a workspace's runs execute: on HCP Terraform's hosted runners, or on an agent of the pool. */
export type TfcExecutionMode = "remote" | "agent";

/** The trust boundaries of an app's stacks, each with its own Azure identity (least privilege). */
export type TfcTrustBoundary =
  /** Azure resources, their role assignments (Key Vault grants, the deployer's access). */
  | "platform"
  /** HVN, peering: HCP, and in Azure the peering's service principal, custom role and its assignment. */
  | "hcp"
  /** In-cluster resources through the API server: roles on the one cluster only, granted by the platform stack. */
  | "cluster"
  /** Vault only (vault-config): no Azure identity, Vault dynamic credentials. */
  | "vault";


export interface TerraformCloudBootstrapStackProps {
  /** The same settings the app's `configureBackends` uses: organization (required), prefix, project, host. */
  readonly backend: BackendSettings;
  /** The stacks that get a workspace. @default - every other stack of the app */
  readonly stacks?: readonly TerraformStack[];
  /**
   * The subscription and tenant the Azure stacks deploy to (`ARM_SUBSCRIPTION_ID`, `ARM_TENANT_ID`).
   * @default - those the bootstrap is applied in (`az login`), read with data.azurerm_client_config
   */
  readonly azure?: { readonly subscriptionId: string; readonly tenantId: string };
  /**
   * HCP project of the stacks with an hcp provider, whose workspaces get HCP dynamic credentials.
   * @default - the hcp provider's project when the bootstrap is applied (HCP_PROJECT_ID)
   */
  readonly hcpProjectId?: string;
  /**
   * Vault dynamic credentials of the stacks with a Vault provider: the JWT role and auth mount
   * their runs log in with (create them with `TfcVaultTrust` in the vault-config stack) and,
   * when known, the Vault address. @default - role "tfc-<workspace>", mount "tfc", namespace "admin"
   */
  readonly vault?: { readonly address?: string; readonly namespace?: string; readonly authPath?: string; readonly role?: string };
  /** Execution mode per stack id. @default - "agent" for stacks with a kubernetes, helm or vault provider (private API server and Vault), "remote" otherwise */
  readonly executionModes?: Readonly<Record<string, TfcExecutionMode>>;
  /** The agent pool of the private-network stacks. @default "<prefix>private-network" */
  readonly agentPoolName?: string;
}

/** One workspace of the bootstrap: the stack it runs, its name, boundary and mode. */
export interface TfcWorkspacePlan {
  readonly stack: TerraformStack;
  readonly name: string;
  readonly boundary: TfcTrustBoundary;
  readonly executionMode: TfcExecutionMode;
  readonly workspace: Workspace;
  readonly settings: WorkspaceSettings;
}

/** Roles that may create role assignments and definitions. */
const CAN_GRANT = new Set(["Owner", "User Access Administrator", "Role Based Access Control Administrator"]);
/** Roles that may create resources. */
const CAN_CREATE = new Set(["Owner", "Contributor"]);

/** Terraform types of the resources (not data sources) of a stack. */
function resourceTypes(stack: TerraformStack): string[] {
  const types = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(c) && !(c instanceof TerraformDataSource)) types.add((c as TerraformResource).terraformResourceType);
  }
  return [...types].sort();
}

/** Terraform types of a stack's providers. */
function providerTypes(stack: TerraformStack): Set<string> {
  const types = new Set<string>();
  const visit = (c: IConstruct) => {
    const t = (c as { terraformResourceType?: unknown; terraformProviderSource?: unknown }).terraformResourceType;
    if ((c as { terraformProviderSource?: unknown }).terraformProviderSource !== undefined && typeof t === "string") types.add(t);
    for (const child of c.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return types;
}

/** The boundary of a stack, from the providers it talks to. */
function boundaryOf(types: Set<string>): TfcTrustBoundary {
  if (types.has("hcp")) return "hcp";
  if (types.has("kubernetes") || types.has("helm")) return "cluster";
  if (types.has("azurerm") || types.has("azuread")) return "platform";
  return "vault";
}

/** Producer stack path -> the stacks that read its outputs (cdktf's cross-stack references, known once the stacks are prepared). */
function remoteStateConsumers(stacks: readonly TerraformStack[]): Map<string, TerraformStack[]> {
  const out = new Map<string, TerraformStack[]>();
  for (const consumer of stacks) {
    // cdktf keeps the terraform_remote_state data source of each producer a stack reads, by the producer's path.
    const sources = (consumer as unknown as { crossStackDataSources?: Record<string, unknown> }).crossStackDataSources ?? {};
    for (const producerPath of Object.keys(sources)) {
      const list = out.get(producerPath) ?? [];
      list.push(consumer);
      out.set(producerPath, list);
    }
  }
  return out;
}

/**
 * The bootstrap stack: the HCP Terraform project, one workspace per stack of the app, named as
 * the stacks' cloud blocks name them (the same `workspaceName`), remote-state sharing exactly
 * from each producer to the stacks that read its outputs, execution on an agent pool for the
 * stacks that need the private network, and dynamic provider credentials per trust boundary:
 * an Entra application per boundary with federated credentials for each workspace's plan and
 * apply subjects and the roles its stacks need, HCP workload identity for the hcp stack, and
 * the variables that turn them on. Its own state stays local: it creates the workspaces.
 */
export class TerraformCloudBootstrapStack extends TerraformStack {
  readonly organization: string;
  readonly project: string;
  readonly workspaces: readonly TfcWorkspacePlan[];
  /** The Azure identity of each boundary that has one. */
  readonly azureIdentities: ReadonlyMap<TfcTrustBoundary, TfcAzureRunIdentity>;
  readonly hcpIdentities: readonly TfcHcpRunIdentity[];
  readonly agentPool?: AgentPool;
  private readonly vault?: TerraformCloudBootstrapStackProps["vault"];

  constructor(scope: Construct, id: string, props: TerraformCloudBootstrapStackProps) {
    super(scope, id);
    markBootstrapStack(this);
    this.vault = props?.vault;
    const v = new Validator(this);
    const settings = props?.backend ?? {};
    v.check(typeof settings.organization === "string" && settings.organization.length > 0, "backend.organization", settings.organization, "is required: the organization the workspaces are created in (TFC_ORGANIZATION)");
    if (props?.azure !== undefined) {
      v.check(typeof props.azure?.subscriptionId === "string", "azure.subscriptionId", props.azure?.subscriptionId, "is required with azure: ARM_SUBSCRIPTION_ID of the workspaces").rule("azure.subscriptionId", typeof props.azure?.subscriptionId === "string" ? props.azure.subscriptionId : undefined, Rules.guid);
      v.check(typeof props.azure?.tenantId === "string", "azure.tenantId", props.azure?.tenantId, "is required with azure: ARM_TENANT_ID of the workspaces").rule("azure.tenantId", typeof props.azure?.tenantId === "string" ? props.azure.tenantId : undefined, Rules.guid);
    }
    for (const [stackId, mode] of Object.entries(props?.executionModes ?? {})) {
      v.check(mode === "remote" || mode === "agent", `executionModes.${stackId}`, mode, 'must be "remote" or "agent"');
    }
    v.throwIfAny();
    const organization = settings.organization!;
    this.organization = organization;
    this.project = settings.project ?? TFC_DEFAULT_PROJECT;
    const stacks = props.stacks ?? this.node.root.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c) && c !== this && !isBootstrapStack(c));
    const unknown = Object.keys(props.executionModes ?? {}).filter((k) => !stacks.some((s) => s.node.id === k));
    for (const k of unknown) v.fail(`executionModes.${k}`, props.executionModes![k], `names no stack of the app (stacks: ${stacks.map((s) => s.node.id).join(", ")})`);
    v.throwIfAny();

    new TfeProvider(this, "tfe", { hostname: settings.hostname, organization });
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: props.azure?.subscriptionId, tenantId: props.azure?.tenantId });
    const current = props.azure ? undefined : new DataAzurermClientConfig(this, "current");
    const azure = props.azure ?? { subscriptionId: current!.subscriptionId, tenantId: current!.tenantId };
    new AzureadProvider(this, "azuread", { tenantId: azure.tenantId });

    const projectId = settings.project
      ? new Project(this, "project", { name: settings.project, organization, description: "Stacks of the AKS secrets platform, one workspace each" }).id
      : new DataTfeProject(this, "project", { name: TFC_DEFAULT_PROJECT, organization }).id;

    const plans: TfcWorkspacePlan[] = [];
    const byPath = new Map<string, TfcWorkspacePlan>();
    for (const stack of stacks) {
      const types = providerTypes(stack);
      const boundary = boundaryOf(types);
      const executionMode = props.executionModes?.[stack.node.id] ?? (types.has("kubernetes") || types.has("helm") || types.has("vault") ? "agent" : "remote");
      const name = workspaceName(stack, settings);
      const workspace = new Workspace(this, `workspace-${stack.node.id}`, { name, organization, projectId, description: `cdktf stack ${stack.node.path}` });
      const plan: TfcWorkspacePlan = { stack, name, boundary, executionMode, workspace, settings: undefined as unknown as WorkspaceSettings };
      plans.push(plan);
      byPath.set(stack.node.path, plan);
    }
    const agentWorkspaces = plans.filter((p) => p.executionMode === "agent");
    if (agentWorkspaces.length > 0) {
      this.agentPool = new AgentPool(this, "agent-pool", { name: props.agentPoolName ?? `${settings.workspacePrefix ?? ""}private-network`, organization, organizationScoped: false });
      new AgentPoolAllowedWorkspaces(this, "agent-pool-workspaces", { agentPoolId: this.agentPool.id, allowedWorkspaceIds: agentWorkspaces.map((p) => p.workspace.id) });
    }
    // Sharing from each producer to exactly the stacks that read its outputs: cdktf creates the
    // cross-stack references when the app is synthesized (after every stack is prepared), so the
    // list is computed then.
    // (Not cached: a resolve before every stack is prepared would see too few.)
    const consumersOf = (p: TfcWorkspacePlan) => remoteStateConsumers(stacks).get(p.stack.node.path) ?? [];
    for (const p of plans) {
      (p as { settings: WorkspaceSettings }).settings = new WorkspaceSettings(this, `settings-${p.stack.node.id}`, {
        workspaceId: p.workspace.id,
        executionMode: p.executionMode,
        agentPoolId: p.executionMode === "agent" ? this.agentPool!.id : undefined,
        globalRemoteState: false,
        remoteStateConsumerIds: Lazy.listValue({ produce: () => consumersOf(p).map((c) => byPath.get(c.node.path)?.workspace.id).filter((x): x is string => !!x) }),
      });
    }
    this.workspaces = plans;

    // Azure: one identity per boundary, trusted by the plan and apply runs of its workspaces.
    const sub = `/subscriptions/${azure.subscriptionId}`;
    const identities = new Map<TfcTrustBoundary, TfcAzureRunIdentity>();
    const ROLES: Record<Exclude<TfcTrustBoundary, "vault">, { role: string; scope: string; reason: string }[]> = {
      platform: [
        { role: "Contributor", scope: sub, reason: "resource group, VNet, AKS cluster, Key Vault, user-assigned identities and their federated credentials" },
        { role: "Role Based Access Control Administrator", scope: sub, reason: "the Key Vault read grants, the add-on's and the deployer's role assignments" },
      ],
      hcp: [
        { role: "Reader", scope: sub, reason: "reads the spoke VNets the HVN peers with" },
        { role: "User Access Administrator", scope: sub, reason: "the custom peering role definition on each spoke VNet and its assignment to HCP's service principal" },
      ],
      // The cluster workspaces' roles are on the one cluster, which exists only after the platform
      // stack: the platform stack grants them (variable tfc_cluster_principal_ids), not the bootstrap.
      cluster: [],
    };
    for (const boundary of ["platform", "hcp", "cluster"] as const) {
      const members = plans.filter((p) => p.boundary === boundary);
      if (members.length === 0) continue;
      const identity = new TfcAzureRunIdentity(this, `azure-${boundary}`, {
        displayName: `hcp-terraform-${organization}-${settings.workspacePrefix ?? ""}${boundary}`.slice(0, 120),
        workspaces: members.map((p): TfcWorkspaceAddress => ({ organization, project: this.project, workspace: p.name })),
        hostname: settings.hostname,
        roles: ROLES[boundary],
      });
      identities.set(boundary, identity);
      for (const p of members) {
        this.envVar(p, "TFC_AZURE_PROVIDER_AUTH", "true");
        this.envVar(p, "TFC_AZURE_RUN_CLIENT_ID", identity.clientId);
        this.envVar(p, "ARM_SUBSCRIPTION_ID", azure.subscriptionId);
        this.envVar(p, "ARM_TENANT_ID", azure.tenantId);
        // kubelogin signs in with the run's generic workload identity token (ClusterStack auth mode "terraformCloud").
        if (boundary === "cluster") this.envVar(p, "TFC_WORKLOAD_IDENTITY_AUDIENCE", TFC_AZURE_AUDIENCE);
      }
    }
    this.azureIdentities = identities;
    const hcpIdentity = identities.get("hcp");
    if (hcpIdentity) {
      // The hcp stack creates a service principal in the tenant for HCP's multi-tenant application.
      const role = new DirectoryRole(this, "cloud-application-administrator", { displayName: "Cloud Application Administrator" });
      new DirectoryRoleAssignment(this, "hcp-cloud-application-administrator", { roleId: role.templateId, principalObjectId: hcpIdentity.principalId });
    }
    const clusterIdentity = identities.get("cluster");
    const platformPlans = plans.filter((p) => p.boundary === "platform");
    if (clusterIdentity) {
      for (const p of platformPlans) {
        new Variable(this, `var-${p.stack.node.id}-${TFC_CLUSTER_PRINCIPALS_VARIABLE}`, {
          workspaceId: p.workspace.id,
          category: "terraform",
          key: TFC_CLUSTER_PRINCIPALS_VARIABLE,
          hcl: true,
          value: Fn.jsonencode([clusterIdentity.principalId]),
          description: "Principals of the cluster workspaces: the platform stack grants them AKS RBAC Cluster Admin and Cluster User on its cluster",
        });
      }
    }

    // HCP: workload identity for each workspace with an hcp provider.
    const hcpIdentities: TfcHcpRunIdentity[] = [];
    const hcpPlans = plans.filter((p) => p.boundary === "hcp");
    if (hcpPlans.length > 0) {
      new HcpProvider(this, "hcp", { projectId: props.hcpProjectId });
      const hcpProjectId = props.hcpProjectId ?? new DataHcpProject(this, "hcp-project", {}).resourceId;
      for (const p of hcpPlans) {
        const h = new TfcHcpRunIdentity(this, `hcp-${p.stack.node.id}`, { hcpProjectId, workspace: { organization, project: this.project, workspace: p.name }, hostname: settings.hostname });
        hcpIdentities.push(h);
        this.envVar(p, "TFC_HCP_PROVIDER_AUTH", "true");
        this.envVar(p, "TFC_HCP_RUN_PROVIDER_RESOURCE_NAME", h.resourceName);
        this.envVar(p, "HCP_PROJECT_ID", hcpProjectId);
      }
    }
    this.hcpIdentities = hcpIdentities;

    // Vault: dynamic credentials for the stacks that talk to Vault.
    for (const p of plans.filter((x) => providerTypes(x.stack).has("vault"))) {
      this.envVar(p, "TFC_VAULT_PROVIDER_AUTH", "true");
      this.envVar(p, "TFC_VAULT_NAMESPACE", props.vault?.namespace ?? "admin");
      this.envVar(p, "TFC_VAULT_AUTH_PATH", props.vault?.authPath ?? TFC_VAULT_AUTH_PATH);
      this.envVar(p, "TFC_VAULT_RUN_ROLE", props.vault?.role ?? tfcVaultRole(p.name));
      if (props.vault?.address) this.envVar(p, "TFC_VAULT_ADDR", props.vault.address);
    }

    this.node.addValidation({ validate: () => this.checkTrusts() });
  }

  private envVar(p: TfcWorkspacePlan, key: string, value: string): Variable {
    return new Variable(this, `var-${p.stack.node.id}-${key}`, { workspaceId: p.workspace.id, category: "env", key, value });
  }

  /**
   * The trusts against the app: each stack's cloud block names the workspace created for it, in
   * this organization and project (the subjects name them), and cluster stacks sign in to the API
   * server with the run's token (auth mode terraformCloud), which the cluster identity trusts.
   */
  private checkTrusts(): string[] {
    const problems: string[] = [];
    for (const p of this.workspaces) {
      const backend = p.stack.node.children.find((c): c is CloudBackend => c instanceof CloudBackend);
      const attrs = backend?.toTerraform?.()?.terraform?.cloud as { organization?: string; workspaces?: { name?: string; project?: string } } | undefined;
      if (!attrs) {
        problems.push(problemMessage(`workspaces.${p.stack.node.id}`, p.name, `stack ${p.stack.node.path} has no cloud block: give every stack its workspace with configureBackends(app, settings), the settings given here, or its runs do not match the credentials' subjects`));
        continue;
      }
      if (attrs.workspaces?.name !== p.name || attrs.organization !== this.organization || (attrs.workspaces?.project ?? TFC_DEFAULT_PROJECT) !== this.project) {
        problems.push(
          problemMessage(
            `workspaces.${p.stack.node.id}`,
            p.name,
            `stack ${p.stack.node.path} runs in workspace "${attrs.workspaces?.name}" of ${attrs.organization}/${attrs.workspaces?.project ?? TFC_DEFAULT_PROJECT}, but its credentials trust "${p.name}" of ${this.organization}/${this.project}: use the same backend settings for configureBackends and the bootstrap`,
          ),
        );
      }
      if (providerTypes(p.stack).has("vault")) {
        const trusts = p.stack.node.findAll().filter((c): c is TfcVaultRunTrust => c instanceof TfcVaultRunTrust);
        const role = this.vault?.role ?? tfcVaultRole(p.name);
        const authPath = this.vault?.authPath ?? TFC_VAULT_AUTH_PATH;
        const match = trusts.find((t) => t.roleName === role && t.authPath === authPath && t.boundSubject.includes(`:workspace:${p.name}:`) && t.boundSubject.startsWith(`organization:${this.organization}:project:${this.project}:`));
        if (!match) {
          problems.push(
            problemMessage(
              `workspaces.${p.stack.node.id}`,
              p.name,
              `stack ${p.stack.node.path} talks to Vault, but holds no TfcVaultRunTrust for role "${role}" on auth/${authPath} trusting workspace "${p.name}" of ${this.organization}/${this.project}: its runs would fail to log in (add one to the stack, as the default app does)`,
            ),
          );
        }
      }
      const identity = this.azureIdentities.get(p.boundary);
      if (identity) {
        // The identity's roles cover what the stack's own Azure resources need.
        const held = new Set(identity.roles.map((r) => r.role));
        const azurerm = resourceTypes(p.stack).filter((t) => t.startsWith("azurerm_"));
        const grants: string[] = azurerm.filter((t) => t === "azurerm_role_assignment" || t === "azurerm_role_definition");
        const others = azurerm.filter((t) => !grants.includes(t));
        if (grants.length > 0 && ![...held].some((r) => CAN_GRANT.has(r))) {
          problems.push(problemMessage(`workspaces.${p.stack.node.id}`, p.name, `stack ${p.stack.node.path} creates ${grants.join(", ")}, but the ${p.boundary} identity holds no role that may (${[...CAN_GRANT].join(", ")}): its apply would fail with AuthorizationFailed`));
        }
        if (others.length > 0 && ![...held].some((r) => CAN_CREATE.has(r))) {
          problems.push(problemMessage(`workspaces.${p.stack.node.id}`, p.name, `stack ${p.stack.node.path} creates ${others.join(", ")}, but the ${p.boundary} identity holds only ${[...held].join(", ") || "no role"}: move them to the platform stack, or grant the identity Contributor on their scope (azureIdentities.get("${p.boundary}").grant)`));
        }
      }
      const auth = (p.stack as { auth?: { mode?: string } }).auth;
      if (p.boundary === "cluster" && auth && auth.mode !== "terraformCloud") {
        problems.push(problemMessage(`workspaces.${p.stack.node.id}`, auth.mode, `stack ${p.stack.node.path} signs in to the API server with auth mode "${auth.mode}", which does not work in an HCP Terraform run: use { mode: "terraformCloud" } (AKS_SECRETS__CLUSTER__AUTH__MODE=terraformCloud), which uses the run's token the cluster identity trusts`));
      }
    }
    return problems;
  }
}

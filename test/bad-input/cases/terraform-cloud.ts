// Bad input to the Terraform Cloud bootstrap, its run identities, and the platform stack's
// cluster-operators variable (app/terraform-cloud-bootstrap.ts, constructs/terraform-cloud/).
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { App, TerraformStack } from "cdktf";
import { BackendSettings } from "../../../app/backend";
import { buildDefaultApp, DefaultAppConfig } from "../../../app/default-app";
import { TerraformCloudBootstrapStack, TerraformCloudBootstrapStackProps } from "../../../app/terraform-cloud-bootstrap";
import { TfcAzureRoleGrant, TfcAzureRunIdentity, TfcAzureRunIdentityProps } from "../../../constructs/terraform-cloud/azure-run-identity";
import { TfcHcpRunIdentity } from "../../../constructs/terraform-cloud/hcp-run-identity";
import { TfcVaultRunTrust, TfcVaultRunTrustProps } from "../../../constructs/terraform-cloud/vault-run-trust";
import { BadInputCase } from "../battery";
import { GUID, GUID_RULE, withConfig } from "../fixtures";

const BACKEND: BackendSettings = { organization: "contoso", project: "aks-secrets" };
const WS = { organization: "contoso", project: "aks-secrets", workspace: "platform" };
/** The default app on Terraform Cloud, then a bootstrap with these props. */
const bootstrap = (props: Partial<TerraformCloudBootstrapStackProps>, config: DefaultAppConfig = {}) => (app: App) => {
  buildDefaultApp(app, { backend: BACKEND, ...config });
  new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND, ...props });
};
const inStack = (f: (s: TerraformStack) => void) => (app: App) => f(new TerraformStack(app, "tfc"));
const identity = (patch: Partial<TfcAzureRunIdentityProps>) => inStack((s) => void new TfcAzureRunIdentity(s, "id", { displayName: "tfc-platform", workspaces: [WS], ...patch }));
const grant = (patch: Partial<TfcAzureRoleGrant>) => identity({ roles: [{ role: "Reader", scope: `/subscriptions/${GUID}`, reason: "reads the spoke VNets", ...patch }] });
const vaultTrust = (patch: Partial<TfcVaultRunTrustProps>) => inStack((s) => void new TfcVaultRunTrust(s, "trust", { workspace: WS, manages: { authMounts: [], secretMounts: [] }, ...patch }));

export const cases: BadInputCase[] = [
  // app/terraform-cloud-bootstrap.ts
  { name: "bootstrap without an organization", build: bootstrap({ backend: {} }), expect: { path: "tfc-bootstrap", field: "backend.organization", value: undefined, rule: /^is required: the organization/ } },
  { name: "bootstrap azure without a subscription", build: bootstrap({ azure: { tenantId: GUID } as never }), expect: { path: "tfc-bootstrap", field: "azure.subscriptionId", value: undefined, rule: /^is required with azure/ } },
  { name: "bootstrap subscription by name", build: bootstrap({ azure: { subscriptionId: "prod", tenantId: GUID } }), expect: { path: "tfc-bootstrap", field: "azure.subscriptionId", value: "prod", rule: GUID_RULE } },
  { name: "bootstrap azure without a tenant", build: bootstrap({ azure: { subscriptionId: GUID } as never }), expect: { path: "tfc-bootstrap", field: "azure.tenantId", value: undefined, rule: /^is required with azure/ } },
  { name: "bootstrap tenant as a domain", build: bootstrap({ azure: { subscriptionId: GUID, tenantId: "contoso.onmicrosoft.com" } }), expect: { path: "tfc-bootstrap", field: "azure.tenantId", value: "contoso.onmicrosoft.com", rule: GUID_RULE } },
  { name: "bootstrap execution mode unknown", build: bootstrap({ executionModes: { cluster: "local" as never } }), expect: { path: "tfc-bootstrap", field: "executionModes.cluster", value: "local", rule: /must be "remote" or "agent"/ } },
  { name: "bootstrap execution mode of no stack", build: bootstrap({ executionModes: { clusters: "agent" } }), expect: { path: "tfc-bootstrap", field: "executionModes.clusters", value: "agent", rule: /names no stack of the app/ } },
  {
    name: "bootstrap beside a stack without a cloud block",
    build: (app) => {
      buildDefaultApp(app, { backend: BACKEND });
      new TerraformStack(app, "extra");
      new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND });
    },
    expect: { path: "tfc-bootstrap", field: "workspaces.extra", value: "extra", rule: /has no cloud block/ },
  },
  { name: "bootstrap naming other workspaces than the cloud blocks", build: bootstrap({ backend: { ...BACKEND, workspacePrefix: "dev-" } }), expect: { path: "tfc-bootstrap", field: "workspaces.platform", value: "dev-platform", rule: /but its credentials trust "dev-platform"/ } },
  { name: "bootstrap Vault role the stack does not trust", build: bootstrap({ vault: { role: "other" } }), expect: { path: "tfc-bootstrap", field: "workspaces.vault-config", value: "vault-config", rule: /holds no TfcVaultRunTrust for role "other"/ } },
  { name: "bootstrap over a cluster stack signing in with the az CLI", build: bootstrap({}, { cluster: { auth: { mode: "azureCli" } } }), expect: { path: "tfc-bootstrap", field: "workspaces.cluster", value: "azureCli", rule: /does not work in an HCP Terraform run/ } },
  {
    name: "bootstrap over an hcp stack that creates a resource group",
    build: (app) => {
      const d = buildDefaultApp(app, { backend: BACKEND });
      new ResourceGroup(d.hcpVault!.hcp, "extra-rg", { name: "rg-extra", location: "westeurope" });
      new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND });
    },
    expect: { path: "tfc-bootstrap", field: "workspaces.hcp", value: "hcp", rule: /creates azurerm_resource_group, but the hcp identity holds only/ },
  },
  {
    name: "bootstrap over a cluster stack that assigns an Azure role",
    build: (app) => {
      const d = buildDefaultApp(app, { backend: BACKEND });
      new RoleAssignment(d.cluster, "extra-grant", { scope: `/subscriptions/${GUID}`, roleDefinitionName: "Reader", principalId: GUID, principalType: "ServicePrincipal" });
      new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND });
    },
    expect: { path: "tfc-bootstrap", field: "workspaces.cluster", value: "cluster", rule: /creates azurerm_role_assignment, but the cluster identity holds no role that may/ },
  },
  // constructs/terraform-cloud/
  { name: "run identity without a display name", build: identity({ displayName: " " }), expect: { path: "tfc/id", field: "displayName", value: " ", rule: /must be a display name/ } },
  { name: "run identity without workspaces", build: identity({ workspaces: [] }), expect: { path: "tfc/id", field: "workspaces", value: [], rule: /must list at least one workspace/ } },
  { name: "run identity role without a name", build: grant({ role: "" }), expect: { path: "tfc/id", field: "roles[].role", value: "", rule: /must be a built-in role name/ } },
  { name: "run identity role scope missing", build: grant({ scope: undefined }), expect: { path: "tfc/id", field: "roles[].scope", value: undefined, rule: /must be an ARM scope/ } },
  { name: "run identity role scope by name", build: grant({ scope: "prod-subscription" }), expect: { path: "tfc/id", field: "roles[].scope", value: "prod-subscription", rule: /must be an ARM scope/ } },
  { name: "run identity role without a reason", build: grant({ reason: "needed" }), expect: { path: "tfc/id", field: "roles[].reason", value: "needed", rule: /must say, in words, which resources/ } },
  { name: "HCP run identity without a project", build: inStack((s) => void new TfcHcpRunIdentity(s, "hcp", { hcpProjectId: "", workspace: WS })), expect: { path: "tfc/hcp", field: "hcpProjectId", value: "", rule: /must be the HCP project ID/ } },
  { name: "HCP run identity without a workspace", build: inStack((s) => void new TfcHcpRunIdentity(s, "hcp", { hcpProjectId: "p-1", workspace: {} as never })), expect: { path: "tfc/hcp", field: "workspace", value: {}, rule: /must name the workspace/ } },
  { name: "Vault run trust without a workspace", build: vaultTrust({ workspace: { workspace: "vault-config" } as never }), expect: { path: "tfc/trust", field: "workspace", value: { workspace: "vault-config" }, rule: /must name the organization and workspace/ } },
  { name: "Vault run trust without what it manages", build: vaultTrust({ manages: undefined as never }), expect: { path: "tfc/trust", field: "manages", value: undefined, rule: /must list the auth mounts and secret mounts/ } },
  // stacks/platform-stack.ts
  { name: "cluster operators variable with a space", build: withConfig({ platform: { clusterOperatorsVariable: "cluster operators" } }), expect: { path: "platform", field: "clusterOperatorsVariable", value: "cluster operators", rule: /must be a Terraform variable name/ } },
];

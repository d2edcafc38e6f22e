// The Terraform Cloud bootstrap over the default app: the workspaces are the ones the stacks'
// cloud blocks name, sharing follows the cross-stack references, and every trust (Entra federated
// credential, HCP workload identity provider, Vault JWT role) names exactly those workspaces.
import fs from "node:fs";
import path from "node:path";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { App, TerraformStack, Testing } from "cdktf";
import { validateTree } from "../../core/validation";
import { BackendSettings, configureBackends, TFC_CLUSTER_PRINCIPALS_VARIABLE } from "../../app/backend";
import { buildDefaultApp, DefaultAppConfig } from "../../app/default-app";
import { TerraformCloudBootstrapStack, TerraformCloudBootstrapStackProps } from "../../app/terraform-cloud-bootstrap";
import { tfcRunSubject } from "../../constructs/terraform-cloud/run-subject";
import { expectProblem } from "../helpers";

const BACKEND: BackendSettings = { organization: "contoso", project: "aks-secrets", workspacePrefix: "prod-" };
const STACKS = ["platform", "cluster", "cluster-vault", "hcp", "vault-config"];

/** The default app with Terraform Cloud backends and the bootstrap, validated and synthesized: every stack's JSON by id. */
function synthBootstrapped(config: DefaultAppConfig = {}, props: Partial<TerraformCloudBootstrapStackProps> = {}) {
  const app = Testing.app();
  buildDefaultApp(app, { backend: BACKEND, ...config });
  new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: config.backend ?? BACKEND, ...props });
  validateTree(app);
  app.synth();
  const read = (id: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  return { app, read, boot: read("tfc-bootstrap") };
}

const values = (o: Record<string, any> | undefined) => Object.values(o ?? {}) as any[];
/** The resource address `${type.name.attr}` of a logical id in the bootstrap stack. */
const ref = (type: string, tf: any, pathEnd: string, attr: string) => {
  const name = Object.keys(tf.resource[type]).find((k) => tf.resource[type][k]["//"].metadata.path.endsWith(pathEnd));
  if (!name) throw new Error(`no ${type} at ${pathEnd}`);
  return `\${${type}.${name}.${attr}}`;
};

describe("TerraformCloudBootstrapStack over the default app", () => {
  const { read, boot } = synthBootstrapped();
  /** Workspace name as each stack's own cloud block names it. */
  const cloudName = (id: string) => read(id).terraform.cloud.workspaces.name as string;

  test("one workspace per stack, named as the stack's cloud block names it, in the project; the bootstrap itself stays local", () => {
    expect(values(boot.resource.tfe_project).map((p) => p.name)).toEqual(["aks-secrets"]);
    const names = values(boot.resource.tfe_workspace).map((w) => w.name).sort();
    expect(names).toEqual(STACKS.map(cloudName).sort());
    expect(names).toEqual(STACKS.map((s) => `prod-${s}`).sort());
    for (const w of values(boot.resource.tfe_workspace)) expect(w.project_id).toBe(ref("tfe_project", boot, "/project", "id"));
    expect(boot.terraform.cloud).toBeUndefined();
    expect(boot.terraform.backend.local).toBeDefined();
  });

  test("remote state is shared from each producer exactly with the stacks whose cross-stack references read it", () => {
    // What each consumer reads, from its own synthesized terraform_remote_state data sources.
    const readers = new Map<string, string[]>();
    for (const consumer of STACKS) {
      for (const rs of values(read(consumer).data?.terraform_remote_state)) {
        const producer = rs.config.workspaces.name as string;
        readers.set(producer, [...(readers.get(producer) ?? []), cloudName(consumer)]);
      }
    }
    expect(readers.size).toBeGreaterThan(0);
    const wsId = (name: string) => ref("tfe_workspace", boot, `/workspace-${name.replace(/^prod-/, "")}`, "id");
    for (const s of STACKS) {
      const settings = boot.resource.tfe_workspace_settings[`settings-${s}`];
      expect(settings.workspace_id).toBe(wsId(cloudName(s)));
      expect(settings.global_remote_state).toBe(false);
      expect([...settings.remote_state_consumer_ids].sort()).toEqual((readers.get(cloudName(s)) ?? []).map(wsId).sort());
    }
    // The pairs the README used to list by hand.
    expect(readers.get("prod-platform")!.sort()).toEqual(["prod-cluster", "prod-cluster-vault", "prod-hcp", "prod-vault-config"]);
  });

  test("the private-network stacks run on the agent pool, the API-only stacks remotely", () => {
    const mode = (s: string) => boot.resource.tfe_workspace_settings[`settings-${s}`].execution_mode;
    expect(STACKS.map((s) => [s, mode(s)])).toEqual([
      ["platform", "remote"],
      ["cluster", "agent"],
      ["cluster-vault", "agent"],
      ["hcp", "remote"],
      ["vault-config", "agent"],
    ]);
    const pool = ref("tfe_agent_pool", boot, "/agent-pool", "id");
    for (const s of ["cluster", "cluster-vault", "vault-config"]) expect(boot.resource.tfe_workspace_settings[`settings-${s}`].agent_pool_id).toBe(pool);
    const allowed = values(boot.resource.tfe_agent_pool_allowed_workspaces)[0];
    expect([...allowed.allowed_workspace_ids].sort()).toEqual(["cluster", "cluster-vault", "vault-config"].map((s) => ref("tfe_workspace", boot, `/workspace-${s}`, "id")).sort());
  });

  test("an Entra application per trust boundary, trusted by the plan and apply runs of exactly its workspaces, as their cloud blocks name them", () => {
    const creds = values(boot.resource.azuread_application_federated_identity_credential);
    const byApp = new Map<string, string[]>();
    for (const c of creds) {
      expect(c.audiences).toEqual(["api://AzureADTokenExchange"]);
      expect(c.issuer).toBe("https://app.terraform.io");
      byApp.set(c.application_id, [...(byApp.get(c.application_id) ?? []), c.subject]);
    }
    const subjects = (boundary: string) => byApp.get(ref("azuread_application", boot, `/azure-${boundary}/application`, "id"))!.sort();
    const expected = (stacks: string[]) => stacks.flatMap((s) => (["plan", "apply"] as const).map((phase) => tfcRunSubject({ organization: "contoso", project: "aks-secrets", workspace: cloudName(s) }, phase))).sort();
    expect(subjects("platform")).toEqual(expected(["platform"]));
    expect(subjects("hcp")).toEqual(expected(["hcp"]));
    expect(subjects("cluster")).toEqual(expected(["cluster", "cluster-vault"]));
    expect(subjects("platform")).toContain("organization:contoso:project:aks-secrets:workspace:prod-platform:run_phase:apply");
    // vault-config talks to Vault only: no Azure identity.
    expect(creds.some((c) => c.subject.includes(":workspace:prod-vault-config:"))).toBe(false);
    expect(values(boot.resource.azuread_application)).toHaveLength(3);
  });

  test("least privilege: the platform identity may create and grant, the hcp identity may define and assign the peering role, the cluster identity has no subscription role", () => {
    const roles = values(boot.resource.azurerm_role_assignment).map((r) => [r.principal_id, r.role_definition_name, r.scope, r.principal_type]);
    const sp = (b: string) => ref("azuread_service_principal", boot, `/azure-${b}/service-principal`, "object_id");
    const sub = "/subscriptions/${data.azurerm_client_config.current.subscription_id}";
    expect(roles).toEqual(
      expect.arrayContaining([
        [sp("platform"), "Contributor", sub, "ServicePrincipal"],
        [sp("platform"), "Role Based Access Control Administrator", sub, "ServicePrincipal"],
        [sp("hcp"), "Reader", sub, "ServicePrincipal"],
        [sp("hcp"), "User Access Administrator", sub, "ServicePrincipal"],
      ]),
    );
    expect(roles).toHaveLength(4);
    expect(roles.some((r) => r[0] === sp("cluster"))).toBe(false);
    expect(values(boot.resource.azuread_directory_role_assignment).map((a) => a.principal_object_id)).toEqual([sp("hcp")]);
  });

  test("the platform stack grants the cluster identity AKS RBAC Cluster Admin and Cluster User on its cluster, through the variable the bootstrap sets", () => {
    const vars = values(boot.resource.tfe_variable);
    const handed = vars.find((v) => v.key === TFC_CLUSTER_PRINCIPALS_VARIABLE);
    expect(handed).toMatchObject({ category: "terraform", hcl: true, workspace_id: ref("tfe_workspace", boot, "/workspace-platform", "id") });
    const sp = ref("azuread_service_principal", boot, "/azure-cluster/service-principal", "object_id").slice(2, -1);
    expect(handed.value).toBe(`\${jsonencode([${sp}])}`);
    const platform = read("platform");
    expect(platform.variable[TFC_CLUSTER_PRINCIPALS_VARIABLE]).toMatchObject({ type: "list(string)", default: [] });
    const grants = values(platform.resource.azurerm_role_assignment).filter((r) => r.for_each === `\${toset(var.${TFC_CLUSTER_PRINCIPALS_VARIABLE})}`);
    expect(grants.map((g) => g.role_definition_name).sort()).toEqual(["Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Cluster Admin"]);
    for (const g of grants) {
      expect(g.scope).toMatch(/^\$\{azurerm_kubernetes_cluster\..+\.id\}$/);
      expect(g.principal_id).toBe("${each.value}");
    }
  });

  test("each workspace gets the variables that turn its dynamic credentials on", () => {
    const vars = values(boot.resource.tfe_variable);
    const of = (s: string) => Object.fromEntries(vars.filter((v) => v.workspace_id === ref("tfe_workspace", boot, `/workspace-${s}`, "id") && v.category === "env").map((v) => [v.key, v.value]));
    const clientId = (b: string) => ref("azuread_application", boot, `/azure-${b}/application`, "client_id");
    const arm = { ARM_SUBSCRIPTION_ID: "${data.azurerm_client_config.current.subscription_id}", ARM_TENANT_ID: "${data.azurerm_client_config.current.tenant_id}" };
    expect(of("platform")).toEqual({ TFC_AZURE_PROVIDER_AUTH: "true", TFC_AZURE_RUN_CLIENT_ID: clientId("platform"), ...arm });
    for (const s of ["cluster", "cluster-vault"]) {
      expect(of(s)).toEqual({ TFC_AZURE_PROVIDER_AUTH: "true", TFC_AZURE_RUN_CLIENT_ID: clientId("cluster"), ...arm, TFC_WORKLOAD_IDENTITY_AUDIENCE: "api://AzureADTokenExchange" });
    }
    expect(of("hcp")).toMatchObject({ TFC_AZURE_RUN_CLIENT_ID: clientId("hcp"), TFC_HCP_PROVIDER_AUTH: "true", TFC_HCP_RUN_PROVIDER_RESOURCE_NAME: ref("hcp_iam_workload_identity_provider", boot, "/provider", "resource_name") });
    expect(of("vault-config")).toEqual({ TFC_VAULT_PROVIDER_AUTH: "true", TFC_VAULT_NAMESPACE: "admin", TFC_VAULT_AUTH_PATH: "tfc", TFC_VAULT_RUN_ROLE: "tfc-prod-vault-config" });
  });

  test("HCP trusts exactly the hcp workspace's runs; the Vault role exactly the vault-config workspace's", () => {
    const wip = values(boot.resource.hcp_iam_workload_identity_provider)[0];
    expect(wip.oidc).toEqual({ issuer_uri: "https://app.terraform.io", allowed_audiences: ["hcp.workload.identity"] });
    expect(wip.conditional_access).toBe("jwt_claims.sub matches `^organization:contoso:project:aks-secrets:workspace:prod-hcp:run_phase:.*`");
    const vc = read("vault-config");
    const role = values(vc.resource.vault_jwt_auth_backend_role).find((r) => r.role_name === "tfc-prod-vault-config");
    expect(role).toMatchObject({ bound_audiences: ["vault.workload.identity"], bound_claims_type: "glob", bound_claims: { sub: "organization:contoso:project:aks-secrets:workspace:prod-vault-config:run_phase:*" } });
    const backend = values(vc.resource.vault_jwt_auth_backend).find((b) => b.path === "tfc");
    expect(backend).toMatchObject({ oidc_discovery_url: "https://app.terraform.io", bound_issuer: "https://app.terraform.io" });
    // The policy grants what the stack manages (its mounts), not secret data.
    const policy = values(vc.resource.vault_policy).find((p) => String(p.name).startsWith("tfc-"))!.policy as string;
    expect(policy).toContain('path "sys/mounts/secret"');
    expect(policy).toContain('path "auth/jwt-aks/*"');
    expect(policy).not.toMatch(/path "secret\/data/);
  });

  test("no secret value: no agent token, client secret or password is created, and no variable is sensitive", () => {
    const types = Object.keys(boot.resource);
    for (const t of ["tfe_agent_token", "azuread_application_password", "azuread_service_principal_password", "tfe_team_token", "tfe_organization_token", "hcp_service_principal_key"]) expect(types).not.toContain(t);
    expect(values(boot.resource.tfe_variable).filter((v) => v.sensitive)).toEqual([]);
    expect(boot.output ?? {}).toEqual({});
  });
});

describe("TerraformCloudBootstrapStack without a project", () => {
  test("uses the organization's Default Project (looked up, not created), and the subjects name it", () => {
    const { boot } = synthBootstrapped({ backend: { organization: "contoso" } }, {});
    expect(boot.resource.tfe_project).toBeUndefined();
    expect(values(boot.data.tfe_project).map((p) => p.name)).toEqual(["Default Project"]);
    expect(values(boot.resource.azuread_application_federated_identity_credential).map((c) => c.subject)).toContain("organization:contoso:project:Default Project:workspace:platform:run_phase:plan");
  });
});

describe("the bootstrap's checks against the app", () => {
  const build = (mutate: (app: App) => void, config: DefaultAppConfig = {}) => () => {
    const app = Testing.app();
    buildDefaultApp(app, { backend: BACKEND, ...config });
    mutate(app);
    validateTree(app);
  };

  test("a bootstrap whose settings name other workspaces than the cloud blocks is refused, naming the workspace", () => {
    expectProblem(build((app) => new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: { ...BACKEND, workspacePrefix: "dev-" } })), {
      path: "tfc-bootstrap",
      field: "workspaces.platform",
      value: "dev-platform",
      rule: /runs in workspace "prod-platform" of contoso\/aks-secrets, but its credentials trust "dev-platform"/,
    });
  });

  test("a stack without a cloud block is refused", () => {
    expectProblem(
      build((app) => {
        new TerraformStack(app, "extra");
        new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND });
      }),
      { path: "tfc-bootstrap", field: "workspaces.extra", rule: /has no cloud block: give every stack its workspace with configureBackends/ },
    );
  });

  test("a cluster stack that signs in with the az CLI cannot run in a workspace", () => {
    expectProblem(build((app) => new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND }), { cluster: { auth: { mode: "azureCli" } } }), {
      field: "workspaces.cluster",
      value: "azureCli",
      rule: /signs in to the API server with auth mode "azureCli", which does not work in an HCP Terraform run/,
    });
  });

  test("a Vault stack without the run trust the variables name is refused", () => {
    expectProblem(build((app) => new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND, vault: { role: "other" } })), {
      field: "workspaces.vault-config",
      rule: /holds no TfcVaultRunTrust for role "other" on auth\/tfc/,
    });
  });
});

describe("the roles cover each stack's own resources", () => {
  test("an Azure resource added to the hcp stack, whose identity may only read and assign, is refused before any apply fails", () => {
    expectProblem(
      () => {
        const app = Testing.app();
        const d = buildDefaultApp(app, { backend: BACKEND });
        new ResourceGroup(d.hcpVault!.hcp, "extra-rg", { name: "rg-extra", location: "westeurope" });
        new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND });
        validateTree(app);
      },
      { field: "workspaces.hcp", value: "prod-hcp", rule: /creates azurerm_resource_group, but the hcp identity holds only Reader, User Access Administrator/ },
    );
  });
});

describe("configureBackends and the bootstrap", () => {
  test("configureBackends gives no cloud block to the bootstrap stack", () => {
    const app = Testing.app();
    buildDefaultApp(app, {});
    const boot = new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: BACKEND, stacks: [] });
    configureBackends(app, BACKEND);
    expect(JSON.parse(Testing.synth(boot)).terraform.cloud).toBeUndefined();
  });
});

import { Application } from "@cdktf/provider-azuread/lib/application";
import { ApplicationFederatedIdentityCredential } from "@cdktf/provider-azuread/lib/application-federated-identity-credential";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import { StringRule, Validator } from "../../core/validation";
import { TFC_AZURE_AUDIENCE, TFC_RUN_PHASES, tfcIssuer, tfcRunSubject, TfcWorkspaceAddress } from "./run-subject";

/** An ARM scope a role can be assigned at: a subscription or anything below it. */
const ARM_SCOPE: StringRule = {
  description: "must be an ARM scope such as /subscriptions/00000000-0000-0000-0000-000000000000 (or a resource group or resource below it)",
  test: (v) => /^\/subscriptions\/[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(\/[^/\s]+)*$/.test(v),
};

/** A role a run identity holds, and why its workspaces need it. */
export interface TfcAzureRoleGrant {
  /** A built-in role name, e.g. `Contributor`. */
  readonly role: string;
  /** ARM ID of the scope, e.g. `/subscriptions/<id>`. */
  readonly scope: string;
  /** Which resources of the workspace's stack need it (shown in the wiring report and the README). */
  readonly reason: string;
}

export interface TfcAzureRunIdentityProps {
  /** Display name of the Entra application. */
  readonly displayName: string;
  /** The workspaces whose runs log in as this identity: one federated credential per workspace and run phase. */
  readonly workspaces: readonly TfcWorkspaceAddress[];
  /** The HCP Terraform host. @default "app.terraform.io" */
  readonly hostname?: string;
  /** Azure roles of the identity. @default - none (grant with {@link TfcAzureRunIdentity.grant}) */
  readonly roles?: readonly TfcAzureRoleGrant[];
}

/**
 * The Azure identity of one trust boundary of HCP Terraform runs (dynamic provider credentials):
 * an Entra application and its service principal, a federated credential for each workspace and
 * run phase (`organization:ORG:project:P:workspace:WS:run_phase:plan|apply`, audience
 * `api://AzureADTokenExchange`, issuer the HCP Terraform host), and the Azure roles its stacks
 * need. No secret exists: runs exchange their workload identity token.
 */
export class TfcAzureRunIdentity extends Construct {
  readonly application: Application;
  readonly servicePrincipal: ServicePrincipal;
  /** `TFC_AZURE_RUN_CLIENT_ID` of the workspaces. */
  readonly clientId: string;
  /** Object ID of the service principal: what role assignments name. */
  readonly principalId: string;
  readonly workspaces: readonly TfcWorkspaceAddress[];
  /** The subjects trusted, in the order of {@link workspaces} then plan, apply. */
  readonly subjects: readonly string[];
  readonly issuer: string;
  private readonly grants: TfcAzureRoleGrant[] = [];

  constructor(scope: Construct, id: string, props: TfcAzureRunIdentityProps) {
    super(scope, id);
    const v = new Validator(this);
    v.check(typeof props?.displayName === "string" && props.displayName.trim().length > 0 && props.displayName.length <= 120, "displayName", props?.displayName, "must be a display name of 1-120 characters");
    v.check(Array.isArray(props?.workspaces) && props.workspaces.length > 0, "workspaces", props?.workspaces, "must list at least one workspace whose runs use this identity");
    v.throwIfAny();
    this.workspaces = props.workspaces;
    this.issuer = tfcIssuer(props.hostname);
    this.application = new Application(this, "application", { displayName: props.displayName, signInAudience: "AzureADMyOrg" });
    this.servicePrincipal = new ServicePrincipal(this, "service-principal", { clientId: this.application.clientId });
    this.clientId = this.application.clientId;
    this.principalId = this.servicePrincipal.objectId;
    const subjects: string[] = [];
    for (const ws of props.workspaces) {
      for (const phase of TFC_RUN_PHASES) {
        const subject = tfcRunSubject(ws, phase);
        subjects.push(subject);
        // Entra credential names: up to 120 of letters, digits, '-' and '_'; workspace names are 1-90 of those.
        new ApplicationFederatedIdentityCredential(this, `${ws.workspace}-${phase}`, {
          applicationId: this.application.id,
          displayName: `tfc-${ws.workspace}-${phase}`,
          description: `HCP Terraform runs (${phase}) of workspace ${ws.workspace}`,
          issuer: this.issuer,
          subject,
          audiences: [TFC_AZURE_AUDIENCE],
        });
      }
    }
    this.subjects = subjects;
    for (const g of props.roles ?? []) this.grant(g);
  }

  /** Assigns a built-in role on a scope (type ServicePrincipal, so a new principal needs no replication wait). */
  grant(g: TfcAzureRoleGrant): RoleAssignment {
    const v = new Validator(this);
    v.check(typeof g?.role === "string" && g.role.length > 0, "roles[].role", g?.role, "must be a built-in role name such as Contributor");
    v.check(typeof g?.scope === "string", "roles[].scope", g?.scope, ARM_SCOPE.description).rule("roles[].scope", typeof g?.scope === "string" ? g.scope : undefined, ARM_SCOPE);
    v.check(typeof g?.reason === "string" && g.reason.trim().includes(" "), "roles[].reason", g?.reason, "must say, in words, which resources of the stack need the role");
    v.throwIfAny();
    this.grants.push(g);
    const slug = g.role.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    return new RoleAssignment(this, `role-${slug}-${this.grants.length}`, { scope: g.scope, roleDefinitionName: g.role, principalId: this.principalId, principalType: "ServicePrincipal" });
  }

  /** The roles granted so far. */
  get roles(): readonly TfcAzureRoleGrant[] {
    return [...this.grants];
  }
}

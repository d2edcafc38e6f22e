import { IamWorkloadIdentityProvider } from "@cdktf/provider-hcp/lib/iam-workload-identity-provider";
import { ProjectIamBinding } from "@cdktf/provider-hcp/lib/project-iam-binding";
import { ServicePrincipal } from "@cdktf/provider-hcp/lib/service-principal";
import { Construct } from "constructs";
import { Validator } from "../../core/validation";
import { TFC_HCP_AUDIENCE, tfcIssuer, TfcWorkspaceAddress, TFC_DEFAULT_PROJECT } from "./run-subject";

export interface TfcHcpRunIdentityProps {
  /** The HCP project the workspace's stack manages (its HVN and Vault cluster). */
  readonly hcpProjectId: string;
  /** The workspace whose runs use this identity. */
  readonly workspace: TfcWorkspaceAddress;
  /** The HCP Terraform host. @default "app.terraform.io" */
  readonly hostname?: string;
  /** HCP role of the service principal on the project. @default "roles/contributor" (creates HVNs, peerings, routes and Vault clusters) */
  readonly role?: string;
}

/**
 * HCP dynamic provider credentials for one workspace: an HCP service principal in the project,
 * a workload identity provider trusting HCP Terraform's issuer for exactly that workspace's runs
 * (`jwt_claims.sub` of the organization, project and workspace, any run phase; audience
 * `hcp.workload.identity`), and the principal's role on the project. The workspace sets
 * `TFC_HCP_PROVIDER_AUTH=true` and `TFC_HCP_RUN_PROVIDER_RESOURCE_NAME` to
 * {@link resourceName}. No client secret exists.
 */
export class TfcHcpRunIdentity extends Construct {
  readonly servicePrincipal: ServicePrincipal;
  readonly provider: IamWorkloadIdentityProvider;
  /** `TFC_HCP_RUN_PROVIDER_RESOURCE_NAME` of the workspace. */
  readonly resourceName: string;
  /** The condition on the token's claims. */
  readonly conditionalAccess: string;

  constructor(scope: Construct, id: string, props: TfcHcpRunIdentityProps) {
    super(scope, id);
    const v = new Validator(this);
    v.check(typeof props?.hcpProjectId === "string" && props.hcpProjectId.length > 0, "hcpProjectId", props?.hcpProjectId, "must be the HCP project ID (HCP_PROJECT_ID)");
    v.check(typeof props?.workspace?.workspace === "string", "workspace", props?.workspace, "must name the workspace whose runs use this identity");
    v.throwIfAny();
    const ws = props.workspace;
    this.servicePrincipal = new ServicePrincipal(this, "service-principal", { name: `tfc-${ws.workspace}`.slice(0, 36), parent: `project/${props.hcpProjectId}` });
    this.conditionalAccess = `jwt_claims.sub matches \`^organization:${ws.organization}:project:${ws.project ?? TFC_DEFAULT_PROJECT}:workspace:${ws.workspace}:run_phase:.*\``;
    this.provider = new IamWorkloadIdentityProvider(this, "provider", {
      name: `tfc-${ws.workspace}`.slice(0, 36),
      servicePrincipal: this.servicePrincipal.resourceName,
      description: `HCP Terraform runs of workspace ${ws.workspace}`,
      oidc: { issuerUri: tfcIssuer(props.hostname), allowedAudiences: [TFC_HCP_AUDIENCE] },
      conditionalAccess: this.conditionalAccess,
    });
    new ProjectIamBinding(this, "project-role", { projectId: props.hcpProjectId, principalId: this.servicePrincipal.resourceId, role: props.role ?? "roles/contributor" });
    this.resourceName = this.provider.resourceName;
  }
}

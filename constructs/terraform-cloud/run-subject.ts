// What HCP Terraform puts in the workload identity tokens of a run, and so what every trust of a
// workspace (an Entra federated credential, an HCP workload identity provider, a Vault JWT role)
// must match. One place, used by every trust the bootstrap creates and by its checks.
// Reference: HCP Terraform "Workload identity" docs: sub = organization:ORG:project:PROJECT:workspace:WS:run_phase:PHASE.

/** A run phase: a plan and an apply present different subjects. */
export type TfcRunPhase = "plan" | "apply";

/** The run phases, in the order the credentials are created. */
export const TFC_RUN_PHASES: readonly TfcRunPhase[] = ["plan", "apply"];

/** The audience Entra ID expects in a token it exchanges (`TFC_AZURE_WORKLOAD_IDENTITY_AUDIENCE`'s default). */
export const TFC_AZURE_AUDIENCE = "api://AzureADTokenExchange";
/** The audience HCP Terraform puts in tokens for HCP (`TFC_HCP_WORKLOAD_IDENTITY_AUDIENCE`'s default). */
export const TFC_HCP_AUDIENCE = "hcp.workload.identity";
/** The audience HCP Terraform puts in tokens for Vault (`TFC_VAULT_WORKLOAD_IDENTITY_AUDIENCE`'s default). */
export const TFC_VAULT_AUDIENCE = "vault.workload.identity";
/** HCP Terraform's own project when none is named. */
export const TFC_DEFAULT_PROJECT = "Default Project";
/** The host of HCP Terraform when none is named. */
export const TFC_DEFAULT_HOSTNAME = "app.terraform.io";

/** Where a workspace lives: what its run tokens name. */
export interface TfcWorkspaceAddress {
  readonly organization: string;
  /** @default "Default Project" */
  readonly project?: string;
  readonly workspace: string;
}

/** The `sub` claim of a run's token. */
export function tfcRunSubject(ws: TfcWorkspaceAddress, phase: TfcRunPhase): string {
  return `organization:${ws.organization}:project:${ws.project ?? TFC_DEFAULT_PROJECT}:workspace:${ws.workspace}:run_phase:${phase}`;
}

/** The token issuer of an HCP Terraform host (`https://app.terraform.io` by default). */
export function tfcIssuer(hostname?: string): string {
  return `https://${hostname ?? TFC_DEFAULT_HOSTNAME}`;
}

/** The JWT auth mount runs log in to Vault with (`TFC_VAULT_AUTH_PATH`), unless named. */
export const TFC_VAULT_AUTH_PATH = "tfc";

/** The Vault role of a workspace's runs (`TFC_VAULT_RUN_ROLE`), unless named. */
export function tfcVaultRole(workspace: string): string {
  return `tfc-${workspace}`;
}

// Terraform Cloud (HCP Terraform): the identities of workspace runs (dynamic provider credentials
// for Azure and HCP) and what their tokens carry. The bootstrap stack that creates the workspaces
// is app/terraform-cloud-bootstrap.ts. Not exported from the package root: the bootstrap loads the
// optional @cdktf/provider-tfe; import `aks-secrets-platform/terraform-cloud`.
export * from "./run-subject";
export * from "./azure-run-identity";
export * from "./hcp-run-identity";
export * from "./vault-run-trust";

// `aks-secrets-platform/terraform-cloud`: the Terraform Cloud bootstrap and the run identities.
// Apart from the package root because it loads the optional peer @cdktf/provider-tfe.
export * from "./constructs/terraform-cloud";
export * from "./app/terraform-cloud-bootstrap";

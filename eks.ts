// The EKS entry point, `aks-secrets-platform/eks`: the AWS constructs (constructs/aws/), which load
// the optional peer @cdktf/provider-aws. The package root does not load them.
export * from "./constructs/aws";

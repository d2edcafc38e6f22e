// AWS / EKS, with the OPTIONAL peer @cdktf/provider-aws: bring-your-own EKS clusters, IAM roles for
// service accounts (IRSA) with least-privilege read policies, annotated service accounts, and the
// one-call binding for ASCP (the AWS Secrets Manager and Config Provider of the Secrets Store CSI
// driver). Not exported from the package root (that would load the AWS bindings for everyone):
// import from `aks-secrets-platform/eks`.
export * from "./eks-cluster";
export * from "./irsa-role";
export * from "./irsa-service-account";
export * from "./aws-secrets-binding";

// External Secrets Operator: the third delivery mode, beside the CSI driver and the Vault Secrets
// Operator. The operator (Helm, pinned) writes plain Kubernetes Secrets (no CSI mount) from Azure
// Key Vault through workload identity, or from Vault through JWT auth: stores (SecretStore,
// ClusterSecretStore) and ExternalSecrets for named keys or every secret of a vault or path.
export * from "./operator";
export * from "./secret-store";
export * from "./external-secret";

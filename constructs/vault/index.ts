// Vault: JWT auth trusting the AKS OIDC issuer, a role and read-only policy per workload, and the
// Vault Secrets Operator with its VaultConnection, VaultAuth and VaultStaticSecret resources.
export * from "./vault-jwt-auth";
export * from "./vault-secrets-operator";

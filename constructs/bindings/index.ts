// Bindings: one call per workload that spans the domains, the Azure side (identity, federated
// credential, least-privilege grant) and the cluster side (service account, SecretProviderClass,
// pod pieces), wired to each other.
export * from "./key-vault-workload-binding";
export * from "./pod-identity-migration";

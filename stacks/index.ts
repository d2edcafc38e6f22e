// The deployable stacks that compose the constructs: platform (Azure), cluster (Kubernetes), hcp
// (HVN, peering, HCP Vault) and vault-config (JWT auth, roles, policies).
export * from "./platform-stack";
export * from "./cluster-stack";
export * from "./hcp-stack";
export * from "./vault-config-stack";

// The reusable constructs, one folder a domain: azure/ (AKS, Key Vault, workload identities),
// kubernetes/ (in-cluster objects and pod helpers), hcp/ (HVN peering, HCP Vault), vault/ (JWT auth,
// Vault Secrets Operator), bindings/ (one workload across domains), external-secrets/ (the External
// Secrets Operator: Secrets synced without a mount). They never create providers
// or backends: stacks do.
export * from "./azure";
export * from "./kubernetes";
export * from "./hcp";
export * from "./vault";
export * from "./bindings";
export * from "./external-secrets";

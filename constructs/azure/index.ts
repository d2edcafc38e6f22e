// Azure: the AKS cluster (OIDC issuer, workload identity, the Secrets Store CSI add-on and its
// identity), Key Vault with its read grants, and user-assigned workload identities federated with
// Kubernetes service accounts, AKS identity bindings (through the small azapi layer in azapi.ts).
// `principal.ts` is what a grant is given to.
export * from "./principal";
export * from "./aks-cluster";
export * from "./key-vault";
export * from "./workload-identity";
export * from "./azapi";
export * from "./aks-identity-binding";

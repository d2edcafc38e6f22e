// The reusable constructs, one concern a file. Import from here (or from the package root).
export * from "./validation";
export * from "./principal";
export * from "./aks-cluster";
export * from "./key-vault";
export * from "./workload-identity";
export * from "./security-rules";
export * from "./secret-provider-class";
export * from "./workload-service-account";
export * from "./pod-helpers";
export * from "./key-vault-workload-binding";
export * from "./hvn-peering";
export * from "./hcp-vault-cluster";
export * from "./vault-jwt-auth";
export * from "./vault-secrets-operator";
export * from "./wiring";

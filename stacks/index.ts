// Compositions of the constructs into deployable stacks.
export * from "./platform-stack";
export * from "./default-app";
export * from "./cluster-stack";
export * from "./hcp-stack";
export * from "./vault-config-stack";
export * from "./hcp-vault";
export * from "./backend";
export * from "./config";
export * from "./app-config";

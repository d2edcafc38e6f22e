// The default app: the stacks wired together (buildDefaultApp, addHcpVault), its configuration
// (file, environment, context: config.ts is the schema engine, app-config.ts the app's schema)
// and the Terraform Cloud or local backends (backend.ts). main.ts runs it.
export * from "./default-app";
export * from "./hcp-vault";
export * from "./backend";
export * from "./config";
export * from "./app-config";

// Package root: core (validation, synthesis), the constructs by domain, the verification layer,
// the stacks that compose them and the default app.
export * from "./core";
export * from "./constructs";
export * from "./verify";
export * from "./stacks";
export * from "./app";

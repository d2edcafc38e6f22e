// Package root: the constructs and the stacks that compose them.
export * from "./constructs";
export * from "./stacks";

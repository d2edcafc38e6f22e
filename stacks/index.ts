// Compositions of the constructs into deployable stacks.
export * from "./platform-stack";
export * from "./default-app";
export * from "./cluster-stack";

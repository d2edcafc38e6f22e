// Verification, apart from the constructs it checks: the wiring checks (every path from a pod to a
// secret, across stacks, and the wiring report) and the cdk-nag style security rules on the
// synthesized resources, with reasoned suppressions.
export * from "./security-rules";
export * from "./wiring";
export * from "./provider-schema";

// Verification, apart from the constructs it checks (no file here imports a construct: checks read
// the facts constructs publish, core/facts*.ts): the wiring checks (every path from a pod to a
// secret, across stacks, one concern a check in wiring/checks/, and the wiring report), the
// cdk-nag style security rules on the synthesized resources (one rule a file in security/rules/)
// with reasoned suppressions, and one acceptance API for both (acceptance.ts).
export * from "./security-rules";
export * from "./wiring";
export * from "./acceptance";

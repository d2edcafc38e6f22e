// The core every other layer builds on, with no construct in it: ValidationError and the
// collect-all Validator with its naming rules and opt-outs (validation.ts), IPv4 CIDR arithmetic
// (cidr.ts), and running an app so that nothing is written when anything is invalid (synth.ts).
//
// Also here, imported by their own paths (`aks-secrets-platform/core/facts`, ...) rather than
// through this barrel: the facts constructs publish about themselves for the verification layer
// (facts.ts: defineFact, publishFact, collectFacts; facts-cluster.ts, facts-kubernetes.ts,
// facts-azure.ts, facts-vault.ts: the kinds of each domain), and what a Terraform resource will
// synthesize with the readers of its values (terraform-config.ts).
export * from "./validation";
export * from "./cidr";
export * from "./synth";

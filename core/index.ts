// The core every other layer builds on, with no construct in it: ValidationError and the
// collect-all Validator with its naming rules and opt-outs (validation.ts), IPv4 CIDR arithmetic
// (cidr.ts), and running an app so that nothing is written when anything is invalid (synth.ts).
export * from "./validation";
export * from "./cidr";
export * from "./synth";
export * from "./provider-versions";

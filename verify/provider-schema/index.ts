// The offline stand-in for `terraform validate`: synthesized JSON checked against the vendored
// schemas of the pinned provider versions (vendor/provider-schemas/).
export * from "./check";

// Wiring verification: every path from a pod to a secret, checked across stacks at synth.
//
// The constructs check what they can see alone (a WorkloadServiceAccount checks that its
// identity trusts it, a SecretProviderClass with a KeyVault checks its identity's read grants, a
// VsoVaultAuth is built from its JWT role). What only the whole tree shows is checked here, once
// per validation pass, over the facts the constructs publish about themselves (core/facts*.ts)
// and those read from raw Terraform resources (wiring/resources.ts): which cluster each
// in-cluster construct is deployed to, which pods mount which class and run as which service
// account, which identity a client ID or a vault name given as a string stands for. No construct
// module is imported here: a new construct publishes facts, a new check is a file in
// wiring/checks/ registered with registerWiringCheck. Problems are reported on the construct
// that holds the broken link, so `validateTree(app)` / `validateAndSynth(app)` fail before
// anything is written.
//
//   wiring/types.ts      report data types           wiring/registry.ts  checks and path builders
//   wiring/clusters.ts   placement on clusters       wiring/context.ts   what a check gets
//   wiring/resources.ts  facts from raw resources    wiring/checks/      the checks, by store
//   wiring/paths.ts      the report's paths          wiring/analyze.ts   one analysis, opt-outs
//   wiring/hooks.ts      one analysis per pass       wiring/report.ts    data, Markdown, Mermaid, file
import { IConstruct } from "constructs";
import { checkOptOut, OptOut, recordOptOut, Validator } from "../core/validation";
import { UNVERIFIED_WIRING_OPT_OUT_NAME } from "./wiring/types";

export { declareClusterScope } from "../core/facts-cluster";
export type { ClusterByName } from "../core/facts-cluster";
export { UNVERIFIED_WIRING_OPT_OUT, WIRING_REPORT_ENV, WIRING_REPORT_FILE } from "./wiring/types";
export type { AcceptedWiring, WiringIdentityMode, WiringPath, WiringProblem, WiringReport } from "./wiring/types";
export { applyWiringChecks } from "./wiring/hooks";
export { formatWiringReport, wiringChecksMarkdown, wiringMermaid, wiringReport, writeWiringReport } from "./wiring/report";
export { registerWiringCheck, registerWiringPaths, wiringCheck, wiringChecks } from "./wiring/registry";
export type { WiringCheck, WiringPathBuilder } from "./wiring/registry";
export type { PodRef, Reporter, ServiceAccountEntry, WiringContext } from "./wiring/context";
export type { ClusterInfo, Clusters, Tri } from "./wiring/clusters";

/**
 * Accepts wiring that the checks cannot verify under `scope` (the construct, or any ancestor such
 * as a stack for a whole legacy stack): a client ID, vault name, tenant or Vault mount given as a
 * string that matches no construct of the app, a service account created outside the app. The
 * reason (10 characters or more) is recorded as `aks-secrets:opt-out:unverifiedWiring` and listed
 * in the wiring report. Broken links (a mismatch the checks can prove) cannot be accepted.
 */
export function allowUnverifiedWiring(scope: IConstruct, optOut: OptOut): void {
  const v = new Validator(scope);
  checkOptOut(v, "allowUnverifiedWiring.reason", optOut ?? {}, "an opt-out of the wiring checks", "it is printed in the wiring report");
  v.throwIfAny();
  recordOptOut(scope, UNVERIFIED_WIRING_OPT_OUT_NAME, { reason: optOut.reason.trim() });
}

// The wiring report's data types and the names of the wiring opt-out and report file.
import { OPT_OUT_METADATA_PREFIX, ValidationProblem } from "../../core/validation";
import { SecurityReport } from "../security-rules";

/** Name of the opt-out recorded by `allowUnverifiedWiring` (see `recordOptOut`). */
export const UNVERIFIED_WIRING_OPT_OUT_NAME = "unverifiedWiring";
/** Metadata type of the opt-out recorded by `allowUnverifiedWiring`: `aks-secrets:opt-out:unverifiedWiring`. */
export const UNVERIFIED_WIRING_OPT_OUT = `${OPT_OUT_METADATA_PREFIX}${UNVERIFIED_WIRING_OPT_OUT_NAME}`;
/** Metadata type of an acceptance of one wiring check's unverifiable links (`Verification.of(scope).accept({ id, reason })`): data `{ id, reason }`. */
export const WIRING_ACCEPTANCE = "aks-secrets:accept-wiring";
/** File written beside the synthesized stacks (in the app's outdir). */
export const WIRING_REPORT_FILE = "wiring-report.md";
/** Set to `1` to print the wiring report when the app is synthesized with `validateAndSynth`. */
export const WIRING_REPORT_ENV = "WIRING_REPORT";

/** How the pods of a path log in to the store. */
export type WiringIdentityMode =
  /** Entra Workload ID: a service account token exchanged for a user-assigned identity. */
  | "workload-identity"
  /** The AKS Key Vault Secrets Provider add-on's identity (or another VM-assigned identity). */
  | "vm-managed-identity"
  /** Vault JWT auth: a service account token presented to a Vault role. */
  | "vault-jwt"
  | "other";

/** One path from workloads to secrets. */
export interface WiringPath {
  /** `azure-key-vault`, `vault` (HashiCorp / HCP Vault) or `aws`. */
  readonly store: "azure-key-vault" | "vault" | "aws";
  /** The store, for people: `Key Vault kv-x (platform/keyvault)`, `HCP Vault vault-x (hcp/vault)`. */
  readonly storeLabel: string;
  /** What delivers the secrets: `SecretProviderClass demo/x` or `VaultStaticSecret demo/y`. */
  readonly via: string;
  /** Construct path of {@link via}. */
  readonly viaPath: string;
  /**
   * For a SecretProviderClass: what runs its CSI provider on the cluster (the AKS add-on, or the
   * installer construct and its chart); undefined when nothing does (a problem) or for other paths.
   */
  readonly installer?: string;
  /** Cluster the path is deployed to, when known. */
  readonly cluster?: string;
  readonly namespace: string;
  /** Workloads whose pods take part: `Deployment demo/app` (or `pods of PodSecretsMount`). */
  readonly workloads: readonly string[];
  /** Service accounts the pods (or the operator) log in as, `NAMESPACE/NAME`. */
  readonly serviceAccounts: readonly string[];
  readonly identityMode: WiringIdentityMode;
  /** The identity, for people: `WorkloadIdentity platform/workload-demo`, `CSI add-on identity of platform/cluster`, `JWT role demo (auth/jwt-aks)`. */
  readonly identity: string;
  /** Secret names (Key Vault) or paths (Vault) read. */
  readonly secrets: readonly string[];
  /** Kubernetes Secrets the secrets are synced into, `NAMESPACE/NAME`. */
  readonly syncedSecrets: readonly string[];
  /** True when no wiring problem (accepted or not) was found on the path. */
  readonly verified: boolean;
}

/** A wiring problem, with the id of the check that found it (see `wiringChecks()`). */
export interface WiringProblem extends ValidationProblem {
  /** `AKSW-...`: the check (or, for a construct's own check, the check it stands in for). */
  readonly checkId?: string;
}

/** An unverifiable link accepted with `allowUnverifiedWiring` or `Verification.of(scope).accept({ id, reason })`. */
export interface AcceptedWiring extends WiringProblem {
  readonly reason: string;
  /** Construct path where the opt-out was recorded. */
  readonly optOutAt: string;
}

/** Everything the wiring checks know about an app, as data. */
export interface WiringReport {
  readonly paths: readonly WiringPath[];
  /** Wiring problems that fail validation (empty for a valid app). */
  readonly problems: readonly WiringProblem[];
  /** Unverifiable links accepted with a written reason. */
  readonly accepted: readonly AcceptedWiring[];
  /** Opt-outs recorded with `allowUnverifiedWiring` (or acceptances of a wiring check id) that matched nothing. */
  readonly unusedOptOuts: readonly { readonly path: string; readonly reason: string }[];
  /** The security rules' findings and suppressions (`securityReport`). */
  readonly security: SecurityReport;
}


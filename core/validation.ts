import { Token } from "cdktf";
import { IConstruct } from "constructs";
import { isKnownAzureLocation } from "./azure-locations";

/**
 * One broken rule: which construct, which field, which value, which rule.
 */
export interface ValidationProblem {
  /** Construct path, e.g. `platform/cluster`. */
  readonly path: string;
  /** The prop or argument, e.g. `dnsPrefix` or `serviceAccounts[2].namespace`. */
  readonly field: string;
  /** The offending value as given (stringified). */
  readonly value: string;
  /** The rule it breaks, phrased so the fix is obvious. */
  readonly rule: string;
}

/**
 * Thrown when input breaks a rule. Its message names the construct path, the field,
 * the value and the rule, one line per problem, so the message alone explains the failure.
 */
export class ValidationError extends Error {
  public readonly problems: ValidationProblem[];

  constructor(problems: ValidationProblem[]) {
    super(ValidationError.format(problems));
    this.name = "ValidationError";
    this.problems = problems;
  }

  static format(problems: ValidationProblem[]): string {
    const lines = problems.map((p) => `  [${p.path}] ${p.field}: ${p.value} — ${p.rule}`);
    return `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "(not set)";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** True when the value is a cdktf token (known only at apply time); such values are not checked. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === "string" ? Token.isUnresolved(value) : false;
}

/**
 * Collects the problems of one construct and throws them together, so a user fixes all
 * of a construct's input in one pass.
 */
export class Validator {
  private readonly problems: ValidationProblem[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Records a problem. */
  fail(field: string, value: unknown, rule: string): this {
    this.problems.push({ path: this.scope.node.path, field, value: show(value), rule });
    return this;
  }

  /** Records a problem unless `ok`. */
  check(ok: boolean, field: string, value: unknown, rule: string): this {
    if (!ok) this.fail(field, value, rule);
    return this;
  }

  /**
   * Checks a string against a named rule; tokens and `undefined` (for optional props) pass.
   */
  rule(field: string, value: string | undefined, r: StringRule): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (!r.test(value)) this.fail(field, value, r.description);
    return this;
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  /** Throws a {@link ValidationError} if any problem was recorded. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new ValidationError([...this.problems]);
  }
}

/** The shortest reason an opt-out of a secure default may give. */
export const MIN_REASON_LENGTH = 10;
/** Prefix of the construct metadata that records an opt-out: `aks-secrets:opt-out:NAME` = reason. */
export const OPT_OUT_METADATA_PREFIX = "aks-secrets:opt-out:";

/** An explicit opt-out of a secure default: the reason is recorded and listed in the reports. */
export interface OptOut {
  readonly reason: string;
}

/** The rule an opt-out without a usable reason breaks, as {@link checkOptOut} words it for a secure default. */
export const OPT_OUT_REASON_RULE = `an opt-out of the secure default needs a written reason (${MIN_REASON_LENGTH} characters or more)`;

/**
 * Checks the reason of an opt-out when one is given. `field` names the reason itself
 * (`allowDestroy.reason`); `what` says what is being opted out of in the rule text; `note`,
 * when given, is appended to it (`: it is printed in the security report`). To require the
 * reason of an opt-out that is always given (a function's argument), pass `optOut ?? {}`.
 */
export function checkOptOut(v: Validator, field: string, optOut: Partial<OptOut> | undefined, what = "an opt-out of the secure default", note?: string): void {
  if (!optOut) return;
  v.check(
    typeof optOut.reason === "string" && optOut.reason.trim().length >= MIN_REASON_LENGTH,
    field,
    optOut.reason,
    `${what} needs a written reason (${MIN_REASON_LENGTH} characters or more)${note ? `: ${note}` : ""}`,
  );
}

/** Records an opt-out on the construct (`aks-secrets:opt-out:NAME` = reason), where the security rules and reports find it. */
export function recordOptOut(scope: IConstruct, name: string, optOut: OptOut | undefined): void {
  if (optOut) scope.node.addMetadata(`${OPT_OUT_METADATA_PREFIX}${name}`, optOut.reason);
}

/** A named rule for a string value. */
export interface StringRule {
  readonly description: string;
  test(value: string): boolean;
}

function pattern(re: RegExp, min: number, max: number, description: string, extra?: (v: string) => boolean): StringRule {
  return {
    description,
    test: (v) => v.length >= min && v.length <= max && re.test(v) && (extra ? extra(v) : true),
  };
}

/** Naming rules, with the text users see when they break one. */
export const Rules = {
  guid: pattern(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    36,
    36,
    "must be a GUID like 00000000-0000-0000-0000-000000000000",
  ),
  /** Microsoft.KeyVault/vaults: 3-24, letters, digits and single hyphens, starts with a letter, ends with a letter or digit. */
  keyVaultName: pattern(
    /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    3,
    24,
    "Key Vault names are 3-24 characters of letters, digits and hyphens, start with a letter, end with a letter or digit, with no two hyphens in a row (and are globally unique)",
    (v) => !v.includes("--"),
  ),
  /** Secret names in Key Vault: 1-127, letters, digits and hyphens. */
  keyVaultSecretName: pattern(
    /^[a-zA-Z0-9-]+$/,
    1,
    127,
    "Key Vault object names are 1-127 characters of letters, digits and hyphens",
  ),
  /** Microsoft.ContainerService/managedClusters name. */
  aksClusterName: pattern(
    /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/,
    1,
    63,
    "AKS cluster names are 1-63 characters of letters, digits, hyphens and underscores, starting and ending with a letter or digit",
  ),
  /** AKS DNS prefix. */
  aksDnsPrefix: pattern(
    /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    1,
    54,
    "AKS DNS prefixes are 1-54 characters of letters, digits and hyphens, starting and ending with a letter or digit",
  ),
  /** AKS node pool name (Linux). */
  aksNodePoolName: pattern(
    /^[a-z][a-z0-9]*$/,
    1,
    12,
    "AKS Linux node pool names are 1-12 lowercase letters and digits, starting with a letter",
  ),
  /** Microsoft.ManagedIdentity/userAssignedIdentities name. */
  managedIdentityName: pattern(
    /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    3,
    128,
    "managed identity names are 3-128 characters of letters, digits, hyphens and underscores, starting with a letter or digit",
  ),
  /** Federated identity credential name. */
  federatedCredentialName: pattern(
    /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    3,
    120,
    "federated credential names are 3-120 characters of letters, digits, hyphens and underscores, starting with a letter or digit",
  ),
  /** Resource group name. */
  resourceGroupName: pattern(
    /^[-\w._()]*[-\w_()]$/u,
    1,
    90,
    "resource group names are 1-90 characters of letters, digits, underscores, hyphens, periods and parentheses, not ending in a period",
  ),
  /** Virtual network / subnet names. */
  networkName: pattern(
    /^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/,
    2,
    64,
    "virtual network and subnet names are 2-64 characters of letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
  ),
  /** Kubernetes namespaces, service account names: RFC 1123 label. */
  dns1123Label: pattern(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    1,
    63,
    "must be a DNS-1123 label: at most 63 characters of lowercase letters, digits and '-', starting and ending with a letter or digit",
  ),
  /** Most Kubernetes object names: RFC 1123 subdomain. */
  dns1123Subdomain: pattern(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    1,
    253,
    "must be a DNS-1123 subdomain: at most 253 characters of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  ),
  /** Azure location names as the ARM API spells them (`westeurope`). */
  azureLocation: pattern(
    /^[a-z][a-z0-9]*$/,
    2,
    40,
    "must be an Azure region as ARM names it, lowercase without spaces, such as westeurope or eastus2 (a region newer than the library's list, or a sovereign cloud's: allowAzureLocations(\"NAME\") before building)",
    isKnownAzureLocation,
  ),
  /** ARM IDs, by the resource type they must name; tokens pass (Validator.rule). */
  resourceGroupId: armIdRule("a resource group", "", "/subscriptions/SUBSCRIPTION/resourceGroups/GROUP"),
  subnetId: armIdRule("a subnet", "Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET"),
  virtualNetworkId: armIdRule("a virtual network", "Microsoft.Network/virtualNetworks/VNET"),
  aksClusterId: armIdRule("an AKS cluster", "Microsoft.ContainerService/managedClusters/CLUSTER"),
  keyVaultId: armIdRule("a Key Vault", "Microsoft.KeyVault/vaults/VAULT"),
  userAssignedIdentityId: armIdRule("a user-assigned managed identity", "Microsoft.ManagedIdentity/userAssignedIdentities/IDENTITY"),
} satisfies Record<string, StringRule>;

/**
 * A rule for the ARM ID of one resource type: `/subscriptions/GUID/resourceGroups/GROUP` followed by
 * `/providers/` and `typePath`, whose upper-case words stand for names. Segment names are compared
 * without case, as ARM does.
 */
export function armIdRule(what: string, typePath: string, shape = `/subscriptions/SUBSCRIPTION/resourceGroups/GROUP/providers/${typePath}`): StringRule {
  const name = "[^/\\s]+";
  const tail = typePath
    .split("/")
    .map((seg) => (/^[A-Z_]+$/.test(seg) ? name : seg.replace(/\./g, "\\.")))
    .join("/");
  const re = new RegExp(`^/subscriptions/[^/\\s]+/resourceGroups/[-\\w._()]+${typePath ? `/providers/${tail}` : ""}$`, "i");
  return { description: `must be the ARM ID of ${what}: ${shape}`, test: (v) => re.test(v) };
}

/** Azure's limits on tags (azurerm validates the first three; ARM refuses the key characters at apply). */
export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 512, maxValueLength: 256, forbiddenKeyCharacters: "<>%&\\?/" } as const;

/** Checks a resource's tags against {@link TAG_LIMITS}; `field` is the prop (`tags`). */
export function checkTags(v: Validator, field: string, tags: Record<string, string> | undefined): void {
  if (tags === undefined || isUnresolved(tags as unknown as string)) return;
  const keys = Object.keys(tags);
  v.check(keys.length <= TAG_LIMITS.maxTags, field, `${keys.length} tags`, `holds at most ${TAG_LIMITS.maxTags} tags (an Azure limit)`);
  for (const k of keys) {
    if (isUnresolved(k)) continue;
    v.check(k.length >= 1 && k.length <= TAG_LIMITS.maxKeyLength, `${field}["${k}"]`, k, `tag names are 1-${TAG_LIMITS.maxKeyLength} characters (an Azure limit)`);
    v.check(![...TAG_LIMITS.forbiddenKeyCharacters].some((c) => k.includes(c)), `${field}["${k}"]`, k, `tag names cannot hold any of < > % & \\ ? / (Azure refuses them)`);
    const value = tags[k];
    if (typeof value === "string" && !isUnresolved(value)) v.check(value.length <= TAG_LIMITS.maxValueLength, `${field}["${k}"]`, value, `tag values are at most ${TAG_LIMITS.maxValueLength} characters (an Azure limit)`);
  }
}

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/**
 * Parses a Go duration made of h, m, s and ms parts (`2m`, `1h30m`, `90s`) into seconds,
 * or `undefined` when it is not one. This is the format the Secrets Store CSI driver and
 * AKS accept for the rotation poll interval.
 */
export function parseGoDuration(value: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
  return total;
}

/**
 * Runs every validation registered with `node.addValidation` in the tree under `scope`
 * and throws one {@link ValidationError} for all of them. Call before `app.synth()` (the
 * {@link validateAndSynth} helper does) so that nothing is written when any stack is invalid:
 * cdktf alone validates stack by stack, writing the earlier stacks first.
 */
export function validateTree(scope: IConstruct): void {
  const problems: ValidationProblem[] = [];
  const all = scope.node.findAll();
  const outer = sweep;
  sweep = { root: scope, all };
  try {
    for (const c of all) {
      for (const message of c.node.validate()) {
        problems.push(parseProblem(c.node.path, message));
      }
    }
  } finally {
    sweep = outer;
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/** The sweep {@link validateTree} is making: its scope and the constructs it validates, preorder. */
let sweep: { readonly root: IConstruct; readonly all: readonly IConstruct[] } | undefined;

/**
 * The scope {@link validateTree} is sweeping, while its validations run (else undefined): a
 * validation on that scope, which runs before those of its children, may do the work of the
 * same validation on a scope below it.
 */
export function sweepRoot(): IConstruct | undefined {
  return sweep?.root;
}

/**
 * Every construct under `scope`, preorder, as `scope.node.findAll()` lists them: while
 * {@link validateTree} sweeps `scope`, the list it validates, instead of another walk of the
 * tree (at a thousand workloads a walk costs ~10 ms). Constructs a validation adds during the
 * sweep are in neither.
 */
export function constructsUnder(scope: IConstruct): readonly IConstruct[] {
  return sweep?.root === scope ? sweep.all : scope.node.findAll();
}

/** Encodes a problem as a string for `node.addValidation`, decoded again by {@link validateTree}. */
export function problemMessage(field: string, value: unknown, rule: string): string {
  return JSON.stringify({ field, value: show(value), rule });
}

function parseProblem(path: string, message: string): ValidationProblem {
  try {
    const p = JSON.parse(message);
    if (p && typeof p.field === "string" && typeof p.rule === "string") {
      return { path, field: p.field, value: String(p.value), rule: p.rule };
    }
  } catch {
    /* a plain message from another library */
  }
  return { path, field: "(construct)", value: "-", rule: message };
}

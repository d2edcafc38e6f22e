import { JwtAuthBackend } from "@cdktf/provider-vault/lib/jwt-auth-backend";
import { JwtAuthBackendRole } from "@cdktf/provider-vault/lib/jwt-auth-backend-role";
import { Policy } from "@cdktf/provider-vault/lib/policy";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { publishFact } from "../../core/facts";
import { VAULT_JWT_AUTH, VAULT_JWT_ROLE } from "../../core/facts-vault";
import { isUnresolved, parseGoDuration, Rules, StringRule, Validator } from "../../core/validation";
import { AZURE_AD_TOKEN_EXCHANGE_AUDIENCE, IOidcIssuer, serviceAccountSubject } from "../azure/workload-identity";
import { checkProps } from "../../core/props";

/** A secret in a Vault KV version 2 engine: the mount and the secret's path inside it. */
export interface VaultKvV2Secret {
  /** Mount path of the KV v2 engine, e.g. `secret`. */
  readonly mount: string;
  /** Path of the secret inside the mount, e.g. `demo/config` (without `data/`). */
  readonly path: string;
}

/** Every secret under a path of a KV version 2 engine (what an External Secrets `dataFrom.find` reads). */
export interface VaultKvV2Prefix {
  /** Mount path of the KV v2 engine, e.g. `secret`. */
  readonly mount: string;
  /** The folder inside the mount, e.g. `team-a` (every secret under `team-a/`, at any depth). */
  readonly path: string;
}

/** The API path a read of a KV v2 secret goes to: `MOUNT/data/PATH`. */
export function kvV2DataPath(secret: VaultKvV2Secret): string {
  return `${secret.mount}/data/${secret.path}`;
}

/** The audience a service account token for Vault carries by default. */
export const DEFAULT_VAULT_AUDIENCE = "vault";

/** Vault mount paths: segments of letters, digits, `_`, `-`, `.`, no leading or trailing slash. */
export const vaultMountPath: StringRule = {
  description: "must be a Vault mount path: segments of letters, digits, '_', '-' and '.', separated by '/', without a leading or trailing slash",
  test: (v) => v.length <= 128 && /^[a-zA-Z0-9][a-zA-Z0-9_.-]*(\/[a-zA-Z0-9_.-]+)*$/.test(v) && !v.split("/").includes(".."),
};

/** A KV secret path inside its mount. */
const kvSecretPath: StringRule = {
  description: "must be a secret path inside the mount such as demo/config: segments of letters, digits, '_', '-' and '.', no leading or trailing slash, no globs ('*', '+'), not starting with data/ or metadata/ (the policy adds data/ itself)",
  test: (v) => /^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/.test(v) && !/^(data|metadata)\//.test(v) && !v.split("/").includes(".."),
};

/** Names of existing Vault policies a role attaches (Vault lowercases them; no spaces or commas). */
export const vaultPolicyNameRule: StringRule = {
  description: "must be a Vault policy name: 1-128 letters, digits, '_', '-', '.', '@', '+' or '=', starting with a letter or digit (no spaces or commas)",
  test: (v) => /^[A-Za-z0-9][A-Za-z0-9_.@+=-]{0,127}$/.test(v),
};

/** Role names double as policy-name parts; Vault lowercases policy names, so they are kept lowercase. */
const roleNameRule: StringRule = {
  description: "Vault role names here are 1-63 lowercase letters, digits, '_', '-' and '.', starting and ending with a letter or digit",
  test: (v) => /^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$/.test(v),
};

/** How Vault gets the keys that verify service account tokens. */
export type JwtKeySource =
  /** Vault reads the issuer's discovery document and JWKS (the AKS issuer serves them publicly, even for a private API server). */
  | { readonly mode: "discovery" }
  /** Vault verifies with these PEM public keys: for a Vault that cannot reach the issuer. Rotate them with the cluster's signing keys. */
  | { readonly mode: "publicKeys"; readonly keys: readonly string[] };

export interface VaultJwtRoleOptions {
  /** Role name, unique in the mount (lowercase letters, digits, `_`, `-`, `.`). */
  readonly name: string;
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account the role trusts. */
  readonly serviceAccountName: string;
  /** Audiences of which the token must carry one. @default the auth's `defaultAudiences` (`["vault"]`) */
  readonly audiences?: readonly string[];
  /**
   * KV v2 secrets the role may read through a read-only policy of its own, created here
   * (`MOUNT-ROLE-read`: `read` on exactly these, nothing else). At least one, unless the role
   * attaches {@link policies}.
   * @default - none: then the role's rights are its attached policies alone
   */
  readonly secrets?: readonly VaultKvV2Secret[];
  /**
   * Existing Vault policies to attach by name, managed outside this app (such as the `dev`
   * policy of the HCP Vault walkthrough). Their rules are not visible here: what the role reads
   * through them is checked only as far as {@link policyReads} states it.
   * @default - none
   */
  readonly policies?: readonly string[];
  /**
   * KV v2 secrets the attached {@link policies} let the role read, as you state it: the wiring
   * checks and VaultStaticSecret accept syncs of these, and the report marks them as stated,
   * not verified. A secret read through attached policies and not listed here is an
   * unverifiable link (accept it with `allowUnverifiedWiring`).
   * @default - none
   */
  readonly policyReads?: readonly VaultKvV2Secret[];
  /**
   * Folders of which the role may list and read every secret (`list` on `MOUNT/metadata/PATH/*`,
   * `read` on `MOUNT/data/PATH/*`): what an External Secrets `dataFrom.find` of a path needs.
   * @default - none
   */
  readonly secretPrefixes?: readonly VaultKvV2Prefix[];
  /** TTL of the Vault tokens issued, a Go duration from 1m to 24h. @default "20m" */
  readonly tokenTtl?: string;
  /** Longest life of a Vault token with renewals, 1m to 24h and not shorter than tokenTtl. @default "1h" */
  readonly tokenMaxTtl?: string;
}

export interface VaultJwtAuthProps {
  /** Whose service account tokens to trust: the {@link AksCluster} (its OIDC issuer URL). */
  readonly issuer: IOidcIssuer;
  /** Mount path of the JWT auth method. Use one mount per cluster. @default "jwt-aks" */
  readonly path?: string;
  readonly description?: string;
  /** Where Vault gets the verification keys. @default { mode: "discovery" } */
  readonly keys?: JwtKeySource;
  /** Vault namespace of the mount, roles and policies. @default the Vault provider's namespace (`admin` in the stacks here) */
  readonly vaultNamespace?: string;
  /** Audiences for roles that name none. @default ["vault"] */
  readonly defaultAudiences?: readonly string[];
  /** Roles to create at once; more with {@link VaultJwtAuth.addRole}. @default none */
  readonly roles?: readonly VaultJwtRoleOptions[];
}

/**
 * A JWT role of a {@link VaultJwtAuth}: which service account (subject) and audiences it
 * trusts and which secrets its policy may read. A `VaultAuth` of the Vault Secrets Operator
 * is built from this object, so the audiences and subject are never typed twice.
 */
export class VaultJwtRole {
  /** `system:serviceaccount:NAMESPACE:NAME`, the role's `bound_subject`. */
  public readonly subject: string;
  /** Seconds, as sent to Vault. */
  public readonly tokenTtlSeconds: number;
  public readonly tokenMaxTtlSeconds: number;

  constructor(
    /** The auth method the role belongs to. */
    public readonly auth: VaultJwtAuth,
    public readonly name: string,
    public readonly namespace: string,
    public readonly serviceAccountName: string,
    public readonly audiences: readonly string[],
    /** The secrets of the role's own read-only policy (empty when it has none). */
    public readonly secrets: readonly VaultKvV2Secret[],
    /** The role's own read-only policy, by name (undefined when it attaches existing policies only). */
    public readonly policyName: string | undefined,
    /** The own policy's HCL. */
    public readonly policyDocument: string | undefined,
    public readonly resource: JwtAuthBackendRole,
    public readonly policy: Policy | undefined,
    ttl: { ttl: number; maxTtl: number },
    attached: { readonly policies?: readonly string[]; readonly reads?: readonly VaultKvV2Secret[] } = {},
    /** Folders whose secrets the role may list and read. */
    public readonly secretPrefixes: readonly VaultKvV2Prefix[] = [],
  ) {
    this.subject = serviceAccountSubject(namespace, serviceAccountName);
    this.tokenTtlSeconds = ttl.ttl;
    this.tokenMaxTtlSeconds = ttl.maxTtl;
    this.attachedPolicies = [...(attached.policies ?? [])];
    this.policyReads = [...(attached.reads ?? [])];
  }

  /** Existing policies attached by name (managed outside this app). */
  public readonly attachedPolicies: readonly string[];
  /** What the attached policies read, as stated in {@link VaultJwtRoleOptions.policyReads}. */
  public readonly policyReads: readonly VaultKvV2Secret[];

  /** Every policy the role's tokens carry: its own, then the attached ones. */
  get tokenPolicies(): readonly string[] {
    return [...(this.policyName ? [this.policyName] : []), ...this.attachedPolicies];
  }

  /**
   * How the role may read a secret: `own` (its own policy grants it, checked), `stated` (an
   * attached policy does, as stated in `policyReads`), `unknown` (it attaches policies whose
   * rules are not visible here), or `none`.
   */
  readAccess(secret: VaultKvV2Secret): "own" | "stated" | "unknown" | "none" {
    const same = (s: VaultKvV2Secret) => s.mount === secret.mount && s.path === secret.path;
    if (this.secrets.some(same)) return "own";
    if (this.policyReads.some(same)) return "stated";
    return this.attachedPolicies.length > 0 ? "unknown" : "none";
  }

  /** What the role's policies read, for messages: `policy P reads A, B; attached: dev`. */
  describeReads(): string {
    const own = this.policyName ? `policy ${this.policyName} reads ${this.secrets.map(kvV2DataPath).join(", ")}` : "no policy of its own";
    return this.attachedPolicies.length > 0 ? `${own}; attached: ${this.attachedPolicies.join(", ")}${this.policyReads.length > 0 ? ` (stated to read ${this.policyReads.map(kvV2DataPath).join(", ")})` : ""}` : own;
  }

  /** Mount path of the auth method (what a `VaultAuth`'s `mount` names). */
  get mount(): string {
    return this.auth.path;
  }

  /** True when the role's own policy grants read on this secret (named, or under one of its prefixes), or an attached one is stated to. */
  canRead(secret: VaultKvV2Secret): boolean {
    const a = this.readAccess(secret);
    return a === "own" || a === "stated" || this.secretPrefixes.some((p) => p.mount === secret.mount && secret.path.startsWith(`${p.path}/`));
  }

  /** True when the role may list (and read) every secret under `path` of `mount`. */
  canList(mount: string, path: string): boolean {
    return this.secretPrefixes.some((p) => p.mount === mount && (path === p.path || path.startsWith(`${p.path}/`)));
  }

  /** True when a token of this service account with this audience may log in with the role. */
  accepts(namespace: string, serviceAccountName: string, audience: string): boolean {
    return this.namespace === namespace && this.serviceAccountName === serviceAccountName && this.audiences.includes(audience);
  }
}

const TTL_MIN_S = 60;
const TTL_MAX_S = 24 * 3600;

/**
 * Vault's JWT auth method trusting one AKS cluster's OIDC issuer. Vault validates service
 * account tokens with the issuer's keys and never calls the cluster, which is what a private
 * AKS API server needs: Kubernetes auth would call TokenReview, which HCP Vault cannot reach.
 *
 * Each role binds one service account (`bound_subject`, `user_claim = "sub"`), requires one of
 * its audiences (`bound_audiences`), and carries one read-only policy on exactly the KV v2
 * secrets it may read (`capabilities = ["read"]` on `MOUNT/data/PATH`).
 */
/** Per construct tree: the JWT auth methods by stack, Vault namespace and mount path. */
const JWT_MOUNTS = new WeakMap<object, Map<string, VaultJwtAuth>>();

export class VaultJwtAuth extends Construct {
  /** The auth mount. Address stays `vault_jwt_auth_backend.<id>_backend`. */
  public readonly backend: JwtAuthBackend;
  /** Mount path, e.g. `jwt-aks`. */
  public readonly path: string;
  /** The issuer URL trusted (`bound_issuer`). */
  public readonly issuerUrl: string;
  /** The issuer as given (the {@link AksCluster} normally): what the wiring checks compare clusters with. */
  public readonly issuer: IOidcIssuer;
  public readonly defaultAudiences: readonly string[];
  /** Vault namespace of the mount, when given (else the Vault provider's). */
  public readonly vaultNamespace?: string;
  private readonly roleList: VaultJwtRole[] = [];

  constructor(scope: Construct, id: string, props: VaultJwtAuthProps) {
    super(scope, id);
    checkProps(this, "VaultJwtAuth", props);
    const path = props.path ?? "jwt-aks";
    const keys = props.keys ?? { mode: "discovery" };
    const defaultAudiences = props.defaultAudiences ?? [DEFAULT_VAULT_AUDIENCE];
    const v = new Validator(this).rule("path", path, vaultMountPath).check(!!props.issuer, "issuer", undefined, "needs the cluster (or issuer) whose service account tokens to trust");
    const issuerUrl = props.issuer?.oidcIssuerUrl;
    if (issuerUrl !== undefined && !isUnresolved(issuerUrl)) {
      v.check(/^https:\/\/[^\s/]+(\/\S*)?$/.test(issuerUrl), "issuer.oidcIssuerUrl", issuerUrl, "must be an https URL: the cluster's OIDC issuer, exactly as it appears in the tokens' iss claim");
    }
    if (keys.mode === "publicKeys") {
      v.check(keys.keys.length > 0, "keys.keys", keys.keys, "must list at least one PEM public key");
      keys.keys.forEach((k, i) => {
        if (!isUnresolved(k)) v.check(/-----BEGIN PUBLIC KEY-----/.test(k), `keys.keys[${i}]`, k.slice(0, 40), "must be a PEM public key (-----BEGIN PUBLIC KEY-----)");
      });
    } else if (keys.mode !== "discovery") {
      v.fail("keys.mode", (keys as { mode?: string }).mode, 'must be "discovery" or "publicKeys"');
    }
    checkAudiences(v, "defaultAudiences", defaultAudiences);
    // Two auth methods on one mount path of one Vault (the stack's provider) and namespace collide at apply.
    const mountKey = `${TerraformStack.of(this).node.path}|${props.vaultNamespace ?? ""}|${path}`;
    const mounts = JWT_MOUNTS.get(this.node.root) ?? new Map<string, VaultJwtAuth>();
    JWT_MOUNTS.set(this.node.root, mounts);
    const twin = isUnresolved(path) ? undefined : mounts.get(mountKey);
    if (twin) v.fail("path", path, `is already the mount path of ${twin.node.path} in this Vault${props.vaultNamespace ? ` (namespace ${props.vaultNamespace})` : ""}: two auth methods cannot share a mount; give this one another path`);
    v.throwIfAny();
    mounts.set(mountKey, this);

    this.path = path;
    this.issuerUrl = issuerUrl;
    this.issuer = props.issuer;
    this.defaultAudiences = [...defaultAudiences];
    this.vaultNamespace = props.vaultNamespace;
    this.backend = new JwtAuthBackend(this, "backend", {
      path,
      type: "jwt",
      description: props.description ?? "Service account tokens of an AKS cluster, verified against its OIDC issuer",
      boundIssuer: issuerUrl,
      oidcDiscoveryUrl: keys.mode === "discovery" ? issuerUrl : undefined,
      jwtValidationPubkeys: keys.mode === "publicKeys" ? [...keys.keys] : undefined,
      namespace: props.vaultNamespace,
    });
    publishFact(this, VAULT_JWT_AUTH, { path, issuer: props.issuer, issuerUrl, target: () => this.vaultTarget() });
    (props.roles ?? []).forEach((r, i) => this.addRole(r, `roles[${i}]`));
  }

  /** The roles created so far. */
  get roles(): readonly VaultJwtRole[] {
    return [...this.roleList];
  }

  /** The role of this name, if any. */
  role(name: string): VaultJwtRole | undefined {
    return this.roleList.find((r) => r.name === name);
  }

  /**
   * The Vault this mount is configured through: the backend's provider, else the stack's default
   * Vault provider; and the Vault namespace of the mount (without a provider in sight it is
   * unknown; with one, no namespace means the root namespace, `""`).
   */
  private vaultTarget(): { address?: string; namespace?: string } {
    const provider = (this.backend.provider as VaultProvider | undefined) ?? TerraformStack.of(this).node.children.find((c): c is VaultProvider => c instanceof VaultProvider && !c.alias);
    return { address: provider?.address, namespace: this.vaultNamespace ?? (provider ? provider.namespace ?? "" : undefined) };
  }

  /**
   * Adds a role bound to one service account, with a read-only policy on its secrets.
   * Throws a ValidationError at once on bad input.
   */
  addRole(options: VaultJwtRoleOptions, field = "addRole"): VaultJwtRole {
    const v = new Validator(this);
    const audiences = options.audiences ?? this.defaultAudiences;
    const tokenTtl = options.tokenTtl ?? "20m";
    const tokenMaxTtl = options.tokenMaxTtl ?? "1h";
    v.check(typeof options.name === "string", `${field}.name`, options.name, "is required: the role name, unique in the mount")
      .check(typeof options.namespace === "string", `${field}.namespace`, options.namespace, "is required: the Kubernetes namespace of the service account the role binds")
      .check(typeof options.serviceAccountName === "string", `${field}.serviceAccountName`, options.serviceAccountName, "is required: the Kubernetes service account the role binds")
      .rule(`${field}.name`, options.name, roleNameRule)
      .rule(`${field}.namespace`, options.namespace, Rules.dns1123Label)
      .rule(`${field}.serviceAccountName`, options.serviceAccountName, Rules.dns1123Subdomain);
    if (this.roleList.some((r) => r.name === options.name)) v.fail(`${field}.name`, options.name, `is already a role of the mount ${this.path}: role names are unique per mount`);
    checkAudiences(v, `${field}.audiences`, audiences);
    const secrets = options.secrets ?? [];
    const attached = options.policies ?? [];
    const policyReads = options.policyReads ?? [];
    const prefixes = options.secretPrefixes ?? [];
    const policyName = `${this.path.replace(/\//g, "-")}-${options.name}-read`.toLowerCase();
    if (!Array.isArray(attached)) {
      v.fail(`${field}.policies`, attached, "must be a list of existing Vault policy names, such as [\"dev\"]");
    } else {
      attached.forEach((p, i) => {
        v.rule(`${field}.policies[${i}]`, typeof p === "string" ? p : String(p), vaultPolicyNameRule);
        if (p === "root") v.fail(`${field}.policies[${i}]`, p, "is Vault's root policy: a workload's role must never carry it; attach a policy with the paths it needs");
        if (attached.indexOf(p) !== i || p === policyName) v.fail(`${field}.policies[${i}]`, p, "is attached twice (or is the role's own policy)");
      });
    }
    v.check(secrets.length > 0 || prefixes.length > 0 || (Array.isArray(attached) && attached.length > 0), `${field}.secrets`, secrets, "must name at least one KV v2 secret the role may read, or attach existing policies: a role that reads nothing has no use");
    if (policyReads.length > 0 && Array.isArray(attached) && attached.length === 0) {
      v.fail(`${field}.policyReads`, policyReads, "states what attached policies read, but the role attaches none: list them in policies, or move these secrets to secrets (the role's own policy)");
    }
    [...secrets.map((s, i) => [s, `${field}.secrets[${i}]`] as const), ...policyReads.map((s, i) => [s, `${field}.policyReads[${i}]`] as const)].forEach(([s, f]) => {
      v.rule(`${f}.mount`, s?.mount, vaultMountPath).rule(`${f}.path`, s?.path, kvSecretPath);
    });
    prefixes.forEach((s, i) => {
      v.rule(`${field}.secretPrefixes[${i}].mount`, s.mount, vaultMountPath).rule(`${field}.secretPrefixes[${i}].path`, s.path, kvSecretPath);
    });
    const ttl = checkTtl(v, `${field}.tokenTtl`, tokenTtl);
    const maxTtl = checkTtl(v, `${field}.tokenMaxTtl`, tokenMaxTtl);
    if (ttl !== undefined && maxTtl !== undefined && ttl > maxTtl) v.fail(`${field}.tokenMaxTtl`, tokenMaxTtl, `must not be shorter than tokenTtl (${tokenTtl})`);
    v.throwIfAny();

    const unique = secrets.filter((s, i) => secrets.findIndex((o) => o.mount === s.mount && o.path === s.path) === i);
    const subject = serviceAccountSubject(options.namespace, options.serviceAccountName);
    // The role's own read-only policy, when it reads secrets of its own (same address as before).
    const uniquePrefixes = prefixes.filter((s, i) => prefixes.findIndex((o) => o.mount === s.mount && o.path === s.path) === i);
    const policyDocument = unique.length > 0 || uniquePrefixes.length > 0 ? readOnlyPolicy(unique, `role "${options.name}" of auth/${this.path} (${subject})`, uniquePrefixes) : undefined;
    const policy =
      policyDocument === undefined
        ? undefined
        : new Policy(this, `policy-${options.name}`, {
            name: policyName,
            policy: policyDocument,
            namespace: this.vaultNamespace,
          });
    const resource = new JwtAuthBackendRole(this, `role-${options.name}`, {
      backend: this.backend.path,
      roleName: options.name,
      roleType: "jwt",
      userClaim: "sub",
      boundSubject: subject,
      boundAudiences: [...audiences],
      tokenPolicies: [...(policy ? [policy.name] : []), ...attached],
      tokenTtl: ttl,
      tokenMaxTtl: maxTtl,
      namespace: this.vaultNamespace,
    });
    const role = new VaultJwtRole(
      this,
      options.name,
      options.namespace,
      options.serviceAccountName,
      [...audiences],
      unique,
      policy ? policyName : undefined,
      policyDocument,
      resource,
      policy,
      { ttl: ttl!, maxTtl: maxTtl! },
      { policies: attached, reads: policyReads },
      uniquePrefixes,
    );
    this.roleList.push(role);
    publishFact(this, VAULT_JWT_ROLE, {
      name: role.name,
      namespace: role.namespace,
      serviceAccountName: role.serviceAccountName,
      subject: role.subject,
      audiences: role.audiences,
      readPaths: role.secrets.map(kvV2DataPath),
      policyName: role.policyName,
      attachedPolicies: role.attachedPolicies,
      statedReadPaths: role.policyReads.map(kvV2DataPath),
    });
    return role;
  }
}

/**
 * A policy granting `read` on the `data/` path of each KV v2 secret, and for each prefix `list`
 * on its `metadata/PATH/*` and `read` on its `data/PATH/*`; nothing else.
 */
export function readOnlyPolicy(secrets: readonly VaultKvV2Secret[], comment?: string, prefixes: readonly VaultKvV2Prefix[] = []): string {
  const block = (path: string, capability: string) => `path ${JSON.stringify(path)} {\n  capabilities = ["${capability}"]\n}\n`;
  const blocks = [
    ...secrets.map((s) => block(kvV2DataPath(s), "read")),
    ...prefixes.flatMap((p) => [block(`${p.mount}/metadata/${p.path}/*`, "list"), block(`${p.mount}/data/${p.path}/*`, "read")]),
  ];
  return `${comment ? `# Read-only: ${comment}\n` : ""}${blocks.join("\n")}`;
}

function checkAudiences(v: Validator, field: string, audiences: readonly string[]): void {
  if (!audiences || audiences.length === 0) {
    v.fail(field, audiences ?? [], "must list at least one audience: service account tokens always carry one, and Vault refuses a token whose audience the role does not bind");
    return;
  }
  audiences.forEach((a, i) => {
    if (isUnresolved(a)) return;
    if (a.trim() === "" || /\s/.test(a)) v.fail(`${field}[${i}]`, a, "must be a non-empty audience without spaces, e.g. vault");
    if (a === AZURE_AD_TOKEN_EXCHANGE_AUDIENCE) v.fail(`${field}[${i}]`, a, "is Entra ID's token-exchange audience: a token for Vault must not be exchangeable at Entra ID; use a Vault audience such as vault");
    if (audiences.indexOf(a) !== i) v.fail(`${field}[${i}]`, a, "is listed twice");
  });
}

function checkTtl(v: Validator, field: string, value: string): number | undefined {
  const seconds = parseGoDuration(value);
  if (seconds === undefined) {
    v.fail(field, value, "must be a Go duration such as 20m, 90s or 1h");
    return undefined;
  }
  if (seconds < TTL_MIN_S || seconds > TTL_MAX_S || !Number.isInteger(seconds)) {
    v.fail(field, value, "must be a whole number of seconds from 1m to 24h");
    return undefined;
  }
  return seconds;
}

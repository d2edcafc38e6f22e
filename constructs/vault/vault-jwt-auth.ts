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

/** A secret in a Vault KV version 2 engine: the mount and the secret's path inside it. */
export interface VaultKvV2Secret {
  /** Mount path of the KV v2 engine, e.g. `secret`. */
  readonly mount: string;
  /** Path of the secret inside the mount, e.g. `demo/config` (without `data/`). */
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
  /** KV v2 secrets the role may read (read-only; nothing else). At least one. */
  readonly secrets: readonly VaultKvV2Secret[];
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
    public readonly secrets: readonly VaultKvV2Secret[],
    /** The read-only policy, by name. */
    public readonly policyName: string,
    /** The policy's HCL. */
    public readonly policyDocument: string,
    public readonly resource: JwtAuthBackendRole,
    public readonly policy: Policy,
    ttl: { ttl: number; maxTtl: number },
  ) {
    this.subject = serviceAccountSubject(namespace, serviceAccountName);
    this.tokenTtlSeconds = ttl.ttl;
    this.tokenMaxTtlSeconds = ttl.maxTtl;
  }

  /** Mount path of the auth method (what a `VaultAuth`'s `mount` names). */
  get mount(): string {
    return this.auth.path;
  }

  /** True when the role's policy grants read on this secret. */
  canRead(secret: VaultKvV2Secret): boolean {
    return this.secrets.some((s) => s.mount === secret.mount && s.path === secret.path);
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
    v.throwIfAny();

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
    v.check(secrets.length > 0, `${field}.secrets`, secrets, "must name at least one KV v2 secret the role may read: a role that reads nothing has no use");
    secrets.forEach((s, i) => {
      v.rule(`${field}.secrets[${i}].mount`, s.mount, vaultMountPath).rule(`${field}.secrets[${i}].path`, s.path, kvSecretPath);
    });
    const ttl = checkTtl(v, `${field}.tokenTtl`, tokenTtl);
    const maxTtl = checkTtl(v, `${field}.tokenMaxTtl`, tokenMaxTtl);
    if (ttl !== undefined && maxTtl !== undefined && ttl > maxTtl) v.fail(`${field}.tokenMaxTtl`, tokenMaxTtl, `must not be shorter than tokenTtl (${tokenTtl})`);
    v.throwIfAny();

    const unique = secrets.filter((s, i) => secrets.findIndex((o) => o.mount === s.mount && o.path === s.path) === i);
    const subject = serviceAccountSubject(options.namespace, options.serviceAccountName);
    const policyName = `${this.path.replace(/\//g, "-")}-${options.name}-read`.toLowerCase();
    const policyDocument = readOnlyPolicy(unique, `role "${options.name}" of auth/${this.path} (${subject})`);
    const policy = new Policy(this, `policy-${options.name}`, {
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
      tokenPolicies: [policy.name],
      tokenTtl: ttl,
      tokenMaxTtl: maxTtl,
      namespace: this.vaultNamespace,
    });
    const role = new VaultJwtRole(this, options.name, options.namespace, options.serviceAccountName, [...audiences], unique, policyName, policyDocument, resource, policy, {
      ttl: ttl!,
      maxTtl: maxTtl!,
    });
    this.roleList.push(role);
    publishFact(this, VAULT_JWT_ROLE, {
      name: role.name,
      namespace: role.namespace,
      serviceAccountName: role.serviceAccountName,
      subject: role.subject,
      audiences: role.audiences,
      readPaths: role.secrets.map(kvV2DataPath),
      policyName: role.policyName,
    });
    return role;
  }
}

/** A policy granting `read` on the `data/` path of each KV v2 secret, and nothing else. */
export function readOnlyPolicy(secrets: readonly VaultKvV2Secret[], comment?: string): string {
  const blocks = secrets.map((s) => `path ${JSON.stringify(kvV2DataPath(s))} {\n  capabilities = ["read"]\n}\n`);
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

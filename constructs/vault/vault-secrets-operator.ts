import { Release } from "@cdktf/provider-helm/lib/release";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { dependable, ITerraformDependable, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { stringify } from "yaml";
import { HCP_VAULT_ADMIN_NAMESPACE } from "../hcp/hcp-vault-cluster";
import { isUnresolved, parseGoDuration, Rules, Validator } from "../../core/validation";
import { publishFact } from "../../core/facts";
import { K8S_SECRET_WRITER, K8S_SERVICE_ACCOUNT, publishKubernetesObject } from "../../core/facts-kubernetes";
import { VSO_AUTH, VSO_STATIC_SECRET } from "../../core/facts-vault";
import { kvV2DataPath, VaultJwtRole, VaultKvV2Secret } from "./vault-jwt-auth";

/** The Vault Secrets Operator chart pinned by default: the release whose CRDs the conformance check uses. */
export const VSO_CHART_VERSION = "1.4.1";
export const VSO_CHART_REPOSITORY = "https://helm.releases.hashicorp.com";
export const VSO_CHART = "vault-secrets-operator";
/** API version of the operator's custom resources. */
export const VSO_API_VERSION = "secrets.hashicorp.com/v1beta1";

/** Kinds the operator can restart after a secret changes. */
export const ROLLOUT_RESTART_KINDS = ["Deployment", "DaemonSet", "StatefulSet", "argo.Rollout"] as const;
export type RolloutRestartKind = (typeof ROLLOUT_RESTART_KINDS)[number];

const CR_DURATION = /^([0-9]+(\.[0-9]+)?(s|m|h))$/;
const MIN_REFRESH_S = 30;
const MAX_REFRESH_S = 24 * 3600;

export interface VaultSecretsOperatorProps {
  /** Chart version, pinned (an exact `X.Y.Z`). @default {@link VSO_CHART_VERSION} */
  readonly chartVersion?: string;
  /** Namespace of the operator (created by the release). @default "vault-secrets-operator" */
  readonly namespace?: string;
  /** Helm release name. @default "vault-secrets-operator" */
  readonly releaseName?: string;
  /** Chart values, rendered to YAML. Never put secrets here: values land in Terraform state. @default none */
  readonly values?: Record<string, unknown>;
  /** Resources the release waits for (e.g. node pools). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Vault Secrets Operator installed with Helm at a pinned chart version. Its custom
 * resources ({@link VsoVaultConnection}, {@link VsoVaultAuth}, {@link VsoVaultStaticSecret})
 * are `kubernetes_manifest`s, which need the CRDs at plan time: put them in a stack that
 * deploys after this one (they are ordered after the release either way).
 */
export class VaultSecretsOperator extends Construct {
  /** The Helm release. Address stays `helm_release.<id>_release`. */
  public readonly release: Release;
  /** Namespace the operator runs in. */
  public readonly namespace: string;
  public readonly chartVersion: string;

  constructor(scope: Construct, id: string, props: VaultSecretsOperatorProps = {}) {
    super(scope, id);
    const chartVersion = props.chartVersion ?? VSO_CHART_VERSION;
    const namespace = props.namespace ?? "vault-secrets-operator";
    const releaseName = props.releaseName ?? "vault-secrets-operator";
    new Validator(this)
      .check(/^\d+\.\d+\.\d+$/.test(chartVersion), "chartVersion", chartVersion, "must be an exact chart version such as 1.4.1: ranges and `latest` make every plan a possible upgrade")
      .rule("namespace", namespace, Rules.dns1123Label)
      .rule("releaseName", releaseName, Rules.dns1123Label)
      .throwIfAny();
    this.namespace = namespace;
    this.chartVersion = chartVersion;
    this.release = new Release(this, "release", {
      name: releaseName,
      repository: VSO_CHART_REPOSITORY,
      chart: VSO_CHART,
      version: chartVersion,
      namespace,
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      values: props.values ? [stringify(props.values)] : undefined,
      dependsOn: sameStack(this, props.dependsOn),
    });
  }
}

// ---------------------------------------------------------------------------

export interface VsoVaultConnectionProps {
  /** The operator, so the resource is applied after it. */
  readonly operator: VaultSecretsOperator;
  /** Vault address: the HCP Vault cluster's private endpoint URL (https). */
  readonly address: string;
  /** Object name. @default "hcp-vault" */
  readonly name?: string;
  /** Namespace of the object. @default the operator's namespace */
  readonly namespace?: string;
  /** Secret (in the same namespace) holding `ca.crt` for a private CA. @default the system trust store (HCP Vault has a public certificate) */
  readonly caCertSecretRef?: string;
  /** SNI host name. @default from the address */
  readonly tlsServerName?: string;
  /** Timeout of Vault requests, e.g. `30s`. @default the Vault client's */
  readonly timeout?: string;
  readonly dependsOn?: ITerraformDependable[];
}

/** A `VaultConnection`: how the operator reaches Vault. TLS is always verified. */
export class VsoVaultConnection extends Construct {
  public readonly manifest: Manifest;
  public readonly name: string;
  public readonly namespace: string;
  public readonly address: string;

  constructor(scope: Construct, id: string, props: VsoVaultConnectionProps) {
    super(scope, id);
    const name = props.name ?? "hcp-vault";
    const operator = props.operator as VaultSecretsOperator | undefined;
    new Validator(this).check(!!operator, "operator", undefined, "needs the VaultSecretsOperator (its Helm release installs the CRDs the VaultConnection is applied after, and its namespace is the default)").throwIfAny();
    const namespace = props.namespace ?? operator!.namespace;
    const v = new Validator(this).rule("name", name, Rules.dns1123Subdomain).rule("namespace", namespace, Rules.dns1123Label);
    if (!isUnresolved(props.address)) v.check(/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(props.address ?? ""), "address", props.address, "must be an https URL of the Vault server such as https://vault.example:8200 (the HCP cluster's private endpoint URL)");
    if (props.timeout !== undefined) v.check(CR_DURATION.test(props.timeout), "timeout", props.timeout, "must be one number and unit such as 30s, 1.5m or 1h (the CRD's pattern)");
    if (props.caCertSecretRef !== undefined) v.rule("caCertSecretRef", props.caCertSecretRef, Rules.dns1123Subdomain);
    v.throwIfAny();
    this.name = name;
    this.namespace = namespace;
    this.address = props.address;
    this.manifest = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: VSO_API_VERSION,
        kind: "VaultConnection",
        metadata: { name, namespace },
        spec: compact({
          address: props.address,
          skipTLSVerify: false,
          caCertSecretRef: props.caCertSecretRef,
          tlsServerName: props.tlsServerName,
          timeout: props.timeout,
        }),
      },
      dependsOn: sameStack(this, props.dependsOn),
    });
    orderAfter(this.manifest, props.operator.release);
    publishKubernetesObject(this, { kind: "secrets.hashicorp.com/VaultConnection", namespace, name, resource: this.manifest, field: "name" });
  }
}

// ---------------------------------------------------------------------------

export interface VsoVaultAuthProps {
  /** The Vault JWT role to log in with: mount, role, service account and audiences come from it. */
  readonly role: VaultJwtRole;
  readonly connection: VsoVaultConnection;
  /** Object name. @default `vault-ROLE` */
  readonly name?: string;
  /**
   * Kubernetes namespace of the object. The operator requests the service account's token in
   * the namespace of the secret using this auth, so it must be the role's namespace.
   * @default the role's namespace
   */
  readonly namespace?: string;
  /** Service account to request tokens for; must be the one the role binds. @default the role's */
  readonly serviceAccount?: string;
  /** Audiences of the requested token; each must be bound by the role. @default the role's audiences */
  readonly audiences?: readonly string[];
  /** Vault namespace to log in to. @default "admin" (HCP Vault) */
  readonly vaultNamespace?: string;
  /** Lifetime of the requested service account tokens, at least 600. @default 600 */
  readonly tokenExpirationSeconds?: number;
  /**
   * Create the service account (no automounted token). Leave off when the workload's
   * deployment already creates it.
   * @default false
   */
  readonly createServiceAccount?: boolean;
  /** E.g. the namespace resource. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A `VaultAuth` with method `jwt`, built from a {@link VaultJwtRole}: the mount, role name,
 * service account and audiences are the role's, so what the operator presents is exactly
 * what Vault checks.
 */
export class VsoVaultAuth extends Construct {
  public readonly manifest: Manifest;
  public readonly name: string;
  public readonly namespace: string;
  public readonly role: VaultJwtRole;
  public readonly serviceAccount: string;
  public readonly audiences: readonly string[];
  public readonly connection: VsoVaultConnection;
  /** Vault namespace the operator logs in to. */
  public readonly vaultNamespace: string;
  /** The service account, when created here. */
  public readonly serviceAccountResource?: ServiceAccountV1;

  constructor(scope: Construct, id: string, props: VsoVaultAuthProps) {
    super(scope, id);
    const role = props.role;
    const v = new Validator(this).check(!!role, "role", undefined, "needs the VaultJwtRole to log in with (from VaultJwtAuth.addRole)");
    v.throwIfAny();
    const name = props.name ?? `vault-${role.name.replace(/[_.]/g, "-")}`;
    const namespace = props.namespace ?? role.namespace;
    const serviceAccount = props.serviceAccount ?? role.serviceAccountName;
    const audiences = props.audiences ?? role.audiences;
    const vaultNamespace = props.vaultNamespace ?? HCP_VAULT_ADMIN_NAMESPACE;
    const tokenExpirationSeconds = props.tokenExpirationSeconds ?? 600;
    const others = role.auth.roles.filter((r) => r !== role);
    v.rule("name", name, Rules.dns1123Subdomain).rule("namespace", namespace, Rules.dns1123Label).rule("serviceAccount", serviceAccount, Rules.dns1123Subdomain);
    if (namespace !== role.namespace) {
      v.fail("namespace", namespace, `must be "${role.namespace}", the namespace of the service account JWT role "${role.name}" binds (${role.subject}): the operator requests the token in the consuming secret's namespace`);
    }
    if (serviceAccount !== role.serviceAccountName) {
      const match = others.find((r) => r.namespace === namespace && r.serviceAccountName === serviceAccount);
      v.fail(
        "serviceAccount",
        serviceAccount,
        `does not match JWT role "${role.name}" of mount ${role.mount}, which binds ${role.subject}` + (match ? `; role "${match.name}" binds it: pass that role` : "; no role of the mount binds it"),
      );
    }
    if (audiences.length === 0) v.fail("audiences", audiences, `must list at least one audience bound by role "${role.name}" (${role.audiences.join(", ")})`);
    audiences.forEach((a, i) => {
      if (!role.audiences.includes(a)) v.fail(`audiences[${i}]`, a, `is not bound by JWT role "${role.name}" of mount ${role.mount} (bound: ${role.audiences.join(", ")}): Vault would refuse the token`);
    });
    v.check(Number.isInteger(tokenExpirationSeconds) && tokenExpirationSeconds >= 600, "tokenExpirationSeconds", tokenExpirationSeconds, "must be a whole number of seconds, at least 600 (the CRD's minimum)");
    v.rule("vaultNamespace", vaultNamespace, { description: "must be a Vault namespace path such as admin or admin/team", test: (s) => /^[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_-]+)*$/.test(s) });
    if (!props.connection) v.fail("connection", undefined, "needs the VsoVaultConnection to reach Vault through");
    v.throwIfAny();

    this.name = name;
    this.namespace = namespace;
    this.role = role;
    this.serviceAccount = serviceAccount;
    this.audiences = [...audiences];
    this.connection = props.connection;
    this.vaultNamespace = vaultNamespace;
    const deps = sameStack(this, props.dependsOn) ?? [];
    if (props.createServiceAccount) {
      this.serviceAccountResource = new ServiceAccountV1(this, "service-account", {
        metadata: { name: serviceAccount, namespace, labels: { "app.kubernetes.io/managed-by": "terraform" } },
        automountServiceAccountToken: false,
        dependsOn: sameStack(this, props.dependsOn),
      });
      deps.push(this.serviceAccountResource);
    }
    const connectionRef = props.connection.namespace === namespace ? props.connection.name : `${props.connection.namespace}/${props.connection.name}`;
    this.manifest = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: VSO_API_VERSION,
        kind: "VaultAuth",
        metadata: { name, namespace },
        spec: {
          vaultConnectionRef: connectionRef,
          namespace: vaultNamespace,
          method: "jwt",
          mount: role.mount,
          jwt: {
            role: role.name,
            serviceAccount,
            audiences: [...audiences],
            tokenExpirationSeconds,
          },
        },
      },
      dependsOn: deps.length > 0 ? deps : undefined,
    });
    orderAfter(this.manifest, props.connection.manifest);
    // For the verification layer: the objects it creates, and what it logs in with.
    if (this.serviceAccountResource) {
      publishKubernetesObject(this, { kind: "/ServiceAccount", namespace, name: serviceAccount, resource: this.serviceAccountResource, field: "serviceAccount" });
      publishFact(this.serviceAccountResource, K8S_SERVICE_ACCOUNT, { namespace, name: serviceAccount });
    }
    publishKubernetesObject(this, { kind: "secrets.hashicorp.com/VaultAuth", namespace, name, resource: this.manifest, field: "name" });
    publishFact(this, VSO_AUTH, {
      namespace,
      name,
      auth: role.auth,
      role: role.name,
      serviceAccount,
      createsServiceAccount: !!this.serviceAccountResource,
      audiences: this.audiences,
      connectionAddress: props.connection.address,
      vaultNamespace,
    });
  }
}

// ---------------------------------------------------------------------------

/** Where a synced secret goes. */
export interface VsoSecretDestination {
  /** Name of the Kubernetes Secret. */
  readonly name: string;
  /** Let the operator create (and own) the Secret. @default true */
  readonly create?: boolean;
  /** Take over an existing Secret of that name (migrations). @default false */
  readonly overwrite?: boolean;
  /** Secret type, e.g. `Opaque` (needs create). @default Opaque */
  readonly type?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface VsoVaultStaticSecretProps {
  readonly auth: VsoVaultAuth;
  /** The KV v2 secret to sync; the auth's role must be allowed to read it. */
  readonly secret: VaultKvV2Secret;
  readonly destination: VsoSecretDestination;
  /** Object name. @default the destination's name */
  readonly name?: string;
  /** How often to re-read the secret: one number and unit (`30s`, `5m`, `1h`), 30s to 24h. @default "60s" */
  readonly refreshAfter?: string;
  /** Workloads to restart when the secret changes (env vars never see updates otherwise). @default none */
  readonly rolloutRestartTargets?: readonly { readonly kind: RolloutRestartKind; readonly name: string }[];
  /** Pin a KV version. @default the latest */
  readonly version?: number;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A `VaultStaticSecret`: syncs one KV v2 secret into a Kubernetes Secret in the auth's
 * namespace, re-read every `refreshAfter`, optionally restarting workloads on change.
 * Rejected at synth when the auth's role may not read the secret.
 */
export class VsoVaultStaticSecret extends Construct {
  public readonly manifest: Manifest;
  public readonly name: string;
  public readonly namespace: string;
  /** Name of the Kubernetes Secret written. */
  public readonly secretName: string;
  /** The VaultAuth the operator logs in with. */
  public readonly auth: VsoVaultAuth;
  /** The KV v2 secret synced. */
  public readonly secret: VaultKvV2Secret;

  constructor(scope: Construct, id: string, props: VsoVaultStaticSecretProps) {
    super(scope, id);
    const v = new Validator(this);
    const auth = props.auth;
    const dest = props.destination ?? ({} as VsoSecretDestination);
    const name = props.name ?? dest.name;
    const refreshAfter = props.refreshAfter ?? "60s";
    const create = dest.create ?? true;
    v.rule("destination.name", dest.name ?? "", Rules.dns1123Subdomain).rule("name", name ?? "", Rules.dns1123Subdomain);
    if (!CR_DURATION.test(refreshAfter)) {
      v.fail("refreshAfter", refreshAfter, "must be one number and unit such as 30s, 5m or 1h (the CRD's pattern: no combined units like 1h30m)");
    } else {
      const s = parseGoDuration(refreshAfter)!;
      if (s < MIN_REFRESH_S || s > MAX_REFRESH_S) v.fail("refreshAfter", refreshAfter, "must be from 30s to 24h: shorter refreshes multiply reads on Vault per secret");
    }
    if (dest.type !== undefined && !create) v.fail("destination.type", dest.type, "needs destination.create: the operator sets the type only on a Secret it creates");
    if ((dest.labels || dest.annotations) && !create) v.fail("destination.labels", dest.labels ?? dest.annotations, "needs destination.create: the operator labels only a Secret it creates");
    (props.rolloutRestartTargets ?? []).forEach((t, i) => {
      v.check((ROLLOUT_RESTART_KINDS as readonly string[]).includes(t.kind), `rolloutRestartTargets[${i}].kind`, t.kind, `must be one of ${ROLLOUT_RESTART_KINDS.join(", ")}`);
      v.rule(`rolloutRestartTargets[${i}].name`, t.name, Rules.dns1123Subdomain);
    });
    if (props.version !== undefined) v.check(Number.isInteger(props.version) && props.version >= 0, "version", props.version, "must be a whole number, 0 or more");
    if (!props.secret) v.fail("secret", undefined, "needs the KV v2 secret ({ mount, path }) to sync");
    else if (auth && !auth.role.canRead(props.secret)) {
      v.fail(
        "secret",
        kvV2DataPath(props.secret),
        `is not readable by JWT role "${auth.role.name}" of VaultAuth ${auth.name} (policy ${auth.role.policyName} reads ${auth.role.secrets.map(kvV2DataPath).join(", ")}): add it to the role's secrets`,
      );
    }
    if (!auth) v.fail("auth", undefined, "needs the VsoVaultAuth to log in with");
    v.throwIfAny();

    this.name = name;
    this.namespace = auth.namespace;
    this.secretName = dest.name;
    this.auth = auth;
    this.secret = props.secret;
    this.manifest = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: VSO_API_VERSION,
        kind: "VaultStaticSecret",
        metadata: { name, namespace: auth.namespace },
        spec: compact({
          vaultAuthRef: auth.name,
          mount: props.secret.mount,
          path: props.secret.path,
          type: "kv-v2",
          version: props.version,
          refreshAfter,
          destination: compact({
            name: dest.name,
            create,
            overwrite: dest.overwrite ?? false,
            type: dest.type,
            labels: dest.labels,
            annotations: dest.annotations,
          }),
          rolloutRestartTargets: props.rolloutRestartTargets?.length ? props.rolloutRestartTargets.map((t) => ({ kind: t.kind, name: t.name })) : undefined,
        }),
      },
      dependsOn: sameStack(this, props.dependsOn),
    });
    orderAfter(this.manifest, auth.manifest);
    publishKubernetesObject(this, { kind: "secrets.hashicorp.com/VaultStaticSecret", namespace: auth.namespace, name, resource: this.manifest, field: "name" });
    publishFact(this, K8S_SECRET_WRITER, { namespace: auth.namespace, name: dest.name, resource: this.manifest, field: "destination.name", label: `VaultStaticSecret ${auth.namespace}/${name} (destination)` });
    publishFact(this, VSO_STATIC_SECRET, { auth, namespace: auth.namespace, secretName: dest.name, secret: `${props.secret.mount}/${props.secret.path}` });
  }
}

/** Drops undefined entries so the manifest holds only what is set. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/**
 * Orders `resource` after `target`: `depends_on` in the same stack, a stack dependency
 * across stacks (Terraform cannot depend on a resource of another state).
 */
function orderAfter(resource: TerraformResource, target: TerraformResource): void {
  const a = TerraformStack.of(resource);
  const b = TerraformStack.of(target);
  if (a === b) resource.dependsOn = [...(resource.dependsOn ?? []), dependable(target)];
  else if (!a.dependencies.includes(b)) a.addDependency(b);
}

/**
 * Keeps the dependencies in the same stack as `scope` for `depends_on`; for those in another
 * stack (e.g. a namespace created by the cluster stack) the stack itself depends on theirs.
 */
function sameStack(scope: IConstruct, deps?: readonly ITerraformDependable[]): ITerraformDependable[] | undefined {
  if (!deps || deps.length === 0) return undefined;
  const mine = TerraformStack.of(scope);
  const kept: ITerraformDependable[] = [];
  for (const d of deps) {
    const other = isConstruct(d) ? TerraformStack.of(d) : mine;
    if (other === mine) kept.push(d);
    else if (!mine.dependencies.includes(other)) mine.addDependency(other);
  }
  return kept.length > 0 ? kept : undefined;
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === "object" && x !== null && "node" in x;
}

import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { show, ValidationError, ValidationProblem, Validator } from "../core/validation";
import {
  RolloutRestartKind,
  VaultSecretsOperator,
  VaultSecretsOperatorProps,
  VsoVaultAuth,
  VsoVaultConnection,
  VsoVaultStaticSecret,
} from "../constructs/vault/vault-secrets-operator";
import { HcpStack, HcpStackProps } from "../stacks/hcp-stack";
import { PlatformStack } from "../stacks/platform-stack";
import { VaultConfigStack, VaultConfigStackProps } from "../stacks/vault-config-stack";

/** One KV v2 secret synced into a Kubernetes Secret. */
export interface HcpVaultSecretSync {
  /** Path in the KV mount, e.g. `demo/config`. Its value is written out of band (`vault kv put`). */
  readonly path: string;
  /** Name of the Kubernetes Secret the operator creates. */
  readonly destination: string;
  /** Re-read interval (`30s`, `5m`, `1h`). @default "60s" */
  readonly refreshAfter?: string;
  /** Workloads restarted when the secret changes. @default none */
  readonly rolloutRestartTargets?: readonly { readonly kind: RolloutRestartKind; readonly name: string }[];
}

/** A workload that reads HCP Vault secrets through the operator, with its own Vault role. */
export interface HcpVaultWorkload {
  /** Vault role name. */
  readonly name: string;
  readonly namespace: string;
  /** Service account the operator logs in as (the role's bound subject); `default` is the namespace's own. */
  readonly serviceAccountName: string;
  /**
   * Create the service account.
   * @default - true, but for `default` (which every namespace has)
   */
  readonly createServiceAccount?: boolean;
  /** Token audiences. @default ["vault"] */
  readonly audiences?: readonly string[];
  readonly secrets: readonly HcpVaultSecretSync[];
  /**
   * Name of the workload's `VaultAuth`.
   * @default `vault-NAME`
   */
  readonly vaultAuthName?: string;
  /**
   * TTL of the Vault tokens the role issues, a Go duration from 1m to 24h.
   * @default "20m"
   */
  readonly tokenTtl?: string;
  /**
   * Longest life of those tokens with renewals, 1m to 24h.
   * @default "1h"
   */
  readonly tokenMaxTtl?: string;
  /**
   * Lifetime in seconds of the service account tokens the operator requests to log in, 600 or more.
   * @default 600
   */
  readonly serviceAccountTokenSeconds?: number;
  /**
   * Existing Vault policies the role attaches by name (such as the walkthrough's `dev`).
   * @default - none
   */
  readonly policies?: readonly string[];
  /**
   * Give the role a read-only policy of its own on its synced secrets. `false` relies on the
   * attached `policies` alone; the synced secrets are then stated as what they read
   * (`policyReads`), which the checks cannot verify.
   * @default true
   */
  readonly ownPolicy?: boolean;
}

/** The `VaultConnection` {@link addHcpVault} creates, to the HCP Vault cluster's private endpoint. */
export interface HcpVaultConnectionOptions {
  /** Object name. @default "hcp-vault" */
  readonly name?: string;
  /** Namespace of the object. @default the operator's namespace */
  readonly namespace?: string;
  /** Timeout of Vault requests, e.g. `30s`. @default the Vault client's */
  readonly timeout?: string;
}

/**
 * The demo workload's HCP Vault side: role `demo` bound to `demo/demo-vault` (a service account
 * of its own, so it never collides with the workload identity's), reading `secret/demo/config`
 * into the Secret `demo-config`.
 */
export const DEMO_VAULT_WORKLOAD: HcpVaultWorkload = {
  name: "demo",
  namespace: "demo",
  serviceAccountName: "demo-vault",
  createServiceAccount: true,
  secrets: [{ path: "demo/config", destination: "demo-config" }],
};

export interface AddHcpVaultOptions {
  readonly platform: PlatformStack;
  /** Cluster-side scope (a stack with kubernetes and helm providers) that gets the operator's Helm release. */
  readonly clusterScope: Construct;
  /**
   * Scope for the operator's custom resources. `kubernetes_manifest` needs the CRDs at plan time,
   * so on a fresh cluster give a stack that deploys after `clusterScope`'s.
   * @default clusterScope
   */
  readonly secretsScope?: Construct;
  /** Settings of the HCP stack. */
  readonly hcp?: Omit<HcpStackProps, "platform">;
  /** Settings of the Vault configuration stack. */
  readonly vaultConfig?: Omit<VaultConfigStackProps, "vault" | "issuer" | "roles">;
  /** Workloads reading HCP Vault secrets. @default [DEMO_VAULT_WORKLOAD] */
  readonly workloads?: readonly HcpVaultWorkload[];
  /** Operator settings. @default chart {@link VSO_CHART_VERSION} in `vault-secrets-operator` */
  readonly operator?: VaultSecretsOperatorProps;
  /** What the workload resources wait for, e.g. the namespace resources. @default none */
  readonly namespaceDependencies?: ITerraformDependable[];
  /** The `VaultConnection`'s name, namespace and timeout. @default - `hcp-vault` in the operator's namespace */
  readonly connection?: HcpVaultConnectionOptions;
  /** Stack ids. @default { hcp: "hcp", vaultConfig: "vault-config" } */
  readonly stackIds?: { readonly hcp?: string; readonly vaultConfig?: string };
}

/** What {@link addHcpVault} created. */
export interface HcpVault {
  readonly hcp: HcpStack;
  readonly vaultConfig: VaultConfigStack;
  readonly operator: VaultSecretsOperator;
  readonly connection: VsoVaultConnection;
  /** VaultAuths by workload name. */
  readonly auths: ReadonlyMap<string, VsoVaultAuth>;
  readonly staticSecrets: readonly VsoVaultStaticSecret[];
}

/**
 * Adds HCP Vault to an app: the HCP stack (HVN peered with the AKS VNet, private Vault), the
 * Vault configuration stack (KV v2, JWT auth for the AKS issuer, a role and read-only policy
 * per workload), and on the cluster side the Vault Secrets Operator, a VaultConnection to the
 * private endpoint, a VaultAuth per workload built from its Vault role, and a
 * VaultStaticSecret per synced secret.
 */
export function addHcpVault(app: Construct, options: AddHcpVaultOptions): HcpVault {
  const { platform, clusterScope } = options;
  const secretsScope = options.secretsScope ?? clusterScope;
  const workloads = options.workloads ?? [DEMO_VAULT_WORKLOAD];
  const vaultConfigId = options.stackIds?.vaultConfig ?? "vault-config";
  checkWorkloads(workloads, app.node.path ? `${app.node.path}/${vaultConfigId}` : vaultConfigId);

  const hcp = new HcpStack(app, options.stackIds?.hcp ?? "hcp", { ...options.hcp, platform });
  const vaultConfig = new VaultConfigStack(app, vaultConfigId, {
    ...options.vaultConfig,
    vault: hcp.vault,
    issuer: platform.cluster,
    roles: workloads.map((w) => {
      const paths = w.secrets.map((s) => s.path);
      const own = w.ownPolicy ?? true;
      return {
        name: w.name,
        namespace: w.namespace,
        serviceAccountName: w.serviceAccountName,
        audiences: w.audiences,
        tokenTtl: w.tokenTtl,
        tokenMaxTtl: w.tokenMaxTtl,
        policies: w.policies,
        secretPaths: own ? paths : [],
        policyReadPaths: own ? undefined : paths,
      };
    }),
  });

  const v = new Validator(vaultConfig);
  const destinations = new Set<string>();
  workloads.forEach((w, i) =>
    w.secrets.forEach((s, j) => {
      const key = `${w.namespace}/${s.destination}`;
      v.check(!destinations.has(key), `workloads[${i}].secrets[${j}].destination`, s.destination, `is synced twice into namespace ${w.namespace}: one VaultStaticSecret per Kubernetes Secret`);
      destinations.add(key);
    }),
  );
  v.throwIfAny();

  const operator = new VaultSecretsOperator(clusterScope, "vault-secrets-operator", options.operator);
  const connection = new VsoVaultConnection(secretsScope, "vault-connection", { ...options.connection, operator, address: hcp.vault.privateEndpointUrl });
  // Each VsoVaultAuth orders itself after its role (its stack after vault-config): nothing to add here.

  const auths = new Map<string, VsoVaultAuth>();
  const staticSecrets: VsoVaultStaticSecret[] = [];
  for (const w of workloads) {
    const role = vaultConfig.role(w.name);
    const auth = new VsoVaultAuth(secretsScope, `vault-auth-${w.name}`, {
      role,
      connection,
      name: w.vaultAuthName,
      tokenExpirationSeconds: w.serviceAccountTokenSeconds,
      createServiceAccount: w.createServiceAccount ?? w.serviceAccountName !== "default",
      dependsOn: options.namespaceDependencies,
    });
    auths.set(w.name, auth);
    for (const s of w.secrets) {
      staticSecrets.push(
        new VsoVaultStaticSecret(secretsScope, `vault-secret-${w.name}-${s.destination}`, {
          auth,
          secret: vaultConfig.secret(s.path),
          destination: { name: s.destination },
          refreshAfter: s.refreshAfter,
          rolloutRestartTargets: s.rolloutRestartTargets,
        }),
      );
    }
  }
  return { hcp, vaultConfig, operator, connection, auths, staticSecrets };
}

/**
 * The workloads' required fields, checked before any stack is built (a missing one would
 * otherwise fail deep inside a construct). Reported on the vault-config stack, where each
 * workload becomes a JWT role, under the same `workloads[i]` fields as its other checks.
 */
function checkWorkloads(workloads: readonly HcpVaultWorkload[], path: string): void {
  const problems: ValidationProblem[] = [];
  function requireWorkloadField(field: string, value: unknown, rule: string): void {
    if (typeof value !== "string" || value === "") problems.push({ path, field, value: show(value), rule });
  }
  if (!Array.isArray(workloads)) {
    problems.push({ path, field: "workloads", value: show(workloads), rule: "must be a list of workloads { name, namespace, serviceAccountName, secrets }" });
    throw new ValidationError(problems);
  }
  workloads.forEach((w, i) => {
    const f = `workloads[${i}]`;
    if (typeof w !== "object" || w === null) {
      problems.push({ path, field: f, value: show(w), rule: "must be a workload { name, namespace, serviceAccountName, secrets }" });
      return;
    }
    requireWorkloadField(`${f}.name`, w.name, "is required: the workload's Vault role name (it also names its VaultAuth)");
    requireWorkloadField(`${f}.namespace`, w.namespace, "is required: the Kubernetes namespace of the workload's service account");
    requireWorkloadField(`${f}.serviceAccountName`, w.serviceAccountName, "is required: the service account the operator logs in as (the role's bound subject)");
    if (!Array.isArray(w.secrets)) {
      problems.push({ path, field: `${f}.secrets`, value: show(w.secrets), rule: "is required: the list of KV v2 secrets { path, destination } synced for the workload" });
      return;
    }
    (w.secrets as readonly HcpVaultSecretSync[]).forEach((sec: HcpVaultSecretSync, j: number) => {
      const sf = `${f}.secrets[${j}]`;
      if (typeof sec !== "object" || sec === null) {
        problems.push({ path, field: sf, value: show(sec), rule: "must be a secret sync { path, destination }" });
        return;
      }
      requireWorkloadField(`${sf}.path`, sec.path, "is required: the secret's path in the KV v2 mount, such as demo/config");
      requireWorkloadField(`${sf}.destination`, sec.destination, "is required: the name of the Kubernetes Secret the operator writes");
    });
  });
  if (problems.length > 0) throw new ValidationError(problems);
}

import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { declareClusterScope } from "../../core/facts-cluster";
import { KeyVault, SecretReadGrant } from "../azure/key-vault";
import { PodSecretsMount, PodSecretsMountOptions, SyncedSecretEnv, SyncedSecretEnvVar } from "../kubernetes/pod-secrets-mount";
import { AzureKeyVaultObject, NamespaceInput, resolveNamespace, SecretProviderClass, SyncedSecretType } from "../kubernetes/secret-provider-class";
import { Rules, Validator } from "../../core/validation";
import { IOidcIssuer, WorkloadIdentity } from "../azure/workload-identity";
import { WorkloadServiceAccount } from "../kubernetes/workload-service-account";

/** Something that can create a namespace once, such as a {@link ClusterStack}. */
export interface INamespaceFactory {
  namespace(name: string): NamespaceV1;
}

/** Sync the mounted secrets into one Kubernetes Secret, for env vars. */
export interface BindingSyncOptions {
  /** Name of the synced Secret. @default `SERVICE_ACCOUNT-kv` */
  readonly secretName?: string;
  /** @default "Opaque" */
  readonly type?: SyncedSecretType;
  /** Secret key for each mounted file (alias or name). @default each file under its own name */
  readonly keys?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface KeyVaultWorkloadBindingProps {
  /** The cluster whose service account tokens the identity trusts (its OIDC issuer). */
  readonly cluster: IOidcIssuer;
  readonly keyVault: KeyVault;
  /** Namespace of the workload; with a {@link ClusterStack} as cluster scope it is created there once. */
  readonly namespace: NamespaceInput;
  readonly serviceAccountName: string;
  /** The secrets to mount: names, or full object specs (aliases, versions...). */
  readonly secrets: (string | AzureKeyVaultObject)[];
  /** An existing identity to bind instead of creating one (it gains a federated credential unless it trusts the service account already). @default a new identity */
  readonly identity?: WorkloadIdentity;
  /** Name of the new identity. @default `id-NAMESPACE-SERVICEACCOUNT` */
  readonly identityName?: string;
  /** Resource group of the new identity. Required unless `identity` is given. */
  readonly resourceGroupName?: string;
  /** Location of the new identity. Required unless `identity` is given. */
  readonly location?: string;
  /** Name of the SecretProviderClass. @default `SERVICE_ACCOUNT-kv` */
  readonly secretProviderClassName?: string;
  /** Also sync the secrets into a Kubernetes Secret. @default no sync */
  readonly sync?: BindingSyncOptions | boolean;
  /** Options of the pod helper. @default PodSecretsMount defaults */
  readonly mount?: Omit<PodSecretsMountOptions, "serviceAccount">;
  readonly tags?: Record<string, string>;
}

/**
 * The common case in one call: a workload reads Key Vault secrets with its own identity. On
 * the platform side (this construct's scope) it creates the user-assigned identity (or reuses
 * one), its federated credential for the service account, and a least-privilege read grant on
 * exactly the listed secrets; on the cluster side (`clusterScope`, a child construct with the
 * same id) the annotated service account and the SecretProviderClass, wired to each other.
 * {@link pod} hands the app team the volume, mount, env vars, label and service account name.
 *
 * Both scopes may be the same stack when the cluster already exists (bring your own cluster):
 * then the cluster side is the child `cluster` of this construct.
 */
export class KeyVaultWorkloadBinding extends Construct {
  public readonly identity: WorkloadIdentity;
  /** The cluster the workload runs in (whose issuer the identity trusts). */
  public readonly cluster: IOidcIssuer;
  public readonly grant: SecretReadGrant;
  public readonly serviceAccount: WorkloadServiceAccount;
  public readonly secretProviderClass: SecretProviderClass;
  /** The pod pieces (volume, mount, labels, service account name). */
  public readonly pod: PodSecretsMount;
  /** The cluster-side construct holding the service account and the class. */
  public readonly clusterSide: Construct;
  /** The synced Secret's name, when syncing. */
  public readonly syncedSecretName?: string;

  constructor(platformScope: Construct, clusterScope: Construct, id: string, props: KeyVaultWorkloadBindingProps) {
    super(platformScope, id);
    const nsName = resolveNamespace(props.namespace).name;
    const sa = props.serviceAccountName;
    const objects: AzureKeyVaultObject[] = (props.secrets ?? []).map((s) => (typeof s === "string" ? { objectName: s } : s));
    const v = new Validator(this)
      .rule("namespace", nsName, Rules.dns1123Label)
      .rule("serviceAccountName", sa, Rules.dns1123Subdomain)
      .check(objects.length > 0, "secrets", props.secrets, "must name at least one Key Vault secret");
    objects.forEach((o, i) => {
      v.check((o.objectType ?? "secret") === "secret", `secrets[${i}].objectType`, o.objectType, "the binding grants secret read only: mount keys and certificates with a SecretProviderClass and a grant of their own");
      v.rule(`secrets[${i}]`, o.objectName, Rules.keyVaultSecretName);
    });
    if (!props.identity) {
      v.check(!!props.resourceGroupName, "resourceGroupName", undefined, "is required to create the identity (or pass identity)")
        .check(!!props.location, "location", undefined, "is required to create the identity (or pass identity)");
    }
    v.throwIfAny();

    this.cluster = props.cluster;
    // The binding stands for its cluster (its cluster side, when it is a child of the binding).
    declareClusterScope(this, props.cluster);
    // Platform side: identity, federated credential, grant.
    this.identity =
      props.identity ??
      new WorkloadIdentity(this, "identity", {
        name: props.identityName ?? `id-${nsName}-${sa}`.slice(0, 128),
        resourceGroupName: props.resourceGroupName!,
        location: props.location!,
        issuer: props.cluster,
        tags: props.tags,
      });
    if (!this.identity.trusts(props.cluster, nsName, sa)) {
      this.identity.addServiceAccount({ namespace: nsName, name: sa, issuer: props.cluster });
    }
    this.grant = props.keyVault.grantSecretRead(this.identity, { secrets: objects.map((o) => o.objectName) });

    // Cluster side: a construct of the same id in the cluster scope, or a child when both scopes are one (bring your own cluster).
    this.clusterSide = clusterScope === platformScope ? new Construct(this, "cluster") : new Construct(clusterScope, id);
    const namespace: NamespaceInput =
      typeof props.namespace === "string" && isNamespaceFactory(clusterScope) ? clusterScope.namespace(props.namespace) : props.namespace;
    this.serviceAccount = new WorkloadServiceAccount(this.clusterSide, "service-account", {
      identity: this.identity,
      namespace,
      name: sa,
      cluster: props.cluster,
    });
    const spcName = props.secretProviderClassName ?? `${sa}-kv`;
    let secretObjects;
    if (props.sync) {
      const sync: BindingSyncOptions = props.sync === true ? {} : props.sync;
      this.syncedSecretName = sync.secretName ?? `${sa}-kv`;
      const files = objects.map((o) => o.objectAlias ?? o.objectName);
      const keys = sync.keys ?? Object.fromEntries(files.map((f) => [f, f]));
      secretObjects = [
        {
          secretName: this.syncedSecretName,
          type: sync.type,
          labels: sync.labels,
          annotations: sync.annotations,
          data: Object.entries(keys).map(([objectName, key]) => ({ objectName, key })),
        },
      ];
    }
    this.secretProviderClass = new SecretProviderClass(this.clusterSide, "secret-provider-class", {
      name: spcName,
      namespace,
      provider: { type: "azure", keyVault: props.keyVault, identity: { mode: "workloadIdentity", identity: this.identity }, objects },
      secretObjects,
    });
    this.pod = new PodSecretsMount(this.secretProviderClass, { ...props.mount, serviceAccount: this.serviceAccount });
  }

  /** Env vars from the synced Secret, with the volume and mount the pod must also have. */
  envFromSyncedSecrets(vars: SyncedSecretEnvVar[]): SyncedSecretEnv {
    return this.pod.envFromSyncedSecrets(vars);
  }
}

function isNamespaceFactory(scope: Construct): scope is Construct & INamespaceFactory {
  return typeof (scope as Partial<INamespaceFactory>).namespace === "function";
}

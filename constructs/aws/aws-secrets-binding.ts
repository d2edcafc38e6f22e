import { checkProps } from "../../core/props";
import { Construct } from "constructs";
import { Rules, Validator } from "../../core/validation";
import { PodSecretsMount, PodSecretsMountOptions, SyncedSecretEnv, SyncedSecretEnvVar } from "../kubernetes/pod-secrets-mount";
import { AwsCsiObject, NamespaceInput, resolveNamespace, SecretProviderClass, SyncedSecretType } from "../kubernetes/secret-provider-class";
import { INamespaceFactory } from "../bindings/key-vault-workload-binding";
import { IEksCluster } from "./eks-cluster";
import { IrsaReadGrant, IrsaRole } from "./irsa-role";
import { IrsaServiceAccount } from "./irsa-service-account";

/** Sync the mounted objects into one Kubernetes Secret, for env vars. */
export interface AwsBindingSyncOptions {
  /** @default `SERVICE_ACCOUNT-aws` */
  readonly secretName?: string;
  /** @default "Opaque" */
  readonly type?: SyncedSecretType;
  /** Secret key for each mounted file (alias or name). @default - each file under its own name */
  readonly keys?: Record<string, string>;
}

export interface AwsSecretsBindingProps {
  /** The EKS cluster the workload runs in (bring your own: {@link EksCluster.fromClusterAttributes}). */
  readonly cluster: IEksCluster;
  /** Namespace of the workload; with a {@link INamespaceFactory} cluster scope it is created there once. */
  readonly namespace: NamespaceInput;
  readonly serviceAccountName: string;
  /**
   * What to mount: Secrets Manager secret names (strings), or full ASCP objects (SSM parameters,
   * aliases, `jmesPath` keys of a JSON secret, versions, failover objects).
   */
  readonly objects: (string | AwsCsiObject)[];
  /**
   * Region the objects are read in (written into the class, so the mount and the policy agree).
   * @default - the cluster's region
   */
  readonly region?: string;
  /** A second region, read when the first fails with a server error (ASCP failover). Granted too. @default - none */
  readonly failoverRegion?: string;
  /** Character that replaces `/` in file names, or `"False"`. @default "_" */
  readonly pathTranslation?: string;
  /**
   * Customer managed KMS keys (key ARNs) the objects are encrypted with: `kms:Decrypt` only through
   * Secrets Manager / SSM of the binding's regions.
   * @default - none (AWS managed keys need no grant)
   */
  readonly kmsKeyArns?: string[];
  /** Also sync the objects into a Kubernetes Secret. @default - no sync */
  readonly sync?: AwsBindingSyncOptions | boolean;
  /** @default - see {@link IrsaRoleProps.roleName} */
  readonly roleName?: string;
  /** ARN of a permissions boundary for the role. @default - none */
  readonly permissionsBoundary?: string;
  /** @default `SERVICE_ACCOUNT-aws` */
  readonly secretProviderClassName?: string;
  /** Options of the pod helper. @default - PodSecretsMount defaults */
  readonly mount?: Omit<PodSecretsMountOptions, "serviceAccount">;
  /**
   * Where the Kubernetes side goes (service account, class): a stack with a kubernetes provider for
   * the EKS cluster.
   * @default - a child `cluster` of this construct
   */
  readonly clusterScope?: Construct;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The EKS common case in one call: a workload reads AWS Secrets Manager secrets and SSM parameters
 * through the Secrets Store CSI driver and ASCP with its own IAM role (IRSA). In this construct's
 * scope (a stack with an aws provider): the {@link IrsaRole} trusting exactly the service account,
 * with a policy on exactly the objects the class mounts (in both regions with a failover region)
 * and the named KMS keys. In `clusterScope`: the {@link IrsaServiceAccount} annotated with the
 * role's ARN and the `aws` {@link SecretProviderClass} (region always written). {@link pod} hands
 * out the volume, mount and service account name.
 *
 * The driver (with `tokenRequests` audience `sts.amazonaws.com`) and ASCP must run on the cluster.
 */
export class AwsSecretsBinding extends Construct {
  public readonly cluster: IEksCluster;
  public readonly role: IrsaRole;
  public readonly serviceAccount: IrsaServiceAccount;
  public readonly secretProviderClass: SecretProviderClass;
  public readonly pod: PodSecretsMount;
  /** What the role may read: one entry per object and region. */
  public readonly grants: readonly IrsaReadGrant[];
  public readonly clusterSide: Construct;
  public readonly syncedSecretName?: string;

  constructor(scope: Construct, id: string, props: AwsSecretsBindingProps) {
    super(scope, id);
    checkProps(this, "AwsSecretsBinding", props);
    const ns = props?.namespace === undefined ? undefined : resolveNamespace(props.namespace).name;
    const objects: AwsCsiObject[] = (Array.isArray(props?.objects) ? props.objects : []).map((o) => (typeof o === "string" ? { objectName: o, objectType: "secretsmanager" } : o));
    new Validator(this)
      .check(ns !== undefined, "namespace", undefined, "is required: the namespace of the workload")
      .rule("namespace", ns, Rules.dns1123Label)
      .rule("serviceAccountName", props?.serviceAccountName, Rules.dns1123Subdomain)
      .check(objects.length > 0, "objects", props?.objects, "must name at least one Secrets Manager secret or SSM parameter")
      .throwIfAny();

    this.cluster = props.cluster;
    this.role = new IrsaRole(this, "role", {
      cluster: props.cluster,
      namespace: ns!,
      serviceAccountName: props.serviceAccountName,
      roleName: props.roleName,
      permissionsBoundary: props.permissionsBoundary,
      tags: props.tags,
    });

    const given = props.clusterScope;
    this.clusterSide = given && given !== scope ? new Construct(given, id) : new Construct(this, "cluster");
    const namespace: NamespaceInput = typeof props.namespace === "string" && given && isNamespaceFactory(given) ? given.namespace(props.namespace) : props.namespace;
    this.serviceAccount = new IrsaServiceAccount(this.clusterSide, "service-account", { role: this.role, namespace });

    let secretObjects;
    if (props.sync) {
      const sync: AwsBindingSyncOptions = props.sync === true ? {} : props.sync;
      this.syncedSecretName = sync.secretName ?? `${props.serviceAccountName}-aws`;
      secretObjects = [{ secretName: this.syncedSecretName, type: sync.type, data: [] as { objectName: string; key: string }[] }];
    }
    const spc = new SecretProviderClass(this.clusterSide, "secret-provider-class", {
      name: props.secretProviderClassName ?? `${props.serviceAccountName}-aws`,
      namespace,
      provider: {
        type: "aws",
        // Always explicit: the policy is written for this region, and ASCP would otherwise read the node's.
        region: props.region ?? props.cluster.region,
        failoverRegion: props.failoverRegion,
        pathTranslation: props.pathTranslation,
        objects,
      },
      secretObjects: secretObjects && syncData(secretObjects[0], props.sync, objects, props.pathTranslation),
    });
    this.secretProviderClass = spc;
    this.grants = this.role.grantRead(spc);
    if (props.kmsKeyArns && props.kmsKeyArns.length > 0) this.role.grantKmsDecrypt(props.kmsKeyArns);
    this.pod = new PodSecretsMount(spc, { ...props.mount, serviceAccount: this.serviceAccount });
  }

  /** Env vars from the synced Secret, with the volume and mount the pod must also have. */
  envFromSyncedSecrets(vars: SyncedSecretEnvVar[]): SyncedSecretEnv {
    return this.pod.envFromSyncedSecrets(vars);
  }
}

/** The synced Secret's data: every mounted file under its own name, or the keys given. */
function syncData(
  secret: { secretName: string; type?: SyncedSecretType; data: { objectName: string; key: string }[] },
  sync: AwsBindingSyncOptions | boolean | undefined,
  objects: AwsCsiObject[],
  pathTranslation: string | undefined,
) {
  const keys = typeof sync === "object" ? sync.keys : undefined;
  const t = pathTranslation ?? "_";
  const files = objects.flatMap((o) => [o.objectAlias ?? (t === "False" ? o.objectName.replace(/^\/+/, "") : o.objectName.split("/").join(t)), ...(o.jmesPath ?? []).map((j) => j.objectAlias)]);
  const entries = keys ? Object.entries(keys) : files.map((f) => [f, f.replace(/[^-._a-zA-Z0-9]/g, "_")] as [string, string]);
  return [{ ...secret, data: entries.map(([objectName, key]) => ({ objectName, key })) }];
}

function isNamespaceFactory(scope: Construct): scope is Construct & INamespaceFactory {
  return typeof (scope as Partial<INamespaceFactory>).namespace === "function";
}

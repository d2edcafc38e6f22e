import type {
  DeploymentSpecTemplateSpecContainerEnv,
  DeploymentSpecTemplateSpecContainerVolumeMount,
  DeploymentSpecTemplateSpecVolume,
} from "@cdktf/provider-kubernetes/lib/deployment";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { SECRETS_STORE_CSI_DRIVER, SecretProviderClass } from "./secret-provider-class";
import { isUnresolved, Rules, Validator } from "../../core/validation";
import { publishFact } from "../../core/facts";
import { K8S_PODS } from "../../core/facts-kubernetes";
import { RESTART_ON_ROTATION } from "../../core/facts-rotation";
import { workloadIdentityPodLabels, WorkloadServiceAccount } from "./workload-service-account";
import { USE_IDENTITY_BINDING_ANNOTATION } from "../azure/aks-identity-binding";
import { Reloader } from "./reloader";

/** The pod helpers of each class, for the wiring checks (a PodSecretsMount is not a construct). */
const MOUNTS = new WeakMap<SecretProviderClass, PodSecretsMount[]>();

export interface PodSecretsMountOptions {
  /** Name of the pod volume (DNS-1123 label). @default the class name with dots turned into dashes, 63 characters at most */
  readonly volumeName?: string;
  /** Where the container sees the files. @default "/mnt/secrets-store" */
  readonly mountPath?: string;
  /**
   * The service account pods run as. Required when the class logs in with workload identity:
   * the CSI driver exchanges that service account's token, so it must be the one federated
   * with the class's identity. A name is accepted for service accounts managed elsewhere.
   * @default none (pods run as the namespace's default service account)
   */
  readonly serviceAccount?: WorkloadServiceAccount | ServiceAccountRef | string;
  /**
   * Restart the workload when the driver's rotation changes a mounted object: the Reloader of the
   * class's cluster (its driver must rotate). Put {@link PodSecretsMount.workloadAnnotations} on the
   * Deployment (StatefulSet, DaemonSet) and ignore `RELOADER_IGNORE_CHANGES` in its lifecycle.
   * @default no restart (mounted files still change on rotation; env vars and synced Secrets in env do not)
   */
  readonly restartOnRotation?: Reloader;
}

/** A service account construct of another kind (e.g. an IRSA service account): its name and namespace. */
export interface ServiceAccountRef {
  readonly name: string;
  readonly namespace: string;
}

/** An environment variable filled from a key of a synced Secret. */
export interface SyncedSecretEnvVar {
  /** Variable name, e.g. `DB_PASSWORD`. */
  readonly name: string;
  /** Key of the synced Secret. */
  readonly key: string;
  /** The synced Secret holding the key. @default the one (of the class's `secretObjects`) that has `key` */
  readonly secretName?: string;
}

/**
 * Env vars from a synced Secret, handed out only together with the volume and its mount: the
 * CSI driver creates (and keeps) a synced Secret only while a pod mounts the volume, so a
 * pod that took the env vars without the volume would wait forever for a Secret that never comes.
 */
export interface SyncedSecretEnv {
  readonly env: DeploymentSpecTemplateSpecContainerEnv[];
  readonly volume: DeploymentSpecTemplateSpecVolume;
  readonly volumeMount: DeploymentSpecTemplateSpecContainerVolumeMount;
}

export interface PodYamlOptions {
  /** Container name. @default "app" */
  readonly containerName?: string;
  /** Env vars from synced Secrets to include. @default none */
  readonly env?: SyncedSecretEnvVar[];
}

/**
 * The exact pod pieces an app team needs to read a {@link SecretProviderClass}: the CSI volume
 * (driver `secrets-store.csi.k8s.io`, read-only, `volumeAttributes.secretProviderClass`), its
 * read-only mount, env vars from synced Secrets (always with the volume), the workload identity
 * label and the service account name. The pieces are typed blocks of `kubernetes_deployment`
 * (`@cdktf/provider-kubernetes/lib/deployment`) and print as Kubernetes YAML ({@link toYaml})
 * for teams that deploy with other tools.
 *
 * Not a construct: it creates nothing. Problems are reported against the class's construct path.
 */
export class PodSecretsMount {
  public readonly secretProviderClass: SecretProviderClass;
  public readonly volumeName: string;
  public readonly mountPath: string;
  /** The CSI volume. */
  public readonly volume: DeploymentSpecTemplateSpecVolume;
  /** The read-only mount of {@link volume}. */
  public readonly volumeMount: DeploymentSpecTemplateSpecContainerVolumeMount;
  /** Labels the pod template must carry (the workload identity label when the pod uses one). */
  public readonly podLabels: Readonly<Record<string, string>>;
  /** Annotations the pod template must carry (`azure.workload.identity/use-identity-binding` with an identity binding). */
  public readonly podAnnotations: Readonly<Record<string, string>>;
  /** Annotations for the workload object itself (Deployment metadata): Reloader's, with `restartOnRotation`. */
  public readonly workloadAnnotations: Readonly<Record<string, string>>;
  /** The Reloader that restarts the workload on rotation, when asked. */
  public readonly restartOnRotation?: Reloader;
  /** The service account pods must run as, when one is needed. */
  public readonly serviceAccountName?: string;
  /** The service account as given (the construct, or a name managed elsewhere): what the wiring checks follow. */
  public readonly serviceAccount?: WorkloadServiceAccount | ServiceAccountRef | string;

  constructor(spc: SecretProviderClass, options: PodSecretsMountOptions = {}) {
    const volumeName = options.volumeName ?? spc.name.replace(/\./g, "-").slice(0, 63).replace(/-+$/, "");
    const mountPath = options.mountPath ?? "/mnt/secrets-store";
    const sa = options.serviceAccount;
    const v = new Validator(spc)
      .rule("podSecrets.volumeName", volumeName, Rules.dns1123Label)
      .check(isUnresolved(mountPath) || (/^\/[^:]*$/.test(mountPath) && !mountPath.split("/").includes("..") && mountPath !== "/"), "podSecrets.mountPath", mountPath, "must be an absolute path without ':' or '..', other than /");
    if (typeof sa === "string") v.rule("podSecrets.serviceAccount", sa, Rules.dns1123Subdomain);
    if (sa !== undefined && typeof sa === "object") {
      v.check(sa.namespace === spc.namespace, "podSecrets.serviceAccount", `${sa.namespace}/${sa.name}`, `must be in the class's namespace "${spc.namespace}": a pod mounts classes of its own namespace only`);
    }
    if (spc.providerType === "aws" && (spc.provider as { usePodIdentity?: boolean }).usePodIdentity !== true) {
      // IRSA: ASCP reads the role from the pod's service account; the namespace's default has none.
      v.check(sa !== undefined, "podSecrets.serviceAccount", undefined, "is required: ASCP reads the IAM role from the pod's service account (eks.amazonaws.com/role-arn); pass the IrsaServiceAccount (or the name of an annotated one)");
    }
    const wi = spc.workloadIdentity;
    if (wi) {
      v.check(sa !== undefined, "podSecrets.serviceAccount", undefined, "is required: the class logs in with workload identity, which exchanges the pod's service account token; pass the WorkloadServiceAccount federated with the class's identity");
      if (sa instanceof WorkloadServiceAccount && !sa.isFor(wi)) {
        v.fail("podSecrets.serviceAccount", `${sa.namespace}/${sa.name}`, `stands for another identity than the class's (${(wi as { node?: { path: string } }).node?.path ?? "clientID"}): the CSI driver would log in as the class's identity with a token it does not trust`);
      } else if (sa instanceof WorkloadServiceAccount && spc.identityBinding && sa.identityBinding !== spc.identityBinding) {
        v.fail("podSecrets.serviceAccount", `${sa.namespace}/${sa.name}`, `does not use the class's identity binding (${spc.identityBinding.node.path}): create it with identityBinding: that role, so the role authorizes it and its pods carry ${USE_IDENTITY_BINDING_ANNOTATION}`);
      }
    }
    const reloader = options.restartOnRotation;
    // (A Reloader exists only for a driver that rotates: its constructor refuses the others.)
    if (reloader !== undefined && !(reloader instanceof Reloader)) v.fail("podSecrets.restartOnRotation", typeof reloader, "must be the Reloader installed on the class's cluster");
    v.throwIfAny();

    this.secretProviderClass = spc;
    this.volumeName = volumeName;
    this.mountPath = mountPath;
    this.volume = {
      name: volumeName,
      csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: spc.name } },
    };
    this.volumeMount = { name: volumeName, mountPath, readOnly: true };
    this.serviceAccountName = sa === undefined ? undefined : typeof sa === "string" ? sa : sa.name;
    this.serviceAccount = sa;
    this.podLabels = wi || sa instanceof WorkloadServiceAccount ? workloadIdentityPodLabels() : {};
    this.podAnnotations = sa instanceof WorkloadServiceAccount ? { ...sa.podAnnotations } : spc.identityBinding ? { [USE_IDENTITY_BINDING_ANNOTATION]: "true" } : {};
    this.restartOnRotation = reloader;
    this.workloadAnnotations = reloader ? reloader.annotationsFor([spc]) : {};
    if (reloader) publishFact(spc, RESTART_ON_ROTATION, { reloader, driver: reloader.driver });
    // For the verification layer: pods meant for this class, running as this service account.
    publishFact(spc, K8S_PODS, {
      namespace: spc.namespace,
      serviceAccount: this.serviceAccountName ?? "default",
      serviceAccountConstruct: sa !== undefined && typeof sa === "object" && Construct.isConstruct(sa) ? sa : undefined,
      serviceAccountField: "podSecrets.serviceAccount",
      classes: [],
      secretNames: [],
      forClass: spc,
    });
    const mounts = MOUNTS.get(spc);
    if (mounts) mounts.push(this);
    else MOUNTS.set(spc, [this]);
  }

  /** The pod helpers created for a class so far: which service accounts its pods are meant to run as. */
  static of(spc: SecretProviderClass): readonly PodSecretsMount[] {
    return MOUNTS.get(spc) ?? [];
  }

  /** Absolute path of a mounted file, by object name or file name (alias). Fails for an object the class does not mount. */
  filePath(objectOrFileName: string): string {
    const f = this.secretProviderClass.file(objectOrFileName);
    if (!f) {
      new Validator(this.secretProviderClass)
        .fail("podSecrets.filePath", objectOrFileName, `is not mounted by this class; mounted: ${this.secretProviderClass.files.map((x) => JSON.stringify(x.fileName)).join(", ")}`)
        .throwIfAny();
    }
    return `${this.mountPath.replace(/\/$/, "")}/${f!.fileName}`;
  }

  /**
   * Env vars from keys of the class's synced Secrets, returned with the volume and mount the
   * pod must also have (see {@link SyncedSecretEnv}). Fails for a key no synced Secret holds.
   */
  envFromSyncedSecrets(vars: SyncedSecretEnvVar[]): SyncedSecretEnv {
    const v = new Validator(this.secretProviderClass);
    const names = new Set<string>();
    const env = vars.map((e, i) => {
      const f = `podSecrets.env[${i}]`;
      v.check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name), `${f}.name`, e.name, "must be an environment variable name: letters, digits and '_', not starting with a digit");
      if (names.has(e.name)) v.fail(`${f}.name`, e.name, "is set twice");
      names.add(e.name);
      const secret = this.secretProviderClass.syncedKey(e.key, e.secretName);
      if (!secret) {
        const synced = this.secretProviderClass.secretObjects.flatMap((s) => s.data.map((d) => `${s.secretName}/${d.key}`));
        v.fail(`${f}.key`, e.secretName ? `${e.secretName}/${e.key}` : e.key, `is not a key of a Secret this class syncs (secretObjects); synced: ${synced.join(", ") || "none: add secretObjects to the class"}`);
      }
      return { name: e.name, valueFrom: { secretKeyRef: { name: secret?.secretName ?? "", key: e.key } } };
    });
    v.check(vars.length > 0, "podSecrets.env", vars, "must list at least one variable");
    v.throwIfAny();
    return { env, volume: this.volume, volumeMount: this.volumeMount };
  }

  /**
   * The pod template pieces as plain Kubernetes objects (camelCase field names as in a manifest):
   * labels, service account, volume, and one container's mount and env vars.
   */
  toPodTemplate(options: PodYamlOptions = {}): Record<string, unknown> {
    const env = options.env && options.env.length > 0 ? this.envFromSyncedSecrets(options.env).env : undefined;
    const spec: Record<string, unknown> = {};
    if (this.serviceAccountName) spec.serviceAccountName = this.serviceAccountName;
    spec.volumes = [this.volume];
    spec.containers = [{ name: options.containerName ?? "app", volumeMounts: [this.volumeMount], ...(env ? { env } : {}) }];
    const metadata: Record<string, unknown> = {};
    if (Object.keys(this.podLabels).length > 0) metadata.labels = { ...this.podLabels };
    if (Object.keys(this.podAnnotations).length > 0) metadata.annotations = { ...this.podAnnotations };
    return { metadata, spec };
  }

  /** {@link toPodTemplate} as YAML, to merge into a Deployment's `spec.template`. */
  toYaml(options: PodYamlOptions = {}): string {
    return stringify(this.toPodTemplate(options), { lineWidth: 0 });
  }
}

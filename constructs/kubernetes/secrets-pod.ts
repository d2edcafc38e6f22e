import { PodV1, PodV1SpecContainerEnv, PodV1SpecContainerVolumeMount, PodV1SpecVolume } from "@cdktf/provider-kubernetes/lib/pod-v1";
import { Construct } from "constructs";
import { isUnresolved, Rules, Validator } from "../../core/validation";
import { PodSecretsMount, SyncedSecretEnvVar } from "./pod-secrets-mount";

export interface SecretsPodProps {
  /** The pod pieces of the class to mount (volume, read-only mount, service account, labels). */
  readonly mount: PodSecretsMount;
  /** Pod name (DNS-1123 subdomain); the pod lives in the class's namespace. */
  readonly name: string;
  /** Container image. */
  readonly image: string;
  /**
   * Container command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Env vars from the class's synced Secrets (the volume comes with them: see {@link PodSecretsMount.envFromSyncedSecrets}).
   * @default - none
   */
  readonly env?: SyncedSecretEnvVar[];
  /**
   * Container name.
   * @default "app"
   */
  readonly containerName?: string;
  /**
   * Pod labels, besides the ones the class needs (the workload identity label).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Container resources, as `{ requests: { cpu, memory }, limits: { memory } }`.
   * @default - none set
   */
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
}

/**
 * A bare pod (`kubernetes_pod_v1`) that mounts a {@link SecretProviderClass} through its
 * {@link PodSecretsMount}: for one-off jobs, debugging and tests, where a Deployment is not
 * wanted. The pod runs as the mount's service account (workload identity) with the class's
 * labels, mounts the CSI volume read-only, takes env vars only together with the volume, and is
 * hardened like the demo deployments: non-root, no privilege escalation, read-only root file
 * system, all capabilities dropped, no service account token mounted. The wiring checks see it
 * like any pod of the app.
 */
export class SecretsPod extends Construct {
  /** The pod. Address stays `kubernetes_pod_v1.<id>_pod`: keep the id. */
  public readonly resource: PodV1;
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: SecretsPodProps) {
    super(scope, id);
    const v = new Validator(this);
    const mount = props.mount;
    v.check(mount instanceof PodSecretsMount, "mount", mount === undefined ? undefined : typeof mount, "needs the PodSecretsMount of the class to mount (new PodSecretsMount(spc, { serviceAccount }))");
    v.rule("name", typeof props.name === "string" ? props.name : "", Rules.dns1123Subdomain);
    if (!isUnresolved(props.image)) v.check(typeof props.image === "string" && /^[^\s]+$/.test(props.image), "image", props.image, "must be a container image reference such as registry.k8s.io/e2e-test-images/busybox:1.29-4: not empty, no whitespace");
    const containerName = props.containerName ?? "app";
    v.rule("containerName", containerName, Rules.dns1123Label);
    v.throwIfAny();

    const bundle = props.env && props.env.length > 0 ? mount.envFromSyncedSecrets(props.env) : undefined;
    const spc = mount.secretProviderClass;
    this.name = props.name;
    this.namespace = spc.namespace;
    this.resource = new PodV1(this, "pod", {
      metadata: { name: props.name, namespace: spc.namespace, labels: { ...props.labels, ...mount.podLabels } },
      spec: {
        serviceAccountName: mount.serviceAccountName,
        automountServiceAccountToken: false,
        restartPolicy: "Never",
        securityContext: { runAsNonRoot: true, runAsUser: "65534", runAsGroup: "65534", seccompProfile: { type: "RuntimeDefault" } },
        container: [
          {
            name: containerName,
            image: props.image,
            command: props.command,
            args: props.args,
            env: bundle?.env as PodV1SpecContainerEnv[] | undefined,
            volumeMount: [mount.volumeMount as PodV1SpecContainerVolumeMount],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            resources: props.resources,
          },
        ],
        volume: [mount.volume as PodV1SpecVolume],
      },
    });
  }
}

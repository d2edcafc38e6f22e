import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ITerraformDependable, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { KeyVaultWorkloadBinding } from "../constructs/bindings/key-vault-workload-binding";
import { PodSecretsMount, SyncedSecretEnv } from "../constructs/kubernetes/pod-secrets-mount";
import { SecretProviderClass } from "../constructs/kubernetes/secret-provider-class";
import { applySecurityRules } from "../verify/security-rules";
import { Validator } from "../core/validation";
import { applyWiringChecks } from "../verify/wiring";
import { TfcVaultRunTrust } from "../constructs/terraform-cloud/vault-run-trust";
import { BackendSettings, configureBackends, TFC_CLUSTER_PRINCIPALS_VARIABLE, workspaceName } from "./backend";
import { ClusterStack, ClusterStackProps } from "../stacks/cluster-stack";
import { addHcpVault, AddHcpVaultOptions, HcpVault } from "./hcp-vault";
import { DEMO_WORKLOAD, PlatformStack, PlatformStackProps } from "../stacks/platform-stack";
import { demoDeploymentResource } from "./demo-deployment";

/** Everything the default app is configured with. */
export interface DefaultAppConfig {
  readonly platform?: PlatformStackProps;
  /** The cluster stack's settings (the cluster itself is the platform's). @default - auth { mode: "terraformCloud" } with a Terraform Cloud backend, else { mode: "azureCli" } */
  readonly cluster?: Omit<ClusterStackProps, "cluster">;
  /**
   * Include the demo: the `demo` Key Vault workload (its identity, grants and two secrets), its
   * two deployments, and the HCP Vault demo role and synced Secret. `false` leaves all of it out
   * (workloads given in `platform.workloads` or `hcpVault.workloads` are kept); a platform workload
   * named `demo` also brings the Key Vault demo back.
   * @default true
   */
  readonly demo?: boolean;
  /** Image of the demo workloads: any image with a POSIX sh. @default DEMO_IMAGE */
  readonly demoImage?: string;
  /**
   * The HCP Vault side (HVN peered with the spoke, private Vault cluster, JWT auth, the Vault
   * Secrets Operator); `false` leaves it out. @default the demo's: one HVN, role `demo`, secret `demo/config`
   */
  readonly hcpVault?: Omit<AddHcpVaultOptions, "platform" | "clusterScope" | "secretsScope"> | false;
  /** Where state lives: a Terraform Cloud workspace per stack when an organization is set. @default local state */
  readonly backend?: BackendSettings;
}

/** The demo namespace. */
export const DEMO_NAMESPACE = "demo";
/** Small image with a POSIX shell, as in the AKS Secrets Store CSI walkthroughs. */
export const DEMO_IMAGE = "registry.k8s.io/e2e-test-images/busybox:1.29-4";

/** One demo deployment and the pieces it was built from. */
export interface DemoWorkload {
  readonly secretProviderClass: SecretProviderClass;
  readonly pod: PodSecretsMount;
  /** Its `kubernetes_deployment_v1` (rendered without the prebuilt binding: see demoDeploymentResource). */
  readonly deployment: TerraformResource;
}

/** The two demo workloads: the same two secrets read with workload identity and with the add-on identity. */
export interface DemoWorkloads {
  readonly namespace: NamespaceV1;
  readonly workloadIdentity: DemoWorkload & { readonly binding: KeyVaultWorkloadBinding };
  readonly addonIdentity: DemoWorkload;
}

/** The stacks of the default app. */
export interface DefaultApp {
  readonly platform: PlatformStack;
  readonly cluster: ClusterStack;
  /** Present when the platform has the demo workload (the default). */
  readonly demo?: DemoWorkloads;
  /** The operator's custom resources: a stack after `cluster`, since they need its CRDs at plan time. */
  readonly clusterVault?: ClusterStack;
  /** Present unless `hcpVault: false`. */
  readonly hcpVault?: HcpVault;
}

/**
 * Composes the default app's stacks into `app`: `platform` (Azure resources) and `cluster`
 * (in-cluster resources, deployed after it). `main.ts` calls it; tests and benchmarks call it
 * too, so what they check is what `cdktf synth` produces.
 */
export function buildDefaultApp(app: Construct, config: DefaultAppConfig = {}): DefaultApp {
  const demoOn = config.demo ?? true;
  // With Terraform Cloud, the bootstrap hands the cluster workspaces' identity to the platform stack.
  const tfc = config.backend?.organization ? { clusterOperatorsVariable: TFC_CLUSTER_PRINCIPALS_VARIABLE } : {};
  const platformProps = { ...tfc, ...config.platform };
  const platform = new PlatformStack(app, "platform", demoOn === false ? { ...platformProps, workloads: config.platform?.workloads ?? [] } : platformProps);
  // Reported on the platform stack, which holds the demo's identity and grants.
  new Validator(platform).check(typeof demoOn === "boolean", "demo", demoOn, "must be true (include the demo workloads) or false (leave them out)").throwIfAny();
  // In Terraform Cloud runs kubelogin signs in with the run's workload identity token.
  const clusterDefaults: Partial<ClusterStackProps> = { subscriptionId: platform.subscriptionId, ...(config.backend?.organization ? { auth: { mode: "terraformCloud" } } : {}) };
  const cluster = new ClusterStack(app, "cluster", { ...clusterDefaults, ...config.cluster, cluster: platform.cluster });
  const demoWorkload = platform.workloads.find((w) => w.name === DEMO_WORKLOAD.name);
  const demo = demoWorkload ? addKeyVaultDemo(platform, cluster, config.demoImage ?? DEMO_IMAGE) : undefined;

  let clusterVault: ClusterStack | undefined;
  let hcpVault: HcpVault | undefined;
  if (config.hcpVault !== false) {
    // VSO's custom resources need its CRDs at plan time: a cluster stack that deploys after the operator's.
    clusterVault = new ClusterStack(app, "cluster-vault", { ...clusterDefaults, ...config.cluster, cluster: platform.cluster });
    hcpVault = addHcpVault(app, {
      platform,
      clusterScope: cluster,
      secretsScope: clusterVault,
      namespaceDependencies: demo ? [demo.namespace] : [],
      ...config.hcpVault,
      workloads: config.hcpVault?.workloads ?? (demoOn ? undefined : []),
      // The spoke VNet is in the platform's subscription.
      hcp: { subscriptionId: platform.subscriptionId, ...config.hcpVault?.hcp },
    });
  }

  if (hcpVault && config.backend?.organization) {
    // Vault dynamic credentials for the vault-config workspace (TerraformCloudBootstrapStack sets its variables).
    const vc = hcpVault.vaultConfig;
    new TfcVaultRunTrust(vc, "tfc-run-trust", {
      workspace: { organization: config.backend.organization, project: config.backend.project, workspace: workspaceName(vc, config.backend) },
      hostname: config.backend.hostname,
      manages: { authMounts: [vc.jwtAuth.path], secretMounts: [vc.kvMount] },
    });
  }

  // Security rules on every stack: a finding fails validation before any file is written.
  applySecurityRules(app);
  // Every path from a pod to a secret, across stacks: a broken link fails validation too;
  // validateAndSynth writes cdktf.out/wiring-report.md (printed with WIRING_REPORT=1).
  applyWiringChecks(app);
  configureBackends(app, config.backend ?? {});
  return { platform, cluster, demo, clusterVault, hcpVault };
}

/**
 * The demo: a workload that reads the demo workload's two Key Vault secrets as mounted files
 * and as env vars from a synced Secret, once with its workload identity (created and granted
 * by the platform stack) and once with the CSI add-on's identity (granted by the platform stack).
 * The containers report whether each file and variable is present, never a value.
 */
export function addKeyVaultDemo(platform: PlatformStack, cluster: ClusterStack, image: string = DEMO_IMAGE): DemoWorkloads {
  const index = platform.workloads.findIndex((x) => x.name === DEMO_WORKLOAD.name);
  const w = index >= 0 ? platform.workloads[index] : DEMO_WORKLOAD;
  // The demo mounts a username and a password: exactly two distinct secrets.
  const secrets = w.secrets;
  new Validator(platform)
    .check(
      secrets.length === 2 && secrets[0] !== secrets[1],
      `workloads[${index}].secrets`,
      secrets,
      `is the "${DEMO_WORKLOAD.name}" workload's, which the demo deployments read as a username and a password: it must name exactly two different secrets, such as ["demo-username", "demo-password"] (rename the workload to keep it out of the demo)`,
    )
    .throwIfAny();
  new Validator(cluster)
    .check(typeof image === "string" && /^[^\s]+$/.test(image), "demoImage", image, "must be a container image reference such as registry.k8s.io/e2e-test-images/busybox:1.29-4: not empty, no whitespace")
    .throwIfAny();
  const [usernameSecret, passwordSecret] = secrets;
  const namespace = cluster.namespace(w.namespace);
  const keys = { [usernameSecret]: "username", [passwordSecret]: "password" };
  const env = [
    { name: "DEMO_USERNAME", key: "username" },
    { name: "DEMO_PASSWORD", key: "password" },
  ];

  // Workload identity: the platform's identity for the demo workload, bound in one call.
  const binding = new KeyVaultWorkloadBinding(platform, cluster, "demo-workload-identity", {
    cluster: platform.cluster,
    keyVault: platform.keyVault,
    identity: platform.workloadIdentities.get(w.name),
    namespace: w.namespace,
    serviceAccountName: w.serviceAccountName,
    secrets: [usernameSecret, passwordSecret],
    secretProviderClassName: "demo-kv-workload-identity",
    sync: { secretName: "demo-kv-workload-identity", keys },
  });
  const wiEnv = binding.envFromSyncedSecrets(env);
  const wiDeployment = demoDeployment(cluster, "demo-workload-identity", {
    namespace: w.namespace,
    image,
    pod: binding.pod,
    bundle: wiEnv,
    files: [usernameSecret, passwordSecret].map((s) => binding.pod.filePath(s)),
    dependsOn: [namespace, binding.serviceAccount.resource, binding.secretProviderClass.resource],
  });

  // The add-on's own identity, VM-assigned on the nodes.
  const addonSpc = new SecretProviderClass(cluster, "demo-kv-addon", {
    name: "demo-kv-addon",
    namespace,
    provider: {
      type: "azure",
      keyVault: platform.keyVault,
      identity: { mode: "vmManagedIdentity", identity: platform.cluster.secretsProviderIdentity },
      objects: [{ objectName: usernameSecret }, { objectName: passwordSecret }],
    },
    secretObjects: [{ secretName: "demo-kv-addon", type: "Opaque", data: Object.entries(keys).map(([objectName, key]) => ({ objectName, key })) }],
  });
  const addonPod = new PodSecretsMount(addonSpc);
  const addonDeployment = demoDeployment(cluster, "demo-addon-identity", {
    namespace: w.namespace,
    image,
    pod: addonPod,
    bundle: addonPod.envFromSyncedSecrets(env),
    files: [usernameSecret, passwordSecret].map((s) => addonPod.filePath(s)),
    dependsOn: [namespace, addonSpc.resource],
  });

  return {
    namespace,
    workloadIdentity: { binding, secretProviderClass: binding.secretProviderClass, pod: binding.pod, deployment: wiDeployment },
    addonIdentity: { secretProviderClass: addonSpc, pod: addonPod, deployment: addonDeployment },
  };
}

function demoDeployment(
  scope: Construct,
  name: string,
  o: { namespace: string; image: string; pod: PodSecretsMount; bundle: SyncedSecretEnv; files: string[]; dependsOn: ITerraformDependable[] },
): TerraformResource {
  // No "${" in the script: Terraform would read it as interpolation. Prints presence, never values.
  const checks = [
    ...o.files.map((f) => `if [ -s ${f} ]; then echo "file ${f}: present"; else echo "file ${f}: MISSING"; fi`),
    ...o.bundle.env.map((e) => `if [ -n "$${e.name}" ]; then echo "env ${e.name}: set"; else echo "env ${e.name}: MISSING"; fi`),
  ];
  const script = ["while true; do", ...checks.map((c) => `  ${c}`), "  sleep 60", "done"].join("\n");
  const labels = { app: name };
  return demoDeploymentResource(scope, `deployment-${name}`, {
    metadata: { name, namespace: o.namespace, labels },
    spec: {
      replicas: "1",
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, ...o.pod.podLabels } },
        spec: {
          serviceAccountName: o.pod.serviceAccountName,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: "65534", runAsGroup: "65534", seccompProfile: { type: "RuntimeDefault" } },
          container: [
            {
              name: "app",
              image: o.image,
              command: ["/bin/sh", "-c", script],
              env: o.bundle.env,
              volumeMount: [o.bundle.volumeMount],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
            },
          ],
          volume: [o.bundle.volume],
        },
      },
    },
    // Secret values are written out of band (az keyvault secret set): the first apply must not
    // wait for pods that cannot mount before the values exist.
    waitForRollout: false,
    dependsOn: o.dependsOn,
  });
}

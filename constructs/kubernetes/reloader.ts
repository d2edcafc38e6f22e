// Restart on rotation for CSI workloads: Stakater Reloader with its Secrets Store CSI integration.
//
// Sources (stakater/Reloader, chart-v2.2.16 = commit 655a2b38, 2026-08-10; app v1.4.21):
//   deployments/kubernetes/chart/reloader/values.yaml       reloader.enableCSIIntegration (default false),
//     reloader.ignoreSecrets / ignoreConfigMaps, reloader.reloadStrategy, reloader.readOnlyRootFileSystem
//   templates/clusterrole.yaml     CSI integration adds get/list/watch on secrets-store.csi.x-k8s.io
//     secretproviderclasspodstatuses and secretproviderclasses; ignoreSecrets drops `secrets`
//   internal/pkg/cmd/reloader.go   the SecretProviderClassPodStatus controller runs only when the flag is
//     on AND the CSI CRDs exist when Reloader starts (install it after the driver)
//   internal/pkg/util/util.go      --resources-to-ignore takes configmaps OR secrets: both = fatal at start
//   internal/pkg/util/util.go GetSHAfromSecretProviderClassPodStatus: a restart follows a change of the
//     mounted objects' versions in the pod status, which the driver writes only with rotation on
//   internal/pkg/options/flags.go  secretproviderclass.reloader.stakater.com/reload: "<class>[,<class>]"
//   internal/pkg/constants/constants.go  reloadStrategy annotations writes reloader.stakater.com/last-reloaded-from
import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { stringify } from "yaml";
import { checkOptOut, OptOut, recordOptOut, Rules, Validator } from "../../core/validation";
import { checkProps } from "../../core/props";

/** The Reloader chart pinned by default. */
export const RELOADER_CHART_VERSION = "2.2.16";
export const RELOADER_CHART_REPOSITORY = "https://stakater.github.io/stakater-charts";
export const RELOADER_CHART = "reloader";
/** Workload annotation: restart when one of these SecretProviderClasses' mounted objects change. */
export const RELOADER_SECRET_PROVIDER_CLASS_ANNOTATION = "secretproviderclass.reloader.stakater.com/reload";
/** Pod template annotation Reloader writes on each restart (reload strategy `annotations`). */
export const RELOADER_LAST_RELOADED_ANNOTATION = "reloader.stakater.com/last-reloaded-from";
/**
 * The `lifecycle.ignore_changes` entry that keeps Terraform from undoing Reloader's restart marker
 * on a `kubernetes_deployment_v1` (or stateful set / daemon set) it manages.
 */
export const RELOADER_IGNORE_CHANGES = `spec[0].template[0].metadata[0].annotations["${RELOADER_LAST_RELOADED_ANNOTATION}"]`;

/**
 * Where a cluster's Secrets Store CSI driver says whether it rotates: an {@link AksCluster} (the
 * add-on's `secretRotation`), or a self-managed driver installed with Helm (its `enableSecretRotation`).
 */
export interface ISecretRotationSource extends IConstruct {
  readonly secretRotation: { readonly enabled: boolean; readonly interval: string };
}

export interface ReloaderProps {
  /**
   * The cluster's Secrets Store CSI driver: the {@link AksCluster} (add-on) or the self-managed
   * driver. Its rotation must be on: Reloader restarts on the version changes rotation writes.
   */
  readonly driver: ISecretRotationSource;
  /** Chart version, pinned (an exact `X.Y.Z`). @default {@link RELOADER_CHART_VERSION} */
  readonly chartVersion?: string;
  /** Namespace of Reloader (created by the release). @default "reloader" */
  readonly namespace?: string;
  /** Helm release name. @default "reloader" */
  readonly releaseName?: string;
  /**
   * Also restart on changes of Kubernetes Secrets (`reloader.stakater.com/auto` and friends):
   * Reloader then reads every Secret of the cluster. An opt-out of the secure default: give the reason.
   * @default Reloader is not allowed to read Secrets (it watches SecretProviderClassPodStatus only)
   */
  readonly watchSecrets?: OptOut;
  /** More chart values, merged over the library's. Never put secrets here: values land in Terraform state. @default none */
  readonly values?: Record<string, unknown>;
  /** What Reloader must start after: a self-managed driver's release (its CRDs must exist when Reloader starts). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Stakater Reloader installed with Helm at a pinned chart version, with its Secrets Store CSI
 * integration on: a workload annotated through {@link annotationsFor} (or `PodSecretsMount`'s
 * `restartOnRotation`) gets a rolling restart when the driver's rotation writes a new version of
 * an object it mounts, so env vars and synced Secrets never stay stale. Refused at synth when the
 * driver's rotation is off (nothing would ever trigger a restart).
 *
 * Secure defaults: Reloader cannot read Secrets (`ignoreSecrets`), runs with a read-only root file
 * system and no privilege escalation, and restarts by annotation (`reloadStrategy: annotations`):
 * ignore {@link RELOADER_IGNORE_CHANGES} on Terraform-managed workloads.
 */
export class Reloader extends Construct {
  /** The Helm release. Address stays `helm_release.<id>_release`. */
  public readonly release: Release;
  public readonly namespace: string;
  public readonly chartVersion: string;
  public readonly driver: ISecretRotationSource;
  /** Whether Reloader also watches Kubernetes Secrets. */
  public readonly watchesSecrets: boolean;

  constructor(scope: Construct, id: string, props: ReloaderProps) {
    super(scope, id);
    checkProps(this, "Reloader", props);
    const p = (props ?? {}) as Partial<ReloaderProps>;
    const chartVersion = p.chartVersion ?? RELOADER_CHART_VERSION;
    const namespace = p.namespace ?? "reloader";
    const releaseName = p.releaseName ?? "reloader";
    const v = new Validator(this)
      .check(/^\d+\.\d+\.\d+$/.test(chartVersion), "chartVersion", chartVersion, "must be an exact chart version such as 2.2.16: ranges and `latest` make every plan a possible upgrade")
      .rule("namespace", namespace, Rules.dns1123Label)
      .rule("releaseName", releaseName, Rules.dns1123Label);
    const driver = p.driver;
    if (!driver || typeof driver.secretRotation !== "object" || driver.secretRotation === null) {
      v.fail("driver", driver === undefined ? undefined : typeof driver, "is required: the cluster's Secrets Store CSI driver (the AksCluster with the add-on, or the self-managed driver), whose rotation Reloader restarts on");
    } else if (!driver.secretRotation.enabled) {
      v.fail(
        "driver",
        driver.node.path,
        "has secret rotation off: the driver then never re-reads a mounted secret, its SecretProviderClassPodStatus never changes and Reloader never restarts anything; turn rotation on (AksCluster secretRotation: true, or the driver's enableSecretRotation)",
      );
    }
    checkOptOut(v, "watchSecrets.reason", p.watchSecrets, "letting Reloader read every Secret of the cluster");
    const reloaderValues = (p.values?.reloader ?? {}) as Record<string, unknown>;
    for (const key of ["enableCSIIntegration", "ignoreSecrets"]) {
      if (key in reloaderValues) v.fail(`values.reloader.${key}`, reloaderValues[key], "is set by this construct (CSI integration on; Secrets ignored unless watchSecrets gives a reason): remove it from values");
    }
    const ignoreSecrets = !p.watchSecrets;
    if (ignoreSecrets && reloaderValues.ignoreConfigMaps === true) {
      v.fail("values.reloader.ignoreConfigMaps", true, "cannot be set with ignoreSecrets: Reloader accepts one of configmaps or secrets in --resources-to-ignore and exits at start with both");
    }
    v.throwIfAny();

    this.namespace = namespace;
    this.chartVersion = chartVersion;
    this.driver = driver!;
    this.watchesSecrets = !ignoreSecrets;
    recordOptOut(this, "watchSecrets", p.watchSecrets);
    const values = {
      reloader: {
        enableCSIIntegration: true,
        ignoreSecrets,
        reloadStrategy: "annotations",
        readOnlyRootFileSystem: true,
        deployment: {
          containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
        },
      },
    };
    this.release = new Release(this, "release", {
      name: releaseName,
      repository: RELOADER_CHART_REPOSITORY,
      chart: RELOADER_CHART,
      version: chartVersion,
      namespace,
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      values: [stringify(values), ...(p.values ? [stringify(p.values)] : [])],
      dependsOn: p.dependsOn,
    });
  }

  /**
   * The annotations to put on a Deployment (StatefulSet, DaemonSet) whose pods mount these classes:
   * Reloader restarts it when the driver's rotation changes a mounted object of any of them.
   */
  annotationsFor(classes: readonly { readonly name: string; readonly namespace: string }[]): Record<string, string> {
    const v = new Validator(this).check(Array.isArray(classes) && classes.length > 0, "annotationsFor", classes, "needs at least one SecretProviderClass the workload mounts");
    const namespaces = new Set((classes ?? []).map((c) => c.namespace));
    v.check(namespaces.size <= 1, "annotationsFor", [...namespaces], "names classes of several namespaces: a workload mounts classes of its own namespace only").throwIfAny();
    return { [RELOADER_SECRET_PROVIDER_CLASS_ANNOTATION]: [...new Set(classes.map((c) => c.name))].join(",") };
  }
}

// The External Secrets Operator: Kubernetes Secrets synced from Azure Key Vault or Vault without a
// CSI mount (a third delivery mode beside the CSI driver and the Vault Secrets Operator).
//
// Sources (external-secrets/external-secrets; chart 2.9.0 = tag helm-chart-2.9.0, commit cc5bfbc2,
// app v2.9.0 = tag v2.9.0, commit 378bdb62; Apache-2.0):
//   deploy/charts/external-secrets/values.yaml   installCRDs (true), serviceAccount.{name,annotations},
//     podLabels, rbac.serviceAccountTokenCreate (true: needed to request service account tokens
//     for a store's serviceAccountRef), securityContext (non-root, read-only root file system)
//   config/crds/bases/external-secrets.io_*.yaml the CRDs the chart ships (vendored: vendor/crds/)
import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { problemMessage, Rules, Validator } from "../../core/validation";
import { serviceAccountSubject, WorkloadIdentity } from "../azure/workload-identity";
import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION, WORKLOAD_IDENTITY_USE_LABEL } from "../kubernetes/workload-service-account";
import { checkProps } from "../../core/props";

/** The External Secrets Operator chart pinned by default: the release whose CRDs the conformance check uses. */
export const ESO_CHART_VERSION = "2.9.0";
export const ESO_CHART_REPOSITORY = "https://charts.external-secrets.io";
export const ESO_CHART = "external-secrets";
/** API version of the operator's custom resources (v1beta1 is no longer served). */
export const ESO_API_VERSION = "external-secrets.io/v1";

export interface ExternalSecretsOperatorProps {
  /** Chart version, pinned (an exact `X.Y.Z`). @default {@link ESO_CHART_VERSION} */
  readonly chartVersion?: string;
  /** Namespace of the operator (created by the release). @default "external-secrets" */
  readonly namespace?: string;
  /** Helm release name. @default "external-secrets" */
  readonly releaseName?: string;
  /** Name of the operator's service account. @default "external-secrets" */
  readonly serviceAccountName?: string;
  /**
   * Give the operator itself a workload identity (its pods carry the workload identity label, its
   * service account the client ID): only for a `ClusterSecretStore` with `{ mode: "operator" }`.
   * The identity must trust `system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT` (addServiceAccount).
   * Prefer a store that references a service account of the team's own namespace.
   * @default none: the operator holds no Azure identity; stores name the service account to use
   */
  readonly workloadIdentity?: WorkloadIdentity;
  /** More chart values, merged over the library's. Never put secrets here: values land in Terraform state. @default none */
  readonly values?: Record<string, unknown>;
  /** Resources the release waits for (e.g. node pools). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The External Secrets Operator installed with Helm at a pinned chart version (with its CRDs).
 * Its resources ({@link EsoSecretStore}, {@link EsoClusterSecretStore}, {@link EsoExternalSecret})
 * are `kubernetes_manifest`s, which need the CRDs at plan time: they must be in a stack that
 * deploys after this one (synth refuses them in the same stack).
 */
export class ExternalSecretsOperator extends Construct {
  /** The Helm release. Address stays `helm_release.<id>_release`. */
  public readonly release: Release;
  public readonly namespace: string;
  public readonly chartVersion: string;
  /** The operator's service account (what `{ mode: "operator" }` stores authenticate as). */
  public readonly serviceAccountName: string;
  /** The operator's own identity, when given. */
  public readonly workloadIdentity?: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps = {}) {
    super(scope, id);
    checkProps(this, "ExternalSecretsOperator", props);
    const p = props ?? {};
    const chartVersion = p.chartVersion ?? ESO_CHART_VERSION;
    const namespace = p.namespace ?? "external-secrets";
    const releaseName = p.releaseName ?? "external-secrets";
    const serviceAccountName = p.serviceAccountName ?? "external-secrets";
    const v = new Validator(this)
      .check(/^\d+\.\d+\.\d+$/.test(chartVersion), "chartVersion", chartVersion, "must be an exact chart version such as 2.9.0: ranges and `latest` make every plan a possible upgrade")
      .rule("namespace", namespace, Rules.dns1123Label)
      .rule("releaseName", releaseName, Rules.dns1123Label)
      .rule("serviceAccountName", serviceAccountName, Rules.dns1123Subdomain);
    if (p.workloadIdentity !== undefined && !(p.workloadIdentity instanceof WorkloadIdentity)) v.fail("workloadIdentity", typeof p.workloadIdentity, "must be a WorkloadIdentity construct (its client ID annotates the operator's service account)");
    v.throwIfAny();

    this.namespace = namespace;
    this.chartVersion = chartVersion;
    this.serviceAccountName = serviceAccountName;
    this.workloadIdentity = p.workloadIdentity;
    const identity = p.workloadIdentity;
    const values: Record<string, unknown> = {
      installCRDs: true,
      serviceAccount: { create: true, name: serviceAccountName, ...(identity ? { annotations: { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: identity.clientId } } : {}) },
      rbac: { create: true, serviceAccountTokenCreate: true },
      ...(identity ? { podLabels: { [WORKLOAD_IDENTITY_USE_LABEL]: "true" } } : {}),
    };
    this.release = new Release(this, "release", {
      name: releaseName,
      repository: ESO_CHART_REPOSITORY,
      chart: ESO_CHART,
      version: chartVersion,
      namespace,
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      values: [stringify(values), ...(p.values ? [stringify(p.values)] : [])],
      dependsOn: p.dependsOn,
    });
    if (identity) {
      // Checked once the tree is built: the credential may be added after this construct.
      this.node.addValidation({
        validate: () => {
          const subject = serviceAccountSubject(namespace, serviceAccountName);
          return identity.federatedCredentials.some((c) => c.subject === subject)
            ? []
            : [problemMessage("workloadIdentity", identity.node.path, `has no federated credential for the operator's service account ${subject}: call identity.addServiceAccount({ namespace: "${namespace}", name: "${serviceAccountName}", issuer: cluster })`)];
        },
      });
    }
  }
}

// The Helm charts the in-cluster installers pin, and the service account token audiences the
// providers read from the Secrets Store CSI driver. Versions and value keys were read from each
// chart's repository at the release tag (see the research notes, /work/research/installers.md).

/** A chart in a Helm repository. */
export interface HelmChartRef {
  /** Helm repository URL. */
  readonly repository: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** The version pinned by default (an exact `X.Y.Z`). */
  readonly version: string;
}

/**
 * kubernetes-sigs/secrets-store-csi-driver `charts/secrets-store-csi-driver` at v1.6.0
 * (Kubernetes 1.30 or later). Its `crds/` bring the SecretProviderClass CRD.
 */
export const SECRETS_STORE_CSI_DRIVER_CHART: HelmChartRef = {
  repository: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
  chart: "secrets-store-csi-driver",
  version: "1.6.0",
};

/**
 * Azure/secrets-store-csi-driver-provider-azure `charts/csi-secrets-store-provider-azure` at
 * v1.8.2. It bundles the driver as a dependency (`secrets-store-csi-driver.install`), which the
 * installer turns off: the driver is installed once, by {@link SECRETS_STORE_CSI_DRIVER_CHART}.
 */
export const AZURE_CSI_PROVIDER_CHART: HelmChartRef = {
  repository: "https://azure.github.io/secrets-store-csi-driver-provider-azure/charts",
  chart: "csi-secrets-store-provider-azure",
  version: "1.8.2",
};

/**
 * hashicorp/vault-helm `vault` at v0.34.1 (vault-csi-provider 1.7.4), installed with only the
 * CSI provider: no Vault server, no agent injector.
 */
export const VAULT_CSI_PROVIDER_CHART: HelmChartRef = {
  repository: "https://helm.releases.hashicorp.com",
  chart: "vault",
  version: "0.34.1",
};

/**
 * aws/secrets-store-csi-driver-provider-aws `charts/secrets-store-csi-driver-provider-aws` at
 * 3.1.1 (ASCP). It bundles the driver as a dependency (`secrets-store-csi-driver.install`), which
 * the installer turns off.
 */
export const AWS_CSI_PROVIDER_CHART: HelmChartRef = {
  repository: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
  chart: "secrets-store-csi-driver-provider-aws",
  version: "3.1.1",
};

/** The token audience the Azure provider exchanges for an Entra token (workload identity, `clientID`). */
export const AZURE_WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";
/** The token audience ASCP sends to STS with IAM roles for service accounts (IRSA). */
export const AWS_IRSA_AUDIENCE = "sts.amazonaws.com";
/** The token audience ASCP sends to the EKS Pod Identity agent (`usePodIdentity`). */
export const AWS_POD_IDENTITY_AUDIENCE = "pods.eks.amazonaws.com";

/** The namespace the installers put their releases in unless told otherwise (as the upstream guides do). */
export const INSTALLER_NAMESPACE = "kube-system";

import { Construct } from "constructs";
import { Validator } from "../../../core/validation";
import { AWS_CSI_PROVIDER_CHART, AZURE_CSI_PROVIDER_CHART, VAULT_CSI_PROVIDER_CHART } from "./charts";
import { ChartInstallerSpec, HelmChartInstaller, HelmChartOptions, orderAfter } from "./helm-chart-installer";
import { SecretsStoreCsiDriver } from "./secrets-store-csi-driver";

/** The providers a SecretProviderClass can name (`spec.provider`, also the provider's socket name). */
export type CsiProviderType = "azure" | "vault" | "aws";
/** Every {@link CsiProviderType}. */
export const CSI_PROVIDER_TYPES: readonly CsiProviderType[] = ["azure", "vault", "aws"];

/** Options of a provider installer. */
export interface CsiProviderOptions extends HelmChartOptions {
  /**
   * The self-managed driver: the provider is installed after it. Required where the provider's
   * chart would otherwise bring a driver of its own (Azure, AWS).
   * @default - none (the Vault provider beside the AKS add-on's driver)
   */
  readonly driver?: SecretsStoreCsiDriver;
}

/** A Helm release of one Secrets Store CSI provider (a DaemonSet serving `<provider>.sock` on every node). */
export abstract class CsiProviderInstaller extends HelmChartInstaller {
  /** The provider it serves: the `spec.provider` of the classes it mounts. */
  public abstract readonly providerType: CsiProviderType;
  /** The driver it was installed after, when self-managed. */
  public readonly driver?: SecretsStoreCsiDriver;

  protected constructor(scope: Construct, id: string, spec: ChartInstallerSpec, options: CsiProviderOptions) {
    super(scope, id, spec, options);
    this.driver = options.driver;
    if (options.driver) orderAfter(this.release, options.driver.release);
  }
}

/**
 * The Azure Key Vault provider (chart `csi-secrets-store-provider-azure`, pinned) for a
 * self-managed driver, installed WITHOUT the driver its chart bundles
 * (`secrets-store-csi-driver.install: false`). On a cluster with the AKS add-on the add-on runs
 * this provider already: a second one would conflict.
 */
export class AzureKeyVaultCsiProvider extends CsiProviderInstaller {
  public readonly providerType = "azure";

  constructor(scope: Construct, id: string, options: CsiProviderOptions & { readonly driver: SecretsStoreCsiDriver }) {
    super(scope, id, { chart: AZURE_CSI_PROVIDER_CHART, releaseName: "csi-secrets-store-provider-azure", managedPaths: ["secrets-store-csi-driver.install"], validate: (v) => requireDriver(v, options, "Azure") }, options);
  }

  protected managedValues(): Record<string, unknown> {
    return { "secrets-store-csi-driver": { install: false } };
  }
}

/**
 * The HashiCorp Vault CSI provider: the `vault` chart (pinned) with only the CSI provider on
 * (`csi.enabled`), no Vault server (`server.enabled: false`), no agent injector
 * (`injector.enabled: false`), and no Vault Agent cache sidecar (`csi.agent.enabled: false`: each
 * class names its Vault with `vaultAddress`, which the provider uses directly). Runs beside either
 * driver: it requests the pod's token for the class's `audience` itself.
 */
export class VaultCsiProvider extends CsiProviderInstaller {
  public readonly providerType = "vault";

  constructor(scope: Construct, id: string, options: CsiProviderOptions = {}) {
    super(scope, id, { chart: VAULT_CSI_PROVIDER_CHART, releaseName: "vault-csi-provider", managedPaths: ["server.enabled", "injector.enabled", "csi.enabled", "csi.agent.enabled"] }, options);
  }

  protected managedValues(): Record<string, unknown> {
    return { server: { enabled: false }, injector: { enabled: false }, csi: { enabled: true, agent: { enabled: false } } };
  }
}

/** Options of the AWS provider (ASCP). */
export interface AwsCsiProviderOptions extends CsiProviderOptions {
  /**
   * AWS region for classes that name none (`awsRegion`, the provider's `AWS_REGION`). On EKS the
   * provider reads the node's `topology.kubernetes.io/region` label instead; on other clusters
   * (AKS) every class must then give `region`.
   * @default - none
   */
  readonly region?: string;
}

/**
 * The AWS Secrets Manager and Config Provider (ASCP, chart `secrets-store-csi-driver-provider-aws`,
 * pinned) for a self-managed driver, installed WITHOUT the driver its chart bundles
 * (`secrets-store-csi-driver.install: false`). ASCP reads the pod's token from the driver's
 * `tokenRequests` (audience sts.amazonaws.com for IRSA, pods.eks.amazonaws.com for Pod Identity),
 * which the AKS add-on's driver does not request: it needs the self-managed driver.
 */
export class AwsCsiProvider extends CsiProviderInstaller {
  public readonly providerType = "aws";
  /** The region given, if any. */
  public readonly region?: string;

  constructor(scope: Construct, id: string, options: AwsCsiProviderOptions & { readonly driver: SecretsStoreCsiDriver }) {
    super(
      scope,
      id,
      {
        chart: AWS_CSI_PROVIDER_CHART,
        releaseName: "secrets-provider-aws",
        managedPaths: ["secrets-store-csi-driver.install", "awsRegion"],
        validate: (v) => {
          requireDriver(v, options, "AWS");
          if (options.region !== undefined) v.check(typeof options.region === "string" && /^[a-z]{2}(-[a-z]+)+-\d$/.test(options.region), "region", options.region, "must be an AWS region such as eu-west-1");
        },
      },
      options,
    );
    this.region = options.region;
  }

  protected managedValues(): Record<string, unknown> {
    return { "secrets-store-csi-driver": { install: false }, ...(this.region !== undefined ? { awsRegion: this.region } : {}) };
  }
}

function requireDriver(v: Validator, options: CsiProviderOptions, which: string): void {
  v.check(
    options.driver instanceof SecretsStoreCsiDriver,
    "driver",
    options.driver === undefined ? undefined : String(options.driver),
    `needs the self-managed SecretsStoreCsiDriver: the ${which} provider is installed without the driver its chart bundles, after that one`,
  );
}

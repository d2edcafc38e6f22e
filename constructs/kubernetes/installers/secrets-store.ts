import { checkProps } from "../../../core/props";
import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { publishFact } from "../../../core/facts";
import { CSI_CLASS_SERVED, CSI_PROVIDER } from "../../../core/facts-installers";
import { problemMessage, Validator } from "../../../core/validation";
import type { AksCluster } from "../../azure/aks-cluster";
import { SecretProviderClass } from "../secret-provider-class";
import { AWS_IRSA_AUDIENCE, AWS_POD_IDENTITY_AUDIENCE, AZURE_WORKLOAD_IDENTITY_AUDIENCE } from "./charts";
import { AwsCsiProvider, AwsCsiProviderOptions, AzureKeyVaultCsiProvider, CSI_PROVIDER_TYPES, CsiProviderInstaller, CsiProviderOptions, CsiProviderType, VaultCsiProvider } from "./csi-providers";
import { orderAfter, sameStack } from "./helm-chart-installer";
import { associateClassServer, classServerOf } from "./registry";
import { SecretsStoreCsiDriver, SecretsStoreCsiDriverOptions } from "./secrets-store-csi-driver";

/** Where the Secrets Store CSI driver of a cluster comes from. */
export type SecretsStoreDriver =
  /**
   * The AKS Key Vault Secrets Provider add-on: AKS runs the driver and the Azure provider (rotation
   * is the cluster's `secretRotation`). The Vault provider can be added; the AWS provider cannot
   * (the add-on's driver requests no token for it).
   */
  | { readonly mode: "aksAddon"; /** The cluster, for messages and the report. @default - none */ readonly cluster?: AksCluster }
  /** A Helm release of the driver ({@link SecretsStoreCsiDriver}) with these settings, and the providers the classes need. */
  | ({ readonly mode: "selfManaged" } & SecretsStoreCsiDriverOptions);

/** Options of a cluster's Secrets Store installers. */
export interface SecretsStoreProps {
  /** The driver: the AKS add-on, or self-managed with Helm. */
  readonly driver: SecretsStoreDriver;
  /**
   * Install options of the Azure provider (self-managed driver only).
   * @default - the pinned chart in kube-system
   */
  readonly azureProvider?: Omit<CsiProviderOptions, "driver">;
  /**
   * Install options of the Vault CSI provider.
   * @default - the pinned chart in kube-system
   */
  readonly vaultProvider?: Omit<CsiProviderOptions, "driver">;
  /**
   * Install options of the AWS provider, ASCP (self-managed driver only).
   * @default - the pinned chart in kube-system
   */
  readonly awsProvider?: Omit<AwsCsiProviderOptions, "driver">;
  /**
   * Providers to install even before a class needs them ("when asked"). Classes install the
   * providers they need themselves.
   * @default - none
   */
  readonly install?: readonly CsiProviderType[];
  /**
   * What runs the nodes: on EKS the AWS provider finds the region in the node's labels; anywhere
   * else an `aws` class must name its region.
   * @default "aks" with an AKS add-on driver, else "other"
   */
  readonly platform?: "aks" | "eks" | "other";
  /**
   * The cluster, for messages and the wiring report.
   * @default - the add-on cluster's path, else the path of the scope that holds the installers
   */
  readonly clusterLabel?: string;
}

/** Options of {@link SecretsStore.ensure}. */
export interface SecretsStoreEnsureOptions extends SecretsStoreProps {
  /**
   * What identifies the cluster: scopes given the same key share one SecretsStore (the first one
   * holds the releases), so each chart is installed once per cluster.
   * @default - the scope itself (a cluster of its own)
   */
  readonly cluster?: string | object;
}

/** What serves a class on its cluster. */
export type SecretsStoreServer =
  /** The AKS add-on's Azure provider. */
  | { readonly kind: "aksAddon"; readonly label: string }
  /** A provider installed by this library with Helm. */
  | { readonly kind: "chart"; readonly installer: CsiProviderInstaller; readonly label: string };

const STORES = new WeakMap<IConstruct, Map<unknown, SecretsStore>>();

/**
 * The Secrets Store CSI installers of one cluster: the driver (the AKS add-on, or a pinned Helm
 * release) and the provider charts, each installed once per cluster and only when a
 * SecretProviderClass on the cluster needs it, or when asked ({@link installProvider},
 * `install`). Every class created under a scope associated with it (a `ClusterStack` associates
 * itself; {@link SecretsStore.ensure} associates any scope) is served on creation: its provider is
 * installed, the self-managed driver gets the token audiences and the Secret sync RBAC the class
 * needs, and the class is ordered after its installer. What cannot be served fails synth on the
 * class, naming the provider and the construct that would install it.
 *
 * | class provider | AKS add-on | self-managed driver |
 * |---|---|---|
 * | azure | the add-on's provider | {@link AzureKeyVaultCsiProvider} |
 * | vault | {@link VaultCsiProvider} | {@link VaultCsiProvider} |
 * | aws   | refused (needs the self-managed driver) | {@link AwsCsiProvider} |
 */
export class SecretsStore extends Construct {
  /**
   * The SecretsStore of the cluster `options.cluster`, created under `scope` if that cluster has
   * none yet, and associated with `scope`: classes created anywhere under `scope` are served by it.
   */
  static ensure(scope: Construct, options: SecretsStoreEnsureOptions): SecretsStore {
    const key = options.cluster ?? scope;
    const root = scope.node.root;
    const stores = STORES.get(root) ?? new Map<unknown, SecretsStore>();
    STORES.set(root, stores);
    let store = stores.get(key);
    if (store) {
      checkSameSetup(store, scope, options);
    } else {
      // `cluster` is the key of ensure, not a prop of the construct.
      const { cluster: _key, ...props } = options;
      store = new SecretsStore(scope, "secrets-store", props);
      stores.set(key, store);
    }
    associateClassServer(scope, store);
    store.serveExisting(scope);
    return store;
  }

  /** The SecretsStore serving classes created under `c`, if any. */
  static of(c: IConstruct): SecretsStore | undefined {
    const server = classServerOf(c);
    return server instanceof SecretsStore ? server : undefined;
  }

  /** `aksAddon` or `selfManaged`. */
  public readonly driverMode: SecretsStoreDriver["mode"];
  /** The cluster, for people. */
  public readonly clusterLabel: string;
  public readonly platform: "aks" | "eks" | "other";
  private readonly props: SecretsStoreProps;
  private driverInstaller?: SecretsStoreCsiDriver;
  private readonly providers = new Map<CsiProviderType, CsiProviderInstaller>();
  private readonly served = new Map<SecretProviderClass, SecretsStoreServer | undefined>();

  constructor(scope: Construct, id: string, props: SecretsStoreProps) {
    super(scope, id);
    checkProps(this, "SecretsStore", props);
    const driver = props?.driver as SecretsStoreDriver | undefined;
    const mode = driver?.mode;
    const v = new Validator(this).check(mode === "aksAddon" || mode === "selfManaged", "driver.mode", mode, 'must be "aksAddon" (the AKS Key Vault Secrets Provider add-on runs the driver) or "selfManaged" (a Helm release of the driver)');
    if (mode === "aksAddon") {
      for (const field of ["azureProvider", "awsProvider"] as const) {
        if (props[field] !== undefined) {
          v.fail(field, props[field], `configures a chart the AKS add-on cannot have beside it (${field === "azureProvider" ? "the add-on runs the Azure provider itself" : "the add-on's driver cannot serve the AWS provider"}): set the cluster's driver to "selfManaged", or remove ${field}`);
        }
      }
    }
    const install = props?.install ?? [];
    if (!Array.isArray(install)) v.fail("install", install, 'must be a list of providers: "azure", "vault" or "aws"');
    else install.forEach((t, i) => v.check(CSI_PROVIDER_TYPES.includes(t), `install[${i}]`, t, 'must be "azure", "vault" or "aws"'));
    if (props?.platform !== undefined) v.check(["aks", "eks", "other"].includes(props.platform), "platform", props.platform, 'must be "aks", "eks" or "other"');
    v.throwIfAny();

    this.props = props;
    this.driverMode = mode!;
    const aks = driver!.mode === "aksAddon" ? driver!.cluster : undefined;
    this.clusterLabel = props.clusterLabel ?? aks?.node.path ?? scope.node.path;
    this.platform = props.platform ?? (mode === "aksAddon" ? "aks" : "other");
    for (const t of install) this.installProvider(t);
  }

  /** The self-managed driver, once installed. */
  get driver(): SecretsStoreCsiDriver | undefined {
    return this.driverInstaller;
  }

  /** The installed provider of a type, if any. */
  provider(type: CsiProviderType): CsiProviderInstaller | undefined {
    return this.providers.get(type);
  }

  /** Every chart installed, the driver first. */
  get installers(): readonly (SecretsStoreCsiDriver | CsiProviderInstaller)[] {
    return [...(this.driverInstaller ? [this.driverInstaller] : []), ...this.providers.values()];
  }

  /** The classes served, with what serves each (undefined: nothing can, and synth fails on the class). */
  get classes(): ReadonlyMap<SecretProviderClass, SecretsStoreServer | undefined> {
    return new Map(this.served);
  }

  /** What serves `cls`, when this store serves it. */
  servedBy(cls: SecretProviderClass): SecretsStoreServer | undefined {
    return this.served.get(cls);
  }

  /** Installs the self-managed driver (once); refused beside the AKS add-on. */
  installDriver(): SecretsStoreCsiDriver {
    if (this.driverMode !== "selfManaged") {
      new Validator(this)
        .fail("installDriver()", this.driverMode, `cluster ${this.clusterLabel} runs the AKS add-on's driver: a second driver conflicts with it (one CSIDriver secrets-store.csi.k8s.io per cluster); set the cluster's secretsStoreCsiDriver to "selfManaged" to install the driver with Helm`)
        .throwIfAny();
    }
    if (!this.driverInstaller) {
      const { mode: _mode, ...options } = this.props.driver as Extract<SecretsStoreDriver, { mode: "selfManaged" }>;
      this.driverInstaller = new SecretsStoreCsiDriver(this, "csi-driver", options);
    }
    return this.driverInstaller;
  }

  /** Installs the provider of `type` (once), with the driver it needs; refused where it would conflict or cannot work. */
  installProvider(type: CsiProviderType): CsiProviderInstaller {
    const existing = this.providers.get(type);
    if (existing) return existing;
    const v = new Validator(this).check(CSI_PROVIDER_TYPES.includes(type), `installProvider(${JSON.stringify(type)})`, type, 'must be "azure", "vault" or "aws"');
    if (this.driverMode === "aksAddon" && type !== "vault") {
      v.fail(
        `installProvider(${JSON.stringify(type)})`,
        this.driverMode,
        type === "azure"
          ? `cluster ${this.clusterLabel} runs the AKS add-on, which runs the Azure provider on every node already: a second one would conflict; classes with provider azure are served by the add-on`
          : `cluster ${this.clusterLabel} runs the AKS add-on's driver, which requests no token for sts.amazonaws.com and cannot be changed: the AWS provider needs the self-managed driver (secretsStoreCsiDriver "selfManaged")`,
      );
    }
    v.throwIfAny();
    let installer: CsiProviderInstaller;
    switch (type) {
      case "azure":
        installer = new AzureKeyVaultCsiProvider(this, "azure-provider", { ...this.props.azureProvider, driver: this.installDriver() });
        break;
      case "vault":
        installer = new VaultCsiProvider(this, "vault-provider", { ...this.props.vaultProvider, driver: this.driverMode === "selfManaged" ? this.installDriver() : undefined });
        break;
      case "aws":
        installer = new AwsCsiProvider(this, "aws-provider", { ...this.props.awsProvider, driver: this.installDriver() });
        break;
    }
    this.providers.set(type, installer);
    publishFact(this, CSI_PROVIDER, { provider: type, label: installerLabel(installer) });
    return installer;
  }

  /**
   * Serves a class: installs its provider (and the driver) once, gives the driver the token
   * audience and Secret sync the class needs, and orders the class after its installer. Called
   * by every SecretProviderClass created under an associated scope; call it for a class created
   * elsewhere that is deployed to this cluster.
   */
  serve(cls: IConstruct): void {
    if (!(cls instanceof SecretProviderClass) || this.served.has(cls)) return;
    const type = cls.providerType;
    let server: SecretsStoreServer | undefined;
    if (this.driverMode === "aksAddon" && type === "azure") {
      server = { kind: "aksAddon", label: `the AKS add-on's Azure provider (cluster ${this.clusterLabel})` };
    } else if (this.driverMode === "aksAddon" && type === "aws") {
      server = undefined;
      cls.node.addValidation({ validate: () => [awsOnAddonProblem(this)] });
    } else {
      const installer = this.installProvider(type);
      server = { kind: "chart", installer, label: installerLabel(installer) };
      orderAfter(cls.resource, installer.release);
    }
    this.served.set(cls, server);
    publishFact(cls, CSI_CLASS_SERVED, { by: server?.label, store: this });

    const driver = this.driverInstaller;
    if (driver) {
      if (cls.secretObjects.length > 0) driver.requireSync(cls);
      const audience = tokenAudience(cls);
      if (audience) driver.requestToken(audience, cls);
      if (sameStack(cls, driver)) {
        cls.node.addValidation({ validate: () => [sameStackAsDriverProblem(cls, driver)] });
      }
    }
    if (type === "aws" && this.platform !== "eks" && server) {
      const p = cls.provider as { region?: string };
      const aws = this.providers.get("aws") as AwsCsiProvider | undefined;
      if (p.region === undefined && aws?.region === undefined) {
        cls.node.addValidation({ validate: () => [noAwsRegionProblem(this)] });
      }
    }
  }

  /** Serves the classes already under `scope` (created before it was associated). */
  private serveExisting(scope: IConstruct): void {
    for (const c of scope.node.findAll()) if (c instanceof SecretProviderClass && SecretsStore.of(c) === this) this.serve(c);
  }

}

/** An installer, for people: `VaultCsiProvider cluster/secrets-store/vault-provider (chart vault 0.34.1)`. */
function installerLabel(installer: CsiProviderInstaller): string {
  return `${installer.constructor.name} ${installer.node.path} (chart ${installer.chart.chart} ${installer.chart.version})`;
}

/** The token audience the driver must request for a class's provider, if any. */
function tokenAudience(cls: SecretProviderClass): string | undefined {
  const p = cls.provider;
  if (p.type === "azure") return p.identity?.mode === "workloadIdentity" ? AZURE_WORKLOAD_IDENTITY_AUDIENCE : undefined;
  if (p.type === "aws") return p.usePodIdentity ? AWS_POD_IDENTITY_AUDIENCE : AWS_IRSA_AUDIENCE;
  return undefined; // the Vault provider requests the pod's token itself
}

/** A second scope on the same cluster must describe the same setup (the first one's holds the releases). */
function checkSameSetup(store: SecretsStore, scope: IConstruct, options: SecretsStoreEnsureOptions): void {
  const v = new Validator(scope);
  const mode = options.driver?.mode;
  if (mode !== store.driverMode) {
    v.fail("driver.mode", mode, `contradicts the SecretsStore of this cluster (${store.node.path}), set up with driver "${store.driverMode}": every scope on one cluster must agree`);
  }
  const { driver, cluster: _cluster, clusterLabel: _label, platform: _platform, ...rest } = options;
  // The add-on's `cluster` only labels it; any other setting would be dropped here.
  const { mode: _mode, cluster: _aks, ...driverOptions } = (driver ?? {}) as Record<string, unknown>;
  const set = (o: Record<string, unknown>) => Object.entries(o).filter(([, val]) => val !== undefined).map(([k]) => k);
  const given = [...set(driverOptions).map((k) => `driver.${k}`), ...set(rest)];
  if (mode === store.driverMode && given.length > 0) {
    v.fail(given[0], (options as Record<string, any>)[given[0]] ?? driverOptions[given[0].slice("driver.".length)], `is ignored: this cluster's installers are held by ${store.node.path} (the first scope set up for the cluster); give installer options there`);
  }
  v.throwIfAny();
}

// Problems of a class the store cannot serve well, reported on the class.

function awsOnAddonProblem(store: SecretsStore): string {
  return problemMessage(
    "provider.type",
    "aws",
    `is served by nothing on cluster ${store.clusterLabel}: its driver is the AKS add-on, which requests no token for sts.amazonaws.com and runs no AWS provider. AwsCsiProvider (ASCP) would serve it, beside a self-managed driver: set secretsStoreCsiDriver: "selfManaged" on the cluster, and its SecretsStore (${store.node.path}) installs both`,
  );
}

function sameStackAsDriverProblem(cls: SecretProviderClass, driver: SecretsStoreCsiDriver): string {
  return problemMessage(
    "stack",
    TerraformStack.of(cls).node.id,
    `is also the stack of the self-managed Secrets Store CSI driver (${driver.node.path}), whose chart brings the SecretProviderClass CRD: a kubernetes_manifest needs its CRD when the stack is planned, so the first plan would fail. Create the class in another ClusterStack on the same cluster, created after this one (it deploys after it and shares this SecretsStore)`,
  );
}

function noAwsRegionProblem(store: SecretsStore): string {
  return problemMessage(
    "provider.region",
    undefined,
    `is not set, and cluster ${store.clusterLabel} is not EKS: ASCP would take the region from the node's topology.kubernetes.io/region label (an Azure region on AKS) and the mount fails; give the AWS region here, or as the AWS provider's region (SecretsStore awsProvider.region)`,
  );
}

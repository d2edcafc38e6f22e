// The battery's cases for the in-cluster installers (constructs/kubernetes/installers/: the
// SecretsStore of a cluster, the self-managed Secrets Store CSI driver, the provider charts) and
// the settings that choose them (AksCluster / ClusterStack secretsStoreCsiDriver, ClusterStack secretsStore).
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { App, TerraformStack } from "cdktf";
import { AksCluster } from "../../../constructs/azure/aks-cluster";
import { AwsCsiProvider, AzureKeyVaultCsiProvider, SecretsStore, SecretsStoreCsiDriver, SecretsStoreCsiDriverOptions, SecretsStoreEnsureOptions, VaultCsiProvider } from "../../../constructs/kubernetes/installers";
import { SecretProviderClass, SecretProviderClassProps } from "../../../constructs/kubernetes/secret-provider-class";
import { ClusterSecretsStoreOptions, ClusterStack } from "../../../stacks/cluster-stack";
import { BadInputCase } from "../battery";
import { declareClusterScope } from "../../../core/facts-cluster";
import { addAks, aksProps, aws, onDefault, vault, wired } from "../fixtures";

/** A stack with the kubernetes and helm providers (a cluster stack of your own). */
const k8s = (app: App, id = "k8s") => {
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  return stack;
};
/** A self-managed driver in its own stack. */
const driver = (options: SecretsStoreCsiDriverOptions) => (app: App) => void new SecretsStoreCsiDriver(k8s(app), "driver", options);
const DRIVER = "k8s/driver";
/** The Vault provider in its own stack. */
const vaultProvider = (options: ConstructorParameters<typeof VaultCsiProvider>[2]) => (app: App) => void new VaultCsiProvider(k8s(app), "vault-provider", options);
const VAULT_PROVIDER = "k8s/vault-provider";
/** SecretsStore.ensure on a stack of its own. */
const ensure = (options: SecretsStoreEnsureOptions) => (app: App) => void SecretsStore.ensure(k8s(app), options);
const STORE = "k8s/secrets-store";

/** The default app's platform cluster made self-managed is not possible (the demo uses the add-on): a second, self-managed cluster with a `system` and an `apps` stack. */
const selfManaged = (f: (w: { system: ClusterStack; apps: ClusterStack }) => void, secretsStore?: ClusterSecretsStoreOptions) =>
  onDefault((d, app) => {
    const cluster = new AksCluster(d.platform, "cluster-sm", { ...aksProps(d), name: "aks-sm", secretsStoreCsiDriver: "selfManaged" });
    const system = new ClusterStack(app, "system", { cluster, secretsStore });
    const apps = new ClusterStack(app, "apps", { cluster });
    f({ system, apps });
  });
const spc = (scope: ClusterStack | TerraformStack, props: Partial<SecretProviderClassProps>) => new SecretProviderClass(scope, "extra-spc", { name: "extra", namespace: "shop", provider: vault(), ...props });

export const cases: BadInputCase[] = [
  // constructs/azure/aks-cluster.ts
  { name: "AKS CSI driver install misspelled", build: addAks({ secretsStoreCsiDriver: "helm" as any }), expect: { path: "platform/cluster-extra", field: "secretsStoreCsiDriver", value: "helm", rule: /^must be one of "aksAddon", "selfManaged"/ } },
  {
    name: "AKS add-on rotation on a self-managed cluster",
    build: addAks({ secretsStoreCsiDriver: "selfManaged", secretRotationInterval: "5m" }),
    expect: { path: "platform/cluster-extra", field: "secretRotationInterval", value: "5m", rule: /^configures the AKS add-on, which secretsStoreCsiDriver "selfManaged" turns off: set rotation on the self-managed driver/ },
  },
  {
    name: "add-on identity of a self-managed cluster",
    build: onDefault((d) => void new AksCluster(d.platform, "cluster-extra", { ...aksProps(d), secretsStoreCsiDriver: "selfManaged" }).secretsProviderIdentity),
    expect: { path: "platform/cluster-extra", field: "secretsProviderIdentity", value: "selfManaged", rule: /^does not exist: the cluster has no Key Vault Secrets Provider add-on/ },
  },

  // stacks/cluster-stack.ts
  {
    name: "cluster by name with a misspelled CSI driver install",
    build: (app) => void new ClusterStack(app, "apps", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: "addon" as any } }),
    expect: { path: "apps", field: "cluster.secretsStoreCsiDriver", value: "addon", rule: /^must be one of "aksAddon", "selfManaged"/ },
  },
  {
    name: "self-managed driver settings for an add-on cluster",
    build: (app) => void new ClusterStack(app, "apps", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod" }, secretsStore: { driver: { rotationPollInterval: "1m" } } }),
    expect: { path: "apps", field: "secretsStore.driver", value: { rotationPollInterval: "1m" }, rule: /^configures a self-managed driver, but the cluster runs the AKS add-on/ },
  },

  // constructs/kubernetes/installers/helm-chart-installer.ts
  { name: "installer chart version as a range", build: vaultProvider({ chartVersion: "^0.34" }), expect: { path: VAULT_PROVIDER, field: "chartVersion", value: "^0.34", rule: /^must be an exact chart version such as 0\.34\.1/ } },
  { name: "installer namespace with capitals", build: vaultProvider({ namespace: "Kube_System" }), expect: { path: VAULT_PROVIDER, field: "namespace", value: "Kube_System", rule: /must be a DNS-1123 label/ } },
  { name: "installer release name with a dot", build: vaultProvider({ releaseName: "vault.csi" }), expect: { path: VAULT_PROVIDER, field: "releaseName", value: "vault.csi", rule: /^must be a Helm release name: at most 53 characters/ } },
  { name: "installer values as a list", build: vaultProvider({ values: ["csi.enabled=true"] as any }), expect: { path: VAULT_PROVIDER, field: "values", value: ["csi.enabled=true"], rule: /^must be an object of named values/ } },
  { name: "installer values overriding a value the installer sets", build: vaultProvider({ values: { server: { enabled: true } } }), expect: { path: VAULT_PROVIDER, field: "values.server.enabled", value: true, rule: /^is set by the installer \(server\.enabled\)/ } },
  { name: "installer values with a string where the installer sets an object", build: vaultProvider({ values: { csi: "on" } }), expect: { path: VAULT_PROVIDER, field: "values.csi", value: "on", rule: /^must be an object: the installer sets csi\.enabled inside it/ } },

  // constructs/kubernetes/installers/secrets-store-csi-driver.ts
  { name: "driver rotation turned off without a reason", build: driver({ disableSecretRotation: { reason: "no" } }), expect: { path: DRIVER, field: "disableSecretRotation.reason", value: "no", rule: /^turning secret rotation off needs a written reason \(10 characters or more\)/ } },
  {
    name: "driver rotation off with a poll interval",
    build: driver({ disableSecretRotation: { reason: "the app reloads files on its own schedule" }, rotationPollInterval: "2m" }),
    expect: { path: DRIVER, field: "rotationPollInterval", value: "2m", rule: /^contradicts disableSecretRotation/ },
  },
  { name: "driver poll interval in words", build: driver({ rotationPollInterval: "2 minutes" }), expect: { path: DRIVER, field: "rotationPollInterval", value: "2 minutes", rule: /^must be a Go duration such as 2m/ } },
  { name: "driver poll interval of 10s", build: driver({ rotationPollInterval: "10s" }), expect: { path: DRIVER, field: "rotationPollInterval", value: "10s", rule: /^must be from 30s to 24h/ } },
  { name: "driver syncSecret as a string", build: driver({ syncSecret: "yes" as any }), expect: { path: DRIVER, field: "syncSecret", value: "yes", rule: /^must be true or false/ } },
  { name: "driver token audiences as one string", build: driver({ tokenAudiences: "vault" as any }), expect: { path: DRIVER, field: "tokenAudiences", value: "vault", rule: /^must be a list/ } },
  { name: "driver token audience with a space", build: driver({ tokenAudiences: ["my vault"] }), expect: { path: DRIVER, field: "tokenAudiences[0]", value: "my vault", rule: /^must be a token audience/ } },
  { name: "driver token audience listed twice", build: driver({ tokenAudiences: ["vault", "vault"] }), expect: { path: DRIVER, field: "tokenAudiences[1]", value: "vault", rule: /^is listed twice/ } },
  {
    name: "driver syncSecret off while a class syncs",
    build: selfManaged(({ apps }) => void spc(apps, { secretObjects: [{ secretName: "extra", data: [{ objectName: "password", key: "password" }] }] }), { driver: { syncSecret: false } }),
    expect: { path: "system/secrets-store/csi-driver", field: "syncSecret", value: false, rule: /^leaves the driver without the RBAC to write Secrets, but apps\/extra-spc syncs one/ },
  },

  // constructs/kubernetes/installers/csi-providers.ts
  { name: "Azure provider without the driver", build: (app) => void new AzureKeyVaultCsiProvider(k8s(app), "azure-provider", {} as any), expect: { path: "k8s/azure-provider", field: "driver", value: undefined, rule: /^is required: a SecretsStoreCsiDriver/ } },
  {
    name: "AWS provider region by name",
    build: (app) => {
      const stack = k8s(app);
      new AwsCsiProvider(stack, "aws-provider", { driver: new SecretsStoreCsiDriver(stack, "driver"), region: "Ireland" });
    },
    expect: { path: "k8s/aws-provider", field: "region", value: "Ireland", rule: /^must be an AWS region such as eu-west-1/ },
  },

  // constructs/kubernetes/installers/secrets-store.ts
  { name: "Secrets Store driver mode misspelled", build: ensure({ driver: { mode: "addon" } as any }), expect: { path: STORE, field: "driver.mode", value: "addon", rule: /^must be one of "aksAddon", "selfManaged"/ } },
  { name: "Azure provider options beside the add-on", build: ensure({ driver: { mode: "aksAddon" }, azureProvider: { namespace: "csi" } }), expect: { path: STORE, field: "azureProvider", value: { namespace: "csi" }, rule: /^configures a chart the AKS add-on cannot have beside it \(the add-on runs the Azure provider itself\)/ } },
  { name: "providers to install as one string", build: ensure({ driver: { mode: "selfManaged" }, install: "vault" as any }), expect: { path: STORE, field: "install", value: "vault", rule: /^must be a list/ } },
  { name: "provider to install misspelled", build: ensure({ driver: { mode: "selfManaged" }, install: ["hashicorp" as any] }), expect: { path: STORE, field: "install[0]", value: "hashicorp", rule: /^must be one of "aws", "azure", "vault"/ } },
  { name: "Secrets Store platform misspelled", build: ensure({ driver: { mode: "selfManaged" }, platform: "gke" as any }), expect: { path: STORE, field: "platform", value: "gke", rule: /^must be one of "aks", "eks", "other"/ } },
  { name: "a second driver beside the add-on", build: onDefault((d) => void d.cluster.secretsStore.installDriver()), expect: { path: "cluster/secrets-store", field: "installDriver()", value: "aksAddon", rule: /^cluster platform\/cluster runs the AKS add-on's driver: a second driver conflicts/ } },
  { name: "a provider of no known type", build: onDefault((d) => void d.cluster.secretsStore.installProvider("gcp" as any)), expect: { path: "cluster/secrets-store", field: 'installProvider("gcp")', value: "gcp", rule: /^must be "azure", "vault" or "aws"/ } },
  {
    name: "a second Azure provider beside the add-on",
    build: onDefault((d) => void d.cluster.secretsStore.installProvider("azure")),
    expect: { path: "cluster/secrets-store", field: 'installProvider("azure")', value: "aksAddon", rule: /^cluster platform\/cluster runs the AKS add-on, which runs the Azure provider on every node already/ },
  },
  {
    name: "the AWS provider beside the add-on",
    build: onDefault((d) => void d.cluster.secretsStore.installProvider("aws")),
    expect: { path: "cluster/secrets-store", field: 'installProvider("aws")', value: "aksAddon", rule: /^cluster platform\/cluster runs the AKS add-on's driver, which requests no token for sts\.amazonaws\.com/ },
  },
  {
    name: "an AWS class on the add-on cluster",
    build: onDefault((d) => void new SecretProviderClass(d.cluster, "extra-spc", { name: "extra", namespace: "demo", provider: aws() })),
    expect: { path: "cluster/extra-spc", field: "provider.type", value: "aws", rule: /^is served by nothing on cluster platform\/cluster: its driver is the AKS add-on.*AwsCsiProvider \(ASCP\) would serve it/ },
  },
  {
    name: "a class in the stack of the self-managed driver",
    build: selfManaged(({ system }) => void spc(system, {})),
    expect: { path: "system/extra-spc", field: "stack", value: "system", rule: /^is also the stack of the self-managed Secrets Store CSI driver \(system\/secrets-store\/csi-driver\), whose chart brings the SecretProviderClass CRD/ },
  },
  {
    name: "an AWS class without region on AKS",
    build: selfManaged(({ apps }) => void spc(apps, { provider: aws({ region: undefined }) })),
    expect: { path: "apps/extra-spc", field: "provider.region", value: undefined, rule: /^is not set, and cluster platform\/cluster-sm is not EKS/ },
  },
  {
    name: "two cluster stacks disagreeing on the driver",
    build: (app) => {
      new ClusterStack(app, "system", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: "selfManaged" } });
      new ClusterStack(app, "apps", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod" } });
    },
    expect: { path: "apps", field: "driver.mode", value: "aksAddon", rule: /^contradicts the SecretsStore of this cluster \(system\/secrets-store\), set up with driver "selfManaged"/ },
  },
  {
    name: "installer options on the second cluster stack of a cluster",
    build: onDefault((d, app) => void new ClusterStack(app, "apps", { cluster: d.platform.cluster, secretsStore: { install: ["vault"] } })),
    expect: { path: "apps", field: "install", value: ["vault"], rule: /^is ignored: this cluster's installers are held by cluster\/secrets-store/ },
  },

  // verify/wiring/checks/csi-providers.ts
  {
    name: "a Vault class in a scope of its own whose provider nothing installs",
    build: wired((d, app) => {
      const own = k8s(app, "own");
      declareClusterScope(own, d.platform.cluster);
      new SecretProviderClass(own, "extra-spc", { name: "extra", namespace: "demo", provider: vault({ vaultAuthMountPath: "jwt-aks", audience: "vault" }) });
    }),
    expect: { path: "own/extra-spc", field: "provider.type", value: "vault", rule: /^is a provider nothing installs on cluster platform\/cluster: the pods' volumes would never mount \("provider not found"\)\. VaultCsiProvider would serve it/ },
  },
];

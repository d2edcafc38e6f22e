import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { App, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { AksCluster, CsiDriverInstall } from "../../constructs/azure/aks-cluster";
import { KeyVault } from "../../constructs/azure/key-vault";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { SecretProviderClass, SecretStoreProviderConfig, SyncedSecret } from "../../constructs/kubernetes/secret-provider-class";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import {
  AWS_CSI_PROVIDER_CHART,
  AZURE_CSI_PROVIDER_CHART,
  SECRETS_STORE_CSI_DRIVER_CHART,
  SecretsStore,
  VAULT_CSI_PROVIDER_CHART,
} from "../../constructs/kubernetes/installers";
import { validateTree, ValidationError } from "../../core/validation";
import { ClusterSecretsStoreOptions, ClusterStack } from "../../stacks/cluster-stack";
import { declareClusterScope } from "../../core/facts-cluster";
import { applyWiringChecks, formatWiringReport, wiringCheck, wiringReport } from "../../verify/wiring";
import { CONFORMANCE, expectProblems, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
const VAULT_ADDRESS = "https://vault.private.example:8200";

/** A platform stack with an AKS cluster (add-on or not), a Key Vault and a workload identity. */
function platform(app: App, csi: CsiDriverInstall) {
  const stack = new TerraformStack(app, "platform");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  const aks = new AksCluster(stack, "aks", { name: "aks-shop", resourceGroupName: "rg-shop", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" }, secretsStoreCsiDriver: csi });
  const keyVault = new KeyVault(stack, "kv", { name: "kv-shop-0001", resourceGroupName: "rg-shop", location: "westeurope", tenantId: TENANT, authorization: "rbac", secrets: ["orders-db"] });
  const identity = new WorkloadIdentity(stack, "orders-id", { name: "id-orders", resourceGroupName: "rg-shop", location: "westeurope", issuer: aks, serviceAccounts: [{ namespace: "shop", name: "orders" }] });
  keyVault.grantSecretRead(identity, { secrets: ["orders-db"] });
  return { stack, aks, keyVault, identity };
}

type World = ReturnType<typeof platform> & { app: App; outdir: string; system: ClusterStack; apps: ClusterStack };

/** The platform, a `system` ClusterStack (created first: it holds the installers) and an `apps` one. */
function world(csi: CsiDriverInstall, secretsStore?: ClusterSecretsStoreOptions): World {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "installers-"));
  const app = new App({ outdir, stackTraces: false });
  const p = platform(app, csi);
  const system = new ClusterStack(app, "system", { cluster: p.aks, secretsStore });
  const apps = new ClusterStack(app, "apps", { cluster: p.aks });
  return { ...p, app, outdir, system, apps };
}

const PROVIDERS = {
  azure: (w: World): SecretStoreProviderConfig => ({ type: "azure", keyVault: w.keyVault, identity: { mode: "workloadIdentity", identity: w.identity }, objects: [{ objectName: "orders-db" }] }),
  vault: (): SecretStoreProviderConfig => ({ type: "vault", roleName: "orders", vaultAddress: VAULT_ADDRESS, vaultNamespace: "admin", vaultAuthMountPath: "jwt-aks", audience: "vault", objects: [{ objectName: "db", secretPath: "secret/data/orders/db" }] }),
  aws: (): SecretStoreProviderConfig => ({ type: "aws", region: "eu-west-1", objects: [{ objectName: "orders-db", objectType: "secretsmanager" }] }),
};
type ProviderType = keyof typeof PROVIDERS;

/** A class, its service account and a Deployment whose pods mount it, in `scope`. */
function workload(w: World, scope: ClusterStack, type: ProviderType, opts: { id?: string; sync?: boolean } = {}) {
  const id = opts.id ?? `orders-${type}`;
  const sa = type === "azure" ? new WorkloadServiceAccount(scope, `${id}-sa`, { identity: w.identity, namespace: "shop", name: "orders" }) : undefined;
  const secretObjects: SyncedSecret[] | undefined = opts.sync ? [{ secretName: `${id}-env`, data: [{ objectName: type === "vault" ? "db" : "orders-db", key: "password" }] }] : undefined;
  const spc = new SecretProviderClass(scope, id, { name: id, namespace: "shop", provider: PROVIDERS[type](w), secretObjects });
  const pod = new PodSecretsMount(spc, { serviceAccount: sa ?? "orders" });
  const deployment = new DeploymentV1(scope, `${id}-deployment`, {
    metadata: { name: id, namespace: "shop" },
    spec: {
      selector: { matchLabels: { app: id } },
      template: {
        metadata: { labels: { app: id, ...pod.podLabels } },
        spec: { serviceAccountName: pod.serviceAccountName, container: [{ name: "app", image: "registry.k8s.io/e2e-test-images/busybox:1.29-4", volumeMount: [pod.volumeMount] }], volume: [pod.volume] },
      },
    },
    dependsOn: [spc.resource],
  });
  return { spc, pod, deployment };
}

/** Validates and synthesizes the whole app; the JSON of each stack. */
function synthAll(w: World): Record<string, TfJson> {
  validateTree(w.app);
  w.app.synth();
  const out: Record<string, TfJson> = {};
  for (const s of fs.readdirSync(path.join(w.outdir, "stacks"))) out[s] = JSON.parse(fs.readFileSync(path.join(w.outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  return out;
}

interface InstalledChart {
  readonly stack: string;
  readonly address: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly namespace: string;
  readonly name: string;
  readonly values: Record<string, any>;
  readonly dependsOn: readonly string[];
  readonly raw: Record<string, any>;
}

/** Every helm_release of the app, across stacks. */
function charts(tf: Record<string, TfJson>): InstalledChart[] {
  return Object.entries(tf).flatMap(([stack, json]) =>
    Object.entries(json.resource?.helm_release ?? {}).map(([address, r]: [string, any]) => ({
      stack,
      address,
      chart: r.chart,
      version: r.version,
      repository: r.repository,
      namespace: r.namespace,
      name: r.name,
      values: Object.assign({}, ...(r.values ?? []).map((v: string) => parse(v))),
      dependsOn: r.depends_on ?? [],
      raw: r,
    })),
  );
}

const aksOf = (tf: Record<string, TfJson>): any => Object.values(tf.platform.resource!.azurerm_kubernetes_cluster)[0];
const byChart = (list: InstalledChart[]) => Object.fromEntries(list.map((c) => [c.chart, c]));
const spcOf = (tf: TfJson, name: string) => Object.entries(tf.resource?.kubernetes_manifest ?? {}).find(([, r]: [string, any]) => r.manifest.kind === "SecretProviderClass" && r.manifest.metadata.name === name)!;

/** The chart pins as the installers must write them. */
const PINNED = {
  driver: { chart: "secrets-store-csi-driver", version: "1.6.0", repository: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts" },
  azure: { chart: "csi-secrets-store-provider-azure", version: "1.8.2", repository: "https://azure.github.io/secrets-store-csi-driver-provider-azure/charts" },
  vault: { chart: "vault", version: "0.34.1", repository: "https://helm.releases.hashicorp.com" },
  aws: { chart: "secrets-store-csi-driver-provider-aws", version: "3.1.1", repository: "https://aws.github.io/secrets-store-csi-driver-provider-aws" },
};

test("the chart constants are the pinned versions and repositories", () => {
  expect(SECRETS_STORE_CSI_DRIVER_CHART).toEqual(PINNED.driver);
  expect(AZURE_CSI_PROVIDER_CHART).toEqual(PINNED.azure);
  expect(VAULT_CSI_PROVIDER_CHART).toEqual(PINNED.vault);
  expect(AWS_CSI_PROVIDER_CHART).toEqual(PINNED.aws);
});

describe("with the AKS add-on", () => {
  test("azure: the add-on serves the class; no chart is installed", () => {
    const w = world("aksAddon");
    const { spc } = workload(w, w.apps, "azure");
    const tf = synthAll(w);
    expect(charts(tf)).toEqual([]);
    expect(w.system.secretsStore.servedBy(spc)).toEqual({ kind: "aksAddon", label: "the AKS add-on's Azure provider (cluster platform/aks)" });
    expect(aksOf(tf).key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true, secret_rotation_interval: "2m" });
  });

  test("vault: the Vault chart with only the CSI provider, once, in the first cluster stack; the class after it", () => {
    const w = world("aksAddon");
    workload(w, w.apps, "vault");
    workload(w, w.apps, "vault", { id: "billing-vault" });
    workload(w, w.system, "vault", { id: "ops-vault" });
    const tf = synthAll(w);
    const all = charts(tf);
    expect(all.map((c) => [c.stack, c.chart, c.version, c.repository])).toEqual([["system", "vault", "0.34.1", PINNED.vault.repository]]);
    const [vault] = all;
    expect(vault.name).toBe("vault-csi-provider");
    expect(vault.namespace).toBe("kube-system");
    expect(vault.raw).toMatchObject({ atomic: true, wait: true, cleanup_on_fail: true, create_namespace: false });
    expect(vault.values).toEqual({ server: { enabled: false }, injector: { enabled: false }, csi: { enabled: true, agent: { enabled: false } } });
    expect(vault.dependsOn).toEqual([]);
    expect(vault.address).toMatch(/^secrets-store_vault-provider_release_/);
    // Same stack: depends_on the release; another stack: the stack deploys after the installers'.
    const [, ops] = spcOf(tf.system, "ops-vault");
    expect(ops.depends_on).toEqual([`helm_release.${vault.address}`]);
    expect(w.apps.dependencies).toContain(w.system);
    const [, orders] = spcOf(tf.apps, "orders-vault");
    expect(orders.depends_on ?? []).toEqual([]);
  });

  test("azure and vault side by side: only the Vault chart", () => {
    const w = world("aksAddon");
    workload(w, w.apps, "azure");
    workload(w, w.apps, "vault");
    expect(byChart(charts(synthAll(w)))).toEqual({ vault: expect.objectContaining(PINNED.vault) });
  });

  test("aws: fails synth naming the class, the provider and the construct that would serve it", () => {
    const w = world("aksAddon");
    workload(w, w.apps, "aws");
    const problems = expectProblems(() => synthAll(w));
    expect(problems).toEqual([
      expect.objectContaining({
        path: "apps/orders-aws",
        field: "provider.type",
        value: '"aws"',
        rule: expect.stringMatching(/^is served by nothing on cluster platform\/aks: its driver is the AKS add-on.*AwsCsiProvider \(ASCP\) would serve it, beside a self-managed driver: set secretsStoreCsiDriver: "selfManaged" on the cluster, and its SecretsStore \(system\/secrets-store\) installs both$/),
      }),
    ]);
    // Nothing written (cdktf's App creates the empty stacks/ directory on construction).
    expect(fs.readdirSync(w.outdir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"))).toEqual([]);
  });

  test("asking for the driver or the Azure provider beside the add-on is refused", () => {
    const w = world("aksAddon");
    expect(() => w.system.secretsStore.installDriver()).toThrow(/runs the AKS add-on's driver: a second driver conflicts with it/);
    expect(() => w.system.secretsStore.installProvider("azure")).toThrow(/runs the Azure provider on every node already: a second one would conflict/);
    expect(() => w.system.secretsStore.installProvider("aws")).toThrow(/the AWS provider needs the self-managed driver/);
  });

  test("install: ['vault'] installs the Vault provider before any class needs it", () => {
    const w = world("aksAddon", { install: ["vault"] });
    expect(charts(synthAll(w)).map((c) => c.chart)).toEqual(["vault"]);
  });
});

describe("with the self-managed driver", () => {
  test("the cluster has no add-on block and no add-on identity", () => {
    const w = world("selfManaged");
    const tf = synthAll(w);
    expect(aksOf(tf).key_vault_secrets_provider).toBeUndefined();
    expect(() => w.aks.secretsProviderIdentity).toThrow(/has no Key Vault Secrets Provider add-on/);
    // No class: nothing installed.
    expect(charts(tf)).toEqual([]);
  });

  test("azure: the driver (rotation 2m, token for api://AzureADTokenExchange, sync because the class syncs) and the Azure provider without its bundled driver", () => {
    const w = world("selfManaged");
    const { spc } = workload(w, w.apps, "azure", { sync: true });
    const tf = synthAll(w);
    const all = charts(tf);
    expect(all.map((c) => [c.stack, c.chart, c.version, c.repository]).sort()).toEqual([
      ["system", ...Object.values(PINNED.azure)],
      ["system", ...Object.values(PINNED.driver)],
    ]);
    const { "secrets-store-csi-driver": driver, "csi-secrets-store-provider-azure": azure } = byChart(all);
    expect(driver.name).toBe("secrets-store-csi-driver");
    expect(driver.namespace).toBe("kube-system");
    expect(driver.values).toEqual({ syncSecret: { enabled: true }, enableSecretRotation: true, rotationPollInterval: "2m", tokenRequests: [{ audience: "api://AzureADTokenExchange" }] });
    expect(azure.name).toBe("csi-secrets-store-provider-azure");
    expect(azure.values).toEqual({ "secrets-store-csi-driver": { install: false } });
    expect(azure.dependsOn).toEqual([`helm_release.${driver.address}`]);
    expect(w.system.secretsStore.servedBy(spc)).toMatchObject({ kind: "chart", installer: w.system.secretsStore.provider("azure") });
    expect(w.apps.dependencies).toContain(w.system);
  });

  test("vault: the driver without token requests or Secret sync, and the Vault provider after it", () => {
    const w = world("selfManaged");
    workload(w, w.apps, "vault");
    const all = charts(synthAll(w));
    expect(all.map((c) => c.chart).sort()).toEqual(["secrets-store-csi-driver", "vault"]);
    const { "secrets-store-csi-driver": driver, vault } = byChart(all);
    expect(driver.values).toEqual({ syncSecret: { enabled: false }, enableSecretRotation: true, rotationPollInterval: "2m" });
    expect(vault.values).toEqual({ server: { enabled: false }, injector: { enabled: false }, csi: { enabled: true, agent: { enabled: false } } });
    expect(vault.dependsOn).toEqual([`helm_release.${driver.address}`]);
  });

  test("aws: the driver requesting sts.amazonaws.com (IRSA) and ASCP without its bundled driver", () => {
    const w = world("selfManaged");
    workload(w, w.apps, "aws");
    const all = charts(synthAll(w));
    expect(all.map((c) => [c.chart, c.version, c.repository]).sort()).toEqual([Object.values(PINNED.driver), Object.values(PINNED.aws)]);
    const { "secrets-store-csi-driver": driver, "secrets-store-csi-driver-provider-aws": aws } = byChart(all);
    expect(driver.values.tokenRequests).toEqual([{ audience: "sts.amazonaws.com" }]);
    expect(aws.name).toBe("secrets-provider-aws");
    expect(aws.values).toEqual({ "secrets-store-csi-driver": { install: false } });
    expect(aws.dependsOn).toEqual([`helm_release.${driver.address}`]);
  });

  test("all three providers on one cluster, in two stacks: each chart once, token audiences of exactly the classes' providers", () => {
    const w = world("selfManaged");
    const third = new ClusterStack(w.app, "more-apps", { cluster: w.aks });
    for (const scope of [w.apps, third]) for (const t of ["azure", "vault", "aws"] as const) workload(w, scope, t, { id: `${scope.node.id}-${t}` });
    new SecretProviderClass(third, "pod-identity-aws", { name: "pod-identity-aws", namespace: "shop", provider: { type: "aws", region: "eu-west-1", usePodIdentity: true, objects: [{ objectName: "orders-db", objectType: "secretsmanager" }] } });
    const all = charts(synthAll(w));
    expect(all.map((c) => [c.stack, c.chart]).sort()).toEqual([
      ["system", "csi-secrets-store-provider-azure"],
      ["system", "secrets-store-csi-driver"],
      ["system", "secrets-store-csi-driver-provider-aws"],
      ["system", "vault"],
    ]);
    expect(byChart(all)["secrets-store-csi-driver"].values.tokenRequests).toEqual([{ audience: "api://AzureADTokenExchange" }, { audience: "pods.eks.amazonaws.com" }, { audience: "sts.amazonaws.com" }]);
    expect(third.secretsStore).toBe(w.system.secretsStore);
    expect([...w.system.secretsStore.classes.keys()].map((c) => c.node.path).sort()).toEqual([
      "apps/apps-aws",
      "apps/apps-azure",
      "apps/apps-vault",
      "more-apps/more-apps-aws",
      "more-apps/more-apps-azure",
      "more-apps/more-apps-vault",
      "more-apps/pod-identity-aws",
    ]);
  });

  test("driver settings are typed: interval, rotation opt-out, forced sync, extra audiences, chart values", () => {
    const w = world("selfManaged", {
      driver: { rotationPollInterval: "90s", syncSecret: true, tokenAudiences: ["vault"], values: { linux: { priorityClassName: "system-node-critical" } }, chartVersion: "1.5.6" },
      vaultProvider: { namespace: "vault-csi", values: { csi: { logLevel: "debug" } } },
    });
    workload(w, w.apps, "vault");
    const { "secrets-store-csi-driver": driver, vault } = byChart(charts(synthAll(w)));
    expect(driver.version).toBe("1.5.6");
    expect(driver.values).toEqual({ linux: { priorityClassName: "system-node-critical" }, syncSecret: { enabled: true }, enableSecretRotation: true, rotationPollInterval: "90s", tokenRequests: [{ audience: "vault" }] });
    expect(vault).toMatchObject({ namespace: "vault-csi", raw: expect.objectContaining({ create_namespace: true }) });
    expect(vault.values.csi).toEqual({ logLevel: "debug", enabled: true, agent: { enabled: false } });

    const off = world("selfManaged", { driver: { disableSecretRotation: { reason: "the app watches files and reloads on its own schedule" } } });
    workload(off, off.apps, "vault");
    const offDriver = byChart(charts(synthAll(off)))["secrets-store-csi-driver"];
    expect(offDriver.values).toEqual({ syncSecret: { enabled: false }, enableSecretRotation: false });
    expect(off.system.secretsStore.driver!.node.metadata.map((m) => [m.type, m.data])).toContainEqual(["aks-secrets:opt-out:secretRotation", "the app watches files and reloads on its own schedule"]);
  });

  test("a class in the stack that installs the driver fails synth: its CRD would not exist when the stack is planned", () => {
    const w = world("selfManaged");
    workload(w, w.system, "azure");
    const problems = expectProblems(() => synthAll(w));
    expect(problems).toEqual([
      expect.objectContaining({
        path: "system/orders-azure",
        field: "stack",
        value: '"system"',
        rule: expect.stringMatching(/^is also the stack of the self-managed Secrets Store CSI driver \(system\/secrets-store\/csi-driver\), whose chart brings the SecretProviderClass CRD/),
      }),
    ]);
  });

  test("syncSecret: false with a syncing class fails synth", () => {
    const w = world("selfManaged", { driver: { syncSecret: false } });
    workload(w, w.apps, "azure", { sync: true });
    const problems = expectProblems(() => synthAll(w));
    expect(problems).toEqual([expect.objectContaining({ path: "system/secrets-store/csi-driver", field: "syncSecret", rule: expect.stringMatching(/apps\/orders-azure syncs one/) })]);
  });

  test("an aws class without region on AKS fails, unless ASCP is given the region", () => {
    const w = world("selfManaged");
    new SecretProviderClass(w.apps, "no-region", { name: "no-region", namespace: "shop", provider: { type: "aws", objects: [{ objectName: "orders-db", objectType: "secretsmanager" }] } });
    expect(expectProblems(() => synthAll(w))).toEqual([expect.objectContaining({ path: "apps/no-region", field: "provider.region", rule: expect.stringMatching(/is not EKS: ASCP would take the region from the node's topology.kubernetes.io\/region label/) })]);

    const ok = world("selfManaged", { awsProvider: { region: "eu-west-1" } });
    new SecretProviderClass(ok.apps, "no-region", { name: "no-region", namespace: "shop", provider: { type: "aws", objects: [{ objectName: "orders-db", objectType: "secretsmanager" }] } });
    expect(byChart(charts(synthAll(ok)))["secrets-store-csi-driver-provider-aws"].values).toEqual({ "secrets-store-csi-driver": { install: false }, awsRegion: "eu-west-1" });
  });
});

test("the classes served by installers conform to the SecretProviderClass CRD of the pinned driver chart", () => {
  // vendor/crds/secretproviderclasses.schema.json is the CRD of secrets-store-csi-driver 1.6.0 (identical at v1.6.0 and 0aad886f).
  const w = world("selfManaged");
  for (const t of ["azure", "vault", "aws"] as const) workload(w, w.apps, t, { sync: true });
  synthAll(w);
  const out = execFileSync("node", [CONFORMANCE, w.outdir], { encoding: "utf8" });
  expect(out.trim().split("\n").pop()).toBe("conformance: 3 of 3 manifests conform to the upstream CRD schemas");
});

describe("clusters by name", () => {
  function byName(csi?: CsiDriverInstall) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "installers-"));
    const app = new App({ outdir, stackTraces: false });
    const ref = { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: csi };
    const system = new ClusterStack(app, "system", { cluster: ref });
    const apps = new ClusterStack(app, "apps", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: csi } });
    return { app, outdir, system, apps };
  }

  test("two stacks naming one cluster share its installers; the data source checks the add-on at plan time", () => {
    const w = byName("selfManaged");
    expect(w.apps.secretsStore).toBe(w.system.secretsStore);
    new SecretProviderClass(w.apps, "cfg", { name: "cfg", namespace: "shop", provider: PROVIDERS.vault() });
    validateTree(w.app);
    w.app.synth();
    const system: TfJson = JSON.parse(fs.readFileSync(path.join(w.outdir, "stacks", "system", "cdk.tf.json"), "utf8"));
    expect(Object.values(system.resource!.helm_release).map((r: any) => r.chart).sort()).toEqual(["secrets-store-csi-driver", "vault"]);
    expect(system.data!.azurerm_kubernetes_cluster.cluster.lifecycle.postcondition).toEqual([
      { condition: "${length(self.key_vault_secrets_provider) == 0}", error_message: expect.stringMatching(/^The cluster runs the Key Vault Secrets Provider add-on, but ClusterStack installs a self-managed Secrets Store CSI driver/) },
    ]);
  });

  test("by default the add-on is assumed, and checked", () => {
    const w = byName();
    expect(w.system.secretsStore.driverMode).toBe("aksAddon");
    validateTree(w.app);
    w.app.synth();
    const system: TfJson = JSON.parse(fs.readFileSync(path.join(w.outdir, "stacks", "system", "cdk.tf.json"), "utf8"));
    expect(system.data!.azurerm_kubernetes_cluster.cluster.lifecycle.postcondition[0].condition).toBe("${length(self.key_vault_secrets_provider) > 0}");
  });

  test("two stacks disagreeing on the driver of one cluster are refused", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "installers-")), stackTraces: false });
    new ClusterStack(app, "system", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: "selfManaged" } });
    expect(() => new ClusterStack(app, "apps", { cluster: { name: "aks-prod", resourceGroupName: "rg-prod" } })).toThrow(ValidationError);
  });
});

describe("wiring check and report", () => {
  /** A stack of your own on the add-on cluster, declared with declareClusterScope, holding no SecretsStore. */
  function declared() {
    const w = world("aksAddon");
    const own = new TerraformStack(w.app, "own");
    new KubernetesProvider(own, "kubernetes", {});
    declareClusterScope(own, w.aks);
    return { w, own };
  }

  test("a class whose provider nothing installs on its cluster fails synth naming the class, the provider and the installer", () => {
    const { w, own } = declared();
    new SecretProviderClass(own, "cfg", { name: "cfg", namespace: "shop", provider: PROVIDERS.vault() });
    applyWiringChecks(w.app);
    // (The Vault auth mount of the class is no VaultJwtAuth of this small app: reported too, by another check.)
    expect(expectProblems(() => synthAll(w)).filter((p) => p.field === "provider.type")).toEqual([
      expect.objectContaining({
        path: "own/cfg",
        field: "provider.type",
        value: '"vault"',
        rule: expect.stringMatching(/^is a provider nothing installs on cluster platform\/aks: the pods' volumes would never mount \("provider not found"\)\. VaultCsiProvider would serve it: create the class in a ClusterStack of that cluster/),
      }),
    ]);
    expect(wiringCheck("AKSW-CSI1")).toMatchObject({ title: "The provider of every SecretProviderClass runs on its cluster" });
  });

  test("an azure class in such a scope is served by the cluster's add-on", () => {
    const { w, own } = declared();
    new SecretProviderClass(own, "kv", { name: "kv", namespace: "shop", provider: { ...(PROVIDERS.azure(w) as any), identity: { mode: "vmManagedIdentity", identity: w.aks.secretsProviderIdentity } } });
    w.keyVault.grantSecretRead(w.aks.secretsProviderIdentity, { secrets: ["orders-db"] });
    applyWiringChecks(w.app);
    synthAll(w);
    expect(wiringReport(w.app).paths.find((p) => p.viaPath === "own/kv")).toMatchObject({ installer: "the AKS add-on's Azure provider (cluster platform/aks)" });
  });

  test("the report says which installer serves each class", () => {
    const w = world("selfManaged");
    workload(w, w.apps, "azure");
    workload(w, w.apps, "vault");
    applyWiringChecks(w.app);
    const report = wiringReport(w.app);
    const byClass = Object.fromEntries(report.paths.map((p) => [p.viaPath, p.installer]));
    expect(byClass).toEqual({
      "apps/orders-azure": "AzureKeyVaultCsiProvider system/secrets-store/azure-provider (chart csi-secrets-store-provider-azure 1.8.2)",
      "apps/orders-vault": "VaultCsiProvider system/secrets-store/vault-provider (chart vault 0.34.1)",
    });
    expect(formatWiringReport(report)).toContain("| Provider run by |");
  });
});

describe("scopes of your own", () => {
  test("SecretsStore.ensure on a stack with kubernetes and helm providers (a non-AKS cluster): the driver and ASCP", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "installers-"));
    const app = new App({ outdir, stackTraces: false });
    const system = new TerraformStack(app, "eks-system");
    const apps = new TerraformStack(app, "eks-apps");
    for (const s of [system, apps]) {
      new KubernetesProvider(s, "kubernetes", {});
      new HelmProvider(s, "helm", {});
    }
    const store = SecretsStore.ensure(system, { cluster: "eks:shop", driver: { mode: "selfManaged" }, platform: "eks", install: ["aws"] });
    expect(SecretsStore.ensure(apps, { cluster: "eks:shop", driver: { mode: "selfManaged" }, platform: "eks" })).toBe(store);
    // No region: on EKS the provider reads it from the node.
    new SecretProviderClass(apps, "orders", { name: "orders", namespace: "shop", provider: { type: "aws", objects: [{ objectName: "orders-db", objectType: "secretsmanager" }] } });
    validateTree(app);
    app.synth();
    const json: TfJson = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "eks-system", "cdk.tf.json"), "utf8"));
    expect(Object.values(json.resource!.helm_release).map((r: any) => [r.chart, r.version]).sort()).toEqual([
      ["secrets-store-csi-driver", "1.6.0"],
      ["secrets-store-csi-driver-provider-aws", "3.1.1"],
    ]);
    expect(apps.dependencies).toContain(system);
  });

  test("a class created before the scope was set up is served too", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "installers-")), stackTraces: false });
    const stack = new TerraformStack(app, "k8s");
    const spc = new SecretProviderClass(stack, "cfg", { name: "cfg", namespace: "shop", provider: PROVIDERS.vault() });
    const store = SecretsStore.ensure(stack, { driver: { mode: "aksAddon" } });
    expect(store.servedBy(spc)).toMatchObject({ kind: "chart", installer: store.provider("vault") });
  });
});

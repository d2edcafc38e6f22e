import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { Reloader, RELOADER_CHART_VERSION, RELOADER_IGNORE_CHANGES } from "../../constructs/kubernetes/reloader";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { VaultJwtAuth } from "../../constructs/vault/vault-jwt-auth";
import { rolloutRestartTarget, VaultSecretsOperator, VSO_RESTART_IGNORE_CHANGES, VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../../constructs/vault/vault-secrets-operator";
import { expectProblem, expectProblems, kubernetesScope, only, TfJson } from "../helpers";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { validateTree } from "../../core/validation";
import { applyWiringChecks, declareClusterScope } from "../../verify/wiring";

const SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
const TENANT = "11111111-2222-3333-4444-555555555555";

function world(secretRotation = true) {
  const stack = kubernetesScope();
  new HelmProvider(stack, "helm", {});
  const cluster = new AksCluster(stack, "cluster", { name: "aks-a", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" }, secretRotation });
  const spc = new SecretProviderClass(stack, "spc", {
    name: "orders-kv",
    namespace: "orders",
    provider: { type: "azure", keyvaultName: "kv-orders-01", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: cluster.secretsProviderIdentity }, objects: [{ objectName: "orders-db" }] },
    secretObjects: [{ secretName: "orders-db", data: [{ objectName: "orders-db", key: "password" }] }],
  });
  return { stack, cluster, spc };
}

const synthOf = (stack: TerraformStack): TfJson => JSON.parse(Testing.synth(stack, true));

describe("Reloader: restart on rotation for CSI workloads", () => {
  test("installs the pinned chart with the CSI integration on, Secrets unread, restart by annotation, read-only root", () => {
    const { stack, cluster } = world();
    new Reloader(stack, "reloader", { driver: cluster });
    const release = only(synthOf(stack), "helm_release");
    expect(release).toMatchObject({ name: "reloader", repository: "https://stakater.github.io/stakater-charts", chart: "reloader", version: RELOADER_CHART_VERSION, namespace: "reloader", create_namespace: true, atomic: true });
    expect(RELOADER_CHART_VERSION).toBe("2.2.16");
    expect(parse(release.values[0])).toEqual({
      reloader: {
        enableCSIIntegration: true,
        ignoreSecrets: true,
        reloadStrategy: "annotations",
        readOnlyRootFileSystem: true,
        deployment: { containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true } },
      },
    });
  });

  test("refused on a cluster whose driver has rotation off (nothing would ever restart)", () => {
    const { stack, cluster } = world(false);
    expectProblem(() => new Reloader(stack, "reloader", { driver: cluster }), { path: "test/reloader", field: "driver", value: "test/cluster", rule: /has secret rotation off: .*never restarts anything/ });
  });

  test("a workload mounting the class gets the targeted annotation; Terraform ignores Reloader's restart marker", () => {
    const { stack, cluster, spc } = world();
    const reloader = new Reloader(stack, "reloader", { driver: cluster });
    const pod = new PodSecretsMount(spc, { restartOnRotation: reloader });
    expect(pod.workloadAnnotations).toEqual({ "secretproviderclass.reloader.stakater.com/reload": "orders-kv" });
    new DeploymentV1(stack, "orders", {
      metadata: { name: "orders", namespace: "orders", annotations: { ...pod.workloadAnnotations } },
      spec: {
        selector: { matchLabels: { app: "orders" } },
        template: {
          metadata: { labels: { app: "orders", ...pod.podLabels } },
          spec: { volume: [pod.volume], container: [{ name: "app", image: "busybox", volumeMount: [pod.volumeMount], env: pod.envFromSyncedSecrets([{ name: "DB_PASSWORD", key: "password" }]).env }] },
        },
      },
      lifecycle: { ignoreChanges: [RELOADER_IGNORE_CHANGES] },
    });
    const d = only(synthOf(stack), "kubernetes_deployment_v1");
    expect(d.metadata.annotations).toEqual({ "secretproviderclass.reloader.stakater.com/reload": "orders-kv" });
    expect(d.lifecycle.ignore_changes).toEqual(['spec[0].template[0].metadata[0].annotations["reloader.stakater.com/last-reloaded-from"]']);
  });

  test("annotationsFor lists every class of one namespace; classes of two namespaces are refused", () => {
    const { stack, cluster, spc } = world();
    const reloader = new Reloader(stack, "reloader", { driver: cluster });
    expect(reloader.annotationsFor([spc, { name: "orders-certs", namespace: "orders" }])).toEqual({ "secretproviderclass.reloader.stakater.com/reload": "orders-kv,orders-certs" });
    expectProblem(() => reloader.annotationsFor([spc, { name: "x", namespace: "billing" }]), { field: "annotationsFor", rule: /several namespaces/ });
  });

  test("watching Secrets is an opt-out with a reason, recorded on the construct", () => {
    const { stack, cluster } = world();
    const r = new Reloader(stack, "reloader", { driver: cluster, watchSecrets: { reason: "the ingress certificate Secret is synced by ESO" } });
    expect(parse(only(synthOf(stack), "helm_release").values[0]).reloader.ignoreSecrets).toBe(false);
    expect(r.watchesSecrets).toBe(true);
    expect(r.node.metadata.map((m) => m.type)).toContain("aks-secrets:opt-out:watchSecrets");
    expectProblem(() => new Reloader(stack, "r2", { driver: cluster, watchSecrets: { reason: "x" } }), { field: "watchSecrets.reason", rule: /needs a written reason/ });
  });

  test("values may not turn the CSI integration off, nor ignore ConfigMaps too (Reloader exits with both)", () => {
    const { stack, cluster } = world();
    expectProblem(() => new Reloader(stack, "r1", { driver: cluster, values: { reloader: { enableCSIIntegration: false } } }), { field: "values.reloader.enableCSIIntegration", rule: /is set by this construct/ });
    expectProblem(() => new Reloader(stack, "r2", { driver: cluster, values: { reloader: { ignoreConfigMaps: true } } }), { field: "values.reloader.ignoreConfigMaps", rule: /exits at start with both/ });
  });
});

describe("wiring: restart on rotation across clusters", () => {
  test("a class on a cluster with rotation off, restarted by another cluster's Reloader, is refused", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AzurermProvider(platform, "azurerm", { features: [{}] });
    const a = new AksCluster(platform, "a", { name: "aks-a", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
    const b = new AksCluster(platform, "b", { name: "aks-b", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" }, secretRotation: false });
    const scope = (id: string, cluster: AksCluster) => {
      const s = new TerraformStack(app, id);
      new KubernetesProvider(s, "kubernetes", {});
      new HelmProvider(s, "helm", {});
      declareClusterScope(s, cluster);
      return s;
    };
    const reloader = new Reloader(scope("cluster-a", a), "reloader", { driver: a });
    const kb = scope("cluster-b", b);
    const spc = new SecretProviderClass(kb, "spc", { name: "orders-kv", namespace: "orders", provider: { type: "azure", keyvaultName: "kv-orders-01", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: b.secretsProviderIdentity }, objects: [{ objectName: "orders-db" }] } });
    new PodSecretsMount(spc, { restartOnRotation: reloader });
    applyWiringChecks(app);
    const problems = expectProblems(() => validateTree(app)).filter((p) => p.field === "podSecrets.restartOnRotation");
    expect(problems.map((p) => p.rule)).toEqual([expect.stringMatching(/cluster platform\/b has secret rotation off: nothing would ever restart/), expect.stringMatching(/runs in cluster platform\/a, but the class is deployed to cluster platform\/b/)]);
  });
});

describe("VSO rollout restart targets", () => {
  function vso() {
    const app = Testing.app();
    const vaultStack = new TerraformStack(app, "vault");
    new VaultProvider(vaultStack, "vault", { address: "https://vault.example:8200" });
    const jwt = new VaultJwtAuth(vaultStack, "jwt", { issuer: { oidcIssuerUrl: "https://issuer.example/" } });
    const role = jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets: [{ mount: "secret", path: "demo/config" }] });
    const cluster = new TerraformStack(app, "cluster");
    new KubernetesProvider(cluster, "kubernetes", {});
    new HelmProvider(cluster, "helm", {});
    const operator = new VaultSecretsOperator(cluster, "vso");
    const connection = new VsoVaultConnection(cluster, "connection", { operator, address: "https://vault.example:8200" });
    const auth = new VsoVaultAuth(cluster, "auth", { role, connection });
    const deployment = (ns: string) =>
      new DeploymentV1(cluster, `app-${ns}`, {
        metadata: { name: "demo-app", namespace: ns },
        spec: { selector: { matchLabels: { app: "demo" } }, template: { metadata: { labels: { app: "demo" } }, spec: { container: [{ name: "app", image: "busybox" }] } } },
        lifecycle: { ignoreChanges: [VSO_RESTART_IGNORE_CHANGES] },
      });
    return { cluster, auth, deployment };
  }

  test("a target read from the Terraform-managed deployment is restarted on change", () => {
    const { cluster, auth, deployment } = vso();
    const target = rolloutRestartTarget(deployment("demo"));
    expect(target).toEqual({ kind: "Deployment", name: "demo-app", namespace: "demo" });
    new VsoVaultStaticSecret(cluster, "secret", { auth, secret: { mount: "secret", path: "demo/config" }, destination: { name: "demo-config" }, rolloutRestartTargets: [target] });
    const tf = synthOf(cluster);
    const vss = Object.values(tf.resource!.kubernetes_manifest).find((m: any) => m.manifest.kind === "VaultStaticSecret") as any;
    expect(vss.manifest.spec.rolloutRestartTargets).toEqual([{ kind: "Deployment", name: "demo-app" }]);
    expect(only(tf, "kubernetes_deployment_v1").lifecycle.ignore_changes).toEqual(['spec[0].template[0].metadata[0].annotations["vso.secrets.hashicorp.com/restartedAt"]']);
  });

  test("a target in another namespace is refused (the operator restarts in the secret's namespace only)", () => {
    const { cluster, auth, deployment } = vso();
    expectProblem(
      () => new VsoVaultStaticSecret(cluster, "secret", { auth, secret: { mount: "secret", path: "demo/config" }, destination: { name: "demo-config" }, rolloutRestartTargets: [rolloutRestartTarget(deployment("billing"))] }),
      { field: "rolloutRestartTargets[0].namespace", value: "billing", rule: /must be "demo", the secret's namespace/ },
    );
  });

  test("only deployments, stateful sets and daemon sets are targets", () => {
    const { cluster } = vso();
    const spc = new SecretProviderClass(cluster, "spc", { name: "x", namespace: "demo", provider: { type: "vault", roleName: "demo", vaultAddress: "https://vault.example:8200", objects: [{ objectName: "a", secretPath: "secret/data/a" }] } });
    expectProblem(() => rolloutRestartTarget(spc.resource as any), { field: "rolloutRestartTarget", value: "kubernetes_manifest", rule: /must be a Deployment, StatefulSet or DaemonSet/ });
  });
});

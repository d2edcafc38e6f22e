import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { App } from "cdktf";
import { parse, parseAllDocuments } from "yaml";
import { AzureIdentity, AzureIdentityBinding, PodIdentityMigration, PodIdentityMigrationProps } from "../../constructs/bindings/pod-identity-migration";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { validateTree } from "../../core/validation";
import { ClusterStack } from "../../stacks/cluster-stack";
import { PlatformStack } from "../../stacks/platform-stack";
import { applyWiringChecks, wiringReport } from "../../verify/wiring";
import { Testing, TerraformStack } from "cdktf";
import { CONFORMANCE, expectProblem, kubernetesScope, only, resources, TfJson } from "../helpers";

/** Builds in a stack with the azurerm and kubernetes providers (bring your own cluster: both sides in one stack) and synthesizes it with validations. */
function synth(build: (stack: TerraformStack) => void): TfJson {
  const stack = kubernetesScope();
  build(stack);
  validateTree(stack);
  return JSON.parse(Testing.synth(stack, true));
}

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT_ID = "5b7c1a52-3d6e-4f0a-9c1d-2e8f7a6b5c4d";
const RESOURCE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-legacy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders";

// What the team runs today (kubectl get azureidentity,azureidentitybinding -n orders -o yaml):
// the identity, its binding, and pods labelled aadpodidbinding: orders-api.
const [AZURE_IDENTITY, BINDING] = parseAllDocuments(`
apiVersion: aadpodidentity.k8s.io/v1
kind: AzureIdentity
metadata:
  name: orders-identity
  namespace: orders
spec:
  type: 0
  resourceID: ${RESOURCE_ID}
  clientID: ${CLIENT_ID}
---
apiVersion: aadpodidentity.k8s.io/v1
kind: AzureIdentityBinding
metadata:
  name: orders-identity-binding
  namespace: orders
spec:
  azureIdentity: orders-identity
  selector: orders-api
`).map((d) => d.toJS()) as [AzureIdentity, AzureIdentityBinding];

interface Written {
  app: App;
  outdir: string;
  stacks: Record<string, TfJson>;
}

/** Builds the app with the wiring checks on, validates the whole tree and synthesizes it. */
function synthApp(build: (app: App) => void): Written {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-"));
  const app = new App({ outdir });
  build(app);
  applyWiringChecks(app);
  validateTree(app);
  app.synth();
  const stacks: Record<string, TfJson> = {};
  for (const s of fs.readdirSync(path.join(outdir, "stacks"))) stacks[s] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  return { app, outdir, stacks };
}

const migrationProps = (platform: PlatformStack, cluster: ClusterStack, phase: "parallel" | "cutover"): PodIdentityMigrationProps => ({
  cluster: platform.cluster,
  azureIdentity: AZURE_IDENTITY,
  bindings: [BINDING],
  workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }],
  // The class as it was: usePodIdentity, the vault, the objects.
  secretProviderClasses: [
    {
      name: "orders-kv",
      namespace: "orders",
      provider: { type: "azure", identity: { mode: "podIdentity" }, keyVault: platform.keyVault, objects: [{ objectName: "orders-db-password", objectAlias: "password" }] },
      secretObjects: [{ secretName: "orders-db", data: [{ objectName: "password", key: "password" }] }],
    },
  ],
  phase,
  clusterScope: cluster,
});

describe("PodIdentityMigration: a pod identity setup becomes a workload identity one", () => {
  let migration!: PodIdentityMigration;
  const written = synthApp((app) => {
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: ["demo-username", "demo-password", "orders-db-password"], keyVaultAuthorization: "rbac" });
    const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
    migration = new PodIdentityMigration(platform, "orders-migration", migrationProps(platform, cluster, "cutover"));
    // The vault is this app's: the reused identity's read grant is this app's too.
    platform.keyVault.grantSecretRead(migration.identity, { secrets: ["orders-db-password"] });
  });
  const p = written.stacks.platform;
  const c = written.stacks.cluster;
  const dataKey = Object.keys(p.data!.azurerm_user_assigned_identity)[0];

  test("reuses the AzureIdentity's identity, read by its resourceID, with its clientID checked at plan time", () => {
    expect(Object.values(resources(p, "azurerm_user_assigned_identity")).map((r: any) => r.name)).not.toContain("id-orders");
    const data = p.data!.azurerm_user_assigned_identity[dataKey];
    expect(data).toMatchObject({ name: "id-orders", resource_group_name: "rg-legacy" });
    expect(data.lifecycle.postcondition).toEqual([expect.objectContaining({ condition: `\${self.client_id == "${CLIENT_ID}"}` })]);
  });

  test("adds one federated credential on that identity: subject = the service account, issuer = the cluster's, audience AzureADTokenExchange", () => {
    const creds = Object.values(resources(p, "azurerm_federated_identity_credential")).filter((r: any) => r.user_assigned_identity_id === `\${data.azurerm_user_assigned_identity.${dataKey}.id}`);
    expect(creds).toEqual([
      expect.objectContaining({
        subject: "system:serviceaccount:orders:orders-api",
        audience: ["api://AzureADTokenExchange"],
        issuer: `\${azurerm_kubernetes_cluster.${Object.keys(p.resource!.azurerm_kubernetes_cluster)[0]}.oidc_issuer_url}`,
      }),
    ]);
  });

  test("annotates the service account with the identity's client id (the AzureIdentity's clientID)", () => {
    const sa = Object.values(resources(c, "kubernetes_service_account_v1")).find((r: any) => r.metadata.name === "orders-api") as any;
    expect(sa.metadata).toMatchObject({ namespace: "orders", annotations: { "azure.workload.identity/client-id": CLIENT_ID } });
    expect(migration.workloads[0].serviceAccount.annotations["azure.workload.identity/client-id"]).toBe(migration.identity.clientId);
  });

  test("rewrites the class: clientID = the same identity, no usePodIdentity, same vault, tenant and objects", () => {
    const spc = Object.values(resources(c, "kubernetes_manifest")).map((r: any) => r.manifest).find((m: any) => m.kind === "SecretProviderClass" && m.metadata.name === "orders-kv");
    expect(spc.metadata.namespace).toBe("orders");
    expect(spc.spec.parameters.clientID).toBe(CLIENT_ID);
    expect(spc.spec.parameters).not.toHaveProperty("usePodIdentity");
    expect(spc.spec.parameters).not.toHaveProperty("useVMManagedIdentity");
    expect(spc.spec.parameters.tenantID).toBe(TENANT);
    expect(parse(parse(spc.spec.parameters.objects).array[0])).toEqual({ objectName: "orders-db-password", objectType: "secret", objectAlias: "password" });
    expect(spc.spec.secretObjects).toEqual([{ secretName: "orders-db", type: "Opaque", data: [{ objectName: "password", key: "password" }] }]);
  });

  test("labels the pods for workload identity and drops the aadpodidbinding label at cutover", () => {
    const w = migration.workloads[0];
    expect(w.podLabels).toEqual({ "azure.workload.identity/use": "true" });
    expect(w.removePodLabels).toEqual(["aadpodidbinding"]);
    expect(w.toPodTemplate()).toEqual({
      metadata: { labels: { "azure.workload.identity/use": "true" } },
      spec: {
        serviceAccountName: "orders-api",
        volumes: [{ name: "orders-kv", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "orders-kv" } } }],
        containers: [{ name: "app", volumeMounts: [{ name: "orders-kv", mountPath: "/mnt/secrets-store", readOnly: true }] }],
      },
    });
  });

  test("lists the pod identity objects to delete after the cutover", () => {
    expect(migration.cleanupCommands()).toEqual(["kubectl delete azureidentitybinding orders-identity-binding -n orders", "kubectl delete azureidentity orders-identity -n orders"]);
  });

  test("the grant goes to the reused identity's principal", () => {
    const grants = Object.values(resources(p, "azurerm_role_assignment")).filter((r: any) => r.principal_id === `\${data.azurerm_user_assigned_identity.${dataKey}.principal_id}`);
    expect(grants.map((g: any) => g.role_definition_name)).toEqual(["Key Vault Secrets User"]);
  });

  test("the wiring checks pass on it and follow it: class -> service account -> reused identity -> vault, verified", () => {
    const report = wiringReport(written.app);
    expect(report.problems).toEqual([]);
    const path = report.paths.find((x) => x.via === "SecretProviderClass orders/orders-kv");
    expect(path).toMatchObject({ identityMode: "workload-identity", serviceAccounts: ["orders/orders-api"], secrets: ["orders-db-password"], verified: true });
    expect(path!.identity).toContain(migration.identity.node.path);
  });

  test("the wiring checks do fail on it: without the reused identity's read grant, synth names the mounted secret", () => {
    expectProblem(
      () =>
        synthApp((app) => {
          const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: ["demo-username", "demo-password", "orders-db-password"], keyVaultAuthorization: "rbac" });
          const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
          new PodIdentityMigration(platform, "orders-migration", migrationProps(platform, cluster, "cutover"));
        }),
      { field: "provider.objects[0].objectName", value: "orders-db-password", rule: /has no read grant on this secret/ },
    );
  });

  test("the rewritten class passes the CRD conformance check", () => {
    expect(() => execFileSync(process.execPath, [CONFORMANCE, written.outdir], { stdio: "pipe" })).not.toThrow();
  });
});

describe("PodIdentityMigration phases and the migration sidecar", () => {
  const build = (over: Partial<PodIdentityMigrationProps>) => {
    let m!: PodIdentityMigration;
    const tf = synth((s) => {
      m = new PodIdentityMigration(s, "m", {
        cluster: { oidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/t/c/" },
        azureIdentity: AZURE_IDENTITY,
        bindings: [BINDING],
        workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }],
        phase: "parallel",
        ...over,
      });
    });
    return { m, tf };
  };

  test("parallel: the pods keep aadpodidbinding beside the workload identity label", () => {
    const { m } = build({});
    expect(m.workloads[0].podLabels).toEqual({ "azure.workload.identity/use": "true", aadpodidbinding: "orders-api" });
    expect(m.workloads[0].removePodLabels).toEqual([]);
  });

  test("the migration sidecar is an opt-out with a reason: the pod annotations, the port, the reason recorded", () => {
    const { m } = build({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api", migrationSidecar: { reason: "app on Azure.Identity 1.4 until the Q3 release", port: 8080 } }] });
    expect(m.workloads[0].podAnnotations).toEqual({ "azure.workload.identity/inject-proxy-sidecar": "true", "azure.workload.identity/proxy-sidecar-port": "8080" });
    expect(m.workloads[0].toPodTemplate().metadata).toEqual({ labels: expect.any(Object), annotations: m.workloads[0].podAnnotations });
    expect(m.workloads[0].serviceAccount.node.metadata.map((e) => [e.type, e.data])).toContainEqual(["aks-secrets:opt-out:migrationSidecar", "app on Azure.Identity 1.4 until the Q3 release"]);
  });

  test("without a sidecar the pods get no annotation; the default port is 8000", () => {
    expect(build({}).m.workloads[0].podAnnotations).toEqual({});
    const { m } = build({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api", migrationSidecar: { reason: "legacy SDK for one more sprint" } }] });
    expect(m.workloads[0].podAnnotations["azure.workload.identity/proxy-sidecar-port"]).toBe("8000");
  });

  test("one credential per service account, several namespaces of one selector", () => {
    const { tf } = build({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }, { namespace: "orders-batch", serviceAccountName: "orders-batch" }] });
    expect(Object.values(resources(tf, "azurerm_federated_identity_credential")).map((r: any) => r.subject).sort()).toEqual(["system:serviceaccount:orders-batch:orders-batch", "system:serviceaccount:orders:orders-api"]);
  });

  test("an identity that is a construct of the app is used as is", () => {
    let identity!: WorkloadIdentity;
    let m!: PodIdentityMigration;
    const tf = synth((s) => {
      identity = new WorkloadIdentity(s, "orders", { name: "id-orders", resourceGroupName: "rg", location: "westeurope" });
      m = new PodIdentityMigration(s, "m", {
        cluster: { oidcIssuerUrl: "https://issuer.example/" },
        azureIdentity: { ...AZURE_IDENTITY, spec: { ...AZURE_IDENTITY.spec, clientID: CLIENT_ID } },
        bindings: [BINDING],
        workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }],
        phase: "cutover",
        identity,
      });
    });
    expect(m.identity).toBe(identity);
    expect(tf.data).toBeUndefined();
    expect(only(tf, "azurerm_federated_identity_credential").user_assigned_identity_id).toMatch(/^\$\{azurerm_user_assigned_identity\./);
  });

  test("a service principal AzureIdentity is refused with the way out", () => {
    expectProblem(() => build({ azureIdentity: { ...AZURE_IDENTITY, spec: { ...AZURE_IDENTITY.spec, type: 1 } } }), { field: "azureIdentity.spec.type", rule: /service principal identity/ });
  });
});

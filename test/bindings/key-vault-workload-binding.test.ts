import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { parse } from "yaml";
import { KeyVault } from "../../constructs/azure/key-vault";
import { KeyVaultWorkloadBinding, KeyVaultWorkloadBindingProps } from "../../constructs/bindings/key-vault-workload-binding";
import { validateTree } from "../../core/validation";
import { ClusterStack } from "../../stacks/cluster-stack";
import { PlatformStack } from "../../stacks/platform-stack";
import { CONFORMANCE, expectProblem, expectProblems, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";

interface Written {
  outdir: string;
  stacks: Record<string, TfJson>;
}

/** Builds, validates and synthesizes a whole app (cross-stack references resolve only then). */
function synthApp(build: (app: App) => void): Written {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "binding-"));
  const app = new App({ outdir });
  build(app);
  validateTree(app);
  app.synth();
  const stacks: Record<string, TfJson> = {};
  for (const s of fs.readdirSync(path.join(outdir, "stacks"))) stacks[s] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  return { outdir, stacks };
}

/** `${data.terraform_remote_state.X.outputs.Y}` -> the platform output's value. */
function throughRemoteState(platformTf: TfJson, expr: string): string {
  const m = /^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.([\w-]+)\}$/.exec(expr);
  expect(m).not.toBeNull();
  return platformTf.output![m![1]].value;
}

/** What the platform's vault holds: the demo's secrets and the orders team's. A binding mounts only declared secrets. */
const VAULT_SECRETS = ["demo-username", "demo-password", "orders-db-user", "orders-db-password"];

const ordersProps = (platform: PlatformStack): KeyVaultWorkloadBindingProps => ({
  cluster: platform.cluster,
  keyVault: platform.keyVault,
  namespace: "orders",
  serviceAccountName: "orders-api",
  secrets: ["orders-db-user", { objectName: "orders-db-password", objectAlias: "password" }],
  resourceGroupName: platform.resourceGroup.name,
  location: platform.location,
  sync: { secretName: "orders-db", keys: { "orders-db-user": "username", password: "password" } },
});

describe("KeyVaultWorkloadBinding across the platform and cluster stacks", () => {
  let binding!: KeyVaultWorkloadBinding;
  const written = synthApp((app) => {
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: VAULT_SECRETS, keyVaultAuthorization: "rbac" });
    const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
    binding = new KeyVaultWorkloadBinding(platform, cluster, "orders", ordersProps(platform));
  });
  const p = written.stacks.platform;
  const c = written.stacks.cluster;
  const identityId = Object.keys(p.resource!.azurerm_user_assigned_identity).find((k) => p.resource!.azurerm_user_assigned_identity[k].name === "id-orders-orders-api")!;

  test("creates the identity and its federated credential for the service account, with the cluster's issuer", () => {
    expect(identityId).toBeDefined();
    const creds = Object.values(p.resource!.azurerm_federated_identity_credential).filter((r: any) => r.parent_id === `\${azurerm_user_assigned_identity.${identityId}.id}`);
    expect(creds).toEqual([
      expect.objectContaining({
        subject: "system:serviceaccount:orders:orders-api",
        audience: ["api://AzureADTokenExchange"],
        issuer: `\${azurerm_kubernetes_cluster.${Object.keys(p.resource!.azurerm_kubernetes_cluster)[0]}.oidc_issuer_url}`,
      }),
    ]);
  });

  test("grants read on exactly the listed secrets (one role assignment per secret)", () => {
    const grants = Object.values(p.resource!.azurerm_role_assignment).filter((r: any) => r.principal_id === `\${azurerm_user_assigned_identity.${identityId}.principal_id}`);
    const vaultId = `\${azurerm_key_vault.${Object.keys(p.resource!.azurerm_key_vault)[0]}.id}`;
    expect(grants.map((g: any) => [g.role_definition_name, g.scope]).sort()).toEqual([
      ["Key Vault Secrets User", `${vaultId}/secrets/orders-db-password`],
      ["Key Vault Secrets User", `${vaultId}/secrets/orders-db-user`],
    ]);
  });

  test("the service account carries the new identity's client ID, through a cross-stack reference", () => {
    const sa = Object.values(c.resource!.kubernetes_service_account_v1)[0] as any;
    expect(sa.metadata.name).toBe("orders-api");
    expect(sa.metadata.namespace).toBe("orders");
    expect(throughRemoteState(p, sa.metadata.annotations["azure.workload.identity/client-id"])).toBe(`\${azurerm_user_assigned_identity.${identityId}.client_id}`);
    expect(sa.depends_on).toEqual(["kubernetes_namespace_v1.namespace-orders"]);
  });

  test("the SecretProviderClass logs in as the same identity and mounts the listed secrets", () => {
    const m = (Object.values(c.resource!.kubernetes_manifest)[0] as any).manifest;
    expect(m.metadata).toEqual({ name: "orders-api-kv", namespace: "orders" });
    expect(throughRemoteState(p, m.spec.parameters.clientID)).toBe(`\${azurerm_user_assigned_identity.${identityId}.client_id}`);
    expect(m.spec.parameters.keyvaultName).toMatch(/^kv-secrets-\$\{substr\(sha1\(data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\), 0, 6\)\}$/); // the platform's vault, by reference
    const objects = parse(m.spec.parameters.objects).array.map((s: string) => parse(s));
    expect(objects).toEqual([
      { objectName: "orders-db-user", objectType: "secret" },
      { objectName: "orders-db-password", objectType: "secret", objectAlias: "password" },
    ]);
    expect(m.spec.secretObjects).toEqual([
      { secretName: "orders-db", type: "Opaque", data: [{ objectName: "orders-db-user", key: "username" }, { objectName: "password", key: "password" }] },
    ]);
  });

  test("hands out the pod pieces, env vars only with the volume", () => {
    expect(binding.pod.serviceAccountName).toBe("orders-api");
    expect(binding.pod.podLabels).toEqual({ "azure.workload.identity/use": "true" });
    const bundle = binding.envFromSyncedSecrets([{ name: "DB_PASSWORD", key: "password" }]);
    expect(bundle.env).toEqual([{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "orders-db", key: "password" } } }]);
    expect(bundle.volume.csi).toEqual({ driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "orders-api-kv" } });
    expect(bundle.volumeMount.readOnly).toBe(true);
  });

  test("the SecretProviderClass passes the CRD conformance check", () => {
    expect(execFileSync("node", [CONFORMANCE, written.outdir], { encoding: "utf8" })).toMatch(/1 of 1 manifests conform/);
  });
});

describe("reusing an identity", () => {
  test("an identity that already trusts the service account gets no second credential, and its grant is reused", () => {
    const written = synthApp((app) => {
      const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: VAULT_SECRETS, keyVaultAuthorization: "accessPolicy" });
      const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
      new KeyVaultWorkloadBinding(platform, cluster, "demo", { cluster: platform.cluster, keyVault: platform.keyVault, identity: platform.workloadIdentities.get("demo"), namespace: "demo", serviceAccountName: "demo-app", secrets: ["demo-username"] });
    });
    const p = written.stacks.platform;
    expect(Object.keys(p.resource!.azurerm_federated_identity_credential)).toHaveLength(1);
    expect(Object.keys(p.resource!.azurerm_user_assigned_identity)).toHaveLength(1);
    expect(Object.keys(p.resource!.azurerm_key_vault_access_policy)).toHaveLength(3); // demo identity + add-on + the deployer (writer), as before: no new policy
  });

  test("an identity bound to a second service account gains a credential for it", () => {
    const written = synthApp((app) => {
      const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: VAULT_SECRETS });
      const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
      new KeyVaultWorkloadBinding(platform, cluster, "demo-worker", { cluster: platform.cluster, keyVault: platform.keyVault, identity: platform.workloadIdentities.get("demo"), namespace: "demo", serviceAccountName: "demo-worker", secrets: ["demo-username"] });
    });
    const subjects = Object.values(written.stacks.platform.resource!.azurerm_federated_identity_credential).map((r: any) => r.subject).sort();
    expect(subjects).toEqual(["system:serviceaccount:demo:demo-app", "system:serviceaccount:demo:demo-worker"]);
  });
});

describe("bring your own cluster: one stack", () => {
  test("the binding, the vault and the in-cluster resources compose into the cluster stack", () => {
    let stackRef!: ClusterStack;
    const written = synthApp((app) => {
      const stack = new ClusterStack(app, "apps", { cluster: { name: "aks-existing", resourceGroupName: "rg-existing" } });
      stackRef = stack;
      const vault = new KeyVault(stack, "vault", { name: "kv-apps-1", resourceGroupName: "rg-existing", location: "westeurope", tenantId: TENANT });
      new KeyVaultWorkloadBinding(stack, stack, "orders", {
        cluster: stack.cluster,
        keyVault: vault,
        namespace: "orders",
        serviceAccountName: "orders-api",
        secrets: ["db-password"],
        resourceGroupName: "rg-existing",
        location: "westeurope",
      });
    });
    expect(Object.keys(written.stacks)).toEqual(["apps"]);
    const tf = written.stacks.apps;
    const cred = Object.values(tf.resource!.azurerm_federated_identity_credential)[0] as any;
    expect(cred.issuer).toBe("${data.azurerm_kubernetes_cluster.cluster.oidc_issuer_url}");
    expect(Object.keys(tf.resource!.kubernetes_manifest)).toHaveLength(1);
    expect(Object.keys(tf.resource!.kubernetes_service_account_v1)).toHaveLength(1);
    expect(stackRef.node.tryFindChild("orders")?.node.tryFindChild("cluster")).toBeDefined();
  });
});

describe("bad input", () => {
  const setup = () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "binding-bad-")) });
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT, secrets: VAULT_SECRETS });
    const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster });
    return { platform, cluster };
  };

  test("invalid names, no secrets, and no place for a new identity", () => {
    const { platform, cluster } = setup();
    const problems = expectProblems(() => new KeyVaultWorkloadBinding(platform, cluster, "bad", { cluster: platform.cluster, keyVault: platform.keyVault, namespace: "Orders", serviceAccountName: "api_1", secrets: [] }));
    expect(problems.map((p) => [p.path, p.field])).toEqual([
      ["platform/bad", "namespace"],
      ["platform/bad", "serviceAccountName"],
      ["platform/bad", "secrets"],
      ["platform/bad", "resourceGroupName"],
      ["platform/bad", "location"],
    ]);
  });

  test("key and cert objects are refused (the grant covers secrets only)", () => {
    const { platform, cluster } = setup();
    expectProblem(
      () => new KeyVaultWorkloadBinding(platform, cluster, "bad", { ...ordersProps(platform), secrets: [{ objectName: "tls", objectType: "cert" }] }),
      { field: "secrets[0].objectType", value: "cert", rule: /secret read only/ },
    );
  });

  test("a synced key for a secret that is not listed", () => {
    const { platform, cluster } = setup();
    expectProblem(
      () => new KeyVaultWorkloadBinding(platform, cluster, "bad", { ...ordersProps(platform), sync: { keys: { "orders-db-password": "password" } } }),
      { path: "cluster/bad/secret-provider-class", field: "secretObjects[0].data[0].objectName", value: "orders-db-password", rule: /objectAlias when set/ },
    );
  });
});

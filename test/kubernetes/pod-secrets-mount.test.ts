import { Deployment } from "@cdktf/provider-kubernetes/lib/deployment";
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { expectProblem, only, kubernetesScope } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT_A = "aaaaaaaa-0000-0000-0000-000000000001";
const CLIENT_B = "bbbbbbbb-0000-0000-0000-000000000002";

const scope = kubernetesScope;

function workloadIdentityClass(stack: TerraformStack, clientId = CLIENT_A) {
  return new SecretProviderClass(stack, "spc", {
    name: "orders-kv",
    namespace: "orders",
    provider: {
      type: "azure",
      keyvaultName: "kv-orders",
      tenantId: TENANT,
      identity: { mode: "workloadIdentity", identity: { clientId } },
      objects: [{ objectName: "db-user" }, { objectName: "db-password", objectAlias: "password" }],
    },
    secretObjects: [{ secretName: "orders-db", type: "kubernetes.io/basic-auth", data: [{ objectName: "db-user", key: "username" }, { objectName: "password", key: "password" }] }],
  });
}

describe("PodSecretsMount", () => {
  test("hands out the read-only CSI volume, its read-only mount, the label and the service account", () => {
    const stack = scope();
    const spc = workloadIdentityClass(stack);
    const sa = new WorkloadServiceAccount(stack, "sa", { identity: { clientId: CLIENT_A }, namespace: "orders", name: "orders-api" });
    const pod = new PodSecretsMount(spc, { serviceAccount: sa, mountPath: "/var/run/secrets/orders" });
    expect(pod.volume).toEqual({ name: "orders-kv", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "orders-kv" } } });
    expect(pod.volumeMount).toEqual({ name: "orders-kv", mountPath: "/var/run/secrets/orders", readOnly: true });
    expect(pod.podLabels).toEqual({ "azure.workload.identity/use": "true" });
    expect(pod.serviceAccountName).toBe("orders-api");
    expect(pod.filePath("db-password")).toBe("/var/run/secrets/orders/password");
    expect(pod.filePath("db-user")).toBe("/var/run/secrets/orders/db-user");
  });

  test("env vars come only with the volume and mount, and point at the synced Secret", () => {
    const stack = scope();
    const spc = workloadIdentityClass(stack);
    const pod = new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    const bundle = pod.envFromSyncedSecrets([
      { name: "DB_USER", key: "username" },
      { name: "DB_PASSWORD", key: "password", secretName: "orders-db" },
    ]);
    expect(bundle.env).toEqual([
      { name: "DB_USER", valueFrom: { secretKeyRef: { name: "orders-db", key: "username" } } },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "orders-db", key: "password" } } },
    ]);
    expect(bundle.volume).toBe(pod.volume);
    expect(bundle.volumeMount).toBe(pod.volumeMount);
  });

  test("the pieces fit a kubernetes_deployment's typed blocks", () => {
    const stack = scope();
    const spc = workloadIdentityClass(stack);
    const sa = new WorkloadServiceAccount(stack, "sa", { identity: { clientId: CLIENT_A }, namespace: "orders", name: "orders-api" });
    const pod = new PodSecretsMount(spc, { serviceAccount: sa });
    const { env, volume, volumeMount } = pod.envFromSyncedSecrets([{ name: "DB_PASSWORD", key: "password" }]);
    new Deployment(stack, "orders", {
      metadata: { name: "orders", namespace: "orders" },
      spec: {
        selector: { matchLabels: { app: "orders" } },
        template: {
          metadata: { labels: { app: "orders", ...pod.podLabels } },
          spec: { serviceAccountName: pod.serviceAccountName, container: [{ name: "app", image: "example", env, volumeMount: [volumeMount] }], volume: [volume] },
        },
      },
    });
    const d = only(JSON.parse(Testing.synth(stack, true)), "kubernetes_deployment");
    const spec = d.spec.template.spec;
    expect(d.spec.template.metadata.labels).toEqual({ app: "orders", "azure.workload.identity/use": "true" });
    expect(spec.service_account_name).toBe("orders-api");
    expect(spec.volume).toEqual([{ name: "orders-kv", csi: { driver: "secrets-store.csi.k8s.io", read_only: true, volume_attributes: { secretProviderClass: "orders-kv" } } }]);
    expect(spec.container[0].volume_mount).toEqual([{ name: "orders-kv", mount_path: "/mnt/secrets-store", read_only: true }]);
    expect(spec.container[0].env).toEqual([{ name: "DB_PASSWORD", value_from: { secret_key_ref: { name: "orders-db", key: "password" } } }]);
  });

  test("prints as Kubernetes YAML for teams using other tools", () => {
    const stack = scope();
    const spc = workloadIdentityClass(stack);
    const pod = new PodSecretsMount(spc, { serviceAccount: "orders-api" });
    const doc = parse(pod.toYaml({ containerName: "api", env: [{ name: "DB_USER", key: "username" }] }));
    expect(doc).toEqual({
      metadata: { labels: { "azure.workload.identity/use": "true" } },
      spec: {
        serviceAccountName: "orders-api",
        volumes: [{ name: "orders-kv", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "orders-kv" } } }],
        containers: [
          {
            name: "api",
            volumeMounts: [{ name: "orders-kv", mountPath: "/mnt/secrets-store", readOnly: true }],
            env: [{ name: "DB_USER", valueFrom: { secretKeyRef: { name: "orders-db", key: "username" } } }],
          },
        ],
      },
    });
  });

  test("a class read with a VM-assigned identity needs no service account and no label", () => {
    const stack = scope();
    const spc = new SecretProviderClass(stack, "spc", {
      name: "addon.kv",
      namespace: "orders",
      provider: { type: "azure", keyvaultName: "kv-orders", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: { clientId: CLIENT_B } }, objects: [{ objectName: "a" }] },
    });
    const pod = new PodSecretsMount(spc);
    expect(pod.podLabels).toEqual({});
    expect(pod.serviceAccountName).toBeUndefined();
    expect(pod.volume.name).toBe("addon-kv");
  });

  describe("rejects wiring mistakes", () => {
    test("a key no synced Secret holds", () => {
      const stack = scope();
      const pod = new PodSecretsMount(workloadIdentityClass(stack), { serviceAccount: "orders-api" });
      expectProblem(() => pod.envFromSyncedSecrets([{ name: "TOKEN", key: "token" }]), { path: "test/spc", field: "podSecrets.env[0].key", value: "token", rule: /orders-db\/username, orders-db\/password/ });
    });

    test("a file the class does not mount", () => {
      const stack = scope();
      const pod = new PodSecretsMount(workloadIdentityClass(stack), { serviceAccount: "orders-api" });
      expectProblem(() => pod.filePath("api-key"), { field: "podSecrets.filePath", value: "api-key", rule: /not mounted/ });
    });

    test("workload identity without a service account", () => {
      const stack = scope();
      expectProblem(() => new PodSecretsMount(workloadIdentityClass(stack)), { field: "podSecrets.serviceAccount", rule: /exchanges the pod's service account token/ });
    });

    test("a service account of another identity, or another namespace", () => {
      const stack = scope();
      const spc = workloadIdentityClass(stack);
      const other = new WorkloadServiceAccount(stack, "other", { identity: { clientId: CLIENT_B }, namespace: "orders", name: "other" });
      expectProblem(() => new PodSecretsMount(spc, { serviceAccount: other }), { field: "podSecrets.serviceAccount", value: "orders/other", rule: /another identity/ });
      const elsewhere = new WorkloadServiceAccount(stack, "elsewhere", { identity: { clientId: CLIENT_A }, namespace: "billing", name: "api" });
      expectProblem(() => new PodSecretsMount(spc, { serviceAccount: elsewhere }), { field: "podSecrets.serviceAccount", value: "billing/api", rule: /namespace "orders"/ });
    });

    test("bad volume name, mount path and env var name", () => {
      const stack = scope();
      expectProblem(() => new PodSecretsMount(workloadIdentityClass(stack), { serviceAccount: "orders-api", volumeName: "Secrets", mountPath: "/mnt" }), { field: "podSecrets.volumeName", value: "Secrets", rule: /DNS-1123 label/ });
      const stack2 = scope();
      expectProblem(() => new PodSecretsMount(workloadIdentityClass(stack2), { serviceAccount: "orders-api", mountPath: "relative/path" }), { field: "podSecrets.mountPath", rule: /absolute/ });
      const stack3 = scope();
      const pod = new PodSecretsMount(workloadIdentityClass(stack3), { serviceAccount: "orders-api" });
      expectProblem(() => pod.envFromSyncedSecrets([{ name: "1DB", key: "username" }]), { field: "podSecrets.env[0].name", value: "1DB", rule: /environment variable name/ });
    });
  });
});

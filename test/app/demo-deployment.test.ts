// demoDeploymentResource renders the demo's kubernetes_deployment_v1 without the prebuilt binding's module:
// its JSON must be the binding's, for the demo's own config and for every map attribute of the
// pinned provider's schema (whose keys are kept as given, where every other key is snake-cased).
import fs from "node:fs";
import path from "node:path";
import { DeploymentV1, DeploymentV1Config } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Testing, TerraformStack } from "cdktf";
import { buildSync } from "esbuild";
import { demoDeploymentResource, DEPLOYMENT_MAP_FIELDS } from "../../app/demo-deployment";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { kubernetesScope, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const ROOT = path.resolve(__dirname, "../..");

/** The resource JSON each class synthesizes for `config` (construct metadata left out: the paths differ). */
function both(config: (stack: TerraformStack) => DeploymentV1Config): { lean: unknown; binding: unknown } {
  const render = (make: (stack: TerraformStack, c: DeploymentV1Config) => void) => {
    const stack = kubernetesScope();
    make(stack, config(stack));
    const tf: TfJson = JSON.parse(Testing.synth(stack, true));
    const { "//": _, ...attributes } = tf.resource!.kubernetes_deployment_v1.app;
    return attributes;
  };
  return { lean: render((s, c) => demoDeploymentResource(s, "app", c)), binding: render((s, c) => new DeploymentV1(s, "app", c)) };
}

describe("demoDeploymentResource", () => {
  test("renders the demo's deployment (a CSI volume, env from a synced Secret, security contexts, depends_on) as DeploymentV1 does", () => {
    const { lean, binding } = both((stack) => {
      const spc = new SecretProviderClass(stack, "spc", {
        name: "demo-kv",
        namespace: "demo",
        provider: { type: "azure", keyvaultName: "kv-demo-0001", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: { clientId: "00000000-0000-0000-0000-0000000000aa" } }, objects: [{ objectName: "demo-username" }] },
        secretObjects: [{ secretName: "demo-kv", type: "Opaque", data: [{ objectName: "demo-username", key: "username" }] }],
      });
      const pod = new PodSecretsMount(spc);
      const bundle = pod.envFromSyncedSecrets([{ name: "DEMO_USERNAME", key: "username" }]);
      return {
        metadata: { name: "demo", namespace: "demo", labels: { app: "demo" } },
        spec: {
          replicas: "1",
          selector: { matchLabels: { app: "demo" } },
          template: {
            metadata: { labels: { app: "demo", ...pod.podLabels } },
            spec: {
              serviceAccountName: "demo-app",
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: "65534", runAsGroup: "65534", seccompProfile: { type: "RuntimeDefault" } },
              container: [
                {
                  name: "app",
                  image: "busybox",
                  command: ["/bin/sh", "-c", "sleep 60"],
                  env: bundle.env,
                  volumeMount: [bundle.volumeMount],
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
                },
              ],
              volume: [bundle.volume],
            },
          },
        },
        waitForRollout: false,
        dependsOn: [spc.resource],
      };
    });
    expect((lean as any).spec.template.spec.volume[0].csi.volume_attributes).toEqual({ secretProviderClass: "demo-kv" });
    expect(lean).toEqual(binding);
  });

  test("keeps the keys of every map attribute as given and snake-cases every other key, as DeploymentV1 does", () => {
    const keys = { "app.kubernetes.io/name": "x", camelKey: "y", snake_key: "z" };
    const { lean, binding } = both(() => ({
      metadata: { generateName: "app-", namespace: "orders", labels: keys, annotations: keys },
      spec: {
        selector: { matchLabels: keys },
        template: {
          metadata: { labels: keys, annotations: keys },
          spec: {
            nodeSelector: keys,
            terminationGracePeriodSeconds: 5,
            container: [{ name: "a", image: "busybox", resources: { limits: { ...keys, "nvidia.com/gpu": "1" }, requests: keys }, readinessProbe: { httpGet: { path: "/", port: "80" }, initialDelaySeconds: 3 } }],
            volume: [
              { name: "csi", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { ...keys, secretProviderClass: "c" } } },
              { name: "flex", flexVolume: { driver: "example.com/flex", options: keys } },
            ],
          },
        },
      },
      lifecycle: { ignoreChanges: ["spec[0].replicas"] },
    }));
    expect((lean as any).spec.template.spec.container[0].resources.limits).toEqual({ ...keys, "nvidia.com/gpu": "1" });
    expect((lean as any).spec.template.spec.termination_grace_period_seconds).toBe(5);
    expect(lean).toEqual(binding);
  });

  test("knows exactly the map attributes of kubernetes_deployment_v1 in the pinned provider's schema", () => {
    const vendored = JSON.parse(fs.readFileSync(path.join(ROOT, "vendor/provider-schemas/kubernetes-3.2.1.json"), "utf8"));
    const maps = new Set<string>();
    const walk = (block: { attributes?: Record<string, { type: string }>; blocks?: Record<string, { block: any }> }) => {
      for (const [name, a] of Object.entries(block.attributes ?? {})) if (a.type === "map") maps.add(name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
      for (const b of Object.values(block.blocks ?? {})) walk(b.block);
    };
    walk(vendored.resources.kubernetes_deployment_v1.block);
    expect([...DEPLOYMENT_MAP_FIELDS].sort()).toEqual([...maps].sort());
  });

  test("the default app's bundle does not load the deployment-v1 binding (the reason demoDeploymentResource exists)", () => {
    const meta = buildSync({ entryPoints: [path.join(ROOT, "main.ts")], bundle: true, platform: "node", packages: "external", write: false, metafile: true, logLevel: "silent" }).metafile!;
    const imported = new Set(Object.values(meta.inputs).flatMap((i) => i.imports.map((x) => x.path)));
    expect([...imported].filter((p) => p.startsWith("@cdktf/provider-kubernetes/lib/")).length).toBeGreaterThan(3);
    expect(imported.has("@cdktf/provider-kubernetes/lib/deployment-v1")).toBe(false);
  });
});

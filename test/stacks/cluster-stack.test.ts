import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App, TerraformOutput, Testing } from "cdktf";
import { ClusterAuth, ClusterStack, kubeloginExec } from "../../stacks/cluster-stack";
import { PlatformStack } from "../../stacks/platform-stack";
import { expectProblem, TfJson } from "../helpers";

const SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630";
const CLIENT = "99999999-8888-7777-6666-555555555555";
const TENANT = "11111111-2222-3333-4444-555555555555";

function twoStacks(auth?: ClusterAuth) {
  const app = Testing.app();
  const platform = new PlatformStack(app, "platform", { tenantId: TENANT });
  const cluster = new ClusterStack(app, "cluster", { cluster: platform.cluster, auth });
  return { app, platform, cluster };
}

function synth(stack: ClusterStack | PlatformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true));
}

/**
 * Synthesizes a whole app to a temp dir and returns each stack's JSON: cross-stack references
 * are resolved (into outputs and remote state) only when the app synthesizes.
 */
function synthApp(build: (app: App) => void): Record<string, TfJson> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-stack-"));
  const app = new App({ outdir });
  build(app);
  app.synth();
  const out: Record<string, TfJson> = {};
  for (const s of fs.readdirSync(path.join(outdir, "stacks"))) out[s] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  out["manifest.json"] = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return out;
}

describe("cross-stack wiring", () => {
  const { platform, cluster } = twoStacks();
  const written = synthApp((app) => {
    const p = new PlatformStack(app, "platform", { tenantId: TENANT });
    new ClusterStack(app, "cluster", { cluster: p.cluster });
  });
  const tf = written.cluster;
  const platformTf = written.platform;

  test("the cluster is read by a data source whose name and resource group are the platform cluster's, through remote state", () => {
    const data = tf.data!.azurerm_kubernetes_cluster.cluster;
    const outputs = platformTf.output!;
    // Each input is an output of the platform stack that references the cluster resource itself.
    for (const [field, attribute] of [["name", "name"], ["resource_group_name", "resource_group_name"]]) {
      const m = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(data[field]);
      expect(m).not.toBeNull();
      expect(tf.data!.terraform_remote_state[m![1]]).toBeDefined();
      expect(outputs[m![2]].value).toBe(`\${azurerm_kubernetes_cluster.${Object.keys(platformTf.resource!.azurerm_kubernetes_cluster)[0]}.${attribute}}`);
    }
  });

  test("the kubernetes provider takes host and CA from the data source and logs in with kubelogin (azurecli by default)", () => {
    const k = tf.provider!.kubernetes[0];
    expect(k.host).toBe("${data.azurerm_kubernetes_cluster.cluster.kube_config[0].host}");
    expect(k.cluster_ca_certificate).toBe("${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_config[0].cluster_ca_certificate)}");
    expect(k.exec).toEqual([{ api_version: "client.authentication.k8s.io/v1beta1", command: "kubelogin", args: ["get-token", "--server-id", SERVER_APP, "--login", "azurecli"] }]);
    expect(k.client_certificate).toBeUndefined();
    expect(k.token).toBeUndefined();
    expect(k.config_path).toBeUndefined();
  });

  test("a helm provider uses the same connection", () => {
    const h = tf.provider!.helm[0].kubernetes;
    const k = tf.provider!.kubernetes[0];
    expect(h.host).toBe(k.host);
    expect(h.cluster_ca_certificate).toBe(k.cluster_ca_certificate);
    expect(h.exec).toEqual(k.exec[0]);
  });

  test("no kubeconfig, certificate or token passes through the platform stack's outputs", () => {
    for (const o of Object.values(platformTf.output!)) expect(JSON.stringify(o)).not.toMatch(/kube_config|kube_admin_config|client_key|client_certificate/);
  });

  test("the cluster stack depends on the platform stack, so `cdktf deploy` deploys the platform first", () => {
    expect(cluster.dependencies).toContain(platform);
    expect(cluster.aksCluster).toBe(platform.cluster);
  });

  test("the app's manifest records the dependency", () => {
    const manifest: any = written["manifest.json"];
    expect(manifest.stacks.cluster.dependencies).toEqual(["platform"]);
    expect(manifest.stacks.platform.dependencies).toEqual([]);
  });
});

describe("authentication modes", () => {
  const execOf = (auth: ClusterAuth) => synth(twoStacks(auth).cluster).provider!.kubernetes[0].exec[0];

  test("workloadIdentity: kubelogin --login workloadidentity, IDs from flags or the environment", () => {
    expect(execOf({ mode: "workloadIdentity" }).args).toEqual(["get-token", "--server-id", SERVER_APP, "--login", "workloadidentity"]);
    expect(execOf({ mode: "workloadIdentity", clientId: CLIENT, tenantId: TENANT, federatedTokenFile: "/var/run/secrets/token" }).args).toEqual([
      "get-token", "--server-id", SERVER_APP, "--login", "workloadidentity", "--client-id", CLIENT, "--tenant-id", TENANT, "--federated-token-file", "/var/run/secrets/token",
    ]);
  });

  test("managedIdentity: kubelogin --login msi", () => {
    expect(execOf({ mode: "managedIdentity", clientId: CLIENT, kubeloginPath: "/usr/local/bin/kubelogin" })).toEqual({
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "/usr/local/bin/kubelogin",
      args: ["get-token", "--server-id", SERVER_APP, "--login", "msi", "--client-id", CLIENT],
    });
  });

  test("terraformCloud: a POSIX sh wrapper with no Terraform interpolation in it", () => {
    const e = execOf({ mode: "terraformCloud" });
    expect(e.command).toBe("sh");
    expect(e.args[0]).toBe("-c");
    expect(e.args[1]).not.toMatch(/\$\{|%\{/);
    expect(e.args[1]).toContain("--login workloadidentity");
  });

  describe("terraformCloud wrapper, run against a stand-in kubelogin", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubelogin-"));
    const fake = path.join(dir, "kubelogin");
    // Records its arguments and the token file's content and mode; prints a fake ExecCredential.
    fs.writeFileSync(
      fake,
      [
        "#!/bin/sh",
        `printf '%s\\n' "$@" > ${dir}/args`,
        'while [ $# -gt 0 ]; do if [ "$1" = --federated-token-file ]; then f="$2"; fi; shift; done',
        `cat "$f" > ${dir}/token; stat -c %a "$f" > ${dir}/mode; echo "$f" > ${dir}/path`,
        'echo \'{"kind":"ExecCredential"}\'',
      ].join("\n"),
      { mode: 0o755 },
    );
    const run = (auth: ClusterAuth, env: Record<string, string>) => {
      const e = kubeloginExec({ ...auth, kubeloginPath: fake } as Exclude<ClusterAuth, { mode: "localAdmin" }>);
      return execFileSync(e.command, e.args!, { env: { PATH: process.env.PATH!, ...env }, encoding: "utf8" });
    };

    test("passes the run's token in a private temp file, removed afterwards, with the run's client and tenant", () => {
      const out = run({ mode: "terraformCloud" }, { TFC_WORKLOAD_IDENTITY_TOKEN: "header.payload.sig", TFC_AZURE_RUN_CLIENT_ID: CLIENT, ARM_TENANT_ID: TENANT });
      expect(out.trim()).toBe('{"kind":"ExecCredential"}');
      const args = fs.readFileSync(path.join(dir, "args"), "utf8").trim().split("\n");
      const tokenPath = fs.readFileSync(path.join(dir, "path"), "utf8").trim();
      expect(args).toEqual(["get-token", "--server-id", SERVER_APP, "--login", "workloadidentity", "--client-id", CLIENT, "--tenant-id", TENANT, "--federated-token-file", tokenPath]);
      expect(fs.readFileSync(path.join(dir, "token"), "utf8")).toBe("header.payload.sig");
      expect(fs.readFileSync(path.join(dir, "mode"), "utf8").trim()).toBe("600");
      expect(fs.existsSync(tokenPath)).toBe(false);
    });

    test("falls back to ARM_CLIENT_ID, and takes explicit IDs over the environment", () => {
      run({ mode: "terraformCloud" }, { TFC_WORKLOAD_IDENTITY_TOKEN: "t", ARM_CLIENT_ID: "arm-client", ARM_TENANT_ID: TENANT });
      expect(fs.readFileSync(path.join(dir, "args"), "utf8")).toContain("--client-id\narm-client\n");
      run({ mode: "terraformCloud", clientId: CLIENT, tenantId: TENANT }, { TFC_WORKLOAD_IDENTITY_TOKEN: "t", TFC_AZURE_RUN_CLIENT_ID: "ignored" });
      expect(fs.readFileSync(path.join(dir, "args"), "utf8")).toContain(`--client-id\n${CLIENT}\n--tenant-id\n${TENANT}\n`);
    });

    test("fails with a pointer to TFC_WORKLOAD_IDENTITY_AUDIENCE when the run has no token", () => {
      let err: any;
      try {
        run({ mode: "terraformCloud" }, { ARM_TENANT_ID: TENANT });
      } catch (e) {
        err = e;
      }
      expect(err?.status).toBe(1);
      expect(String(err?.stderr)).toMatch(/TFC_WORKLOAD_IDENTITY_AUDIENCE=api:\/\/AzureADTokenExchange/);
    });
  });

  test("localAdmin is an explicit opt-out with a reason, recorded on the stack", () => {
    const app = Testing.app();
    const cluster = new ClusterStack(app, "cluster", { cluster: { name: "aks-legacy", resourceGroupName: "rg-legacy" }, auth: { mode: "localAdmin", reason: "legacy cluster without Entra ID integration" } });
    const k = synth(cluster).provider!.kubernetes[0];
    expect(k.exec).toBeUndefined();
    expect(k.client_certificate).toBe("${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_admin_config[0].client_certificate)}");
    expect(k.client_key).toBe("${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_admin_config[0].client_key)}");
    expect(cluster.node.metadata.find((m) => m.type === "aks-secrets:opt-out:localAdmin")?.data).toBe("legacy cluster without Entra ID integration");
  });

  test("localAdmin is refused without a reason, and for a cluster with local accounts disabled", () => {
    expectProblem(() => new ClusterStack(Testing.app(), "cluster", { cluster: { name: "aks-a", resourceGroupName: "rg-a" }, auth: { mode: "localAdmin", reason: "" } }), {
      path: "cluster",
      field: "auth.reason",
      rule: /written reason/,
    });
    const app = Testing.app();
    const platform = new PlatformStack(app, "platform", { tenantId: TENANT });
    expectProblem(() => new ClusterStack(app, "cluster", { cluster: platform.cluster, auth: { mode: "localAdmin", reason: "break-glass access for the migration" } }), {
      field: "auth.mode",
      value: "localAdmin",
      rule: /local accounts disabled/,
    });
  });

  test("bad IDs and a kubelogin path with shell characters are rejected", () => {
    expectProblem(() => new ClusterStack(Testing.app(), "c", { cluster: { name: "aks-a", resourceGroupName: "rg-a" }, auth: { mode: "workloadIdentity", clientId: "ci-app" } }), { field: "auth.clientId", value: "ci-app", rule: /GUID/ });
    expectProblem(() => new ClusterStack(Testing.app(), "c", { cluster: { name: "aks-a", resourceGroupName: "rg-a" }, auth: { mode: "azureCli", kubeloginPath: "kubelogin; rm -rf /" } }), { field: "auth.kubeloginPath", rule: /shell characters/ });
  });

  test.each([
    ["azureCli", "clientId", /is not used by mode "azureCli" \(kubelogin takes the identity of the az login session\)/],
    ["azureCli", "tenantId", /is not used by mode "azureCli" \(kubelogin takes the tenant of the az login session/],
    ["managedIdentity", "tenantId", /is not used by mode "managedIdentity"/],
  ])("mode %s with %s is refused instead of ignored", (mode, key, rule) => {
    const auth = { mode, [key]: TENANT } as unknown as ClusterAuth;
    expectProblem(() => new ClusterStack(Testing.app(), "c", { cluster: { name: "aks-a", resourceGroupName: "rg-a" }, auth }), { path: "c", field: `auth.${key}`, value: TENANT, rule });
  });

  test("the IDs each mode uses are still accepted", () => {
    for (const auth of [
      { mode: "workloadIdentity", clientId: TENANT, tenantId: TENANT },
      { mode: "terraformCloud", clientId: TENANT, tenantId: TENANT },
      { mode: "managedIdentity", clientId: TENANT },
    ] as ClusterAuth[]) {
      expect(() => new ClusterStack(Testing.app(), "c", { cluster: { name: "aks-a", resourceGroupName: "rg-a" }, auth })).not.toThrow();
    }
  });
});

describe("bring your own cluster", () => {
  test("plain name and resource group: no remote state, same data source and providers", () => {
    const app = Testing.app();
    const cluster = new ClusterStack(app, "apps", { cluster: { name: "aks-existing", resourceGroupName: "rg-existing" } });
    // The issuer of an existing cluster, for federated credentials of bindings in this stack.
    new TerraformOutput(cluster, "issuer", { value: cluster.cluster.oidcIssuerUrl });
    const tf = synth(cluster);
    expect(tf.data!.azurerm_kubernetes_cluster.cluster).toMatchObject({ name: "aks-existing", resource_group_name: "rg-existing" });
    expect(tf.data!.terraform_remote_state).toBeUndefined();
    expect(cluster.dependencies).toEqual([]);
    expect(tf.output!.issuer.value).toBe("${data.azurerm_kubernetes_cluster.cluster.oidc_issuer_url}");
    expect(tf.provider!.kubernetes[0].host).toBe("${data.azurerm_kubernetes_cluster.cluster.kube_config[0].host}");
  });

  test("bad cluster names are rejected", () => {
    expectProblem(() => new ClusterStack(Testing.app(), "apps", { cluster: { name: "aks existing", resourceGroupName: "rg" } }), { path: "apps", field: "cluster.name", value: "aks existing", rule: /AKS cluster names/ });
  });
});

describe("namespace()", () => {
  test("creates each namespace once and returns it on later calls", () => {
    const { cluster } = twoStacks();
    const a = cluster.namespace("payments", { labels: { team: "payments" } });
    expect(cluster.namespace("payments")).toBe(a);
    cluster.namespace("orders");
    const ns = synth(cluster).resource!.kubernetes_namespace_v1;
    expect(Object.keys(ns).sort()).toEqual(["namespace-orders", "namespace-payments"]);
    expect(ns["namespace-payments"].metadata).toEqual({ name: "payments", labels: { team: "payments" } });
    expect([...cluster.createdNamespaces.keys()]).toEqual(["payments", "orders"]);
  });

  test("rejects invalid names and labels given after creation", () => {
    const { cluster } = twoStacks();
    expectProblem(() => cluster.namespace("Payments"), { field: 'namespace("Payments")', value: "Payments", rule: /DNS-1123 label/ });
    cluster.namespace("orders");
    expectProblem(() => cluster.namespace("orders", { labels: { a: "b" } }), { field: 'namespace("orders").labels', rule: /first call/ });
  });
});

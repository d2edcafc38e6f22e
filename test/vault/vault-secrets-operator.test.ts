import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { VaultJwtAuth } from "../../constructs/vault/vault-jwt-auth";
import {
  VaultSecretsOperator,
  VaultSecretsOperatorProps,
  VsoVaultAuth,
  VsoVaultAuthProps,
  VsoVaultConnection,
  VsoVaultStaticSecret,
  VsoVaultStaticSecretProps,
} from "../../constructs/vault/vault-secrets-operator";
import { CONFORMANCE, expectProblem, TfJson } from "../helpers";

const CHECK = CONFORMANCE;
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";
const ADDRESS = "https://vault-private.example.hashicorp.cloud:8200";

/** A Vault stack with JWT auth and a cluster stack with kubernetes and helm providers, as a real app has them. */
function world() {
  const app = Testing.app();
  const vaultStack = new TerraformStack(app, "vault");
  new VaultProvider(vaultStack, "vault", { address: ADDRESS, namespace: "admin" });
  const jwt = new VaultJwtAuth(vaultStack, "jwt", { issuer: { oidcIssuerUrl: ISSUER } });
  const demo = jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-app", audiences: ["vault", "vault-2"], secrets: [{ mount: "secret", path: "demo/config" }] });
  const other = jwt.addRole({ name: "other", namespace: "demo", serviceAccountName: "other-app", secrets: [{ mount: "secret", path: "other/config" }] });
  const cluster = new TerraformStack(app, "cluster");
  new KubernetesProvider(cluster, "kubernetes", {});
  new HelmProvider(cluster, "helm", {});
  return { app, vaultStack, jwt, demo, other, cluster };
}

function stackJson(app: App, stack: string): TfJson {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

function manifests(tf: TfJson): Record<string, any> {
  return Object.fromEntries(Object.values(tf.resource?.kubernetes_manifest ?? {}).map((r: any) => [r.manifest.kind, r]));
}

describe("VaultSecretsOperator with a connection, a JWT auth and a static secret", () => {
  const w = world();
  const operator = new VaultSecretsOperator(w.cluster, "vso", { values: { controller: { replicas: 2 } } });
  const connection = new VsoVaultConnection(w.cluster, "connection", { operator, address: ADDRESS });
  const auth = new VsoVaultAuth(w.cluster, "auth", { role: w.demo, connection });
  new VsoVaultStaticSecret(w.cluster, "secret", {
    auth,
    secret: { mount: "secret", path: "demo/config" },
    destination: { name: "demo-config", labels: { app: "demo" } },
    refreshAfter: "5m",
    rolloutRestartTargets: [{ kind: "Deployment", name: "demo-app" }],
  });
  w.app.synth();
  const tf = stackJson(w.app, "cluster");
  const vault = stackJson(w.app, "vault");
  const m = manifests(tf);
  const release = Object.values(tf.resource!.helm_release)[0] as any;
  const releaseId = Object.keys(tf.resource!.helm_release)[0];

  test("installs the operator chart at a pinned version from HashiCorp's repository", () => {
    expect(release).toMatchObject({
      chart: "vault-secrets-operator",
      repository: "https://helm.releases.hashicorp.com",
      version: "1.4.1",
      namespace: "vault-secrets-operator",
      create_namespace: true,
      atomic: true,
    });
    expect(parse(release.values[0])).toEqual({ controller: { replicas: 2 } });
    expect(releaseId).toBe("vso_release_44F10DA4");
  });

  test("the VaultConnection points at the private address and verifies TLS", () => {
    expect(m.VaultConnection.manifest).toEqual({
      apiVersion: "secrets.hashicorp.com/v1beta1",
      kind: "VaultConnection",
      metadata: { name: "hcp-vault", namespace: "vault-secrets-operator" },
      spec: { address: ADDRESS, skipTLSVerify: false },
    });
    expect(m.VaultConnection.depends_on).toEqual([`helm_release.${releaseId}`]);
  });

  test("the VaultAuth logs in with JWT, as the subject and audiences the Vault role binds, in HCP's admin namespace", () => {
    const spec = m.VaultAuth.manifest.spec;
    expect(spec).toMatchObject({ method: "jwt", mount: "jwt-aks", namespace: "admin", vaultConnectionRef: "vault-secrets-operator/hcp-vault" });
    expect(spec.jwt).toEqual({ role: "demo", serviceAccount: "demo-app", audiences: ["vault", "vault-2"], tokenExpirationSeconds: 600 });
    // Cross-check against what Vault was configured with (the other stack's JSON).
    const role = Object.values(vault.resource!.vault_jwt_auth_backend_role).find((r: any) => r.role_name === spec.jwt.role) as any;
    expect(role.bound_subject).toBe(`system:serviceaccount:${m.VaultAuth.manifest.metadata.namespace}:${spec.jwt.serviceAccount}`);
    expect(role.bound_audiences).toEqual(spec.jwt.audiences);
    expect(only(vault, "vault_jwt_auth_backend").path).toBe(spec.mount);
  });

  test("the VaultStaticSecret syncs the kv-v2 secret into a Secret and restarts the deployment", () => {
    expect(m.VaultStaticSecret.manifest.metadata).toEqual({ name: "demo-config", namespace: "demo" });
    expect(m.VaultStaticSecret.manifest.spec).toEqual({
      vaultAuthRef: "vault-demo",
      mount: "secret",
      path: "demo/config",
      type: "kv-v2",
      refreshAfter: "5m",
      destination: { name: "demo-config", create: true, overwrite: false, labels: { app: "demo" } },
      rolloutRestartTargets: [{ kind: "Deployment", name: "demo-app" }],
    });
  });

  test("is ordered release → connection → auth → secret", () => {
    const ids = Object.fromEntries(Object.entries(tf.resource!.kubernetes_manifest).map(([id, r]: [string, any]) => [r.manifest.kind, id]));
    expect(m.VaultAuth.depends_on).toEqual([`kubernetes_manifest.${ids.VaultConnection}`]);
    expect(m.VaultStaticSecret.depends_on).toEqual([`kubernetes_manifest.${ids.VaultAuth}`]);
  });

  test("every manifest passes the upstream CRD conformance check", () => {
    expect(fs.existsSync(CHECK)).toBe(true);
    const out = execFileSync("node", [CHECK, w.app.outdir], { encoding: "utf8" });
    expect(out).toMatch(/conformance: 3 of 3 manifests conform/);
  });
});

function only(tf: TfJson, type: string): any {
  const all = Object.values(tf.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

describe("custom resources in a later stack than the operator", () => {
  test("get a stack dependency instead of a cross-state depends_on, and still conform", () => {
    const w = world();
    const operator = new VaultSecretsOperator(w.cluster, "vso");
    const later = new TerraformStack(w.app, "cluster-secrets");
    new KubernetesProvider(later, "kubernetes", {});
    const connection = new VsoVaultConnection(later, "connection", { operator, address: ADDRESS, timeout: "30s" });
    const auth = new VsoVaultAuth(later, "auth", { role: w.other, connection, createServiceAccount: true, namespace: "demo" });
    new VsoVaultStaticSecret(later, "secret", { auth, secret: { mount: "secret", path: "other/config" }, destination: { name: "other-config" } });
    w.app.synth();
    expect(later.dependencies).toContain(w.cluster);
    const tf = stackJson(w.app, "cluster-secrets");
    const m = manifests(tf);
    expect(m.VaultConnection.depends_on).toBeUndefined();
    expect(m.VaultConnection.manifest.spec.timeout).toBe("30s");
    expect(m.VaultAuth.manifest.spec.jwt).toEqual({ role: "other", serviceAccount: "other-app", audiences: ["vault"], tokenExpirationSeconds: 600 });
    const sa = only(tf, "kubernetes_service_account_v1");
    expect(sa.metadata).toMatchObject({ name: "other-app", namespace: "demo" });
    expect(sa.automount_service_account_token).toBe(false);
    expect(m.VaultStaticSecret.manifest.spec.refreshAfter).toBe("60s");
    const out = execFileSync("node", [CHECK, w.app.outdir], { encoding: "utf8" });
    expect(out).toMatch(/conformance: 3 of 3 manifests conform/);
  });
});

describe("Vault Secrets Operator validation", () => {
  function parts() {
    const w = world();
    const operator = new VaultSecretsOperator(w.cluster, "vso");
    const connection = new VsoVaultConnection(w.cluster, "connection", { operator, address: ADDRESS });
    return { ...w, operator, connection };
  }
  const authWith = (over: Partial<VsoVaultAuthProps>) => () => {
    const p = parts();
    return new VsoVaultAuth(p.cluster, "auth", { role: p.demo, connection: p.connection, ...over });
  };
  const secretWith = (over: Partial<VsoVaultStaticSecretProps>) => () => {
    const p = parts();
    const auth = new VsoVaultAuth(p.cluster, "auth", { role: p.demo, connection: p.connection });
    return new VsoVaultStaticSecret(p.cluster, "secret", { auth, secret: { mount: "secret", path: "demo/config" }, destination: { name: "demo-config" }, ...over });
  };

  test("a VaultAuth whose service account no JWT role of that role binds", () => {
    expectProblem(authWith({ serviceAccount: "default" }), { path: "cluster/auth", field: "serviceAccount", value: "default", rule: /does not match JWT role "demo".*system:serviceaccount:demo:demo-app; no role of the mount binds it/ });
  });

  test("a VaultAuth naming another role's service account is told which role to pass", () => {
    expectProblem(authWith({ serviceAccount: "other-app" }), { field: "serviceAccount", value: "other-app", rule: /role "other" binds it: pass that role/ });
  });

  test("a VaultAuth whose audience the role does not bind", () => {
    expectProblem(authWith({ audiences: ["vault", "https://kubernetes.default.svc"] }), { field: "audiences[1]", value: "https://kubernetes.default.svc", rule: /not bound by JWT role "demo".*vault, vault-2/ });
  });

  test("a VaultAuth outside the service account's namespace", () => {
    expectProblem(authWith({ namespace: "apps" }), { field: "namespace", value: "apps", rule: /must be "demo"/ });
  });

  test("a token lifetime below the CRD's minimum", () => {
    expectProblem(authWith({ tokenExpirationSeconds: 300 }), { field: "tokenExpirationSeconds", rule: /at least 600/ });
  });

  test.each([
    ["1h30m", /one number and unit/],
    ["2d", /one number and unit/],
    ["10s", /30s to 24h/],
    ["48h", /30s to 24h/],
  ])("an invalid refresh interval %s", (refreshAfter, rule) => {
    expectProblem(secretWith({ refreshAfter }), { path: "cluster/secret", field: "refreshAfter", value: refreshAfter, rule });
  });

  test("a secret the auth's role may not read", () => {
    expectProblem(secretWith({ secret: { mount: "secret", path: "other/config" } }), { field: "secret", value: "secret/data/other/config", rule: /not readable by JWT role "demo".*jwt-aks-demo-read reads secret\/data\/demo\/config/ });
  });

  test("bad rollout targets, destinations and versions", () => {
    expectProblem(secretWith({ rolloutRestartTargets: [{ kind: "Pod" as never, name: "x" }] }), { field: "rolloutRestartTargets[0].kind", value: "Pod", rule: /^must be one of "argo.Rollout", "DaemonSet", "Deployment", "StatefulSet"/ });
    expectProblem(secretWith({ destination: { name: "Demo_Config" } }), { field: "destination.name", value: "Demo_Config", rule: /DNS-1123 subdomain/ });
    expectProblem(secretWith({ destination: { name: "demo-config", create: false, type: "Opaque" } }), { field: "destination.type", value: "Opaque", rule: /needs destination.create/ });
    expectProblem(secretWith({ version: -1 }), { field: "version", rule: /0 or more/ });
  });

  test("a connection that is not https, or a chart version that is not pinned", () => {
    const p = world();
    const operator = new VaultSecretsOperator(p.cluster, "vso");
    expectProblem(() => new VsoVaultConnection(p.cluster, "connection", { operator, address: "http://vault:8200" }), { field: "address", value: "http://vault:8200", rule: /https URL/ });
    // Untyped input: no operator is reported, not a TypeError.
    expectProblem(() => new VsoVaultConnection(p.cluster, "connection-2", { address: ADDRESS } as any), { path: "cluster/connection-2", field: "operator", rule: /^is required: a VaultSecretsOperator/ });
    expectProblem(() => new VaultSecretsOperator(p.cluster, "vso2", { chartVersion: "1.x" } as VaultSecretsOperatorProps), { field: "chartVersion", value: "1.x", rule: /exact chart version/ });
  });
});

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { KeyVault } from "../../constructs/azure/key-vault";
import { SecretProviderClass, SecretProviderClassProps, SYNCED_SECRET_TYPES } from "../../constructs/kubernetes/secret-provider-class";
import { validateTree } from "../../core/validation";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { CONFORMANCE, expectProblem, expectProblems, kubernetesScope, TfJson } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "99999999-8888-7777-6666-555555555555";

const scope = kubernetesScope;

function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true));
}

function manifests(tf: TfJson): any[] {
  return Object.values(tf.resource?.kubernetes_manifest ?? {}).map((r: any) => r.manifest);
}

/** Parses the Azure provider's `objects` exactly as it does: a map with `array`, each item a YAML document. */
function parseAzureObjects(objects: string): Record<string, unknown>[] {
  const outer = parse(objects, { version: "1.1" });
  expect(Object.keys(outer)).toEqual(["array"]);
  expect(outer.array.every((s: unknown) => typeof s === "string")).toBe(true);
  return outer.array.map((s: string) => parse(s, { version: "1.1" }));
}

function platform(stack: TerraformStack) {
  const cluster = new AksCluster(stack, "cluster", {
    name: "aks-test",
    resourceGroupName: "rg-test",
    location: "westeurope",
    nodeSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
    apiServerAccess: { mode: "private" },
  });
  const vault = new KeyVault(stack, "vault", { name: "kv-test-1", resourceGroupName: "rg-test", location: "westeurope", tenantId: TENANT, authorization: "rbac" });
  const identity = new WorkloadIdentity(stack, "app-identity", { name: "id-app", resourceGroupName: "rg-test", location: "westeurope", issuer: cluster });
  return { cluster, vault, identity };
}

const explicitAzure = (over: Partial<SecretProviderClassProps> = {}): SecretProviderClassProps => ({
  name: "app-kv",
  namespace: "app",
  provider: { type: "azure", keyvaultName: "kv-explicit", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "db-password" }] },
  ...over,
});

describe("Azure provider, workload identity", () => {
  test("renders clientID, keyvaultName and tenantID (not the deprecated tenantId) and no other identity mode", () => {
    const stack = scope();
    const { vault, identity } = platform(stack);
    vault.grantSecretRead(identity, { secrets: ["db-password", "db-user"] });
    new SecretProviderClass(stack, "spc", {
      name: "app-kv",
      namespace: "app",
      provider: { type: "azure", keyVault: vault, identity: { mode: "workloadIdentity", identity }, objects: [{ objectName: "db-user" }, { objectName: "db-password" }] },
    });
    const [m] = manifests(synthJson(stack));
    expect(m.apiVersion).toBe("secrets-store.csi.x-k8s.io/v1");
    expect(m.kind).toBe("SecretProviderClass");
    expect(m.metadata).toEqual({ name: "app-kv", namespace: "app" });
    expect(m.spec.provider).toBe("azure");
    const p = m.spec.parameters;
    expect(Object.keys(p).sort()).toEqual(["clientID", "keyvaultName", "objects", "tenantID"]);
    expect(p.keyvaultName).toBe("kv-test-1");
    expect(p.tenantID).toBe(TENANT);
    expect(p.clientID).toMatch(/^\$\{azurerm_user_assigned_identity\.app-identity_[0-9A-F]{8}\.client_id\}$/);
    expect(parseAzureObjects(p.objects)).toEqual([
      { objectName: "db-user", objectType: "secret" },
      { objectName: "db-password", objectType: "secret" },
    ]);
  });

  test("the pod-identity mode is refused, pointing at workload identity", () => {
    const stack = scope();
    expectProblem(() => new SecretProviderClass(stack, "spc", explicitAzure({ provider: { type: "azure", keyvaultName: "kv-x1", tenantId: TENANT, identity: { mode: "podIdentity" }, objects: [{ objectName: "a" }] } })), {
      path: "test/spc",
      field: "provider.identity.mode",
      value: "podIdentity",
      rule: /retired.*workloadIdentity/,
    });
  });

  test("the add-on identity is refused in workload identity mode, a workload identity in VM mode", () => {
    const stack = scope();
    const { cluster, vault, identity } = platform(stack);
    expectProblem(
      () => new SecretProviderClass(stack, "a", { name: "a", namespace: "app", provider: { type: "azure", keyVault: vault, identity: { mode: "workloadIdentity", identity: cluster.secretsProviderIdentity }, objects: [{ objectName: "x" }] } }),
      { field: "provider.identity.mode", rule: /vmManagedIdentity/ },
    );
    expectProblem(
      () => new SecretProviderClass(stack, "b", { name: "b", namespace: "app", provider: { type: "azure", keyVault: vault, identity: { mode: "vmManagedIdentity", identity }, objects: [{ objectName: "x" }] } }),
      { field: "provider.identity.mode", rule: /workload identity.*"workloadIdentity"/ },
    );
  });
});

describe("Azure provider, VM-assigned managed identity", () => {
  test("the add-on identity renders useVMManagedIdentity and userAssignedIdentityID", () => {
    const stack = scope();
    const { cluster, vault } = platform(stack);
    vault.grantSecretRead(cluster.secretsProviderIdentity, { secrets: ["s1"] });
    new SecretProviderClass(stack, "spc", {
      name: "addon-kv",
      namespace: "app",
      provider: { type: "azure", keyVault: vault, identity: { mode: "vmManagedIdentity", identity: cluster.secretsProviderIdentity }, objects: [{ objectName: "s1" }] },
    });
    const p = manifests(synthJson(stack))[0].spec.parameters;
    expect(p.useVMManagedIdentity).toBe("true");
    expect(p.userAssignedIdentityID).toBe("${azurerm_kubernetes_cluster.cluster_A4C38409.key_vault_secrets_provider[0].secret_identity[0].client_id}");
    expect(p.clientID).toBeUndefined();
    expect(p.usePodIdentity).toBeUndefined();
  });

  test("another VM-assigned identity given by client ID", () => {
    const stack = scope();
    new SecretProviderClass(stack, "spc", explicitAzure({ provider: { type: "azure", keyvaultName: "kv-x1", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "s" }] } }));
    const p = manifests(synthJson(stack))[0].spec.parameters;
    expect(p).toMatchObject({ keyvaultName: "kv-x1", tenantID: TENANT, useVMManagedIdentity: "true", userAssignedIdentityID: CLIENT });
  });
});

describe("Azure objects", () => {
  test("secret, key and cert objects with version, alias, encoding, format and permission parse back as declared", () => {
    const stack = scope();
    const version = "0123456789abcdef0123456789abcdef";
    new SecretProviderClass(stack, "spc", explicitAzure({
      provider: {
        type: "azure",
        keyvaultName: "kv-explicit",
        tenantId: TENANT,
        identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } },
        objects: [
          { objectName: "db-password", objectType: "secret", objectVersion: version, objectAlias: "password.txt", objectEncoding: "base64", filePermission: "0440" },
          { objectName: "signing", objectType: "key" },
          { objectName: "tls", objectType: "cert", objectFormat: "pem", objectAlias: "tls.pem" },
          { objectName: "tls", objectType: "secret", objectFormat: "pfx", objectEncoding: "base64", objectAlias: "tls.pfx" },
          { objectName: "rotating", objectVersionHistory: 3 },
          // Names YAML 1.1 would read as a boolean or a number stay strings.
          { objectName: "on" },
          { objectName: "0644" },
        ],
      },
    }));
    const m = manifests(synthJson(stack))[0];
    expect(parseAzureObjects(m.spec.parameters.objects)).toEqual([
      { objectName: "db-password", objectType: "secret", objectAlias: "password.txt", objectVersion: version, objectEncoding: "base64", filePermission: "0440" },
      { objectName: "signing", objectType: "key" },
      { objectName: "tls", objectType: "cert", objectAlias: "tls.pem", objectFormat: "pem" },
      { objectName: "tls", objectType: "secret", objectAlias: "tls.pfx", objectEncoding: "base64", objectFormat: "pfx" },
      { objectName: "rotating", objectType: "secret", objectVersionHistory: 3 },
      { objectName: "on", objectType: "secret" },
      { objectName: "0644", objectType: "secret" },
    ]);
  });

  test("the mounted file list follows aliases and version history", () => {
    const stack = scope();
    const spc = new SecretProviderClass(stack, "spc", explicitAzure({
      provider: { type: "azure", keyvaultName: "kv-explicit", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "a", objectAlias: "a.txt" }, { objectName: "b", objectVersionHistory: 2 }] },
    }));
    expect(spc.files.map((f) => f.fileName)).toEqual(["a.txt", "b/0", "b/1"]);
  });

  test("encoding and pfx apply to secrets only; versions are 32 hex characters", () => {
    const stack = scope();
    const problems = expectProblems(() =>
      new SecretProviderClass(stack, "spc", explicitAzure({
        provider: {
          type: "azure",
          keyvaultName: "kv-explicit",
          tenantId: TENANT,
          identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } },
          objects: [
            { objectName: "k", objectType: "key", objectEncoding: "hex" },
            { objectName: "c", objectType: "cert", objectFormat: "pfx" },
            { objectName: "v", objectVersion: "latest" },
            { objectName: "p", filePermission: "rw-r--r--" },
          ],
        },
      })),
    );
    expect(problems.map((p) => p.field)).toEqual(["provider.objects[0].objectEncoding", "provider.objects[1].objectFormat", "provider.objects[2].objectVersion", "provider.objects[3].filePermission"]);
  });
});

describe("synced Secrets (secretObjects)", () => {
  const keysFor: Record<string, string[]> = {
    Opaque: ["anything"],
    "kubernetes.io/basic-auth": ["username", "password"],
    "bootstrap.kubernetes.io/token": ["token-id", "token-secret"],
    "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
    "kubernetes.io/dockercfg": [".dockercfg"],
    "kubernetes.io/ssh-auth": ["ssh-privatekey"],
    "kubernetes.io/service-account-token": ["token"],
    "kubernetes.io/tls": ["tls.crt", "tls.key"],
  };

  test("every type the driver supports renders with its data, labels and annotations, and conforms to the CRD", () => {
    expect(Object.keys(keysFor).sort()).toEqual([...SYNCED_SECRET_TYPES].sort());
    const stack = scope();
    const objects = Object.entries(keysFor).flatMap(([t, keys]) => keys.map((k) => ({ objectName: `${slug(t)}-${slug(k)}` })));
    new SecretProviderClass(stack, "spc", explicitAzure({
      provider: { type: "azure", keyvaultName: "kv-explicit", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects },
      secretObjects: Object.entries(keysFor).map(([t, keys]) => ({
        secretName: `synced-${slug(t)}`,
        type: t as any,
        labels: { team: "payments" },
        annotations: (t === "kubernetes.io/service-account-token" ? { "kubernetes.io/service-account.name": "app" } : { "example.com/owner": "payments" }) as Record<string, string>,
        data: keys.map((k) => ({ objectName: `${slug(t)}-${slug(k)}`, key: k })),
      })),
    }));
    const m = manifests(synthJson(stack))[0];
    expect(m.spec.secretObjects).toHaveLength(SYNCED_SECRET_TYPES.length);
    const tls = m.spec.secretObjects.find((s: any) => s.type === "kubernetes.io/tls");
    expect(tls).toEqual({
      secretName: "synced-kubernetes-io-tls",
      type: "kubernetes.io/tls",
      labels: { team: "payments" },
      annotations: { "example.com/owner": "payments" },
      data: [
        { objectName: "kubernetes-io-tls-tls-crt", key: "tls.crt" },
        { objectName: "kubernetes-io-tls-tls-key", key: "tls.key" },
      ],
    });
    expect(runConformance(stack)).toMatch(/1 of 1 manifests conform/);
  });

  test("Opaque is the default type", () => {
    const stack = scope();
    new SecretProviderClass(stack, "spc", explicitAzure({ secretObjects: [{ secretName: "s", data: [{ objectName: "db-password", key: "password" }] }] }));
    expect(manifests(synthJson(stack))[0].spec.secretObjects[0].type).toBe("Opaque");
  });

  test("a type's required keys are enforced (tls needs tls.crt and tls.key)", () => {
    const stack = scope();
    expectProblem(() => new SecretProviderClass(stack, "spc", explicitAzure({ secretObjects: [{ secretName: "s", type: "kubernetes.io/tls", data: [{ objectName: "db-password", key: "tls.crt" }] }] })), {
      field: "secretObjects[0].data",
      rule: /needs the key "tls.key"/,
    });
  });
});

describe("bad input is rejected at synth, naming path, field, value and rule", () => {
  test("duplicate file names after aliases", () => {
    const stack = scope();
    expectProblem(
      () =>
        new SecretProviderClass(stack, "spc", explicitAzure({
          provider: { type: "azure", keyvaultName: "kv-explicit", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "password" }, { objectName: "db-password", objectAlias: "password" }] },
        })),
      { path: "test/spc", field: "provider.objects", value: "password", rule: /same file.*objectAlias/ },
    );
  });

  test("a synced key that names an object that is not mounted", () => {
    const stack = scope();
    expectProblem(() => new SecretProviderClass(stack, "spc", explicitAzure({ secretObjects: [{ secretName: "s", data: [{ objectName: "db-passwd", key: "password" }] }] })), {
      field: "secretObjects[0].data[0].objectName",
      value: "db-passwd",
      rule: /not mounted.*"db-password"/,
    });
  });

  test("a synced key naming the object instead of its alias", () => {
    const stack = scope();
    expectProblem(
      () =>
        new SecretProviderClass(stack, "spc", explicitAzure({
          provider: { type: "azure", keyvaultName: "kv-explicit", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "db-password", objectAlias: "pw" }] },
          secretObjects: [{ secretName: "s", data: [{ objectName: "db-password", key: "password" }] }],
        })),
      { field: "secretObjects[0].data[0].objectName", rule: /objectAlias when set/ },
    );
  });

  test("an unsupported Secret type", () => {
    const stack = scope();
    expectProblem(() => new SecretProviderClass(stack, "spc", explicitAzure({ secretObjects: [{ secretName: "s", type: "kubernetes.io/custom" as any, data: [{ objectName: "db-password", key: "p" }] }] })), {
      field: "secretObjects[0].type",
      value: "kubernetes.io/custom",
      rule: /^must be one of .*"kubernetes.io\/basic-auth".*"Opaque"/,
    });
  });

  test("names that are not valid Kubernetes names", () => {
    const stack = scope();
    const problems = expectProblems(() =>
      new SecretProviderClass(stack, "spc", explicitAzure({ name: "App_KV", namespace: "Team.A", secretObjects: [{ secretName: "Synced!", data: [{ objectName: "db-password", key: "bad key" }] }] })),
    );
    expect(problems.map((p) => [p.field, p.value])).toEqual([
      ["name", '"App_KV"'],
      ["namespace", '"Team.A"'],
      ["secretObjects[0].secretName", '"Synced!"'],
      ["secretObjects[0].data[0].key", '"bad key"'],
    ]);
  });

  test("a tenant ID that is not a GUID", () => {
    const stack = scope();
    expectProblem(
      () => new SecretProviderClass(stack, "spc", explicitAzure({ provider: { type: "azure", keyvaultName: "kv-explicit", tenantId: "contoso.onmicrosoft.com", identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "a" }] } })),
      { field: "provider.tenantId", value: "contoso.onmicrosoft.com", rule: /GUID/ },
    );
  });

  test("a vault given neither as construct nor by name", () => {
    const stack = scope();
    const problems = expectProblems(() => new SecretProviderClass(stack, "spc", explicitAzure({ provider: { type: "azure", identity: { mode: "workloadIdentity", identity: { clientId: CLIENT } }, objects: [{ objectName: "a" }] } })));
    expect(problems.map((p) => p.field)).toEqual(["provider.keyvaultName", "provider.tenantId"]);
  });

  test("an identity without a read grant on a mounted secret fails the tree validation, and nothing is written", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "spc-grant-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "test");
    new KubernetesProvider(stack, "kubernetes", {});
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    const { vault, identity } = platform(stack);
    vault.grantSecretRead(identity, { secrets: ["granted"] });
    new SecretProviderClass(stack, "spc", { name: "app-kv", namespace: "app", provider: { type: "azure", keyVault: vault, identity: { mode: "workloadIdentity", identity }, objects: [{ objectName: "granted" }, { objectName: "other" }] } });
    const problems = expectProblems(() => {
      validateTree(app);
      app.synth();
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: "test/spc", field: "provider.objects[1].objectName", value: '"other"', rule: expect.stringMatching(/test\/app-identity has no read grant.*grantSecretRead/) }),
    ]);
    // The App makes an empty stacks/ folder on construction; no stack and no manifest were written.
    expect(fs.readdirSync(outdir)).toEqual(["stacks"]);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual([]);
  });
});

describe("HashiCorp Vault provider", () => {
  test("renders the parameters and objects the Vault CSI provider parses", () => {
    const stack = scope();
    new SecretProviderClass(stack, "spc", {
      name: "app-vault",
      namespace: "app",
      provider: {
        type: "vault",
        roleName: "app",
        vaultAddress: "https://vault.example.internal:8200",
        vaultNamespace: "admin",
        vaultAuthMountPath: "jwt-aks",
        audience: "vault",
        objects: [
          { objectName: "db-password", secretPath: "secret/data/db", secretKey: "password", filePermission: "0440" },
          { objectName: "db-creds.json", secretPath: "database/creds/app", method: "POST", secretArgs: { ttl: "1h" }, encoding: "utf-8" },
        ],
      },
      secretObjects: [{ secretName: "db", data: [{ objectName: "db-password", key: "password" }] }],
    });
    const m = manifests(synthJson(stack))[0];
    expect(m.spec.provider).toBe("vault");
    const { objects, ...rest } = m.spec.parameters;
    expect(rest).toEqual({ roleName: "app", vaultAddress: "https://vault.example.internal:8200", vaultNamespace: "admin", vaultAuthMountPath: "jwt-aks", audience: "vault" });
    expect(parse(objects, { version: "1.1" })).toEqual([
      { objectName: "db-password", secretPath: "secret/data/db", secretKey: "password", filePermission: 0o440 },
      { objectName: "db-creds.json", secretPath: "database/creds/app", method: "POST", secretArgs: { ttl: "1h" }, encoding: "utf-8" },
    ]);
  });

  test("objects missing their required fields, duplicate object names, and skipping TLS without a reason", () => {
    const stack = scope();
    const problems = expectProblems(() =>
      new SecretProviderClass(stack, "spc", {
        name: "app-vault",
        namespace: "app",
        provider: {
          type: "vault",
          roleName: "",
          vaultAddress: "http://vault:8200",
          skipTlsVerify: { reason: "lab" },
          objects: [{ objectName: "a", secretPath: "" }, { objectName: "", secretPath: "secret/data/b" }, { objectName: "a", secretPath: "secret/data/c" }],
        },
      }),
    );
    expect(problems.map((p) => p.field)).toEqual([
      "provider.roleName",
      "provider.vaultAddress",
      "provider.skipTlsVerify.reason",
      "provider.objects[0].secretPath",
      "provider.objects[1].objectName",
      "provider.objects",
    ]);
  });
});

describe("AWS provider", () => {
  test("renders Secrets Manager and SSM objects with jmesPath as the AWS provider parses them", () => {
    const stack = scope();
    const spc = new SecretProviderClass(stack, "spc", {
      name: "app-aws",
      namespace: "app",
      provider: {
        type: "aws",
        region: "eu-west-1",
        objects: [
          { objectName: "prod/db", objectType: "secretsmanager", jmesPath: [{ path: "username", objectAlias: "db-user" }, { path: "password", objectAlias: "db-password" }] },
          { objectName: "/app/feature-flag", objectType: "ssmparameter", objectAlias: "flag" },
          { objectName: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-AbCdEf" },
        ],
      },
      secretObjects: [{ secretName: "db", type: "kubernetes.io/basic-auth", data: [{ objectName: "db-user", key: "username" }, { objectName: "db-password", key: "password" }] }],
    });
    const m = manifests(synthJson(stack))[0];
    expect(m.spec.provider).toBe("aws");
    expect(m.spec.parameters.region).toBe("eu-west-1");
    expect(parse(m.spec.parameters.objects, { version: "1.1" })).toEqual([
      { objectName: "prod/db", objectType: "secretsmanager", jmesPath: [{ path: "username", objectAlias: "db-user" }, { path: "password", objectAlias: "db-password" }] },
      { objectName: "/app/feature-flag", objectType: "ssmparameter", objectAlias: "flag" },
      { objectName: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-AbCdEf" },
    ]);
    // ASCP names the file after the whole objectName, an ARN included ('/' translated; provider/secret_descriptor.go GetFileName).
    expect(spc.files.map((f) => f.fileName)).toEqual(["prod_db", "db-user", "db-password", "flag", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key-AbCdEf"]);
  });

  test("objects missing their required fields", () => {
    const stack = scope();
    const problems = expectProblems(() =>
      new SecretProviderClass(stack, "spc", {
        name: "app-aws",
        namespace: "app",
        provider: { type: "aws", objects: [{ objectName: "prod/db" }, { objectName: "x", objectType: "secretsmanager", jmesPath: [{ path: "", objectAlias: "" }] }] },
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(["provider.objects[0].objectType", "provider.objects[1].jmesPath[0].path", "provider.objects[1].jmesPath[0].objectAlias"]);
  });
});

test("every provider and identity mode passes the upstream CRD conformance check", () => {
  const stack = scope();
  const { cluster, vault, identity } = platform(stack);
  vault.grantSecretRead(identity, { secrets: ["a"] });
  vault.grantSecretRead(cluster.secretsProviderIdentity, { secrets: ["a"] });
  new SecretProviderClass(stack, "wi", { name: "wi", namespace: "app", provider: { type: "azure", keyVault: vault, identity: { mode: "workloadIdentity", identity }, objects: [{ objectName: "a" }] }, secretObjects: [{ secretName: "wi", data: [{ objectName: "a", key: "a" }] }] });
  new SecretProviderClass(stack, "vm", { name: "vm", namespace: "app", labels: { team: "x" }, provider: { type: "azure", keyVault: vault, identity: { mode: "vmManagedIdentity", identity: cluster.secretsProviderIdentity }, objects: [{ objectName: "a" }] } });
  new SecretProviderClass(stack, "hashicorp", { name: "vault", namespace: "app", provider: { type: "vault", roleName: "r", vaultAddress: "https://v:8200", objects: [{ objectName: "a", secretPath: "secret/data/a", secretKey: "k" }] } });
  new SecretProviderClass(stack, "aws", { name: "aws", namespace: "app", provider: { type: "aws", region: "us-east-1", objects: [{ objectName: "a", objectType: "secretsmanager" }] } });
  new TerraformOutput(stack, "o", { value: "x" });
  expect(runConformance(stack)).toMatch(/4 of 4 manifests conform/);
});

function runConformance(stack: TerraformStack): string {
  Testing.synth(stack, true); // validations first
  const outdir = Testing.fullSynth(stack);
  // Fails (does not skip) when the script is missing.
  return execFileSync("node", [CONFORMANCE, outdir], { encoding: "utf8" });
}

function slug(s: string): string {
  return s.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "").toLowerCase();
}

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { App, Testing, TerraformStack, TerraformVariable } from "cdktf";
import { buildSync } from "esbuild";
import { parse } from "yaml";
import { AwsSecretsBinding, AwsSecretsBindingProps, EksCluster, IrsaRole, IrsaServiceAccount } from "../../eks";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { validateTree } from "../../core/validation";
import { applyWiringChecks, wiringChecks, wiringReport } from "../../verify/wiring";
import { CONFORMANCE, expectProblem, only, resources, TfJson } from "../helpers";

const ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** One stack with the aws and kubernetes providers (bring your own EKS cluster, both sides in one stack). */
function eksStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}
const CLUSTERS = new WeakMap<TerraformStack, EksCluster>();
/** The stack's EKS cluster (one per stack). */
const cluster = (stack: TerraformStack): EksCluster => {
  let c = CLUSTERS.get(stack);
  if (!c) CLUSTERS.set(stack, (c = EksCluster.fromClusterAttributes(stack, "eks", { clusterName: "shop", oidcProviderArn: PROVIDER_ARN, oidcIssuerUrl: ISSUER })));
  return c;
};
/**
 * Builds in a bring-your-own-EKS stack, with the driver and ASCP in a system stack before it (a
 * class needs its CRD at plan time), the wiring checks on; validates the whole app and synthesizes the stack.
 */
function synth(build: (stack: TerraformStack) => void): TfJson {
  const stack = eksStack();
  const system = new TerraformStack(stack.node.root as App, "eks-system");
  new KubernetesProvider(system, "kubernetes", {});
  new HelmProvider(system, "helm", {});
  build(stack);
  cluster(stack).secretsStore(system);
  cluster(stack).secretsStore(stack);
  applyWiringChecks(stack);
  validateTree(stack.node.root);
  return JSON.parse(Testing.synth(stack, true));
}
const data = (tf: TfJson, id: string) => Object.entries(tf.data!.aws_iam_policy_document).find(([k]) => k.includes(id))![1] as any;
const manifestsOf = (tf: TfJson) => Object.values(resources(tf, "kubernetes_manifest")).map((r: any) => r.manifest);

describe("EksCluster.fromClusterAttributes", () => {
  test("derives the condition-key prefix, region, account and partition from the issuer and provider ARN", () => {
    const c = cluster(eksStack());
    expect([c.oidcIssuerHost, c.region, c.account, c.partition]).toEqual(["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "eu-west-1", "111122223333", "aws"]);
  });

  test("refuses a provider ARN of another issuer (IAM would refuse every token)", () => {
    expectProblem(() => EksCluster.fromClusterAttributes(eksStack(), "eks", { clusterName: "shop", oidcProviderArn: PROVIDER_ARN.replace("EXAMPLED539", "OTHERD539"), oidcIssuerUrl: ISSUER }), {
      field: "oidcProviderArn",
      rule: /is the provider of .*OTHERD539.*, not of this issuer/,
    });
  });

  test("values of another stack (tokens) are split by Terraform", () => {
    const stack = eksStack();
    const arn = new TerraformVariable(stack, "oidc_provider_arn", { type: "string" }).stringValue;
    const issuer = new TerraformVariable(stack, "issuer", { type: "string" }).stringValue;
    const c = EksCluster.fromClusterAttributes(stack, "eks", { clusterName: "shop", oidcProviderArn: arn, oidcIssuerUrl: issuer });
    new IrsaRole(stack, "role", { cluster: c, namespace: "shop", serviceAccountName: "orders" }).grantSecretsManagerRead(["orders/db"]);
    const tf = JSON.parse(Testing.synth(stack));
    expect(data(tf, "role_trust").statement[0].condition[0].variable).toBe('${replace(var.issuer, "https://", "")}:sub');
    expect(data(tf, "role_read").statement[0].resources).toEqual(['arn:${element(split(":", var.oidc_provider_arn), 1)}:secretsmanager:${element(split(".", replace(var.issuer, "https://", "")), 2)}:${element(split(":", var.oidc_provider_arn), 4)}:secret:orders/db-??????']);
  });
});

describe("IrsaRole", () => {
  test("trusts exactly system:serviceaccount:NS:SA with audience sts.amazonaws.com, through the cluster's OIDC provider", () => {
    const tf = synth((s) => void new IrsaRole(s, "role", { cluster: cluster(s), namespace: "shop", serviceAccountName: "orders" }));
    expect(data(tf, "role_trust").statement).toEqual([
      {
        sid: "ServiceAccount",
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [PROVIDER_ARN] }],
        condition: [
          { test: "StringEquals", variable: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub", values: ["system:serviceaccount:shop:orders"] },
          { test: "StringEquals", variable: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud", values: ["sts.amazonaws.com"] },
        ],
      },
    ]);
    const role = only(tf, "aws_iam_role");
    expect(role.name).toBe("shop-shop-orders");
    expect(role.assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\.role_trust_\w+\.json\}$/);
    // No grant, no policy: the role can read nothing.
    expect(resources(tf, "aws_iam_role_policy")).toEqual({});
  });

  test("a derived name longer than IAM's 64 characters is shortened with a hash, never refused", () => {
    const tf = synth((s) => void new IrsaRole(s, "role", { cluster: cluster(s), namespace: "a-very-long-namespace-name-for-the-team", serviceAccountName: "an-equally-long-service-account-name" }));
    expect(only(tf, "aws_iam_role").name).toMatch(/^shop-a-very-long-namespace-name-for-the-team-an-equally-[0-9a-f]{8}$/);
    expect(only(tf, "aws_iam_role").name.length).toBe(64);
  });

  test("a secret by ARN is granted as is; a name as its ARN with Secrets Manager's six random characters", () => {
    const tf = synth((s) => {
      const role = new IrsaRole(s, "role", { cluster: cluster(s), namespace: "shop", serviceAccountName: "orders" });
      role.grantSecretsManagerRead(["orders/db", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared-AbCdEf"]);
      role.grantParameterRead(["/orders/flag", "plain"]);
    });
    expect(data(tf, "role_read").statement).toEqual([
      { sid: "SecretsManagerRead", effect: "Allow", actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-??????", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared-AbCdEf"] },
      { sid: "ParameterStoreRead", effect: "Allow", actions: ["ssm:GetParameters"], resources: ["arn:aws:ssm:eu-west-1:111122223333:parameter/orders/flag", "arn:aws:ssm:eu-west-1:111122223333:parameter/plain"] },
    ]);
    expect(only(tf, "aws_iam_role_policy")).toMatchObject({ name: "secrets-read", role: expect.stringMatching(/^\$\{aws_iam_role\.role_\w+\.id\}$/) });
  });

  test("an ARN of another region than the one read in is refused (ASCP refuses it at mount)", () => {
    expectProblem(
      () => synth((s) => new IrsaRole(s, "role", { cluster: cluster(s), namespace: "shop", serviceAccountName: "orders" }).grantSecretsManagerRead(["arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf"])),
      { field: "grantSecretsManagerRead[0]", rule: /is an ARN of region us-east-1, read in eu-west-1/ },
    );
  });
});

describe("AwsSecretsBinding: role, policy, service account, class and pod pieces for one workload", () => {
  const props = (c: EksCluster): AwsSecretsBindingProps => ({
    cluster: c,
    namespace: "shop",
    serviceAccountName: "orders",
    failoverRegion: "eu-central-1",
    kmsKeyArns: [KEY_ARN],
    objects: [
      { objectName: "orders/db", objectType: "secretsmanager", objectAlias: "db", jmesPath: [{ path: "username", objectAlias: "db-user" }, { path: "password", objectAlias: "db-password" }], failoverObject: { objectName: "orders/db-replica" } },
      { objectName: "/orders/api-key", objectType: "ssmparameter", objectAlias: "api-key" },
    ],
    sync: { keys: { "db-user": "username", "db-password": "password" }, type: "kubernetes.io/basic-auth" },
  });
  let binding!: AwsSecretsBinding;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  binding = new AwsSecretsBinding(stack, "orders", props(cluster(stack)));
  validateTree(app);
  app.synth();
  const tf: TfJson = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "team", "cdk.tf.json"), "utf8"));
  const roleKey = Object.keys(resources(tf, "aws_iam_role"))[0];

  test("the policy covers every mounted object, in the region and the failover region, and nothing else", () => {
    expect(data(tf, "orders_role_read").statement).toEqual([
      {
        sid: "SecretsManagerRead",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        resources: ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-??????", "arn:aws:secretsmanager:eu-central-1:111122223333:secret:orders/db-replica-??????"],
      },
      { sid: "ParameterStoreRead", effect: "Allow", actions: ["ssm:GetParameters"], resources: ["arn:aws:ssm:eu-west-1:111122223333:parameter/orders/api-key", "arn:aws:ssm:eu-central-1:111122223333:parameter/orders/api-key"] },
      {
        sid: "KmsDecryptThroughSecretServices",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: [KEY_ARN],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.eu-west-1.amazonaws.com", "secretsmanager.eu-central-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com", "ssm.eu-central-1.amazonaws.com"] }],
      },
    ]);
    expect(binding.grants.map((g) => `${g.region} ${g.objectName}`)).toEqual(["eu-west-1 orders/db", "eu-central-1 orders/db-replica", "eu-west-1 /orders/api-key", "eu-central-1 /orders/api-key"]);
  });

  test("the service account is annotated with the role's ARN (a reference) and trusted by it", () => {
    const sa = only(tf, "kubernetes_service_account_v1");
    expect(sa.metadata).toEqual({ name: "orders", namespace: "shop", annotations: { "eks.amazonaws.com/role-arn": `\${aws_iam_role.${roleKey}.arn}` } });
    expect(sa.automount_service_account_token).toBe(false);
    expect(data(tf, "orders_role_trust").statement[0].condition[0].values).toEqual(["system:serviceaccount:shop:orders"]);
  });

  test("the aws class: region written, failover region, objects with jmesPath and failoverObject, the synced Secret", () => {
    const m = manifestsOf(tf).find((x) => x.kind === "SecretProviderClass");
    expect(m.metadata).toEqual({ name: "orders-aws", namespace: "shop" });
    expect(m.spec.provider).toBe("aws");
    expect(m.spec.parameters.region).toBe("eu-west-1");
    expect(m.spec.parameters.failoverRegion).toBe("eu-central-1");
    expect(parse(m.spec.parameters.objects)).toEqual([
      { objectName: "orders/db", objectType: "secretsmanager", objectAlias: "db", jmesPath: [{ path: "username", objectAlias: "db-user" }, { path: "password", objectAlias: "db-password" }], failoverObject: { objectName: "orders/db-replica" } },
      { objectName: "/orders/api-key", objectType: "ssmparameter", objectAlias: "api-key" },
    ]);
    expect(m.spec.secretObjects).toEqual([{ secretName: "orders-aws", type: "kubernetes.io/basic-auth", data: [{ objectName: "db-user", key: "username" }, { objectName: "db-password", key: "password" }] }]);
  });

  test("the pod pieces run as the IRSA service account, with no workload identity label", () => {
    expect(binding.pod.toPodTemplate({ env: [{ name: "DB_PASSWORD", key: "password" }] })).toEqual({
      metadata: {},
      spec: {
        serviceAccountName: "orders",
        volumes: [{ name: "orders-aws", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "orders-aws" } } }],
        containers: [{ name: "app", volumeMounts: [{ name: "orders-aws", mountPath: "/mnt/secrets-store", readOnly: true }], env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "orders-aws", key: "password" } } }] }],
      },
    });
  });

  test("the class passes the CRD conformance check", () => {
    expect(() => execFileSync(process.execPath, [CONFORMANCE, outdir], { stdio: "pipe" })).not.toThrow();
  });
});

describe("wiring on EKS", () => {
  test("a service account the role does not trust is refused (STS would refuse the token)", () => {
    expectProblem(
      () =>
        synth((s) => {
          const role = new IrsaRole(s, "role", { cluster: cluster(s), namespace: "shop", serviceAccountName: "orders" });
          new IrsaServiceAccount(s, "sa", { role, namespace: "shop", name: "payments" });
        }),
      { field: "role", rule: /trusts system:serviceaccount:shop:orders, not system:serviceaccount:shop:payments/ },
    );
  });

  test("pods of an IRSA service account mounting an object its role may not read: refused at synth (AccessDeniedException at mount)", () => {
    expectProblem(
      () =>
        synth((s) => {
          const role = new IrsaRole(s, "role", { cluster: cluster(s), namespace: "shop", serviceAccountName: "orders" });
          role.grantSecretsManagerRead(["orders/db"]);
          const sa = new IrsaServiceAccount(s, "sa", { role, namespace: "shop" });
          const spc = new SecretProviderClass(s, "spc", { name: "orders", namespace: "shop", provider: { type: "aws", objects: [{ objectName: "orders/db", objectType: "secretsmanager" }, { objectName: "payments/key", objectType: "secretsmanager" }] } });
          new PodSecretsMount(spc, { serviceAccount: sa });
        }),
      { path: "team/spc", field: "provider.objects[1].objectName", value: "payments/key", rule: /whose IAM role team\/role may not read it in eu-west-1: the mount fails with AccessDeniedException/ },
    );
  });

  test("pods of an aws class running as a service account without a role: refused (ASCP needs the annotation)", () => {
    expectProblem(
      () =>
        synth((s) => {
          const spc = new SecretProviderClass(s, "spc", { name: "orders", namespace: "shop", provider: { type: "aws", objects: [{ objectName: "orders/db", objectType: "secretsmanager" }] } });
          new ServiceAccountV1(s, "plain", { metadata: { name: "orders", namespace: "shop" } });
          new PodSecretsMount(spc, { serviceAccount: "orders" });
        }),
      { path: "team/spc", field: "podSecrets.serviceAccount", value: "orders", rule: /has no eks.amazonaws.com\/role-arn annotation: ASCP refuses the mount/ },
    );
  });

  test("the checks are in the catalog", () => {
    expect(wiringChecks().map((c) => c.id)).toEqual(expect.arrayContaining(["AKSW-AWS1", "AKSW-AWS2"]));
  });

  test("with role.grantRead(class) the hand-assembled pieces pass, in both regions of a failover class", () => {
    expect(() =>
      synth((s) => {
        const role = new IrsaRole(s, "role", { cluster: cluster(s), namespace: "shop", serviceAccountName: "orders" });
        const sa = new IrsaServiceAccount(s, "sa", { role, namespace: "shop" });
        const spc = new SecretProviderClass(s, "spc", { name: "orders", namespace: "shop", provider: { type: "aws", failoverRegion: "eu-central-1", objects: [{ objectName: "orders/db", objectType: "secretsmanager" }] } });
        role.grantRead(spc);
        new PodSecretsMount(spc, { serviceAccount: sa });
      }),
    ).not.toThrow();
  });

  test("an aws class mounted without a service account is refused (ASCP needs the role annotation)", () => {
    expectProblem(
      () =>
        synth((s) => {
          const spc = new SecretProviderClass(s, "spc", { name: "x", namespace: "shop", provider: { type: "aws", region: "eu-west-1", objects: [{ objectName: "x", objectType: "secretsmanager" }] } });
          new PodSecretsMount(spc);
        }),
      { field: "podSecrets.serviceAccount", rule: /ASCP reads the IAM role from the pod's service account/ },
    );
  });
});

describe("the driver and ASCP on the EKS cluster, installed by what the classes need", () => {
  test("system stack: the pinned driver (rotation, sts.amazonaws.com token) and ASCP once; the apps stack's class deploys after them", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-store-"));
    const app = new App({ outdir, stackTraces: false });
    const system = new TerraformStack(app, "eks-system");
    new KubernetesProvider(system, "kubernetes", {});
    new HelmProvider(system, "helm", {});
    const apps = new TerraformStack(app, "eks-apps");
    new AwsProvider(apps, "aws", { region: "eu-west-1" });
    new KubernetesProvider(apps, "kubernetes", {});
    const eks = cluster(apps);
    const store = eks.secretsStore(system, { install: ["aws"] });
    expect(eks.secretsStore(apps)).toBe(store);
    const orders = new AwsSecretsBinding(apps, "orders", { cluster: eks, namespace: "shop", serviceAccountName: "orders", objects: ["orders/db"] });
    new AwsSecretsBinding(apps, "payments", { cluster: eks, namespace: "pay", serviceAccountName: "payments", objects: ["payments/key"] });
    validateTree(app);
    app.synth();
    const sys: TfJson = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "eks-system", "cdk.tf.json"), "utf8"));
    const releases = Object.values(resources(sys, "helm_release")) as any[];
    expect(releases.map((r) => [r.chart, r.version]).sort()).toEqual([
      ["secrets-store-csi-driver", "1.6.0"],
      ["secrets-store-csi-driver-provider-aws", "3.1.1"],
    ]);
    const driverValues = parse(releases.find((r) => r.chart === "secrets-store-csi-driver").values[0]);
    expect(driverValues).toMatchObject({ enableSecretRotation: true, rotationPollInterval: "2m", tokenRequests: [{ audience: "sts.amazonaws.com" }] });
    expect(parse(releases.find((r) => r.chart === "secrets-store-csi-driver-provider-aws").values[0])).toMatchObject({ "secrets-store-csi-driver": { install: false } });
    expect(apps.dependencies).toContain(system);
    expect(store.servedBy(orders.secretProviderClass)).toMatchObject({ kind: "chart", installer: store.provider("aws") });
    // The wiring report follows the path: class -> service account -> IAM role -> Secrets Manager, verified.
    const report = wiringReport(app);
    expect(report.problems).toEqual([]);
    expect(report.paths.find((x) => x.via === "SecretProviderClass shop/orders-aws")).toMatchObject({
      store: "aws",
      storeLabel: "AWS Secrets Manager / SSM (eu-west-1)",
      identityMode: "irsa",
      identity: "IAM role eks-apps/orders/role",
      serviceAccounts: ["shop/orders"],
      secrets: ["orders/db"],
      verified: true,
    });
  });
});

describe("the package root does not load the optional AWS bindings", () => {
  // Inside the repository, so the bundle resolves the packages from its node_modules.
  const gen = path.resolve(__dirname, "../../.gen/lazy-aws");
  fs.mkdirSync(gen, { recursive: true });
  /** Bundles `entry` (our sources only; packages stay external) and reports which @cdktf modules loading it pulled in. */
  const loaded = (entry: string): string[] => {
    const outfile = path.join(gen, `${path.basename(entry, ".ts")}.js`);
    buildSync({ entryPoints: [path.resolve(__dirname, "../..", entry)], outfile, bundle: true, platform: "node", format: "cjs", packages: "external", logLevel: "error" });
    const probe = `require(${JSON.stringify(outfile)}); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("@cdktf/provider-aws"))));`;
    return JSON.parse(execFileSync(process.execPath, ["-e", probe], { cwd: path.resolve(__dirname, "../.."), encoding: "utf8" }));
  };

  test("loading index.ts leaves @cdktf/provider-aws out of require.cache; loading eks.ts loads only the per-resource modules it uses", () => {
    expect(loaded("index.ts")).toEqual([]);
    const eks = loaded("eks.ts").map((k) => k.replace(/^.*@cdktf\/provider-aws\//, ""));
    expect(eks.length).toBeGreaterThan(0);
    expect(eks).not.toContain("lib/index.js");
    expect(eks.every((k) => /^lib\/(iam-role|iam-role-policy|data-aws-iam-policy-document)\/index\.js$/.test(k))).toBe(true);
  });
});

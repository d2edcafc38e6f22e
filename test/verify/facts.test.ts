// Verification by facts: a construct defined only in this file publishes facts, and the wiring
// checks verify it without any edit under verify/; a new fact kind with a new check registered
// from here runs in the same analysis; and no file under verify/ imports a construct module.
import fs from "node:fs";
import path from "node:path";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { KeyVault } from "../../constructs/azure/key-vault";
import { IPrincipal } from "../../constructs/azure/principal";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { defineFact, publishFact } from "../../core/facts";
import { AZURE_FEDERATION, AZURE_IDENTITY } from "../../core/facts-azure";
import { IssuerRef } from "../../core/facts-cluster";
import { serviceAccountSubject } from "../../core/facts-kubernetes";
import { validateTree, ValidationError, ValidationProblem } from "../../core/validation";
import { allowUnverifiedWiring, applyWiringChecks, registerWiringCheck, wiringChecks, wiringReport } from "../../verify/wiring";
import { ClusterStack } from "../../stacks/cluster-stack";

const TENANT = "11111111-2222-3333-4444-555555555555";

/**
 * An identity of another kind than WorkloadIdentity (say, one a platform team's own library
 * makes), known to the checks only through the facts it publishes: an identity that is
 * federated, and each subject it trusts.
 */
class TeamIdentity extends Construct implements IPrincipal {
  readonly principalKind = "workload-identity" as const;
  readonly owner = this;
  readonly clientId: string;
  readonly principalId: string;
  constructor(scope: Construct, id: string, private readonly issuer: IssuerRef) {
    super(scope, id);
    const uai = new UserAssignedIdentity(this, "identity", { name: `id-${id}`, resourceGroupName: "rg-facts", location: "westeurope" });
    this.clientId = uai.clientId;
    this.principalId = uai.principalId;
    publishFact(this, AZURE_IDENTITY, { identity: this, federated: true });
  }
  trust(namespace: string, name: string): void {
    // (A real one would create the federated identity credential here.)
    publishFact(this, AZURE_FEDERATION, { identity: this, name: `${namespace}-${name}`, namespace, serviceAccountName: name, subject: serviceAccountSubject(namespace, name), issuer: this.issuer, issuerUrl: this.issuer.oidcIssuerUrl, audiences: ["api://AzureADTokenExchange"] });
  }
}

function world() {
  const app = Testing.app();
  const platform = new TerraformStack(app, "platform");
  new AzurermProvider(platform, "azurerm", { features: [{}] });
  const cluster = new AksCluster(platform, "cluster", { name: "aks-facts", resourceGroupName: "rg-facts", location: "westeurope", nodeSubnetId: "/subscriptions/x/resourceGroups/rg-facts/providers/Microsoft.Network/virtualNetworks/v/subnets/s", apiServerAccess: { mode: "private" } });
  const other = new AksCluster(platform, "other", { name: "aks-other", resourceGroupName: "rg-facts", location: "westeurope", nodeSubnetId: "/subscriptions/x/resourceGroups/rg-facts/providers/Microsoft.Network/virtualNetworks/v/subnets/o", apiServerAccess: { mode: "private" } });
  const vault = new KeyVault(platform, "vault", { name: "kv-facts-0001", resourceGroupName: "rg-facts", location: "westeurope", tenantId: TENANT, secrets: ["db"] });
  const k8s = new ClusterStack(app, "k8s", { cluster });
  return { app, platform, cluster, other, vault, k8s };
}

function problems(app: App): ValidationProblem[] {
  applyWiringChecks(app);
  try {
    validateTree(app);
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
}

/** A class that mounts `db` through `identity`, its pods running as a service account annotated for it. */
function mountThrough(w: ReturnType<typeof world>, identity: TeamIdentity) {
  const sa = new WorkloadServiceAccount(w.k8s, "sa", { identity, namespace: "shop", name: "orders" });
  const spc = new SecretProviderClass(w.k8s, "spc", { name: "orders-kv", namespace: "shop", provider: { type: "azure", keyVault: w.vault, identity: { mode: "workloadIdentity", identity }, objects: [{ objectName: "db" }] } });
  new PodSecretsMount(spc, { serviceAccount: sa });
  return { sa, spc };
}

describe("a construct the verification layer has never heard of, known by its facts", () => {
  test("wired right, it passes and the report names it", () => {
    const w = world();
    const identity = new TeamIdentity(w.platform, "team", w.cluster);
    identity.trust("shop", "orders");
    w.vault.grantSecretRead(identity, { secrets: ["db"] });
    mountThrough(w, identity);
    expect(problems(w.app)).toEqual([]);
    expect(wiringReport(w.app).paths.map((p) => [p.via, p.identity, p.serviceAccounts, p.verified])).toEqual([["SecretProviderClass shop/orders-kv", "WorkloadIdentity platform/team", ["shop/orders"], true]]);
  });

  test("trusting another service account, or the issuer of another cluster, fails on the service account, once", () => {
    const w = world();
    const identity = new TeamIdentity(w.platform, "team", w.cluster);
    identity.trust("shop", "payments");
    w.vault.grantSecretRead(identity, { secrets: ["db"] });
    mountThrough(w, identity);
    // Reported once, on the service account that stands for the identity (not again on the class's pods).
    expect(problems(w.app)).toEqual([
      expect.objectContaining({ path: "k8s/sa", field: "identity", value: '"platform/team"', rule: expect.stringMatching(/^service account shop\/orders runs as system:serviceaccount:shop:orders, but WorkloadIdentity platform\/team has no federated credential for that subject \(it trusts: system:serviceaccount:shop:payments\).*AADSTS700213/) }),
    ]);

    const w2 = world();
    const onOther = new TeamIdentity(w2.platform, "team", w2.other);
    onOther.trust("shop", "orders");
    w2.vault.grantSecretRead(onOther, { secrets: ["db"] });
    mountThrough(w2, onOther);
    expect(problems(w2.app)).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "k8s/sa", field: "identity", rule: expect.stringMatching(/is deployed to cluster platform\/cluster, but WorkloadIdentity platform\/team trusts system:serviceaccount:shop:orders only from cluster platform\/other/) })]),
    );
  });

  test("without a read grant the class fails with the grant it needs", () => {
    const w = world();
    const identity = new TeamIdentity(w.platform, "team", w.cluster);
    identity.trust("shop", "orders");
    mountThrough(w, identity);
    expect(problems(w.app)).toEqual([expect.objectContaining({ path: "k8s/spc", field: "provider.objects[0].objectName", rule: expect.stringMatching(/has no read grant on this secret/) })]);
  });
});

describe("a new kind of fact and a new check, registered from outside verify/", () => {
  /** A made-up delivery: a queue that copies a secret into a namespace. */
  const QUEUE = defineFact<{ readonly namespace: string; readonly secret: string; readonly reader?: string }>("test.secret-queue", "a queue that copies a secret into a namespace");
  class SecretQueue extends Construct {
    constructor(scope: Construct, id: string, props: { namespace: string; secret: string; reader?: string }) {
      super(scope, id);
      publishFact(this, QUEUE, props);
    }
  }
  registerWiringCheck({
    id: "TEST-Q1",
    title: "A queue's reader is one of the app's service accounts",
    consequence: "nobody reads the copy",
    fix: "name a service account of the app",
    run(ctx, report) {
      for (const { source, data } of ctx.facts.all(QUEUE)) {
        if (data.reader === undefined) report.broken(source, "reader", undefined, "is required: a queue nobody reads leaks the copy");
        else if (!ctx.serviceAccount(ctx.clusterOf(source), data.namespace, data.reader)) report.unverifiable(source, "reader", data.reader, `service account ${data.namespace}/${data.reader} is not created by this app`);
      }
    },
  });

  test("the check is in the registry and runs with the others, on the cluster the construct is deployed to", () => {
    expect(wiringChecks().map((c) => c.id)).toEqual(expect.arrayContaining(["AKSW-SA1", "AKSW-KV1", "AKSW-VLT1", "AKSW-K8S1", "TEST-Q1"]));
    const w = world();
    new SecretQueue(w.k8s, "q-broken", { namespace: "shop", secret: "db" });
    const q = new SecretQueue(w.k8s, "q-stranger", { namespace: "shop", secret: "db", reader: "orders" });
    expect(problems(w.app).map((p) => [p.path, p.field, p.value, p.rule])).toEqual([
      ["k8s/q-broken", "reader", "(not set)", "is required: a queue nobody reads leaks the copy"],
      ["k8s/q-stranger", "reader", '"orders"', "service account shop/orders is not created by this app, or, if it is right and managed elsewhere, record why with allowUnverifiedWiring(construct, { reason })"],
    ]);
    allowUnverifiedWiring(q, { reason: "the orders team creates its service account itself" });
    new WorkloadServiceAccount(w.k8s, "orders-sa", { identity: { clientId: "0f0e0d0c-0b0a-0908-0706-050403020100" }, namespace: "shop", name: "orders" });
    allowUnverifiedWiring(w.k8s.node.findChild("orders-sa"), { reason: "identity managed by the identity team" });
    expect(problems(w.app).map((p) => p.path)).toEqual(["k8s/q-broken"]);
  });
});

describe("the verification layer imports no construct", () => {
  const root = path.resolve(__dirname, "../..");
  const files = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith(".ts") ? [`${dir}/${e.name}`] : []));

  test("no file under verify/ imports a module under constructs/ (nor stacks/ or app/)", () => {
    const sources = files("verify");
    expect(sources.length).toBeGreaterThan(10);
    const offending: string[] = [];
    for (const file of sources) {
      const src = fs.readFileSync(path.join(root, file), "utf8");
      const specifiers = [...src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
      expect(specifiers.length).toBeGreaterThan(0);
      for (const s of specifiers) {
        if (!s.startsWith(".")) continue; // a package ("constructs", "cdktf", node:...)
        const target = path.relative(root, path.resolve(root, path.dirname(file), s));
        if (/^(constructs|stacks|app)(\/|$)/.test(target)) offending.push(`${file} imports ${s}`);
      }
    }
    expect(offending).toEqual([]);
  });
});

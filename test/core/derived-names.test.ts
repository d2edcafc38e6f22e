// A valid input is never refused because of a name the library derives from it: each derived name
// is valid for its target for the extremes of valid input (dots and 253 characters in a service
// account name, 63-character namespaces and cluster names, names starting with a digit).
import { App, TerraformStack } from "cdktf";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AksCluster, derivedDnsPrefix } from "../../constructs/azure/aks-cluster";
import { KeyVault } from "../../constructs/azure/key-vault";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { derivedIdentityName, KeyVaultWorkloadBinding } from "../../constructs/bindings/key-vault-workload-binding";
import { fitName, shortHash } from "../../core/derived-names";
import { Rules, validateTree } from "../../core/validation";

const TENANT = "11111111-2222-3333-4444-555555555555";
const SUBNET = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s";
/** A DNS-1123 subdomain of exactly 253 characters, with dots. */
const LONG_SA = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
const LONG_NS = "n".repeat(63);

function world() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "derived-")), stackTraces: false });
  const platform = new TerraformStack(app, "platform");
  new AzurermProvider(platform, "azurerm", { features: [{}] });
  const cluster = new TerraformStack(app, "cluster");
  new KubernetesProvider(cluster, "kubernetes", {});
  const aks = new AksCluster(platform, "aks", { name: "aks-x", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
  return { app, platform, cluster, aks };
}

describe("derived names are valid for every valid input", () => {
  test("the extremes are valid inputs themselves", () => {
    expect(LONG_SA.length).toBe(253);
    expect(Rules.dns1123Subdomain.test(LONG_SA)).toBe(true);
    expect(Rules.dns1123Label.test(LONG_NS)).toBe(true);
  });

  test.each([
    ["a service account with dots", "shop", "orders.v1"],
    ["a 253-character service account in a 63-character namespace", LONG_NS, LONG_SA],
    ["names starting with a digit", "1shop", "2orders"],
  ])("federated credential names: %s", (_what, namespace, name) => {
    const { app, platform, aks } = world();
    const identity = new WorkloadIdentity(platform, "wi", { name: "id-x", resourceGroupName: "rg", location: "westeurope", issuer: aks, serviceAccounts: [{ namespace, name }] });
    const credential = identity.federatedCredentials[0];
    expect(Rules.federatedCredentialName.test(credential.name)).toBe(true);
    expect(credential.subject).toBe(`system:serviceaccount:${namespace}:${name}`);
    expect(() => validateTree(app)).not.toThrow();
  });

  test("a name that is already valid is kept (no change for existing credentials)", () => {
    const { platform, aks } = world();
    const identity = new WorkloadIdentity(platform, "wi", { name: "id-x", resourceGroupName: "rg", location: "westeurope", issuer: aks, serviceAccounts: [{ namespace: "shop", name: "orders" }] });
    expect(identity.federatedCredentials[0].name).toBe("shop-orders");
    expect(derivedIdentityName("shop", "orders")).toBe("id-shop-orders");
  });

  test("two inputs that clean up alike still derive two names (a.b and a-b in one namespace)", () => {
    const { app, platform, aks } = world();
    const identity = new WorkloadIdentity(platform, "wi", { name: "id-x", resourceGroupName: "rg", location: "westeurope", issuer: aks, serviceAccounts: [{ namespace: "shop", name: "a.b" }, { namespace: "shop", name: "a-b" }] });
    const names = identity.federatedCredentials.map((c) => c.name);
    expect(new Set(names).size).toBe(2);
    expect(names[1]).toBe("shop-a-b");
    expect(names[0]).toBe(`shop-a-b-${shortHash("shop-a.b")}`);
    expect(() => validateTree(app)).not.toThrow();
  });

  test("a binding for a 253-character service account with dots synthesizes: identity, class and synced Secret names fit", () => {
    const { app, platform, cluster, aks } = world();
    const vault = new KeyVault(platform, "kv", { name: "kv-derived-01", resourceGroupName: "rg", location: "westeurope", tenantId: TENANT, secrets: ["db"] });
    const binding = new KeyVaultWorkloadBinding(platform, cluster, "orders", { cluster: aks, keyVault: vault, namespace: LONG_NS, serviceAccountName: LONG_SA, secrets: ["db"], resourceGroupName: "rg", location: "westeurope", sync: true });
    expect(Rules.managedIdentityName.test(binding.identity.name)).toBe(true);
    expect(binding.identity.name.length).toBeLessThanOrEqual(128);
    expect(Rules.dns1123Subdomain.test(binding.secretProviderClass.name)).toBe(true);
    expect(binding.secretProviderClass.name.endsWith("-kv")).toBe(true);
    expect(Rules.dns1123Subdomain.test(binding.syncedSecretName!)).toBe(true);
    expect(() => validateTree(app)).not.toThrow();
    app.synth();
  });

  test.each([["1aks"], ["a".repeat(63)], [`${"b".repeat(53)}_c${"d".repeat(8)}`], ["x_"]].filter(([n]) => Rules.aksClusterName.test(n)))("the DNS prefix derived from cluster name %s is valid", (name) => {
    expect(Rules.aksDnsPrefix.test(derivedDnsPrefix(name))).toBe(true);
    const { app, platform } = world();
    new AksCluster(platform, "other", { name, resourceGroupName: "rg", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } });
    expect(() => validateTree(app)).not.toThrow();
  });

  test("fitName keeps valid names, cleans and hashes the others", () => {
    expect(fitName("ok-name", Rules.federatedCredentialName, { max: 120, allowed: /[A-Za-z0-9_-]/ })).toBe("ok-name");
    const fitted = fitName("a.b", Rules.federatedCredentialName, { max: 120, allowed: /[A-Za-z0-9_-]/ });
    expect(fitted).toBe(`a-b-${shortHash("a.b")}`);
    expect(Rules.federatedCredentialName.test(fitted)).toBe(true);
  });
});

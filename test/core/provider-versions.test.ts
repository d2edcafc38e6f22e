// core/provider-versions.ts: the pinned versions and the provider-version names (issue 11).
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { AzurermNames, azurermMajor, azurermProviderDefaults, pinProviderVersions, PROVIDER_VERSIONS, usePinnedProviderVersions } from "../../core/provider-versions";
import { validateAndSynth } from "../../core/synth";
import { watchSynthesizedValues } from "../../core/synthesized-values";
import { expectProblem } from "../helpers";

function stackIn(major?: 4 | 5): TerraformStack {
  const app = Testing.app({ context: major === undefined ? {} : { azurermMajor: major } });
  return new TerraformStack(app, "s");
}
const synthJson = (s: TerraformStack): any => JSON.parse(Testing.synth(s));

describe("pinned provider versions", () => {
  test("azurerm 4.81.0 by default (the first 4.x on Key Vault API 2026-02-01), 5.2.0 in 5.x mode; the others the same in both", () => {
    expect(PROVIDER_VERSIONS[4]).toEqual({ azurerm: "4.81.0", azuread: "3.9.0", time: "0.14.0", kubernetes: "3.2.1", helm: "3.1.2", vault: "5.11.0", hcp: "0.114.0", azapi: "2.12.0", tfe: "0.80.0", aws: "6.25.0" });
    expect(PROVIDER_VERSIONS[5]).toEqual({ ...PROVIDER_VERSIONS[4], azurerm: "5.2.0" });
  });

  test("a stack that called usePinnedProviderVersions before its provider was added asks for the pinned version instead of the binding's 4.55.0", () => {
    for (const major of [4, 5] as const) {
      const s = stackIn(major);
      usePinnedProviderVersions(s);
      new AzurermProvider(s, "azurerm", azurermProviderDefaults());
      expect(synthJson(s).terraform.required_providers.azurerm.version).toBe(PROVIDER_VERSIONS[major].azurerm);
    }
  });

  test("without usePinnedProviderVersions the binding's own version is written; pinProviderVersions (what validateAndSynth runs) pins your own stacks", () => {
    const s = stackIn();
    new AzurermProvider(s, "azurerm", { features: [{}] });
    expect(synthJson(s).terraform.required_providers.azurerm.version).toBe("4.55.0");
    pinProviderVersions(s);
    pinProviderVersions(s); // idempotent
    expect(synthJson(s).terraform.required_providers.azurerm.version).toBe("4.81.0");
  });

  test("pinning adds no aspect (cdktf would visit every construct of the stack for it), is idempotent, and survives the synthesized-values wrapper", () => {
    const s = stackIn();
    usePinnedProviderVersions(s);
    usePinnedProviderVersions(s);
    expect(Aspects.of(s).all).toEqual([]);
    // A library construct in the stack wraps its rendering too (core/synthesized-values.ts): both apply.
    new FederatedIdentityCredential(s, "fic", { name: "x", resourceGroupName: "rg", parentId: "id", audience: ["api://AzureADTokenExchange"], issuer: "https://issuer", subject: "system:serviceaccount:a:b" });
    watchSynthesizedValues(s, { name: "undefined-ish [object Object]" });
    new AzurermProvider(s, "azurerm", azurermProviderDefaults());
    expect(synthJson(s).terraform.required_providers.azurerm.version).toBe("4.81.0");
  });

  test("validateAndSynth pins the providers of every stack of the app", () => {
    const fs = require("node:fs"), os = require("node:os"), path = require("node:path");
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pins-"));
    const app = new App({ outdir });
    const s = new TerraformStack(app, "mine");
    new AzurermProvider(s, "azurerm", { features: [{}] });
    validateAndSynth(app);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, "stacks/mine/cdk.tf.json"), "utf8")).terraform.required_providers.azurerm.version).toBe("4.81.0");
  });

  test("the same resource provider registration in both majors: core plus what AKS and Key Vault need", () => {
    expect(azurermProviderDefaults()).toEqual({ features: [{}], resourceProviderRegistrations: "core", resourceProvidersToRegister: ["Microsoft.ContainerService", "Microsoft.KeyVault"] });
  });

  test("azurermMajor: 4 unless the context says 5; anything else is refused", () => {
    expect(azurermMajor(stackIn())).toBe(4);
    expect(azurermMajor(stackIn(5))).toBe(5);
    const app = Testing.app({ context: { azurermMajor: "5" } });
    expect(azurermMajor(new TerraformStack(app, "x"))).toBe(5);
    const bad = Testing.app({ context: { azurermMajor: 3 } });
    expectProblem(() => azurermMajor(new TerraformStack(bad, "x")), { path: "x", field: "context.azurermMajor", rule: /must be 4 or 5/ });
  });
});

describe("AzurermNames: one place per resource whose names depend on the azurerm version", () => {
  const ID = "${azurerm_user_assigned_identity.id.id}";
  const credential = (s: TerraformStack) =>
    new FederatedIdentityCredential(s, "cred", { name: "c", resourceGroupName: "rg", parentId: ID, issuer: "https://issuer.example/", subject: "system:serviceaccount:a:b", audience: ["api://AzureADTokenExchange"] });

  test.each([4, 5] as const)("federated credential in %d.x: user_assigned_identity_id, no parent_id, no resource_group_name", (major) => {
    const s = stackIn(major);
    AzurermNames.federatedIdentityCredential(credential(s), ID);
    const r = synthJson(s).resource.azurerm_federated_identity_credential.cred;
    expect(r.user_assigned_identity_id).toBe(ID);
    expect(r).not.toHaveProperty("parent_id");
    expect(r).not.toHaveProperty("resource_group_name");
  });

  test("subnet service endpoints: the service_endpoints list in 4.x, service_endpoint blocks in 5.x", () => {
    const make = (major: 4 | 5) => {
      const s = stackIn(major);
      const subnet = new Subnet(s, "subnet", { name: "snet", resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefixes: ["10.0.0.0/24"] });
      AzurermNames.subnetServiceEndpoints(subnet, ["Microsoft.KeyVault", "Microsoft.Storage"]);
      return synthJson(s).resource.azurerm_subnet.subnet;
    };
    const v4 = make(4), v5 = make(5);
    expect(v4.service_endpoints).toEqual(["Microsoft.KeyVault", "Microsoft.Storage"]);
    expect(v4).not.toHaveProperty("service_endpoint");
    expect(v5.service_endpoint).toEqual([{ service: "Microsoft.KeyVault" }, { service: "Microsoft.Storage" }]);
    expect(v5).not.toHaveProperty("service_endpoints");
  });

  test("AKS node_provisioning_profile: written in both majors with the API's default mode", () => {
    for (const major of [4, 5] as const) {
      const s = stackIn(major);
      const c = new KubernetesCluster(s, "aks", { name: "aks", location: "westeurope", resourceGroupName: "rg", dnsPrefix: "aks", defaultNodePool: { name: "system", vmSize: "Standard_D2s_v5" }, identity: { type: "SystemAssigned" } });
      AzurermNames.kubernetesClusterNodeProvisioning(c);
      expect(synthJson(s).resource.azurerm_kubernetes_cluster.aks.node_provisioning_profile).toEqual([{ mode: "Manual" }]);
    }
  });

  test("a function given another resource type is a programming error", () => {
    const s = stackIn();
    const subnet = new Subnet(s, "subnet", { name: "snet", resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefixes: ["10.0.0.0/24"] });
    expect(() => AzurermNames.federatedIdentityCredential(subnet, ID)).toThrow(/expected a azurerm_federated_identity_credential, got azurerm_subnet at s\/subnet/);
  });
});

describe("README (issue 11)", () => {
  const readme = require("node:fs").readFileSync(require("node:path").resolve(__dirname, "../../README.md"), "utf8") as string;

  test("says why azurerm 4.81.0 and what staying older loses on 2027-02-27", () => {
    expect(readme).toMatch(/\| hashicorp\/azurerm \| 4\.81\.0 \| the first \(and last\) 4\.x that manages Key Vault through the management API 2026-02-01/);
    expect(readme).toMatch(/\*\*2027-02-27\*\*/);
    expect(readme).toMatch(/what staying older costs/);
  });

  test("has the azurerm 5 upgrade section with each change the issue names", () => {
    const section = readme.slice(readme.indexOf("## Upgrading to azurerm 5"), readme.indexOf("## Terraform Cloud"));
    for (const change of ["parent_id", "service_endpoints", "node_provisioning_profile", "rbac_authorization_enabled", "resource_provider_registrations", "skip_provider_registration", "role_definition_id", "private_dns_zone_id", "oidc_issuer_enabled"]) {
      expect(section).toContain(change);
    }
    expect(section).toMatch(/"azurermMajor": 5/);
  });

  test("no step says to run something again, and the propagation wait is explained", () => {
    expect(readme).not.toMatch(/run (it|`cluster`) again|if it fails/i);
    expect(readme).toMatch(/waits 5 minutes after creating the assignment/);
  });
});

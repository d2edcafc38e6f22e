import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KeyVault as AzKeyVault, KeyVaultConfig } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultAccessPolicyA } from "@cdktf/provider-azurerm/lib/key-vault-access-policy";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { KubernetesCluster, KubernetesClusterConfig } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { VaultCluster } from "@cdktf/provider-hcp/lib/vault-cluster";
import { VaultSecretsSecret } from "@cdktf/provider-hcp/lib/vault-secrets-secret";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Secret } from "@cdktf/provider-kubernetes/lib/secret";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { KvSecret } from "@cdktf/provider-vault/lib/kv-secret";
import { KvSecretV2 } from "@cdktf/provider-vault/lib/kv-secret-v2";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HcpProvider } from "@cdktf/provider-hcp/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, Aspects, TerraformResource, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { AksCluster, AksClusterProps } from "../../constructs/azure/aks-cluster";
import { KeyVault, KeyVaultProps } from "../../constructs/azure/key-vault";
import { externalPrincipal } from "../../constructs/azure/principal";
import {
  applySecurityRules,
  formatSecurityReport,
  SECURITY_RULES,
  securityReport,
  SecurityRules,
  renderConfigValue,
  readResourceConfig,
  securityRulesMarkdown,
} from "../../verify/security-rules";
import { validateTree, ValidationError } from "../../core/validation";
import { buildDefaultApp } from "../../app/default-app";
import { PlatformStack } from "../../stacks/platform-stack";
import { expectProblem, expectProblems } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const OBJECT_ID = "99999999-8888-7777-6666-555555555555";
const VAULT_ARM_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-literal";
const RG_ARM_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg";

const kvProps: KeyVaultProps = { name: "kv-test-01", resourceGroupName: "rg-test", location: "westeurope", tenantId: TENANT };
const aksProps: AksClusterProps = { name: "aks-test", resourceGroupName: "rg-test", location: "westeurope", nodeSubnetId: "/subnets/nodes", apiServerAccess: { mode: "private" } };
/** A raw key vault that passes every rule: the baseline non-compliant cases change one thing of. */
const rawVault: KeyVaultConfig = {
  name: "kv-raw",
  location: "westeurope",
  resourceGroupName: "rg",
  tenantId: TENANT,
  skuName: "standard",
  purgeProtectionEnabled: true,
  networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
  lifecycle: { preventDestroy: true },
};
/** A raw cluster that passes every rule. */
const rawCluster: KubernetesClusterConfig = {
  name: "aks-raw",
  location: "westeurope",
  resourceGroupName: "rg",
  dnsPrefix: "raw",
  defaultNodePool: { name: "system", vmSize: "Standard_D2s_v5", nodeCount: 1 },
  identity: { type: "SystemAssigned" },
  localAccountDisabled: true,
  azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true },
  privateClusterEnabled: true,
  keyVaultSecretsProvider: { secretRotationEnabled: true },
  azurePolicyEnabled: true,
  automaticUpgradeChannel: "patch",
};

/** A stack with every provider the tests use (cdktf's own validation wants them). */
function stackIn(app: App, id = "test"): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  new KubernetesProvider(stack, "kubernetes", {});
  new HelmProvider(stack, "helm", {});
  new VaultProvider(stack, "vault", {});
  new HcpProvider(stack, "hcp", {});
  return stack;
}

/** Builds a stack in a fresh app with the rules applied. */
function build(fn: (stack: TerraformStack) => void): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = stackIn(app);
  fn(stack);
  applySecurityRules(app);
  return { app, stack };
}

/** The unsuppressed findings of a build, as `[ruleId, path, attribute]`, sorted. */
function findingsOf(fn: (stack: TerraformStack) => void): [string, string, string][] {
  const { app } = build(fn);
  return securityReport(app)
    .findings.map((f): [string, string, string] => [f.ruleId, f.path, f.attribute])
    .sort();
}

/** Expects the build to pass validation and synth (with validations on). */
function expectClean(fn: (stack: TerraformStack) => void): void {
  const { app, stack } = build(fn);
  expect(() => validateTree(app)).not.toThrow();
  expect(() => Testing.synth(stack, true)).not.toThrow();
  expect(securityReport(app).findings).toEqual([]);
}

/** Expects validateTree to fail with exactly these findings (rule id + attribute at path). */
function expectFindings(fn: (stack: TerraformStack) => void, expected: { path: string; field: string }[]): ValidationError["problems"] {
  const { app } = build(fn);
  const problems = expectProblems(() => validateTree(app));
  expect(problems.map((p) => ({ path: p.path, field: p.field })).sort((a, b) => (a.path + a.field).localeCompare(b.path + b.field))).toEqual(
    [...expected].sort((a, b) => (a.path + a.field).localeCompare(b.path + b.field)),
  );
  return problems;
}

/** Files (not directories) under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

function principal(scope: Construct, id: string, principalId = OBJECT_ID) {
  return externalPrincipal(new Construct(scope, id), { principalId, clientId: `client-${id}` });
}

describe("rule list", () => {
  test("every rule has a unique AKSS- id, a one-line rationale, a fix and resource types", () => {
    const ids = SECURITY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of SECURITY_RULES) {
      expect(r.id).toMatch(/^AKSS-[A-Z]+\d+$/);
      expect(r.rationale).not.toMatch(/\n/);
      expect(r.rationale.length).toBeGreaterThan(30);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test("covers the required controls", () => {
    expect(SECURITY_RULES.map((r) => r.id)).toEqual(
      expect.arrayContaining(["AKSS-KV1", "AKSS-KV2", "AKSS-KV3", "AKSS-KV4", "AKSS-KV5", "AKSS-AKS1", "AKSS-AKS2", "AKSS-AKS3", "AKSS-AKS4", "AKSS-AKS5", "AKSS-AKS6", "AKSS-AKS7", "AKSS-HCP1", "AKSS-SEC1", "AKSS-SEC2", "AKSS-SEC3", "AKSS-SEC4", "AKSS-SEC5"]),
    );
  });

  test("the markdown table has one row per rule", () => {
    const rows = securityRulesMarkdown().split("\n");
    expect(rows).toHaveLength(SECURITY_RULES.length + 2);
    expect(rows[2]).toMatch(/^\| AKSS-KV1 \| Key Vault purge protection \(`azurerm_key_vault`\) \| /);
  });
});

/** Drops nulls, undefined and empty objects, as a reader of the JSON would not tell them apart. */
function prune(v: any): any {
  if (Array.isArray(v)) return v.map(prune);
  if (v && typeof v === "object") {
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== null && p !== undefined && !(typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0)) out[k] = p;
    }
    return out;
  }
  return v;
}

describe("reading the configuration", () => {
  test("what the rules read is what cdktf synthesizes, escape hatches included", () => {
    // A literal vault name: the default one is computed by Terraform, which the rules read as "(computed)".
    const platform = new PlatformStack(Testing.app(), "platform", { keyVaultName: "kv-rules-fidelity", keyVaultAuthorization: "accessPolicy" });
    platform.keyVault.resource.addOverride("network_acls.ip_rules", ["198.51.100.7"]);
    platform.keyVault.resource.addOverride("tags.owner", "platform");
    platform.cluster.resource.addOverride("key_vault_secrets_provider.secret_rotation_interval", "5m");
    const synthesized = JSON.parse(Testing.synth(platform)).resource;
    const checked = platform.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && ["azurerm_key_vault", "azurerm_kubernetes_cluster", "azurerm_key_vault_access_policy"].includes(c.terraformResourceType));
    expect(checked).toHaveLength(5); // cluster, vault, access policies: demo workload, add-on, deployer (writes the values)
    for (const r of checked) {
      const config = readResourceConfig(r);
      const fromJson = synthesized[config.type][r.friendlyUniqueId];
      delete fromJson.depends_on;
      delete fromJson.provider;
      expect(prune(renderConfigValue(config.attributes))).toEqual(prune(fromJson));
    }
    expect(synthesized.azurerm_key_vault[platform.keyVault.resource.friendlyUniqueId].network_acls.ip_rules).toEqual(["198.51.100.7"]);
  });
});

describe("AKSS-KV1 purge protection", () => {
  test("the KeyVault construct complies", () => expectClean((s) => new KeyVault(s, "kv", kvProps)));

  test("off on a raw vault fails, naming path, field, value and rule", () => {
    const [p] = expectFindings((s) => new AzKeyVault(s, "raw", { ...rawVault, purgeProtectionEnabled: false }), [{ path: "test/raw", field: "AKSS-KV1 purge_protection_enabled" }]);
    expect(p.value).toBe("false");
    expect(p.rule).toMatch(/purged at once/);
    expect(p.rule).toMatch(/Fix: Set purge_protection_enabled = true/);
  });

  test("not set fails (the provider default is off)", () => {
    expectFindings((s) => new AzKeyVault(s, "raw", { ...rawVault, purgeProtectionEnabled: undefined }), [{ path: "test/raw", field: "AKSS-KV1 purge_protection_enabled" }]);
  });

  test("an addOverride escape hatch on the construct's resource is seen", () => {
    expectFindings(
      (s) => new KeyVault(s, "kv", kvProps).resource.addOverride("purge_protection_enabled", false),
      [{ path: "test/kv/vault", field: "AKSS-KV1 purge_protection_enabled" }],
    );
  });

  test("a value known only at apply time cannot be verified and fails", () => {
    const [p] = expectFindings(
      (s) => new AzKeyVault(s, "raw", { ...rawVault, purgeProtectionEnabled: new TerraformVariable(s, "purge", { type: "bool" }).booleanValue }),
      [{ path: "test/raw", field: "AKSS-KV1 purge_protection_enabled" }],
    );
    expect(p.rule).toMatch(/computed at apply time/);
  });
});

describe("AKSS-KV2 closed network", () => {
  test("firewall Deny (KeyVault default) or public access off complies", () => {
    expectClean((s) => new KeyVault(s, "kv", { ...kvProps, allowedIpRanges: ["203.0.113.0/24"] }));
    expectClean((s) => new AzKeyVault(s, "raw", { ...rawVault, networkAcls: undefined, publicNetworkAccessEnabled: false }));
  });

  test("default action Allow fails", () => {
    const [p] = expectFindings((s) => new AzKeyVault(s, "raw", { ...rawVault, networkAcls: { defaultAction: "Allow", bypass: "AzureServices" } }), [
      { path: "test/raw", field: "AKSS-KV2 network_acls.default_action" },
    ]);
    expect(p.value).toBe('"Allow"');
  });

  test("no firewall at all fails", () => {
    expectFindings((s) => new AzKeyVault(s, "raw", { ...rawVault, networkAcls: undefined }), [{ path: "test/raw", field: "AKSS-KV2 network_acls" }]);
  });

  test("an IP rule wider than /8 is no restriction", () => {
    expectFindings((s) => new AzKeyVault(s, "raw", { ...rawVault, networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: ["203.0.113.9", "0.0.0.0/0"] } }), [
      { path: "test/raw", field: "AKSS-KV2 network_acls.ip_rules" },
    ]);
  });

  test("overriding the construct's firewall is seen", () => {
    expectFindings((s) => new KeyVault(s, "kv", kvProps).resource.addOverride("network_acls.default_action", "Allow"), [
      { path: "test/kv/vault", field: "AKSS-KV2 network_acls.default_action" },
    ]);
  });
});

describe("AKSS-KV3 destroy protection", () => {
  test("the KeyVault construct complies", () => expectClean((s) => new KeyVault(s, "kv", kvProps)));

  test("a raw vault without prevent_destroy fails", () => {
    expectFindings((s) => new AzKeyVault(s, "raw", { ...rawVault, lifecycle: undefined }), [{ path: "test/raw", field: "AKSS-KV3 lifecycle.prevent_destroy" }]);
  });

  test("turning it off with an override is seen", () => {
    expectFindings((s) => new KeyVault(s, "kv", kvProps).resource.addOverride("lifecycle.prevent_destroy", false), [
      { path: "test/kv/vault", field: "AKSS-KV3 lifecycle.prevent_destroy" },
    ]);
  });
});

describe("AKSS-KV4 access policies read only", () => {
  test("KeyVault.grantSecretRead in access-policy mode complies", () =>
    expectClean((s) => new KeyVault(s, "kv", { ...kvProps, authorization: "accessPolicy" }).grantSecretRead(principal(s, "app"), { secrets: ["a"] })));

  test("List on secrets fails, naming the extra permission", () => {
    const [p] = expectFindings(
      (s) => {
        const kv = new KeyVault(s, "kv", { ...kvProps, authorization: "accessPolicy" });
        new KeyVaultAccessPolicyA(s, "policy", { keyVaultId: kv.id, tenantId: TENANT, objectId: OBJECT_ID, secretPermissions: ["Get", "List"] });
      },
      [{ path: "test/policy", field: "AKSS-KV4 secret_permissions" }],
    );
    expect(p.value).toBe('["Get","List"]');
    expect(p.rule).toMatch(/grants List beyond Get/);
  });

  test("key, certificate or storage permissions fail", () => {
    expectFindings(
      (s) =>
        new KeyVaultAccessPolicyA(s, "policy", { keyVaultId: "kv", tenantId: TENANT, objectId: OBJECT_ID, secretPermissions: ["get"], keyPermissions: ["Get"], certificatePermissions: ["Get"] }),
      [
        { path: "test/policy", field: "AKSS-KV4 key_permissions" },
        { path: "test/policy", field: "AKSS-KV4 certificate_permissions" },
      ],
    );
  });

  test("inline access_policy blocks of a vault are checked one by one", () => {
    expectFindings(
      (s) =>
        new AzKeyVault(s, "raw", {
          ...rawVault,
          accessPolicy: [
            { tenantId: TENANT, objectId: OBJECT_ID, secretPermissions: ["Get"] },
            { tenantId: TENANT, objectId: OBJECT_ID, secretPermissions: ["Get", "Set", "Delete"] },
          ],
        }),
      [{ path: "test/raw", field: "AKSS-KV4 access_policy[1].secret_permissions" }],
    );
  });

  test("a grant to the identity running Terraform is an admin grant and passes", () =>
    expectClean((s) => {
      const me = new DataAzurermClientConfig(s, "current");
      new KeyVaultAccessPolicyA(s, "deployer", { keyVaultId: "kv", tenantId: me.tenantId, objectId: me.objectId, secretPermissions: ["Get", "List", "Set", "Delete", "Purge"], keyPermissions: ["Get"] });
    }));

  test("declareAdminGrant accepts another admin grant with a reason, listed in the report", () => {
    const { app } = build((s) => {
      const p = new KeyVaultAccessPolicyA(s, "owners", { keyVaultId: "kv", tenantId: TENANT, objectId: OBJECT_ID, secretPermissions: ["Get", "List", "Set"] });
      SecurityRules.declareAdminGrant(p, "secret owners group writes values out of band");
    });
    expect(() => validateTree(app)).not.toThrow();
    const r = securityReport(app);
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((x) => [x.ruleId, x.path, x.reason])).toEqual([["AKSS-KV4", "test/owners", "admin grant: secret owners group writes values out of band"]]);
  });
});

describe("AKSS-KV5 role assignments Secrets User only", () => {
  test("KeyVault.grantSecretRead in RBAC mode complies, at vault and at secret scope", () =>
    expectClean((s) => {
      const kv = new KeyVault(s, "kv", kvProps);
      kv.grantSecretRead(principal(s, "one"), { secrets: ["a", "b"] });
      kv.grantSecretRead(principal(s, "all", "77777777-8888-7777-6666-555555555555"));
    }));

  test("Secrets User by role definition id on a literal vault ID complies", () =>
    expectClean((s) => new RoleAssignment(s, "ra", { scope: VAULT_ARM_ID, principalId: OBJECT_ID, roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6" })));

  test("a role assignment that is not about Key Vault is out of scope", () =>
    expectClean((s) => new RoleAssignment(s, "ra", { scope: RG_ARM_ID, principalId: OBJECT_ID, roleDefinitionName: "Network Contributor" })));

  test("another role on a vault fails", () => {
    const [p] = expectFindings(
      (s) => {
        const kv = new KeyVault(s, "kv", kvProps);
        new RoleAssignment(s, "officer", { scope: kv.id, principalId: OBJECT_ID, roleDefinitionName: "Key Vault Secrets Officer" });
        new RoleAssignment(s, "owner", { scope: VAULT_ARM_ID, principalId: OBJECT_ID, roleDefinitionName: "Owner" });
      },
      [
        { path: "test/officer", field: "AKSS-KV5 role_definition_name" },
        { path: "test/owner", field: "AKSS-KV5 role_definition_name" },
      ],
    );
    expect(p.rule).toMatch(/only Key Vault Secrets User/);
  });

  test("a Key Vault role above the vault fails, Secrets User included", () => {
    expectFindings(
      (s) => {
        new RoleAssignment(s, "admin", { scope: RG_ARM_ID, principalId: OBJECT_ID, roleDefinitionName: "Key Vault Administrator" });
        new RoleAssignment(s, "reader", { scope: RG_ARM_ID, principalId: OBJECT_ID, roleDefinitionName: "Key Vault Secrets User" });
      },
      [
        { path: "test/admin", field: "AKSS-KV5 role_definition_name" },
        { path: "test/reader", field: "AKSS-KV5 scope" },
      ],
    );
  });

  test("plain-text interpolations written through addOverride are read as references", () => {
    expectClean((s) => {
      const ra = new RoleAssignment(s, "ra", { scope: RG_ARM_ID, principalId: OBJECT_ID, roleDefinitionName: "Key Vault Secrets User" });
      ra.addOverride("scope", "${azurerm_key_vault.other.id}/secrets/db");
    });
    expectFindings(
      (s) => new RoleAssignment(s, "ra", { scope: VAULT_ARM_ID, principalId: OBJECT_ID, roleDefinitionName: "Key Vault Secrets User" }).addOverride("scope", "${azurerm_resource_group.rg.id}"),
      [{ path: "test/ra", field: "AKSS-KV5 scope" }],
    );
  });

  test("the deployer may hold an admin role on the vault", () =>
    expectClean((s) => {
      const kv = new KeyVault(s, "kv", kvProps);
      new RoleAssignment(s, "me", { scope: kv.id, principalId: new DataAzurermClientConfig(s, "current").objectId, roleDefinitionName: "Key Vault Administrator" });
    }));
});

describe("AKS rules", () => {
  test("the AksCluster construct complies, private or IP-restricted", () => {
    expectClean((s) => new AksCluster(s, "aks", aksProps));
    expectClean((s) => new AksCluster(s, "aks", { ...aksProps, apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"] } }));
    expectClean((s) => new KubernetesCluster(s, "raw", rawCluster));
  });

  test("a bare cluster fails AKS1, AKS2, AKS3, AKS5 and AKS6 (AKS4 does not apply without the CSI add-on; AKS7 passes on the provider's NodeImage default)", () => {
    expect(
      findingsOf(
        (s) =>
          new KubernetesCluster(s, "bare", {
            name: "bare",
            location: "westeurope",
            resourceGroupName: "rg",
            dnsPrefix: "bare",
            defaultNodePool: { name: "system", vmSize: "Standard_D2s_v5" },
          }),
      ),
    ).toEqual([
      ["AKSS-AKS1", "test/bare", "local_account_disabled"],
      ["AKSS-AKS2", "test/bare", "azure_active_directory_role_based_access_control"],
      ["AKSS-AKS3", "test/bare", "private_cluster_enabled"],
      ["AKSS-AKS5", "test/bare", "azure_policy_enabled"],
      ["AKSS-AKS6", "test/bare", "automatic_upgrade_channel"],
    ]);
  });

  test("AKS1: local accounts on fails", () => {
    expectFindings((s) => new KubernetesCluster(s, "raw", { ...rawCluster, localAccountDisabled: false }), [{ path: "test/raw", field: "AKSS-AKS1 local_account_disabled" }]);
  });

  test("AKS1: the allowLocalAccounts opt-out counts as a suppression with its reason", () => {
    const { app, stack } = build((s) => new AksCluster(s, "aks", { ...aksProps, allowLocalAccounts: { reason: "break-glass access during the migration" } }));
    expect(() => validateTree(app)).not.toThrow();
    expect(() => Testing.synth(stack, true)).not.toThrow();
    const r = securityReport(app);
    expect(r.findings).toEqual([]);
    expect(r.suppressed).toEqual([
      expect.objectContaining({ ruleId: "AKSS-AKS1", path: "test/aks/cluster", attribute: "local_account_disabled", source: "opt-out", optOut: "localAccounts", suppressedAt: "test/aks", reason: "break-glass access during the migration" }),
    ]);
  });

  test("AKS2: Kubernetes RBAC without Azure RBAC fails", () => {
    expectFindings((s) => new KubernetesCluster(s, "raw", { ...rawCluster, azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: false } }), [
      { path: "test/raw", field: "AKSS-AKS2 azure_active_directory_role_based_access_control.azure_rbac_enabled" },
    ]);
  });

  test("AKS3: public API server open to everyone fails, with or without ranges", () => {
    expectFindings((s) => new KubernetesCluster(s, "raw", { ...rawCluster, privateClusterEnabled: false }), [{ path: "test/raw", field: "AKSS-AKS3 private_cluster_enabled" }]);
    expectFindings((s) => new KubernetesCluster(s, "raw", { ...rawCluster, privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges: ["0.0.0.0/0"] } }), [
      { path: "test/raw", field: "AKSS-AKS3 api_server_access_profile.authorized_ip_ranges" },
    ]);
  });

  test("AKS4: rotation off fails, on the construct too", () => {
    expectFindings((s) => new AksCluster(s, "aks", { ...aksProps, secretRotation: false }), [
      { path: "test/aks/cluster", field: "AKSS-AKS4 key_vault_secrets_provider.secret_rotation_enabled" },
    ]);
  });
});

describe("HCP Vault rules", () => {
  const cluster = { clusterId: "vault", hvnId: "hvn", tier: "dev", lifecycle: { preventDestroy: true } };

  test("a private, destroy-protected cluster complies", () => {
    expectClean((s) => new VaultCluster(s, "hcp-vault", cluster));
    expectClean((s) => new VaultCluster(s, "hcp-vault", { ...cluster, publicEndpoint: false }));
  });

  test("HCP1: a public endpoint fails", () => {
    expectFindings((s) => new VaultCluster(s, "hcp-vault", { ...cluster, publicEndpoint: true }), [{ path: "test/hcp-vault", field: "AKSS-HCP1 public_endpoint" }]);
  });

  test("HCP2: no destroy protection fails", () => {
    expectFindings((s) => new VaultCluster(s, "hcp-vault", { ...cluster, lifecycle: undefined }), [{ path: "test/hcp-vault", field: "AKSS-HCP2 lifecycle.prevent_destroy" }]);
  });
});

describe("no secret values in configuration", () => {
  const SECRET = "hunter2-do-not-print";

  test("SEC1: azurerm_key_vault_secret with a value fails, without printing the value", () => {
    const { app } = build((s) => new KeyVaultSecret(s, "secret", { keyVaultId: "kv", name: "db", value: SECRET }));
    let message = "";
    try {
      validateTree(app);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("[test/secret] AKSS-SEC1 value:");
    expect(message).not.toContain(SECRET);
    expect(formatSecurityReport(securityReport(app))).not.toContain(SECRET);
  });

  test("SEC1: a write-only value from a token is fine, a literal one is not", () => {
    expectClean((s) => new KeyVaultSecret(s, "secret", { keyVaultId: "kv", name: "db", valueWo: new TerraformVariable(s, "pw", { type: "string", sensitive: true }).stringValue, valueWoVersion: 1 }));
    expectFindings((s) => new KeyVaultSecret(s, "secret", { keyVaultId: "kv", name: "db", valueWo: SECRET, valueWoVersion: 1 }), [{ path: "test/secret", field: "AKSS-SEC1 value_wo" }]);
  });

  test("SEC2: kubernetes_secret(_v1) with data fails; a token Secret without data passes", () => {
    expectFindings(
      (s) => {
        new SecretV1(s, "v1", { metadata: { name: "a", namespace: "demo" }, data: { password: SECRET } });
        new Secret(s, "v0", { metadata: { name: "b", namespace: "demo" }, binaryData: { key: "aGVsbG8=" } });
      },
      [
        { path: "test/v1", field: "AKSS-SEC2 data" },
        { path: "test/v0", field: "AKSS-SEC2 binary_data" },
      ],
    );
    expectClean((s) => new SecretV1(s, "token", { metadata: { name: "sa-token", namespace: "demo", annotations: { "kubernetes.io/service-account.name": "sa" } }, type: "kubernetes.io/service-account-token" }));
  });

  test("SEC3: vault_kv_secret(_v2) data_json and HCP Vault Secrets values fail", () => {
    expectFindings(
      (s) => {
        new KvSecretV2(s, "v2", { mount: "kv", name: "app", dataJson: JSON.stringify({ password: SECRET }) });
        new KvSecret(s, "v1", { path: "secret/app", dataJson: JSON.stringify({ password: SECRET }) });
        new VaultSecretsSecret(s, "hvs", { appName: "app", secretName: "pw", secretValue: SECRET });
      },
      [
        { path: "test/v2", field: "AKSS-SEC3 data_json" },
        { path: "test/v1", field: "AKSS-SEC3 data_json" },
        { path: "test/hvs", field: "AKSS-SEC3 secret_value" },
      ],
    );
  });

  test("SEC4: helm_release set_sensitive fails, plain set passes", () => {
    expectFindings((s) => new Release(s, "rel", { name: "app", chart: "app", setSensitive: [{ name: "db.password", value: SECRET }] }), [
      { path: "test/rel", field: "AKSS-SEC4 set_sensitive" },
    ]);
    expectClean((s) => new Release(s, "rel", { name: "app", chart: "app", set: [{ name: "replicaCount", value: "2" }] }));
  });

  test("SEC5: a kubernetes_manifest Secret with data or stringData fails; other kinds pass", () => {
    expectFindings(
      (s) => {
        new Manifest(s, "string", { manifest: { apiVersion: "v1", kind: "Secret", metadata: { name: "a", namespace: "demo" }, stringData: { password: SECRET } } });
        new Manifest(s, "data", { manifest: { apiVersion: "v1", kind: "Secret", metadata: { name: "b", namespace: "demo" }, data: { password: "aHVudGVyMg==" } } });
      },
      [
        { path: "test/string", field: "AKSS-SEC5 manifest.stringData" },
        { path: "test/data", field: "AKSS-SEC5 manifest.data" },
      ],
    );
    expectClean((s) => {
      new Manifest(s, "spc", {
        manifest: { apiVersion: "secrets-store.csi.x-k8s.io/v1", kind: "SecretProviderClass", metadata: { name: "spc", namespace: "demo" }, spec: { provider: "azure", parameters: { keyvaultName: "kv" } } },
      });
      new Manifest(s, "empty", { manifest: { apiVersion: "v1", kind: "Secret", metadata: { name: "c", namespace: "demo" }, type: "Opaque" } });
    });
  });
});

describe("suppressions", () => {
  const openVault = (s: TerraformStack) => new AzKeyVault(s, "raw", { ...rawVault, networkAcls: { defaultAction: "Allow", bypass: "AzureServices" } });

  test("a suppression with a reason on the resource or an ancestor lets synth pass and is reported", () => {
    const { app, stack } = build((s) => {
      const group = new Construct(s, "group");
      new AzKeyVault(group, "raw", { ...rawVault, networkAcls: { defaultAction: "Allow", bypass: "AzureServices" } });
      SecurityRules.suppress(group, [{ id: "AKSS-KV2", reason: "demo vault holding only dummy values" }]);
    });
    expect(() => validateTree(app)).not.toThrow();
    expect(() => Testing.synth(stack, true)).not.toThrow();
    const r = securityReport(app);
    expect(r.suppressed).toEqual([
      expect.objectContaining({ ruleId: "AKSS-KV2", path: "test/group/raw", source: "suppression", suppressedAt: "test/group", reason: "demo vault holding only dummy values" }),
    ]);
    expect(formatSecurityReport(r)).toContain("SUPPRESSED AKSS-KV2 [test/group/raw] network_acls.default_action");
  });

  test("a suppression of another rule does not hide the finding", () => {
    expectFindings(
      (s) => SecurityRules.suppress(openVault(s), [{ id: "AKSS-KV1", reason: "suppressing the wrong rule on purpose" }]),
      [{ path: "test/raw", field: "AKSS-KV2 network_acls.default_action" }],
    );
  });

  test("a missing or short reason is rejected with a ValidationError", () => {
    const s = new TerraformStack(Testing.app(), "test");
    const vault = openVault(s);
    expectProblem(() => SecurityRules.suppress(vault, [{ id: "AKSS-KV2", reason: "because" }]), { path: "test/raw", field: "suppressions[0].reason", value: "because", rule: /10 characters/ });
    expectProblem(() => SecurityRules.suppress(vault, [{ id: "AKSS-KV2" } as any]), { path: "test/raw", field: "suppressions[0].reason", rule: /written reason/ });
    expectProblem(() => SecurityRules.suppress(vault, [{ id: "AKSS-KV99", reason: "a typo in the rule id" }]), { field: "suppressions[0].id", value: "AKSS-KV99", rule: /AKSS-KV1/ });
    expect(vault.node.metadata.filter((m) => m.type === "aks-secrets:suppress")).toEqual([]);
  });

  test("an unused suppression is listed", () => {
    const { app } = build((s) => SecurityRules.suppress(new KeyVault(s, "kv", kvProps), [{ id: "AKSS-KV3", reason: "left over from an old setup" }]));
    expect(securityReport(app).unusedSuppressions).toEqual([{ path: "test/kv", id: "AKSS-KV3", reason: "left over from an old setup" }]);
  });

  test("an opt-out of another construct can be mapped to rules; unknown rule ids are refused", () => {
    SecurityRules.mapOptOut("testOnlyPurge", ["AKSS-KV1"]);
    expect(SecurityRules.optOuts.get("testOnlyPurge")).toEqual(["AKSS-KV1"]);
    expect(() => SecurityRules.mapOptOut("testOnlyTypo", ["AKSS-KV0"])).toThrow(/AKSS-KV0/);
    // A ValidationError naming the call, the rule id and the known ids; nothing is mapped.
    expectProblem(() => SecurityRules.mapOptOut("testOnlyTypo", ["AKSS-KV1", "AKSS-KV0"]), { path: 'SecurityRules.mapOptOut("testOnlyTypo")', field: "ruleIds[1]", value: "AKSS-KV0", rule: /^must be a security rule id: AKSS-KV1, / });
    expectProblem(() => SecurityRules.mapOptOut("test only", ["AKSS-KV1"]), { path: 'SecurityRules.mapOptOut("test only")', field: "name", value: "test only", rule: /must be an opt-out name/ });
    expectProblem(() => SecurityRules.mapOptOut("testOnlyString", "AKSS-KV1" as any), { field: "ruleIds", value: "AKSS-KV1", rule: /must be a list of security rule ids/ });
    expect(SecurityRules.optOuts.has("testOnlyTypo")).toBe(false);
    expect(SecurityRules.optOuts.has("testOnlyString")).toBe(false);
    const { app } = build((s) => {
      const owner = new Construct(s, "owner");
      owner.node.addMetadata("aks-secrets:opt-out:testOnlyPurge", "vault recreated daily by the test rig");
      new AzKeyVault(owner, "raw", { ...rawVault, purgeProtectionEnabled: false });
    });
    expect(() => validateTree(app)).not.toThrow();
    expect(securityReport(app).suppressed.map((x) => [x.ruleId, x.source, x.suppressedAt, x.reason])).toEqual([["AKSS-KV1", "opt-out", "test/owner", "vault recreated daily by the test rig"]]);
  });

  test("KeyVault opt-outs map to KV2 and KV3", () => {
    const { app } = build((s) => new KeyVault(s, "kv", { ...kvProps, allowPublicNetwork: { reason: "public demo, dummy values only" }, allowDestroy: { reason: "ephemeral CI environment" } }));
    expect(() => validateTree(app)).not.toThrow();
    expect(securityReport(app).suppressed.map((x) => [x.ruleId, x.optOut, x.reason])).toEqual([
      ["AKSS-KV2", "publicNetwork", "public demo, dummy values only"],
      ["AKSS-KV3", "destroy", "ephemeral CI environment"],
    ]);
  });
});

describe("when findings fail synth", () => {
  test("validateTree fails before any stack is written, even when an earlier stack is clean", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "security-rules."));
    const app = new App({ outdir });
    new KeyVault(stackIn(app, "a-clean"), "kv", kvProps);
    new AzKeyVault(stackIn(app, "b-bad"), "raw", { ...rawVault, purgeProtectionEnabled: false });
    applySecurityRules(app);
    const [p] = expectProblems(() => validateTree(app));
    expect(p).toEqual(expect.objectContaining({ path: "b-bad/raw", field: "AKSS-KV1 purge_protection_enabled", value: "false" }));
    expect(filesUnder(outdir)).toEqual([]);
    // without the pre-synth validation, cdktf writes the clean stack before failing on the bad one
    expect(() => app.synth()).toThrow(/AKSS-KV1 purge_protection_enabled/);
    expect(filesUnder(outdir)).toContain(path.join("stacks", "a-clean", "cdk.tf.json"));
    expect(filesUnder(outdir).some((f) => f.includes("b-bad"))).toBe(false);
  });

  test("resources added after applySecurityRules are checked too", () => {
    const app = Testing.app();
    const stack = stackIn(app);
    applySecurityRules(app);
    new AzKeyVault(stack, "late", { ...rawVault, purgeProtectionEnabled: false });
    expectProblem(() => validateTree(app), { path: "test/late", field: "AKSS-KV1 purge_protection_enabled", rule: /purge/ });
  });

  test("the aspect alone fails the stack's synth (cdk-nag style)", () => {
    const stack = stackIn(Testing.app());
    new AzKeyVault(stack, "raw", { ...rawVault, purgeProtectionEnabled: false });
    expect(() => Testing.synth(stack, true)).not.toThrow(); // rules are opt-in
    Aspects.of(stack).add(new SecurityRules());
    expect(() => Testing.synth(stack, true)).toThrow(/AKSS-KV1 purge_protection_enabled/);
  });

  test("a finding is reported once however the rules are applied", () => {
    const app = Testing.app();
    const stack = stackIn(app);
    new AzKeyVault(stack, "raw", { ...rawVault, purgeProtectionEnabled: false });
    applySecurityRules(app);
    applySecurityRules(stack);
    Aspects.of(stack).add(new SecurityRules());
    const problems = expectProblems(() => validateTree(app));
    expect(problems.map((p) => p.field)).toEqual(["AKSS-KV1 purge_protection_enabled"]);
    let message = "";
    try {
      Testing.synth(stack, true); // runs the aspects, then the validations again
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("AKSS-KV1 purge_protection_enabled").length - 1).toBe(1);
  });
});

describe("the default app", () => {
  test("synthesizes with no finding and no suppression", () => {
    const app = Testing.app();
    const { platform } = buildDefaultApp(app);
    applySecurityRules(app);
    expect(() => validateTree(app)).not.toThrow();
    expect(() => Testing.synth(platform, true)).not.toThrow();
    const report = securityReport(app);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([]);
    expect(report.unusedSuppressions).toEqual([]);
    // at least the key vault, the cluster, and the access policies of the demo workload and the CSI add-on
    expect(report.resourcesChecked).toBeGreaterThanOrEqual(4);
  });
});

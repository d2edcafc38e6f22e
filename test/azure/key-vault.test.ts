import { TerraformStack } from "cdktf";
import { KeyVault, KeyVaultProps } from "../../constructs/azure/key-vault";
import { externalPrincipal } from "../../constructs/azure/principal";
import { expectProblem, only, resources, scope, synth } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const base: KeyVaultProps = { name: "kv-test-01", resourceGroupName: "rg-test", location: "westeurope", tenantId: TENANT };

function reader(stack: TerraformStack, id: string, principalId: string) {
  const owner = new TerraformStack(stack, id); // any construct can own an external identity
  return externalPrincipal(owner, { principalId, clientId: `client-of-${principalId}` });
}

describe("KeyVault defaults", () => {
  const kv = only(synth((s) => new KeyVault(s, "kv", base)), "azurerm_key_vault");

  test("RBAC mode, purge protection, 90-day soft delete", () => {
    expect(kv.rbac_authorization_enabled).toBe(true);
    expect(kv.purge_protection_enabled).toBe(true);
    expect(kv.soft_delete_retention_days).toBe(90);
    expect(kv.sku_name).toBe("standard");
    expect(kv.tenant_id).toBe(TENANT);
  });

  test("the firewall denies by default, letting trusted Azure services through", () => {
    expect(kv.network_acls).toEqual({ default_action: "Deny", bypass: "AzureServices" });
  });

  test("is protected from destroy", () => {
    expect(kv.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("KeyVault options", () => {
  test("access-policy mode, allowed IPs and subnets", () => {
    const kv = only(
      synth((s) => new KeyVault(s, "kv", { ...base, authorization: "accessPolicy", allowedIpRanges: ["203.0.113.4"], allowedSubnetIds: ["/sub/1"] })),
      "azurerm_key_vault",
    );
    expect(kv.rbac_authorization_enabled).toBe(false);
    expect(kv.network_acls).toEqual({ default_action: "Deny", bypass: "AzureServices", ip_rules: ["203.0.113.4"], virtual_network_subnet_ids: ["/sub/1"] });
  });

  test("opt-outs of network closure and destroy protection need reasons and are recorded", () => {
    let vault!: KeyVault;
    const kv = only(
      synth((s) => (vault = new KeyVault(s, "kv", { ...base, allowPublicNetwork: { reason: "public demo vault, no real secrets" }, allowDestroy: { reason: "ephemeral test environment" } }))),
      "azurerm_key_vault",
    );
    expect(kv.network_acls.default_action).toBe("Allow");
    expect(kv.lifecycle).toEqual({ prevent_destroy: false });
    const meta = Object.fromEntries(vault.node.metadata.map((m) => [m.type, m.data]));
    expect(meta["aks-secrets:opt-out:publicNetwork"]).toBe("public demo vault, no real secrets");
    expect(meta["aks-secrets:opt-out:destroy"]).toBe("ephemeral test environment");
  });

  test("secrets are declared by name only: no secret resource, no value anywhere", () => {
    let vault!: KeyVault;
    const tf = synth((s) => {
      vault = new KeyVault(s, "kv", { ...base, secrets: ["db-password"] });
      vault.declareSecret("api-key");
    });
    expect(vault.secrets.map((x) => x.name)).toEqual(["db-password", "api-key"]);
    expect(resources(tf, "azurerm_key_vault_secret")).toEqual({});
    expect(JSON.stringify(tf)).not.toMatch(/"value"\s*:/);
  });
});

describe("grantSecretRead in access-policy mode", () => {
  test("writes one access policy with Get on secrets and nothing else", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
      kv.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"));
    });
    const policy = only(tf, "azurerm_key_vault_access_policy");
    expect(policy.secret_permissions).toEqual(["Get"]);
    expect(policy.key_permissions).toBeUndefined();
    expect(policy.certificate_permissions).toBeUndefined();
    expect(policy.storage_permissions).toBeUndefined();
    expect(policy.object_id).toBe("00000000-0000-0000-0000-0000000000aa");
    expect(policy.tenant_id).toBe(TENANT);
    expect(policy.key_vault_id).toMatch(/^\$\{azurerm_key_vault\.kv_vault_[0-9A-F]+\.id\}$/);
  });

  test("granting the same identity twice keeps one policy (Azure allows one per principal)", () => {
    let vault!: KeyVault;
    const tf = synth((s) => {
      vault = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
      const p = reader(s, "app", "00000000-0000-0000-0000-0000000000aa");
      vault.grantSecretRead(p, { secrets: ["a"] });
      vault.grantSecretRead(p, { secrets: ["b"] });
    });
    expect(Object.keys(resources(tf, "azurerm_key_vault_access_policy"))).toHaveLength(1);
    expect(vault.grants[0].secrets).toEqual(["a", "b"]);
  });
});

describe("grantSecretRead in RBAC mode", () => {
  test("at vault scope: one Key Vault Secrets User assignment on the vault", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", base);
      kv.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"));
    });
    const ra = only(tf, "azurerm_role_assignment");
    expect(ra.role_definition_name).toBe("Key Vault Secrets User");
    expect(ra.principal_id).toBe("00000000-0000-0000-0000-0000000000aa");
    expect(ra.principal_type).toBe("ServicePrincipal");
    expect(ra.scope).toMatch(/^\$\{azurerm_key_vault\.kv_vault_[0-9A-F]+\.id\}$/);
  });

  test("per secret: one assignment at each secret's scope", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", base);
      kv.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: ["db-password", "api-key"] });
    });
    const scopes = Object.values(resources(tf, "azurerm_role_assignment")).map((r: any) => r.scope.replace(/kv_vault_[0-9A-F]+/, "VAULT"));
    expect(scopes.sort()).toEqual(["${azurerm_key_vault.VAULT.id}/secrets/api-key", "${azurerm_key_vault.VAULT.id}/secrets/db-password"]);
    for (const r of Object.values(resources(tf, "azurerm_role_assignment")) as any[]) expect(r.role_definition_name).toBe("Key Vault Secrets User");
  });

  test("scope: vault writes one assignment on the vault, and still records the secrets for the wiring checks", () => {
    let vault!: KeyVault;
    const tf = synth((s) => {
      vault = new KeyVault(s, "kv", base);
      vault.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: ["db-password", "api-key"], scope: "vault" });
    });
    const ra = only(tf, "azurerm_role_assignment");
    expect(ra.scope).toMatch(/^\$\{azurerm_key_vault\.kv_vault_[0-9A-F]+\.id\}$/);
    expect(vault.grants[0].secrets).toEqual(["db-password", "api-key"]);
  });

  test("an unknown scope is rejected", () => {
    const s = scope();
    const kv = new KeyVault(s, "kv", base);
    expectProblem(() => kv.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: ["x"], scope: "resourceGroup" as never }), {
      path: "test/kv",
      field: "grantSecretRead.scope",
      value: "resourceGroup",
      rule: /must be "secret"/,
    });
  });

  test("widening a per-secret grant adds assignments without touching existing ones", () => {
    let vault!: KeyVault;
    const before = synth((s) => {
      vault = new KeyVault(s, "kv", base);
      vault.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: ["a"] });
    });
    const after = synth((s) => {
      vault = new KeyVault(s, "kv", base);
      const p = reader(s, "app", "00000000-0000-0000-0000-0000000000aa");
      vault.grantSecretRead(p, { secrets: ["a"] });
      vault.grantSecretRead(p, { secrets: ["b"] });
    });
    const keysBefore = Object.keys(resources(before, "azurerm_role_assignment"));
    const keysAfter = Object.keys(resources(after, "azurerm_role_assignment"));
    expect(keysAfter).toEqual(expect.arrayContaining(keysBefore));
    expect(keysAfter).toHaveLength(2);
    expect(vault.canRead(vault.grants[0].principal, "b")).toBe(true);
    expect(vault.canRead(vault.grants[0].principal, "c")).toBe(false);
  });

  test("granted secrets are declared on the vault", () => {
    let vault!: KeyVault;
    synth((s) => {
      vault = new KeyVault(s, "kv", base);
      vault.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: ["x1"] });
    });
    expect(vault.secrets.map((x) => x.name)).toEqual(["x1"]);
  });
});

describe("KeyVault validation", () => {
  const make = (over: Partial<KeyVaultProps>) => () => new KeyVault(scope(), "kv", { ...base, ...over });
  test.each([
    ["name", "kv", /3-24/],
    ["name", "1vault", /start with a letter/],
    ["name", "kv--double", /no two hyphens/],
    ["name", "kv-ends-", /end with a letter or digit/],
    ["name", "kv-this-name-is-far-too-long", /3-24/],
  ])("%s %j is rejected", (field, value, rule) => {
    expectProblem(make({ name: value }), { path: "test/kv", field, value, rule });
  });

  test("tenant must be a GUID", () => {
    expectProblem(make({ tenantId: "contoso.onmicrosoft.com" }), { field: "tenantId", value: "contoso.onmicrosoft.com", rule: /GUID/ });
  });

  test("retention 7-90 days", () => {
    expectProblem(make({ softDeleteRetentionDays: 3 }), { field: "softDeleteRetentionDays", rule: /7 to 90/ });
  });

  test("allowed IP ranges must be valid and must not overlap", () => {
    expectProblem(make({ allowedIpRanges: ["203.0.113.0/33"] }), { field: "allowedIpRanges[0]", value: "203.0.113.0/33", rule: /IPv4/ });
    expectProblem(make({ allowedIpRanges: ["203.0.113.0/24", "203.0.113.9"] }), { field: "allowedIpRanges[1]", value: "203.0.113.9", rule: /overlaps 203.0.113.0\/24/ });
  });

  test("secret names follow Key Vault's rule", () => {
    expectProblem(make({ secrets: ["db_password"] }), { field: 'secrets["db_password"]', value: "db_password", rule: /letters, digits and hyphens/ });
  });

  test("an opt-out needs a reason", () => {
    expectProblem(make({ allowDestroy: { reason: "x" } }), { field: "allowDestroy.reason", rule: /written reason/ });
  });

  test("access-policy mode stops at Azure's 1024 policies per vault", () => {
    const s = scope();
    const kv = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
    for (let i = 0; i < 1024; i++) kv.grantSecretRead(reader(s, `app${i}`, `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`));
    expect(kv.grants).toHaveLength(1024);
    expectProblem(() => kv.grantSecretRead(reader(s, "one-more", "00000000-0000-0000-0000-ffffffffffff")), {
      path: "test/kv",
      field: "grantSecretRead",
      value: "test/one-more",
      rule: /at most 1024 .* use authorization "rbac"/,
    });
    // Widening an existing principal's grant is not a new policy.
    expect(() => kv.grantSecretRead(kv.grants[0].principal, { secrets: ["x"] })).not.toThrow();
  });

  test("a secret ref from another vault is refused", () => {
    const s = scope();
    const a = new KeyVault(s, "a", base);
    const b = new KeyVault(s, "b", { ...base, name: "kv-test-02" });
    const ref = b.declareSecret("x");
    expectProblem(() => a.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: [ref] }), {
      path: "test/a",
      field: "grantSecretRead.secrets",
      rule: /belongs to vault test\/b/,
    });
  });
});

describe("grantSecretWrite (the secret owners, out of band)", () => {
  test("access-policy mode: Set on secrets and nothing else (no read, list, delete or recover); nothing on keys or certificates", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
      kv.grantSecretWrite(reader(s, "owners", "00000000-0000-0000-0000-0000000000bb"), { reason: "the team that owns the demo secrets" });
    });
    const p = only(tf, "azurerm_key_vault_access_policy");
    expect(p.secret_permissions).toEqual(["Set"]);
    expect(p.key_permissions).toBeUndefined();
    expect(p.certificate_permissions).toBeUndefined();
  });

  test("access-policy mode: the rights asked for beyond Set, in access-policy order", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
      kv.grantSecretWrite(reader(s, "owners", "00000000-0000-0000-0000-0000000000bb"), { reason: "the team that owns the demo secrets", extraPermissions: ["Recover", "Delete", "List", "Get"] });
    });
    expect(only(tf, "azurerm_key_vault_access_policy").secret_permissions).toEqual(["Get", "List", "Set", "Delete", "Recover"]);
  });

  test("a principal that reads and writes has one access policy holding both (Azure allows one per principal)", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
      const p = reader(s, "owners", "00000000-0000-0000-0000-0000000000bb");
      kv.grantSecretRead(p);
      kv.grantSecretWrite(p, { reason: "the team that owns the demo secrets" });
    });
    const policies = Object.entries(resources(tf, "azurerm_key_vault_access_policy"));
    expect(policies).toHaveLength(1);
    expect(policies[0][0]).toMatch(/^kv_read-test-owners_/); // the first grant's address stays
    expect(policies[0][1].secret_permissions).toEqual(["Get", "Set"]);
  });

  test("RBAC mode: a custom role on the vault holding only the setSecret data action (Secrets Officer would also delete, recover and purge)", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", base);
      kv.grantSecretWrite(reader(s, "owners", "00000000-0000-0000-0000-0000000000bb"), { reason: "the team that owns the demo secrets" });
    });
    const role = only(tf, "azurerm_role_definition");
    expect(role.permissions).toEqual([{ actions: [], data_actions: ["Microsoft.KeyVault/vaults/secrets/setSecret/action"] }]);
    expect(role.scope).toMatch(/^\$\{azurerm_key_vault\.kv_vault_[0-9A-F]+\.id\}$/);
    expect(role.assignable_scopes).toEqual([role.scope]);
    expect(role.name).toBe(`Key Vault secret writer ${base.name}`);
    const ra = only(tf, "azurerm_role_assignment");
    expect(ra.role_definition_name).toBeUndefined();
    expect(ra.role_definition_id).toMatch(/^\$\{azurerm_role_definition\.kv_writer-role_[0-9A-F]+\.role_definition_resource_id\}$/);
    expect(ra.scope).toBe(role.scope);
    expect(ra.principal_type).toBeUndefined(); // a user, a group or a service principal
  });

  test("RBAC mode: writers with the same rights share one role; more rights, a role of their own", () => {
    const tf = synth((s) => {
      const kv = new KeyVault(s, "kv", base);
      kv.grantSecretWrite(reader(s, "owners", "00000000-0000-0000-0000-0000000000bb"), { reason: "the team that owns the demo secrets" });
      kv.grantSecretWrite(reader(s, "ops", "00000000-0000-0000-0000-0000000000cc"), { reason: "the on-call engineers rotate values" });
      const g = kv.grantSecretWrite(reader(s, "admins", "00000000-0000-0000-0000-0000000000dd"), { reason: "the vault admins clean up old secrets", extraPermissions: ["List", "Delete"] });
      expect(g.permissions).toEqual(["List", "Set", "Delete"]);
    });
    const roles = Object.values(resources(tf, "azurerm_role_definition"));
    expect(roles.map((r: any) => r.permissions[0].data_actions).sort((a: string[], b: string[]) => a.length - b.length)).toEqual([
      ["Microsoft.KeyVault/vaults/secrets/setSecret/action"],
      ["Microsoft.KeyVault/vaults/secrets/readMetadata/action", "Microsoft.KeyVault/vaults/secrets/setSecret/action", "Microsoft.KeyVault/vaults/secrets/delete"],
    ]);
    expect(Object.keys(resources(tf, "azurerm_role_assignment"))).toHaveLength(3);
  });

  test("extra rights are checked, and given in one call", () => {
    const s = scope();
    const kv = new KeyVault(s, "kv", base);
    const owners = reader(s, "owners", "00000000-0000-0000-0000-0000000000bb");
    expectProblem(() => kv.grantSecretWrite(owners, { reason: "the team that owns the demo secrets", extraPermissions: ["Purge" as any] }), {
      path: "test/kv",
      field: "grantSecretWrite.extraPermissions",
      rule: /must list rights from "Get", "List", "Delete", "Recover"/,
    });
    kv.grantSecretWrite(owners, { reason: "the team that owns the demo secrets" });
    expect(kv.grantSecretWrite(owners, { reason: "the team that owns the demo secrets" }).permissions).toEqual(["Set"]);
    expectProblem(() => kv.grantSecretWrite(owners, { reason: "the team that owns the demo secrets", extraPermissions: ["Delete"] }), {
      path: "test/kv",
      field: "grantSecretWrite.extraPermissions",
      rule: /differ from the write grant test\/owners has already \(Set\)/,
    });
  });

  test("a writer other than the deployer is an admin grant declared with its reason", () => {
    const { securityReport, applySecurityRules } = require("../../verify/security-rules");
    const s = scope();
    const kv = new KeyVault(s, "kv", { ...base, authorization: "accessPolicy" });
    kv.grantSecretWrite(reader(s, "owners", "00000000-0000-0000-0000-0000000000bb"), { reason: "the team that owns the demo secrets" });
    applySecurityRules(s.node.root);
    const report = securityReport(s.node.root);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((x: any) => [x.ruleId, x.reason])).toEqual([["AKSS-KV4", "admin grant: the team that owns the demo secrets"]]);
  });

  test("a write grant needs a reason", () => {
    const s = scope();
    const kv = new KeyVault(s, "kv", base);
    expectProblem(() => kv.grantSecretWrite(reader(s, "owners", "00000000-0000-0000-0000-0000000000bb"), { reason: "" }), {
      path: "test/kv",
      field: "grantSecretWrite.reason",
      rule: /write grant .* written reason/,
    });
  });
});

describe("declared secrets are what the vault holds", () => {
  test("once declared, a grant naming another secret is refused (a typo would mount nothing)", () => {
    const s = scope();
    const kv = new KeyVault(s, "kv", { ...base, secrets: ["db-password"] });
    expectProblem(() => kv.grantSecretRead(reader(s, "app", "00000000-0000-0000-0000-0000000000aa"), { secrets: ["db-pasword"] }), {
      path: "test/kv",
      field: "grantSecretRead.secrets",
      value: "db-pasword",
      rule: /is not a secret of this vault \(declared: "db-password"\)/,
    });
    expect(() => kv.grantSecretRead(reader(s, "app2", "00000000-0000-0000-0000-0000000000ab"), { secrets: ["db-password"] })).not.toThrow();
  });
});

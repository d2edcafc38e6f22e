import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { TerraformStack } from "cdktf";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { VaultJwtAuth, VaultJwtAuthProps, VaultJwtRoleOptions } from "../../constructs/vault/vault-jwt-auth";
import { expectProblem, only, resources, scope, synth as synthAzure, TfJson } from "../helpers";

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/11111111-2222-3333-4444-555555555555/aaaaaaaa-0000-0000-0000-000000000000/";
const issuer = { oidcIssuerUrl: ISSUER };
const demoRole: VaultJwtRoleOptions = {
  name: "demo",
  namespace: "demo",
  serviceAccountName: "demo-app",
  secrets: [{ mount: "secret", path: "demo/config" }],
};

function synth(build: (stack: TerraformStack) => void): TfJson {
  return synthAzure((s) => {
    new VaultProvider(s, "vault", { address: "https://vault.example:8200", namespace: "admin" });
    build(s);
  });
}

function withAuth(props: Partial<VaultJwtAuthProps> = {}) {
  let auth!: VaultJwtAuth;
  const tf = synth((s) => (auth = new VaultJwtAuth(s, "jwt", { issuer, roles: [demoRole], ...props })));
  return { tf, auth };
}

describe("VaultJwtAuth backend", () => {
  test("trusts the AKS issuer through OIDC discovery, mounted at jwt-aks", () => {
    const { tf } = withAuth();
    const b = only(tf, "vault_jwt_auth_backend");
    expect(b).toMatchObject({ path: "jwt-aks", type: "jwt", oidc_discovery_url: ISSUER, bound_issuer: ISSUER });
    expect(b.jwt_validation_pubkeys).toBeUndefined();
    expect(Object.keys(resources(tf, "vault_jwt_auth_backend"))).toEqual(["jwt_backend_B86C4D3E"]);
  });

  test("or verifies with the issuer's public keys when Vault cannot reach it", () => {
    const pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----";
    const b = only(withAuth({ keys: { mode: "publicKeys", keys: [pem] } }).tf, "vault_jwt_auth_backend");
    expect(b.jwt_validation_pubkeys).toEqual([pem]);
    expect(b.oidc_discovery_url).toBeUndefined();
    expect(b.bound_issuer).toBe(ISSUER);
  });

  test("takes the issuer from an AksCluster as a reference", () => {
    const tf = synth((s) => {
      const cluster = new AksCluster(s, "aks", { name: "aks-x", resourceGroupName: "rg", location: "westeurope", nodeSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s", apiServerAccess: { mode: "private" } });
      new VaultJwtAuth(s, "jwt", { issuer: cluster, roles: [demoRole] });
    });
    const clusterId = Object.keys(resources(tf, "azurerm_kubernetes_cluster"))[0];
    const b = only(tf, "vault_jwt_auth_backend");
    expect(b.oidc_discovery_url).toBe(`\${azurerm_kubernetes_cluster.${clusterId}.oidc_issuer_url}`);
    expect(b.bound_issuer).toBe(b.oidc_discovery_url);
  });
});

describe("VaultJwtAuth roles", () => {
  const { tf, auth } = withAuth();
  const role = only(tf, "vault_jwt_auth_backend_role");
  const policy = only(tf, "vault_policy");

  test("bind one service account by subject, with audiences, user claim sub and short-lived tokens", () => {
    expect(role).toMatchObject({
      backend: "${vault_jwt_auth_backend.jwt_backend_B86C4D3E.path}",
      role_name: "demo",
      role_type: "jwt",
      user_claim: "sub",
      bound_subject: "system:serviceaccount:demo:demo-app",
      bound_audiences: ["vault"],
      token_ttl: 1200,
      token_max_ttl: 3600,
    });
    const policyId = Object.keys(resources(tf, "vault_policy"))[0];
    expect(role.token_policies).toEqual([`\${vault_policy.${policyId}.name}`]);
  });

  test("carry one read-only policy on the kv-v2 data path of each secret", () => {
    expect(policy.name).toBe("jwt-aks-demo-read");
    const body = policy.policy.replace(/^#.*\n/gm, "");
    expect(body).toBe('path "secret/data/demo/config" {\n  capabilities = ["read"]\n}\n');
  });

  test("the role object says who it trusts and what it may read", () => {
    const r = auth.role("demo")!;
    expect(r.subject).toBe("system:serviceaccount:demo:demo-app");
    expect(r.audiences).toEqual(["vault"]);
    expect(r.mount).toBe("jwt-aks");
    expect(r.canRead({ mount: "secret", path: "demo/config" })).toBe(true);
    expect(r.canRead({ mount: "secret", path: "demo/other" })).toBe(false);
    expect(r.accepts("demo", "demo-app", "vault")).toBe(true);
    expect(r.accepts("demo", "default", "vault")).toBe(false);
    expect(r.accepts("demo", "demo-app", "api://AzureADTokenExchange")).toBe(false);
  });

  test("several roles, each with its own subject and policy; repeated secrets listed once", () => {
    const { tf: tf2 } = withAuth({
      path: "jwt-prod",
      roles: [
        demoRole,
        {
          name: "billing",
          namespace: "billing",
          serviceAccountName: "billing-api",
          audiences: ["vault", "https://vault.internal"],
          tokenTtl: "5m",
          tokenMaxTtl: "30m",
          secrets: [
            { mount: "secret", path: "billing/db" },
            { mount: "kv-billing", path: "stripe/api" },
            { mount: "secret", path: "billing/db" },
          ],
        },
      ],
    });
    const roles = Object.values(resources(tf2, "vault_jwt_auth_backend_role")).map((r: any) => [r.role_name, r.bound_subject, r.bound_audiences, r.token_ttl, r.token_max_ttl]);
    expect(roles.sort()).toEqual([
      ["billing", "system:serviceaccount:billing:billing-api", ["vault", "https://vault.internal"], 300, 1800],
      ["demo", "system:serviceaccount:demo:demo-app", ["vault"], 1200, 3600],
    ]);
    const policies = Object.values(resources(tf2, "vault_policy")) as any[];
    expect(policies.map((p) => p.name).sort()).toEqual(["jwt-prod-billing-read", "jwt-prod-demo-read"]);
    const billing = policies.find((p) => p.name === "jwt-prod-billing-read").policy as string;
    expect([...billing.matchAll(/path "([^"]+)"/g)].map((m) => m[1])).toEqual(["secret/data/billing/db", "kv-billing/data/stripe/api"]);
    // Every block grants read and nothing else.
    expect([...billing.matchAll(/capabilities = (\[[^\]]*\])/g)].map((m) => JSON.parse(m[1]))).toEqual([["read"], ["read"]]);
  });
});

describe("VaultJwtAuth validation", () => {
  const make = (role: Partial<VaultJwtRoleOptions>, props: Partial<VaultJwtAuthProps> = {}) => () =>
    new VaultJwtAuth(scope(), "jwt", { issuer, ...props, roles: [{ ...demoRole, ...role } as VaultJwtRoleOptions] });

  test.each([
    ["roles[0].name", { name: "Demo" }, "Demo", /lowercase/],
    ["roles[0].namespace", { namespace: "Demo_NS" }, "Demo_NS", /DNS-1123 label/],
    ["roles[0].serviceAccountName", { serviceAccountName: "app_1" }, "app_1", /DNS-1123 subdomain/],
    ["roles[0].audiences[0]", { audiences: ["api://AzureADTokenExchange"] }, "api://AzureADTokenExchange", /Entra ID's token-exchange audience/],
    ["roles[0].secrets[0].path", { secrets: [{ mount: "secret", path: "data/demo/config" }] }, "data/demo/config", /not starting with data\//],
    ["roles[0].secrets[0].path", { secrets: [{ mount: "secret", path: "demo/*" }] }, "demo/*", /no globs/],
    ["roles[0].secrets[0].mount", { secrets: [{ mount: "/secret/", path: "demo/config" }] }, "/secret/", /mount path/],
    ["roles[0].tokenTtl", { tokenTtl: "20 minutes" }, "20 minutes", /Go duration/],
    ["roles[0].tokenTtl", { tokenTtl: "10s" }, "10s", /1m to 24h/],
    ["roles[0].tokenMaxTtl", { tokenTtl: "2h", tokenMaxTtl: "1h" }, "1h", /not be shorter than tokenTtl/],
  ])("%s %j is rejected", (field, over, value, rule) => {
    expectProblem(make(over as Partial<VaultJwtRoleOptions>), { path: "test/jwt", field, value: value as string, rule });
  });

  test.each(["name", "namespace", "serviceAccountName"] as const)("a role without %s is reported (not created with undefined)", (key) => {
    const role: Record<string, unknown> = { ...demoRole };
    delete role[key];
    expectProblem(() => new VaultJwtAuth(scope(), "jwt", { issuer, roles: [role as unknown as VaultJwtRoleOptions] }), { path: "test/jwt", field: `roles[0].${key}`, rule: /^is required: / });
  });

  test("a role needs an audience and a secret", () => {
    expectProblem(make({ audiences: [] }), { field: "roles[0].audiences", rule: /at least one audience/ });
    expectProblem(make({ secrets: [] }), { field: "roles[0].secrets", rule: /at least one KV v2 secret/ });
  });

  test("role names are unique per mount", () => {
    expectProblem(() => new VaultJwtAuth(scope(), "jwt", { issuer, roles: [demoRole, demoRole] }), { field: "roles[1].name", value: "demo", rule: /unique per mount/ });
  });

  test("the issuer must be https and the keys PEM", () => {
    expectProblem(make({}, { issuer: { oidcIssuerUrl: "http://issuer.example/" } }), { field: "issuer.oidcIssuerUrl", value: "http://issuer.example/", rule: /https URL/ });
    expectProblem(make({}, { keys: { mode: "publicKeys", keys: [] } }), { field: "keys.keys", rule: /at least one PEM/ });
    expectProblem(make({}, { keys: { mode: "publicKeys", keys: ["not a key"] } }), { field: "keys.keys[0]", value: "not a key", rule: /PEM public key/ });
  });

  test("addRole rejects at once, naming the method", () => {
    const auth = new VaultJwtAuth(scope(), "jwt", { issuer });
    expectProblem(() => auth.addRole({ ...demoRole, namespace: "" }), { path: "test/jwt", field: "addRole.namespace", value: "", rule: /DNS-1123 label/ });
  });
});

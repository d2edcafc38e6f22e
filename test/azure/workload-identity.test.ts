import { TerraformStack } from "cdktf";
import { ServiceAccountBinding, WorkloadIdentity, WorkloadIdentityProps } from "../../constructs/azure/workload-identity";
import { expectProblem, only, resources, scope, synth } from "../helpers";

const ISSUER = { oidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant/issuer-guid/" };
const base: WorkloadIdentityProps = { name: "id-orders", resourceGroupName: "rg-test", location: "westeurope", issuer: ISSUER };
const credentials = (tf: ReturnType<typeof synth>) => Object.values(resources(tf, "azurerm_federated_identity_credential")) as any[];

describe("WorkloadIdentity", () => {
  test("creates a user-assigned identity", () => {
    const id = only(synth((s) => new WorkloadIdentity(s, "orders", base)), "azurerm_user_assigned_identity");
    expect(id).toMatchObject({ name: "id-orders", resource_group_name: "rg-test", location: "westeurope" });
  });

  test("one federated credential per service account, with issuer, subject and audience", () => {
    const tf = synth((s) => new WorkloadIdentity(s, "orders", { ...base, serviceAccounts: [{ namespace: "shop", name: "orders-api" }] }));
    const [cred] = credentials(tf);
    const identityId = Object.keys(resources(tf, "azurerm_user_assigned_identity"))[0];
    expect(cred).toMatchObject({
      name: "shop-orders-api",
      issuer: ISSUER.oidcIssuerUrl,
      subject: "system:serviceaccount:shop:orders-api",
      audience: ["api://AzureADTokenExchange"],
      // issue 11: the name azurerm 4.81 and 5.x share (parent_id is deprecated, removed in 5.0;
      // resource_group_name is deprecated and computed in 4.81, removed in 5.0)
      user_assigned_identity_id: `\${azurerm_user_assigned_identity.${identityId}.id}`,
    });
    expect(cred).not.toHaveProperty("parent_id");
    expect(cred).not.toHaveProperty("resource_group_name");
  });

  test("credentials of one identity are created one after another", () => {
    const tf = synth((s) => {
      const id = new WorkloadIdentity(s, "orders", base);
      for (const ns of ["a", "b", "c"]) id.addServiceAccount({ namespace: ns, name: "app" });
    });
    const all = resources(tf, "azurerm_federated_identity_credential");
    const byName = Object.fromEntries(Object.entries(all).map(([k, v]: [string, any]) => [v.name, { key: k, dependsOn: v.depends_on }]));
    expect(byName["a-app"].dependsOn).toBeUndefined();
    expect(byName["b-app"].dependsOn).toEqual([`azurerm_federated_identity_credential.${byName["a-app"].key}`]);
    expect(byName["c-app"].dependsOn).toEqual([`azurerm_federated_identity_credential.${byName["b-app"].key}`]);
  });

  test("a per-binding issuer overrides the identity's", () => {
    const other = { oidcIssuerUrl: "https://other.example/issuer/" };
    const tf = synth((s) => new WorkloadIdentity(s, "orders", { ...base, serviceAccounts: [{ namespace: "x", name: "y", issuer: other, credentialName: "cluster-b-x-y" }] }));
    expect(credentials(tf)[0]).toMatchObject({ issuer: other.oidcIssuerUrl, name: "cluster-b-x-y" });
  });

  test("the same service account may be trusted on two clusters (two issuers)", () => {
    const other = { oidcIssuerUrl: "https://other.example/issuer/" };
    let identity!: WorkloadIdentity;
    const tf = synth((s) => {
      identity = new WorkloadIdentity(s, "orders", base);
      identity.addServiceAccount({ namespace: "x", name: "y" });
      identity.addServiceAccount({ namespace: "x", name: "y", issuer: other, credentialName: "second-cluster" });
    });
    expect(credentials(tf)).toHaveLength(2);
    expect(identity.trusts(ISSUER, "x", "y")).toBe(true);
    expect(identity.trusts(other, "x", "y")).toBe(true);
    expect(identity.trusts(ISSUER, "x", "z")).toBe(false);
  });

  test("20 credentials are allowed", () => {
    const tf = synth((s) => {
      const id = new WorkloadIdentity(s, "orders", base);
      for (let i = 0; i < 20; i++) id.addServiceAccount({ namespace: `ns${i}`, name: "app" });
    });
    expect(credentials(tf)).toHaveLength(20);
  });
});

describe("WorkloadIdentity validation", () => {
  const make = (over: Partial<WorkloadIdentityProps>) => () => new WorkloadIdentity(scope(), "orders", { ...base, ...over });

  test("the 21st credential is rejected, naming the limit", () => {
    const s: TerraformStack = scope();
    const id = new WorkloadIdentity(s, "orders", base);
    for (let i = 0; i < 20; i++) id.addServiceAccount({ namespace: `ns${i}`, name: "app" });
    expectProblem(() => id.addServiceAccount({ namespace: "ns20", name: "app" }), { path: "test/orders", field: "addServiceAccount", value: "ns20/app", rule: /at most 20/ });
  });

  test("more than 20 service accounts in props are rejected", () => {
    const sas: ServiceAccountBinding[] = Array.from({ length: 21 }, (_, i) => ({ namespace: `ns${i}`, name: "app" }));
    expectProblem(make({ serviceAccounts: sas }), { field: "serviceAccounts", rule: /at most 20/ });
  });

  test("binding the same service account twice is rejected", () => {
    expectProblem(make({ serviceAccounts: [{ namespace: "a", name: "b" }, { namespace: "a", name: "b", credentialName: "again" }] }), {
      field: "serviceAccounts[1]",
      value: "a/b",
      rule: /already bound/,
    });
  });

  test("one service account bound to two identities on the same issuer is rejected", () => {
    const s = scope();
    new WorkloadIdentity(s, "orders", { ...base, serviceAccounts: [{ namespace: "shop", name: "api" }] });
    expectProblem(() => new WorkloadIdentity(s, "billing", { ...base, name: "id-billing", serviceAccounts: [{ namespace: "shop", name: "api" }] }), {
      path: "test/billing",
      field: "serviceAccounts[0]",
      value: "shop/api",
      rule: /already bound to identity test\/orders on this issuer: a service account carries one client ID/,
    });
    // On another cluster (another issuer) the same namespace/name is another service account.
    expect(() => new WorkloadIdentity(s, "other-cluster", { ...base, name: "id-other", issuer: { oidcIssuerUrl: "https://other/" }, serviceAccounts: [{ namespace: "shop", name: "api" }] })).not.toThrow();
  });

  test("duplicate credential names are rejected", () => {
    expectProblem(make({ serviceAccounts: [{ namespace: "a", name: "b", credentialName: "same" }, { namespace: "c", name: "d", credentialName: "same" }] }), {
      field: "serviceAccounts[1].credentialName",
      value: "same",
      rule: /unique per identity/,
    });
  });

  test.each([
    ["serviceAccounts[0].namespace", { namespace: "Shop", name: "app" }, "Shop", /DNS-1123 label/],
    ["serviceAccounts[0].namespace", { namespace: "a".repeat(64), name: "app" }, "a".repeat(64), /DNS-1123 label/],
    ["serviceAccounts[0].name", { namespace: "shop", name: "app_1" }, "app_1", /DNS-1123 subdomain/],
    ["serviceAccounts[0].credentialName", { namespace: "shop", name: "app", credentialName: "x" }, "x", /3-120/],
  ])("%s of %j is rejected", (field, sa, value, rule) => {
    expectProblem(make({ serviceAccounts: [sa as ServiceAccountBinding] }), { field, value, rule });
  });

  test("identity names follow Azure's rule", () => {
    expectProblem(make({ name: "id" }), { field: "name", value: "id", rule: /3-128/ });
    expectProblem(make({ name: "-id-x" }), { field: "name", value: "-id-x", rule: /starting with a letter or digit/ });
  });

  test("a service account needs an issuer", () => {
    expectProblem(make({ issuer: undefined, serviceAccounts: [{ namespace: "a", name: "b" }] }), { field: "serviceAccounts[0].issuer", rule: /whose service account tokens to trust/ });
  });
});

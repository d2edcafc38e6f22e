import { Testing } from "cdktf";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { validateTree } from "../../core/validation";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { expectProblem, expectProblems, only, kubernetesScope, TfJson } from "../helpers";

const CLIENT = "99999999-8888-7777-6666-555555555555";
const TENANT = "11111111-2222-3333-4444-555555555555";

const scope = kubernetesScope;

/** The logical id of the only user-assigned identity in the synthesized stack. */
function identityId(tf: TfJson): string {
  const ids = Object.keys(tf.resource?.azurerm_user_assigned_identity ?? {});
  expect(ids).toHaveLength(1);
  return ids[0];
}

function setup() {
  const stack = scope();
  const cluster = new AksCluster(stack, "cluster", {
    name: "aks-test",
    resourceGroupName: "rg-test",
    location: "westeurope",
    nodeSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
    apiServerAccess: { mode: "private" },
  });
  const identity = new WorkloadIdentity(stack, "orders", { name: "id-orders", resourceGroupName: "rg-test", location: "westeurope", issuer: cluster });
  return { stack, cluster, identity };
}

describe("WorkloadServiceAccount", () => {
  test("is annotated with the identity's client ID, read from the identity resource", () => {
    const { stack, cluster, identity } = setup();
    identity.addServiceAccount({ namespace: "orders", name: "orders-api" });
    const sa = new WorkloadServiceAccount(stack, "sa", { identity, namespace: "orders", name: "orders-api", cluster });
    const tf: TfJson = JSON.parse(Testing.synth(stack, true));
    const r = only(tf, "kubernetes_service_account_v1");
    expect(r.metadata.name).toBe("orders-api");
    expect(r.metadata.namespace).toBe("orders");
    expect(Object.keys(r.metadata.annotations)).toEqual(["azure.workload.identity/client-id"]);
    expect(r.metadata.annotations["azure.workload.identity/client-id"]).toBe(`\${azurerm_user_assigned_identity.${identityId(tf)}.client_id}`);
    expect(r.automount_service_account_token).toBe(false);
    expect(sa.podLabels).toEqual({ "azure.workload.identity/use": "true" });
  });

  test("adds the tenant ID and token lifetime annotations when asked", () => {
    const { stack, identity } = setup();
    identity.addServiceAccount({ namespace: "orders", name: "orders-api" });
    new WorkloadServiceAccount(stack, "sa", { identity, namespace: "orders", name: "orders-api", annotateTenantId: true, tokenExpirationSeconds: 7200 });
    const tf = JSON.parse(Testing.synth(stack, true));
    const r = only(tf, "kubernetes_service_account_v1");
    expect(r.metadata.annotations["azure.workload.identity/tenant-id"]).toBe(`\${azurerm_user_assigned_identity.${identityId(tf)}.tenant_id}`);
    expect(r.metadata.annotations["azure.workload.identity/service-account-token-expiration"]).toBe("7200");
  });

  test("accepts an identity created elsewhere, by its IDs", () => {
    const stack = scope();
    new WorkloadServiceAccount(stack, "sa", { identity: { clientId: CLIENT, tenantId: TENANT }, namespace: "orders", name: "orders-api", annotateTenantId: true });
    const r = only(JSON.parse(Testing.synth(stack, true)), "kubernetes_service_account_v1");
    expect(r.metadata.annotations).toEqual({ "azure.workload.identity/client-id": CLIENT, "azure.workload.identity/tenant-id": TENANT });
  });

  test("fails the tree validation when no federated credential trusts the service account", () => {
    const { stack, cluster, identity } = setup();
    identity.addServiceAccount({ namespace: "orders", name: "other" });
    new WorkloadServiceAccount(stack, "sa", { identity, namespace: "orders", name: "orders-api", cluster });
    expectProblem(() => validateTree(stack), { path: "test/sa", field: "identity", value: "test/orders", rule: /system:serviceaccount:orders:orders-api.*addServiceAccount/ });
  });

  test("a credential added after the service account satisfies the check", () => {
    const { stack, cluster, identity } = setup();
    new WorkloadServiceAccount(stack, "sa", { identity, namespace: "orders", name: "orders-api", cluster });
    identity.addServiceAccount({ namespace: "orders", name: "orders-api" });
    expect(() => validateTree(stack)).not.toThrow();
  });

  test("rejects invalid names, a client ID that is not a GUID and an out-of-range token lifetime", () => {
    const stack = scope();
    const problems = expectProblems(() => new WorkloadServiceAccount(stack, "sa", { identity: { clientId: "not-a-guid" }, namespace: "Orders", name: "orders_api", tokenExpirationSeconds: 60 }));
    expect(problems.map((p) => p.field)).toEqual(["name", "namespace", "identity.clientId", "tokenExpirationSeconds"]);
  });

  test("tenant annotation needs a tenant", () => {
    const stack = scope();
    expectProblem(() => new WorkloadServiceAccount(stack, "sa", { identity: { clientId: CLIENT }, namespace: "orders", name: "api", annotateTenantId: true }), { field: "identity.tenantId", rule: /annotateTenantId/ });
  });
});

import { Testing } from "cdktf";
import { PlatformStack, PlatformStackProps, defaultVaultName } from "../../stacks/platform-stack";
import { expectProblem, only, resources, TfJson } from "../helpers";

function platform(props?: PlatformStackProps): { stack: PlatformStack; tf: TfJson } {
  const stack = new PlatformStack(Testing.app(), "platform", props);
  return { stack, tf: JSON.parse(Testing.synth(stack, true)) };
}

describe("PlatformStack defaults", () => {
  const { stack, tf } = platform();

  test("stateful resources keep their addresses (renaming one would replace a real resource)", () => {
    // Pinned on purpose: a change here means existing deployments would destroy and recreate these.
    expect(Object.keys(resources(tf, "azurerm_resource_group"))).toEqual(["rg"]);
    expect(Object.keys(resources(tf, "azurerm_virtual_network"))).toEqual(["vnet"]);
    expect(Object.keys(resources(tf, "azurerm_subnet"))).toEqual(["nodes"]);
    expect(Object.keys(resources(tf, "azurerm_kubernetes_cluster"))).toEqual(["cluster_A4C38409"]);
    expect(Object.keys(resources(tf, "azurerm_key_vault"))).toEqual(["keyvault_3579520A"]);
    expect(Object.keys(resources(tf, "azurerm_user_assigned_identity"))).toEqual(["workload-demo_identity_E9BA373D"]);
    expect(Object.keys(resources(tf, "azurerm_federated_identity_credential"))).toEqual(["workload-demo_credential-demo-demo-app_F9285080"]);
  });

  test("configures the azurerm provider in the stack and reads the tenant from the signed-in client", () => {
    expect(tf.provider!.azurerm).toEqual([{ features: [{}] }]);
    expect(Object.keys(tf.data!.azurerm_client_config)).toEqual(["current"]);
    expect(only(tf, "azurerm_key_vault").tenant_id).toBe("${data.azurerm_client_config.current.tenant_id}");
  });

  test("network: VNet, node subnet with the Key Vault service endpoint, vault firewall open to that subnet only", () => {
    expect(only(tf, "azurerm_virtual_network").address_space).toEqual(["10.20.0.0/16"]);
    const subnet = only(tf, "azurerm_subnet");
    expect(subnet.address_prefixes).toEqual(["10.20.0.0/22"]);
    expect(subnet.service_endpoints).toEqual(["Microsoft.KeyVault"]);
    expect(only(tf, "azurerm_key_vault").network_acls).toEqual({
      default_action: "Deny",
      bypass: "AzureServices",
      virtual_network_subnet_ids: ["${azurerm_subnet.nodes.id}"],
    });
  });

  test("the cluster is private, in the node subnet, with the add-on on", () => {
    const c = only(tf, "azurerm_kubernetes_cluster");
    expect(c.name).toBe("aks-secrets");
    expect(c.private_cluster_enabled).toBe(true);
    expect(c.default_node_pool.vnet_subnet_id).toBe("${azurerm_subnet.nodes.id}");
    expect(c.key_vault_secrets_provider.secret_rotation_enabled).toBe(true);
  });

  test("the vault uses Azure RBAC: Key Vault Secrets User on the vault for the demo workload identity and the add-on identity (the values do not exist yet on a first deploy)", () => {
    expect(only(tf, "azurerm_key_vault").rbac_authorization_enabled).toBe(true);
    expect(resources(tf, "azurerm_key_vault_access_policy")).toEqual({});
    const readers = (Object.values(resources(tf, "azurerm_role_assignment")) as any[]).filter((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(readers.map((r) => [r.principal_id, r.scope]).sort()).toEqual([
      ["${azurerm_kubernetes_cluster.cluster_A4C38409.key_vault_secrets_provider[0].secret_identity[0].object_id}", "${azurerm_key_vault.keyvault_3579520A.id}"],
      ["${azurerm_user_assigned_identity.workload-demo_identity_E9BA373D.principal_id}", "${azurerm_key_vault.keyvault_3579520A.id}"],
    ]);
    // What each identity may read is still the demo's two secrets (for the wiring checks).
    expect(stack.keyVault.grants.map((g) => g.secrets)).toEqual([
      ["demo-username", "demo-password"],
      ["demo-username", "demo-password"],
    ]);
  });

  test("the deployer writes the secret values through a custom role holding only setSecret, and is cluster admin through Azure RBAC", () => {
    const role = only(tf, "azurerm_role_definition");
    expect(role.permissions).toEqual([{ actions: [], data_actions: ["Microsoft.KeyVault/vaults/secrets/setSecret/action"] }]);
    expect(role.assignable_scopes).toEqual(["${azurerm_key_vault.keyvault_3579520A.id}"]);
    const writer = (Object.values(resources(tf, "azurerm_role_assignment")) as any[]).filter((r) => r.role_definition_id !== undefined);
    expect(writer.map((r) => [r.principal_id, r.scope])).toEqual([["${data.azurerm_client_config.current.object_id}", "${azurerm_key_vault.keyvault_3579520A.id}"]]);
    expect(stack.keyVault.secretWriters.map((w) => w.permissions)).toEqual([["Set"]]);
  });

  test("access-policy mode (opt-in): Get for the demo workload identity and for the add-on identity", () => {
    const { tf } = platform({ keyVaultAuthorization: "accessPolicy" });
    expect(only(tf, "azurerm_key_vault").rbac_authorization_enabled).toBe(false);
    const policies = Object.values(resources(tf, "azurerm_key_vault_access_policy")) as any[];
    const readers = policies.filter((p) => p.object_id !== "${data.azurerm_client_config.current.object_id}");
    expect(readers.map((p) => p.object_id).sort()).toEqual([
      "${azurerm_kubernetes_cluster.cluster_A4C38409.key_vault_secrets_provider[0].secret_identity[0].object_id}",
      "${azurerm_user_assigned_identity.workload-demo_identity_E9BA373D.principal_id}",
    ]);
    for (const p of readers) expect(p.secret_permissions).toEqual(["Get"]);
  });

  test("the deployer may write the secret values and is cluster admin through Azure RBAC (local accounts are off)", () => {
    const { stack, tf } = platform({ keyVaultAuthorization: "accessPolicy" });
    const policies = Object.values(resources(tf, "azurerm_key_vault_access_policy")) as any[];
    const deployer = policies.filter((p) => p.object_id === "${data.azurerm_client_config.current.object_id}");
    // Writing values needs Set alone: no read, list, delete or recover.
    expect(deployer.map((p) => p.secret_permissions)).toEqual([["Set"]]);
    expect(deployer[0].key_permissions).toBeUndefined();
    const ra = resources(tf, "azurerm_role_assignment")["deployer-cluster-admin"];
    expect(ra).toMatchObject({
      scope: "${azurerm_kubernetes_cluster.cluster_A4C38409.id}",
      role_definition_name: "Azure Kubernetes Service RBAC Cluster Admin",
      principal_id: "${data.azurerm_client_config.current.object_id}",
    });
    expect(stack.deployer?.principalKind).toBe("deployer");
  });

  test("deployerAccess: false grants the deployer nothing", () => {
    const { tf: t } = platform({ deployerAccess: false, keyVaultAuthorization: "accessPolicy" });
    expect(resources(t, "azurerm_role_assignment")).toEqual({});
    expect(resources(t, "azurerm_role_definition")).toEqual({});
    expect((Object.values(resources(t, "azurerm_key_vault_access_policy")) as any[]).map((p) => p.secret_permissions)).toEqual([["Get"], ["Get"]]);
  });

  test("the add-on identity reads only the demo workload's secrets, and nothing when there is no demo workload", () => {
    const { stack: s } = platform({ workloads: [{ name: "orders", namespace: "shop", serviceAccountName: "orders", secrets: ["orders-db"] }] });
    expect(s.keyVault.grants.map((g) => g.principal.principalKind)).toEqual(["workload-identity"]);
  });

  test("the demo identity trusts the demo service account on the cluster's issuer", () => {
    const cred = only(tf, "azurerm_federated_identity_credential");
    expect(cred.subject).toBe("system:serviceaccount:demo:demo-app");
    expect(cred.issuer).toBe("${azurerm_kubernetes_cluster.cluster_A4C38409.oidc_issuer_url}");
    expect(stack.workloadIdentities.get("demo")!.trusts(stack.cluster, "demo", "demo-app")).toBe(true);
  });

  test("declares the demo secrets by name and stores no value", () => {
    expect(stack.keyVault.secrets.map((s) => s.name)).toEqual(["demo-username", "demo-password"]);
    expect(resources(tf, "azurerm_key_vault_secret")).toEqual({});
  });

  test("outputs what operators look up, and nothing sensitive", () => {
    expect(Object.keys(tf.output!).sort()).toEqual(["cluster-name", "csi-addon-client-id", "key-vault-name", "oidc-issuer-url", "resource-group-name", "workload-demo-client-id"]);
    expect(JSON.stringify(tf.output)).not.toMatch(/kube_config|kube_admin_config|client_key|password/);
  });

  test("the default vault name is unique per subscription and resource group, and at most 24 characters", () => {
    // Unique per subscription and resource group (Key Vault names are global DNS names), and stable.
    expect(only(tf, "azurerm_key_vault").name).toBe("kv-secrets-${substr(sha1(azurerm_resource_group.rg.id), 0, 6)}");
    // The longest stem leaves room for the 6 hash characters: 3 + 14 + 1 + 6 = 24.
    const long = defaultVaultName("a-very-long-prefix-name", "ID");
    expect(long.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/, "abcdef")).toBe("kv-averylongprefi-abcdef");
  });
});

describe("PlatformStack options", () => {
  test("RBAC vault with per-secret grants, several workloads, authorized IP ranges", () => {
    const { tf } = platform({
      namePrefix: "shop",
      keyVaultName: "kv-shop-prod",
      keyVaultAuthorization: "rbac",
      keyVaultGrantScope: "secret",
      apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"] },
      workloads: [
        { name: "orders", namespace: "shop", serviceAccountName: "orders", secrets: ["orders-db"] },
        { name: "billing", namespace: "shop", serviceAccountName: "billing", secrets: ["billing-key", "billing-db"] },
      ],
      addonReadsSecrets: [],
      tenantId: "11111111-2222-3333-4444-555555555555",
      deployerAccess: false,
    });
    expect(only(tf, "azurerm_key_vault").name).toBe("kv-shop-prod");
    expect(only(tf, "azurerm_key_vault").tenant_id).toBe("11111111-2222-3333-4444-555555555555");
    expect(tf.data?.azurerm_client_config).toBeUndefined();
    const ras = Object.values(resources(tf, "azurerm_role_assignment")) as any[];
    expect(ras.map((r) => r.scope.replace(/\$\{azurerm_key_vault\.[^}]+\}/, "VAULT")).sort()).toEqual([
      "VAULT/secrets/billing-db",
      "VAULT/secrets/billing-key",
      "VAULT/secrets/orders-db",
    ]);
    expect(resources(tf, "azurerm_key_vault_access_policy")).toEqual({});
    expect(Object.keys(resources(tf, "azurerm_user_assigned_identity"))).toHaveLength(2);
    expect(only(tf, "azurerm_kubernetes_cluster").api_server_access_profile).toEqual({ authorized_ip_ranges: ["203.0.113.0/24"] });
  });
});

describe("PlatformStack validation", () => {
  const make = (props: PlatformStackProps) => () => new PlatformStack(Testing.app(), "platform", props);
  test("node subnet outside the VNet", () => {
    expectProblem(make({ nodeSubnetCidr: "10.30.0.0/22" }), { path: "platform", field: "nodeSubnetCidr", value: "10.30.0.0/22", rule: /inside the VNet/ });
  });
  test("overlapping VNet address spaces", () => {
    expectProblem(make({ vnetAddressSpace: ["10.20.0.0/16", "10.20.128.0/17"] }), { field: "vnetAddressSpace[1]", rule: /overlaps/ });
  });
  test("duplicate workload names", () => {
    const w = { name: "a", namespace: "a", serviceAccountName: "a", secrets: ["s"] };
    expectProblem(make({ workloads: [w, { ...w, namespace: "b" }] }), { field: "workloads[1].name", value: "a", rule: /unique/ });
  });
  test("a workload without secrets", () => {
    expectProblem(make({ workloads: [{ name: "a", namespace: "a", serviceAccountName: "a", secrets: [] }] }), { field: "workloads[0].secrets", rule: /at least one/ });
  });
  test.each(["name", "namespace", "serviceAccountName", "secrets"])("a workload without %s is reported, not a TypeError", (key) => {
    const w: Record<string, unknown> = { name: "api", namespace: "api", serviceAccountName: "api", secrets: ["api-key"] };
    delete w[key];
    expectProblem(make({ workloads: [w as any] }), { path: "platform", field: `workloads[0].${key}`, rule: /^is required: / });
  });
  test("a workload that is not an object", () => {
    expectProblem(make({ workloads: ["api" as any] }), { path: "platform", field: "workloads[0]", value: "api", rule: /must be a workload/ });
  });
  test("the resource group name is checked (the constructs only see a reference to it)", () => {
    expectProblem(make({ resourceGroupName: "rg shop" }), { path: "platform", field: "resourceGroupName", value: "rg shop", rule: /resource group names/ });
    const { tf } = platform({ resourceGroupName: "rg-shop_(prod)" });
    expect(only(tf, "azurerm_resource_group").name).toBe("rg-shop_(prod)");
  });
  test("a service CIDR overlapping the VNet is refused (AKS refuses it only at apply)", () => {
    expectProblem(make({ cluster: { serviceCidr: "10.20.200.0/24" } }), {
      path: "platform",
      field: "cluster.serviceCidr",
      value: "10.20.200.0/24",
      rule: /^overlaps the VNet address space 10\.20\.0\.0\/16: AKS refuses a service CIDR that overlaps the cluster's VNet/,
    });
    // The default service CIDR (172.16.0.0/16) counts too.
    expectProblem(make({ vnetAddressSpace: ["10.20.0.0/16", "172.16.128.0/17"] }), {
      path: "platform",
      field: "cluster.serviceCidr (default)",
      value: "172.16.0.0/16",
      rule: /^overlaps the VNet address space 172\.16\.128\.0\/17/,
    });
  });
  test("a service CIDR beside the VNet is accepted and reaches the cluster", () => {
    const { tf } = platform({ vnetAddressSpace: ["172.16.0.0/16"], nodeSubnetCidr: "172.16.0.0/22", cluster: { serviceCidr: "192.168.0.0/20" } });
    expect(only(tf, "azurerm_kubernetes_cluster").network_profile).toMatchObject({ service_cidr: "192.168.0.0/20", dns_service_ip: "192.168.0.10" });
  });
  test("a bad subscription ID", () => {
    expectProblem(make({ subscriptionId: "my-sub" }), { field: "subscriptionId", value: "my-sub", rule: /GUID/ });
  });
  test("problems inside composed constructs carry their own path", () => {
    expectProblem(make({ workloads: [{ name: "a", namespace: "Bad_NS", serviceAccountName: "a", secrets: ["s"] }] }), {
      path: "platform/workload-a",
      field: "serviceAccounts[0].namespace",
      value: "Bad_NS",
      rule: /DNS-1123/,
    });
  });
});

import { AksCluster, AksClusterProps } from "../../constructs/azure/aks-cluster";
import { expectProblem, only, scope, synth } from "../helpers";

const base: AksClusterProps = {
  name: "aks-test",
  resourceGroupName: "rg-test",
  location: "westeurope",
  nodeSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
  apiServerAccess: { mode: "private" },
};

describe("AksCluster defaults", () => {
  const tf = synth((s) => new AksCluster(s, "cluster", base));
  const c = only(tf, "azurerm_kubernetes_cluster");

  test("turns on the OIDC issuer and workload identity", () => {
    expect(c.oidc_issuer_enabled).toBe(true);
    expect(c.workload_identity_enabled).toBe(true);
  });

  test("enables the Key Vault CSI add-on with rotation every 2m", () => {
    expect(c.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true, secret_rotation_interval: "2m" });
  });

  test("is secure by default: no local accounts, Entra ID with Azure RBAC, private API server, Azure CNI", () => {
    expect(c.local_account_disabled).toBe(true);
    expect(c.role_based_access_control_enabled).toBe(true);
    expect(c.azure_active_directory_role_based_access_control).toEqual({ azure_rbac_enabled: true });
    expect(c.private_cluster_enabled).toBe(true);
    expect(c.private_dns_zone_id).toBe("System");
    expect(c.api_server_access_profile).toBeUndefined();
    expect(c.network_profile.network_plugin).toBe("azure");
    expect(c.network_profile.service_cidr).toBe("172.16.0.0/16");
    expect(c.network_profile.dns_service_ip).toBe("172.16.0.10");
  });

  test("is protected from destroy: a new cluster would have a new OIDC issuer", () => {
    expect(c.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("uses the name as DNS prefix and places nodes in the given subnet", () => {
    expect(c.dns_prefix).toBe("aks-test");
    expect(c.default_node_pool.vnet_subnet_id).toBe(base.nodeSubnetId);
    expect(c.identity).toEqual({ type: "SystemAssigned" });
  });
});

describe("AksCluster attributes", () => {
  test("expose the issuer, the add-on identity and the kubelet identity as references", () => {
    let cluster!: AksCluster;
    synth((s) => (cluster = new AksCluster(s, "cluster", base)));
    expect(cluster.oidcIssuerUrl).toMatch(/\$\{TfToken/);
    const tf = synth((s) => {
      const k = new AksCluster(s, "cluster", base);
      // Render the attributes through an output to see the Terraform expressions they stand for.
      for (const [n, v] of Object.entries({
        issuer: k.oidcIssuerUrl,
        addonClient: k.secretsProviderIdentity.clientId,
        addonObject: k.secretsProviderIdentity.principalId,
        kubeletObject: k.kubeletIdentity.principalId,
        fqdn: k.apiServerFqdn,
      })) {
        new (require("cdktf").TerraformOutput)(s, n, { value: v });
      }
    });
    const id = Object.keys(tf.resource!.azurerm_kubernetes_cluster)[0];
    expect(tf.output!.issuer.value).toBe(`\${azurerm_kubernetes_cluster.${id}.oidc_issuer_url}`);
    expect(tf.output!.addonClient.value).toBe(`\${azurerm_kubernetes_cluster.${id}.key_vault_secrets_provider[0].secret_identity[0].client_id}`);
    expect(tf.output!.addonObject.value).toBe(`\${azurerm_kubernetes_cluster.${id}.key_vault_secrets_provider[0].secret_identity[0].object_id}`);
    expect(tf.output!.kubeletObject.value).toBe(`\${azurerm_kubernetes_cluster.${id}.kubelet_identity[0].object_id}`);
    expect(tf.output!.fqdn.value).toBe(`\${azurerm_kubernetes_cluster.${id}.private_fqdn}`);
  });

  test("nameRef and resourceGroupNameRef reference the resource's attributes; name and resourceGroupName stay the literals", () => {
    let cluster!: AksCluster;
    const tf = synth((s) => {
      cluster = new AksCluster(s, "cluster", base);
      new (require("cdktf").TerraformOutput)(s, "name", { value: cluster.nameRef });
      new (require("cdktf").TerraformOutput)(s, "rg", { value: cluster.resourceGroupNameRef });
    });
    expect(cluster.name).toBe("aks-test");
    expect(cluster.resourceGroupName).toBe("rg-test");
    expect(cluster.nameRef).toMatch(/\$\{TfToken/);
    const id = Object.keys(tf.resource!.azurerm_kubernetes_cluster)[0];
    expect(tf.output!.name.value).toBe(`\${azurerm_kubernetes_cluster.${id}.name}`);
    expect(tf.output!.rg.value).toBe(`\${azurerm_kubernetes_cluster.${id}.resource_group_name}`);
  });

  test("serviceCidr is the configured service CIDR, or 172.16.0.0/16", () => {
    let a!: AksCluster;
    let b!: AksCluster;
    synth((s) => {
      a = new AksCluster(s, "a", base);
      b = new AksCluster(s, "b", { ...base, name: "aks-b", serviceCidr: "10.240.0.0/16" });
    });
    expect(a.serviceCidr).toBe("172.16.0.0/16");
    expect(b.serviceCidr).toBe("10.240.0.0/16");
  });
});

describe("AksCluster options", () => {
  test("authorized IP ranges instead of a private API server", () => {
    const c = only(
      synth((s) => new AksCluster(s, "cluster", { ...base, apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24", "198.51.100.7"] } })),
      "azurerm_kubernetes_cluster",
    );
    expect(c.private_cluster_enabled).toBe(false);
    expect(c.private_dns_zone_id).toBeUndefined();
    expect(c.api_server_access_profile).toEqual({ authorized_ip_ranges: ["203.0.113.0/24", "198.51.100.7"] });
  });

  test("rotation interval, tenant, admin groups, node pool and network settings", () => {
    const c = only(
      synth(
        (s) =>
          new AksCluster(s, "cluster", {
            ...base,
            secretRotationInterval: "1h30m",
            tenantId: "11111111-2222-3333-4444-555555555555",
            adminGroupObjectIds: ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"],
            nodeCount: 3,
            vmSize: "Standard_D4s_v5",
            serviceCidr: "192.168.0.0/20",
            networkPolicy: "cilium",
            dnsPrefix: "custom-prefix",
          }),
      ),
      "azurerm_kubernetes_cluster",
    );
    expect(c.key_vault_secrets_provider.secret_rotation_interval).toBe("1h30m");
    expect(c.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      tenant_id: "11111111-2222-3333-4444-555555555555",
      admin_group_object_ids: ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"],
    });
    expect(c.default_node_pool.node_count).toBe(3);
    expect(c.default_node_pool.vm_size).toBe("Standard_D4s_v5");
    expect(c.network_profile).toEqual({ network_plugin: "azure", network_policy: "cilium", service_cidr: "192.168.0.0/20", dns_service_ip: "192.168.0.10" });
    expect(c.dns_prefix).toBe("custom-prefix");
  });

  test("rotation can be turned off, and then no interval is sent", () => {
    const c = only(synth((s) => new AksCluster(s, "cluster", { ...base, secretRotation: false })), "azurerm_kubernetes_cluster");
    expect(c.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: false });
  });

  test("local accounts stay only as an explicit opt-out with a reason, recorded on the construct", () => {
    let cluster!: AksCluster;
    const c = only(
      synth((s) => (cluster = new AksCluster(s, "cluster", { ...base, allowLocalAccounts: { reason: "break-glass access during migration" } }))),
      "azurerm_kubernetes_cluster",
    );
    expect(c.local_account_disabled).toBe(false);
    expect(cluster.node.metadata.find((m) => m.type === "aks-secrets:opt-out:localAccounts")?.data).toBe("break-glass access during migration");
  });
});

describe("AksCluster validation", () => {
  const make = (over: Partial<AksClusterProps>) => () => new AksCluster(scope(), "cluster", { ...base, ...over } as AksClusterProps);

  test.each([
    ["name", { name: "-bad" }, "-bad", /AKS cluster names/],
    ["name", { name: "a".repeat(64) }, "a".repeat(64), /1-63/],
    ["dnsPrefix", { dnsPrefix: "1abc" }, "1abc", /DNS prefixes/],
    ["tenantId", { tenantId: "not-a-guid" }, "not-a-guid", /GUID/],
    ["adminGroupObjectIds[0]", { adminGroupObjectIds: ["123"] }, "123", /GUID/],
    ["secretRotationInterval", { secretRotationInterval: "2 minutes" }, "2 minutes", /Go duration/],
    ["secretRotationInterval", { secretRotationInterval: "5s" }, "5s", /30s to 24h/],
    ["secretRotationInterval", { secretRotationInterval: "48h" }, "48h", /30s to 24h/],
    ["serviceCidr", { serviceCidr: "10.0.0.1/16" }, "10.0.0.1/16", /no host bits/],
    ["dnsServiceIp", { dnsServiceIp: "10.1.0.10" }, "10.1.0.10", /inside serviceCidr/],
    ["location", { location: "West Europe" }, "West Europe", /lowercase/],
    ["nodePoolName", { nodePoolName: "System-Pool" }, "System-Pool", /node pool names/],
    ["nodeCount", { nodeCount: 0 }, undefined, /1 to 1000/],
  ])("%s %j is rejected", (field, over, value, rule) => {
    expectProblem(make(over as Partial<AksClusterProps>), { path: "test/cluster", field, value: value as string | undefined, rule });
  });

  test("an API server mode must be chosen", () => {
    expectProblem(make({ apiServerAccess: undefined }), { field: "apiServerAccess", rule: /private.*authorizedIpRanges/ });
  });

  test("authorized ranges must be non-empty, valid and not the whole internet", () => {
    expectProblem(make({ apiServerAccess: { mode: "authorizedIpRanges", ranges: [] } }), { field: "apiServerAccess.ranges", rule: /at least one/ });
    expectProblem(make({ apiServerAccess: { mode: "authorizedIpRanges", ranges: ["300.1.1.1"] } }), { field: "apiServerAccess.ranges[0]", value: "300.1.1.1", rule: /IPv4/ });
    expectProblem(make({ apiServerAccess: { mode: "authorizedIpRanges", ranges: ["0.0.0.0/0"] } }), { field: "apiServerAccess.ranges[0]", value: "0.0.0.0/0", rule: /every address/ });
  });

  test("authorized ranges wider than a /8 are refused at construction, as the security rule AKSS-AKS3 would refuse them", () => {
    expectProblem(make({ apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24", "8.0.0.0/7"] } }), {
      path: "test/cluster",
      field: "apiServerAccess.ranges[1]",
      value: "8.0.0.0/7",
      rule: /^is wider than a \/8: that is no restriction \(it opens the API server to 33,554,432 addresses\); use private mode or ranges of a \/8 or narrower$/,
    });
    expectProblem(make({ apiServerAccess: { mode: "authorizedIpRanges", ranges: ["0.0.0.0/0"] } }), { field: "apiServerAccess.ranges[0]", value: "0.0.0.0/0", rule: /^is wider than a \/8: that is no restriction \(it opens the API server to every address\)/ });
    // A /8 is the widest allowed: the cluster and the rule agree on the boundary.
    const tf = synth((s) => new AksCluster(s, "cluster", { ...base, apiServerAccess: { mode: "authorizedIpRanges", ranges: ["10.0.0.0/8", "203.0.113.7"] } }));
    expect(only(tf, "azurerm_kubernetes_cluster").api_server_access_profile).toEqual({ authorized_ip_ranges: ["10.0.0.0/8", "203.0.113.7"] });
  });

  test.each([
    ["vmSize", { vmSize: "Standard D2s v5" }, "Standard D2s v5", /Azure VM size name such as Standard_D2s_v5/],
    ["vmSize", { vmSize: "" }, "", /Azure VM size name/],
    ["vmSize", { vmSize: `Standard_${"D".repeat(60)}` }, `Standard_${"D".repeat(60)}`, /1-64/],
    ["kubernetesVersion", { kubernetesVersion: "v1.30" }, "v1.30", /Kubernetes version such as 1\.30 or 1\.30\.4/],
    ["kubernetesVersion", { kubernetesVersion: "1" }, "1", /major\.minor/],
    ["kubernetesVersion", { kubernetesVersion: "latest" }, "latest", /Kubernetes version/],
    ["apiServerAccess.privateDnsZoneId", { apiServerAccess: { mode: "private", privateDnsZoneId: "system" } }, "system", /"System" \(AKS creates the zone\), "None"/],
    ["apiServerAccess.privateDnsZoneId", { apiServerAccess: { mode: "private", privateDnsZoneId: "privatelink.westeurope.azmk8s.io" } }, "privatelink.westeurope.azmk8s.io", /ARM ID of a private DNS zone/],
    [
      "apiServerAccess.privateDnsZoneId",
      { apiServerAccess: { mode: "private", privateDnsZoneId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io" } },
      "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io",
      /ARM ID of a private DNS zone/,
    ],
    [
      "apiServerAccess.privateDnsZoneId",
      { apiServerAccess: { mode: "private", privateDnsZoneId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet" } },
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
      /ARM ID of a private DNS zone/,
    ],
  ])("%s %j is rejected", (field, over, value, rule) => {
    expectProblem(make(over as Partial<AksClusterProps>), { path: "test/cluster", field, value: value as string, rule });
  });

  test.each([
    [{ vmSize: "Standard_D2s_v5" }],
    [{ vmSize: "Standard_E4-2ds_v5" }],
    [{ kubernetesVersion: "1.30" }],
    // A pinned patch release needs a channel that keeps it (here: upgrades are manual).
    [{ kubernetesVersion: "1.30.4", allowManualUpgrades: { reason: "versions follow the platform team's release train" } }],
    [{ apiServerAccess: { mode: "private", privateDnsZoneId: "None" } }],
    [{ apiServerAccess: { mode: "private", privateDnsZoneId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io" } }],
    [{ apiServerAccess: { mode: "private", ranges: [] } }],
  ])("%j is accepted", (over) => {
    expect(() => make(over as Partial<AksClusterProps>)()).not.toThrow();
  });

  test("settings of the other API server mode are refused, not ignored", () => {
    expectProblem(make({ apiServerAccess: { mode: "private", ranges: ["203.0.113.0/24"] } as any }), {
      path: "test/cluster",
      field: "apiServerAccess.ranges",
      rule: /applies only to mode "authorizedIpRanges"/,
    });
    expectProblem(make({ apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"], privateDnsZoneId: "System" } as any }), {
      path: "test/cluster",
      field: "apiServerAccess.privateDnsZoneId",
      value: "System",
      rule: /applies only to mode "private"/,
    });
  });

  test("the given VM size, Kubernetes version and private DNS zone reach the resource", () => {
    const zone = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.westeurope.azmk8s.io";
    const c = only(synth((s) => new AksCluster(s, "cluster", { ...base, vmSize: "Standard_E4-2ds_v5", kubernetesVersion: "1.30.4", automaticUpgradeChannel: "node-image", apiServerAccess: { mode: "private", privateDnsZoneId: zone } })), "azurerm_kubernetes_cluster");
    expect([c.default_node_pool.vm_size, c.kubernetes_version, c.private_dns_zone_id]).toEqual(["Standard_E4-2ds_v5", "1.30.4", zone]);
  });

  test("destroy protection is an explicit opt-out with a reason", () => {
    let cluster!: AksCluster;
    const c = only(synth((s) => (cluster = new AksCluster(s, "cluster", { ...base, allowDestroy: { reason: "ephemeral CI cluster, rebuilt nightly" } }))), "azurerm_kubernetes_cluster");
    expect(c.lifecycle).toEqual({ prevent_destroy: false });
    expect(cluster.node.metadata.find((m) => m.type === "aks-secrets:opt-out:destroy")?.data).toBe("ephemeral CI cluster, rebuilt nightly");
    expectProblem(make({ allowDestroy: { reason: "tmp" } }), { field: "allowDestroy.reason", value: "tmp", rule: /written reason/ });
  });

  test("an opt-out without a real reason is rejected", () => {
    expectProblem(make({ allowLocalAccounts: { reason: "" } }), { field: "allowLocalAccounts.reason", rule: /written reason/ });
  });

  test("all problems of one construct are reported together", () => {
    let message = "";
    try {
      make({ name: "_x", tenantId: "nope" })();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[test/cluster] name: "_x"');
    expect(message).toContain('[test/cluster] tenantId: "nope"');
    expect(message).toMatch(/^Invalid configuration \(2 problems\)/);
  });
});

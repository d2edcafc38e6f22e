import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { HcpProvider } from "@cdktf/provider-hcp/lib/provider";
import { TerraformStack } from "cdktf";
import { HvnPeering, HvnPeeringProps, HvnSpoke } from "../../constructs/hcp/hvn-peering";
import { expectProblem, expectProblems, resources, scope, synth as synthAzure, TfJson } from "../helpers";

/** Synthesizes with validations, in a stack with the hcp, azurerm and azuread providers. */
function synth(build: (stack: TerraformStack) => void): TfJson {
  return synthAzure((s) => {
    new HcpProvider(s, "hcp", {});
    new AzureadProvider(s, "azuread", {});
    build(s);
  });
}

const SUB = "00000000-1111-2222-3333-444444444444";
const TENANT = "11111111-2222-3333-4444-555555555555";

function spoke(name: string, addressRanges: string[]): HvnSpoke {
  return {
    name,
    vnetId: `/subscriptions/${SUB}/resourceGroups/rg-${name}/providers/Microsoft.Network/virtualNetworks/vnet-${name}`,
    vnetName: `vnet-${name}`,
    resourceGroupName: `rg-${name}`,
    location: "westeurope",
    subscriptionId: SUB,
    tenantId: TENANT,
    addressRanges,
  };
}

const created: HvnPeeringProps["hvn"] = { mode: "create", hvnId: "hvn-main", region: "westeurope", cidrBlock: "172.25.16.0/20" };

/** The one resource of a type whose logical id contains `part`. */
function byId(tf: TfJson, type: string, part: string, kind: "resource" | "data" = "resource"): [string, any] {
  const all = Object.entries((kind === "resource" ? tf.resource : tf.data)?.[type] ?? {});
  const hits = all.filter(([id]) => id.includes(part));
  if (hits.length !== 1) throw new Error(`expected one ${type} matching ${part}, found ${hits.map(([id]) => id).join(", ") || "none"}`);
  return hits[0] as [string, any];
}

describe("HvnPeering with one spoke", () => {
  const tf = synth((s) => new HvnPeering(s, "hvn", { hvn: created, spokes: [spoke("aks", ["10.20.0.0/16"])] }));
  const [hvnId, hvn] = byId(tf, "hcp_hvn", "hvn");
  const [peeringId, peering] = byId(tf, "hcp_azure_peering_connection", "aks");
  const [spId, sp] = byId(tf, "azuread_service_principal", "aks");
  const [roleId, role] = byId(tf, "azurerm_role_definition", "aks");
  const [assignmentId, assignment] = byId(tf, "azurerm_role_assignment", "aks");
  const [activeId, active] = byId(tf, "hcp_azure_peering_connection", "aks", "data");
  const vnetId = spoke("aks", []).vnetId;

  test("keeps stable addresses (renaming ids would replace the HVN and the peering)", () => {
    expect(hvnId).toBe("hvn_C0DE3463");
    expect(peeringId).toBe("hvn_aks_peering_411CFA3D");
    expect(spId).toBe("hvn_aks_hcp-principal_5FEEDB75");
    expect(roleId).toBe("hvn_aks_peering-role_AE3084C3");
    expect(assignmentId).toBe("hvn_aks_peering-role-assignment_A98B200D");
    expect(Object.keys(resources(tf, "hcp_hvn_route"))).toEqual(["hvn_aks_route-10-20-0-0-16_A52AE444"]);
  });

  test("creates an Azure HVN with the CIDR and region, protected from destroy", () => {
    expect(hvn).toMatchObject({ hvn_id: "hvn-main", cloud_provider: "azure", region: "westeurope", cidr_block: "172.25.16.0/20", lifecycle: { prevent_destroy: true } });
  });

  test("peers the spoke VNet, named after the spoke", () => {
    expect(peering).toMatchObject({
      hvn_link: `\${hcp_hvn.${hvnId}.self_link}`,
      peering_id: "aks",
      peer_vnet_name: "vnet-aks",
      peer_resource_group_name: "rg-aks",
      peer_subscription_id: SUB,
      peer_tenant_id: TENANT,
      peer_vnet_region: "westeurope",
    });
  });

  test("creates HCP's service principal from the peering's application ID", () => {
    expect(sp.client_id).toBe(`\${hcp_azure_peering_connection.${peeringId}.application_id}`);
    expect(sp.use_existing).toBe(true);
  });

  test("the custom role holds exactly the three peering actions, scoped to the VNet", () => {
    expect(role.permissions).toEqual([
      {
        actions: [
          "Microsoft.Network/virtualNetworks/peer/action",
          "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read",
          "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write",
        ],
      },
    ]);
    expect(role.scope).toBe(vnetId);
    expect(role.assignable_scopes).toEqual([vnetId]);
  });

  test("assigns the role to HCP's principal on the VNet", () => {
    expect(assignment).toMatchObject({
      scope: vnetId,
      principal_id: `\${azuread_service_principal.${spId}.object_id}`,
      role_definition_id: `\${azurerm_role_definition.${roleId}.role_definition_resource_id}`,
      principal_type: "ServicePrincipal",
    });
  });

  test("waits for the active peering after the role assignment, and the route targets it", () => {
    expect(active).toMatchObject({
      wait_for_active_state: true,
      peering_id: `\${hcp_azure_peering_connection.${peeringId}.peering_id}`,
      depends_on: [`azurerm_role_assignment.${assignmentId}`],
    });
    const route = Object.values(resources(tf, "hcp_hvn_route"))[0];
    expect(route).toEqual(
      expect.objectContaining({
        destination_cidr: "10.20.0.0/16",
        hvn_route_id: "aks-10-20-0-0-16",
        hvn_link: `\${hcp_hvn.${hvnId}.self_link}`,
        target_link: `\${data.hcp_azure_peering_connection.${activeId}.self_link}`,
      }),
    );
  });
});

describe("HvnPeering with several spokes", () => {
  let peering!: HvnPeering;
  const tf = synth(
    (s) =>
      (peering = new HvnPeering(s, "hvn", {
        hvn: created,
        spokes: [spoke("aks", ["10.20.0.0/16"]), spoke("apps", ["10.30.0.0/16", "100.64.8.0/22"])],
      })),
  );

  test("one peering, principal, role and assignment per spoke", () => {
    for (const type of ["hcp_azure_peering_connection", "azuread_service_principal", "azurerm_role_definition", "azurerm_role_assignment"]) {
      expect(Object.keys(resources(tf, type))).toHaveLength(2);
    }
    expect(Object.values(resources(tf, "hcp_azure_peering_connection")).map((p: any) => p.peering_id).sort()).toEqual(["aks", "apps"]);
    // Custom role names are unique per tenant.
    expect(Object.values(resources(tf, "azurerm_role_definition")).map((r: any) => r.name).sort()).toEqual(["hcp-hvn-peering-hvn-main-aks", "hcp-hvn-peering-hvn-main-apps"]);
  });

  test("one route per spoke and range, each targeting its own spoke's active peering", () => {
    const [aksActive] = byId(tf, "hcp_azure_peering_connection", "aks", "data");
    const [appsActive] = byId(tf, "hcp_azure_peering_connection", "apps", "data");
    const routes = Object.values(resources(tf, "hcp_hvn_route")).map((r: any) => [r.destination_cidr, r.hvn_route_id, r.target_link]);
    expect(routes.sort()).toEqual([
      ["10.20.0.0/16", "aks-10-20-0-0-16", `\${data.hcp_azure_peering_connection.${aksActive}.self_link}`],
      ["10.30.0.0/16", "apps-10-30-0-0-16", `\${data.hcp_azure_peering_connection.${appsActive}.self_link}`],
      ["100.64.8.0/22", "apps-100-64-8-0-22", `\${data.hcp_azure_peering_connection.${appsActive}.self_link}`],
    ]);
  });

  test("each role is scoped to its own VNet", () => {
    const [, aksRole] = byId(tf, "azurerm_role_definition", "aks");
    const [, appsRole] = byId(tf, "azurerm_role_definition", "apps");
    expect(aksRole.scope).toMatch(/virtualNetworks\/vnet-aks$/);
    expect(appsRole.scope).toMatch(/virtualNetworks\/vnet-apps$/);
  });

  test("exposes what was created per spoke", () => {
    expect(peering.spokes.map((s) => [s.spoke.name, s.routes.length])).toEqual([
      ["aks", 1],
      ["apps", 2],
    ]);
    expect(peering.adopted).toBe(false);
    expect(peering.cidrBlock).toBe("172.25.16.0/20");
  });
});

describe("HvnPeering adopting an existing HVN", () => {
  let peering!: HvnPeering;
  const tf = synth(
    (s) =>
      (peering = new HvnPeering(s, "hvn", {
        hvn: { mode: "existing", hvnId: "shared-hvn", cidrBlock: "172.26.0.0/20" },
        spokes: [spoke("aks", ["10.20.0.0/16"])],
      })),
  );

  test("reads the HVN instead of creating it", () => {
    expect(resources(tf, "hcp_hvn")).toEqual({});
    const [id, hvn] = byId(tf, "hcp_hvn", "hvn", "data");
    expect(hvn.hvn_id).toBe("shared-hvn");
    const [, peeringRes] = byId(tf, "hcp_azure_peering_connection", "aks");
    expect(peeringRes.hvn_link).toBe(`\${data.hcp_hvn.${id}.self_link}`);
    const route = Object.values(resources(tf, "hcp_hvn_route"))[0] as any;
    expect(route.hvn_link).toBe(`\${data.hcp_hvn.${id}.self_link}`);
    expect(peering.adopted).toBe(true);
  });

  test("fails the plan when the real CIDR differs from the declared one", () => {
    const [, hvn] = byId(tf, "hcp_hvn", "hvn", "data");
    expect(hvn.lifecycle.postcondition).toHaveLength(1);
    expect(hvn.lifecycle.postcondition[0].condition).toBe('${self.cidr_block == "172.26.0.0/20"}');
    expect(hvn.lifecycle.postcondition[0].error_message).toContain("172.26.0.0/20");
  });

  test("the declared CIDR is still checked against the spokes", () => {
    expectProblem(
      () => new HvnPeering(scope(), "hvn", { hvn: { mode: "existing", hvnId: "shared-hvn", cidrBlock: "10.20.0.0/20" }, spokes: [spoke("aks", ["10.20.0.0/16"])] }),
      { path: "test/hvn", field: "spokes[0].addressRanges[0]", value: "10.20.0.0/16", rule: /overlaps the HVN CIDR 10.20.0.0\/20/ },
    );
  });
});

describe("HvnPeering.spokeFromVirtualNetwork", () => {
  test("takes name, group, location and ID by reference and the ranges from the configured address space", () => {
    const tf = synth((s) => {
      const vnet = new VirtualNetwork(s, "vnet", { name: "vnet-x", location: "westeurope", resourceGroupName: "rg-x", addressSpace: ["10.40.0.0/16", "10.41.0.0/24"] });
      new HvnPeering(s, "hvn", { hvn: created, spokes: [HvnPeering.spokeFromVirtualNetwork("x-net", vnet, { subscriptionId: SUB, tenantId: TENANT })] });
    });
    const [, peering] = byId(tf, "hcp_azure_peering_connection", "x-net");
    expect(peering.peer_vnet_name).toBe("${azurerm_virtual_network.vnet.name}");
    expect(peering.peer_vnet_region).toBe("${azurerm_virtual_network.vnet.location}");
    const [, role] = byId(tf, "azurerm_role_definition", "x-net");
    expect(role.scope).toBe("${azurerm_virtual_network.vnet.id}");
    expect(Object.values(resources(tf, "hcp_hvn_route")).map((r: any) => r.destination_cidr).sort()).toEqual(["10.40.0.0/16", "10.41.0.0/24"]);
  });
});

describe("HvnPeering opt-out", () => {
  test("the HVN may be destroyable with a written reason, recorded on the construct", () => {
    let p!: HvnPeering;
    const tf = synth((s) => (p = new HvnPeering(s, "hvn", { hvn: { ...created, allowDestroy: { reason: "short-lived test environment" } } as HvnPeeringProps["hvn"], spokes: [spoke("aks", ["10.20.0.0/16"])] })));
    const [, hvn] = byId(tf, "hcp_hvn", "hvn");
    expect(hvn.lifecycle).toEqual({ prevent_destroy: false });
    expect(p.node.metadata.find((m) => m.type === "aks-secrets:opt-out:destroy")?.data).toBe("short-lived test environment");
  });
});

describe("HvnPeering validation", () => {
  const make = (hvn: Partial<typeof created>, spokes: HvnSpoke[] = [spoke("aks", ["10.20.0.0/16"])], extra: Partial<HvnPeeringProps> = {}) => () =>
    new HvnPeering(scope(), "hvn", { hvn: { ...created, ...hvn } as HvnPeeringProps["hvn"], spokes, ...extra });

  test.each([
    ["a public range", "8.8.0.0/16", /private RFC 1918/],
    ["an undersized range", "172.25.16.0/26", /from \/16 to \/25/],
    ["an oversized range", "10.0.0.0/15", /from \/16 to \/25/],
    ["host bits", "172.25.16.1/20", /no host bits/],
    ["a malformed block", "172.25.16/20", /IPv4 CIDR block/],
  ])("rejects an HVN CIDR with %s", (_name, cidr, rule) => {
    expectProblem(make({ cidrBlock: cidr }), { path: "test/hvn", field: "hvn.cidrBlock", value: cidr, rule });
  });

  test("accepts the edges /16 and /25", () => {
    expect(() => make({ cidrBlock: "192.168.0.0/16" })()).not.toThrow();
    expect(() => make({ cidrBlock: "172.25.16.0/25" })()).not.toThrow();
  });

  test("rejects an HVN overlapping a spoke", () => {
    expectProblem(make({ cidrBlock: "10.20.128.0/20" }), { field: "spokes[0].addressRanges[0]", value: "10.20.0.0/16", rule: /overlaps the HVN CIDR 10.20.128.0\/20/ });
  });

  test("rejects an HVN overlapping a reserved range such as the AKS service CIDR", () => {
    expectProblem(make({ cidrBlock: "172.16.0.0/20" }, undefined, { reservedRanges: ["172.16.0.0/16"] }), { field: "hvn.cidrBlock", value: "172.16.0.0/20", rule: /reserved range 172.16.0.0\/16/ });
  });

  test("rejects a spoke without address ranges", () => {
    expectProblem(make({}, [spoke("aks", [])]), { path: "test/hvn", field: "spokes[0].addressRanges", rule: /each gets an HVN route/ });
  });

  test("rejects spokes whose ranges overlap each other", () => {
    expectProblem(make({}, [spoke("aks", ["10.20.0.0/16"]), spoke("apps", ["10.20.4.0/24"])]), { field: "spokes[1].addressRanges[0]", value: "10.20.4.0/24", rule: /overlaps 10.20.0.0\/16 of spoke "aks"/ });
  });

  test("rejects a spoke range HVN routes cannot target", () => {
    expectProblem(make({}, [spoke("aks", ["20.20.0.0/16"])]), { field: "spokes[0].addressRanges[0]", value: "20.20.0.0/16", rule: /RFC 1918.*RFC 6598/ });
  });

  test("rejects duplicate and malformed spoke names, and no spokes at all", () => {
    expectProblem(make({}, [spoke("aks", ["10.20.0.0/16"]), spoke("aks", ["10.30.0.0/16"])]), { field: "spokes[1].name", value: "aks", rule: /unique/ });
    expectProblem(make({}, [spoke("AKS_1", ["10.20.0.0/16"])]), { field: "spokes[0].name", value: "AKS_1", rule: /3-17 lowercase/ });
    expectProblem(make({}, []), { field: "spokes", rule: /at least one spoke/ });
  });

  test("rejects a bad HVN ID, region, or spoke IDs", () => {
    expectProblem(make({ hvnId: "h" }), { field: "hvn.hvnId", value: "h", rule: /3-36/ });
    expectProblem(make({ region: "West Europe" }), { field: "hvn.region", value: "West Europe", rule: /lowercase/ });
    expectProblem(make({}, [{ ...spoke("aks", ["10.20.0.0/16"]), tenantId: "tenant" }]), { field: "spokes[0].tenantId", value: "tenant", rule: /GUID/ });
  });

  test.each([
    ["the ID of an existing HVN", { mode: "existing", cidrBlock: "172.25.16.0/20" }, "hvn.hvnId", /^is required: a string/],
    ["the CIDR block of an existing HVN", { mode: "existing", hvnId: "hvn-shared" }, "hvn.cidrBlock", /^is required: a string/],
    ["the ID of a new HVN", { mode: "create", region: "westeurope", cidrBlock: "172.25.16.0/20" }, "hvn.hvnId", /^is required: a string/],
    ["the region of a new HVN", { mode: "create", hvnId: "hvn-main", cidrBlock: "172.25.16.0/20" }, "hvn.region", /^is required: a string/],
    ["the CIDR block of a new HVN", { mode: "create", hvnId: "hvn-main", region: "westeurope" }, "hvn.cidrBlock", /^is required: a string/],
  ])("reports a missing %s instead of synthesizing it as null", (_what, hvn, field, rule) => {
    const problems = expectProblems(() => new HvnPeering(scope(), "hvn", { hvn: hvn as any, spokes: [spoke("aks", ["10.20.0.0/16"])] }));
    expect(problems.map((p) => [p.path, p.field, p.value])).toEqual([["test/hvn", field, "(not set)"]]);
    expect(problems[0].rule).toMatch(rule);
  });

  test.each(["name", "vnetId", "vnetName", "resourceGroupName", "location", "subscriptionId", "tenantId"] as const)("reports a spoke without %s", (key) => {
    const s: Record<string, unknown> = { ...spoke("hub", ["10.50.0.0/16"]) };
    delete s[key];
    const problems = expectProblems(make({}, [s as unknown as HvnSpoke]));
    expect(problems.map((p) => [p.field, p.value])).toEqual([[`spokes[0].${key}`, "(not set)"]]);
    expect(problems[0].rule).toMatch(/^is required: /);
  });

  test("reports a spoke that is not an object, and address ranges that are not a list", () => {
    expectProblem(make({}, [spoke("aks", ["10.20.0.0/16"]), null as any]), { path: "test/hvn", field: "spokes[1]", rule: /^must be an object \{ name, vnetId/ });
    expectProblem(make({}, [{ ...spoke("aks", []), addressRanges: "10.20.0.0/16" as any }]), { field: "spokes[0].addressRanges", value: "10.20.0.0/16", rule: /must be a list/ });
  });

  test("reports every problem of the construct at once", () => {
    const problems = expectProblems(make({ cidrBlock: "8.8.8.0/26" }, [spoke("aks", [])]));
    expect(problems.map((p) => p.field).sort()).toEqual(["hvn.cidrBlock", "hvn.cidrBlock", "spokes[0].addressRanges"]);
  });
});

import { HcpProvider } from "@cdktf/provider-hcp/lib/provider";
import { TerraformOutput } from "cdktf";
import { HcpVaultCluster, HcpVaultClusterProps } from "../../constructs/hcp/hcp-vault-cluster";
import { IHcpHvn } from "../../constructs/hcp/hvn-peering";
import { expectProblem, only, resources, scope, synth } from "../helpers";

const hvn: IHcpHvn = { hvnId: "hvn-main", selfLink: "/link/hvn-main", cidrBlock: "172.25.16.0/20", region: "westeurope" };
const base: HcpVaultClusterProps = { clusterId: "vault-main", hvn };

function build(props: Partial<HcpVaultClusterProps> = {}) {
  let cluster!: HcpVaultCluster;
  const tf = synth((s) => {
    new HcpProvider(s, "hcp", {});
    cluster = new HcpVaultCluster(s, "vault", { ...base, ...props });
    new TerraformOutput(s, "url", { value: cluster.privateEndpointUrl });
  });
  return { tf, cluster };
}

describe("HcpVaultCluster defaults", () => {
  const { tf, cluster } = build();
  const c = only(tf, "hcp_vault_cluster");

  test("keeps a stable address (renaming the id would replace the cluster and its secrets)", () => {
    expect(Object.keys(resources(tf, "hcp_vault_cluster"))).toEqual(["vault_cluster_7F08DC84"]);
  });

  test("is private: no public endpoint and no proxy endpoint", () => {
    expect(c.public_endpoint).toBe(false);
    expect(c.proxy_endpoint).toBe("DISABLED");
  });

  test("lives in the HVN, standard_small tier, protected from destroy", () => {
    expect(c).toMatchObject({ cluster_id: "vault-main", hvn_id: "hvn-main", tier: "standard_small", lifecycle: { prevent_destroy: true } });
  });

  test("exposes the private endpoint URL and HCP's admin namespace", () => {
    expect(tf.output!.url.value).toBe("${hcp_vault_cluster.vault_cluster_7F08DC84.vault_private_endpoint_url}");
    expect(cluster.namespace).toBe("admin");
  });
});

describe("HcpVaultCluster options", () => {
  test("tier, version, project", () => {
    const c = only(build({ tier: "plus_small", minVaultVersion: "v1.21.2", projectId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" }).tf, "hcp_vault_cluster");
    expect(c).toMatchObject({ tier: "plus_small", min_vault_version: "v1.21.2", project_id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" });
  });

  test("destroy only as an opt-out with a reason, recorded on the construct", () => {
    const { tf, cluster } = build({ allowDestroy: { reason: "ephemeral review environment" } });
    expect(only(tf, "hcp_vault_cluster").lifecycle).toEqual({ prevent_destroy: false });
    expect(cluster.node.metadata.find((m) => m.type === "aks-secrets:opt-out:destroy")?.data).toBe("ephemeral review environment");
  });
});

describe("HcpVaultCluster validation", () => {
  const make = (over: Partial<HcpVaultClusterProps>) => () => new HcpVaultCluster(scope(), "vault", { ...base, ...over } as HcpVaultClusterProps);
  test.each([
    ["clusterId", { clusterId: "v" }, "v", /3-36/],
    ["tier", { tier: "starter_small" }, "starter_small", /^must be one of "dev", .*"standard_small"/],
    ["minVaultVersion", { minVaultVersion: "latest" }, "latest", /v1.21.2/],
    ["projectId", { projectId: "proj" }, "proj", /GUID/],
    ["allowDestroy.reason", { allowDestroy: { reason: "x" } }, "x", /written reason/],
  ])("%s %j is rejected", (field, over, value, rule) => {
    expectProblem(make(over as Partial<HcpVaultClusterProps>), { path: "test/vault", field, value: value as string, rule });
  });
});

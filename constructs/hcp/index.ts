// HCP: the HVN and its peering with each spoke VNet (HCP's service principal, the custom role and
// its assignment, a route per range), and the private HCP Vault cluster.
export * from "./hvn-peering";
export * from "./hcp-vault-cluster";

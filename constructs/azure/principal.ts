import { IConstruct } from "constructs";

/**
 * What a Key Vault grant needs to know about an identity: the Entra ID object (principal)
 * ID the grant is written for, and the client ID that pods or the CSI driver log in with.
 * Implemented by {@link WorkloadIdentity} and by the CSI add-on identity of an {@link AksCluster},
 * so grants are written from typed attributes, never from a hand-copied GUID.
 */
export interface IPrincipal {
  /** Entra ID object ID of the service principal behind the identity (what access policies and role assignments name). */
  readonly principalId: string;
  /** Client (application) ID the identity logs in with (what `clientID` / `userAssignedIdentityID` name). */
  readonly clientId: string;
  /** How the identity is used; lets wiring checks and reports tell the modes apart. */
  readonly principalKind: PrincipalKind;
  /** The construct that owns the identity, for error messages and reports. */
  readonly owner: IConstruct;
}

/** The kinds of identity the library wires. */
export type PrincipalKind =
  /** A user-assigned identity federated with Kubernetes service accounts (Entra Workload ID). */
  | "workload-identity"
  /** The AKS Key Vault Secrets Provider add-on's own identity (VM-assigned on the nodes). */
  | "csi-addon"
  /** The kubelet identity of an AKS cluster. */
  | "kubelet"
  /** The identity running Terraform (`azurerm_client_config`): it creates the grants, so granting it adds no power. */
  | "deployer"
  /** An identity created outside this library, given by its IDs. */
  | "external";

/** Wraps the IDs of an identity created elsewhere so it can be granted access. */
export function externalPrincipal(owner: IConstruct, ids: { principalId: string; clientId: string }): IPrincipal {
  return { ...ids, principalKind: "external", owner };
}

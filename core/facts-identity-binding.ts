// Facts about AKS identity bindings (issue 13): which classes log in through the AKS token proxy,
// and which service accounts the binding's ClusterRole authorizes.
import { IConstruct } from "constructs";
import { defineFact } from "./facts";
import { IssuerRef } from "./facts-cluster";

/**
 * A SecretProviderClass logs in through an AKS identity binding (`useAzureTokenProxy`). Source: the
 * class. The pods' service account must be authorized by the role, on the cluster the binding names.
 */
export interface IdentityBindingMountFact {
  /** The ClusterRole construct that authorizes service accounts to use the identity. */
  readonly role: IConstruct;
  /** True when the role authorizes NAMESPACE/NAME (read when the checks run: service accounts are added later). */
  covers(namespace: string, name: string): boolean;
  /** The service accounts authorized, `NAMESPACE/NAME`, for messages (read late). */
  authorized(): readonly string[];
  /** The cluster the binding maps the identity to, as given (an AksCluster is an issuer). */
  readonly boundCluster: IssuerRef | { readonly id: string; readonly name: string };
  /** For messages: the cluster's name. */
  readonly boundClusterLabel: string;
}
export const IDENTITY_BINDING_MOUNT = defineFact<IdentityBindingMountFact>("azure.identity-binding.mount", "a class logs in through an AKS identity binding; its pods' service accounts must be authorized by the binding's ClusterRole");

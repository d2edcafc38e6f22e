// Facts about what runs the Secrets Store CSI providers on a cluster (see facts.ts): the AKS
// add-on's Azure provider, and the providers a SecretsStore installs with Helm.
import { IConstruct } from "constructs";
import { defineFact } from "./facts";
import { IssuerRef } from "./facts-cluster";

/**
 * A Secrets Store CSI provider that runs on a cluster. Source: what runs it: a SecretsStore (its
 * cluster is the source's), or a cluster construct with the AKS add-on (then `cluster` says which).
 */
export interface CsiProviderFact {
  /** The provider: the `spec.provider` of the classes it serves (`azure`, `vault`, `aws`). */
  readonly provider: string;
  /** For people: `the AKS add-on's Azure provider`, `VaultCsiProvider cluster/secrets-store/vault-provider (chart vault 0.34.1)`. */
  readonly label: string;
  /** The cluster it runs on, when the source is not deployed in a cluster scope (the add-on: the cluster construct). */
  readonly cluster?: IssuerRef;
}
export const CSI_PROVIDER = defineFact<CsiProviderFact>("csi.provider", "a Secrets Store CSI provider running on a cluster: the AKS add-on's, or one installed with Helm");

/**
 * A class served by a SecretsStore, which checked it (and fails synth on the class when it cannot
 * serve it). Source: the class.
 */
export interface CsiClassServedFact {
  /** What serves it, as {@link CsiProviderFact.label}; undefined when nothing can (the store reports why). */
  readonly by?: string;
  /** The SecretsStore. */
  readonly store: IConstruct;
}
export const CSI_CLASS_SERVED = defineFact<CsiClassServedFact>("csi.class-served", "a SecretProviderClass served by the SecretsStore of its cluster, which installed its provider or reported why it cannot");

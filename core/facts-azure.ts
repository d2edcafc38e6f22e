// Facts about Azure identities, their federation with service accounts, Key Vaults, their
// secrets and grants, and the Azure Key Vault CSI provider (see facts.ts).
import { IConstruct } from "constructs";
import { defineFact } from "./facts";
import { IssuerRef } from "./facts-cluster";

/** The shape of an identity grants are written for (`IPrincipal`). */
export interface PrincipalRef {
  readonly principalId: string;
  readonly clientId: string;
  /** `workload-identity`, `csi-addon`, `kubelet`, `deployer`, `external`. */
  readonly principalKind: string;
  readonly owner: IConstruct;
}

/** An identity of the app. Source: the construct that creates (or owns) it. */
export interface IdentityFact {
  /** The object constructs are given for this identity (the WorkloadIdentity, the add-on identity object). */
  readonly identity: PrincipalRef;
  /** True for an identity federated with Kubernetes service accounts (Entra Workload ID): its trust is published as AZURE_FEDERATION facts. */
  readonly federated: boolean;
  /** For an identity on the nodes of a cluster (CSI add-on, kubelet): that cluster (the source of its CLUSTER fact). */
  readonly nodesOf?: IConstruct;
}
export const AZURE_IDENTITY = defineFact<IdentityFact>("azure.identity", "an Azure identity of the app: its client and principal IDs, federated or on a cluster's nodes");

/** An identity trusts subject S on issuer I with audiences A (a federated identity credential). Source: the identity's construct. */
export interface FederationFact {
  /** The identity object (as in its AZURE_IDENTITY fact). */
  readonly identity: PrincipalRef;
  /** Name of the credential. */
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** `system:serviceaccount:NAMESPACE:NAME` */
  readonly subject: string;
  /** The issuer as given (a cluster construct normally). */
  readonly issuer: IssuerRef;
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
}
export const AZURE_FEDERATION = defineFact<FederationFact>("azure.federation", "an identity trusts a service account subject of an issuer, with these audiences");

/** A Key Vault of the app. Source: the vault construct. */
export interface KeyVaultFact {
  readonly name: string;
  readonly tenantId: string;
  /** `rbac` (grants per secret) or `accessPolicy` (grants cover the whole vault). */
  readonly authorization: string;
}
export const AZURE_KEY_VAULT = defineFact<KeyVaultFact>("azure.key-vault", "an Azure Key Vault: its name, tenant and authorization model");

/** A secret the vault holds, declared by name. Source: the vault construct. */
export interface KeyVaultSecretFact {
  readonly name: string;
}
export const AZURE_KEY_VAULT_SECRET = defineFact<KeyVaultSecretFact>("azure.key-vault.secret", "a secret a Key Vault holds, by name");

/** A grant gives a principal read (or write) on the vault, or on some of its secrets. Source: the vault construct. */
export interface KeyVaultGrantFact {
  readonly principal: PrincipalRef;
  readonly access: "read" | "write";
  /** Secret names covered, or `"*"` for the whole vault. Grants of one principal add up. */
  readonly secrets: readonly string[] | "*";
}
export const AZURE_KEY_VAULT_GRANT = defineFact<KeyVaultGrantFact>("azure.key-vault.grant", "a principal may read (or write) the vault's secrets, or some of them");

/**
 * The resources under the source are admin grants (people or pipelines that manage secrets, not
 * workloads), with the reason: the security rules on workload grants (AKSS-KV4, AKSS-KV5)
 * accept them and list the reason.
 */
export interface AdminGrantFact {
  readonly reason: string;
}
export const ADMIN_GRANT = defineFact<AdminGrantFact>("azure.admin-grant", "the access policies / role assignments under this construct are admin grants, for this reason");

/**
 * A class mounts Key Vault objects through an identity. Source: the class construct (with its
 * CSI_CLASS fact; a `SELF_CHECKED` fact for `AKSW-KV9` when it checks the identity's read grants itself).
 */
export interface AzureKeyVaultMountFact {
  /** The vault construct, when the class was given it. */
  readonly keyVault?: IConstruct;
  /** The vault's name as written in the class, when given as a string. */
  readonly keyvaultName?: string;
  /** The tenant as written in the class, when given. */
  readonly tenantId?: string;
  /** `workloadIdentity`, `vmManagedIdentity` or `podIdentity`. */
  readonly identityMode: string;
  /** The identity as given (a construct's object, or `{ clientId }`). */
  readonly identity?: { readonly clientId: string };
  readonly objects: readonly { readonly objectName: string; readonly objectType?: string }[];
}
export const AZURE_KEY_VAULT_MOUNT = defineFact<AzureKeyVaultMountFact>("azure.key-vault.mount", "a class mounts Key Vault objects through an identity (workload or node identity)");

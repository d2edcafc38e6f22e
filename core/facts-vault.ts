// Facts about HashiCorp Vault: servers, JWT auth mounts and roles, the Vault CSI provider and
// the Vault Secrets Operator's resources (see facts.ts).
import { IConstruct } from "constructs";
import { defineFact } from "./facts";
import { IssuerRef } from "./facts-cluster";

/** A Vault server of the app (an HCP Vault cluster). Source: its construct. */
export interface VaultServerFact {
  /** The address clients use. */
  readonly address: string;
  /** For people: `HCP Vault vault-x (hcp/vault)`. */
  readonly label: string;
}
export const VAULT_SERVER = defineFact<VaultServerFact>("vault.server", "a Vault server of the app, by address");

/** A JWT auth mount trusting a cluster's issuer. Source: its construct. */
export interface VaultJwtAuthFact {
  /** Mount path, e.g. `jwt-aks`. */
  readonly path: string;
  /** The issuer as given (a cluster construct normally). */
  readonly issuer: IssuerRef;
  readonly issuerUrl: string;
  /**
   * The Vault the mount is configured through (read when checked: providers may be added later):
   * its address, and the Vault namespace of the mount (`""` for the root, undefined when unknown).
   */
  target(): { readonly address?: string; readonly namespace?: string };
}
export const VAULT_JWT_AUTH = defineFact<VaultJwtAuthFact>("vault.jwt-auth", "a Vault JWT auth mount trusting an issuer");

/** A JWT role binds a service account (subject) and audiences to a read-only policy. Source: its auth mount's construct. */
export interface VaultJwtRoleFact {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** `system:serviceaccount:NAMESPACE:NAME` */
  readonly subject: string;
  readonly audiences: readonly string[];
  /** The API paths its policy may read (`MOUNT/data/PATH`). */
  readonly readPaths: readonly string[];
  readonly policyName: string;
}
export const VAULT_JWT_ROLE = defineFact<VaultJwtRoleFact>("vault.jwt-role", "a Vault JWT role: the subject and audiences it binds, the paths its policy reads");

/** A class mounts Vault secrets through a JWT (or Kubernetes) auth role. Source: the class construct (with its CSI_CLASS fact). */
export interface VaultCsiMountFact {
  readonly roleName: string;
  readonly vaultAddress: string;
  readonly vaultNamespace?: string;
  /** Auth mount path (`kubernetes` when not given). */
  readonly authMount: string;
  readonly audience?: string;
  readonly objects: readonly { readonly secretPath: string }[];
}
export const VAULT_CSI_MOUNT = defineFact<VaultCsiMountFact>("vault.csi-mount", "a class mounts Vault secrets through an auth role");

/** A Vault Secrets Operator VaultAuth (method jwt). Source: its construct. */
export interface VsoAuthFact {
  readonly namespace: string;
  readonly name: string;
  /** The JWT auth mount's construct (the source of its VAULT_JWT_AUTH fact). */
  readonly auth: IConstruct;
  /** The role logged in with (as in a VAULT_JWT_ROLE fact of `auth`). */
  readonly role: string;
  readonly serviceAccount: string;
  /** True when the VaultAuth creates its service account itself. */
  readonly createsServiceAccount: boolean;
  readonly audiences: readonly string[];
  /** The VaultConnection's address. */
  readonly connectionAddress?: string;
  readonly vaultNamespace?: string;
}
export const VSO_AUTH = defineFact<VsoAuthFact>("vso.auth", "a Vault Secrets Operator VaultAuth: the role, service account and audiences it logs in with");

/** A VaultStaticSecret syncing one secret into a Kubernetes Secret. Source: its construct. */
export interface VsoStaticSecretFact {
  /** The VaultAuth's construct (the source of its VSO_AUTH fact). */
  readonly auth: IConstruct;
  readonly namespace: string;
  /** The Kubernetes Secret written. */
  readonly secretName: string;
  /** `MOUNT/PATH` of the secret read, as the report lists it. */
  readonly secret: string;
}
export const VSO_STATIC_SECRET = defineFact<VsoStaticSecretFact>("vso.static-secret", "a Vault Secrets Operator VaultStaticSecret: which secret it syncs into which Kubernetes Secret");

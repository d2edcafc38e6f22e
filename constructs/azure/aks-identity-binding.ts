// AKS identity bindings: one user-assigned identity for any number of service accounts of a
// cluster, past the 20 federated credentials an identity can hold.
//
// Sources (read for this file):
//   Azure/azure-rest-api-specs aks/stable/2026-05-01/examples/IdentityBindings_Create_Or_Update.json
//     PUT .../managedClusters/{cluster}/identityBindings/{name}  body { properties: { managedIdentity: { resourceId } } }
//     response: properties.managedIdentity.{clientId,objectId,tenantId}, properties.oidcIssuer.oidcIssuerUrl
//   Azure/terraform-provider-azapi v2.12.0 internal/azure/generated/containerservice_1/
//     microsoft.containerservice/2026-05-01/types.json: name 1-63, pattern ^[a-z][a-z0-9]{0,63}$
//   MicrosoftDocs/azure-aks-docs articles/aks/identity-bindings.md, identity-bindings-concepts.md:
//     AKS creates (or reuses) one federated credential "aks-identity-binding" on the identity; a
//     ClusterRole with verb use-managed-identity on API group cid.wi.aks.azure.com, resource = the
//     identity's client ID, bound to the service accounts, authorizes them; pods carry the label
//     azure.workload.identity/use and the annotation azure.workload.identity/use-identity-binding.
//     Not supported on clusters with API server VNet integration.
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { AzapiResource, armResourceId } from "./azapi";
import { isUnresolved, StringRule, Validator } from "../../core/validation";
import { WorkloadIdentity } from "./workload-identity";
import { checkProps } from "../../core/props";

/** The ARM type of an identity binding, a child of the managed cluster. */
export const IDENTITY_BINDING_RESOURCE_TYPE = "Microsoft.ContainerService/managedClusters/identityBindings";
/** The newest stable API version with identity bindings (the pinned azapi release knows it). */
export const IDENTITY_BINDING_API_VERSION = "2026-05-01";
/** Audience of the service account token the Azure CSI provider exchanges through the AKS token proxy. */
export const IDENTITY_BINDING_TOKEN_AUDIENCE = "api://AKSIdentityBinding";
/** API group and verb of the Kubernetes RBAC rule that lets a service account use an identity. */
export const IDENTITY_BINDING_API_GROUP = "cid.wi.aks.azure.com";
export const IDENTITY_BINDING_VERB = "use-managed-identity";
/** Pod annotation that makes the workload identity webhook route token requests through the AKS token proxy. */
export const USE_IDENTITY_BINDING_ANNOTATION = "azure.workload.identity/use-identity-binding";

/** Identity binding names (the API's pattern): a lowercase letter, then lowercase letters and digits, 63 at most. */
export const identityBindingName: StringRule = {
  description: "identity binding names are 1-63 lowercase letters and digits, starting with a letter (no '-' or '_': the API's pattern ^[a-z][a-z0-9]{0,63}$)",
  test: (v) => /^[a-z][a-z0-9]{0,62}$/.test(v),
};

/** A cluster an identity binding can name: an {@link AksCluster}, or a cluster created elsewhere by ARM ID and name. */
export interface IAksClusterRef {
  /** ARM ID of the managed cluster. */
  readonly id: string;
  /** Cluster name, for messages. */
  readonly name: string;
}

export interface AksIdentityBindingProps {
  /** The cluster whose service accounts may use the identity. It needs the OIDC issuer and workload identity on (an AksCluster has both). */
  readonly cluster: IAksClusterRef;
  /** The identity to share. Grant it what the workloads read (e.g. `keyVault.grantSecretRead(identity, ...)`). */
  readonly identity: WorkloadIdentity;
  /**
   * Name of the binding, unique in the cluster.
   * @default derived from the identity's name: lowercase letters and digits only (plus a hash when that changed the name)
   */
  readonly name?: string;
}

/**
 * An AKS identity binding (`Microsoft.ContainerService/managedClusters/identityBindings`, through
 * the azapi provider): maps one user-assigned identity to one cluster. AKS creates one federated
 * credential on the identity (`aks-identity-binding`, shared by all its bindings), so any number
 * of the cluster's service accounts can use the identity; which ones may is decided in the cluster
 * by Kubernetes RBAC ({@link IdentityBindingClusterRole}).
 *
 * The stack needs an {@link AzapiProvider} (`PlatformStack.azapiProvider()`). The identity counts
 * the shared credential towards its 20, and the binding waits for the identity's other
 * credential writes (Azure refuses concurrent ones).
 */
export class AksIdentityBinding extends Construct {
  /** The `azapi_resource`. Address stays `azapi_resource.<id>_binding`. */
  public readonly resource: AzapiResource;
  public readonly name: string;
  public readonly identity: WorkloadIdentity;
  public readonly cluster: IAksClusterRef;
  /** Client ID of the identity: what the ClusterRole names and pods log in as. */
  public readonly clientId: string;
  /** The issuer AKS federates the identity with (`properties.oidcIssuer.oidcIssuerUrl`, known after apply). */
  public readonly oidcIssuerUrl: string;

  constructor(scope: Construct, id: string, props: AksIdentityBindingProps) {
    super(scope, id);
    checkProps(this, "AksIdentityBinding", props);
    const p = (props ?? {}) as Partial<AksIdentityBindingProps>;
    const v = new Validator(this)
      .check(p.identity instanceof WorkloadIdentity, "identity", p.identity === undefined ? undefined : typeof p.identity, "is required: the WorkloadIdentity to share (a user-assigned identity created by this library)")
      .check(!!p.cluster && typeof p.cluster.id === "string", "cluster", p.cluster === undefined ? undefined : typeof p.cluster, "is required: the AksCluster (or { id, name } of a cluster created elsewhere) whose service accounts may use the identity");
    if (p.cluster && typeof p.cluster.id === "string") v.rule("cluster.id", p.cluster.id, { ...armResourceId, description: `${armResourceId.description} (a Microsoft.ContainerService/managedClusters ID)`, test: (s) => armResourceId.test(s) && /\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+$/i.test(s) });
    v.throwIfAny();
    const identity = p.identity!;
    if (p.name === undefined && isUnresolved(identity.name)) v.fail("name", undefined, "is required when the identity's name is known only at apply: a binding name unique in the cluster");
    const name = p.name ?? defaultBindingName(identity.name);
    v.rule("name", name, identityBindingName).throwIfAny();

    this.name = name;
    this.identity = identity;
    this.cluster = p.cluster!;
    this.clientId = identity.clientId;
    this.resource = new AzapiResource(this, "binding", {
      resourceType: IDENTITY_BINDING_RESOURCE_TYPE,
      apiVersion: IDENTITY_BINDING_API_VERSION,
      name,
      parentId: p.cluster!.id,
      body: { properties: { managedIdentity: { resourceId: identity.id } } },
      responseExportValues: ["properties.oidcIssuer.oidcIssuerUrl"],
    });
    this.oidcIssuerUrl = this.resource.outputValue("properties.oidcIssuer.oidcIssuerUrl");
    identity.registerIdentityBinding({ owner: this, clusterId: p.cluster!.id, writer: this.resource });
  }
}

/**
 * The default binding name for an identity name: its lowercase letters and digits, starting with
 * a letter (`ib` is put in front otherwise); when that changed the name or it is too long, the
 * first 54 characters and 8 hex characters of the name's SHA-256, so two identities never share one.
 * Every valid identity name (3-128 letters, digits, `-`, `_`) gives a valid binding name.
 */
export function defaultBindingName(identityName: string): string {
  let s = identityName.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (!/^[a-z]/.test(s)) s = `ib${s}`;
  if (s === identityName && s.length <= 63) return s;
  const hash = createHash("sha256").update(identityName).digest("hex").slice(0, 8);
  return `${s.slice(0, 54)}${hash}`;
}

/** The identity's client ID as a Kubernetes RBAC resource name, or the name of a ClusterRole for it. */
export function useIdentityRoleName(clientId: string): string {
  return `use-mi-${clientId}`;
}

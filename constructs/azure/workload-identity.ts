import { DataAzurermUserAssignedIdentity } from "@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { dependable, TerraformResource, TerraformStack } from "cdktf";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { IPrincipal } from "./principal";
import { isUnresolved, Rules, Validator } from "../../core/validation";
import { checkProps } from "../../core/props";
import { fitName } from "../../core/derived-names";
import { checkTags } from "../../core/validation";
import { publishFact } from "../../core/facts";
import { AZURE_FEDERATION, AZURE_IDENTITY } from "../../core/facts-azure";
import { serviceAccountSubject } from "../../core/facts-kubernetes";

export { serviceAccountSubject };
import { AzurermNames } from "../../core/provider-versions";

/** The audience Entra ID expects in a Kubernetes service account token it exchanges. */
export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
/** Azure's limit of federated identity credentials on one user-assigned identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;
/**
 * The name of the one federated credential AKS creates (and shares) on an identity the first
 * time an identity binding names it (MicrosoftDocs/azure-aks-docs articles/aks/identity-bindings.md).
 * It counts towards {@link MAX_FEDERATED_CREDENTIALS}.
 */
export const IDENTITY_BINDING_CREDENTIAL_NAME = "aks-identity-binding";
/** What the 20-credential errors offer instead of more identities. */
export const IDENTITY_BINDING_FIX =
  "or serve the service accounts of a cluster through an AKS identity binding (AksIdentityBinding + IdentityBindingClusterRole, or KeyVaultWorkloadBinding's identityBinding): one AKS-managed credential for any number of service accounts";

/**
 * Something that writes a federated credential on an identity (our credentials, an AKS identity
 * binding, which makes AKS write one): Azure refuses concurrent writes, so each waits for the last.
 */
export interface ICredentialWriter {
  readonly writer: TerraformResource;
}

/** What an identity knows of an AKS identity binding that names it. */
export interface IdentityBindingInfo extends ICredentialWriter {
  /** The binding construct, for messages. */
  readonly owner: Construct;
  /** The cluster the binding maps the identity to (its ARM ID). */
  readonly clusterId: string;
}

/** Anything that issues service account tokens Entra ID can trust: an {@link AksCluster}, or an issuer URL. */
export interface IOidcIssuer {
  readonly oidcIssuerUrl: string;
}

/** A Kubernetes service account a workload identity serves. */
export interface ServiceAccountBinding {
  readonly namespace: string;
  readonly name: string;
  /**
   * The issuer of the cluster the service account lives in: pass the {@link AksCluster}.
   * @default the identity's `issuer` prop
   */
  readonly issuer?: IOidcIssuer;
  /** Name of the federated credential. @default `NAMESPACE-NAME` */
  readonly credentialName?: string;
}

/** A federated credential as created: what it trusts. */
export interface FederatedCredentialInfo {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** `system:serviceaccount:NAMESPACE:NAME` */
  readonly subject: string;
  readonly issuerUrl: string;
  readonly issuer: IOidcIssuer;
  readonly audiences: readonly string[];
  readonly resource: FederatedIdentityCredential;
}

export interface WorkloadIdentityProps {
  /** Name of the user-assigned managed identity. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Issuer for service accounts bound without their own: usually the {@link AksCluster}. */
  readonly issuer?: IOidcIssuer;
  /** Service accounts to trust from the start; more with {@link WorkloadIdentity.addServiceAccount}. @default none */
  readonly serviceAccounts?: ServiceAccountBinding[];
  readonly tags?: Record<string, string>;
}

/**
 * A user-assigned identity that exists already (created outside this app, e.g. the identity of an
 * aad-pod-identity `AzureIdentity`), reused with {@link WorkloadIdentity.fromExisting}: it is read
 * with a data source, never created, changed or destroyed; only federated credentials are added.
 */
export interface ExistingWorkloadIdentityProps {
  /**
   * ARM ID of the identity:
   * `/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME`
   * (an `AzureIdentity`'s `spec.resourceID`).
   */
  readonly resourceId: string;
  /**
   * Its client ID, when known (an `AzureIdentity`'s `spec.clientID`): written as is into service
   * account annotations and classes, and checked against the identity read at plan time (a client
   * ID of another identity fails the plan, not the pods).
   * @default - the client ID read by the data source
   */
  readonly clientId?: string;
  /** Issuer for service accounts bound without their own: usually the {@link AksCluster}. */
  readonly issuer?: IOidcIssuer;
  /**
   * Service accounts to trust from the start; more with {@link WorkloadIdentity.addServiceAccount}.
   * The identity may hold credentials made elsewhere: Azure's limit of 20 counts them too.
   * @default - none
   */
  readonly serviceAccounts?: ServiceAccountBinding[];
}

/** The ARM ID of a user-assigned identity: subscription, resource group, name. */
const USER_ASSIGNED_IDENTITY_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

/** Marks the props of {@link WorkloadIdentity.fromExisting} (module-private: no other caller can pass it). */
const EXISTING = Symbol("existing user-assigned identity");

/** Per construct tree: which identity trusts which subject of which issuer. */
const TRUSTED = new WeakMap<object, Map<IOidcIssuer, Map<string, WorkloadIdentity>>>();
function trustedBy(identity: WorkloadIdentity): Map<IOidcIssuer, Map<string, WorkloadIdentity>> {
  const root = identity.node.root;
  let m = TRUSTED.get(root);
  if (!m) TRUSTED.set(root, (m = new Map()));
  return m;
}


/**
 * A user-assigned managed identity for one workload, trusted through federated identity
 * credentials by the Kubernetes service accounts it serves (Entra Workload ID). Exposes
 * {@link clientId}, {@link principalId} and {@link tenantId} for grants and annotations.
 *
 * Azure rejects concurrent writes of federated credentials on one identity, so each
 * credential depends on the one before it; at most 20 credentials per identity.
 */
export class WorkloadIdentity extends Construct implements IPrincipal {
  /**
   * Reuses an identity that exists already (see {@link ExistingWorkloadIdentityProps}): the result
   * is a `WorkloadIdentity` like any other (federated credentials, grants, service accounts and
   * classes take it, the wiring checks follow it) whose IDs come from an
   * `azurerm_user_assigned_identity` data source (address `data.azurerm_user_assigned_identity.<id>_existing`).
   */
  static fromExisting(scope: Construct, id: string, props: ExistingWorkloadIdentityProps): WorkloadIdentity {
    return new WorkloadIdentity(scope, id, { [EXISTING]: props } as unknown as WorkloadIdentityProps);
  }

  /**
   * The identity resource. Address stays `azurerm_user_assigned_identity.<id>_identity`.
   * Undefined for an identity reused with {@link fromExisting} (see {@link existing}).
   */
  public readonly resource?: UserAssignedIdentity;
  /** The data source an identity reused with {@link fromExisting} is read with; undefined for an identity this construct creates. */
  public readonly existing?: DataAzurermUserAssignedIdentity;
  public readonly name: string;
  /** ARM ID of the identity. */
  public readonly id: string;
  public readonly clientId: string;
  public readonly principalId: string;
  public readonly tenantId: string;
  public readonly principalKind = "workload-identity" as const;
  public readonly owner: Construct = this;
  private readonly defaultIssuer?: IOidcIssuer;
  private readonly resourceGroupName: string;
  private readonly credentials: FederatedCredentialInfo[] = [];
  private readonly bindings: IdentityBindingInfo[] = [];
  /** The last resource that writes a federated credential on this identity (a credential, or a binding). */
  private lastWriter?: TerraformResource;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const existing = (props as { [EXISTING]?: ExistingWorkloadIdentityProps } | undefined)?.[EXISTING];
    if (existing) {
      // Reuse: read the identity, create nothing but the credentials added later.
      const given = existing.resourceId;
      const v = new Validator(this).check(typeof given === "string" && given.length > 0, "resourceId", given, "is required: the ARM ID of the user-assigned identity (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME)");
      const parts = typeof given === "string" && !isUnresolved(given) ? USER_ASSIGNED_IDENTITY_ID.exec(given) : null;
      if (typeof given === "string" && given.length > 0 && !isUnresolved(given)) {
        v.check(parts !== null, "resourceId", given, "must be the ARM ID of a user-assigned identity: /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME");
      }
      if (parts) v.rule("resourceId", parts[2], Rules.resourceGroupName).rule("resourceId", parts[3], Rules.managedIdentityName);
      v.rule("clientId", existing.clientId, Rules.guid)
        .check((existing.serviceAccounts ?? []).length <= MAX_FEDERATED_CREDENTIALS, "serviceAccounts", `${existing.serviceAccounts?.length} entries`, `an identity holds at most ${MAX_FEDERATED_CREDENTIALS} federated credentials (an Azure limit); split the workloads over several identities`)
        .throwIfAny();
      // A token ID (another stack's output) is split at apply time: .../resourceGroups/RG/.../NAME.
      const name = parts ? parts[3] : Fn.element(Fn.split("/", given), 8);
      const resourceGroupName = parts ? parts[2] : Fn.element(Fn.split("/", given), 4);
      this.existing = new DataAzurermUserAssignedIdentity(this, "existing", {
        name,
        resourceGroupName,
        lifecycle:
          existing.clientId !== undefined
            ? { postcondition: [{ condition: `\${self.client_id == "${existing.clientId}"}`, errorMessage: `The identity ${given} has another client ID than ${existing.clientId}: give the client ID of this identity (AzureIdentity spec.clientID and spec.resourceID must name the same identity).` }] }
            : undefined,
      });
      this.name = name;
      this.resourceGroupName = resourceGroupName;
      this.defaultIssuer = existing.issuer;
      this.id = this.existing.id;
      this.clientId = existing.clientId ?? this.existing.clientId;
      this.principalId = this.existing.principalId;
      this.tenantId = this.existing.tenantId;
      publishFact(this, AZURE_IDENTITY, { identity: this, federated: true });
      (existing.serviceAccounts ?? []).forEach((sa, i) => this.addServiceAccount(sa, `serviceAccounts[${i}]`));
      return;
    }
    checkProps(this, "WorkloadIdentity", props);
    const wv = new Validator(this);
    checkTags(wv, "tags", props.tags);
    wv
      .rule("name", props.name, Rules.managedIdentityName)
      .rule("resourceGroupName", props.resourceGroupName, Rules.resourceGroupName)
      .rule("location", props.location, Rules.azureLocation)
      .check((props.serviceAccounts ?? []).length <= MAX_FEDERATED_CREDENTIALS, "serviceAccounts", `${props.serviceAccounts?.length} entries`, `an identity holds at most ${MAX_FEDERATED_CREDENTIALS} federated credentials (an Azure limit); split the workloads over several identities, ${IDENTITY_BINDING_FIX}`)
      .throwIfAny();
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.defaultIssuer = props.issuer;
    this.resource = new UserAssignedIdentity(this, "identity", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tags: props.tags,
    });
    this.id = this.resource.id;
    this.clientId = this.resource.clientId;
    this.principalId = this.resource.principalId;
    this.tenantId = this.resource.tenantId;
    publishFact(this, AZURE_IDENTITY, { identity: this, federated: true });
    (props.serviceAccounts ?? []).forEach((sa, i) => this.addServiceAccount(sa, `serviceAccounts[${i}]`));
  }

  /** The federated credentials created so far, in creation order. */
  get federatedCredentials(): readonly FederatedCredentialInfo[] {
    return [...this.credentials];
  }

  /** The AKS identity bindings that name this identity. */
  get identityBindings(): readonly IdentityBindingInfo[] {
    return [...this.bindings];
  }

  /**
   * How many of the identity's 20 federated credentials are used: the ones created here, plus the
   * one AKS shares among all identity bindings of the identity.
   */
  get credentialCount(): number {
    return this.credentials.length + (this.bindings.length > 0 ? 1 : 0);
  }

  /**
   * Called by an AKS identity binding naming this identity (see `AksIdentityBinding`): AKS then
   * writes the shared credential {@link IDENTITY_BINDING_CREDENTIAL_NAME}, which counts towards the
   * limit, and the binding is serialized with this identity's other credential writes.
   * Throws a ValidationError (on this identity, field `identityBindings`) when it does not fit.
   */
  registerIdentityBinding(binding: IdentityBindingInfo): void {
    const v = new Validator(this);
    const field = "identityBindings";
    if (this.bindings.length === 0 && this.credentials.length >= MAX_FEDERATED_CREDENTIALS) {
      v.fail(field, binding.owner.node.path, `would make AKS add the credential "${IDENTITY_BINDING_CREDENTIAL_NAME}" to an identity that holds ${this.credentials.length} already: number ${this.credentials.length + 1} of at most ${MAX_FEDERATED_CREDENTIALS}; move service accounts from credentials to the binding`);
    }
    const twin = this.credentials.find((c) => c.name === IDENTITY_BINDING_CREDENTIAL_NAME);
    if (twin) v.fail(field, binding.owner.node.path, `binds an identity that has a credential named "${IDENTITY_BINDING_CREDENTIAL_NAME}" (for ${twin.namespace}/${twin.serviceAccountName}), the name AKS gives its identity-binding credential: rename that credential (credentialName)`);
    const same = this.bindings.find((b) => b.clusterId === binding.clusterId);
    if (same) v.fail(field, binding.owner.node.path, `binds the identity to a cluster ${same.owner.node.path} already binds it to: one identity binding per identity and cluster; authorize more service accounts on its cluster role instead`);
    v.throwIfAny();
    this.serialize(binding.writer);
    this.bindings.push(binding);
  }

  /** Makes `resource` wait for the identity's last credential write; it becomes the last. */
  private serialize(resource: TerraformResource): void {
    const previous = this.lastWriter;
    this.lastWriter = resource;
    if (!previous) return;
    const a = TerraformStack.of(resource);
    const b = TerraformStack.of(previous);
    if (a === b) resource.dependsOn = [...(resource.dependsOn ?? []), dependable(previous)];
    else if (!a.dependencies.includes(b)) a.addDependency(b);
  }

  /**
   * Trusts a Kubernetes service account: adds a federated credential with the cluster's
   * issuer, subject `system:serviceaccount:NAMESPACE:NAME` and audience `api://AzureADTokenExchange`.
   */
  addServiceAccount(binding: ServiceAccountBinding, field = "addServiceAccount"): FederatedCredentialInfo {
    const v = new Validator(this);
    const issuer = binding.issuer ?? this.defaultIssuer;
    const credentialName = binding.credentialName ?? fitName(`${binding.namespace}-${binding.name}`, Rules.federatedCredentialName, { max: 120, allowed: /[A-Za-z0-9_-]/ });
    v.rule(`${field}.namespace`, binding.namespace, Rules.dns1123Label)
      .rule(`${field}.name`, binding.name, Rules.dns1123Subdomain)
      .rule(`${field}.credentialName`, credentialName, Rules.federatedCredentialName)
      .check(!!issuer, `${field}.issuer`, undefined, "needs the cluster (or issuer) whose service account tokens to trust: pass issuer here or on the identity");
    if (this.credentialCount >= MAX_FEDERATED_CREDENTIALS) {
      const shared = this.bindings.length > 0 ? ` (one of them the identity bindings' "${IDENTITY_BINDING_CREDENTIAL_NAME}")` : "";
      v.fail(field, `${binding.namespace}/${binding.name}`, `would be federated credential number ${this.credentialCount + 1}${shared}; an identity holds at most ${MAX_FEDERATED_CREDENTIALS} (an Azure limit): split the workloads over several identities, ${IDENTITY_BINDING_FIX}`);
    }
    if (credentialName === IDENTITY_BINDING_CREDENTIAL_NAME && this.bindings.length > 0) {
      v.fail(`${field}.credentialName`, credentialName, `is the name of the credential AKS writes for this identity's binding (${this.bindings[0].owner.node.path}): choose another name`);
    }
    const subject = serviceAccountSubject(binding.namespace, binding.name);
    if (issuer) {
      const twin = this.credentials.find((c) => c.subject === subject && c.issuer === issuer);
      if (twin) v.fail(field, `${binding.namespace}/${binding.name}`, `is already bound to this identity (credential "${twin.name}"): bind a service account once`);
      // A service account carries one client-id annotation: a second identity trusting it is a
      // second, unusable wiring (and the wrong one if the annotation names it).
      const other = trustedBy(this).get(issuer)?.get(subject);
      if (other && other !== this) {
        v.fail(field, `${binding.namespace}/${binding.name}`, `is already bound to identity ${other.node.path} on this issuer: a service account carries one client ID, so bind it to one identity (reuse ${other.node.path}, or use another service account)`);
      }
    }
    const sameName = this.credentials.find((c) => c.name === credentialName);
    if (sameName) v.fail(`${field}.credentialName`, credentialName, `is already used by the credential for ${sameName.namespace}/${sameName.serviceAccountName}: credential names are unique per identity`);
    v.throwIfAny();

    const resource = new FederatedIdentityCredential(this, `credential-${isUnresolved(credentialName) ? this.credentials.length : credentialName}`, {
      name: credentialName,
      resourceGroupName: this.resourceGroupName,
      parentId: this.id,
      issuer: issuer!.oidcIssuerUrl,
      subject,
      audience: [AZURE_AD_TOKEN_EXCHANGE_AUDIENCE],
    });
    // user_assigned_identity_id, not the deprecated parent_id (removed in azurerm 5.0)
    AzurermNames.federatedIdentityCredential(resource, this.id);
    // Azure rejects concurrent federated-credential writes on one identity: serialize them (and
    // the identity bindings, which make AKS write one).
    this.serialize(resource);
    const info: FederatedCredentialInfo = {
      name: credentialName,
      namespace: binding.namespace,
      serviceAccountName: binding.name,
      subject,
      issuerUrl: issuer!.oidcIssuerUrl,
      issuer: issuer!,
      audiences: [AZURE_AD_TOKEN_EXCHANGE_AUDIENCE],
      resource,
    };
    this.credentials.push(info);
    publishFact(this, AZURE_FEDERATION, {
      identity: this,
      name: credentialName,
      namespace: binding.namespace,
      serviceAccountName: binding.name,
      subject,
      issuer: issuer!,
      issuerUrl: issuer!.oidcIssuerUrl,
      audiences: info.audiences,
    });
    const byIssuer = trustedBy(this);
    if (!byIssuer.has(info.issuer)) byIssuer.set(info.issuer, new Map());
    byIssuer.get(info.issuer)!.set(subject, this);
    return info;
  }

  /** True when a credential trusts this service account of this issuer. */
  trusts(issuer: IOidcIssuer, namespace: string, name: string): boolean {
    const subject = serviceAccountSubject(namespace, name);
    return this.credentials.some((c) => c.subject === subject && (c.issuer === issuer || c.issuerUrl === issuer.oidcIssuerUrl));
  }
}

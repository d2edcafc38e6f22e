// SecretStore / ClusterSecretStore of the External Secrets Operator, for Azure Key Vault with
// workload identity and for Vault with JWT auth.
//
// Sources (external-secrets/external-secrets @ v2.9.0, commit 378bdb62):
//   apis/externalsecrets/v1/secretstore_azurekv_types.go   authType WorkloadIdentity, vaultUrl, tenantId, serviceAccountRef
//   providers/v1/azure/keyvault/keyvault.go authorizerForWorkloadIdentity:
//     with serviceAccountRef the client ID is the service account's azure.workload.identity/client-id
//     annotation; the tenant is spec tenantId OR the tenant-id annotation (both = error "multiple
//     tenantID found"); the token is requested for that service account with audience
//     api://AzureADTokenExchange; serviceAccountRef.namespace is honoured only in a ClusterSecretStore.
//     Without serviceAccountRef the operator uses its own pod's AZURE_* variables (the webhook's).
//     No AKS identity-binding (token proxy) support.
//   apis/externalsecrets/v1/secretstore_vault_types.go, providers/v1/vault/auth_jwt.go, auth.go:
//     auth.jwt {path, role, kubernetesServiceAccountToken {serviceAccountRef {name, namespace, audiences}}};
//     the token's audiences = serviceAccountRef.audiences + ["vault"] (the deprecated `audiences`
//     field's default); 10-minute tokens; login at auth/PATH/login.
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ITerraformDependable, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { HCP_VAULT_ADMIN_NAMESPACE } from "../hcp/hcp-vault-cluster";
import { KeyVault } from "../azure/key-vault";
import { IPrincipal } from "../azure/principal";
import { WorkloadIdentity } from "../azure/workload-identity";
import { NamespaceInput, resolveNamespace } from "../kubernetes/secret-provider-class";
import { WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION, WorkloadServiceAccount } from "../kubernetes/workload-service-account";
import { checkOptOut, isUnresolved, OptOut, problemMessage, recordOptOut, Rules, Validator } from "../../core/validation";
import { DEFAULT_VAULT_AUDIENCE, VaultJwtRole, vaultMountPath, VaultKvV2Secret } from "../vault/vault-jwt-auth";
import { ESO_API_VERSION, ExternalSecretsOperator } from "./operator";
import { publishKubernetesObject } from "../../core/facts-kubernetes";
import { checkProps } from "../../core/props";

/** How an Azure Key Vault store logs in (always Entra Workload ID: no client secret anywhere). */
export type EsoAzureAuth =
  /** A service account of the store's namespace, federated with its identity (recommended): the operator requests its token. */
  | { readonly mode: "serviceAccount"; readonly serviceAccount: WorkloadServiceAccount }
  /** The operator's own identity (ExternalSecretsOperator `workloadIdentity`). Only for a ClusterSecretStore. */
  | { readonly mode: "operator" };

export interface EsoAzureKeyVaultProvider {
  readonly type: "azureKeyVault";
  /** The vault: its URL and tenant are taken from it, and the ExternalSecrets are checked against its grants. */
  readonly keyVault: KeyVault;
  readonly auth: EsoAzureAuth;
}

export interface EsoVaultProvider {
  readonly type: "vault";
  /** Vault address, `https://...` (the HCP Vault cluster's private endpoint URL). */
  readonly server: string;
  /** Mount path of the KV v2 engine the ExternalSecrets read, e.g. `secret`. */
  readonly mount: string;
  /** The JWT role to log in with: mount, role name and service account come from it. */
  readonly role: VaultJwtRole;
  /** Audience of the requested token; must be bound by the role. @default the role's first audience */
  readonly audience?: string;
  /** Vault namespace. @default "admin" (HCP Vault) */
  readonly vaultNamespace?: string;
  /** Create the role's service account (no automounted token). Leave off when the workload's deployment creates it. @default false */
  readonly createServiceAccount?: boolean;
}

export type EsoStoreProvider = EsoAzureKeyVaultProvider | EsoVaultProvider;

interface EsoStoreCommonProps {
  /** The operator, so the store is applied after it (from a later stack). */
  readonly operator: ExternalSecretsOperator;
  /** Object name (DNS-1123 subdomain). */
  readonly name: string;
  readonly provider: EsoStoreProvider;
  /** E.g. the namespace resource. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export interface EsoSecretStoreProps extends EsoStoreCommonProps {
  /** Namespace of the store; its ExternalSecrets must be in it, and so must a service account it uses. */
  readonly namespace: NamespaceInput;
}

export interface EsoClusterSecretStoreProps extends EsoStoreCommonProps {
  /**
   * Namespaces whose ExternalSecrets may use the store (`spec.conditions`). Required: a cluster
   * store otherwise lends its identity to every namespace. Or opt out with `allowAllNamespaces`.
   */
  readonly allowedNamespaces?: readonly string[];
  /** Let every namespace use the store. An opt-out of the secure default: give the reason. @default only `allowedNamespaces` */
  readonly allowAllNamespaces?: OptOut;
}

/**
 * What the ExternalSecrets of a store are checked against: which identity (and grants) or which
 * Vault role reads for it.
 */
abstract class EsoStoreBase extends Construct {
  public readonly manifest: Manifest;
  public readonly name: string;
  public readonly kind: "SecretStore" | "ClusterSecretStore";
  public readonly provider: EsoStoreProvider;
  public readonly operator: ExternalSecretsOperator;
  /** Azure: the identity that reads (its grants on the vault decide what the ExternalSecrets may read). */
  public readonly principal?: IPrincipal;
  /** Azure: the vault. */
  public readonly keyVault?: KeyVault;
  /** Vault: the role that reads. */
  public readonly role?: VaultJwtRole;
  /** Vault: the KV v2 mount read. */
  public readonly mount?: string;
  /** The service account whose token the operator uses, `NAMESPACE/NAME` (or the operator's own). */
  public readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** The service account, when created here (Vault with createServiceAccount). */
  public readonly serviceAccountResource?: ServiceAccountV1;

  /**
   * `namespaceOf` and `extraSpecOf` read the subclass's props: they run after the props check, so
   * a value of the wrong type fails as a ValidationError, not inside them.
   */
  protected constructor(
    scope: Construct,
    id: string,
    props: EsoStoreCommonProps,
    kind: "SecretStore" | "ClusterSecretStore",
    namespaceOf: () => { readonly name: string; readonly dependsOn: ITerraformDependable[] } | undefined,
    extraSpecOf: () => Record<string, unknown>,
  ) {
    super(scope, id);
    checkProps(this, kind === "SecretStore" ? "EsoSecretStore" : "EsoClusterSecretStore", props);
    const resolved = namespaceOf();
    const namespace = resolved?.name;
    const namespaceDeps = resolved?.dependsOn ?? [];
    const extraSpec = extraSpecOf();
    const v = new Validator(this);
    const operator = props.operator as ExternalSecretsOperator | undefined;
    v.check(operator instanceof ExternalSecretsOperator, "operator", operator === undefined ? undefined : typeof operator, "needs the ExternalSecretsOperator (its Helm release installs the CRDs the store is applied after)").rule("name", props.name, Rules.dns1123Subdomain);
    if (namespace !== undefined) v.rule("namespace", namespace, Rules.dns1123Label);
    const provider = props.provider as EsoStoreProvider | undefined;
    let spec: Record<string, unknown> = {};
    let principal: IPrincipal | undefined;
    let sa: { namespace: string; name: string } | undefined;
    switch (provider?.type) {
      case "azureKeyVault": {
        const vault = provider.keyVault as KeyVault | undefined;
        v.check(vault instanceof KeyVault, "provider.keyVault", vault === undefined ? undefined : typeof vault, "must be the KeyVault construct (its URL, tenant and grants are used)");
        const auth = provider.auth as EsoAzureAuth | undefined;
        const azure: Record<string, unknown> = { authType: "WorkloadIdentity", vaultUrl: vault instanceof KeyVault ? vault.vaultUri : undefined };
        if (auth?.mode === "serviceAccount") {
          const wsa = auth.serviceAccount as WorkloadServiceAccount | undefined;
          if (!(wsa instanceof WorkloadServiceAccount)) {
            v.fail("provider.auth.serviceAccount", wsa === undefined ? undefined : typeof wsa, "must be a WorkloadServiceAccount (annotated with its identity's client ID, which the operator reads)");
            break;
          }
          if (!(wsa.identity instanceof WorkloadIdentity)) v.fail("provider.auth.serviceAccount", `${wsa.namespace}/${wsa.name}`, "stands for an identity given by client ID only: pass the WorkloadIdentity, so the store's grants and federation can be checked");
          if (wsa.identityBinding) v.fail("provider.auth.serviceAccount", `${wsa.namespace}/${wsa.name}`, "uses an AKS identity binding, which the External Secrets Operator does not support (it exchanges the token at Entra ID directly): give the store a service account with a federated credential of its own");
          if (kind === "SecretStore" && namespace !== undefined && wsa.namespace !== namespace) {
            v.fail("provider.auth.serviceAccount", `${wsa.namespace}/${wsa.name}`, `must be in the store's namespace "${namespace}": a SecretStore's serviceAccountRef names a service account of its own namespace`);
          }
          principal = wsa.identity instanceof WorkloadIdentity ? wsa.identity : undefined;
          sa = { namespace: wsa.namespace, name: wsa.name };
          // The tenant comes from the store or from the service account's annotation, never both (ESO refuses both).
          if (!(WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION in wsa.annotations) && vault instanceof KeyVault) azure.tenantId = vault.tenantId;
          azure.serviceAccountRef = { name: wsa.name, ...(kind === "ClusterSecretStore" ? { namespace: wsa.namespace } : {}) };
        } else if (auth?.mode === "operator") {
          const own = operator?.workloadIdentity;
          if (kind !== "ClusterSecretStore") v.fail("provider.auth.mode", "operator", "is only for a ClusterSecretStore: a namespaced store using the operator's identity lends it to every namespace that can create a SecretStore; reference a service account of this namespace instead");
          else if (!own) v.fail("provider.auth.mode", "operator", "needs the operator installed with workloadIdentity (ExternalSecretsOperator props): it has no Azure identity");
          principal = own;
          if (operator) sa = { namespace: operator.namespace, name: operator.serviceAccountName };
        } else {
          v.fail("provider.auth.mode", (auth as { mode?: string } | undefined)?.mode, 'must be "serviceAccount" or "operator"');
        }
        spec = { provider: { azurekv: azure } };
        break;
      }
      case "vault": {
        const role = provider.role as VaultJwtRole | undefined;
        v.check(role instanceof VaultJwtRole, "provider.role", role === undefined ? undefined : typeof role, "must be the VaultJwtRole to log in with (from VaultJwtAuth.addRole)");
        if (!isUnresolved(provider.server)) v.check(typeof provider.server === "string" && /^https:\/\/[^\s/]+(:\d+)?\/?$/.test(provider.server), "provider.server", provider.server, "must be an https URL of the Vault server such as https://vault.example:8200 (the HCP cluster's private endpoint URL)");
        v.rule("provider.mount", provider.mount, vaultMountPath);
        const vaultNamespace = provider.vaultNamespace ?? HCP_VAULT_ADMIN_NAMESPACE;
        v.rule("provider.vaultNamespace", vaultNamespace, { description: "must be a Vault namespace path such as admin or admin/team", test: (s) => /^[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_-]+)*$/.test(s) });
        if (!(role instanceof VaultJwtRole)) break;
        const audience = provider.audience ?? role.audiences[0];
        if (!role.audiences.includes(audience)) v.fail("provider.audience", audience, `is not bound by JWT role "${role.name}" of mount ${role.mount} (bound: ${role.audiences.join(", ")}): Vault would refuse the token`);
        if (kind === "SecretStore" && namespace !== undefined && namespace !== role.namespace) {
          v.fail("namespace", namespace, `must be "${role.namespace}", the namespace of the service account JWT role "${role.name}" binds (${role.subject}): a SecretStore requests the token of a service account of its own namespace`);
        }
        sa = { namespace: role.namespace, name: role.serviceAccountName };
        // ESO adds the audience "vault" unless the deprecated `audiences` field is set: naming it again would list it twice.
        const audiences = audience === DEFAULT_VAULT_AUDIENCE ? undefined : [audience];
        spec = {
          provider: {
            vault: {
              server: provider.server,
              path: provider.mount,
              version: "v2",
              namespace: vaultNamespace,
              auth: {
                jwt: {
                  path: role.mount,
                  role: role.name,
                  kubernetesServiceAccountToken: { serviceAccountRef: { name: role.serviceAccountName, ...(kind === "ClusterSecretStore" ? { namespace: role.namespace } : {}), ...(audiences ? { audiences } : {}) } },
                },
              },
            },
          },
        };
        break;
      }
      default:
        v.fail("provider.type", (provider as { type?: string } | undefined)?.type, 'must be "azureKeyVault" or "vault"');
    }
    v.throwIfAny();

    this.name = props.name;
    this.kind = kind;
    this.provider = provider!;
    this.operator = operator!;
    this.principal = principal;
    if (provider!.type === "azureKeyVault") this.keyVault = provider!.keyVault;
    if (provider!.type === "vault") {
      this.role = provider!.role;
      this.mount = provider!.mount;
    }
    this.serviceAccount = sa!;
    const deps = [...namespaceDeps, ...(props.dependsOn ?? [])];
    if (provider!.type === "vault" && provider!.createServiceAccount) {
      this.serviceAccountResource = new ServiceAccountV1(this, "service-account", {
        metadata: { name: sa!.name, namespace: sa!.namespace, labels: { "app.kubernetes.io/managed-by": "terraform" } },
        automountServiceAccountToken: false,
        dependsOn: namespaceDeps.length > 0 ? namespaceDeps : undefined,
      });
      deps.push(this.serviceAccountResource);
    }
    this.manifest = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: ESO_API_VERSION,
        kind,
        metadata: { name: props.name, ...(namespace !== undefined ? { namespace } : {}) },
        spec: { ...spec, ...extraSpec },
      },
      dependsOn: deps.length > 0 ? deps : undefined,
    });
    afterOperator(this, this.operator);
    publishKubernetesObject(this, { kind: `external-secrets.io/${kind}`, namespace, name: props.name, resource: this.manifest, field: "name" });
    if (this.serviceAccountResource) publishKubernetesObject(this, { kind: "/ServiceAccount", namespace: sa!.namespace, name: sa!.name, resource: this.serviceAccountResource, field: "provider.createServiceAccount" });
  }

  /** True when the store's identity (or role) may read this remote key (a Key Vault secret name, or a KV path). */
  canRead(remoteKey: string): boolean {
    if (this.keyVault) return !!this.principal && this.keyVault.canRead(this.principal, remoteKey);
    return !!this.role && this.role.canRead({ mount: this.mount!, path: remoteKey } as VaultKvV2Secret);
  }

  /** True when the store may list every secret (Key Vault: of the vault; Vault: under `path`). */
  canFind(path?: string): boolean {
    if (this.keyVault) return !!this.principal && this.keyVault.canList(this.principal);
    return !!this.role && path !== undefined && this.role.canList(this.mount!, path);
  }
}

/**
 * A namespaced `SecretStore` (external-secrets.io/v1): Azure Key Vault through a federated
 * service account of the same namespace, or Vault through a JWT role that binds a service account
 * of the same namespace. Only ExternalSecrets of its namespace can use it.
 */
export class EsoSecretStore extends EsoStoreBase {
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: EsoSecretStoreProps) {
    super(scope, id, props, "SecretStore", () => resolveNamespace((props?.namespace ?? "") as NamespaceInput), () => ({}));
    this.namespace = resolveNamespace(props.namespace).name;
  }
}

/**
 * A `ClusterSecretStore`: one store for several namespaces, limited to `allowedNamespaces`
 * (`spec.conditions`). For Azure it may use the operator's own identity (`{ mode: "operator" }`).
 */
export class EsoClusterSecretStore extends EsoStoreBase {
  /** The namespaces allowed, or `"*"` with the opt-out. */
  public readonly allowedNamespaces: readonly string[] | "*";

  constructor(scope: Construct, id: string, props: EsoClusterSecretStoreProps) {
    super(scope, id, props, "ClusterSecretStore", () => undefined, () => {
      const a = props?.allowedNamespaces;
      return a && a.length > 0 && !props.allowAllNamespaces ? { conditions: [{ namespaces: [...a] }] } : {};
    });
    const allowed = props?.allowedNamespaces;
    const v = new Validator(this);
    checkOptOut(v, "allowAllNamespaces.reason", props.allowAllNamespaces);
    if (props.allowAllNamespaces && allowed !== undefined) v.fail("allowedNamespaces", allowed, "contradicts allowAllNamespaces: give one of them");
    if (!props.allowAllNamespaces) {
      v.check(Array.isArray(allowed) && allowed.length > 0, "allowedNamespaces", allowed, "must list the namespaces whose ExternalSecrets may use the store (a cluster store otherwise lends its identity to every namespace), or opt out with allowAllNamespaces: { reason }");
      (allowed ?? []).forEach((n, i) => v.rule(`allowedNamespaces[${i}]`, n, Rules.dns1123Label));
    }
    v.throwIfAny();
    recordOptOut(this, "allowAllNamespaces", props.allowAllNamespaces);
    this.allowedNamespaces = props.allowAllNamespaces ? "*" : [...allowed!];
  }

  /** True when ExternalSecrets of this namespace may use the store. */
  allows(namespace: string): boolean {
    return this.allowedNamespaces === "*" || this.allowedNamespaces.includes(namespace);
  }
}

/** Either kind of store. */
export type EsoStore = EsoSecretStore | EsoClusterSecretStore;

/**
 * ESO resources are `kubernetes_manifest`s: their CRDs must exist at plan time, so they belong to a
 * stack after the operator's. Refused in the operator's own stack (the first plan would fail);
 * from a later stack, that stack depends on the operator's.
 */
export function afterOperator(c: Construct, operator: ExternalSecretsOperator): void {
  const mine = TerraformStack.of(c);
  const theirs = TerraformStack.of(operator);
  if (mine === theirs) {
    c.node.addValidation({
      validate: () => [
        problemMessage(
          "operator",
          operator.node.path,
          `is in the same stack (${mine.node.path}): a kubernetes_manifest of an External Secrets resource needs the operator's CRDs at plan time, so the first plan of this stack fails; put the ESO resources in a stack that deploys after it`,
        ),
      ],
    });
  } else if (!mine.dependencies.includes(theirs)) {
    mine.addDependency(theirs);
  }
}

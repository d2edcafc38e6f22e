import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { blockLiteralArray, QUOTED_SCALARS, quotedYamlMap } from "../../core/quoted-yaml";
import { KeyVault } from "../azure/key-vault";
import { classServerOf } from "./installers/registry";
import { IPrincipal } from "../azure/principal";
import { IdentityBindingClusterRole } from "./identity-binding-role";
import { IDENTITY_BINDING_MOUNT } from "../../core/facts-identity-binding";
import { checkOptOut, isUnresolved, OptOut, problemMessage, recordOptOut, Rules, StringRule, Validator } from "../../core/validation";
import { checkProps } from "../../core/props";
import { publishFact, SELF_CHECKED } from "../../core/facts";
import { AWS_CSI_MOUNT } from "../../core/facts-aws";
import { AZURE_KEY_VAULT_MOUNT } from "../../core/facts-azure";
import { CSI_CLASS, K8S_SECRET_WRITER, publishKubernetesObject } from "../../core/facts-kubernetes";
import { VAULT_CSI_MOUNT } from "../../core/facts-vault";

// ---------------------------------------------------------------------------
// Shared Kubernetes bits

/** A namespace given by name, or as the `kubernetes_namespace_v1` that creates it (then resources wait for it). */
export type NamespaceInput = string | NamespaceV1;

/** The name of a namespace input and, when it is a resource, the resource to depend on. */
export function resolveNamespace(ns: NamespaceInput): { readonly name: string; readonly dependsOn: ITerraformDependable[] } {
  if (typeof ns === "string") return { name: ns, dependsOn: [] };
  return { name: ns.metadataInput?.name ?? ns.metadata.name, dependsOn: [ns] };
}

/** Keys of Secret data and ConfigMap data. */
export const secretDataKeyRule: StringRule = {
  description: "must be a Secret data key: at most 253 characters of letters, digits, '-', '_' and '.'",
  test: (v) => v.length >= 1 && v.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(v) && v !== "." && v !== "..",
};

// ---------------------------------------------------------------------------
// Synced Kubernetes Secrets (spec.secretObjects)

/** The Secret types the Secrets Store CSI driver can sync to. */
export const SYNCED_SECRET_TYPES = [
  "Opaque",
  "kubernetes.io/basic-auth",
  "bootstrap.kubernetes.io/token",
  "kubernetes.io/dockerconfigjson",
  "kubernetes.io/dockercfg",
  "kubernetes.io/ssh-auth",
  "kubernetes.io/service-account-token",
  "kubernetes.io/tls",
] as const;
export type SyncedSecretType = (typeof SYNCED_SECRET_TYPES)[number];

/**
 * Keys (or annotations) the API server requires for a Secret of each type. A synced Secret
 * missing them is rejected by Kubernetes when the driver creates it, so we reject it at synth.
 */
const REQUIRED_KEYS: Partial<Record<SyncedSecretType, { allOf?: string[]; anyOf?: string[]; annotation?: string }>> = {
  "kubernetes.io/basic-auth": { anyOf: ["username", "password"] },
  "bootstrap.kubernetes.io/token": { allOf: ["token-id", "token-secret"] },
  "kubernetes.io/dockerconfigjson": { allOf: [".dockerconfigjson"] },
  "kubernetes.io/dockercfg": { allOf: [".dockercfg"] },
  "kubernetes.io/ssh-auth": { allOf: ["ssh-privatekey"] },
  "kubernetes.io/service-account-token": { annotation: "kubernetes.io/service-account.name" },
  "kubernetes.io/tls": { allOf: ["tls.crt", "tls.key"] },
};

/** One key of a synced Secret, filled from a mounted object. */
export interface SyncedSecretData {
  /** The mounted object: its file name, i.e. its alias when it has one, else its name. */
  readonly objectName: string;
  /** The key in the Secret (also what `envFrom`/`secretKeyRef` name). */
  readonly key: string;
}

/**
 * A Kubernetes Secret the CSI driver creates from mounted objects (`spec.secretObjects`).
 * The Secret exists only while at least one pod mounts the volume, and the driver does
 * not restart pods on rotation: env vars from it go stale until the pod restarts.
 */
export interface SyncedSecret {
  /** Name of the Secret (DNS-1123 subdomain). */
  readonly secretName: string;
  /** Secret type. @default "Opaque" */
  readonly type?: SyncedSecretType;
  readonly data: SyncedSecretData[];
  /** @default none */
  readonly labels?: Record<string, string>;
  /** @default none */
  readonly annotations?: Record<string, string>;
}

// ---------------------------------------------------------------------------
// Azure Key Vault provider

/** Anything with the client ID an identity logs in with: a {@link WorkloadIdentity}, the CSI add-on identity, any IPrincipal. */
export interface ClientIdentity {
  readonly clientId: string;
}

/** How the Azure provider logs in to Key Vault. */
export type AzureCsiIdentity =
  /** Entra Workload ID: the pod's service account token is exchanged for this identity (`clientID`). */
  | { readonly mode: "workloadIdentity"; readonly identity: ClientIdentity }
  /**
   * A managed identity assigned to the node VMs (`useVMManagedIdentity` + `userAssignedIdentityID`):
   * the AKS add-on's own identity (`cluster.secretsProviderIdentity`) or another one assigned to the node pool.
   * Every pod on the nodes that can mount the class reads what this identity can.
   */
  | { readonly mode: "vmManagedIdentity"; readonly identity: ClientIdentity }
  /**
   * An AKS identity binding (`useAzureTokenProxy` + `clientID`): the pod's service account token
   * (audience `api://AKSIdentityBinding`) is exchanged through the AKS token proxy for the
   * binding's identity. The pods' service account must be authorized by this cluster role. Needs
   * Azure provider 1.8.1 or later with `api://AKSIdentityBinding` in the driver's token requests.
   */
  | { readonly mode: "identityBinding"; readonly role: IdentityBindingClusterRole }
  /** @deprecated aad-pod-identity is retired: refused at synth. Use `workloadIdentity`. */
  | { readonly mode: "podIdentity" };

export type AzureObjectType = "secret" | "key" | "cert";

/** One Key Vault object to mount, exactly the fields the Azure provider parses. */
export interface AzureKeyVaultObject {
  /** Name of the secret, key or certificate in the vault. */
  readonly objectName: string;
  /** @default "secret" */
  readonly objectType?: AzureObjectType;
  /** File name in the mount. @default the object name */
  readonly objectAlias?: string;
  /** A specific version (32 hex characters). @default the latest */
  readonly objectVersion?: string;
  /** Mount this many versions, newest first, as files `ALIAS/0`, `ALIAS/1`, ... @default 1 (just the file) */
  readonly objectVersionHistory?: number;
  /** How the secret value is encoded in the vault; the file holds the decoded bytes. Only for `secret`. @default "utf-8" */
  readonly objectEncoding?: "utf-8" | "hex" | "base64";
  /** `pem` or `pfx` (only for a `secret` backing a certificate). @default "pem" */
  readonly objectFormat?: "pem" | "pfx";
  /** File mode, octal, e.g. `"0440"`. @default the driver's, 0644 */
  readonly filePermission?: string;
}

export interface AzureKeyVaultProviderConfig {
  readonly type: "azure";
  /** The vault: its name and tenant are taken from it, and grants are checked against it. Or give `keyvaultName` and `tenantId`. */
  readonly keyVault?: KeyVault;
  /** Vault name, when no `keyVault` construct is given. */
  readonly keyvaultName?: string;
  /** Tenant of the vault. @default `keyVault.tenantId` */
  readonly tenantId?: string;
  readonly identity: AzureCsiIdentity;
  readonly objects: AzureKeyVaultObject[];
  /** Azure cloud, e.g. `AzureUSGovernmentCloud`. @default the public cloud */
  readonly cloudName?: string;
}

// ---------------------------------------------------------------------------
// HashiCorp Vault provider

/** One Vault secret to mount (vault-csi-provider `objects` entry). */
export interface VaultCsiObject {
  /** File name in the mount; unique in the class. */
  readonly objectName: string;
  /** Path of the secret, e.g. `secret/data/app` for KV v2. */
  readonly secretPath: string;
  /** One key of the secret. @default the whole JSON response */
  readonly secretKey?: string;
  /** HTTP method. @default "GET" */
  readonly method?: "GET" | "PUT" | "POST";
  /** Request body for PUT/POST (dynamic secrets). @default none */
  readonly secretArgs?: Record<string, unknown>;
  /** File mode, octal, e.g. `"0440"`. @default the driver's */
  readonly filePermission?: string;
  /** Decode the value before writing it. @default "utf-8" (as is) */
  readonly encoding?: "utf-8" | "base64" | "hex";
}

export interface VaultProviderConfig {
  readonly type: "vault";
  /** Vault role the pod's service account logs in to. */
  readonly roleName: string;
  /** Vault address, `https://...`. */
  readonly vaultAddress: string;
  /** Vault Enterprise / HCP namespace, e.g. `admin`. @default none */
  readonly vaultNamespace?: string;
  /** Auth mount path, e.g. `jwt-aks` (Kubernetes and JWT auth share one code path). @default "kubernetes" */
  readonly vaultAuthMountPath?: string;
  /** Audience of the service account token sent to Vault. @default the cluster's default */
  readonly audience?: string;
  readonly vaultCACertPath?: string;
  readonly vaultCADirectory?: string;
  readonly vaultTLSServerName?: string;
  readonly vaultTLSClientCertPath?: string;
  readonly vaultTLSClientKeyPath?: string;
  /** Skip TLS verification. An opt-out: give the reason; it is recorded on the class as `aks-secrets:opt-out:skipTlsVerify`. @default TLS is verified */
  readonly skipTlsVerify?: OptOut;
  readonly objects: VaultCsiObject[];
}

// ---------------------------------------------------------------------------
// AWS provider

export interface AwsJmesPathEntry {
  /** JMESPath into the JSON secret. */
  readonly path: string;
  /** File name of the extracted value. */
  readonly objectAlias: string;
  /** @default the object's */
  readonly filePermission?: string;
}

export interface AwsCsiObject {
  /** Secret name or ARN (Secrets Manager), parameter name or ARN (SSM). */
  readonly objectName: string;
  /** Required unless `objectName` is an ARN. */
  readonly objectType?: "secretsmanager" | "ssmparameter";
  /** File name. @default the object name, with `/` translated by `pathTranslation` */
  readonly objectAlias?: string;
  readonly objectVersion?: string;
  readonly objectVersionLabel?: string;
  /** @default the driver's */
  readonly filePermission?: string;
  /** Extract keys of a JSON secret into their own files. @default none */
  readonly jmesPath?: AwsJmesPathEntry[];
  /** The object in `failoverRegion`. @default none */
  readonly failoverObject?: { readonly objectName: string; readonly objectVersion?: string; readonly objectVersionLabel?: string };
}

export interface AwsProviderConfig {
  readonly type: "aws";
  /** @default the node's region */
  readonly region?: string;
  /** @default none */
  readonly failoverRegion?: string;
  /** Character that replaces `/` in file names, or `"False"` for none. @default "_" */
  readonly pathTranslation?: string;
  /** Use EKS Pod Identity instead of IRSA. @default false */
  readonly usePodIdentity?: boolean;
  /** @default "auto" */
  readonly preferredAddressType?: "ipv4" | "ipv6" | "auto";
  readonly objects: AwsCsiObject[];
}

/** Which secrets store the class reads from, with that provider's parameters. */
export type SecretStoreProviderConfig = AzureKeyVaultProviderConfig | VaultProviderConfig | AwsProviderConfig;

export interface SecretProviderClassProps {
  /** Name of the SecretProviderClass (DNS-1123 subdomain). */
  readonly name: string;
  /** Namespace; pods mounting the class must run in it. */
  readonly namespace: NamespaceInput;
  /** The store and what to mount from it. */
  readonly provider: SecretStoreProviderConfig;
  /** Kubernetes Secrets to sync mounted objects into. @default none */
  readonly secretObjects?: SyncedSecret[];
  /** Labels of the SecretProviderClass. @default none */
  readonly labels?: Record<string, string>;
}

/** A file the class mounts, with the object it comes from. */
export interface MountedFile {
  /** Path relative to the mount, e.g. `db-password` or `cert/0`. */
  readonly fileName: string;
  /** The declared object it comes from. */
  readonly objectName: string;
}

export const SECRETS_STORE_API_VERSION = "secrets-store.csi.x-k8s.io/v1";
export const SECRETS_STORE_CSI_DRIVER = "secrets-store.csi.k8s.io";

/**
 * A typed `secrets-store.csi.x-k8s.io/v1` SecretProviderClass for the Azure Key Vault,
 * HashiCorp Vault or AWS provider, rendered as a `kubernetes_manifest`. Parameters are
 * written exactly as each provider parses them (the Azure `objects` is a YAML map whose
 * `array` holds one YAML document per object). Every string is double-quoted in the
 * rendered YAML, so a name such as `on` or `0644` cannot be read as a boolean or a number.
 *
 * Checks at synth: names, identity mode (pod identity is refused), object fields per
 * provider, duplicate file names after aliases, synced keys that name an object that is
 * not mounted, Secret types and the keys they require, and (with a `KeyVault` construct)
 * that the identity has a read grant on every mounted secret.
 */
export class SecretProviderClass extends Construct {
  /** The `kubernetes_manifest`. Address stays `kubernetes_manifest.<id>_manifest`. */
  public readonly resource: Manifest;
  public readonly name: string;
  public readonly namespace: string;
  /** `azure`, `vault` or `aws`. */
  public readonly providerType: SecretStoreProviderConfig["type"];
  /** The provider config as given. */
  public readonly provider: SecretStoreProviderConfig;
  /** `spec.parameters` as rendered. */
  public readonly parameters: Readonly<Record<string, string>>;
  /** The files the volume holds. */
  public readonly files: readonly MountedFile[];
  /** The synced Secrets as given. */
  public readonly secretObjects: readonly SyncedSecret[];
  /** For `azure` with workload identity (or an identity binding): the identity pods log in as. */
  public readonly workloadIdentity?: ClientIdentity;
  /** For `azure` with an identity binding: the cluster role that must authorize the pods' service account. */
  public readonly identityBinding?: IdentityBindingClusterRole;

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    checkProps(this, "SecretProviderClass", props);
    const ns = resolveNamespace(props.namespace);
    const v = new Validator(this).rule("name", props.name, Rules.dns1123Subdomain).rule("namespace", ns.name, Rules.dns1123Label);
    const provider = props.provider as SecretStoreProviderConfig | undefined;
    let rendered: { parameters: Record<string, string>; files: MountedFile[] } = { parameters: {}, files: [] };
    switch (provider?.type) {
      case "azure":
        rendered = this.renderAzure(v, provider);
        break;
      case "vault":
        rendered = renderVault(v, provider);
        break;
      case "aws":
        rendered = renderAws(v, provider);
        break;
      default:
        v.fail("provider.type", (provider as { type?: string } | undefined)?.type, 'must be "azure", "vault" or "aws"');
    }
    checkFiles(v, rendered.files);
    const secretObjects = props.secretObjects ?? [];
    checkSecretObjects(v, secretObjects, rendered.files);
    v.throwIfAny();

    this.name = props.name;
    this.namespace = ns.name;
    this.provider = props.provider;
    this.providerType = props.provider.type;
    this.parameters = rendered.parameters;
    this.files = rendered.files;
    this.secretObjects = secretObjects;
    if (props.provider.type === "azure" && props.provider.identity.mode === "workloadIdentity") {
      this.workloadIdentity = props.provider.identity.identity;
    }
    if (props.provider.type === "azure" && props.provider.identity.mode === "identityBinding") {
      this.identityBinding = props.provider.identity.role;
      this.workloadIdentity = props.provider.identity.role.identity;
    }

    const spec: Record<string, unknown> = { provider: props.provider.type, parameters: rendered.parameters };
    if (secretObjects.length > 0) {
      spec.secretObjects = secretObjects.map((s) => ({
        secretName: s.secretName,
        type: s.type ?? "Opaque",
        ...(s.labels && Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}),
        ...(s.annotations && Object.keys(s.annotations).length > 0 ? { annotations: s.annotations } : {}),
        data: s.data.map((d) => ({ objectName: d.objectName, key: d.key })),
      }));
    }
    this.resource = new Manifest(this, "manifest", {
      manifest: {
        apiVersion: SECRETS_STORE_API_VERSION,
        kind: "SecretProviderClass",
        metadata: { name: props.name, namespace: ns.name, ...(props.labels ? { labels: props.labels } : {}) },
        spec,
      },
      dependsOn: ns.dependsOn.length > 0 ? ns.dependsOn : undefined,
    });
    recordOptOut(this, "skipTlsVerify", props.provider.type === "vault" ? props.provider.skipTlsVerify : undefined);
    this.publishFacts();
    // The cluster's SecretsStore (a ClusterStack's, or one set up with SecretsStore.ensure) installs
    // the provider this class needs, once per cluster, and orders the class after it.
    classServerOf(this)?.serve(this);
  }

  /** What the verification layer knows of this class: the object, what it mounts from which store through which identity, the Secrets it syncs. */
  private publishFacts(): void {
    const p = this.provider;
    const objects = p.type === "azure" ? p.objects.map((o) => (o.objectType && o.objectType !== "secret" ? `${o.objectType}:${o.objectName}` : o.objectName)) : p.type === "vault" ? p.objects.map((o) => o.secretPath) : this.files.map((f) => f.objectName);
    publishFact(this, CSI_CLASS, { namespace: this.namespace, name: this.name, provider: p.type, objects, syncedSecrets: this.secretObjects.map((s) => s.secretName) });
    publishKubernetesObject(this, { kind: "secrets-store.csi.x-k8s.io/SecretProviderClass", namespace: this.namespace, name: this.name, resource: this.resource, field: "name" });
    this.secretObjects.forEach((s, i) =>
      publishFact(this, K8S_SECRET_WRITER, { namespace: this.namespace, name: s.secretName, resource: this.resource, field: `secretObjects[${i}].secretName`, label: `SecretProviderClass ${this.namespace}/${this.name} (secretObjects)` }),
    );
    if (p.type === "azure") {
      publishFact(this, AZURE_KEY_VAULT_MOUNT, {
        keyVault: p.keyVault,
        keyvaultName: p.keyvaultName,
        tenantId: p.tenantId,
        identityMode: p.identity.mode,
        identity: p.identity.mode === "podIdentity" ? undefined : p.identity.mode === "identityBinding" ? p.identity.role.identity : p.identity.identity,
        objects: p.objects.map((o) => ({ objectName: o.objectName, objectType: o.objectType })),
      });
      if (p.identity.mode === "identityBinding") {
        const role = p.identity.role;
        publishFact(this, IDENTITY_BINDING_MOUNT, {
          role,
          covers: (ns, name) => role.covers(ns, name),
          authorized: () => role.serviceAccounts.map((s) => `${s.namespace}/${s.name}`),
          boundCluster: role.binding.cluster,
          boundClusterLabel: role.binding.cluster.name,
        });
      }
    } else if (p.type === "aws") {
      publishFact(this, AWS_CSI_MOUNT, {
        region: p.region,
        failoverRegion: p.failoverRegion,
        usePodIdentity: p.usePodIdentity === true,
        objects: p.objects.map((o) => {
          const arn = /^arn:[\w-]+:(secretsmanager|ssm):/.exec(o.objectName ?? "");
          return { objectType: o.objectType ?? (arn ? (arn[1] === "ssm" ? "ssmparameter" : "secretsmanager") : undefined), objectName: o.objectName, failoverObjectName: o.failoverObject?.objectName };
        }),
      });
    } else if (p.type === "vault") {
      publishFact(this, VAULT_CSI_MOUNT, {
        roleName: p.roleName,
        vaultAddress: p.vaultAddress,
        vaultNamespace: p.vaultNamespace,
        authMount: p.vaultAuthMountPath ?? "kubernetes",
        audience: p.audience,
        objects: p.objects.map((o) => ({ secretPath: o.secretPath })),
      });
    }
  }

  /** The mounted file of a declared object name or file name, if any. */
  file(nameOrFile: string): MountedFile | undefined {
    return this.files.find((f) => f.fileName === nameOrFile) ?? this.files.find((f) => f.objectName === nameOrFile);
  }

  /** The synced Secret that holds `key`, searching `secretName` only when given. */
  syncedKey(key: string, secretName?: string): SyncedSecret | undefined {
    return this.secretObjects.find((s) => (secretName === undefined || s.secretName === secretName) && s.data.some((d) => d.key === key));
  }

  private renderAzure(v: Validator, p: AzureKeyVaultProviderConfig): { parameters: Record<string, string>; files: MountedFile[] } {
    const keyvaultName = p.keyvaultName ?? p.keyVault?.name;
    const tenantId = p.tenantId ?? p.keyVault?.tenantId;
    if (p.keyVault && p.keyvaultName !== undefined && p.keyvaultName !== p.keyVault.name) {
      v.fail("provider.keyvaultName", p.keyvaultName, `contradicts provider.keyVault (${p.keyVault.node.path}): give one of them`);
    }
    v.check(keyvaultName !== undefined, "provider.keyvaultName", undefined, "is required: give provider.keyVault (a KeyVault construct) or provider.keyvaultName")
      .rule("provider.keyvaultName", keyvaultName, Rules.keyVaultName)
      .check(tenantId !== undefined, "provider.tenantId", undefined, "is required when no KeyVault construct is given: the tenant (GUID) the vault belongs to")
      .rule("provider.tenantId", tenantId, Rules.guid);
    if (p.cloudName !== undefined) v.check(/^[A-Za-z]+$/.test(p.cloudName), "provider.cloudName", p.cloudName, "must be an Azure cloud name such as AzurePublicCloud or AzureUSGovernmentCloud");

    const parameters: Record<string, string> = {};
    if (keyvaultName !== undefined) parameters.keyvaultName = keyvaultName;
    // `tenantID` is the spelling the provider reads first; `tenantId` is deprecated.
    if (tenantId !== undefined) parameters.tenantID = tenantId;
    if (p.cloudName !== undefined) parameters.cloudName = p.cloudName;

    const identity = p.identity as AzureCsiIdentity | undefined;
    // `identity.identity` may be missing (untyped input): every use below is guarded by `!!identity.identity`.
    const kindOf = (i: ClientIdentity) => (i as Partial<IPrincipal>).principalKind;
    const ownerOf = (i: ClientIdentity) => (i as Partial<IPrincipal>).owner?.node.path ?? "(external)";
    switch (identity?.mode) {
      case "workloadIdentity": {
        const given = identity.identity as ClientIdentity | undefined;
        v.check(!!given, "provider.identity.identity", undefined, "must name the workload identity (a WorkloadIdentity construct, or { clientId })");
        if (!given) break;
        v.rule("provider.identity.identity.clientId", given.clientId, Rules.guid);
        if (kindOf(given) === "csi-addon" || kindOf(given) === "kubelet") {
          v.fail("provider.identity.mode", "workloadIdentity", `the identity of ${ownerOf(given)} is the ${kindOf(given)} identity, assigned to the node VMs and not federated: use mode "vmManagedIdentity" for it, or a WorkloadIdentity`);
        }
        if (given.clientId !== undefined) parameters.clientID = given.clientId;
        break;
      }
      case "vmManagedIdentity": {
        const given = identity.identity as ClientIdentity | undefined;
        v.check(!!given, "provider.identity.identity", undefined, "must name the VM-assigned identity, e.g. cluster.secretsProviderIdentity");
        if (!given) break;
        v.rule("provider.identity.identity.clientId", given.clientId, Rules.guid);
        if (kindOf(given) === "workload-identity") {
          v.fail("provider.identity.mode", "vmManagedIdentity", `${ownerOf(given)} is a workload identity (federated with service accounts, not assigned to the nodes): use mode "workloadIdentity"`);
        }
        parameters.useVMManagedIdentity = "true";
        if (given.clientId !== undefined) parameters.userAssignedIdentityID = given.clientId;
        break;
      }
      case "identityBinding": {
        const role = identity.role as IdentityBindingClusterRole | undefined;
        v.check(role instanceof IdentityBindingClusterRole, "provider.identity.role", role === undefined ? undefined : typeof role, "must be the IdentityBindingClusterRole of the AksIdentityBinding the pods use");
        if (!(role instanceof IdentityBindingClusterRole)) break;
        // provider.go (v1.8.2): useAzureTokenProxy is an identity mode of its own and needs clientID.
        parameters.useAzureTokenProxy = "true";
        parameters.clientID = role.identity.clientId;
        break;
      }
      case "podIdentity":
        v.fail("provider.identity.mode", "podIdentity", 'aad-pod-identity (usePodIdentity) is retired and no longer works on AKS: use { mode: "workloadIdentity", identity } with a WorkloadIdentity and a WorkloadServiceAccount');
        break;
      default:
        v.fail("provider.identity.mode", (identity as { mode?: string } | undefined)?.mode, 'must be "identityBinding", "workloadIdentity" or "vmManagedIdentity"');
    }

    const objects = p.objects ?? [];
    v.check(objects.length > 0, "provider.objects", objects, "must list at least one Key Vault object");
    const files: MountedFile[] = [];
    const docs: string[] = [];
    objects.forEach((o, i) => {
      const f = `provider.objects[${i}]`;
      const type = o.objectType ?? "secret";
      v.check(typeof o.objectName === "string" && o.objectName.length > 0, `${f}.objectName`, o.objectName, "is required: the name of the secret, key or certificate in the vault")
        .rule(`${f}.objectName`, o.objectName || undefined, Rules.keyVaultSecretName)
        .check(["secret", "key", "cert"].includes(type), `${f}.objectType`, type, 'must be "secret", "key" or "cert"');
      if (o.objectVersion !== undefined && o.objectVersion !== "" && !isUnresolved(o.objectVersion)) {
        v.check(/^[0-9a-fA-F]{32}$/.test(o.objectVersion), `${f}.objectVersion`, o.objectVersion, "must be a Key Vault version id (32 hex characters), or left out for the latest");
      }
      const history = o.objectVersionHistory;
      if (history !== undefined) v.check(Number.isInteger(history) && history >= 1 && history <= 200, `${f}.objectVersionHistory`, history, "must be a whole number from 1 to 200");
      if (o.objectEncoding !== undefined) {
        v.check(["utf-8", "hex", "base64"].includes(o.objectEncoding), `${f}.objectEncoding`, o.objectEncoding, 'must be "utf-8", "hex" or "base64"')
          .check(type === "secret", `${f}.objectEncoding`, o.objectEncoding, `applies only to objectType "secret" (this object is "${type}")`);
      }
      if (o.objectFormat !== undefined) {
        v.check(["pem", "pfx"].includes(o.objectFormat), `${f}.objectFormat`, o.objectFormat, 'must be "pem" or "pfx"')
          .check(o.objectFormat !== "pfx" || type === "secret", `${f}.objectFormat`, o.objectFormat, 'pfx is served only for objectType "secret" (the secret behind a certificate); a "cert" or "key" object is always PEM');
      }
      checkFilePermission(v, `${f}.filePermission`, o.filePermission);
      const fileName = o.objectAlias ?? o.objectName;
      checkFileName(v, o.objectAlias !== undefined ? `${f}.objectAlias` : `${f}.objectName`, fileName);
      if (history !== undefined && history > 1) {
        for (let n = 0; n < history; n++) files.push({ fileName: `${fileName}/${n}`, objectName: o.objectName });
      } else {
        files.push({ fileName, objectName: o.objectName });
      }
      const doc: Record<string, unknown> = { objectName: o.objectName, objectType: type };
      if (o.objectAlias !== undefined) doc.objectAlias = o.objectAlias;
      if (o.objectVersion !== undefined) doc.objectVersion = o.objectVersion;
      if (history !== undefined) doc.objectVersionHistory = history;
      if (o.objectEncoding !== undefined) doc.objectEncoding = o.objectEncoding;
      if (o.objectFormat !== undefined) doc.objectFormat = o.objectFormat;
      if (o.filePermission !== undefined) doc.filePermission = o.filePermission;
      docs.push(quotedYamlMap(doc));
    });
    // The provider yaml-unmarshals `objects` into {array: []string}, then each string into an object.
    parameters.objects = blockLiteralArray(docs);

    // Wiring: with a KeyVault construct and an identity we know, every mounted secret must be granted.
    const principal =
      identity?.mode === "identityBinding"
        ? (identity.role?.identity as Partial<IPrincipal> | undefined)
        : identity && identity.mode !== "podIdentity"
          ? ((identity as { identity?: unknown }).identity as Partial<IPrincipal> | undefined)
          : undefined;
    const vault = p.keyVault;
    if (vault && principal?.principalId !== undefined && principal.principalKind !== undefined && principal.owner) {
      const full = principal as IPrincipal;
      publishFact(this, SELF_CHECKED, { checkId: "AKSW-KV9" });
      this.node.addValidation({
        validate: () =>
          objects.flatMap((o, i) =>
            (o.objectType ?? "secret") === "secret" && o.objectName && !vault.canRead(full, o.objectName)
              ? [
                  problemMessage(
                    `provider.objects[${i}].objectName`,
                    o.objectName,
                    `the ${full.principalKind} identity ${full.owner.node.path} has no read grant on this secret in ${vault.node.path}: call keyVault.grantSecretRead(identity, { secrets: ["${o.objectName}"] })`,
                  ),
                ]
              : [],
          ),
      });
    }
    return { parameters, files };
  }
}

function renderVault(v: Validator, p: VaultProviderConfig): { parameters: Record<string, string>; files: MountedFile[] } {
  v.check(typeof p.roleName === "string" && p.roleName.length > 0, "provider.roleName", p.roleName, "is required: the Vault role the service account logs in to");
  if (p.roleName && !isUnresolved(p.roleName)) v.check(/^[\w.-]+$/.test(p.roleName), "provider.roleName", p.roleName, "must be letters, digits, '_', '-' and '.'");
  v.check(typeof p.vaultAddress === "string" && p.vaultAddress.length > 0, "provider.vaultAddress", p.vaultAddress, "is required: the Vault address, https://...");
  if (p.vaultAddress && !isUnresolved(p.vaultAddress)) {
    v.check(/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(p.vaultAddress), "provider.vaultAddress", p.vaultAddress, "must be an https:// URL of the Vault server (no path)");
  }
  if (p.skipTlsVerify) {
    checkOptOut(v, "provider.skipTlsVerify.reason", p.skipTlsVerify);
    v.check(!p.vaultCACertPath && !p.vaultCADirectory, "provider.skipTlsVerify", p.skipTlsVerify.reason, "contradicts vaultCACertPath/vaultCADirectory: verify with the CA or skip, not both");
  }
  const parameters: Record<string, string> = { roleName: p.roleName, vaultAddress: p.vaultAddress };
  const optional: [keyof VaultProviderConfig, string | undefined][] = [
    ["vaultNamespace", p.vaultNamespace],
    ["vaultAuthMountPath", p.vaultAuthMountPath],
    ["audience", p.audience],
    ["vaultCACertPath", p.vaultCACertPath],
    ["vaultCADirectory", p.vaultCADirectory],
    ["vaultTLSServerName", p.vaultTLSServerName],
    ["vaultTLSClientCertPath", p.vaultTLSClientCertPath],
    ["vaultTLSClientKeyPath", p.vaultTLSClientKeyPath],
  ];
  for (const [k, val] of optional) if (val !== undefined) parameters[k] = val;
  if (p.skipTlsVerify) parameters.vaultSkipTLSVerify = "true";

  const objects = p.objects ?? [];
  v.check(objects.length > 0, "provider.objects", objects, "must list at least one Vault secret");
  const files: MountedFile[] = [];
  const list = objects.map((o, i) => {
    const f = `provider.objects[${i}]`;
    v.check(typeof o.objectName === "string" && o.objectName.length > 0, `${f}.objectName`, o.objectName, "is required: the file name of the secret in the mount")
      .check(typeof o.secretPath === "string" && o.secretPath.length > 0, `${f}.secretPath`, o.secretPath, "is required: the Vault path to read, e.g. secret/data/app");
    if (o.secretPath && !isUnresolved(o.secretPath)) v.check(!/^\/|\s/.test(o.secretPath), `${f}.secretPath`, o.secretPath, "must be a Vault path without a leading '/' or spaces, e.g. secret/data/app");
    if (o.method !== undefined) v.check(["GET", "PUT", "POST"].includes(o.method), `${f}.method`, o.method, 'must be "GET", "PUT" or "POST"');
    if (o.secretArgs !== undefined) v.check(o.method === "PUT" || o.method === "POST", `${f}.secretArgs`, o.secretArgs, "is sent only with method PUT or POST");
    if (o.encoding !== undefined) v.check(["utf-8", "base64", "hex"].includes(o.encoding), `${f}.encoding`, o.encoding, 'must be "utf-8", "base64" or "hex"');
    checkFilePermission(v, `${f}.filePermission`, o.filePermission);
    if (o.objectName) {
      checkFileName(v, `${f}.objectName`, o.objectName);
      files.push({ fileName: o.objectName, objectName: o.objectName });
    }
    const entry: Record<string, unknown> = { objectName: o.objectName, secretPath: o.secretPath };
    if (o.secretKey !== undefined) entry.secretKey = o.secretKey;
    if (o.method !== undefined) entry.method = o.method;
    if (o.secretArgs !== undefined) entry.secretArgs = o.secretArgs;
    // vault-csi-provider decodes filePermission into an os.FileMode (an integer): write the number.
    if (o.filePermission !== undefined) entry.filePermission = parseInt(o.filePermission, 8);
    if (o.encoding !== undefined) entry.encoding = o.encoding;
    return entry;
  });
  parameters.objects = stringify(list, QUOTED_SCALARS);
  return { parameters, files };
}

function renderAws(v: Validator, p: AwsProviderConfig): { parameters: Record<string, string>; files: MountedFile[] } {
  const regionRule: StringRule = { description: "must be an AWS region such as eu-west-1", test: (s) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(s) };
  v.rule("provider.region", p.region, regionRule).rule("provider.failoverRegion", p.failoverRegion, regionRule);
  if (p.failoverRegion !== undefined && p.failoverRegion === p.region) v.fail("provider.failoverRegion", p.failoverRegion, "must differ from region");
  const translation = p.pathTranslation ?? "_";
  v.check(translation === "False" || translation.length === 1, "provider.pathTranslation", p.pathTranslation, 'must be a single character or "False"');
  if (p.preferredAddressType !== undefined) v.check(["ipv4", "ipv6", "auto"].includes(p.preferredAddressType), "provider.preferredAddressType", p.preferredAddressType, 'must be "ipv4", "ipv6" or "auto"');

  const parameters: Record<string, string> = {};
  if (p.region !== undefined) parameters.region = p.region;
  if (p.failoverRegion !== undefined) parameters.failoverRegion = p.failoverRegion;
  if (p.pathTranslation !== undefined) parameters.pathTranslation = p.pathTranslation;
  if (p.usePodIdentity !== undefined) parameters.usePodIdentity = String(p.usePodIdentity);
  if (p.preferredAddressType !== undefined) parameters.preferredAddressType = p.preferredAddressType;

  const objects = p.objects ?? [];
  v.check(objects.length > 0, "provider.objects", objects, "must list at least one Secrets Manager secret or SSM parameter");
  const files: MountedFile[] = [];
  const list = objects.map((o, i) => {
    const f = `provider.objects[${i}]`;
    const isArn = typeof o.objectName === "string" && /^arn:aws[\w-]*:(secretsmanager|ssm):/.test(o.objectName);
    v.check(typeof o.objectName === "string" && o.objectName.length > 0, `${f}.objectName`, o.objectName, "is required: the secret or parameter name or ARN");
    if (o.objectType === undefined) {
      v.check(isArn, `${f}.objectType`, undefined, 'is required unless objectName is an ARN: "secretsmanager" or "ssmparameter"');
    } else {
      v.check(["secretsmanager", "ssmparameter"].includes(o.objectType), `${f}.objectType`, o.objectType, 'must be "secretsmanager" or "ssmparameter"');
    }
    checkAwsFilePermission(v, `${f}.filePermission`, o.filePermission);
    const arn = isArn && !isUnresolved(o.objectName) ? /^arn:[\w-]+:(secretsmanager|ssm):([a-z0-9-]*):/.exec(o.objectName) : null;
    if (arn) {
      // ASCP (provider/secret_descriptor.go): the ARN's service must be the objectType's, its region the class's.
      if (o.objectType !== undefined) v.check((arn[1] === "ssm" ? "ssmparameter" : "secretsmanager") === o.objectType, `${f}.objectType`, o.objectType, `contradicts the ARN, which is of ${arn[1] === "ssm" ? "SSM Parameter Store" : "Secrets Manager"}`);
      if (p.region !== undefined && !isUnresolved(p.region)) v.check(arn[2] === p.region, `${f}.objectName`, o.objectName, `is an ARN of region ${arn[2]}, but the class reads in ${p.region}: ASCP refuses it; give an ARN of ${p.region} (the replica's as failoverObject)`);
    }
    if (o.objectType === "ssmparameter" && o.objectVersion !== undefined && o.objectVersionLabel !== undefined) v.fail(`${f}.objectVersionLabel`, o.objectVersionLabel, "an SSM parameter takes objectVersion or objectVersionLabel, not both");
    if (o.objectName) {
      // The file name is the alias, else the whole name or ARN with '/' translated (ASCP GetFileName; with "False" only leading '/' go).
      const base = o.objectAlias ?? (translation === "False" ? o.objectName.replace(/^\/+/, "") : o.objectName.split("/").join(translation));
      checkFileName(v, o.objectAlias !== undefined ? `${f}.objectAlias` : `${f}.objectName`, base);
      files.push({ fileName: base, objectName: o.objectName });
    }
    (o.jmesPath ?? []).forEach((j, k) => {
      const jf = `${f}.jmesPath[${k}]`;
      v.check(typeof j.path === "string" && j.path.length > 0, `${jf}.path`, j.path, "is required: the JMESPath of the value in the JSON secret")
        .check(typeof j.objectAlias === "string" && j.objectAlias.length > 0, `${jf}.objectAlias`, j.objectAlias, "is required: the file name of the extracted value");
      checkAwsFilePermission(v, `${jf}.filePermission`, j.filePermission);
      // JMESPath reads `db-password` as a subtraction: a key with '-' is written quoted, "db-password".
      if (typeof j.path === "string" && /^[A-Za-z_][\w-]*$/.test(j.path) && j.path.includes("-")) v.fail(`${jf}.path`, j.path, `JMESPath reads '-' as minus: quote the key, '"${j.path}"'`);
      if (j.objectAlias) {
        checkFileName(v, `${jf}.objectAlias`, j.objectAlias);
        files.push({ fileName: j.objectAlias, objectName: o.objectName });
      }
    });
    if (o.failoverObject !== undefined) {
      v.check(p.failoverRegion !== undefined, `${f}.failoverObject`, o.failoverObject.objectName, "needs provider.failoverRegion")
        .check(!!o.failoverObject.objectName, `${f}.failoverObject.objectName`, o.failoverObject.objectName, "is required")
        .check(o.objectAlias !== undefined, `${f}.objectAlias`, undefined, "is required with a failoverObject: the two regions' objects have different names, the file needs one")
        .check(o.failoverObject.objectVersion === undefined || o.failoverObject.objectVersion === o.objectVersion, `${f}.failoverObject.objectVersion`, o.failoverObject.objectVersion, "must equal the object's objectVersion (ASCP refuses versions that differ between the regions)");
      const fo = o.failoverObject.objectName;
      const foArn = typeof fo === "string" && !isUnresolved(fo) ? /^arn:[\w-]+:(?:secretsmanager|ssm):([a-z0-9-]*):/.exec(fo) : null;
      if (foArn && p.failoverRegion !== undefined && !isUnresolved(p.failoverRegion)) v.check(foArn[1] === p.failoverRegion, `${f}.failoverObject.objectName`, fo, `is an ARN of region ${foArn[1]}, but the failover region is ${p.failoverRegion}`);
    }
    const entry: Record<string, unknown> = { objectName: o.objectName };
    if (o.objectType !== undefined) entry.objectType = o.objectType;
    if (o.objectAlias !== undefined) entry.objectAlias = o.objectAlias;
    if (o.objectVersion !== undefined) entry.objectVersion = o.objectVersion;
    if (o.objectVersionLabel !== undefined) entry.objectVersionLabel = o.objectVersionLabel;
    if (o.filePermission !== undefined) entry.filePermission = o.filePermission;
    if (o.jmesPath !== undefined) {
      entry.jmesPath = o.jmesPath.map((j) => ({ path: j.path, objectAlias: j.objectAlias, ...(j.filePermission !== undefined ? { filePermission: j.filePermission } : {}) }));
    }
    if (o.failoverObject !== undefined) {
      entry.failoverObject = {
        objectName: o.failoverObject.objectName,
        ...(o.failoverObject.objectVersion !== undefined ? { objectVersion: o.failoverObject.objectVersion } : {}),
        ...(o.failoverObject.objectVersionLabel !== undefined ? { objectVersionLabel: o.failoverObject.objectVersionLabel } : {}),
      };
    }
    return entry;
  });
  parameters.objects = stringify(list, QUOTED_SCALARS);
  return { parameters, files };
}

/** ASCP takes exactly four octal digits (`^[0-7]{4}$`, provider/secret_descriptor.go). */
function checkAwsFilePermission(v: Validator, field: string, value: string | undefined): void {
  if (value === undefined) return;
  v.check(/^[0-7]{4}$/.test(value), field, value, 'must be an octal file mode of four digits such as "0440" or "0644" (the AWS provider refuses any other form)');
}

function checkFilePermission(v: Validator, field: string, value: string | undefined): void {
  if (value === undefined) return;
  v.check(/^0?[0-7]{3}$/.test(value), field, value, 'must be an octal file mode such as "0440" or "0644"');
}

/** The providers refuse absolute paths and `..`; the driver writes each file under the mount. */
function checkFileName(v: Validator, field: string, fileName: string): void {
  if (isUnresolved(fileName)) return;
  v.check(
    fileName.length > 0 && fileName.length <= 253 && !fileName.startsWith("/") && !fileName.split("/").includes("..") && !fileName.includes(".."),
    field,
    fileName,
    "the file name (alias, or name without alias) must be a relative path without '..'",
  );
}

function checkFiles(v: Validator, files: readonly MountedFile[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    if (isUnresolved(f.fileName)) continue;
    const prior = seen.get(f.fileName);
    if (prior !== undefined) {
      v.fail("provider.objects", f.fileName, `two objects (${JSON.stringify(prior)} and ${JSON.stringify(f.objectName)}) would write the same file: give one an objectAlias`);
    }
    seen.set(f.fileName, f.objectName);
  }
}

function checkSecretObjects(v: Validator, secrets: readonly SyncedSecret[], files: readonly MountedFile[]): void {
  const fileNames = new Set(files.map((f) => f.fileName));
  const names = new Set<string>();
  secrets.forEach((s, i) => {
    const f = `secretObjects[${i}]`;
    const type = s.type ?? "Opaque";
    v.rule(`${f}.secretName`, s.secretName, Rules.dns1123Subdomain);
    if (names.has(s.secretName)) v.fail(`${f}.secretName`, s.secretName, "is synced twice: one entry per Secret");
    names.add(s.secretName);
    v.check((SYNCED_SECRET_TYPES as readonly string[]).includes(type), `${f}.type`, type, `must be a type the Secrets Store CSI driver syncs: ${SYNCED_SECRET_TYPES.join(", ")}`);
    const data = s.data ?? [];
    v.check(data.length > 0, `${f}.data`, data, "must map at least one mounted object to a key");
    const keys = new Set<string>();
    data.forEach((d, k) => {
      const df = `${f}.data[${k}]`;
      v.rule(`${df}.key`, d.key, secretDataKeyRule);
      if (keys.has(d.key)) v.fail(`${df}.key`, d.key, "is used twice in this Secret");
      keys.add(d.key);
      if (!isUnresolved(d.objectName)) {
        const mounted = [...fileNames].filter((n) => !isUnresolved(n));
        v.check(
          fileNames.has(d.objectName),
          `${df}.objectName`,
          d.objectName,
          `is not mounted by this class: a synced key names a mounted file (the objectAlias when set, else the objectName); mounted: ${mounted.map((n) => JSON.stringify(n)).join(", ") || "none"}`,
        );
      }
    });
    const req = REQUIRED_KEYS[type as SyncedSecretType];
    if (req?.allOf) {
      for (const key of req.allOf) if (!keys.has(key)) v.fail(`${f}.data`, [...keys], `a ${type} Secret needs the key "${key}" (required: ${req.allOf.join(", ")})`);
    }
    if (req?.anyOf && !req.anyOf.some((k) => keys.has(k))) {
      v.fail(`${f}.data`, [...keys], `a ${type} Secret needs at least one of the keys ${req.anyOf.map((k) => `"${k}"`).join(", ")}`);
    }
    if (req?.annotation && !s.annotations?.[req.annotation]) {
      v.fail(`${f}.annotations`, s.annotations ?? {}, `a ${type} Secret needs the annotation ${req.annotation} naming its service account`);
    }
    for (const [k, val] of Object.entries(s.labels ?? {})) checkLabel(v, `${f}.labels["${k}"]`, k, val);
    for (const k of Object.keys(s.annotations ?? {})) v.check(qualifiedName(k), `${f}.annotations`, k, "annotation keys are qualified names: [prefix/]name, name at most 63 characters of letters, digits, '-', '_', '.'");
  });
}

function qualifiedName(k: string): boolean {
  const parts = k.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !Rules.dns1123Subdomain.test(parts[0])) return false;
  return name.length >= 1 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** Checks a label key and value against the Kubernetes rules. */
export function checkLabel(v: Validator, field: string, key: string, value: string): void {
  v.check(qualifiedName(key), field, key, "label keys are qualified names: [prefix/]name, name at most 63 characters of letters, digits, '-', '_', '.'");
  if (!isUnresolved(value)) {
    v.check(value === "" || (value.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)), field, value, "label values are at most 63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit");
  }
}

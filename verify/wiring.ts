// Wiring verification: every path from a pod to a secret, checked across stacks at synth.
//
// The constructs already check what they can see alone (a WorkloadServiceAccount checks that its
// identity trusts it, a SecretProviderClass with a KeyVault checks its identity's read grants, a
// VsoVaultAuth is built from its JWT role). What only the whole tree shows is checked here, once
// per validation pass over an index of the tree: which cluster each in-cluster construct is
// deployed to, which pods mount which class and run as which service account, which identity a
// client ID or a vault name given as a string stands for. Problems are reported through the
// validation core (`node.addValidation` + `problemMessage`) on the construct that holds the broken
// link, so `validateTree(app)` / `validateAndSynth(app)` fail before anything is written.
import fs from "node:fs";
import path from "node:path";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { AksCluster } from "../constructs/azure/aks-cluster";
import { HcpVaultCluster } from "../constructs/hcp/hcp-vault-cluster";
import { KeyVault } from "../constructs/azure/key-vault";
import { KeyVaultWorkloadBinding } from "../constructs/bindings/key-vault-workload-binding";
import { PodSecretsMount } from "../constructs/kubernetes/pod-secrets-mount";
import { IPrincipal } from "../constructs/azure/principal";
import { AzureKeyVaultProviderConfig, ClientIdentity, SecretProviderClass, VaultProviderConfig } from "../constructs/kubernetes/secret-provider-class";
import { formatSecurityReport, readResourceConfig, SecurityReport, securityReport } from "./security-rules";
import { checkOptOut, isUnresolved, OPT_OUT_METADATA_PREFIX, OptOut, problemMessage, recordOptOut, show, ValidationProblem, Validator } from "../core/validation";
import { addAfterSynthHook, Synthesizable } from "../core/synth";
import { kvV2DataPath, VaultJwtAuth } from "../constructs/vault/vault-jwt-auth";
import { VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../constructs/vault/vault-secrets-operator";
import { IOidcIssuer, serviceAccountSubject, WorkloadIdentity } from "../constructs/azure/workload-identity";
import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION, WorkloadServiceAccount } from "../constructs/kubernetes/workload-service-account";

// ---------------------------------------------------------------------------
// Public API: opt-out, cluster scopes

/** Name of the opt-out recorded by {@link allowUnverifiedWiring} (see `recordOptOut`). */
const UNVERIFIED_WIRING_OPT_OUT_NAME = "unverifiedWiring";
/** Metadata type of the opt-out recorded by {@link allowUnverifiedWiring}: `aks-secrets:opt-out:unverifiedWiring`. */
export const UNVERIFIED_WIRING_OPT_OUT = `${OPT_OUT_METADATA_PREFIX}${UNVERIFIED_WIRING_OPT_OUT_NAME}`;
/** File written beside the synthesized stacks (in the app's outdir). */
export const WIRING_REPORT_FILE = "wiring-report.md";
/** Set to `1` to print the wiring report when the app is synthesized with `validateAndSynth`. */
export const WIRING_REPORT_ENV = "WIRING_REPORT";

/**
 * Accepts wiring that the checks cannot verify under `scope` (the construct, or any ancestor such
 * as a stack for a whole legacy stack): a client ID, vault name, tenant or Vault mount given as a
 * string that matches no construct of the app, a service account created outside the app. The
 * reason (10 characters or more) is recorded as `aks-secrets:opt-out:unverifiedWiring` and listed
 * in the wiring report. Broken links (a mismatch the checks can prove) cannot be accepted.
 */
export function allowUnverifiedWiring(scope: IConstruct, optOut: OptOut): void {
  const v = new Validator(scope);
  checkOptOut(v, "allowUnverifiedWiring.reason", optOut ?? {}, "an opt-out of the wiring checks", "it is printed in the wiring report");
  v.throwIfAny();
  recordOptOut(scope, UNVERIFIED_WIRING_OPT_OUT_NAME, { reason: optOut.reason.trim() });
}

/**
 * A cluster known by name and resource group (an existing cluster, read with a data source) with
 * its issuer: what a `ClusterStack` given `{ name, resourceGroupName }` declares. Two scopes that
 * name the same literal cluster are the same cluster, and it is the same as an {@link AksCluster}
 * of that name and resource group.
 */
export interface ClusterByName extends IOidcIssuer {
  readonly name: string;
  readonly resourceGroupName: string;
}

const DECLARED_CLUSTERS = new WeakMap<IConstruct, AksCluster | IOidcIssuer | ClusterByName>();

/**
 * Declares that the in-cluster constructs under `scope` are deployed to `cluster`: an
 * {@link AksCluster}, a cluster by name ({@link ClusterByName}), or any OIDC issuer. A
 * `ClusterStack` declares its cluster itself (and a `KeyVaultWorkloadBinding` stands for its
 * cluster for its cluster side); use this for other scopes (a stack of your own with a
 * kubernetes provider). The nearest declared scope above a construct wins.
 */
export function declareClusterScope(scope: IConstruct, cluster: AksCluster | IOidcIssuer | ClusterByName): void {
  DECLARED_CLUSTERS.set(scope, cluster);
}

// ---------------------------------------------------------------------------
// Report data types

/** How the pods of a path log in to the store. */
export type WiringIdentityMode =
  /** Entra Workload ID: a service account token exchanged for a user-assigned identity. */
  | "workload-identity"
  /** The AKS Key Vault Secrets Provider add-on's identity (or another VM-assigned identity). */
  | "vm-managed-identity"
  /** Vault JWT auth: a service account token presented to a Vault role. */
  | "vault-jwt"
  | "other";

/** One path from workloads to secrets. */
export interface WiringPath {
  /** `azure-key-vault`, `vault` (HashiCorp / HCP Vault) or `aws`. */
  readonly store: "azure-key-vault" | "vault" | "aws";
  /** The store, for people: `Key Vault kv-x (platform/keyvault)`, `HCP Vault vault-x (hcp/vault)`. */
  readonly storeLabel: string;
  /** What delivers the secrets: `SecretProviderClass demo/x` or `VaultStaticSecret demo/y`. */
  readonly via: string;
  /** Construct path of {@link via}. */
  readonly viaPath: string;
  /** Cluster the path is deployed to, when known. */
  readonly cluster?: string;
  readonly namespace: string;
  /** Workloads whose pods take part: `Deployment demo/app` (or `pods of PodSecretsMount`). */
  readonly workloads: readonly string[];
  /** Service accounts the pods (or the operator) log in as, `NAMESPACE/NAME`. */
  readonly serviceAccounts: readonly string[];
  readonly identityMode: WiringIdentityMode;
  /** The identity, for people: `WorkloadIdentity platform/workload-demo`, `CSI add-on identity of platform/cluster`, `JWT role demo (auth/jwt-aks)`. */
  readonly identity: string;
  /** Secret names (Key Vault) or paths (Vault) read. */
  readonly secrets: readonly string[];
  /** Kubernetes Secrets the secrets are synced into, `NAMESPACE/NAME`. */
  readonly syncedSecrets: readonly string[];
  /** True when no wiring problem (accepted or not) was found on the path. */
  readonly verified: boolean;
}

/** An unverifiable link accepted with {@link allowUnverifiedWiring}. */
export interface AcceptedWiring extends ValidationProblem {
  readonly reason: string;
  /** Construct path where the opt-out was recorded. */
  readonly optOutAt: string;
}

/** Everything the wiring checks know about an app, as data. */
export interface WiringReport {
  readonly paths: readonly WiringPath[];
  /** Wiring problems that fail validation (empty for a valid app). */
  readonly problems: readonly ValidationProblem[];
  /** Unverifiable links accepted with a written reason. */
  readonly accepted: readonly AcceptedWiring[];
  /** Opt-outs recorded with {@link allowUnverifiedWiring} that matched nothing. */
  readonly unusedOptOuts: readonly { readonly path: string; readonly reason: string }[];
  /** The security rules' findings and suppressions ({@link securityReport}). */
  readonly security: SecurityReport;
}

// ---------------------------------------------------------------------------
// Clusters

interface ClusterInfo {
  /** Equal for two scopes deployed to the same cluster. */
  readonly key: string;
  readonly label: string;
  readonly issuer: IOidcIssuer;
  readonly aks?: AksCluster;
  /** For a cluster given by name: `{ name, resourceGroupName }`. */
  readonly ref?: { readonly name: string; readonly resourceGroupName: string };
}

function clusterFromIssuer(issuer: IOidcIssuer): ClusterInfo {
  if (issuer instanceof AksCluster) return { key: `aks:${issuer.node.path}`, label: issuer.node.path, issuer, aks: issuer };
  const url = issuer.oidcIssuerUrl;
  return { key: `issuer:${url}`, label: isUnresolved(url) ? "cluster (issuer known at apply time)" : url, issuer };
}

function isClusterByName(x: IOidcIssuer): x is ClusterByName {
  const r = x as Partial<ClusterByName>;
  return typeof r.name === "string" && typeof r.resourceGroupName === "string";
}

/** The cluster a scope itself stands for: a declared scope (a ClusterStack declares itself), a binding's cluster side. */
function scopeCluster(c: IConstruct): ClusterInfo | undefined {
  const declared = DECLARED_CLUSTERS.get(c);
  if (declared) {
    if (declared instanceof AksCluster || !isClusterByName(declared)) return clusterFromIssuer(declared);
    const ref = { name: declared.name, resourceGroupName: declared.resourceGroupName };
    const literal = !isUnresolved(ref.name) && !isUnresolved(ref.resourceGroupName);
    return { key: literal ? `ref:${ref.resourceGroupName}/${ref.name}` : `scope:${c.node.path}`, label: literal ? `${ref.resourceGroupName}/${ref.name}` : c.node.path, issuer: declared, ref };
  }
  if (c instanceof KeyVaultWorkloadBinding) return clusterFromIssuer(c.cluster);
  return undefined;
}

type Tri = "yes" | "no" | "unknown";

/** Whether something issued for `issuer` (a federated credential, a JWT auth) is for `cluster`'s issuer. */
function sameIssuer(issuer: IOidcIssuer, issuerUrl: string, cluster: ClusterInfo): Tri {
  if (issuer === cluster.issuer || (cluster.aks && issuer === cluster.aks)) return "yes";
  if (issuerUrl === cluster.issuer.oidcIssuerUrl) return "yes";
  if (issuer instanceof AksCluster) {
    if (cluster.aks) return "no"; // two different AksCluster constructs
    if (cluster.ref && !isUnresolved(issuer.name) && !isUnresolved(cluster.ref.name)) {
      if (issuer.name !== cluster.ref.name) return "no";
      if (!isUnresolved(issuer.resourceGroupName) && !isUnresolved(cluster.ref.resourceGroupName)) return issuer.resourceGroupName === cluster.ref.resourceGroupName ? "yes" : "no";
    }
  }
  if (!isUnresolved(issuerUrl) && !isUnresolved(cluster.issuer.oidcIssuerUrl)) return "no";
  return "unknown";
}

function issuerLabel(issuer: IOidcIssuer, url: string): string {
  if (issuer instanceof AksCluster) return `cluster ${issuer.node.path}`;
  return isUnresolved(url) ? "an issuer known at apply time" : `issuer ${url}`;
}

// ---------------------------------------------------------------------------
// Pods found in workload resources

const WORKLOAD_RESOURCE_KINDS: Record<string, string> = {
  kubernetes_deployment: "Deployment",
  kubernetes_deployment_v1: "Deployment",
  kubernetes_stateful_set: "StatefulSet",
  kubernetes_stateful_set_v1: "StatefulSet",
  kubernetes_daemonset: "DaemonSet",
  kubernetes_daemon_set_v1: "DaemonSet",
  kubernetes_job: "Job",
  kubernetes_job_v1: "Job",
  kubernetes_cron_job: "CronJob",
  kubernetes_cron_job_v1: "CronJob",
  kubernetes_pod: "Pod",
  kubernetes_pod_v1: "Pod",
  kubernetes_replication_controller: "ReplicationController",
  kubernetes_replication_controller_v1: "ReplicationController",
};
const WORKLOAD_MANIFEST_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet"]);
const CSI_DRIVER = "secrets-store.csi.k8s.io";

/** One pod template that mounts Secrets Store CSI volumes. */
interface PodUse {
  readonly resource: TerraformResource;
  /** `Deployment demo/app` */
  readonly label: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Field of the service account in the resource, for messages. */
  readonly serviceAccountField: string;
  readonly volumes: readonly { readonly spcName: string; readonly field: string }[];
  /** Names of Kubernetes Secrets the pod reads (env, envFrom, secret volumes). */
  readonly secretNames: ReadonlySet<string>;
}

function isPlain(o: unknown): o is Record<string, any> {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return false;
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function first(o: unknown): any {
  return Array.isArray(o) ? o[0] : o;
}

function asList(o: unknown): any[] {
  if (Array.isArray(o)) return o;
  return o === undefined || o === null ? [] : [o];
}

/** Pod specs under a workload's spec: an object with `container(s)`. */
function findPodSpecs(o: unknown, field: string, out: { spec: Record<string, any>; field: string }[], depth = 0): void {
  if (depth > 8) return;
  if (Array.isArray(o)) {
    o.forEach((x, i) => findPodSpecs(x, o.length === 1 ? field : `${field}[${i}]`, out, depth + 1));
    return;
  }
  if (!isPlain(o)) return;
  if ("container" in o || "containers" in o) {
    out.push({ spec: o, field });
    return;
  }
  for (const [k, v] of Object.entries(o)) if (k !== "metadata") findPodSpecs(v, `${field}.${k}`, out, depth + 1);
}

/** Names of Secrets referenced anywhere in a pod spec. */
function collectSecretNames(o: unknown, out: Set<string>, depth = 0): void {
  if (depth > 12) return;
  if (Array.isArray(o)) {
    for (const x of o) collectSecretNames(x, out, depth + 1);
    return;
  }
  if (!isPlain(o)) return;
  for (const [k, v] of Object.entries(o)) {
    if (k === "secret_key_ref" || k === "secretKeyRef" || k === "secret_ref" || k === "secretRef") {
      const name = first(v)?.name;
      if (typeof name === "string") out.add(name);
    } else if (k === "secret") {
      const name = first(v)?.secret_name ?? first(v)?.secretName;
      if (typeof name === "string") out.add(name);
    } else {
      collectSecretNames(v, out, depth + 1);
    }
  }
}

function podUses(resource: TerraformResource): PodUse[] {
  const type = resource.terraformResourceType;
  let kind = WORKLOAD_RESOURCE_KINDS[type];
  if (!kind && type !== "kubernetes_manifest") return [];
  const attributes = readResourceConfig(resource).attributes;
  let metadata: any;
  let spec: unknown;
  let specField: string;
  let camel = false;
  if (type === "kubernetes_manifest") {
    const m = attributes.manifest;
    if (!isPlain(m) || typeof m.kind !== "string" || !WORKLOAD_MANIFEST_KINDS.has(m.kind)) return [];
    kind = m.kind;
    metadata = m.metadata;
    spec = m.spec;
    specField = "manifest.spec";
    camel = true;
  } else {
    metadata = first(attributes.metadata);
    spec = attributes.spec;
    specField = "spec";
  }
  const namespace = typeof metadata?.namespace === "string" ? metadata.namespace : "default";
  const name = typeof metadata?.name === "string" ? metadata.name : resource.node.id;
  const specs: { spec: Record<string, any>; field: string }[] = [];
  findPodSpecs(spec, specField, specs);
  const uses: PodUse[] = [];
  for (const { spec: ps, field } of specs) {
    const volumesKey = camel ? "volumes" : "volume";
    const volumes: { spcName: string; field: string }[] = [];
    asList(ps[volumesKey] ?? ps.volume ?? ps.volumes).forEach((vol: any) => {
      const csi = first(vol?.csi);
      if (!isPlain(csi) || csi.driver !== CSI_DRIVER) return;
      const attrs = first(csi.volume_attributes ?? csi.volumeAttributes);
      const spcName = attrs?.secretProviderClass;
      if (typeof spcName === "string") volumes.push({ spcName, field: `${field}.${volumesKey}["${vol.name}"].csi.${camel ? "volumeAttributes" : "volume_attributes"}.secretProviderClass` });
    });
    const saKey = camel ? "serviceAccountName" : "service_account_name";
    const sa = ps[saKey] ?? ps.service_account_name ?? ps.serviceAccountName;
    const secretNames = new Set<string>();
    collectSecretNames(ps, secretNames);
    if (volumes.length === 0 && secretNames.size === 0) continue;
    uses.push({
      resource,
      label: `${kind} ${namespace}/${name}`,
      namespace,
      serviceAccount: typeof sa === "string" && sa.length > 0 ? sa : "default",
      serviceAccountField: `${field}.${saKey}`,
      volumes,
      secretNames,
    });
  }
  return uses;
}

// ---------------------------------------------------------------------------
// The index and the checks

interface Problem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** True when the link could not be verified (a string matching no construct): an opt-out may accept it. */
  readonly unverifiable: boolean;
}

/**
 * Kubernetes objects Terraform creates (resource type -> API group and kind). Resources that patch
 * an existing object (kubernetes_labels, kubernetes_annotations, kubernetes_config_map_v1_data,
 * kubernetes_env, ...) are left out: they are meant to share it.
 */
const OBJECT_RESOURCE_KINDS: Record<string, { readonly group: string; readonly kind: string }> = {
  kubernetes_namespace: { group: "", kind: "Namespace" },
  kubernetes_namespace_v1: { group: "", kind: "Namespace" },
  kubernetes_service_account: { group: "", kind: "ServiceAccount" },
  kubernetes_service_account_v1: { group: "", kind: "ServiceAccount" },
  kubernetes_secret: { group: "", kind: "Secret" },
  kubernetes_secret_v1: { group: "", kind: "Secret" },
  kubernetes_config_map: { group: "", kind: "ConfigMap" },
  kubernetes_config_map_v1: { group: "", kind: "ConfigMap" },
  ...Object.fromEntries(
    Object.entries(WORKLOAD_RESOURCE_KINDS).map(([type, kind]) => [type, { group: kind === "Job" || kind === "CronJob" ? "batch" : kind === "Pod" || kind === "ReplicationController" ? "" : "apps", kind }]),
  ),
};
/** Kinds without a namespace (`group/Kind`), among those an app of this library creates. */
const CLUSTER_SCOPED_KINDS = new Set(["/Namespace", "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding", "apiextensions.k8s.io/CustomResourceDefinition", "storage.k8s.io/StorageClass", "/PersistentVolume"]);

/** A Kubernetes object the app creates, with where a duplicate of it is reported. */
interface ObjectEntry {
  /** `group/Kind`, e.g. `/ServiceAccount`, `secrets-store.csi.x-k8s.io/SecretProviderClass`. */
  readonly kind: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
  /** Same for two objects in one cluster (or, when the cluster is unknown, through one provider of one stack). */
  readonly scope: string;
  readonly clusterLabel?: string;
  /** Where a duplicate is reported: the library construct that made the resource, or the resource. */
  readonly at: IConstruct;
  readonly field: string;
}

/** Something that writes a Kubernetes Secret: a class's synced Secret, a VaultStaticSecret's destination, a Secret resource. */
interface SecretWriter {
  readonly namespace: string;
  readonly name: string;
  readonly scope: string;
  readonly clusterLabel?: string;
  readonly at: IConstruct;
  readonly field: string;
  /** For messages: `SecretProviderClass demo/x (secretObjects)`. */
  readonly label: string;
  /** A Secret resource (or manifest) Terraform creates: two of them are reported as one object made twice. */
  readonly terraformObject?: boolean;
}

interface ServiceAccountEntry {
  readonly resource: TerraformResource;
  readonly path: string;
  /** The `azure.workload.identity/client-id` annotation, when set. */
  readonly clientIdAnnotation?: string;
  readonly wsa?: WorkloadServiceAccount;
}

const UNVERIFIED_FIX = "or, if it is right and managed elsewhere, record why with allowUnverifiedWiring(construct, { reason })";

interface Analysis {
  readonly index: WiringIndex;
  readonly analyzer: WiringAnalyzer;
  readonly problems: Map<IConstruct, Problem[]>;
  readonly paths: WiringPath[];
  readonly accepted: AcceptedWiring[];
  readonly failing: { construct: IConstruct; problem: Problem }[];
  readonly unusedOptOuts: { path: string; reason: string }[];
}

class WiringIndex {
  readonly spcs: SecretProviderClass[] = [];
  readonly wsas: WorkloadServiceAccount[] = [];
  readonly vsoAuths: VsoVaultAuth[] = [];
  readonly staticSecrets: VsoVaultStaticSecret[] = [];
  readonly rawVaultAuths: TerraformResource[] = [];
  readonly podUses: { use: PodUse; cluster?: ClusterInfo }[] = [];
  /** `clusterKey|namespace|class` -> pods mounting it. */
  readonly podsByClass = new Map<string, PodUse[]>();
  /** `clusterKey|namespace|secret` -> pods reading that Kubernetes Secret. */
  readonly podsBySecret = new Map<string, PodUse[]>();
  readonly podsByResource = new Map<TerraformResource, PodUse[]>();
  readonly vaultsByName = new Map<string, KeyVault[]>();
  readonly jwtByPath = new Map<string, VaultJwtAuth[]>();
  /** `clusterKey|namespace|name` -> class; raw SecretProviderClass manifests count as present. */
  readonly spcByKey = new Map<string, SecretProviderClass | "raw">();
  /** `namespace|name` of every class, whatever its cluster: for pods whose cluster is unknown. */
  readonly spcAnyCluster = new Set<string>();
  /** `clusterKey|name` -> namespaces holding a class of that name (for hints). */
  readonly spcNamespaces = new Map<string, string[]>();
  readonly serviceAccounts = new Map<string, ServiceAccountEntry>();
  /** Client ID (literal or token) -> identity construct or granted principal. */
  readonly principalsByClientId = new Map<string, IPrincipal>();
  readonly hcpVaultsByAddress = new Map<string, HcpVaultCluster>();
  readonly optOutScopes: IConstruct[] = [];
  /** Kubernetes objects created by Terraform resources, in tree order. */
  readonly objects: ObjectEntry[] = [];
  /** Writers of Kubernetes Secrets, in tree order. */
  readonly secretWriters: SecretWriter[] = [];
  private readonly clusterMemo = new Map<IConstruct, ClusterInfo | undefined>();
  private readonly declaredSecrets = new Map<KeyVault, Set<string>>();
  private readonly optOutMemo = new Map<IConstruct, { reason: string; at: IConstruct } | undefined>();

  constructor(root: IConstruct) {
    const serviceAccountResources: TerraformResource[] = [];
    for (const c of root.node.findAll()) {
      if (c.node.metadata.some((m) => m.type === UNVERIFIED_WIRING_OPT_OUT)) this.optOutScopes.push(c);
      if (c instanceof SecretProviderClass) {
        this.spcs.push(c);
        c.secretObjects.forEach((s, i) => this.addSecretWriter(c, c.resource, c.namespace, s.secretName, `secretObjects[${i}].secretName`, `SecretProviderClass ${c.namespace}/${c.name} (secretObjects)`));
      } else if (c instanceof WorkloadServiceAccount) this.wsas.push(c);
      else if (c instanceof VsoVaultAuth) this.vsoAuths.push(c);
      else if (c instanceof VsoVaultStaticSecret) {
        this.staticSecrets.push(c);
        this.addSecretWriter(c, c.manifest, c.namespace, c.secretName, "destination.name", `VaultStaticSecret ${c.namespace}/${c.name} (destination)`);
      }
      else if (c instanceof KeyVault) {
        push(this.vaultsByName, c.name, c);
        for (const g of c.grants) if (!this.principalsByClientId.has(g.principal.clientId)) this.principalsByClientId.set(g.principal.clientId, g.principal);
      } else if (c instanceof VaultJwtAuth) push(this.jwtByPath, c.path, c);
      else if (c instanceof WorkloadIdentity) this.principalsByClientId.set(c.clientId, c);
      else if (c instanceof AksCluster) {
        if (c.secretsStoreCsiDriver === "aksAddon") this.principalsByClientId.set(c.secretsProviderIdentity.clientId, c.secretsProviderIdentity);
        this.principalsByClientId.set(c.kubeletIdentity.clientId, c.kubeletIdentity);
      } else if (c instanceof HcpVaultCluster) this.hcpVaultsByAddress.set(c.privateEndpointUrl, c);
      else if (TerraformResource.isTerraformResource(c)) {
        const r = c as TerraformResource;
        const type = r.terraformResourceType;
        this.indexObject(r);
        if (type === "kubernetes_service_account_v1" || type === "kubernetes_service_account") serviceAccountResources.push(r);
        else if (type === "kubernetes_manifest") this.indexManifest(r, serviceAccountResources);
        else if (WORKLOAD_RESOURCE_KINDS[type]) for (const use of podUses(r)) this.podUses.push({ use, cluster: this.clusterOf(r) });
      }
    }
    for (const spc of this.spcs) {
      const key = this.clusterKey(this.clusterOfSpc(spc));
      this.spcByKey.set(`${key}|${spc.namespace}|${spc.name}`, spc);
      this.spcAnyCluster.add(`${spc.namespace}|${spc.name}`);
      push(this.spcNamespaces, `${key}|${spc.name}`, spc.namespace);
    }
    for (const r of serviceAccountResources) this.indexServiceAccount(r);
    for (const { use, cluster } of this.podUses) {
      const key = this.clusterKey(cluster);
      for (const spcName of new Set(use.volumes.map((v) => v.spcName))) push(this.podsByClass, `${key}|${use.namespace}|${spcName}`, use);
      for (const secret of use.secretNames) push(this.podsBySecret, `${key}|${use.namespace}|${secret}`, use);
      push(this.podsByResource, use.resource, use);
    }
  }

  private indexManifest(r: TerraformResource, serviceAccounts: TerraformResource[]): void {
    const parent = r.node.scope;
    // Manifests of this library's constructs are read through the constructs.
    if (parent instanceof SecretProviderClass || parent instanceof VsoVaultAuth || parent instanceof VsoVaultStaticSecret) return;
    const m = (r as unknown as { manifestInput?: any }).manifestInput;
    const kind = isPlain(m) ? m.kind : undefined;
    if (kind === "SecretProviderClass") {
      const key = this.clusterKey(this.clusterOf(r));
      const ns = m.metadata?.namespace ?? "default";
      this.spcByKey.set(`${key}|${ns}|${m.metadata?.name}`, "raw");
      this.spcAnyCluster.add(`${ns}|${m.metadata?.name}`);
      push(this.spcNamespaces, `${key}|${m.metadata?.name}`, ns);
    } else if (kind === "VaultAuth" && typeof m.apiVersion === "string" && m.apiVersion.startsWith("secrets.hashicorp.com/")) {
      this.rawVaultAuths.push(r);
    } else if (kind === "ServiceAccount") {
      serviceAccounts.push(r);
    } else if (WORKLOAD_MANIFEST_KINDS.has(kind)) {
      for (const use of podUses(r)) this.podUses.push({ use, cluster: this.clusterOf(r) });
    }
  }

  /** Where two Kubernetes objects of the same name collide: their cluster, else one provider of one stack. */
  private collisionScope(resource: TerraformResource, cluster: ClusterInfo | undefined): string {
    if (cluster) return cluster.key;
    return `?${TerraformStack.of(resource).node.path}|${resource.provider?.node.path ?? "(default provider)"}`;
  }

  private addSecretWriter(at: IConstruct, resource: TerraformResource, namespace: string, name: string, field: string, label: string): void {
    const cluster = at instanceof SecretProviderClass ? this.clusterOfSpc(at) : this.clusterOf(at);
    this.secretWriters.push({ namespace, name, scope: this.collisionScope(resource, cluster), clusterLabel: cluster?.label, at, field, label });
  }

  /** Records the Kubernetes object a resource creates, reported on the library construct that made it when there is one. */
  private indexObject(r: TerraformResource): void {
    const type = r.terraformResourceType;
    const parent = r.node.scope;
    let kind: string;
    let metadata: any;
    if (type === "kubernetes_manifest") {
      // This library's constructs set the manifest directly; others may use addOverride.
      const own = parent instanceof SecretProviderClass || parent instanceof VsoVaultAuth || parent instanceof VsoVaultStaticSecret || parent instanceof VsoVaultConnection;
      const m = own ? (r as unknown as { manifestInput?: any }).manifestInput : readResourceConfig(r).attributes.manifest;
      if (!isPlain(m) || typeof m.kind !== "string" || typeof m.apiVersion !== "string") return;
      kind = `${m.apiVersion.includes("/") ? m.apiVersion.split("/")[0] : ""}/${m.kind}`;
      metadata = m.metadata;
    } else {
      const k = OBJECT_RESOURCE_KINDS[type];
      if (!k) return;
      kind = `${k.group}/${k.kind}`;
      metadata = first(readResourceConfig(r).attributes.metadata);
    }
    if (!isPlain(metadata) || typeof metadata.name !== "string") return;
    const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
    const namespace = clusterScoped ? undefined : typeof metadata.namespace === "string" ? metadata.namespace : "default";
    // Where to report: the construct whose prop named the object, else the resource itself.
    let at: IConstruct = r;
    let field = type === "kubernetes_manifest" ? "manifest.metadata.name" : "metadata.name";
    if (parent instanceof VsoVaultAuth && r === parent.serviceAccountResource) [at, field] = [parent, "serviceAccount"];
    else if (parent instanceof SecretProviderClass || parent instanceof WorkloadServiceAccount || parent instanceof VsoVaultAuth || parent instanceof VsoVaultStaticSecret || parent instanceof VsoVaultConnection) [at, field] = [parent, "name"];
    const cluster = parent instanceof SecretProviderClass ? this.clusterOfSpc(parent) : parent instanceof WorkloadServiceAccount ? this.clusterOfWsa(parent) : this.clusterOf(r);
    this.objects.push({ kind, namespace, name: metadata.name, scope: this.collisionScope(r, cluster), clusterLabel: cluster?.label, at, field });
    if (kind === "/Secret") this.secretWriters.push({ namespace: namespace!, name: metadata.name, scope: this.collisionScope(r, cluster), clusterLabel: cluster?.label, at, field, label: `the Terraform-managed Secret ${namespace}/${metadata.name}`, terraformObject: true });
  }

  private indexServiceAccount(r: TerraformResource): void {
    let metadata: any;
    if (r.terraformResourceType === "kubernetes_manifest") metadata = readResourceConfig(r).attributes.manifest?.metadata;
    else metadata = first(readResourceConfig(r).attributes.metadata);
    if (!isPlain(metadata) || typeof metadata.name !== "string") return;
    const parent = r.node.scope;
    const wsa = parent instanceof WorkloadServiceAccount ? parent : undefined;
    const cluster = wsa ? this.clusterOfWsa(wsa) : this.clusterOf(r);
    const annotations = isPlain(metadata.annotations) ? metadata.annotations : {};
    this.serviceAccounts.set(`${this.clusterKey(cluster)}|${metadata.namespace ?? "default"}|${metadata.name}`, {
      resource: r,
      path: (wsa ?? r).node.path,
      clientIdAnnotation: annotations[WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION],
      wsa,
    });
  }

  clusterKey(c: ClusterInfo | undefined): string {
    return c?.key ?? "?";
  }

  /** The cluster of the nearest scope that stands for one. */
  clusterOf(c: IConstruct): ClusterInfo | undefined {
    if (this.clusterMemo.has(c)) return this.clusterMemo.get(c);
    const own = scopeCluster(c);
    const result = own ?? (c.node.scope ? this.clusterOf(c.node.scope) : undefined);
    this.clusterMemo.set(c, result);
    return result;
  }

  clusterOfWsa(wsa: WorkloadServiceAccount): ClusterInfo | undefined {
    return this.clusterOf(wsa) ?? (wsa.cluster ? clusterFromIssuer(wsa.cluster) : undefined);
  }

  clusterOfSpc(spc: SecretProviderClass): ClusterInfo | undefined {
    const own = this.clusterOf(spc);
    if (own) return own;
    for (const m of PodSecretsMount.of(spc)) if (m.serviceAccount instanceof WorkloadServiceAccount && m.serviceAccount.cluster) return clusterFromIssuer(m.serviceAccount.cluster);
    return undefined;
  }

  serviceAccount(cluster: ClusterInfo | undefined, namespace: string, name: string): ServiceAccountEntry | undefined {
    return this.serviceAccounts.get(`${this.clusterKey(cluster)}|${namespace}|${name}`) ?? this.serviceAccounts.get(`?|${namespace}|${name}`);
  }

  declared(vault: KeyVault): Set<string> {
    let s = this.declaredSecrets.get(vault);
    if (!s) {
      s = new Set(vault.secrets.map((x) => x.name));
      this.declaredSecrets.set(vault, s);
    }
    return s;
  }

  optOut(c: IConstruct): { reason: string; at: IConstruct } | undefined {
    if (this.optOutMemo.has(c)) return this.optOutMemo.get(c);
    const m = c.node.metadata.find((x) => x.type === UNVERIFIED_WIRING_OPT_OUT);
    const result = m ? { reason: String(m.data), at: c } : c.node.scope ? this.optOut(c.node.scope) : undefined;
    this.optOutMemo.set(c, result);
    return result;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A principal when `x` carries what grants are keyed by. */
function asPrincipal(x: unknown): IPrincipal | undefined {
  const p = x as Partial<IPrincipal> | undefined;
  return p && typeof p.principalId === "string" && p.principalKind !== undefined && p.owner ? (p as IPrincipal) : undefined;
}

function identityLabel(p: IPrincipal | ClientIdentity | undefined): string {
  const principal = asPrincipal(p);
  if (principal?.principalKind === "workload-identity") return `WorkloadIdentity ${principal.owner.node.path}`;
  if (principal?.principalKind === "csi-addon") return `CSI add-on identity of ${principal.owner.node.path}`;
  if (principal?.principalKind === "kubelet") return `kubelet identity of ${principal.owner.node.path}`;
  if (principal) return `identity ${principal.owner.node.path}`;
  const id = p?.clientId;
  return id === undefined ? "(no identity)" : isUnresolved(id) ? "client ID known at apply time" : `client ID ${id}`;
}

/** The Vault provider a JWT auth's resources are created with: its address and namespace. */
function vaultTarget(auth: VaultJwtAuth): { address?: string; namespace?: string } {
  const stack = TerraformStack.of(auth);
  const provider = (auth.backend.provider as VaultProvider | undefined) ?? stack.node.children.find((c): c is VaultProvider => c instanceof VaultProvider && !c.alias);
  // Without a provider in sight the namespace is unknown; with one, no namespace means the root namespace.
  return { address: provider?.address, namespace: auth.vaultNamespace ?? (provider ? provider.namespace ?? "" : undefined) };
}

/** Compares two strings where either may be known only at apply time. */
function compare(a: string | undefined, b: string | undefined): Tri {
  if (a === undefined || b === undefined) return "unknown";
  if (a === b) return "yes";
  if (!isUnresolved(a) && !isUnresolved(b)) return "no";
  return "unknown";
}

class WiringAnalyzer {
  readonly problems = new Map<IConstruct, Problem[]>();
  readonly paths: WiringPath[] = [];
  private readonly seen = new Set<string>();
  private readonly troubled = new Set<IConstruct>();

  constructor(private readonly ix: WiringIndex) {}

  private add(c: IConstruct, p: Problem): void {
    const key = `${c.node.path}\u0000${p.field}\u0000${show(p.value)}\u0000${p.rule}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    push(this.problems, c, p);
    this.troubled.add(c);
  }

  broken(c: IConstruct, field: string, value: unknown, rule: string): void {
    this.add(c, { field, value, rule, unverifiable: false });
  }

  unverifiable(c: IConstruct, field: string, value: unknown, rule: string): void {
    this.add(c, { field, value, rule: `${rule}, ${UNVERIFIED_FIX}`, unverifiable: true });
  }

  run(): void {
    for (const wsa of this.ix.wsas) this.checkServiceAccount(wsa);
    for (const spc of this.ix.spcs) {
      const p = spc.provider;
      if (p.type === "azure") this.checkAzureClass(spc, p);
      else if (p.type === "vault") this.checkVaultClass(spc, p);
      else this.addPath(spc, { store: "aws", storeLabel: "AWS Secrets Manager / SSM", identityMode: "other", identity: "IRSA / EKS Pod Identity (not checked)", secrets: spc.files.map((f) => f.objectName) });
    }
    for (const auth of this.ix.vsoAuths) this.checkVaultAuth(auth);
    for (const r of this.ix.rawVaultAuths) this.checkRawVaultAuth(r);
    this.checkPodVolumes();
    this.checkDuplicates();
    this.addOperatorPaths();
  }

  // --- Two constructs, one Kubernetes object ----------------------------------------------

  /**
   * Objects of one kind, namespace and name created twice in one cluster, and Kubernetes Secrets
   * written by two syncs: each passes synth alone but they collide at apply or at runtime. The
   * second in tree order is reported, naming the first.
   */
  private checkDuplicates(): void {
    const objects = new Map<string, ObjectEntry>();
    for (const o of this.ix.objects) {
      if (isUnresolved(o.name) || (o.namespace !== undefined && isUnresolved(o.namespace))) continue;
      const key = `${o.scope}|${o.kind}|${o.namespace ?? ""}|${o.name}`;
      const first = objects.get(key);
      if (!first) {
        objects.set(key, o);
        continue;
      }
      const what = `${o.kind.split("/")[1]} ${o.namespace === undefined ? "" : `${o.namespace}/`}${o.name}`;
      this.broken(
        o.at,
        o.field,
        o.name,
        `${what} is also created by ${first.at.node.path}${o.clusterLabel ? ` in cluster ${o.clusterLabel}` : ""}: two Terraform resources for one Kubernetes object pass synth but collide at apply (the second create fails with "already exists", or one overwrites the other); give one of them another name${o.kind.endsWith("/SecretProviderClass") ? " (and mount it by that name)" : ""}, or create the object once`,
      );
    }
    const secrets = new Map<string, SecretWriter>();
    for (const w of this.ix.secretWriters) {
      if (isUnresolved(w.name) || isUnresolved(w.namespace)) continue;
      const key = `${w.scope}|${w.namespace}|${w.name}`;
      const first = secrets.get(key);
      if (!first) {
        secrets.set(key, w);
        continue;
      }
      if (first.terraformObject && w.terraformObject) continue; // two Secret resources: reported above as one object made twice
      this.broken(
        w.at,
        w.field,
        w.name,
        `Kubernetes Secret ${w.namespace}/${w.name}${w.clusterLabel ? ` of cluster ${w.clusterLabel}` : ""} is also written by ${first.label} (${first.at.node.path}): two writers of one Secret overwrite each other's data, or one is refused (the Vault Secrets Operator does not take over a Secret it did not create), so pods read the wrong values or none; sync into a Secret of another name`,
      );
    }
  }

  // --- pods -----------------------------------------------------------------

  /** The service accounts the pods of a class run as, with where to report a problem about each. */
  private podsOf(spc: SecretProviderClass, cluster: ClusterInfo | undefined): { sa: string; wsa?: WorkloadServiceAccount; at: IConstruct; field: string; workload?: string }[] {
    const out: { sa: string; wsa?: WorkloadServiceAccount; at: IConstruct; field: string; workload?: string }[] = [];
    for (const m of PodSecretsMount.of(spc)) {
      const sa = m.serviceAccount;
      out.push({ sa: sa === undefined ? "default" : typeof sa === "string" ? sa : sa.name, wsa: sa instanceof WorkloadServiceAccount ? sa : undefined, at: spc, field: "podSecrets.serviceAccount" });
    }
    const key = this.ix.clusterKey(cluster);
    // Pods whose cluster is unknown (a workload in a stack that declares none) may be this class's too.
    const uses = [...(this.ix.podsByClass.get(`${key}|${spc.namespace}|${spc.name}`) ?? []), ...(key === "?" ? [] : this.ix.podsByClass.get(`?|${spc.namespace}|${spc.name}`) ?? [])];
    for (const use of uses) {
      out.push({ sa: use.serviceAccount, at: use.resource, field: use.serviceAccountField, workload: use.label });
    }
    return out;
  }

  // --- WorkloadServiceAccount ---------------------------------------------------

  private checkServiceAccount(wsa: WorkloadServiceAccount): void {
    const identity = this.resolveIdentity(wsa.identity);
    if (!(identity instanceof WorkloadIdentity)) {
      this.unverifiable(
        wsa,
        "identity.clientId",
        wsa.identity.clientId,
        `is not the client ID of a WorkloadIdentity of this app, so which identity the service account's ${WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION} annotation names, and whether that identity trusts ${wsa.namespace}/${wsa.name}, cannot be checked (a client ID copied from another identity fails at runtime with "Identity not found" or AADSTS700213): pass the WorkloadIdentity construct as identity`,
      );
      return;
    }
    const cluster = this.ix.clusterOfWsa(wsa);
    const who = `service account ${wsa.namespace}/${wsa.name}`;
    if (identity !== wsa.identity) {
      // Given as { clientId: identity.clientId }: the service account's own check did not run.
      this.checkFederation(identity, cluster, wsa.namespace, wsa.name, wsa, "identity.clientId", identity.node.path, who);
      return;
    }
    // The service account's own validation reports a missing subject, and the issuer when `cluster` was given.
    const subject = serviceAccountSubject(wsa.namespace, wsa.name);
    if (wsa.cluster || !cluster || !identity.federatedCredentials.some((c) => c.subject === subject)) return;
    this.checkFederation(identity, cluster, wsa.namespace, wsa.name, wsa, "identity", identity.node.path, who);
  }

  /** A WorkloadIdentity for an identity given as a construct or as its client ID. */
  private resolveIdentity(given: ClientIdentity | undefined): IPrincipal | ClientIdentity | undefined {
    if (!given) return undefined;
    if (given instanceof WorkloadIdentity || asPrincipal(given)) return given;
    return this.ix.principalsByClientId.get(given.clientId) ?? given;
  }

  /**
   * Checks that `identity` has a federated credential for NAMESPACE/NAME on the cluster's issuer.
   * Reports on `at`/`field`; `who` names the service account's user for the message.
   */
  private checkFederation(identity: WorkloadIdentity, cluster: ClusterInfo | undefined, namespace: string, name: string, at: IConstruct, field: string, value: unknown, who: string): void {
    const subject = serviceAccountSubject(namespace, name);
    const creds = identity.federatedCredentials.filter((c) => c.subject === subject);
    if (creds.length === 0) {
      const trusted = identity.federatedCredentials.map((c) => c.subject);
      const sameName = identity.federatedCredentials.find((c) => c.serviceAccountName === name);
      this.broken(
        at,
        field,
        value,
        `${who} runs as ${subject}, but WorkloadIdentity ${identity.node.path} has no federated credential for that subject (it trusts: ${trusted.join(", ") || "nothing"})${sameName ? `; the credential for namespace "${sameName.namespace}" does not cover namespace "${namespace}"` : ""}: the token exchange fails with AADSTS700213 ("No matching federated identity record"). Call identity.addServiceAccount({ namespace: "${namespace}", name: "${name}", issuer: cluster }) or bind with KeyVaultWorkloadBinding`,
      );
      return;
    }
    if (!cluster) return;
    const verdicts = creds.map((c) => ({ c, v: sameIssuer(c.issuer, c.issuerUrl, cluster) }));
    if (verdicts.some((x) => x.v === "yes")) return;
    const unknown = verdicts.find((x) => x.v === "unknown");
    if (unknown) {
      if (!isUnresolved(unknown.c.issuerUrl) || !isUnresolved(cluster.issuer.oidcIssuerUrl)) {
        this.unverifiable(
          at,
          field,
          value,
          `${who} is deployed to cluster ${cluster.label}; the federated credential "${unknown.c.name}" of WorkloadIdentity ${identity.node.path} trusts ${subject} from ${issuerLabel(unknown.c.issuer, unknown.c.issuerUrl)}, which cannot be compared with that cluster's issuer: pass the AksCluster as the credential's issuer`,
        );
      }
      return;
    }
    const c = verdicts[0].c;
    this.broken(
      at,
      field,
      value,
      `${who} is deployed to cluster ${cluster.label}, but WorkloadIdentity ${identity.node.path} trusts ${subject} only from ${issuerLabel(c.issuer, c.issuerUrl)} (credential "${c.name}"): tokens of this cluster carry another issuer and the exchange fails with AADSTS700213. Call identity.addServiceAccount({ namespace: "${namespace}", name: "${name}", issuer: <the cluster the pods run in> })`,
    );
  }

  /** Checks the annotation of the service account pods run as against the class's identity. */
  private checkAnnotation(identity: WorkloadIdentity, cluster: ClusterInfo | undefined, namespace: string, name: string, at: IConstruct, field: string, value: string, spc: SecretProviderClass): void {
    const entry = this.ix.serviceAccount(cluster, namespace, name);
    if (!entry) {
      this.unverifiable(
        at,
        field,
        value,
        `service account ${namespace}/${name} is not created by this app, so its ${WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION} annotation cannot be checked against the identity SecretProviderClass ${spc.namespace}/${spc.name} logs in as (${identity.node.path}): create it with WorkloadServiceAccount({ identity }) or KeyVaultWorkloadBinding`,
      );
      return;
    }
    const ann = entry.clientIdAnnotation;
    if (ann === identity.clientId) return;
    if (ann === undefined) {
      this.broken(at, field, value, `the service account ${namespace}/${name} (${entry.path}) has no ${WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION} annotation, but SecretProviderClass ${spc.namespace}/${spc.name} logs in as ${identity.node.path}: create it with WorkloadServiceAccount({ identity })`);
      return;
    }
    const named = this.ix.principalsByClientId.get(ann);
    if (named) {
      this.broken(
        at,
        field,
        value,
        `the service account ${namespace}/${name} (${entry.path}) is annotated with the client ID of ${identityLabel(named)}, but SecretProviderClass ${spc.namespace}/${spc.name} logs in as ${identity.node.path}: pods would get one identity from the webhook and mount with another. Use the same WorkloadIdentity for both`,
      );
      return;
    }
    if (!isUnresolved(ann)) {
      this.unverifiable(at, field, value, `the service account ${namespace}/${name} (${entry.path}) is annotated with the literal client ID ${ann}, which cannot be matched with ${identity.node.path} (the identity SecretProviderClass ${spc.namespace}/${spc.name} logs in as): annotate it with identity.clientId (WorkloadServiceAccount({ identity }))`);
    }
  }

  // --- Azure Key Vault classes ----------------------------------------------------

  private checkAzureClass(spc: SecretProviderClass, p: AzureKeyVaultProviderConfig): void {
    const cluster = this.ix.clusterOfSpc(spc);
    // The vault: the construct, or the one a literal name matches.
    let vault = p.keyVault;
    if (!vault && p.keyvaultName !== undefined) {
      const matches = this.ix.vaultsByName.get(p.keyvaultName) ?? [];
      if (matches.length === 1) vault = matches[0];
    }
    if (!vault) {
      this.unverifiable(spc, "provider.keyvaultName", p.keyvaultName, "names no KeyVault construct of this app, so the vault's tenant, its read grants and its secrets cannot be checked: pass provider.keyVault (the KeyVault construct)");
    }
    // Tenant
    if (vault && p.tenantId !== undefined) {
      const t = compare(p.tenantId, vault.tenantId);
      if (t === "no") {
        this.broken(spc, "provider.tenantId", p.tenantId, `is not the tenant of Key Vault ${vault.node.path} (${vault.tenantId}): the provider would request a token from the wrong tenant ("AADSTS700016" / "AADSTS90002", or 401 from Key Vault). Leave provider.tenantId out: it is taken from provider.keyVault`);
      } else if (t === "unknown" && !isUnresolved(p.tenantId)) {
        this.unverifiable(spc, "provider.tenantId", p.tenantId, `cannot be compared with the tenant of Key Vault ${vault.node.path}, which is known only at apply time: leave provider.tenantId out (it is taken from provider.keyVault)`);
      }
    }
    // Identity
    const mode = p.identity.mode;
    const given = mode === "podIdentity" ? undefined : p.identity.identity;
    const resolved = this.resolveIdentity(given);
    const principal = asPrincipal(resolved);
    const pods = this.podsOf(spc, cluster);
    if (mode === "workloadIdentity") {
      if (!(resolved instanceof WorkloadIdentity)) {
        this.unverifiable(
          spc,
          "provider.identity.identity",
          given?.clientId,
          `is not a WorkloadIdentity of this app, so whether it trusts the service account of the pods mounting this class cannot be checked (a client ID copied from the wrong identity fails at mount time with "Identity not found" or AADSTS700213): pass the WorkloadIdentity construct`,
        );
      } else {
        this.checkWorkloadIdentityPods(spc, resolved, cluster, pods);
      }
    } else if (mode === "vmManagedIdentity") {
      this.checkNodeIdentity(spc, given, principal, cluster);
    }
    // Grants and secrets
    if (vault) {
      // With a KeyVault construct and a principal, the class's own validation checks the grants of secrets.
      const ownGrantCheck = !!p.keyVault && !!asPrincipal(given);
      const declared = this.ix.declared(vault);
      p.objects.forEach((o, i) => {
        const type = o.objectType ?? "secret";
        if (type !== "secret") {
          this.unverifiable(spc, `provider.objects[${i}].objectType`, type, `needs ${type === "cert" ? "certificates" : "keys"} Get on Key Vault ${vault!.node.path}, which KeyVault.grantSecretRead does not give and the checks cannot see: mount the certificate's secret (objectType "secret", objectFormat "pem" or "pfx") instead`);
          return;
        }
        if (isUnresolved(o.objectName)) return;
        if (!declared.has(o.objectName)) {
          const names = [...declared];
          this.broken(
            spc,
            `provider.objects[${i}].objectName`,
            o.objectName,
            `is not a secret of Key Vault ${vault!.node.path} (declared: ${names.map((n) => JSON.stringify(n)).join(", ") || "none"}): the mount fails with SecretNotFound (404). Fix the name, or declare the secret (KeyVault secrets / keyVault.declareSecret("${o.objectName}")) and write its value with az keyvault secret set`,
          );
        }
        if (!ownGrantCheck && principal && !vault!.canRead(principal, o.objectName)) {
          this.broken(
            spc,
            `provider.objects[${i}].objectName`,
            o.objectName,
            `${identityLabel(principal)} has no read grant on this secret in Key Vault ${vault!.node.path} (the mount fails with 403 Forbidden): call keyVault.grantSecretRead(identity, { secrets: ["${o.objectName}"] })`,
          );
        }
      });
    }
    const identityMode: WiringIdentityMode = mode === "workloadIdentity" ? "workload-identity" : mode === "vmManagedIdentity" ? "vm-managed-identity" : "other";
    this.addPath(spc, {
      store: "azure-key-vault",
      storeLabel:
        (vault ? (isUnresolved(vault.name) ? `Key Vault ${vault.node.path}` : `Key Vault ${vault.name} (${vault.node.path})`) : `Key Vault ${p.keyvaultName}`) +
        (vault?.authorization === "accessPolicy" ? " [access policies: every grant covers the whole vault]" : ""),
      identityMode,
      // The add-on's identity is on every node: any pod of the cluster can mount with it.
      identity: identityLabel(resolved) + (identityMode === "vm-managed-identity" ? " [on every node: any pod of the cluster can use it]" : ""),
      secrets: p.objects.map((o) => (o.objectType && o.objectType !== "secret" ? `${o.objectType}:${o.objectName}` : o.objectName)),
      pods,
    });
  }

  private checkWorkloadIdentityPods(spc: SecretProviderClass, identity: WorkloadIdentity, cluster: ClusterInfo | undefined, pods: ReturnType<WiringAnalyzer["podsOf"]>): void {
    if (pods.length === 0) {
      // Nobody in this app mounts the class: the pods must at least be in its namespace.
      const inNamespace = identity.federatedCredentials.filter((c) => c.namespace === spc.namespace && (!cluster || sameIssuer(c.issuer, c.issuerUrl, cluster) !== "no"));
      if (inNamespace.length === 0) {
        this.broken(
          spc,
          "namespace",
          spc.namespace,
          `pods mounting this class run in namespace "${spc.namespace}"${cluster ? ` of cluster ${cluster.label}` : ""}, but its WorkloadIdentity ${identity.node.path} trusts no service account there (it trusts: ${identity.federatedCredentials.map((c) => c.subject).join(", ") || "nothing"}): the token exchange fails with AADSTS700213. Call identity.addServiceAccount({ namespace: "${spc.namespace}", name, issuer: cluster })`,
        );
      }
      return;
    }
    const done = new Set<string>();
    for (const pod of pods) {
      const key = `${pod.at.node.path}|${pod.sa}`;
      if (done.has(key)) continue;
      done.add(key);
      const entry = this.ix.serviceAccount(cluster, spc.namespace, pod.sa);
      const wsa = pod.wsa ?? entry?.wsa;
      const value = pod.at === spc ? `${spc.namespace}/${pod.sa}` : pod.sa;
      const who = pod.workload ? `${pod.workload}, mounting SecretProviderClass ${spc.namespace}/${spc.name},` : `the pods of SecretProviderClass ${spc.namespace}/${spc.name}`;
      // A WorkloadServiceAccount of the same identity reports its own federation (see checkServiceAccount).
      const federationOnServiceAccount = wsa && wsa.identity === identity && this.ix.clusterKey(this.ix.clusterOfWsa(wsa)) === this.ix.clusterKey(cluster);
      if (!federationOnServiceAccount) this.checkFederation(identity, cluster, spc.namespace, pod.sa, pod.at, pod.field, value, who);
      this.checkAnnotation(identity, cluster, spc.namespace, pod.sa, pod.at, pod.field, value, spc);
    }
  }

  private checkNodeIdentity(spc: SecretProviderClass, given: ClientIdentity | undefined, principal: IPrincipal | undefined, cluster: ClusterInfo | undefined): void {
    const field = "provider.identity.identity";
    if (principal && (principal.principalKind === "csi-addon" || principal.principalKind === "kubelet") && principal.owner instanceof AksCluster) {
      if (!cluster) return;
      const owner = principal.owner;
      const same = sameIssuer(owner, owner.oidcIssuerUrl, cluster);
      if (same === "no") {
        this.broken(
          spc,
          field,
          owner.node.path,
          `is the ${principal.principalKind === "csi-addon" ? "CSI add-on" : "kubelet"} identity of cluster ${owner.node.path}, but the class is deployed to cluster ${cluster.label}, whose nodes do not carry it: the mount fails with "Identity not found". Use that cluster's secretsProviderIdentity, and grant it read on the vault`,
        );
      } else if (same === "unknown") {
        this.unverifiable(spc, field, owner.node.path, `is the ${principal.principalKind} identity of cluster ${owner.node.path}, and the class is deployed to cluster ${cluster.label}: they cannot be matched`);
      }
      return;
    }
    this.unverifiable(
      spc,
      field,
      given?.clientId,
      `is not the add-on (or kubelet) identity of an AksCluster of this app, so whether the nodes of the cluster carry it cannot be checked (the mount fails with "Identity not found" when they do not): pass cluster.secretsProviderIdentity`,
    );
  }

  // --- Vault (CSI provider) classes ------------------------------------------------

  private checkVaultClass(spc: SecretProviderClass, p: VaultProviderConfig): void {
    const cluster = this.ix.clusterOfSpc(spc);
    const mount = p.vaultAuthMountPath ?? "kubernetes";
    const pods = this.podsOf(spc, cluster);
    let auths = this.ix.jwtByPath.get(mount) ?? [];
    if (auths.length > 1) {
      const byAddress = auths.filter((a) => compare(vaultTarget(a).address, p.vaultAddress) === "yes");
      if (byAddress.length > 0) auths = byAddress;
    }
    const auth = auths[0];
    if (!auth) {
      this.unverifiable(spc, "provider.vaultAuthMountPath", mount, `is not the path of a VaultJwtAuth of this app, so the role, its bound service account and audiences cannot be checked: configure the auth with VaultJwtAuth and use its path`);
      this.addPath(spc, { store: "vault", storeLabel: `Vault ${p.vaultAddress}`, identityMode: "vault-jwt", identity: `role ${p.roleName} (auth/${mount})`, secrets: p.objects.map((o) => o.secretPath), pods });
      return;
    }
    const role = auth.role(p.roleName);
    if (!role) {
      this.broken(spc, "provider.roleName", p.roleName, `is not a role of auth/${mount} (${auth.node.path}; roles: ${auth.roles.map((r) => r.name).join(", ") || "none"}): Vault answers "role not found" / permission denied`);
    }
    this.checkAuthTarget(spc, auth, cluster, { address: p.vaultAddress, addressField: "provider.vaultAddress", namespace: p.vaultNamespace, namespaceField: "provider.vaultNamespace", mountField: "provider.vaultAuthMountPath" });
    if (role) {
      if (p.audience === undefined) {
        this.broken(spc, "provider.audience", undefined, `is not set: the vault CSI provider then requests a token with the API server's default audience, which JWT role "${role.name}" does not bind (bound: ${role.audiences.join(", ")}); Vault refuses it with "permission denied" (invalid audience). Set provider.audience to one of the role's audiences`);
      } else if (!role.audiences.includes(p.audience)) {
        this.broken(spc, "provider.audience", p.audience, `is not bound by JWT role "${role.name}" of auth/${mount} (bound: ${role.audiences.join(", ")}): Vault refuses the token with "permission denied" (invalid audience). Use one of the role's audiences`);
      }
      const serviceAccounts = pods.length > 0 ? pods : [];
      if (serviceAccounts.length === 0 && role.namespace !== spc.namespace) {
        this.broken(spc, "provider.roleName", p.roleName, `JWT role "${role.name}" binds ${role.subject}, but pods mounting this class run in namespace "${spc.namespace}": Vault refuses their tokens ("permission denied", sub claim does not match). Use the role of a service account in "${spc.namespace}"`);
      }
      for (const pod of serviceAccounts) {
        if (role.namespace === spc.namespace && role.serviceAccountName === pod.sa) continue;
        this.broken(
          pod.at,
          pod.field,
          pod.at === spc ? `${spc.namespace}/${pod.sa}` : pod.sa,
          `${pod.workload ? `${pod.workload}, mounting SecretProviderClass ${spc.namespace}/${spc.name}, runs` : `the pods of SecretProviderClass ${spc.namespace}/${spc.name} run`} as ${serviceAccountSubject(spc.namespace, pod.sa)}, but JWT role "${role.name}" of auth/${mount} binds ${role.subject}: Vault refuses the login ("permission denied"). Run the pods as ${role.namespace}/${role.serviceAccountName}, or add a role for this service account`,
        );
      }
      p.objects.forEach((o, i) => {
        if (isUnresolved(o.secretPath) || role.secrets.some((s) => kvV2DataPath(s) === o.secretPath)) return;
        this.broken(spc, `provider.objects[${i}].secretPath`, o.secretPath, `is not readable by JWT role "${role.name}" (policy ${role.policyName} reads ${role.secrets.map(kvV2DataPath).join(", ")}): Vault answers 403 "permission denied". Add the secret to the role's secrets, or fix the path (KV v2 reads go to MOUNT/data/PATH)`);
      });
    }
    this.addPath(spc, {
      store: "vault",
      storeLabel: this.vaultStoreLabel(auth),
      identityMode: "vault-jwt",
      identity: `JWT role ${p.roleName} (auth/${mount})`,
      secrets: p.objects.map((o) => o.secretPath),
      pods,
    });
  }

  /** Checks that a login to `auth` happens from the cluster it trusts, at the Vault and namespace it lives in. */
  private checkAuthTarget(
    at: IConstruct,
    auth: VaultJwtAuth,
    cluster: ClusterInfo | undefined,
    o: { address?: string; addressField: string; namespace?: string; namespaceField: string; mountField: string; roleValue?: string },
  ): void {
    if (cluster) {
      const same = sameIssuer(auth.issuer, auth.issuerUrl, cluster);
      if (same === "no") {
        this.broken(
          at,
          o.mountField,
          o.roleValue ?? auth.path,
          `auth/${auth.path} (${auth.node.path}) trusts service account tokens of ${issuerLabel(auth.issuer, auth.issuerUrl)}, but this is deployed to cluster ${cluster.label}: Vault refuses its tokens ("permission denied", issuer mismatch). Use the JWT auth configured with this cluster as issuer (one mount per cluster)`,
        );
      } else if (same === "unknown" && (!isUnresolved(auth.issuerUrl) || !isUnresolved(cluster.issuer.oidcIssuerUrl))) {
        this.unverifiable(at, o.mountField, o.roleValue ?? auth.path, `auth/${auth.path} (${auth.node.path}) trusts ${issuerLabel(auth.issuer, auth.issuerUrl)}, which cannot be compared with the issuer of cluster ${cluster.label}: configure VaultJwtAuth with the AksCluster as issuer`);
      }
    }
    const target = vaultTarget(auth);
    const addr = compare(o.address, target.address);
    if (addr === "no") {
      this.broken(at, o.addressField, o.address, `is not the Vault that holds auth/${auth.path} (${auth.node.path}, configured through ${target.address}): the login goes to a Vault without this role. Use the HCP Vault cluster's privateEndpointUrl`);
    } else if (addr === "unknown" && o.address !== undefined && !isUnresolved(o.address)) {
      this.unverifiable(at, o.addressField, o.address, `cannot be compared with the address of the Vault that holds auth/${auth.path} (${auth.node.path}), known only at apply time: use the HcpVaultCluster's privateEndpointUrl`);
    }
    if (compare(o.namespace, target.namespace) === "no") {
      this.broken(at, o.namespaceField, o.namespace, `auth/${auth.path} (${auth.node.path}) lives in Vault namespace "${target.namespace || "(root)"}", but the login goes to namespace "${o.namespace || "(root)"}": Vault answers "permission denied". Log in to the namespace of the auth mount (HCP Vault: admin)`);
    }
  }

  private vaultStoreLabel(auth: VaultJwtAuth): string {
    const address = vaultTarget(auth).address;
    const hcp = address !== undefined ? this.ix.hcpVaultsByAddress.get(address) : undefined;
    if (hcp) return `HCP Vault ${hcp.clusterId} (${hcp.node.path})`;
    return `Vault (${TerraformStack.of(auth).node.path}, auth/${auth.path})`;
  }

  // --- Vault Secrets Operator -------------------------------------------------------

  private checkVaultAuth(auth: VsoVaultAuth): void {
    const cluster = this.ix.clusterOf(auth);
    this.checkAuthTarget(auth, auth.role.auth, cluster, {
      address: auth.connection.address,
      addressField: "connection.address",
      namespace: auth.vaultNamespace,
      namespaceField: "vaultNamespace",
      mountField: "role",
      roleValue: auth.role.name,
    });
    if (!auth.serviceAccountResource && !this.ix.serviceAccount(cluster, auth.namespace, auth.serviceAccount)) {
      this.unverifiable(
        auth,
        "serviceAccount",
        auth.serviceAccount,
        `service account ${auth.namespace}/${auth.serviceAccount} is not created by this app, so whether it exists in the cluster cannot be checked (the operator then fails with "serviceaccounts not found"): set createServiceAccount, or create it in this app`,
      );
    }
  }

  private checkRawVaultAuth(r: TerraformResource): void {
    const m = readResourceConfig(r).attributes.manifest ?? {};
    const spec = isPlain(m.spec) ? m.spec : {};
    const method = spec.method;
    const mount = spec.mount;
    const jwt = isPlain(spec.jwt) ? spec.jwt : isPlain(spec.kubernetes) ? spec.kubernetes : {};
    const methodKey = isPlain(spec.jwt) ? "jwt" : "kubernetes";
    const namespace = m.metadata?.namespace ?? "default";
    if (typeof mount !== "string" || isUnresolved(mount)) return;
    const auths = this.ix.jwtByPath.get(mount) ?? [];
    const auth = auths[0];
    if (!auth) {
      this.unverifiable(r, "manifest.spec.mount", mount, "is not the path of a VaultJwtAuth of this app, so the role, service account and audiences cannot be checked: configure the auth with VaultJwtAuth and build the VaultAuth with VsoVaultAuth");
      return;
    }
    if (method !== "jwt") {
      this.broken(r, "manifest.spec.method", method, `auth/${mount} (${auth.node.path}) is a JWT auth method: the VaultAuth must use method "jwt". Build it with VsoVaultAuth`);
    }
    const role = typeof jwt.role === "string" ? auth.role(jwt.role) : undefined;
    if (!role) {
      this.broken(r, `manifest.spec.${methodKey}.role`, jwt.role, `is not a role of auth/${mount} (${auth.node.path}; roles: ${auth.roles.map((x) => x.name).join(", ") || "none"}): Vault answers "permission denied". Build the VaultAuth with VsoVaultAuth({ role })`);
      return;
    }
    const sa = jwt.serviceAccount ?? "default";
    if (role.namespace !== namespace || role.serviceAccountName !== sa) {
      this.broken(r, `manifest.spec.${methodKey}.serviceAccount`, sa, `the operator presents a token of ${serviceAccountSubject(namespace, sa)}, but JWT role "${role.name}" of auth/${mount} binds ${role.subject}: Vault refuses it ("permission denied"). Build the VaultAuth with VsoVaultAuth({ role }) so they agree`);
    }
    const audiences: unknown[] = Array.isArray(jwt.audiences) ? jwt.audiences : [];
    if (audiences.length === 0) {
      this.broken(r, `manifest.spec.${methodKey}.audiences`, audiences, `is empty: the operator then requests the API server's default audience, which JWT role "${role.name}" does not bind (bound: ${role.audiences.join(", ")}): Vault refuses it ("permission denied", invalid audience)`);
    }
    audiences.forEach((a, i) => {
      if (typeof a === "string" && !isUnresolved(a) && !role.audiences.includes(a)) {
        this.broken(r, `manifest.spec.${methodKey}.audiences[${i}]`, a, `is not bound by JWT role "${role.name}" of auth/${mount} (bound: ${role.audiences.join(", ")}): Vault refuses the token ("permission denied", invalid audience). Build the VaultAuth with VsoVaultAuth({ role }) so they agree`);
      }
    });
    this.checkAuthTarget(r, auth, this.ix.clusterOf(r), {
      namespace: typeof spec.namespace === "string" ? spec.namespace : undefined,
      namespaceField: "manifest.spec.namespace",
      addressField: "manifest.spec.vaultConnectionRef",
      mountField: "manifest.spec.mount",
    });
  }

  // --- Pods that mount classes nobody creates ---------------------------------------------

  private checkPodVolumes(): void {
    for (const { use, cluster } of this.ix.podUses) {
      const key = this.ix.clusterKey(cluster);
      for (const v of use.volumes) {
        if (this.ix.spcByKey.has(`${key}|${use.namespace}|${v.spcName}`)) continue;
        if (!cluster && this.ix.spcAnyCluster.has(`${use.namespace}|${v.spcName}`)) continue;
        const elsewhere = this.ix.spcNamespaces.get(`${key}|${v.spcName}`) ?? [];
        this.unverifiable(
          use.resource,
          v.field,
          v.spcName,
          `${use.label} mounts SecretProviderClass "${v.spcName}", which this app does not create in namespace "${use.namespace}"${cluster ? ` of cluster ${cluster.label}` : ""}${elsewhere.length > 0 ? ` (it creates one in namespace ${elsewhere.map((n) => `"${n}"`).join(", ")}: a pod mounts classes of its own namespace only)` : ""}; the pod would stay in ContainerCreating ("secretproviderclasses not found"): create the class with SecretProviderClass in the pod's namespace`,
        );
      }
    }
  }

  // --- Report paths -----------------------------------------------------------------

  private addPath(
    spc: SecretProviderClass,
    o: { store: WiringPath["store"]; storeLabel: string; identityMode: WiringIdentityMode; identity: string; secrets: string[]; pods?: ReturnType<WiringAnalyzer["podsOf"]> },
  ): void {
    const cluster = this.ix.clusterOfSpc(spc);
    const pods = o.pods ?? this.podsOf(spc, cluster);
    const workloads = uniq(pods.map((p) => p.workload).filter((w): w is string => !!w));
    const serviceAccounts = o.identityMode === "vm-managed-identity" ? [] : uniq(pods.map((p) => `${spc.namespace}/${p.sa}`));
    this.paths.push({
      store: o.store,
      storeLabel: o.storeLabel,
      via: `SecretProviderClass ${spc.namespace}/${spc.name}`,
      viaPath: spc.node.path,
      cluster: cluster?.label,
      namespace: spc.namespace,
      workloads,
      serviceAccounts,
      identityMode: o.identityMode,
      identity: o.identity,
      secrets: o.secrets,
      syncedSecrets: spc.secretObjects.map((s) => `${spc.namespace}/${s.secretName}`),
      verified: true,
    });
  }

  private addOperatorPaths(): void {
    const byAuth = new Map<VsoVaultAuth, VsoVaultStaticSecret[]>();
    for (const s of this.ix.staticSecrets) push(byAuth, s.auth, s);
    for (const auth of this.ix.vsoAuths) {
      const secrets = byAuth.get(auth) ?? [];
      const cluster = this.ix.clusterOf(auth);
      const key = this.ix.clusterKey(cluster);
      const workloads = uniq(secrets.flatMap((s) => this.ix.podsBySecret.get(`${key}|${auth.namespace}|${s.secretName}`) ?? []).map((u) => u.label));
      this.paths.push({
        store: "vault",
        storeLabel: this.vaultStoreLabel(auth.role.auth),
        via: `VaultAuth ${auth.namespace}/${auth.name}`,
        viaPath: auth.node.path,
        cluster: cluster?.label,
        namespace: auth.namespace,
        workloads,
        serviceAccounts: [`${auth.namespace}/${auth.serviceAccount}`],
        identityMode: "vault-jwt",
        identity: `JWT role ${auth.role.name} (auth/${auth.role.mount}, audiences ${auth.audiences.join(", ")})`,
        secrets: uniq(secrets.map((s) => `${s.secret.mount}/${s.secret.path}`)),
        syncedSecrets: secrets.map((s) => `${s.namespace}/${s.secretName}`),
        verified: true,
      });
    }
  }

  /** Marks paths through a construct with problems (the class, the VaultAuth or a workload) as not verified. */
  finishPaths(alsoTroubled: readonly IConstruct[] = []): WiringPath[] {
    const troubled = new Set<string>();
    for (const c of [...this.troubled, ...alsoTroubled]) {
      troubled.add(c.node.path);
      for (const use of TerraformResource.isTerraformResource(c) ? this.ix.podsByResource.get(c as TerraformResource) ?? [] : []) troubled.add(`workload:${use.label}`);
    }
    return this.paths.map((p) => ({ ...p, verified: !troubled.has(p.viaPath) && !p.workloads.some((w) => troubled.has(`workload:${w}`)) }));
  }
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function analyze(root: IConstruct): Analysis {
  const ix = new WiringIndex(root);
  const a = new WiringAnalyzer(ix);
  a.run();
  const problems = new Map<IConstruct, Problem[]>();
  const accepted: AcceptedWiring[] = [];
  const failing: { construct: IConstruct; problem: Problem }[] = [];
  const usedOptOuts = new Set<IConstruct>();
  for (const [c, list] of a.problems) {
    for (const p of list) {
      const optOut = p.unverifiable ? ix.optOut(c) : undefined;
      if (optOut) {
        usedOptOuts.add(optOut.at);
        accepted.push({ path: c.node.path, field: p.field, value: show(p.value), rule: p.rule, reason: optOut.reason, optOutAt: optOut.at.node.path });
      } else {
        push(problems, c, p);
        failing.push({ construct: c, problem: p });
      }
    }
  }
  const unusedOptOuts = ix.optOutScopes
    .filter((c) => !usedOptOuts.has(c))
    .flatMap((c) => c.node.metadata.filter((m) => m.type === UNVERIFIED_WIRING_OPT_OUT).map((m) => ({ path: c.node.path, reason: String(m.data) })));
  return { index: ix, analyzer: a, problems, paths: a.finishPaths(), accepted, failing, unusedOptOuts };
}

/** While set, the validations registered here return nothing (to collect the constructs' own checks alone). */
let collectingOwnChecks = false;

/**
 * The problems the constructs report themselves about their wiring (a class's read grants, a
 * service account's federated credential), as `validateTree` would list them.
 */
function ownWiringProblems(ix: WiringIndex): { construct: IConstruct; problem: ValidationProblem }[] {
  const out: { construct: IConstruct; problem: ValidationProblem }[] = [];
  collectingOwnChecks = true;
  try {
    for (const c of [...ix.spcs, ...ix.wsas]) {
      for (const message of c.node.validate()) {
        let p: { field?: unknown; value?: unknown; rule?: unknown } = {};
        try {
          p = JSON.parse(message);
        } catch {
          /* a plain message */
        }
        out.push({ construct: c, problem: typeof p.field === "string" && typeof p.rule === "string" ? { path: c.node.path, field: p.field, value: String(p.value), rule: p.rule } : { path: c.node.path, field: "(construct)", value: "-", rule: message } });
      }
    }
  } finally {
    collectingOwnChecks = false;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Validation hooks: one analysis per validation pass

interface RootState {
  problems: Map<IConstruct, Problem[]>;
  /** The analysis is fresh for the current synchronous run (see {@link ensureFresh}). */
  fresh: boolean;
  /** Construct count when analysed: a changed tree is analysed again. */
  size: number;
}

const STATES = new WeakMap<IConstruct, RootState>();
const HOOKED = new WeakSet<IConstruct>();
const VALIDATED = new WeakSet<IConstruct>();

function compute(root: IConstruct): RootState {
  const all = root.node.findAll();
  const analysis = analyze(root);
  const state: RootState = { problems: analysis.problems, fresh: true, size: all.length };
  STATES.set(root, state);
  // A later synchronous pass (the stacks validated by app.synth right after validateTree) reuses this one.
  queueMicrotask(() => {
    state.fresh = false;
  });
  for (const c of analysis.problems.keys()) ensureConstructValidation(root, c);
  return state;
}

/** Analyses unless an analysis of the same tree was made in this synchronous run. */
function ensureFresh(root: IConstruct): void {
  const state = STATES.get(root);
  if (state?.fresh && state.size === root.node.findAll().length) return;
  compute(root);
}

function ensureConstructValidation(root: IConstruct, c: IConstruct): void {
  if (VALIDATED.has(c)) return;
  VALIDATED.add(c);
  c.node.addValidation({
    validate: () => (collectingOwnChecks ? [] : (STATES.get(root)?.problems.get(c) ?? []).map((p) => problemMessage(p.field, p.value, p.rule))),
  });
}

function hookStack(root: IConstruct, stack: IConstruct): void {
  if (HOOKED.has(stack)) return;
  HOOKED.add(stack);
  // Runs before the stack's constructs are validated (validations run parent first): a stack
  // validated alone (Testing.synth(stack, true), app.synth) sees the wiring of the whole app.
  stack.node.addValidation({
    validate: () => {
      ensureFresh(root);
      return [];
    },
  });
}

/**
 * Turns the wiring checks on for every stack of the app: `validateTree(app)` (and so
 * `validateAndSynth(app)`), `Testing.synth(stack, true)` and `app.synth()` fail on a broken
 * link from a pod to a secret, on the construct that holds it, before anything is written.
 * Stacks added later are covered. `validateAndSynth` also writes {@link WIRING_REPORT_FILE}
 * beside the output (and prints it when `WIRING_REPORT=1`). Idempotent.
 */
export function applyWiringChecks(app: IConstruct): void {
  const root = app.node.root;
  if (!HOOKED.has(root)) {
    HOOKED.add(root);
    root.node.addValidation({
      validate: () => {
        for (const c of root.node.findAll()) if (TerraformStack.isStack(c)) hookStack(root, c);
        compute(root); // validateTree(app) starts here: always a new analysis
        return [];
      },
    });
    addAfterSynthHook(root, writeWiringReportHook);
  }
  for (const c of root.node.findAll()) if (TerraformStack.isStack(c)) hookStack(root, c);
}

// ---------------------------------------------------------------------------
// Report

/**
 * The wiring of an app as data: each path from workloads to secrets (service account, identity
 * and mode, store, secrets), the wiring problems (empty when valid), unverifiable links accepted
 * with a reason, and the security rules' report. Works whether or not the checks were applied.
 */
export function wiringReport(app: IConstruct): WiringReport {
  const root = app.node.root;
  const analysis = analyze(root);
  const own = ownWiringProblems(analysis.index);
  return {
    paths: own.length > 0 ? analysis.analyzer.finishPaths(own.map((o) => o.construct)) : analysis.paths,
    problems: [
      ...own.map((o) => o.problem),
      ...analysis.failing.map(({ construct, problem }) => ({ path: construct.node.path, field: problem.field, value: show(problem.value), rule: problem.rule })),
    ],
    accepted: analysis.accepted,
    unusedOptOuts: analysis.unusedOptOuts,
    security: securityReport(root),
  };
}

const MODE_LABEL: Record<WiringIdentityMode, string> = {
  "workload-identity": "workload identity",
  "vm-managed-identity": "add-on identity (VM)",
  "vault-jwt": "Vault JWT",
  other: "other",
};

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function mermaidLabel(s: string): string {
  return `"${s.replace(/"/g, "#quot;").replace(/\n/g, " ")}"`;
}

/** The paths as a Mermaid flowchart: workload -> service account -> identity -> store -> secret. */
export function wiringMermaid(report: WiringReport): string {
  const ids = new Map<string, string>();
  const lines = ["flowchart LR"];
  const edges = new Set<string>();
  const broken = new Set<string>();
  const node = (key: string, label: string, shape: "box" | "round" | "store" | "secret" = "box"): string => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
      const l = mermaidLabel(label);
      lines.push(`  ${id}${shape === "store" ? `[(${l})]` : shape === "round" ? `(${l})` : shape === "secret" ? `>${l}]` : `[${l}]`}`);
    }
    return id;
  };
  const edge = (a: string, b: string, label?: string) => {
    const e = label ? `  ${a} -- ${mermaidLabel(label)} --> ${b}` : `  ${a} --> ${b}`;
    if (!edges.has(e)) edges.add(e);
  };
  for (const p of report.paths) {
    const via = node(`via:${p.viaPath}`, p.via);
    const identity = node(`id:${p.identity}`, p.identity, "round");
    const store = node(`store:${p.storeLabel}`, p.storeLabel, "store");
    const sources = p.workloads.length > 0 ? p.workloads.map((w) => node(`w:${p.cluster}:${w}`, w)) : [];
    const sas = p.serviceAccounts.map((s) => node(`sa:${p.cluster}:${s}`, `ServiceAccount ${s}`));
    if (sas.length > 0) {
      for (const w of sources) for (const s of sas) edge(w, s, "runs as");
      for (const s of sas) edge(s, via);
    } else {
      for (const w of sources) edge(w, via, "mounts");
    }
    edge(via, identity, MODE_LABEL[p.identityMode]);
    edge(identity, store, "reads");
    for (const s of p.secrets) edge(store, node(`secret:${p.storeLabel}:${s}`, s, "secret"));
    if (!p.verified) broken.add(via);
  }
  lines.push(...edges);
  if (broken.size > 0) {
    lines.push("  classDef broken stroke:#c00,stroke-width:2px");
    lines.push(`  class ${[...broken].join(",")} broken`);
  }
  return lines.join("\n");
}

/** The report as Markdown: a table of paths, a Mermaid diagram, problems, accepted links and the security report. */
export function formatWiringReport(report: WiringReport): string {
  const out: string[] = ["# Wiring report", ""];
  out.push(
    report.problems.length === 0
      ? `${report.paths.length} path(s) from workloads to secrets; no wiring problem${report.accepted.length > 0 ? `; ${report.accepted.length} unverifiable link(s) accepted with a reason` : ""}.`
      : `${report.problems.length} wiring problem(s): synth fails until they are fixed.`,
    "",
  );
  out.push("| Workload | Service account | Via | Identity (mode) | Store | Secrets | Status |", "|---|---|---|---|---|---|---|");
  for (const p of report.paths) {
    out.push(
      `| ${mdCell(p.workloads.join(", ") || "(pods not in this app)")} | ${mdCell(p.serviceAccounts.join(", ") || (p.identityMode === "vm-managed-identity" ? "(any: node identity)" : "-"))} | ${mdCell(p.via)} | ${mdCell(`${p.identity} (${MODE_LABEL[p.identityMode]})`)} | ${mdCell(p.storeLabel)} | ${mdCell(p.secrets.join(", "))}${p.syncedSecrets.length > 0 ? ` → Secret ${mdCell(p.syncedSecrets.join(", "))}` : ""} | ${p.verified ? "verified" : "see problems"} |`,
    );
  }
  out.push("", "```mermaid", wiringMermaid(report), "```", "");
  if (report.problems.length > 0) {
    out.push("## Problems", "");
    for (const p of report.problems) out.push(`- [${p.path}] ${p.field}: ${p.value} — ${p.rule}`);
    out.push("");
  }
  out.push("## Unverified links accepted (allowUnverifiedWiring)", "");
  if (report.accepted.length === 0) out.push("None.");
  for (const a of report.accepted) out.push(`- [${a.path}] ${a.field}: ${a.value} — accepted on ${a.optOutAt}: ${a.reason}`);
  for (const u of report.unusedOptOuts) out.push(`- UNUSED opt-out on [${u.path}]: ${u.reason}`);
  out.push("", "## Security rules", "", "```", formatSecurityReport(report.security), "```", "");
  return out.join("\n");
}

/**
 * Writes the report to `OUTDIR/wiring-report.md` (and prints it when `WIRING_REPORT=1`); returns the file.
 * `outdir` defaults to the cdktf App's `outdir` (the root of `app`'s tree).
 *
 * @throws Error (not a ValidationError) when there is no directory to write to: the tree's root
 * is not a cdktf App (a bare construct tree) and no `outdir` was passed. That is a mistake of the
 * calling code, not of the app's configuration, so it is not reported as bad input; the message
 * names the function, the root and the fix.
 */
export function writeWiringReport(app: IConstruct & { readonly outdir?: string }, outdir: string | undefined = (app.node.root as { outdir?: string }).outdir): string {
  if (!outdir) {
    const root = app.node.root;
    throw new Error(
      `writeWiringReport: no directory to write ${WIRING_REPORT_FILE} to: the root of the construct tree (${root.constructor.name}${root.node.id ? ` "${root.node.id}"` : ""}) has no outdir, so it is not a cdktf App; pass the directory as the second argument, writeWiringReport(app, "cdktf.out"), or build the stacks in an App`,
    );
  }
  const text = formatWiringReport(wiringReport(app));
  fs.mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, WIRING_REPORT_FILE);
  fs.writeFileSync(file, text);
  if (process.env[WIRING_REPORT_ENV] === "1") process.stdout.write(`${text}\n`);
  return file;
}

function writeWiringReportHook(app: Synthesizable): void {
  writeWiringReport(app);
}

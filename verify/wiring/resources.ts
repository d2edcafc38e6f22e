// Facts read from Terraform resources no construct speaks for (hand-written Deployments,
// ServiceAccounts, Secrets, manifests): the same fact kinds the constructs publish, so the
// checks treat both alike. Registered by resource type; run once per resource in the one walk
// that collects the facts (see core/facts.ts collectFacts).
import { TerraformResource } from "cdktf";
import { defineFact, FactType, ResourceReader } from "../../core/facts";
import { K8S_OBJECT, K8S_PODS, K8S_SECRET_WRITER, K8S_SERVICE_ACCOUNT, PodsFact, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from "../../core/facts-kubernetes";
import { readResourceConfig } from "../../core/terraform-config";

/** A hand-written Vault Secrets Operator `VaultAuth` manifest (its configuration, read from the resource). */
export const RAW_VAULT_AUTH = defineFact<{ readonly manifest: Record<string, any> }>("vso.auth.manifest", "a VaultAuth written as a kubernetes_manifest");

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

export function isPlain(o: unknown): o is Record<string, any> {
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

type Emit = <T>(type: FactType<T>, data: T) => void;

/** The pod templates of a workload that mount CSI classes or read Secrets. */
function emitPods(resource: TerraformResource, kind: string, metadata: any, spec: unknown, specField: string, camel: boolean, emit: Emit): void {
  const namespace = typeof metadata?.namespace === "string" ? metadata.namespace : "default";
  const name = typeof metadata?.name === "string" ? metadata.name : resource.node.id;
  const specs: { spec: Record<string, any>; field: string }[] = [];
  findPodSpecs(spec, specField, specs);
  for (const { spec: ps, field } of specs) {
    const volumesKey = camel ? "volumes" : "volume";
    const classes: { name: string; field: string }[] = [];
    asList(ps[volumesKey] ?? ps.volume ?? ps.volumes).forEach((vol: any) => {
      const csi = first(vol?.csi);
      if (!isPlain(csi) || csi.driver !== CSI_DRIVER) return;
      const attrs = first(csi.volume_attributes ?? csi.volumeAttributes);
      const spcName = attrs?.secretProviderClass;
      if (typeof spcName === "string") classes.push({ name: spcName, field: `${field}.${volumesKey}["${vol.name}"].csi.${camel ? "volumeAttributes" : "volume_attributes"}.secretProviderClass` });
    });
    const saKey = camel ? "serviceAccountName" : "service_account_name";
    const sa = ps[saKey] ?? ps.service_account_name ?? ps.serviceAccountName;
    const secretNames = new Set<string>();
    collectSecretNames(ps, secretNames);
    if (classes.length === 0 && secretNames.size === 0) continue;
    const pods: PodsFact = {
      namespace,
      serviceAccount: typeof sa === "string" && sa.length > 0 ? sa : "default",
      serviceAccountField: `${field}.${saKey}`,
      workload: `${kind} ${namespace}/${name}`,
      classes,
      secretNames: [...secretNames],
    };
    emit(K8S_PODS, pods);
  }
}

/** The object a resource creates (and, for a Secret, its writer). */
function emitObject(resource: TerraformResource, kind: string, metadata: any, field: string, emit: Emit): void {
  if (!isPlain(metadata) || typeof metadata.name !== "string") return;
  const namespace = CLUSTER_SCOPED_KINDS.has(kind) ? undefined : typeof metadata.namespace === "string" ? metadata.namespace : "default";
  emit(K8S_OBJECT, { kind, namespace, name: metadata.name, resource, field });
  if (kind === "/Secret") emit(K8S_SECRET_WRITER, { namespace: namespace!, name: metadata.name, resource, field, label: `the Terraform-managed Secret ${namespace}/${metadata.name}`, terraformObject: true });
}

function emitServiceAccount(metadata: any, emit: Emit): void {
  if (!isPlain(metadata) || typeof metadata.name !== "string") return;
  const annotations = isPlain(metadata.annotations) ? metadata.annotations : {};
  emit(K8S_SERVICE_ACCOUNT, { namespace: metadata.namespace ?? "default", name: metadata.name, clientIdAnnotation: annotations[WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION] });
}

/** Typed Kubernetes resources: the object, its service account annotation, its pods. */
const readTyped: ResourceReader = (resource, emit) => {
  const type = resource.terraformResourceType;
  const attributes = readResourceConfig(resource).attributes;
  const metadata = first(attributes.metadata);
  const k = OBJECT_RESOURCE_KINDS[type];
  if (k) emitObject(resource, `${k.group}/${k.kind}`, metadata, "metadata.name", emit);
  if (type === "kubernetes_service_account_v1" || type === "kubernetes_service_account") emitServiceAccount(metadata, emit);
  const workload = WORKLOAD_RESOURCE_KINDS[type];
  if (workload) emitPods(resource, workload, metadata, attributes.spec, "spec", false, emit);
};

/** `kubernetes_manifest`: any object, and the kinds the checks follow (workloads, service accounts, VaultAuth). */
const readManifest: ResourceReader = (resource, emit) => {
  const m = readResourceConfig(resource).attributes.manifest;
  if (!isPlain(m) || typeof m.kind !== "string" || typeof m.apiVersion !== "string") return;
  const kind = m.kind;
  emitObject(resource, `${m.apiVersion.includes("/") ? m.apiVersion.split("/")[0] : ""}/${kind}`, m.metadata, "manifest.metadata.name", emit);
  if (kind === "VaultAuth" && m.apiVersion.startsWith("secrets.hashicorp.com/")) emit(RAW_VAULT_AUTH, { manifest: m });
  else if (kind === "ServiceAccount") emitServiceAccount(m.metadata, emit);
  else if (WORKLOAD_MANIFEST_KINDS.has(kind)) emitPods(resource, kind, m.metadata, m.spec, "manifest.spec", true, emit);
};

/** The readers by Terraform resource type. */
export const RESOURCE_READERS: ReadonlyMap<string, readonly ResourceReader[]> = new Map<string, readonly ResourceReader[]>([
  ...Object.keys(OBJECT_RESOURCE_KINDS).map((t) => [t, [readTyped]] as [string, ResourceReader[]]),
  ["kubernetes_manifest", [readManifest]],
]);

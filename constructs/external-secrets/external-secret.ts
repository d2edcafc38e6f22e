// ExternalSecret (external-secrets.io/v1): named keys, or "every secret" (dataFrom.find).
//
// Sources (external-secrets/external-secrets @ v2.9.0):
//   config/crds/bases/external-secrets.io_externalsecrets.yaml   refreshInterval (Go duration, default 1h),
//     secretStoreRef {name, kind}, target {name, creationPolicy, deletionPolicy, template}, data[]
//     {secretKey, remoteRef {key, property, version}}, dataFrom[] {find {path, name {regexp}}}
//   providers/v1/azure/keyvault/keyvault.go GetAllSecrets: lists the vault's secrets (List), then Gets each
//   providers/v1/vault/client_get_all_secrets.go: LIST MOUNT/metadata/PATH/ recursively, then reads each
//   pkg/controllers/externalsecret/externalsecret_controller_template.go: a template with only a
//     type keeps the fetched data
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { dependable, ITerraformDependable, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { isUnresolved, parseGoDuration, problemMessage, Rules, StringRule, Validator } from "../../core/validation";
import { checkLabel, NamespaceInput, resolveNamespace, secretDataKeyRule, SYNCED_SECRET_TYPES } from "../kubernetes/secret-provider-class";
import { ESO_API_VERSION } from "./operator";
import { publishFact } from "../../core/facts";
import { K8S_SECRET_WRITER, publishKubernetesObject } from "../../core/facts-kubernetes";
import { afterOperator, EsoClusterSecretStore, EsoSecretStore, EsoStore } from "./secret-store";
import { checkProps } from "../../core/props";

/** One key of the Kubernetes Secret, read from the store. */
export interface EsoExternalSecretData {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Key Vault: the secret's name. Vault: the secret's path inside the store's mount (e.g. `demo/config`). */
  readonly remoteKey: string;
  /** Vault: one field of the secret. @default the whole secret as JSON */
  readonly property?: string;
  /** A specific version. @default the latest */
  readonly version?: string;
}

/** "Every secret": of the whole vault (Key Vault), or under a path of the mount (Vault). */
export type EsoFindAll =
  /** Key Vault: every enabled secret of the vault, each under its own name (the store's identity needs a grant with `list`). */
  | { readonly all: true }
  /** Vault: every secret under `path` of the store's mount, at any depth (the role needs `secretPrefixes` for it). */
  | { readonly path: string };

export interface EsoSecretTarget {
  /** Name of the Kubernetes Secret. @default the ExternalSecret's name */
  readonly name?: string;
  /** `Owner` (the Secret is deleted with the ExternalSecret), `Orphan` or `Merge` (into an existing Secret). @default "Owner" */
  readonly creationPolicy?: "Owner" | "Orphan" | "Merge";
  /** What happens to the Secret when the remote secret is gone. @default "Retain" */
  readonly deletionPolicy?: "Retain" | "Delete" | "Merge";
  /** Secret type, e.g. `kubernetes.io/tls` (the fetched keys must be the type's keys). @default "Opaque" */
  readonly type?: string;
  /** Labels of the Secret. @default none */
  readonly labels?: Record<string, string>;
}

export interface EsoExternalSecretProps {
  readonly store: EsoStore;
  /** Object name (DNS-1123 subdomain). */
  readonly name: string;
  /** Namespace of the ExternalSecret (and its Secret). @default the SecretStore's; required with a ClusterSecretStore */
  readonly namespace?: NamespaceInput;
  /**
   * How often the operator re-reads the store: a Go duration, 30s to 24h. Rotations reach the
   * Secret within this interval (and pods using it as env only after a restart).
   * @default "1h"
   */
  readonly refreshInterval?: string;
  readonly target?: EsoSecretTarget;
  /** Named keys. At least one of `data` and `dataFrom`. @default none */
  readonly data?: readonly EsoExternalSecretData[];
  /** Every secret of the vault / path. @default none */
  readonly dataFrom?: EsoFindAll;
  readonly dependsOn?: ITerraformDependable[];
}

const MIN_REFRESH_S = 30;
const MAX_REFRESH_S = 24 * 3600;
/** A KV path inside a mount, as the Vault provider takes it (no leading `/`, no `data/`). */
const kvPath: StringRule = {
  description: "must be a secret path inside the store's mount such as demo/config: segments of letters, digits, '_', '-' and '.', no leading or trailing slash, not starting with data/ or metadata/",
  test: (v) => /^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/.test(v) && !/^(data|metadata)\//.test(v) && !v.split("/").includes(".."),
};

/**
 * An `ExternalSecret`: the operator writes a Kubernetes Secret (no CSI mount needed, so it exists
 * whether or not a pod runs) from named keys of the store, or from every secret of the vault /
 * a Vault path, re-read every `refreshInterval`.
 *
 * Checks at synth: the namespace may use the store; with Azure Key Vault, the store's identity has
 * a read grant on every named secret (and `list` for "every secret"); with Vault, the role's policy
 * reads every path (and lists the path for "every secret").
 */
export class EsoExternalSecret extends Construct {
  public readonly manifest: Manifest;
  public readonly name: string;
  public readonly namespace: string;
  /** Name of the Kubernetes Secret written. */
  public readonly secretName: string;
  public readonly store: EsoStore;
  public readonly refreshInterval: string;
  public readonly data: readonly EsoExternalSecretData[];
  public readonly dataFrom?: EsoFindAll;

  constructor(scope: Construct, id: string, props: EsoExternalSecretProps) {
    super(scope, id);
    checkProps(this, "EsoExternalSecret", props);
    const p = (props ?? {}) as Partial<EsoExternalSecretProps>;
    const v = new Validator(this);
    const store = p.store;
    const isStore = store instanceof EsoSecretStore || store instanceof EsoClusterSecretStore;
    v.check(isStore, "store", store === undefined ? undefined : typeof store, "needs the EsoSecretStore or EsoClusterSecretStore to read from");
    const ns = p.namespace !== undefined ? resolveNamespace(p.namespace) : store instanceof EsoSecretStore ? { name: store.namespace, dependsOn: [] } : undefined;
    if (!ns) v.fail("namespace", undefined, "is required with a ClusterSecretStore: the namespace of the ExternalSecret and its Secret");
    const target = p.target ?? {};
    const secretName = target.name ?? p.name;
    const refreshInterval = p.refreshInterval ?? "1h";
    v.rule("name", p.name, Rules.dns1123Subdomain).rule("target.name", secretName, Rules.dns1123Subdomain);
    if (ns) v.rule("namespace", ns.name, Rules.dns1123Label);
    if (ns && store instanceof EsoSecretStore && ns.name !== store.namespace) {
      v.fail("namespace", ns.name, `must be "${store.namespace}", the namespace of SecretStore ${store.name}: a SecretStore serves ExternalSecrets of its own namespace only (use an EsoClusterSecretStore for several)`);
    }
    if (ns && store instanceof EsoClusterSecretStore && !store.allows(ns.name)) {
      v.fail("namespace", ns.name, `may not use ClusterSecretStore ${store.name} (allowed: ${[...(store.allowedNamespaces as readonly string[])].join(", ")}): the operator refuses the ExternalSecret; add the namespace to allowedNamespaces`);
    }
    const seconds = parseGoDuration(refreshInterval);
    if (seconds === undefined) v.fail("refreshInterval", refreshInterval, "must be a Go duration such as 1h, 15m or 1h30m");
    else if (seconds < MIN_REFRESH_S || seconds > MAX_REFRESH_S) v.fail("refreshInterval", refreshInterval, "must be from 30s to 24h: shorter refreshes multiply reads on the store per secret, longer ones leave a rotated secret stale for a day");
    if (target.creationPolicy !== undefined) v.check(["Owner", "Orphan", "Merge"].includes(target.creationPolicy), "target.creationPolicy", target.creationPolicy, 'must be "Owner", "Orphan" or "Merge"');
    if (target.deletionPolicy !== undefined) v.check(["Retain", "Delete", "Merge"].includes(target.deletionPolicy), "target.deletionPolicy", target.deletionPolicy, 'must be "Retain", "Delete" or "Merge"');
    if (target.type !== undefined) v.check((SYNCED_SECRET_TYPES as readonly string[]).includes(target.type), "target.type", target.type, `must be a Secret type: ${SYNCED_SECRET_TYPES.join(", ")}`);
    for (const [k, val] of Object.entries(target.labels ?? {})) checkLabel(v, `target.labels["${k}"]`, k, val);

    const data = p.data ?? [];
    const dataFrom = p.dataFrom;
    v.check(data.length > 0 || dataFrom !== undefined, "data", data, "must name at least one key to read, or give dataFrom (every secret of the vault or path)");
    const azure = isStore && store.provider.type === "azureKeyVault";
    const keys = new Set<string>();
    data.forEach((d, i) => {
      const f = `data[${i}]`;
      v.rule(`${f}.secretKey`, d?.secretKey, secretDataKeyRule);
      if (keys.has(d?.secretKey)) v.fail(`${f}.secretKey`, d.secretKey, "is used twice in this Secret");
      keys.add(d?.secretKey);
      v.check(typeof d?.remoteKey === "string" && d.remoteKey.length > 0, `${f}.remoteKey`, d?.remoteKey, azure ? "is required: the name of the Key Vault secret" : "is required: the path of the secret inside the store's mount");
      if (typeof d?.remoteKey === "string" && d.remoteKey) v.rule(`${f}.remoteKey`, d.remoteKey, azure ? Rules.keyVaultSecretName : kvPath);
      if (azure && d?.property !== undefined) v.fail(`${f}.property`, d.property, "applies to Vault stores: a Key Vault secret has one value");
      if (azure && d?.version !== undefined && !isUnresolved(d.version)) v.check(/^[0-9a-fA-F]{32}$/.test(d.version), `${f}.version`, d.version, "must be a Key Vault version id (32 hex characters), or left out for the latest");
    });
    if (dataFrom !== undefined && isStore) {
      if (azure) v.check((dataFrom as { all?: unknown }).all === true, "dataFrom", dataFrom, "must be { all: true } with a Key Vault store: every secret of the vault");
      else {
        const path = (dataFrom as { path?: unknown }).path;
        v.check(typeof path === "string", "dataFrom.path", path, "is required with a Vault store: the folder of the mount whose secrets to read");
        if (typeof path === "string") v.rule("dataFrom.path", path, kvPath);
      }
    }
    v.throwIfAny();

    this.name = p.name!;
    this.namespace = ns!.name;
    this.secretName = secretName!;
    this.store = store!;
    this.refreshInterval = refreshInterval;
    this.data = [...data];
    this.dataFrom = dataFrom;
    const template = target.type !== undefined || target.labels ? { template: { ...(target.type ? { type: target.type } : {}), ...(target.labels ? { metadata: { labels: target.labels } } : {}) } } : {};
    const spec: Record<string, unknown> = {
      refreshInterval,
      secretStoreRef: { name: store!.name, kind: store!.kind },
      target: { name: secretName, creationPolicy: target.creationPolicy ?? "Owner", deletionPolicy: target.deletionPolicy ?? "Retain", ...template },
    };
    if (data.length > 0) {
      spec.data = data.map((d) => ({
        secretKey: d.secretKey,
        remoteRef: { key: d.remoteKey, ...(d.property !== undefined ? { property: d.property } : {}), ...(d.version !== undefined ? { version: d.version } : {}) },
      }));
    }
    if (dataFrom !== undefined) {
      spec.dataFrom = [{ find: { ...("path" in dataFrom ? { path: dataFrom.path } : {}), name: { regexp: ".*" } } }];
    }
    this.manifest = new Manifest(this, "manifest", {
      manifest: { apiVersion: ESO_API_VERSION, kind: "ExternalSecret", metadata: { name: p.name, namespace: ns!.name }, spec },
      dependsOn: [...ns!.dependsOn, ...(p.dependsOn ?? [])].length > 0 ? [...ns!.dependsOn, ...(p.dependsOn ?? [])] : undefined,
    });
    afterOperator(this, store!.operator);
    const mine = TerraformStack.of(this);
    const storeStack = TerraformStack.of(store!);
    if (mine === storeStack) this.manifest.dependsOn = [...(this.manifest.dependsOn ?? []), dependable(store!.manifest)];
    else if (!mine.dependencies.includes(storeStack)) mine.addDependency(storeStack);

    publishKubernetesObject(this, { kind: "external-secrets.io/ExternalSecret", namespace: ns!.name, name: p.name!, resource: this.manifest, field: "name" });
    publishFact(this, K8S_SECRET_WRITER, { namespace: ns!.name, name: secretName!, resource: this.manifest, field: "target.name", label: `ExternalSecret ${ns!.name}/${p.name} (target)` });

    // Grants and policies, once the tree is built (grants may be given after this construct).
    this.node.addValidation({
      validate: () => {
        const out: string[] = [];
        const who = store!.keyVault ? `the identity ${store!.principal?.owner.node.path ?? "(none)"} of store ${store!.name}` : `JWT role "${store!.role?.name}" of store ${store!.name}`;
        data.forEach((d, i) => {
          if (isUnresolved(d.remoteKey) || store!.canRead(d.remoteKey)) return;
          const fix = store!.keyVault ? `call keyVault.grantSecretRead(identity, { secrets: ["${d.remoteKey}"] })` : `add { mount: "${store!.mount}", path: "${d.remoteKey}" } to the role's secrets`;
          out.push(problemMessage(`data[${i}].remoteKey`, d.remoteKey, `is not readable by ${who}: the operator gets 403 and the Secret is never written; ${fix}`));
        });
        if (dataFrom !== undefined && !store!.canFind("path" in dataFrom ? dataFrom.path : undefined)) {
          const fix = store!.keyVault ? 'grant the identity the whole vault with list: keyVault.grantSecretRead(identity, { list: { reason } })' : `add { mount: "${store!.mount}", path: "${(dataFrom as { path: string }).path}" } to the role's secretPrefixes`;
          out.push(problemMessage("dataFrom", dataFrom, `cannot list every secret with ${who}: the operator's list call gets 403; ${fix}`));
        }
        return out;
      },
    });
  }
}


// What a wiring check works with: the facts of the app (one FactIndex), the placement of its
// constructs on clusters, lookups the checks share (identities by client ID, service accounts,
// pods by class and by Secret, vaults by name, JWT auths by path), and the sink the checks report
// problems and report paths to. Built once per analysis; every lookup is an index built once.
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Fact, FactIndex } from "../../core/facts";
import { AZURE_FEDERATION, AZURE_IDENTITY, AZURE_KEY_VAULT, AZURE_KEY_VAULT_GRANT, AZURE_KEY_VAULT_SECRET, FederationFact, IdentityFact, KeyVaultFact, PrincipalRef } from "../../core/facts-azure";
import { K8S_OBJECT, K8S_PODS, K8S_SERVICE_ACCOUNT, PodsFact, ServiceAccountFact } from "../../core/facts-kubernetes";
import { VAULT_JWT_AUTH, VAULT_JWT_ROLE, VAULT_SERVER, VaultJwtAuthFact, VaultJwtRoleFact } from "../../core/facts-vault";
import { isUnresolved, show } from "../../core/validation";
import { ClusterInfo, Clusters } from "./clusters";
import { WiringPath } from "./types";

/** One problem a check found. */
export interface Problem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** True when the link could not be verified (a string matching no construct): an opt-out may accept it. */
  readonly unverifiable: boolean;
  /** The id of the check that found it (see the catalog). */
  readonly checkId: string;
}

/** Appended to every unverifiable problem's rule. */
export const UNVERIFIED_FIX = "or, if it is right and managed elsewhere, record why with allowUnverifiedWiring(construct, { reason })";

/** What a check reports through: problems on constructs (tagged with the check's id). */
export interface Reporter {
  /** A link the facts prove wrong: fails synth, cannot be accepted. */
  broken(at: IConstruct, field: string, value: unknown, rule: string): void;
  /** A link the facts cannot verify (a string matching no construct): fails synth unless accepted with a reason. */
  unverifiable(at: IConstruct, field: string, value: unknown, rule: string): void;
}

/** Pods that use a class, with where to report a problem about their service account. */
export interface PodRef {
  /** The service account name. */
  readonly sa: string;
  /** The construct of that service account, when the pods were given it (its K8S_SERVICE_ACCOUNT fact). */
  readonly saConstruct?: IConstruct;
  readonly at: IConstruct;
  readonly field: string;
  /** `Deployment demo/app`, when the pods belong to a workload of the app. */
  readonly workload?: string;
}

/** A service account the app creates, found by cluster, namespace and name. */
export interface ServiceAccountEntry {
  readonly fact: ServiceAccountFact;
  /** Its construct (or resource), for messages. */
  readonly source: IConstruct;
}

/** The identity object of a principal, or any object carrying a client ID. */
export type IdentityLike = PrincipalRef | { readonly clientId: string };

/** A principal when `x` carries what grants are keyed by. */
export function asPrincipal(x: unknown): PrincipalRef | undefined {
  const p = x as Partial<PrincipalRef> | undefined;
  return p && typeof p.principalId === "string" && p.principalKind !== undefined && p.owner ? (p as PrincipalRef) : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Distinct values, in first-seen order. */
export function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** The context every check gets. */
export class WiringContext {
  readonly clusters: Clusters;
  /** Report paths added by the path builders, in order. */
  readonly paths: WiringPath[] = [];
  /** Problems by construct, in the order found. */
  readonly problems = new Map<IConstruct, Problem[]>();
  private readonly seen = new Set<string>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly facts: FactIndex) {
    this.clusters = new Clusters(facts);
  }

  /** The reporter a check writes to. */
  reporter(checkId: string): Reporter {
    return {
      broken: (at, field, value, rule) => this.add(at, { field, value, rule, unverifiable: false, checkId }),
      unverifiable: (at, field, value, rule) => this.add(at, { field, value, rule: `${rule}, ${UNVERIFIED_FIX}`, unverifiable: true, checkId }),
    };
  }

  private add(c: IConstruct, p: Problem): void {
    const key = `${c.node.path}\u0000${p.field}\u0000${show(p.value)}\u0000${p.rule}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    push(this.problems, c, p);
  }

  /** A lookup built once per analysis (checks may share their own: key them by file, e.g. `azure:mounts`). */
  once<T>(key: string, build: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, build());
    return this.memo.get(key) as T;
  }

  /** The cluster a construct is deployed to (see {@link Clusters.of}). */
  clusterOf(c: IConstruct): ClusterInfo | undefined {
    return this.clusters.of(c);
  }

  // --- identities --------------------------------------------------------------------------

  /** AZURE_IDENTITY facts by identity object. */
  private get identities(): Map<object, IdentityFact> {
    return this.once("identities", () => new Map(this.facts.all(AZURE_IDENTITY).map((f) => [f.data.identity as object, f.data])));
  }

  /** The identity fact of an identity object of the app. */
  identity(x: unknown): IdentityFact | undefined {
    return x !== null && typeof x === "object" ? this.identities.get(x) : undefined;
  }

  /** True for an identity of the app federated with service accounts (a WorkloadIdentity or the like). */
  isFederated(x: unknown): x is PrincipalRef {
    return this.identity(x)?.federated === true;
  }

  /** Client ID (literal or token) -> an identity of the app, or a principal some vault grants. */
  private get principalsByClientId(): Map<string, PrincipalRef> {
    return this.once("principalsByClientId", () => {
      const m = new Map<string, PrincipalRef>();
      for (const g of this.facts.all(AZURE_KEY_VAULT_GRANT)) if (!m.has(g.data.principal.clientId)) m.set(g.data.principal.clientId, g.data.principal);
      for (const f of this.facts.all(AZURE_IDENTITY)) m.set(f.data.identity.clientId, f.data.identity);
      return m;
    });
  }

  /** The principal of the app a client ID stands for. */
  principalByClientId(clientId: string | undefined): PrincipalRef | undefined {
    return clientId === undefined ? undefined : this.principalsByClientId.get(clientId);
  }

  /** An identity given as a construct, or as its client ID: the app's identity it stands for, else as given. */
  resolveIdentity(given: IdentityLike | undefined): IdentityLike | undefined {
    if (!given) return undefined;
    if (this.identity(given) || asPrincipal(given)) return given;
    return this.principalsByClientId.get(given.clientId) ?? given;
  }

  /** The federated credentials of an identity, in creation order. */
  federations(identity: object): readonly FederationFact[] {
    const byIdentity = this.once("federations", () => {
      const m = new Map<object, FederationFact[]>();
      for (const f of this.facts.all(AZURE_FEDERATION)) push(m, f.data.identity as object, f.data);
      return m;
    });
    return byIdentity.get(identity) ?? [];
  }

  /** An identity, for people: `WorkloadIdentity platform/x`, `CSI add-on identity of platform/aks`, `client ID ...`. */
  identityLabel(p: IdentityLike | undefined): string {
    const principal = asPrincipal(p);
    if (principal?.principalKind === "workload-identity") return `WorkloadIdentity ${principal.owner.node.path}`;
    if (principal?.principalKind === "csi-addon") return `CSI add-on identity of ${principal.owner.node.path}`;
    if (principal?.principalKind === "kubelet") return `kubelet identity of ${principal.owner.node.path}`;
    if (principal) return `identity ${principal.owner.node.path}`;
    const id = p?.clientId;
    return id === undefined ? "(no identity)" : isUnresolved(id) ? "client ID known at apply time" : `client ID ${id}`;
  }

  // --- Key Vault ---------------------------------------------------------------------------

  /** The KeyVault fact of a vault construct. */
  keyVault(vault: IConstruct): KeyVaultFact | undefined {
    return this.facts.last(vault, AZURE_KEY_VAULT);
  }

  /** The vault constructs of a name. */
  keyVaultsNamed(name: string): readonly IConstruct[] {
    const byName = this.once("vaultsByName", () => {
      const m = new Map<string, IConstruct[]>();
      for (const f of this.facts.all(AZURE_KEY_VAULT)) push(m, f.data.name, f.source);
      return m;
    });
    return byName.get(name) ?? [];
  }

  /** The secret names a vault declares, in declaration order. */
  declaredSecrets(vault: IConstruct): ReadonlySet<string> {
    const key = `declared:${vault.node.path}`;
    return this.once(key, () => new Set(this.facts.of(vault, AZURE_KEY_VAULT_SECRET).map((s) => s.name)));
  }

  /** True when the principal has a read grant on the vault covering `secretName` (access-policy grants cover the whole vault). */
  canRead(vault: IConstruct, principal: PrincipalRef, secretName: string): boolean {
    const grants = this.facts.of(vault, AZURE_KEY_VAULT_GRANT).filter((g) => g.access === "read" && g.principal.principalId === principal.principalId);
    if (grants.length === 0) return false;
    if (this.keyVault(vault)?.authorization === "accessPolicy") return true;
    return grants.some((g) => g.secrets === "*" || g.secrets.includes(secretName));
  }

  // --- service accounts and pods --------------------------------------------------------------

  /** `clusterKey|namespace|name` -> the service account the app creates there (the last one wins). */
  private get serviceAccounts(): Map<string, ServiceAccountEntry> {
    return this.once("serviceAccounts", () => {
      const m = new Map<string, ServiceAccountEntry>();
      for (const f of this.facts.all(K8S_SERVICE_ACCOUNT)) m.set(`${this.clusters.key(this.clusterOf(f.source))}|${f.data.namespace}|${f.data.name}`, { fact: f.data, source: f.source });
      return m;
    });
  }

  /** The service account of that name in that cluster (or in an unknown cluster). */
  serviceAccount(cluster: ClusterInfo | undefined, namespace: string, name: string): ServiceAccountEntry | undefined {
    return this.serviceAccounts.get(`${this.clusters.key(cluster)}|${namespace}|${name}`) ?? this.serviceAccounts.get(`?|${namespace}|${name}`);
  }

  /** Pods of workloads (not of pod helpers), with their cluster. */
  get workloadPods(): readonly { readonly fact: Fact<PodsFact>; readonly cluster?: ClusterInfo }[] {
    return this.once("workloadPods", () => this.facts.all(K8S_PODS).filter((f) => !f.data.forClass).map((f) => ({ fact: f, cluster: this.clusterOf(f.source) })));
  }

  private podsIndex(by: "class" | "secret"): Map<string, Fact<PodsFact>[]> {
    return this.once(`pods:${by}`, () => {
      const m = new Map<string, Fact<PodsFact>[]>();
      for (const { fact, cluster } of this.workloadPods) {
        const key = this.clusters.key(cluster);
        const names = by === "class" ? uniq(fact.data.classes.map((c) => c.name)) : fact.data.secretNames;
        for (const n of names) push(m, `${key}|${fact.data.namespace}|${n}`, fact);
      }
      return m;
    });
  }

  /** Workload pods in a cluster (or an unknown one) reading a Kubernetes Secret. */
  podsReadingSecret(cluster: ClusterInfo | undefined, namespace: string, secret: string): readonly Fact<PodsFact>[] {
    return this.podsIndex("secret").get(`${this.clusters.key(cluster)}|${namespace}|${secret}`) ?? [];
  }

  /** The pods of a class: its pod helpers' (first), then the workloads mounting it by name in its cluster or an unknown one. */
  podsOfClass(cls: IConstruct, namespace: string, name: string): readonly PodRef[] {
    return this.once(`podsOfClass:${cls.node.path}`, () => {
      const out: PodRef[] = [];
      for (const p of this.facts.of(cls, K8S_PODS)) {
        if (p.forClass === cls) out.push({ sa: p.serviceAccount, saConstruct: p.serviceAccountConstruct, at: cls, field: p.serviceAccountField });
      }
      const key = this.clusters.key(this.clusterOf(cls));
      const byClass = this.podsIndex("class");
      // Pods whose cluster is unknown (a workload in a stack that declares none) may be this class's too.
      const uses = [...(byClass.get(`${key}|${namespace}|${name}`) ?? []), ...(key === "?" ? [] : byClass.get(`?|${namespace}|${name}`) ?? [])];
      for (const use of uses) out.push({ sa: use.data.serviceAccount, at: use.source, field: use.data.serviceAccountField, workload: use.data.workload });
      return out;
    });
  }

  /** Classes the app creates (constructs or raw manifests), by `clusterKey|namespace|name`, `namespace|name` (any cluster) and `clusterKey|name` (their namespaces). */
  get classObjects(): { readonly byKey: ReadonlySet<string>; readonly anyCluster: ReadonlySet<string>; readonly namespaces: ReadonlyMap<string, readonly string[]> } {
    return this.once("classObjects", () => {
      const byKey = new Set<string>();
      const anyCluster = new Set<string>();
      const namespaces = new Map<string, string[]>();
      for (const f of this.facts.all(K8S_OBJECT)) {
        if (!f.data.kind.endsWith("/SecretProviderClass")) continue;
        const key = this.clusters.key(this.clusterOf(f.source));
        const ns = f.data.namespace ?? "default";
        byKey.add(`${key}|${ns}|${f.data.name}`);
        anyCluster.add(`${ns}|${f.data.name}`);
        push(namespaces, `${key}|${f.data.name}`, ns);
      }
      return { byKey, anyCluster, namespaces };
    });
  }

  // --- Vault ---------------------------------------------------------------------------------

  /** JWT auth mounts by path, in tree order. */
  jwtAuths(path: string): readonly Fact<VaultJwtAuthFact>[] {
    const byPath = this.once("jwtByPath", () => {
      const m = new Map<string, Fact<VaultJwtAuthFact>[]>();
      for (const f of this.facts.all(VAULT_JWT_AUTH)) push(m, f.data.path, f);
      return m;
    });
    return byPath.get(path) ?? [];
  }

  /** The JWT auth fact of a mount's construct. */
  jwtAuth(auth: IConstruct): VaultJwtAuthFact | undefined {
    return this.facts.last(auth, VAULT_JWT_AUTH);
  }

  /** The roles of a JWT auth mount. */
  roles(auth: IConstruct): readonly VaultJwtRoleFact[] {
    return this.facts.of(auth, VAULT_JWT_ROLE);
  }

  /** The Vault a JWT auth mount lives in, for people: `HCP Vault x (hcp/vault)`, else its stack and mount. */
  vaultStoreLabel(auth: IConstruct): string {
    const servers = this.once("vaultServers", () => new Map(this.facts.all(VAULT_SERVER).map((f) => [f.data.address, f.data.label])));
    const address = this.jwtAuth(auth)?.target().address;
    const label = address !== undefined ? servers.get(address) : undefined;
    if (label) return label;
    return `Vault (${TerraformStack.of(auth).node.path}, auth/${this.jwtAuth(auth)?.path})`;
  }
}

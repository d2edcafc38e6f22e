// Which cluster each construct is deployed to, from the facts: a declared scope (CLUSTER_SCOPE)
// above it, else a hint the construct published itself; and whether an issuer is a cluster's.
import { IConstruct } from "constructs";
import { FactIndex } from "../../core/facts";
import { CLUSTER, CLUSTER_SCOPE, ClusterByName, ClusterFact, IssuerRef } from "../../core/facts-cluster";
import { K8S_PODS, K8S_SERVICE_ACCOUNT } from "../../core/facts-kubernetes";
import { isUnresolved } from "../../core/validation";

/** A cluster as the checks see it. */
export interface ClusterInfo {
  /** Equal for two scopes deployed to the same cluster. */
  readonly key: string;
  /** For people: the cluster construct's path, `RG/NAME`, or the issuer URL. */
  readonly label: string;
  readonly issuer: IssuerRef;
  /** The cluster construct, when the app creates the cluster (the source of its CLUSTER fact). */
  readonly construct?: IConstruct;
  /** For a cluster given by name: `{ name, resourceGroupName }`. */
  readonly ref?: { readonly name: string; readonly resourceGroupName: string };
}

/** `yes`, `no`, or `unknown` when a value is known only at apply time. */
export type Tri = "yes" | "no" | "unknown";

/** Compares two strings where either may be known only at apply time. */
export function compare(a: string | undefined, b: string | undefined): Tri {
  if (a === undefined || b === undefined) return "unknown";
  if (a === b) return "yes";
  if (!isUnresolved(a) && !isUnresolved(b)) return "no";
  return "unknown";
}

function isClusterByName(x: IssuerRef): x is ClusterByName {
  const r = x as Partial<ClusterByName>;
  return typeof r.name === "string" && typeof r.resourceGroupName === "string";
}

/** The clusters of an app and the placement of its constructs. */
export class Clusters {
  private readonly byIssuer = new Map<object, { construct: IConstruct; fact: ClusterFact }>();
  private readonly treeMemo = new Map<IConstruct, ClusterInfo | undefined>();
  private readonly memo = new Map<IConstruct, ClusterInfo | undefined>();

  constructor(private readonly facts: FactIndex) {
    for (const f of facts.all(CLUSTER)) this.byIssuer.set(f.data.issuer, { construct: f.source, fact: f.data });
  }

  /** The CLUSTER fact of an issuer object that is a cluster construct of the app. */
  cluster(issuer: object): { construct: IConstruct; fact: ClusterFact } | undefined {
    return this.byIssuer.get(issuer);
  }

  /** The cluster an issuer stands for. */
  fromIssuer(issuer: IssuerRef): ClusterInfo {
    const known = this.byIssuer.get(issuer);
    if (known) return { key: `aks:${known.construct.node.path}`, label: known.construct.node.path, issuer, construct: known.construct };
    const url = issuer.oidcIssuerUrl;
    return { key: `issuer:${url}`, label: isUnresolved(url) ? "cluster (issuer known at apply time)" : url, issuer };
  }

  /** The cluster a scope itself declares. */
  private declared(c: IConstruct): ClusterInfo | undefined {
    const scope = this.facts.last(c, CLUSTER_SCOPE);
    if (!scope) return undefined;
    const declared = scope.cluster;
    if (this.byIssuer.has(declared) || !isClusterByName(declared)) return this.fromIssuer(declared);
    const ref = { name: declared.name, resourceGroupName: declared.resourceGroupName };
    const literal = !isUnresolved(ref.name) && !isUnresolved(ref.resourceGroupName);
    return { key: literal ? `ref:${ref.resourceGroupName}/${ref.name}` : `scope:${c.node.path}`, label: literal ? `${ref.resourceGroupName}/${ref.name}` : c.node.path, issuer: declared, ref };
  }

  /** The cluster of the nearest scope above `c` (or `c` itself) that declares one. */
  ofScope(c: IConstruct): ClusterInfo | undefined {
    if (this.treeMemo.has(c)) return this.treeMemo.get(c);
    const result = this.declared(c) ?? (c.node.scope ? this.ofScope(c.node.scope) : undefined);
    this.treeMemo.set(c, result);
    return result;
  }

  /**
   * The cluster `c` is deployed to: its scope's, else what `c` says itself (the `cluster` of a
   * service account it publishes; for a class, that of the service account its pod helpers run as).
   */
  of(c: IConstruct): ClusterInfo | undefined {
    if (this.memo.has(c)) return this.memo.get(c);
    let result = this.ofScope(c);
    if (!result) {
      const hint = this.facts.of(c, K8S_SERVICE_ACCOUNT).find((s) => s.cluster)?.cluster;
      if (hint) result = this.fromIssuer(hint);
    }
    if (!result) {
      for (const pods of this.facts.of(c, K8S_PODS)) {
        if (pods.forClass !== c || !pods.serviceAccountConstruct) continue;
        const hint = this.facts.of(pods.serviceAccountConstruct, K8S_SERVICE_ACCOUNT).find((s) => s.cluster)?.cluster;
        if (hint) {
          result = this.fromIssuer(hint);
          break;
        }
      }
    }
    this.memo.set(c, result);
    return result;
  }

  /** The key objects of one cluster share; `?` when the cluster is unknown. */
  key(c: ClusterInfo | undefined): string {
    return c?.key ?? "?";
  }

  /** Whether something issued for `issuer` (a federated credential, a JWT auth) is for `cluster`'s issuer. */
  sameIssuer(issuer: IssuerRef, issuerUrl: string, cluster: ClusterInfo): Tri {
    if (issuer === cluster.issuer || (cluster.construct && issuer === (cluster.construct as unknown))) return "yes";
    if (issuerUrl === cluster.issuer.oidcIssuerUrl) return "yes";
    const known = this.byIssuer.get(issuer);
    if (known) {
      if (cluster.construct) return "no"; // two different cluster constructs
      const { name, resourceGroupName } = known.fact;
      if (cluster.ref && !isUnresolved(name) && !isUnresolved(cluster.ref.name)) {
        if (name !== cluster.ref.name) return "no";
        if (!isUnresolved(resourceGroupName) && !isUnresolved(cluster.ref.resourceGroupName)) return resourceGroupName === cluster.ref.resourceGroupName ? "yes" : "no";
      }
    }
    if (!isUnresolved(issuerUrl) && !isUnresolved(cluster.issuer.oidcIssuerUrl)) return "no";
    return "unknown";
  }

  /** An issuer, for people: `cluster platform/aks`, `issuer https://...`. */
  issuerLabel(issuer: IssuerRef, url: string): string {
    const known = this.byIssuer.get(issuer);
    if (known) return `cluster ${known.construct.node.path}`;
    return isUnresolved(url) ? "an issuer known at apply time" : `issuer ${url}`;
  }
}

// Facts about clusters, and where in-cluster constructs are deployed (see facts.ts).
import { IConstruct } from "constructs";
import { defineFact, publishFact } from "./facts";

/** Anything that issues service account tokens: a cluster construct, or an issuer URL (the shape of `IOidcIssuer`). */
export interface IssuerRef {
  readonly oidcIssuerUrl: string;
}

/**
 * A cluster known by name and resource group (an existing cluster, read with a data source) with
 * its issuer: what a `ClusterStack` given `{ name, resourceGroupName }` declares. Two scopes that
 * name the same literal cluster are the same cluster, and it is the same as an `AksCluster`
 * of that name and resource group.
 */
export interface ClusterByName extends IssuerRef {
  readonly name: string;
  readonly resourceGroupName: string;
}

/** A Kubernetes cluster the app creates. Source: the cluster construct, which is also its issuer. */
export interface ClusterFact {
  /** The object other constructs are given as this cluster's issuer (the cluster construct itself). */
  readonly issuer: IssuerRef;
  /** The cluster's name (a literal, or a token). */
  readonly name: string;
  readonly resourceGroupName: string;
}
export const CLUSTER = defineFact<ClusterFact>("cluster", "a Kubernetes cluster of the app: its OIDC issuer, name and resource group");

/** The in-cluster constructs under the source scope are deployed to `cluster`. Source: the scope. */
export interface ClusterScopeFact {
  /** A cluster construct, a cluster by name ({@link ClusterByName}) or any issuer. */
  readonly cluster: IssuerRef;
}
export const CLUSTER_SCOPE = defineFact<ClusterScopeFact>("cluster.scope", "the in-cluster constructs under this scope are deployed to this cluster (the nearest declared scope wins)");

/**
 * Declares that the in-cluster constructs under `scope` are deployed to `cluster`: an
 * `AksCluster`, a cluster by name ({@link ClusterByName}), or any OIDC issuer. A
 * `ClusterStack` declares its cluster itself (and a `KeyVaultWorkloadBinding` stands for its
 * cluster for its cluster side); use this for other scopes (a stack of your own with a
 * kubernetes provider). The nearest declared scope above a construct wins; declaring a scope
 * again replaces its cluster.
 */
export function declareClusterScope(scope: IConstruct, cluster: IssuerRef | ClusterByName): void {
  publishFact(scope, CLUSTER_SCOPE, { cluster });
}

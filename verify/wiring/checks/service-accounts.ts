// Service accounts that stand for an Azure identity: the identity is one of the app's, and it
// trusts the service account on the issuer of the cluster the service account is deployed to.
// Also the shared federation and annotation checks the Key Vault class checks use for pods.
import { IConstruct } from "constructs";
import { SELF_CHECKED } from "../../../core/facts";
import { PrincipalRef } from "../../../core/facts-azure";
import { K8S_SERVICE_ACCOUNT, serviceAccountSubject, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from "../../../core/facts-kubernetes";
import { isUnresolved } from "../../../core/validation";
import { ClusterInfo } from "../clusters";
import { Reporter, WiringContext } from "../context";
import { registerWiringCheck, WiringCheck } from "../registry";

/**
 * Checks that `identity` has a federated credential for NAMESPACE/NAME on the cluster's issuer.
 * Reports on `at`/`field`; `who` names the service account's user for the message.
 */
export function checkFederation(ctx: WiringContext, report: Reporter, identity: PrincipalRef, cluster: ClusterInfo | undefined, namespace: string, name: string, at: IConstruct, field: string, value: unknown, who: string): void {
  const subject = serviceAccountSubject(namespace, name);
  const all = ctx.federations(identity);
  const creds = all.filter((c) => c.subject === subject);
  const path = identity.owner.node.path;
  if (creds.length === 0) {
    const trusted = all.map((c) => c.subject);
    const sameName = all.find((c) => c.serviceAccountName === name);
    report.broken(
      at,
      field,
      value,
      `${who} runs as ${subject}, but WorkloadIdentity ${path} has no federated credential for that subject (it trusts: ${trusted.join(", ") || "nothing"})${sameName ? `; the credential for namespace "${sameName.namespace}" does not cover namespace "${namespace}"` : ""}: the token exchange fails with AADSTS700213 ("No matching federated identity record"). Call identity.addServiceAccount({ namespace: "${namespace}", name: "${name}", issuer: cluster }) or bind with KeyVaultWorkloadBinding`,
    );
    return;
  }
  if (!cluster) return;
  const verdicts = creds.map((c) => ({ c, v: ctx.clusters.sameIssuer(c.issuer, c.issuerUrl, cluster) }));
  if (verdicts.some((x) => x.v === "yes")) return;
  const unknown = verdicts.find((x) => x.v === "unknown");
  if (unknown) {
    if (!isUnresolved(unknown.c.issuerUrl) || !isUnresolved(cluster.issuer.oidcIssuerUrl)) {
      report.unverifiable(
        at,
        field,
        value,
        `${who} is deployed to cluster ${cluster.label}; the federated credential "${unknown.c.name}" of WorkloadIdentity ${path} trusts ${subject} from ${ctx.clusters.issuerLabel(unknown.c.issuer, unknown.c.issuerUrl)}, which cannot be compared with that cluster's issuer: pass the AksCluster as the credential's issuer`,
      );
    }
    return;
  }
  const c = verdicts[0].c;
  report.broken(
    at,
    field,
    value,
    `${who} is deployed to cluster ${cluster.label}, but WorkloadIdentity ${path} trusts ${subject} only from ${ctx.clusters.issuerLabel(c.issuer, c.issuerUrl)} (credential "${c.name}"): tokens of this cluster carry another issuer and the exchange fails with AADSTS700213. Call identity.addServiceAccount({ namespace: "${namespace}", name: "${name}", issuer: <the cluster the pods run in> })`,
  );
}

/** Checks the client-ID annotation of the service account pods run as against the identity a class logs in as. */
export function checkAnnotation(ctx: WiringContext, report: Reporter, identity: PrincipalRef, cluster: ClusterInfo | undefined, namespace: string, name: string, at: IConstruct, field: string, value: string, classLabel: string): void {
  const entry = ctx.serviceAccount(cluster, namespace, name);
  const path = identity.owner.node.path;
  if (!entry) {
    report.unverifiable(
      at,
      field,
      value,
      `service account ${namespace}/${name} is not created by this app, so its ${WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION} annotation cannot be checked against the identity SecretProviderClass ${classLabel} logs in as (${path}): create it with WorkloadServiceAccount({ identity }) or KeyVaultWorkloadBinding`,
    );
    return;
  }
  const ann = entry.fact.clientIdAnnotation;
  const where = entry.source.node.path;
  if (ann === identity.clientId) return;
  if (ann === undefined) {
    report.broken(at, field, value, `the service account ${namespace}/${name} (${where}) has no ${WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION} annotation, but SecretProviderClass ${classLabel} logs in as ${path}: create it with WorkloadServiceAccount({ identity })`);
    return;
  }
  const named = ctx.principalByClientId(ann);
  if (named) {
    report.broken(
      at,
      field,
      value,
      `the service account ${namespace}/${name} (${where}) is annotated with the client ID of ${ctx.identityLabel(named)}, but SecretProviderClass ${classLabel} logs in as ${path}: pods would get one identity from the webhook and mount with another. Use the same WorkloadIdentity for both`,
    );
    return;
  }
  if (!isUnresolved(ann)) {
    report.unverifiable(at, field, value, `the service account ${namespace}/${name} (${where}) is annotated with the literal client ID ${ann}, which cannot be matched with ${path} (the identity SecretProviderClass ${classLabel} logs in as): annotate it with identity.clientId (WorkloadServiceAccount({ identity }))`);
  }
}

/** The service accounts that stand for an identity (a WorkloadServiceAccount, or any construct publishing one). */
function identityServiceAccounts(ctx: WiringContext) {
  return ctx.facts.all(K8S_SERVICE_ACCOUNT).filter((f) => f.data.identity !== undefined);
}

export const SERVICE_ACCOUNT_IDENTITY: WiringCheck = {
  id: "AKSW-SA1",
  title: "A service account's identity is an identity of the app",
  consequence: 'a client ID copied from another identity fails at runtime with "Identity not found" or AADSTS700213',
  fix: "pass the WorkloadIdentity construct as the service account's identity",
  run(ctx, report) {
    for (const { source, data: sa } of identityServiceAccounts(ctx)) {
      if (ctx.isFederated(ctx.resolveIdentity(sa.identity))) continue;
      report.unverifiable(
        source,
        "identity.clientId",
        sa.identity!.clientId,
        `is not the client ID of a WorkloadIdentity of this app, so which identity the service account's ${WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION} annotation names, and whether that identity trusts ${sa.namespace}/${sa.name}, cannot be checked (a client ID copied from another identity fails at runtime with "Identity not found" or AADSTS700213): pass the WorkloadIdentity construct as identity`,
      );
    }
  },
};

const SERVICE_ACCOUNT_FEDERATION_ID = "AKSW-SA2";

export const SERVICE_ACCOUNT_FEDERATION: WiringCheck = {
  id: SERVICE_ACCOUNT_FEDERATION_ID,
  title: "A service account's identity trusts it on its cluster's issuer",
  consequence: 'the token exchange fails with AADSTS700213 ("No matching federated identity record")',
  fix: "identity.addServiceAccount({ namespace, name, issuer: cluster }), or bind with KeyVaultWorkloadBinding",
  run(ctx, report) {
    for (const { source, data: sa } of identityServiceAccounts(ctx)) {
      const identity = ctx.resolveIdentity(sa.identity);
      if (!ctx.isFederated(identity)) continue;
      const cluster = ctx.clusterOf(source);
      const who = `service account ${sa.namespace}/${sa.name}`;
      // A construct that checks its federation itself (WorkloadServiceAccount given the identity
      // construct) reports a missing subject, and the issuer when it was given its cluster.
      const selfChecked = identity === sa.identity && ctx.facts.of(source, SELF_CHECKED).some((x) => x.checkId === SERVICE_ACCOUNT_FEDERATION_ID);
      if (!selfChecked) {
        checkFederation(ctx, report, identity, cluster, sa.namespace, sa.name, source, identity === sa.identity ? "identity" : "identity.clientId", identity.owner.node.path, who);
        continue;
      }
      const subject = serviceAccountSubject(sa.namespace, sa.name);
      if (sa.cluster || !cluster || !ctx.federations(identity).some((c) => c.subject === subject)) continue;
      checkFederation(ctx, report, identity, cluster, sa.namespace, sa.name, source, "identity", identity.owner.node.path, who);
    }
  },
};

registerWiringCheck(SERVICE_ACCOUNT_IDENTITY, SERVICE_ACCOUNT_FEDERATION);

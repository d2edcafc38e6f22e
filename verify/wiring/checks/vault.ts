// HashiCorp Vault: classes of the Vault CSI provider, the Vault Secrets Operator's VaultAuths
// (built by the library or written by hand) and the JWT auth mounts and roles they log in to:
// the mount is the app's, the role exists and binds the pods' service account and audience, the
// login reaches the Vault and namespace of the mount from the cluster it trusts, the policy reads
// every mounted path.
import { IConstruct } from "constructs";
import { Fact } from "../../../core/facts";
import { CSI_CLASS, CsiClassFact, serviceAccountSubject } from "../../../core/facts-kubernetes";
import { VAULT_CSI_MOUNT, VaultCsiMountFact, VaultJwtAuthFact, VaultJwtRoleFact, VSO_AUTH } from "../../../core/facts-vault";
import { isUnresolved } from "../../../core/validation";
import { ClusterInfo, compare } from "../clusters";
import { PodRef, Reporter, WiringContext } from "../context";
import { registerWiringCheck, WiringCheck } from "../registry";
import { isPlain, RAW_VAULT_AUTH } from "../resources";

/** A Vault CSI class and what the checks resolve about it once. */
export interface VaultClass {
  readonly construct: IConstruct;
  readonly cls: CsiClassFact;
  readonly mount: VaultCsiMountFact;
  readonly cluster?: ClusterInfo;
  readonly pods: readonly PodRef[];
  /** The JWT auth mount at the class's path (of the class's Vault when several), if the app has one. */
  readonly auth?: { readonly construct: IConstruct; readonly fact: VaultJwtAuthFact };
  readonly role?: VaultJwtRoleFact;
}

function role(ctx: WiringContext, auth: IConstruct, name: unknown): VaultJwtRoleFact | undefined {
  return typeof name === "string" ? ctx.roles(auth).find((r) => r.name === name) : undefined;
}

function roleNames(ctx: WiringContext, auth: IConstruct): string {
  return ctx.roles(auth).map((r) => r.name).join(", ") || "none";
}

/** The Vault CSI classes of the app, resolved once per analysis. */
export function vaultClasses(ctx: WiringContext): readonly VaultClass[] {
  return ctx.once("vault:classes", () =>
    ctx.facts.all(VAULT_CSI_MOUNT).flatMap((f: Fact<VaultCsiMountFact>) => {
      const cls = ctx.facts.last(f.source, CSI_CLASS);
      if (!cls) return [];
      const m = f.data;
      let auths = ctx.jwtAuths(m.authMount);
      if (auths.length > 1) {
        const byAddress = auths.filter((a) => compare(a.data.target().address, m.vaultAddress) === "yes");
        if (byAddress.length > 0) auths = byAddress;
      }
      const auth = auths[0] ? { construct: auths[0].source, fact: auths[0].data } : undefined;
      return [{ construct: f.source, cls, mount: m, cluster: ctx.clusterOf(f.source), pods: ctx.podsOfClass(f.source, cls.namespace, cls.name), auth, role: auth ? role(ctx, auth.construct, m.roleName) : undefined }];
    }),
  );
}

/** Hand-written VaultAuth manifests whose mount is a JWT auth of the app. */
function rawVaultAuths(ctx: WiringContext) {
  return ctx.once("vault:raw-auths", () =>
    ctx.facts.all(RAW_VAULT_AUTH).flatMap((f) => {
      const m = f.data.manifest;
      const spec = isPlain(m.spec) ? m.spec : {};
      const mount = spec.mount;
      if (typeof mount !== "string" || isUnresolved(mount)) return [];
      const jwt = isPlain(spec.jwt) ? spec.jwt : isPlain(spec.kubernetes) ? spec.kubernetes : {};
      const methodKey = isPlain(spec.jwt) ? "jwt" : "kubernetes";
      const namespace = m.metadata?.namespace ?? "default";
      const found = ctx.jwtAuths(mount)[0];
      return [{ at: f.source, spec, mount, jwt, methodKey, namespace, auth: found ? { construct: found.source, fact: found.data } : undefined }];
    }),
  );
}

export const VAULT_AUTH_KNOWN: WiringCheck = {
  id: "AKSW-VLT1",
  title: "A Vault login names a JWT auth mount of the app",
  consequence: "the role, its bound service account and audiences cannot be checked: a wrong mount answers permission denied",
  fix: "configure the auth with VaultJwtAuth and use its path (build VaultAuths with VsoVaultAuth)",
  run(ctx, report) {
    for (const c of vaultClasses(ctx)) {
      if (!c.auth) report.unverifiable(c.construct, "provider.vaultAuthMountPath", c.mount.authMount, `is not the path of a VaultJwtAuth of this app, so the role, its bound service account and audiences cannot be checked: configure the auth with VaultJwtAuth and use its path`);
    }
    for (const r of rawVaultAuths(ctx)) {
      if (!r.auth) report.unverifiable(r.at, "manifest.spec.mount", r.mount, "is not the path of a VaultJwtAuth of this app, so the role, service account and audiences cannot be checked: configure the auth with VaultJwtAuth and build the VaultAuth with VsoVaultAuth");
    }
  },
};

export const VAULT_AUTH_METHOD: WiringCheck = {
  id: "AKSW-VLT2",
  title: "A hand-written VaultAuth uses the JWT method of its mount",
  consequence: "the operator logs in with another method than the mount's: permission denied",
  fix: 'use method "jwt"; build the VaultAuth with VsoVaultAuth',
  run(ctx, report) {
    for (const r of rawVaultAuths(ctx)) {
      if (r.auth && r.spec.method !== "jwt") report.broken(r.at, "manifest.spec.method", r.spec.method, `auth/${r.mount} (${r.auth.construct.node.path}) is a JWT auth method: the VaultAuth must use method "jwt". Build it with VsoVaultAuth`);
    }
  },
};

export const VAULT_ROLE_EXISTS: WiringCheck = {
  id: "AKSW-VLT3",
  title: "The role logged in with exists in the mount",
  consequence: 'Vault answers "role not found" / permission denied',
  fix: "use a role of the mount (VaultJwtAuth.addRole); build VaultAuths with VsoVaultAuth({ role })",
  run(ctx, report) {
    for (const c of vaultClasses(ctx)) {
      if (c.auth && !c.role) report.broken(c.construct, "provider.roleName", c.mount.roleName, `is not a role of auth/${c.mount.authMount} (${c.auth.construct.node.path}; roles: ${roleNames(ctx, c.auth.construct)}): Vault answers "role not found" / permission denied`);
    }
    for (const r of rawVaultAuths(ctx)) {
      if (r.auth && !role(ctx, r.auth.construct, r.jwt.role)) {
        report.broken(r.at, `manifest.spec.${r.methodKey}.role`, r.jwt.role, `is not a role of auth/${r.mount} (${r.auth.construct.node.path}; roles: ${roleNames(ctx, r.auth.construct)}): Vault answers "permission denied". Build the VaultAuth with VsoVaultAuth({ role })`);
      }
    }
  },
};

export const VAULT_AUDIENCE: WiringCheck = {
  id: "AKSW-VLT4",
  title: "The token's audience is bound by the role",
  consequence: 'Vault refuses the token with "permission denied" (invalid audience)',
  fix: "request one of the role's audiences (provider.audience; VsoVaultAuth takes the role's)",
  run(ctx, report) {
    for (const c of vaultClasses(ctx)) {
      if (!c.role) continue;
      const { audience } = c.mount;
      if (audience === undefined) {
        report.broken(c.construct, "provider.audience", undefined, `is not set: the vault CSI provider then requests a token with the API server's default audience, which JWT role "${c.role.name}" does not bind (bound: ${c.role.audiences.join(", ")}); Vault refuses it with "permission denied" (invalid audience). Set provider.audience to one of the role's audiences`);
      } else if (!c.role.audiences.includes(audience)) {
        report.broken(c.construct, "provider.audience", audience, `is not bound by JWT role "${c.role.name}" of auth/${c.mount.authMount} (bound: ${c.role.audiences.join(", ")}): Vault refuses the token with "permission denied" (invalid audience). Use one of the role's audiences`);
      }
    }
    for (const r of rawVaultAuths(ctx)) {
      const rl = r.auth && role(ctx, r.auth.construct, r.jwt.role);
      if (!rl) continue;
      const audiences: unknown[] = Array.isArray(r.jwt.audiences) ? r.jwt.audiences : [];
      if (audiences.length === 0) {
        report.broken(r.at, `manifest.spec.${r.methodKey}.audiences`, audiences, `is empty: the operator then requests the API server's default audience, which JWT role "${rl.name}" does not bind (bound: ${rl.audiences.join(", ")}): Vault refuses it ("permission denied", invalid audience)`);
      }
      audiences.forEach((a, i) => {
        if (typeof a === "string" && !isUnresolved(a) && !rl.audiences.includes(a)) {
          report.broken(r.at, `manifest.spec.${r.methodKey}.audiences[${i}]`, a, `is not bound by JWT role "${rl.name}" of auth/${r.mount} (bound: ${rl.audiences.join(", ")}): Vault refuses the token ("permission denied", invalid audience). Build the VaultAuth with VsoVaultAuth({ role }) so they agree`);
        }
      });
    }
  },
};

export const VAULT_SUBJECT: WiringCheck = {
  id: "AKSW-VLT5",
  title: "The role binds the service account that logs in",
  consequence: 'Vault refuses the login ("permission denied", sub claim does not match)',
  fix: "run the pods as the role's service account, or add a role for theirs; build VaultAuths with VsoVaultAuth({ role })",
  run(ctx, report) {
    for (const c of vaultClasses(ctx)) {
      const rl = c.role;
      if (!rl) continue;
      const ns = c.cls.namespace;
      if (c.pods.length === 0 && rl.namespace !== ns) {
        report.broken(c.construct, "provider.roleName", c.mount.roleName, `JWT role "${rl.name}" binds ${rl.subject}, but pods mounting this class run in namespace "${ns}": Vault refuses their tokens ("permission denied", sub claim does not match). Use the role of a service account in "${ns}"`);
      }
      for (const pod of c.pods) {
        if (rl.namespace === ns && rl.serviceAccountName === pod.sa) continue;
        report.broken(
          pod.at,
          pod.field,
          pod.at === c.construct ? `${ns}/${pod.sa}` : pod.sa,
          `${pod.workload ? `${pod.workload}, mounting SecretProviderClass ${ns}/${c.cls.name}, runs` : `the pods of SecretProviderClass ${ns}/${c.cls.name} run`} as ${serviceAccountSubject(ns, pod.sa)}, but JWT role "${rl.name}" of auth/${c.mount.authMount} binds ${rl.subject}: Vault refuses the login ("permission denied"). Run the pods as ${rl.namespace}/${rl.serviceAccountName}, or add a role for this service account`,
        );
      }
    }
    for (const r of rawVaultAuths(ctx)) {
      const rl = r.auth && role(ctx, r.auth.construct, r.jwt.role);
      if (!rl) continue;
      const sa = r.jwt.serviceAccount ?? "default";
      if (rl.namespace !== r.namespace || rl.serviceAccountName !== sa) {
        report.broken(r.at, `manifest.spec.${r.methodKey}.serviceAccount`, sa, `the operator presents a token of ${serviceAccountSubject(r.namespace, sa)}, but JWT role "${rl.name}" of auth/${r.mount} binds ${rl.subject}: Vault refuses it ("permission denied"). Build the VaultAuth with VsoVaultAuth({ role }) so they agree`);
      }
    }
  },
};

export const VAULT_POLICY_PATHS: WiringCheck = {
  id: "AKSW-VLT6",
  title: "The role's policy reads every mounted path",
  consequence: 'Vault answers 403 "permission denied"',
  fix: "add the secret to the role's secrets, or fix the path (KV v2 reads go to MOUNT/data/PATH)",
  run(ctx, report) {
    for (const c of vaultClasses(ctx)) {
      const rl = c.role;
      if (!rl) continue;
      c.mount.objects.forEach((o, i) => {
        if (isUnresolved(o.secretPath) || rl.readPaths.includes(o.secretPath)) return;
        report.broken(c.construct, `provider.objects[${i}].secretPath`, o.secretPath, `is not readable by JWT role "${rl.name}" (policy ${rl.policyName} reads ${rl.readPaths.join(", ")}): Vault answers 403 "permission denied". Add the secret to the role's secrets, or fix the path (KV v2 reads go to MOUNT/data/PATH)`);
      });
    }
  },
};

/** Checks that a login to `auth` happens from the cluster it trusts, at the Vault and namespace it lives in. */
function checkAuthTarget(
  ctx: WiringContext,
  report: Reporter,
  at: IConstruct,
  auth: { readonly construct: IConstruct; readonly fact: VaultJwtAuthFact },
  cluster: ClusterInfo | undefined,
  o: { address?: string; addressField: string; namespace?: string; namespaceField: string; mountField: string; roleValue?: string },
): void {
  const { fact } = auth;
  const where = `auth/${fact.path} (${auth.construct.node.path})`;
  if (cluster) {
    const same = ctx.clusters.sameIssuer(fact.issuer, fact.issuerUrl, cluster);
    if (same === "no") {
      report.broken(
        at,
        o.mountField,
        o.roleValue ?? fact.path,
        `${where} trusts service account tokens of ${ctx.clusters.issuerLabel(fact.issuer, fact.issuerUrl)}, but this is deployed to cluster ${cluster.label}: Vault refuses its tokens ("permission denied", issuer mismatch). Use the JWT auth configured with this cluster as issuer (one mount per cluster)`,
      );
    } else if (same === "unknown" && (!isUnresolved(fact.issuerUrl) || !isUnresolved(cluster.issuer.oidcIssuerUrl))) {
      report.unverifiable(at, o.mountField, o.roleValue ?? fact.path, `${where} trusts ${ctx.clusters.issuerLabel(fact.issuer, fact.issuerUrl)}, which cannot be compared with the issuer of cluster ${cluster.label}: configure VaultJwtAuth with the AksCluster as issuer`);
    }
  }
  const target = fact.target();
  const addr = compare(o.address, target.address);
  if (addr === "no") {
    report.broken(at, o.addressField, o.address, `is not the Vault that holds auth/${fact.path} (${auth.construct.node.path}, configured through ${target.address}): the login goes to a Vault without this role. Use the HCP Vault cluster's privateEndpointUrl`);
  } else if (addr === "unknown" && o.address !== undefined && !isUnresolved(o.address)) {
    report.unverifiable(at, o.addressField, o.address, `cannot be compared with the address of the Vault that holds ${where}, known only at apply time: use the HcpVaultCluster's privateEndpointUrl`);
  }
  if (compare(o.namespace, target.namespace) === "no") {
    report.broken(at, o.namespaceField, o.namespace, `${where} lives in Vault namespace "${target.namespace || "(root)"}", but the login goes to namespace "${o.namespace || "(root)"}": Vault answers "permission denied". Log in to the namespace of the auth mount (HCP Vault: admin)`);
  }
}

export const VAULT_LOGIN_TARGET: WiringCheck = {
  id: "AKSW-VLT7",
  title: "The login reaches the mount's Vault and namespace, from the cluster it trusts",
  consequence: 'Vault refuses the login ("permission denied": issuer mismatch, or a Vault / namespace without this role)',
  fix: "use the JWT auth configured with this cluster as issuer, the HCP Vault cluster's privateEndpointUrl and the mount's namespace",
  run(ctx, report) {
    for (const c of vaultClasses(ctx)) {
      if (!c.auth) continue;
      checkAuthTarget(ctx, report, c.construct, c.auth, c.cluster, { address: c.mount.vaultAddress, addressField: "provider.vaultAddress", namespace: c.mount.vaultNamespace, namespaceField: "provider.vaultNamespace", mountField: "provider.vaultAuthMountPath" });
    }
    for (const f of ctx.facts.all(VSO_AUTH)) {
      const a = f.data;
      const fact = ctx.jwtAuth(a.auth);
      if (!fact) continue;
      checkAuthTarget(ctx, report, f.source, { construct: a.auth, fact }, ctx.clusterOf(f.source), { address: a.connectionAddress, addressField: "connection.address", namespace: a.vaultNamespace, namespaceField: "vaultNamespace", mountField: "role", roleValue: a.role });
    }
    for (const r of rawVaultAuths(ctx)) {
      if (!r.auth || !role(ctx, r.auth.construct, r.jwt.role)) continue;
      checkAuthTarget(ctx, report, r.at, r.auth, ctx.clusterOf(r.at), { namespace: typeof r.spec.namespace === "string" ? r.spec.namespace : undefined, namespaceField: "manifest.spec.namespace", addressField: "manifest.spec.vaultConnectionRef", mountField: "manifest.spec.mount" });
    }
  },
};

export const VAULT_AUTH_SERVICE_ACCOUNT: WiringCheck = {
  id: "AKSW-VSO1",
  title: "A VaultAuth's service account exists",
  consequence: 'the operator fails with "serviceaccounts not found"',
  fix: "set createServiceAccount, or create the service account in this app",
  run(ctx, report) {
    for (const f of ctx.facts.all(VSO_AUTH)) {
      const a = f.data;
      if (a.createsServiceAccount || ctx.serviceAccount(ctx.clusterOf(f.source), a.namespace, a.serviceAccount)) continue;
      report.unverifiable(
        f.source,
        "serviceAccount",
        a.serviceAccount,
        `service account ${a.namespace}/${a.serviceAccount} is not created by this app, so whether it exists in the cluster cannot be checked (the operator then fails with "serviceaccounts not found"): set createServiceAccount, or create it in this app`,
      );
    }
  },
};

registerWiringCheck(VAULT_AUTH_KNOWN, VAULT_ROLE_EXISTS, VAULT_LOGIN_TARGET, VAULT_AUDIENCE, VAULT_SUBJECT, VAULT_POLICY_PATHS, VAULT_AUTH_SERVICE_ACCOUNT, VAULT_AUTH_METHOD);

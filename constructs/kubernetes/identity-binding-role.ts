import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { AksIdentityBinding, IDENTITY_BINDING_API_GROUP, IDENTITY_BINDING_VERB, useIdentityRoleName } from "../azure/aks-identity-binding";
import { problemMessage, Rules, Validator } from "../../core/validation";
import type { WorkloadIdentity } from "../azure/workload-identity";
import { checkProps } from "../../core/props";

/** A service account authorized to use an identity through its identity binding. */
export interface BoundServiceAccount {
  readonly namespace: string;
  readonly name: string;
}

export interface IdentityBindingClusterRoleProps {
  /** The identity binding (its identity's client ID is the RBAC resource the role grants). */
  readonly binding: AksIdentityBinding;
  /** Name of the ClusterRole and its ClusterRoleBinding. @default `use-mi-CLIENT_ID` (as the AKS docs name it) */
  readonly name?: string;
  /** Service accounts allowed from the start; more with {@link IdentityBindingClusterRole.addServiceAccount}, or by a WorkloadServiceAccount given `identityBinding`. @default none */
  readonly serviceAccounts?: readonly BoundServiceAccount[];
}

/** One role per binding: the same ClusterRole name twice in a cluster would collide at apply. */
const ROLES = new WeakMap<AksIdentityBinding, IdentityBindingClusterRole>();

/**
 * The Kubernetes side of an {@link AksIdentityBinding}: a ClusterRole with the one rule AKS checks
 * (verb `use-managed-identity` on API group `cid.wi.aks.azure.com`, resource = the identity's
 * client ID) and a ClusterRoleBinding to the service accounts that may use the identity. Put it
 * in the cluster's stack. One ClusterRoleBinding carries every service account, so the cost does
 * not grow with a credential per service account.
 *
 * Synth fails when no service account is bound (Kubernetes refuses a binding without subjects).
 */
export class IdentityBindingClusterRole extends Construct {
  /** Address stays `kubernetes_cluster_role_v1.<id>_role`. */
  public readonly role: ClusterRoleV1;
  /** Address stays `kubernetes_cluster_role_binding_v1.<id>_role-binding`. */
  public readonly roleBinding: ClusterRoleBindingV1;
  public readonly binding: AksIdentityBinding;
  public readonly identity: WorkloadIdentity;
  /** Name of the ClusterRole (and of its binding). */
  public readonly name: string;
  private readonly subjects: BoundServiceAccount[] = [];

  constructor(scope: Construct, id: string, props: IdentityBindingClusterRoleProps) {
    super(scope, id);
    checkProps(this, "IdentityBindingClusterRole", props);
    const binding = props?.binding as AksIdentityBinding | undefined;
    const v = new Validator(this).check(binding instanceof AksIdentityBinding, "binding", binding === undefined ? undefined : typeof binding, "is required: the AksIdentityBinding whose identity the service accounts may use");
    v.throwIfAny();
    const other = ROLES.get(binding!);
    if (other) v.fail("binding", binding!.node.path, `already has its cluster role ${other.node.path}: add the service accounts there (one ClusterRole per identity and cluster)`);
    const name = props.name ?? useIdentityRoleName(binding!.clientId);
    v.rule("name", name, Rules.dns1123Subdomain).throwIfAny();
    ROLES.set(binding!, this);

    this.binding = binding!;
    this.identity = binding!.identity;
    this.name = name;
    this.role = new ClusterRoleV1(this, "role", {
      metadata: { name, labels: { "app.kubernetes.io/managed-by": "terraform" } },
      rule: [{ apiGroups: [IDENTITY_BINDING_API_GROUP], resources: [binding!.clientId], verbs: [IDENTITY_BINDING_VERB] }],
    });
    this.roleBinding = new ClusterRoleBindingV1(this, "role-binding", {
      metadata: { name, labels: { "app.kubernetes.io/managed-by": "terraform" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: this.role.metadata.name },
      subject: Lazy.anyValue({ produce: () => this.subjects.map((s) => ({ kind: "ServiceAccount", name: s.name, namespace: s.namespace})) }) as any,
    });
    (props.serviceAccounts ?? []).forEach((sa, i) => this.addServiceAccount(sa, `serviceAccounts[${i}]`));
    this.node.addValidation({
      validate: () =>
        this.subjects.length > 0
          ? []
          : [problemMessage("serviceAccounts", [], `no service account is authorized to use ${binding!.node.path}'s identity: Kubernetes refuses a ClusterRoleBinding without subjects; add one (addServiceAccount, or a WorkloadServiceAccount with identityBinding)`)],
    });
  }

  /** The service accounts authorized so far. */
  get serviceAccounts(): readonly BoundServiceAccount[] {
    return [...this.subjects];
  }

  /** Authorizes a service account to use the identity (once; a second call for the same one is a no-op). */
  addServiceAccount(sa: BoundServiceAccount, field = "addServiceAccount"): void {
    const ns = sa?.namespace;
    const name = sa?.name;
    new Validator(this)
      .check(typeof ns === "string" && typeof name === "string", field, sa, "must be a service account { namespace, name } (or a WorkloadServiceAccount)")
      .rule(`${field}.namespace`, typeof ns === "string" ? ns : undefined, Rules.dns1123Label)
      .rule(`${field}.name`, typeof name === "string" ? name : undefined, Rules.dns1123Subdomain)
      .throwIfAny();
    if (!this.covers(ns, name)) this.subjects.push({ namespace: ns, name });
  }

  /** True when the role authorizes this service account. */
  covers(namespace: string, name: string): boolean {
    return this.subjects.some((s) => s.namespace === namespace && s.name === name);
  }

  /** The role of a binding, if one was created. */
  static of(binding: AksIdentityBinding): IdentityBindingClusterRole | undefined {
    return ROLES.get(binding);
  }
}

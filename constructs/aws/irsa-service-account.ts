import { checkProps } from "../../core/props";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { publishFact } from "../../core/facts";
import { AWS_SERVICE_ACCOUNT_ROLE } from "../../core/facts-aws";
import { K8S_SERVICE_ACCOUNT, publishKubernetesObject } from "../../core/facts-kubernetes";
import { Rules, Validator } from "../../core/validation";
import type { ServiceAccountRef } from "../kubernetes/pod-secrets-mount";
import { checkLabel, NamespaceInput, resolveNamespace } from "../kubernetes/secret-provider-class";
import { EKS_ROLE_ARN_ANNOTATION } from "./eks-cluster";
import type { IrsaRole } from "./irsa-role";

export interface IrsaServiceAccountProps {
  /** The role the service account stands for: its ARN is the `eks.amazonaws.com/role-arn` annotation, and it must trust this service account. */
  readonly role: IrsaRole;
  /** Namespace (the role's). */
  readonly namespace: NamespaceInput;
  /**
   * Name of the service account.
   * @default - the one the role trusts
   */
  readonly name?: string;
  /** Mount the Kubernetes API token into pods automatically. @default false (ASCP gets the pod's token from the CSI driver) */
  readonly automountServiceAccountToken?: boolean;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * A Kubernetes service account for IAM roles for service accounts: annotated
 * `eks.amazonaws.com/role-arn` with the {@link IrsaRole}'s ARN (a reference, never a copied
 * string). ASCP reads the annotation of the pod's service account and exchanges the pod's token
 * (audience `sts.amazonaws.com`, from the CSI driver's tokenRequests) for that role. The role must
 * trust exactly this service account: anything else fails here.
 *
 * Address: `kubernetes_service_account_v1.<id>_service-account`.
 */
export class IrsaServiceAccount extends Construct implements ServiceAccountRef {
  public readonly resource: ServiceAccountV1;
  public readonly name: string;
  public readonly namespace: string;
  public readonly role: IrsaRole;
  public readonly annotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: IrsaServiceAccountProps) {
    super(scope, id);
    checkProps(this, "IrsaServiceAccount", props);
    const ns = props?.namespace === undefined ? undefined : resolveNamespace(props.namespace);
    const role = props?.role as IrsaRole | undefined;
    const name = props?.name ?? role?.serviceAccountName;
    const v = new Validator(this)
      .check(!!role && typeof role.trusts === "function", "role", role, "is required: the IrsaRole the service account stands for")
      .check(ns !== undefined, "namespace", undefined, "is required: the namespace of the service account")
      .rule("namespace", ns?.name, Rules.dns1123Label)
      .rule("name", name, Rules.dns1123Subdomain);
    if (role && typeof role.trusts === "function" && ns && name !== undefined && !role.trusts(role.cluster, ns.name, name)) {
      v.fail("role", role.node.path, `trusts ${role.subject}, not system:serviceaccount:${ns.name}:${name}: STS would refuse the pods' token (AccessDenied on AssumeRoleWithWebIdentity). Use the role made for this service account`);
    }
    for (const [k, val] of Object.entries(props?.labels ?? {})) checkLabel(v, `labels["${k}"]`, k, val);
    v.throwIfAny();

    this.role = role!;
    this.name = name!;
    this.namespace = ns!.name;
    this.annotations = { [EKS_ROLE_ARN_ANNOTATION]: role!.roleArn };
    this.resource = new ServiceAccountV1(this, "service-account", {
      metadata: { name: this.name, namespace: this.namespace, annotations: { ...this.annotations }, labels: props.labels },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      dependsOn: ns!.dependsOn.length > 0 ? ns!.dependsOn : undefined,
    });
    // For the verification layer: the service account, and the role its pods (and ASCP) assume.
    publishKubernetesObject(this, { kind: "/ServiceAccount", namespace: this.namespace, name: this.name, resource: this.resource, field: "name" });
    publishFact(this, K8S_SERVICE_ACCOUNT, { namespace: this.namespace, name: this.name, cluster: this.role.cluster });
    publishFact(this, AWS_SERVICE_ACCOUNT_ROLE, { role: this.role, roleArn: this.role.roleArn });
  }

}


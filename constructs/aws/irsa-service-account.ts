import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { problemMessage, Rules, Validator } from "../../core/validation";
import type { ServiceAccountRef } from "../kubernetes/pod-secrets-mount";
import { AwsProviderConfig, checkLabel, NamespaceInput, resolveNamespace, SecretProviderClass } from "../kubernetes/secret-provider-class";
import { EKS_ROLE_ARN_ANNOTATION } from "./eks-cluster";
import { arnObjectType, IrsaRole } from "./irsa-role";

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
  }

  /**
   * The wiring of a class mounted by pods of this service account: an `aws` class (IRSA), every
   * object of which the role may read in the class's region (and its failover region).
   */
  mountProblems(spc: SecretProviderClass): string[] {
    return irsaMountProblems(this, spc);
  }
}

/** The problems of `spc` (reported on the class) mounted by pods running as `sa`. */
function irsaMountProblems(sa: IrsaServiceAccount, spc: SecretProviderClass): string[] {
  if (spc.providerType !== "aws") {
    return [problemMessage("podSecrets.serviceAccount", `${sa.namespace}/${sa.name}`, `is an IRSA service account (an IAM role), but the class's provider is "${spc.providerType}", which does not log in with it: use the service account of that provider's identity`)];
  }
  const p = spc.provider as AwsProviderConfig;
  if (p.usePodIdentity) {
    return [problemMessage("provider.usePodIdentity", true, `EKS Pod Identity ignores the service account's ${EKS_ROLE_ARN_ANNOTATION} annotation (role ${sa.role.node.path}): leave usePodIdentity out to log in with IRSA`)];
  }
  const region = p.region ?? sa.role.cluster.region;
  const out: string[] = [];
  p.objects.forEach((o, i) => {
    const type = o.objectType ?? arnObjectType(o.objectName);
    if (!type) return;
    const wanted: [string, string, string][] = [[`provider.objects[${i}].objectName`, o.objectName, region]];
    if (p.failoverRegion !== undefined) wanted.push([o.failoverObject ? `provider.objects[${i}].failoverObject.objectName` : `provider.objects[${i}].objectName`, o.failoverObject?.objectName ?? o.objectName, p.failoverRegion]);
    for (const [field, name, r] of wanted) {
      if (!sa.role.canRead(type, name, r)) {
        out.push(problemMessage(field, name, `pods mounting this class run as ${sa.namespace}/${sa.name}, whose IAM role ${sa.role.node.path} may not read it in ${r}: the mount fails with AccessDeniedException. Call role.grantRead(secretProviderClass) (or use AwsSecretsBinding)`));
      }
    }
  });
  return out;
}

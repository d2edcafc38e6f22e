import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { NamespaceInput, resolveNamespace, checkLabel } from "./secret-provider-class";
import { problemMessage, Rules, Validator } from "../../core/validation";
import { IOidcIssuer, serviceAccountSubject, WorkloadIdentity } from "../azure/workload-identity";
import { publishFact, SELF_CHECKED } from "../../core/facts";
import { K8S_SERVICE_ACCOUNT, publishKubernetesObject, WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION } from "../../core/facts-kubernetes";

// The client-id annotation's name is shared with the verification layer (core/facts-kubernetes.ts).
export { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION };
/** Service account annotation: the tenant, when it differs from the cluster's. */
export const WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION = "azure.workload.identity/tenant-id";
/** Service account annotation: lifetime of the projected token. */
export const WORKLOAD_IDENTITY_TOKEN_EXPIRATION_ANNOTATION = "azure.workload.identity/service-account-token-expiration";
/** Pod label that makes the workload identity webhook project the token and inject the AZURE_* variables. */
export const WORKLOAD_IDENTITY_USE_LABEL = "azure.workload.identity/use";

/** The pod labels of a pod using a workload identity. */
export function workloadIdentityPodLabels(): Record<string, string> {
  return { [WORKLOAD_IDENTITY_USE_LABEL]: "true" };
}

/** An identity given by its IDs, for identities created elsewhere. Prefer passing the {@link WorkloadIdentity}. */
export interface WorkloadIdentityRef {
  readonly clientId: string;
  readonly tenantId?: string;
}

export interface WorkloadServiceAccountProps {
  /** The identity pods of this service account log in as. The IDs are read from it. */
  readonly identity: WorkloadIdentity | WorkloadIdentityRef;
  readonly namespace: NamespaceInput;
  /** Service account name (DNS-1123 subdomain). */
  readonly name: string;
  /**
   * Also annotate the identity's tenant ID. The webhook defaults to the cluster's tenant,
   * so this is needed only when the identity lives in another tenant.
   * @default false
   */
  readonly annotateTenantId?: boolean;
  /** Lifetime of the projected token, 3600-86400 seconds. @default the webhook's, 3600 */
  readonly tokenExpirationSeconds?: number;
  /**
   * The cluster whose issuer must be trusted for this service account. When the identity is
   * a {@link WorkloadIdentity}, synth fails unless one of its federated credentials trusts
   * `system:serviceaccount:NAMESPACE:NAME` (of this issuer, when given).
   * @default any issuer
   */
  readonly cluster?: IOidcIssuer;
  /** Mount the Kubernetes API token into pods automatically. @default false (the workload identity token is projected separately) */
  readonly automountServiceAccountToken?: boolean;
  /** @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A Kubernetes service account for a workload identity: annotated with the identity's client
 * ID (and tenant ID when asked) taken from the {@link WorkloadIdentity}, so no ID is typed by
 * hand. Pods using it carry the label in {@link podLabels} (`azure.workload.identity/use: "true"`);
 * the pod helpers ({@link PodSecretsMount}) hand them out.
 *
 * When the identity is a {@link WorkloadIdentity} construct, synth checks that it has a
 * federated credential for this service account.
 */
export class WorkloadServiceAccount extends Construct {
  /** Address stays `kubernetes_service_account_v1.<id>_service-account`. */
  public readonly resource: ServiceAccountV1;
  public readonly name: string;
  public readonly namespace: string;
  public readonly identity: WorkloadIdentity | WorkloadIdentityRef;
  /** The cluster whose issuer the identity must trust for this service account, when given. */
  public readonly cluster?: IOidcIssuer;
  /** The annotations written on the service account. */
  public readonly annotations: Readonly<Record<string, string>>;
  /** The labels every pod using this service account must carry. */
  public readonly podLabels: Readonly<Record<string, string>> = workloadIdentityPodLabels();

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    super(scope, id);
    const ns = resolveNamespace(props.namespace);
    const v = new Validator(this)
      .rule("name", props.name, Rules.dns1123Subdomain)
      .rule("namespace", ns.name, Rules.dns1123Label)
      .check(!!props.identity, "identity", undefined, "is required: the WorkloadIdentity the service account stands for")
      .rule("identity.clientId", props.identity?.clientId, Rules.guid);
    if (props.annotateTenantId) {
      v.check(props.identity?.tenantId !== undefined, "identity.tenantId", undefined, "is needed for annotateTenantId: pass the WorkloadIdentity (or a ref with tenantId)").rule("identity.tenantId", props.identity?.tenantId, Rules.guid);
    }
    const expiration = props.tokenExpirationSeconds;
    if (expiration !== undefined) {
      v.check(Number.isInteger(expiration) && expiration >= 3600 && expiration <= 86400, "tokenExpirationSeconds", expiration, "must be a whole number of seconds from 3600 to 86400");
    }
    for (const [k, val] of Object.entries(props.labels ?? {})) checkLabel(v, `labels["${k}"]`, k, val);
    v.throwIfAny();

    this.name = props.name;
    this.namespace = ns.name;
    this.identity = props.identity;
    this.cluster = props.cluster;
    const annotations: Record<string, string> = { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: props.identity.clientId };
    if (props.annotateTenantId) annotations[WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION] = props.identity.tenantId!;
    if (expiration !== undefined) annotations[WORKLOAD_IDENTITY_TOKEN_EXPIRATION_ANNOTATION] = String(expiration);
    this.annotations = annotations;

    this.resource = new ServiceAccountV1(this, "service-account", {
      metadata: { name: props.name, namespace: ns.name, annotations, labels: props.labels },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      dependsOn: ns.dependsOn.length > 0 ? ns.dependsOn : undefined,
    });

    // For the verification layer: the service account object, and the identity it stands for.
    publishKubernetesObject(this, { kind: "/ServiceAccount", namespace: ns.name, name: props.name, resource: this.resource, field: "name" });
    publishFact(this, K8S_SERVICE_ACCOUNT, { namespace: ns.name, name: props.name, clientIdAnnotation: props.identity.clientId, identity: props.identity, cluster: props.cluster });

    const identity = props.identity;
    if (identity instanceof WorkloadIdentity) {
      publishFact(this, SELF_CHECKED, { checkId: "AKSW-SA2" });
      // Checked once the tree is built: the credential may be added after this construct.
      this.node.addValidation({
        validate: () => {
          const subject = serviceAccountSubject(ns.name, props.name);
          const ok = props.cluster ? identity.trusts(props.cluster, ns.name, props.name) : identity.federatedCredentials.some((c) => c.subject === subject);
          return ok
            ? []
            : [
                problemMessage(
                  "identity",
                  identity.node.path,
                  `has no federated credential for ${subject}${props.cluster ? " from this cluster's issuer" : ""}: call identity.addServiceAccount({ namespace: "${ns.name}", name: "${props.name}", issuer: cluster }) or use KeyVaultWorkloadBinding`,
                ),
              ];
        },
      });
    }
  }

  /** True when this service account stands for `identity` (same construct, or same client ID). */
  isFor(identity: { readonly clientId: string }): boolean {
    return this.identity === identity || this.identity.clientId === identity.clientId;
  }
}

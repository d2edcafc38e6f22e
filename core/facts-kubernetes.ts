// Facts about Kubernetes objects, service accounts, pods and Secrets Store CSI classes (see facts.ts).
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { claimResource, defineFact, publishFact } from "./facts";
import { IssuerRef } from "./facts-cluster";

/** The subject Kubernetes writes into a service account token. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Service account annotation: the client ID the workload identity webhook injects as AZURE_CLIENT_ID. */
export const WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id";

/**
 * A Kubernetes object a Terraform resource creates. Source: where a problem about it is
 * reported (the construct whose prop named it, or the resource).
 */
export interface KubernetesObjectFact {
  /** `group/Kind`, e.g. `/ServiceAccount`, `secrets-store.csi.x-k8s.io/SecretProviderClass`. */
  readonly kind: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
  /** The resource that creates it. */
  readonly resource: TerraformResource;
  /** The field of the source that names it, for messages (`name`, `metadata.name`). */
  readonly field: string;
}
export const K8S_OBJECT = defineFact<KubernetesObjectFact>("k8s.object", "a Kubernetes object a Terraform resource creates");

/**
 * Publishes the Kubernetes object `resource` creates and claims the resource for `source` (see
 * RESOURCE_CLAIM): the readers of raw resources then leave it to the source's facts.
 */
export function publishKubernetesObject(source: IConstruct, object: KubernetesObjectFact): void {
  claimResource(source, object.resource);
  publishFact(source, K8S_OBJECT, object);
}

/** Something that writes a Kubernetes Secret. Source: where a problem about it is reported. */
export interface SecretWriterFact {
  readonly namespace: string;
  readonly name: string;
  /** The Terraform resource the writer lives in (its cluster or provider scopes the Secret). */
  readonly resource: TerraformResource;
  readonly field: string;
  /** For messages: `SecretProviderClass demo/x (secretObjects)`. */
  readonly label: string;
  /** A Secret resource (or manifest) Terraform creates itself: two of them are one object made twice. */
  readonly terraformObject?: boolean;
}
export const K8S_SECRET_WRITER = defineFact<SecretWriterFact>("k8s.secret-writer", "something writes the data of a Kubernetes Secret (a sync, an operator, a Secret resource)");

/** A service account the app creates. Source: the construct (or resource) that creates it. */
export interface ServiceAccountFact {
  readonly namespace: string;
  readonly name: string;
  /** The `azure.workload.identity/client-id` annotation, when set. */
  readonly clientIdAnnotation?: string;
  /** The identity the service account stands for, as given (an identity object, or `{ clientId }`). */
  readonly identity?: { readonly clientId: string };
  /** The cluster whose issuer the identity must trust for it, when the construct was told (a hint used when the tree names no cluster). */
  readonly cluster?: IssuerRef;
}
export const K8S_SERVICE_ACCOUNT = defineFact<ServiceAccountFact>("k8s.service-account", "a Kubernetes service account the app creates, with its workload identity annotation");

/** Pods of a workload (or pods meant for one class): their service account, CSI classes and Secrets. Source: where problems are reported. */
export interface PodsFact {
  readonly namespace: string;
  /** Service account name the pods run as (`default` when none is set). */
  readonly serviceAccount: string;
  /** The construct that published the service account, when the pods were given it as a construct. */
  readonly serviceAccountConstruct?: IConstruct;
  /** Field of the service account, for messages. */
  readonly serviceAccountField: string;
  /** For people: `Deployment demo/app`; none for pods the app does not define (a pod helper's). */
  readonly workload?: string;
  /** Secrets Store CSI volumes, by class name. */
  readonly classes: readonly { readonly name: string; readonly field: string }[];
  /** Names of Kubernetes Secrets the pods read (env, envFrom, secret volumes). */
  readonly secretNames: readonly string[];
  /** Pods meant for exactly this class construct (a pod helper), matched by construct, not by name. */
  readonly forClass?: IConstruct;
}
export const K8S_PODS = defineFact<PodsFact>("k8s.pods", "pods of a workload: the service account they run as, the CSI classes they mount, the Secrets they read");

/** A Secrets Store CSI SecretProviderClass. Source: the class construct. */
export interface CsiClassFact {
  readonly namespace: string;
  readonly name: string;
  /** `azure`, `vault`, `aws`, ...: the CSI provider. */
  readonly provider: string;
  /** What it mounts, as the report lists it. */
  readonly objects: readonly string[];
  /** Kubernetes Secrets it syncs into (`secretObjects`). */
  readonly syncedSecrets: readonly string[];
}
export const CSI_CLASS = defineFact<CsiClassFact>("csi.class", "a Secrets Store CSI SecretProviderClass: what it mounts and syncs");

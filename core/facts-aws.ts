// Facts about IAM roles for service accounts (IRSA) and the AWS provider's classes (see facts.ts).
// Provider-free: the verification layer reads them without loading @cdktf/provider-aws.
import { IConstruct } from "constructs";
import { defineFact } from "./facts";

/** An IAM role that service account tokens of an EKS cluster may assume. Source: the role construct. */
export interface AwsIrsaRoleFact {
  /** `system:serviceaccount:NAMESPACE:NAME`, the one subject the trust policy allows (`StringEquals ISSUER:sub`). */
  readonly subject: string;
  /** The audience the trust policy requires (`ISSUER:aud`). */
  readonly audience: string;
  /** ARN of the OIDC provider the trust policy names. */
  readonly oidcProviderArn: string;
  /** The cluster's region: where a class that names no region reads (ASCP takes the node's). */
  readonly clusterRegion: string;
}
export const AWS_IRSA_ROLE = defineFact<AwsIrsaRoleFact>("aws.irsa-role", "an IAM role trusting exactly one service account of an EKS cluster's OIDC provider");

/** One object an IRSA role may read (one fact per object and region). Source: the role construct. */
export interface AwsReadGrantFact {
  readonly objectType: "secretsmanager" | "ssmparameter";
  /** Name or ARN, as granted. */
  readonly objectName: string;
  readonly region: string;
}
export const AWS_READ_GRANT = defineFact<AwsReadGrantFact>("aws.read-grant", "an IRSA role may read this Secrets Manager secret or SSM parameter in this region");

/** A service account annotated `eks.amazonaws.com/role-arn`. Source: the service account construct. */
export interface AwsServiceAccountRoleFact {
  /** The role construct (publishes {@link AWS_IRSA_ROLE} and {@link AWS_READ_GRANT}). */
  readonly role: IConstruct;
  readonly roleArn: string;
}
export const AWS_SERVICE_ACCOUNT_ROLE = defineFact<AwsServiceAccountRoleFact>("aws.service-account-role", "a service account annotated with the IAM role its pods (and ASCP) assume");

/** What an `aws` SecretProviderClass mounts, as ASCP reads it. Source: the class. */
export interface AwsCsiMountFact {
  /** `region`, when the class names one. */
  readonly region?: string;
  readonly failoverRegion?: string;
  /** EKS Pod Identity instead of IRSA. */
  readonly usePodIdentity: boolean;
  readonly objects: readonly {
    /** Given, or read from the ARN. */
    readonly objectType?: "secretsmanager" | "ssmparameter";
    readonly objectName: string;
    /** The object read in the failover region, when it has another name. */
    readonly failoverObjectName?: string;
  }[];
}
export const AWS_CSI_MOUNT = defineFact<AwsCsiMountFact>("aws.csi-mount", "what an aws SecretProviderClass mounts from Secrets Manager and SSM, in which regions");

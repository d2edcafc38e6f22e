import { checkProps } from "../../core/props";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { isUnresolved, StringRule, Validator } from "../../core/validation";
import { IOidcIssuer } from "../azure/workload-identity";
import { SecretsStore, SecretsStoreProps } from "../kubernetes/installers/secrets-store";
import { SecretsStoreCsiDriverOptions } from "../kubernetes/installers/secrets-store-csi-driver";

/** The audience of the service account tokens IRSA exchanges with STS (`AssumeRoleWithWebIdentity`). */
export const IRSA_AUDIENCE = "sts.amazonaws.com";
/** Service account annotation naming the IAM role pods (and ASCP) assume. */
export const EKS_ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

/** An AWS region name such as `eu-west-1`, `us-gov-west-1`, `cn-north-1`. */
export const awsRegionRule: StringRule = { description: "must be an AWS region such as eu-west-1", test: (s) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(s) };

/** An EKS cluster name: 1-100 characters of letters, digits, '-' and '_', starting with a letter or digit. */
const eksClusterNameRule: StringRule = {
  description: "EKS cluster names are 1-100 characters of letters, digits, hyphens and underscores, starting with a letter or digit",
  test: (s) => /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(s),
};

/** `arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST/PATH` */
const OIDC_PROVIDER_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):oidc-provider\/(.+)$/;
/** An EKS issuer: `https://oidc.eks.REGION.amazonaws.com[.cn]/id/ID`. */
const EKS_ISSUER = /^https:\/\/oidc\.eks\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?\/id\/[A-Za-z0-9]+$/;

/** An EKS cluster whose service account tokens IAM trusts through an OIDC provider (IAM roles for service accounts). */
export interface IEksCluster extends IOidcIssuer {
  /** The cluster's name. */
  readonly clusterName: string;
  /** ARN of the cluster's IAM OIDC identity provider (`arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID`). */
  readonly oidcProviderArn: string;
  /** The issuer without `https://`: the prefix of the trust policy's condition keys (`HOST/PATH:sub`, `HOST/PATH:aud`). */
  readonly oidcIssuerHost: string;
  /** The cluster's region: secrets and parameters named without an ARN are read there unless a class names another. */
  readonly region: string;
  /** The AWS account of the OIDC provider (and, unless an ARN says otherwise, of the secrets). */
  readonly account: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  readonly partition: string;
}

export interface EksClusterAttributes {
  /** The cluster's name (also the prefix of the IAM role names derived for its service accounts). */
  readonly clusterName: string;
  /** ARN of the cluster's IAM OIDC provider (`aws_iam_openid_connect_provider`, or `eksctl utils associate-iam-oidc-provider`). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (`aws eks describe-cluster --query cluster.identity.oidc.issuer`). */
  readonly oidcIssuerUrl: string;
  /**
   * The cluster's region.
   * @default - read from an EKS issuer URL (`https://oidc.eks.REGION.amazonaws.com/id/ID`); required otherwise
   */
  readonly region?: string;
}

/**
 * An existing EKS cluster (bring your own): what IAM roles for service accounts need from it, checked
 * once. Created with {@link EksCluster.fromClusterAttributes}; this library does not create EKS clusters.
 */
export class EksCluster extends Construct implements IEksCluster {
  /**
   * An existing cluster by its name, OIDC provider ARN and issuer URL. Literal values are checked
   * (the provider ARN must be of that issuer); values known only at apply time (another stack's
   * outputs) are split by Terraform.
   */
  static fromClusterAttributes(scope: Construct, id: string, attrs: EksClusterAttributes): EksCluster {
    return new EksCluster(scope, id, attrs);
  }

  public readonly clusterName: string;
  public readonly oidcProviderArn: string;
  public readonly oidcIssuerUrl: string;
  public readonly oidcIssuerHost: string;
  public readonly region: string;
  public readonly account: string;
  public readonly partition: string;

  private constructor(scope: Construct, id: string, attrs: EksClusterAttributes) {
    super(scope, id);
    checkProps(this, "EksCluster", attrs);
    const a = (attrs ?? {}) as Partial<EksClusterAttributes>;
    const v = new Validator(this)
      .check(typeof a.clusterName === "string" && a.clusterName.length > 0, "clusterName", a.clusterName, "is required: the EKS cluster's name")
      .rule("clusterName", a.clusterName || undefined, eksClusterNameRule)
      .check(typeof a.oidcProviderArn === "string" && a.oidcProviderArn.length > 0, "oidcProviderArn", a.oidcProviderArn, "is required: the ARN of the cluster's IAM OIDC provider (arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)")
      .check(typeof a.oidcIssuerUrl === "string" && a.oidcIssuerUrl.length > 0, "oidcIssuerUrl", a.oidcIssuerUrl, "is required: the cluster's OIDC issuer URL (https://oidc.eks.REGION.amazonaws.com/id/ID)")
      .rule("region", a.region, awsRegionRule);
    const arn = typeof a.oidcProviderArn === "string" && a.oidcProviderArn.length > 0 && !isUnresolved(a.oidcProviderArn) ? a.oidcProviderArn : undefined;
    const url = typeof a.oidcIssuerUrl === "string" && a.oidcIssuerUrl.length > 0 && !isUnresolved(a.oidcIssuerUrl) ? a.oidcIssuerUrl : undefined;
    const arnParts = arn ? OIDC_PROVIDER_ARN.exec(arn) : null;
    if (arn) v.check(arnParts !== null, "oidcProviderArn", arn, "must be the ARN of an IAM OIDC provider: arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID");
    if (url) v.check(/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(url) && !url.endsWith("/"), "oidcIssuerUrl", url, "must be an https:// URL without a trailing '/', as EKS reports it (https://oidc.eks.REGION.amazonaws.com/id/ID)");
    const host = url?.replace(/^https:\/\//, "");
    if (arnParts && host) {
      v.check(arnParts[3] === host, "oidcProviderArn", arn, `is the provider of ${arnParts[3]}, not of this issuer (${host}): IAM would refuse every token of the cluster`);
    }
    const regionFromUrl = url ? EKS_ISSUER.exec(url)?.[1] : undefined;
    if (a.region === undefined && url !== undefined && regionFromUrl === undefined) {
      v.fail("region", undefined, "is required when the issuer URL is not an EKS one (https://oidc.eks.REGION.amazonaws.com/id/ID): the region secrets and parameters are read in");
    } else if (a.region !== undefined && regionFromUrl !== undefined && !isUnresolved(a.region)) {
      v.check(a.region === regionFromUrl, "region", a.region, `contradicts the issuer URL, which is of region ${regionFromUrl}`);
    }
    v.throwIfAny();

    this.clusterName = a.clusterName!;
    this.oidcProviderArn = a.oidcProviderArn!;
    this.oidcIssuerUrl = a.oidcIssuerUrl!;
    this.oidcIssuerHost = host ?? Fn.replace(a.oidcIssuerUrl!, "https://", "");
    this.partition = arnParts ? arnParts[1] : Fn.element(Fn.split(":", a.oidcProviderArn!), 1);
    this.account = arnParts ? arnParts[2] : Fn.element(Fn.split(":", a.oidcProviderArn!), 4);
    // A token issuer with no region given: the region is the issuer host's second label (oidc.eks.REGION.amazonaws.com).
    this.region = a.region ?? regionFromUrl ?? Fn.element(Fn.split(".", this.oidcIssuerHost), 2);
  }

  /**
   * The Secrets Store CSI driver and ASCP of this cluster (Helm, pinned; see SecretsStore): the
   * first scope given holds the releases (a stack with kubernetes and helm providers for the
   * cluster), with installer options; every other scope passes no options and is associated with
   * it, so the `aws` classes created under it are served (ASCP installed once, the driver requesting
   * `sts.amazonaws.com` tokens) and deploy after the installers. Call it for a scope before creating
   * classes (or bindings) under it.
   */
  secretsStore(scope: Construct, options: EksSecretsStoreOptions = {}): SecretsStore {
    const { driver, ...rest } = options;
    return SecretsStore.ensure(scope, { ...rest, cluster: this, driver: { mode: "selfManaged", ...driver }, platform: "eks", clusterLabel: `EKS ${this.clusterName}` });
  }
}

/** Installer options of an EKS cluster's Secrets Store (see {@link EksCluster.secretsStore}). */
export interface EksSecretsStoreOptions extends Omit<SecretsStoreProps, "driver" | "platform" | "clusterLabel"> {
  /** Options of the self-managed driver (rotation, interval, Secret sync, extra token audiences). @default - rotation on every 2m, sync when a class syncs */
  readonly driver?: SecretsStoreCsiDriverOptions;
}

/** The DNS suffix of a partition's service endpoints (for `kms:ViaService`). */
export function partitionDnsSuffix(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** IAM role names: 1-64 characters of letters, digits and `+=,.@_-`. */
export const iamRoleNameRule: StringRule = {
  description: "IAM role names are 1-64 characters of letters, digits and '+=,.@_-'",
  test: (s) => /^[\w+=,.@-]{1,64}$/.test(s),
};

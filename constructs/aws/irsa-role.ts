import { checkProps } from "../../core/props";
import { createHash } from "node:crypto";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { publishFact } from "../../core/facts";
import { AWS_IRSA_ROLE, AWS_READ_GRANT } from "../../core/facts-aws";
import { isUnresolved, problemMessage, Rules, Validator } from "../../core/validation";
import { serviceAccountSubject } from "../azure/workload-identity";
import { AwsProviderConfig, SecretProviderClass } from "../kubernetes/secret-provider-class";
import { awsRegionRule, iamRoleNameRule, IEksCluster, IRSA_AUDIENCE, partitionDnsSuffix } from "./eks-cluster";

/** What ASCP calls for a Secrets Manager secret: the value, and DescribeSecret for the rotation reconciler's version check. */
export const SECRETS_MANAGER_READ_ACTIONS = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] as const;
/** What ASCP calls for SSM parameters (batched). */
export const SSM_PARAMETER_READ_ACTIONS = ["ssm:GetParameters"] as const;
/** IAM's limit on the inline policies of one role, in characters without whitespace. */
export const MAX_ROLE_INLINE_POLICY_CHARS = 10240;

/** A Secrets Manager secret ARN: `arn:P:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`. */
const SECRET_ARN = /^arn:([\w-]+):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;
/** An SSM parameter ARN: `arn:P:ssm:REGION:ACCOUNT:parameter/NAME`. */
const PARAMETER_ARN = /^arn:([\w-]+):ssm:([a-z0-9-]+):(\d{12}):parameter\/(.+)$/;
/** A KMS key ARN (not an alias: IAM matches key ARNs). */
const KMS_KEY_ARN = /^arn:([\w-]+):kms:([a-z0-9-]+):(\d{12}):key\/[\w-]+$/;

/** One object a role may read, as the policy names it. */
export interface IrsaReadGrant {
  readonly objectType: "secretsmanager" | "ssmparameter";
  /** The name or ARN as given. */
  readonly objectName: string;
  /** The region it is read in. */
  readonly region: string;
  /** The resource in the policy: the ARN, for a secret named without one with Secrets Manager's six random characters as `??????`. */
  readonly resourceArn: string;
}

export interface IrsaRoleProps {
  /** The cluster whose OIDC provider the role trusts. */
  readonly cluster: IEksCluster;
  /** Namespace of the one service account the role trusts. */
  readonly namespace: string;
  /** Name of the one service account the role trusts. */
  readonly serviceAccountName: string;
  /**
   * Name of the role (IAM names are unique per account).
   * @default - `CLUSTER-NAMESPACE-SERVICEACCOUNT`, shortened with a hash when longer than 64 characters
   */
  readonly roleName?: string;
  /** @default "/" */
  readonly path?: string;
  /** ARN of a permissions boundary policy. @default - none */
  readonly permissionsBoundary?: string;
  /** @default - "Read-only secrets of service account NAMESPACE/NAME on EKS cluster CLUSTER (IRSA)" */
  readonly description?: string;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/** Options of a read grant. */
export interface IrsaGrantOptions {
  /**
   * Regions the objects are read in (a class with a failover region reads in two).
   * @default - the cluster's region
   */
  readonly regions?: string[];
}

/**
 * An IAM role for one Kubernetes service account of an EKS cluster (IAM roles for service
 * accounts): its trust policy lets exactly `system:serviceaccount:NAMESPACE:NAME`, with audience
 * `sts.amazonaws.com`, assume it through the cluster's OIDC provider (`StringEquals` on
 * `ISSUER:sub` and `ISSUER:aud`), and its inline policy grants only what was granted:
 * `secretsmanager:GetSecretValue` + `DescribeSecret` on the named secrets, `ssm:GetParameters` on
 * the named parameters, `kms:Decrypt` on the named keys only through those services
 * (`kms:ViaService`). {@link grantRead} grants exactly what a SecretProviderClass mounts.
 *
 * Addresses: `aws_iam_role.<id>_role`, `aws_iam_role_policy.<id>_read-policy`,
 * `data.aws_iam_policy_document.<id>_trust` / `<id>_read`.
 */
export class IrsaRole extends Construct {
  public readonly resource: IamRole;
  /** The trust policy document. */
  public readonly trustPolicy: DataAwsIamPolicyDocument;
  public readonly cluster: IEksCluster;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  /** `system:serviceaccount:NAMESPACE:NAME` */
  public readonly subject: string;
  /** The role's ARN (what the service account's `eks.amazonaws.com/role-arn` annotation names). */
  public readonly roleArn: string;
  public readonly roleName: string;
  private readonly grants: IrsaReadGrant[] = [];
  private readonly kmsKeys: string[] = [];
  private readPolicy?: { document: DataAwsIamPolicyDocument; policy: IamRolePolicy };

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    checkProps(this, "IrsaRole", props);
    const p = (props ?? {}) as Partial<IrsaRoleProps>;
    const v = new Validator(this)
      .check(!!p.cluster && typeof p.cluster.oidcProviderArn === "string", "cluster", p.cluster, "is required: the EKS cluster (EksCluster.fromClusterAttributes) whose OIDC provider the role trusts")
      .rule("namespace", p.namespace, Rules.dns1123Label)
      .rule("serviceAccountName", p.serviceAccountName, Rules.dns1123Subdomain)
      .check(typeof p.namespace === "string", "namespace", p.namespace, "is required: the namespace of the service account the role trusts")
      .check(typeof p.serviceAccountName === "string", "serviceAccountName", p.serviceAccountName, "is required: the service account the role trusts")
      .rule("roleName", p.roleName, iamRoleNameRule);
    if (p.path !== undefined && !isUnresolved(p.path)) v.check(/^\/([\w+=,.@-]+\/)*$/.test(p.path) && p.path.length <= 512, "path", p.path, "must start and end with '/' (e.g. /eks/), letters, digits and '+=,.@_-' between");
    if (p.permissionsBoundary !== undefined && !isUnresolved(p.permissionsBoundary)) v.check(/^arn:[\w-]+:iam::(\d{12}|aws):policy\/.+$/.test(p.permissionsBoundary), "permissionsBoundary", p.permissionsBoundary, "must be the ARN of an IAM policy (arn:aws:iam::ACCOUNT:policy/NAME)");
    v.throwIfAny();

    this.cluster = props.cluster;
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.subject = serviceAccountSubject(props.namespace, props.serviceAccountName);
    this.trustPolicy = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "ServiceAccount",
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.cluster.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${props.cluster.oidcIssuerHost}:sub`, values: [this.subject] },
            { test: "StringEquals", variable: `${props.cluster.oidcIssuerHost}:aud`, values: [IRSA_AUDIENCE] },
          ],
        },
      ],
    });
    const derived = roleNameFor(props.cluster.clusterName, props.namespace, props.serviceAccountName);
    this.resource = new IamRole(this, "role", {
      ...(props.roleName !== undefined ? { name: props.roleName } : derived.name !== undefined ? { name: derived.name } : { namePrefix: derived.prefix }),
      path: props.path,
      description: props.description ?? `Read-only secrets of service account ${props.namespace}/${props.serviceAccountName} on EKS cluster ${props.cluster.clusterName} (IRSA)`,
      assumeRolePolicy: this.trustPolicy.json,
      permissionsBoundary: props.permissionsBoundary,
      tags: props.tags,
    });
    this.roleArn = this.resource.arn;
    this.roleName = this.resource.name;
    this.node.addValidation({ validate: () => this.policySizeProblems() });
    publishFact(this, AWS_IRSA_ROLE, { subject: this.subject, audience: IRSA_AUDIENCE, oidcProviderArn: props.cluster.oidcProviderArn, clusterRegion: props.cluster.region });
  }

  /** True when the role trusts this service account of this cluster. */
  trusts(cluster: IEksCluster, namespace: string, name: string): boolean {
    return (cluster === this.cluster || cluster.oidcProviderArn === this.cluster.oidcProviderArn) && this.namespace === namespace && this.serviceAccountName === name;
  }

  /** The read grants so far. */
  get readGrants(): readonly IrsaReadGrant[] {
    return [...this.grants];
  }

  /** True when the policy lets the role read `objectName` (name or ARN) of that type in `region`. */
  canRead(objectType: "secretsmanager" | "ssmparameter", objectName: string, region: string): boolean {
    return this.grants.some((g) => g.objectType === objectType && g.objectName === objectName && g.region === region);
  }

  /** Grants `GetSecretValue` + `DescribeSecret` on Secrets Manager secrets, by name or ARN. */
  grantSecretsManagerRead(secrets: string[], options: IrsaGrantOptions = {}): IrsaReadGrant[] {
    return this.grant("secretsmanager", secrets, options, "grantSecretsManagerRead");
  }

  /** Grants `ssm:GetParameters` on SSM parameters, by name (`/app/db`) or ARN. */
  grantParameterRead(parameters: string[], options: IrsaGrantOptions = {}): IrsaReadGrant[] {
    return this.grant("ssmparameter", parameters, options, "grantParameterRead");
  }

  /**
   * Grants exactly what an `aws` SecretProviderClass mounts: every object in the class's region
   * (the cluster's when the class names none) and, with a failover region, its failover object
   * (or the same name) there.
   */
  grantRead(spc: SecretProviderClass): IrsaReadGrant[] {
    const v = new Validator(this);
    v.check(spc?.providerType === "aws", "grantRead", spc?.node?.path, 'needs an "aws" SecretProviderClass: IAM grants cover Secrets Manager and SSM objects');
    v.throwIfAny();
    const p = spc.provider as AwsProviderConfig;
    const primary = p.region ?? this.cluster.region;
    const out: IrsaReadGrant[] = [];
    for (const o of p.objects) {
      const type = o.objectType ?? arnObjectType(o.objectName)!;
      out.push(...this.grant(type, [o.objectName], { regions: [primary] }, "grantRead"));
      if (p.failoverRegion !== undefined) out.push(...this.grant(type, [o.failoverObject?.objectName ?? o.objectName], { regions: [p.failoverRegion] }, "grantRead"));
    }
    return out;
  }

  /**
   * Grants `kms:Decrypt` on customer managed keys (key ARNs), only through Secrets Manager and SSM
   * in the regions of the grants (`kms:ViaService`): needed when the secrets or SecureString
   * parameters are encrypted with such a key (the AWS managed keys need no grant).
   */
  grantKmsDecrypt(keyArns: string[]): void {
    const v = new Validator(this);
    v.check(Array.isArray(keyArns) && keyArns.length > 0, "grantKmsDecrypt", keyArns, "must name at least one KMS key ARN");
    (Array.isArray(keyArns) ? keyArns : []).forEach((k, i) => {
      if (typeof k !== "string" || !isUnresolved(k)) v.check(typeof k === "string" && KMS_KEY_ARN.test(k), `grantKmsDecrypt[${i}]`, k, "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); an alias ARN does not authorize the key");
    });
    v.throwIfAny();
    for (const arn of keyArns) if (!this.kmsKeys.includes(arn)) this.kmsKeys.push(arn);
    this.render();
  }

  private grant(objectType: "secretsmanager" | "ssmparameter", names: string[], options: IrsaGrantOptions, field: string): IrsaReadGrant[] {
    const v = new Validator(this);
    const regions = options.regions ?? [this.cluster.region];
    v.check(Array.isArray(names) && names.length > 0, field, names, `must name at least one ${objectType === "secretsmanager" ? "secret" : "parameter"}`);
    regions.forEach((r, i) => v.rule(`${field}.regions[${i}]`, r, awsRegionRule));
    const out: IrsaReadGrant[] = [];
    (Array.isArray(names) ? names : []).forEach((name, i) => {
      const f = `${field}[${i}]`;
      if (typeof name !== "string" || name.length === 0) {
        v.fail(f, name, "must be a name or an ARN");
        return;
      }
      for (const region of regions) {
        const arn = this.resourceArn(v, f, objectType, name, region);
        if (arn === undefined) continue;
        const g: IrsaReadGrant = { objectType, objectName: name, region, resourceArn: arn };
        if (!this.grants.some((x) => x.objectType === g.objectType && x.objectName === g.objectName && x.region === g.region)) {
          this.grants.push(g);
          publishFact(this, AWS_READ_GRANT, { objectType, objectName: name, region });
        }
        out.push(g);
      }
    });
    v.throwIfAny();
    this.render();
    return out;
  }

  /** The policy resource of an object: its ARN, or the ARN a name has in the cluster's account. */
  private resourceArn(v: Validator, field: string, objectType: "secretsmanager" | "ssmparameter", name: string, region: string): string | undefined {
    const { partition, account } = this.cluster;
    if (isUnresolved(name)) return name;
    if (name.startsWith("arn:")) {
      const m = (objectType === "secretsmanager" ? SECRET_ARN : PARAMETER_ARN).exec(name);
      if (!m) {
        v.fail(field, name, objectType === "secretsmanager" ? "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX) or a secret name" : "must be an SSM parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME) or a parameter name");
        return undefined;
      }
      if (!isUnresolved(region)) v.check(m[2] === region, field, name, `is an ARN of region ${m[2]}, read in ${region}: ASCP refuses an ARN of another region than the class's (give the replica's ARN as failoverObject)`);
      return name;
    }
    if (objectType === "secretsmanager") {
      v.check(/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name), field, name, "Secrets Manager names are 1-512 characters of letters, digits and '/_+=.@-'");
      // Secrets Manager appends '-' and six random characters to the name in the ARN.
      return `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}-??????`;
    }
    v.check(/^\/?[A-Za-z0-9_.\-/]{1,1011}$/.test(name) && !name.includes("//") && !/^\/?(aws|ssm)/i.test(name), field, name, "SSM parameter names are letters, digits and '_.-/' (up to 1011 characters), not starting with aws or ssm");
    return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`;
  }

  /** The read policy's statements, from the grants so far. */
  private statements(): DataAwsIamPolicyDocumentStatement[] {
    const out: DataAwsIamPolicyDocumentStatement[] = [];
    const sm = uniq(this.grants.filter((g) => g.objectType === "secretsmanager").map((g) => g.resourceArn));
    const ssm = uniq(this.grants.filter((g) => g.objectType === "ssmparameter").map((g) => g.resourceArn));
    if (sm.length > 0) out.push({ sid: "SecretsManagerRead", effect: "Allow", actions: [...SECRETS_MANAGER_READ_ACTIONS], resources: sm });
    if (ssm.length > 0) out.push({ sid: "ParameterStoreRead", effect: "Allow", actions: [...SSM_PARAMETER_READ_ACTIONS], resources: ssm });
    // Keys are usable only through the services and regions of the grants: none before the first grant.
    const suffix = partitionDnsSuffix(this.cluster.partition);
    const via = uniq(this.grants.map((g) => `${g.objectType === "secretsmanager" ? "secretsmanager" : "ssm"}.${g.region}.${suffix}`));
    if (this.kmsKeys.length > 0 && via.length > 0) {
      out.push({ sid: "KmsDecryptThroughSecretServices", effect: "Allow", actions: ["kms:Decrypt"], resources: [...this.kmsKeys], condition: [{ test: "StringEquals", variable: "kms:ViaService", values: via }] });
    }
    return out;
  }

  /** Creates the read policy with the first grant, and keeps its statements up to date. */
  private render(): void {
    const statement = this.statements();
    if (statement.length === 0) return;
    if (!this.readPolicy) {
      const document = new DataAwsIamPolicyDocument(this, "read", { statement });
      const policy = new IamRolePolicy(this, "read-policy", { name: "secrets-read", role: this.resource.id, policy: document.json });
      this.readPolicy = { document, policy };
    } else {
      this.readPolicy.document.putStatement(statement);
    }
  }

  /** IAM refuses a role whose inline policies exceed 10,240 characters (without whitespace): checked when the ARNs are literal. */
  private policySizeProblems(): string[] {
    const statement = this.statements();
    const text = JSON.stringify({ Version: "2012-10-17", Statement: statement.map((s) => ({ Sid: s.sid, Effect: s.effect, Action: s.actions, Resource: s.resources, Condition: s.condition })) });
    if (isUnresolved(text) || text.length <= MAX_ROLE_INLINE_POLICY_CHARS) return [];
    return [
      problemMessage(
        "readGrants",
        `${this.grants.length} grants, ${text.length} characters`,
        `exceed IAM's ${MAX_ROLE_INLINE_POLICY_CHARS} characters of inline policy per role (the apply would fail with LimitExceeded): split the objects over several service accounts, or name them with a common path`,
      ),
    ];
  }
}

/** The service of an ARN objectName, or undefined when it is not an ARN of Secrets Manager or SSM. */
export function arnObjectType(objectName: string): "secretsmanager" | "ssmparameter" | undefined {
  const m = /^arn:[\w-]+:(secretsmanager|ssm):/.exec(objectName);
  return m ? (m[1] === "ssm" ? "ssmparameter" : "secretsmanager") : undefined;
}

/** `CLUSTER-NAMESPACE-SA`, or (longer than 64) its first 55 characters and a hash; a name prefix when the cluster name is a token. */
function roleNameFor(cluster: string, namespace: string, sa: string): { name?: string; prefix?: string } {
  if (isUnresolved(namespace) || isUnresolved(sa)) return { prefix: "irsa-" };
  if (isUnresolved(cluster)) return { prefix: `${`${namespace}-${sa}`.slice(0, 37)}-` };
  const full = `${cluster}-${namespace}-${sa}`;
  if (full.length <= 64) return { name: full };
  return { name: `${full.slice(0, 55)}-${createHash("sha256").update(full).digest("hex").slice(0, 8)}` };
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

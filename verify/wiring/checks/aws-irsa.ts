// aws classes with IAM roles for service accounts (IRSA): the pods mounting a class run as a service
// account annotated with an IRSA role, and that role may read every object the class mounts, in the
// class's region and its failover region. (That the role trusts the service account is checked by
// IrsaServiceAccount itself: it refuses a role made for another subject.)
import { IConstruct } from "constructs";
import { AWS_CSI_MOUNT, AWS_IRSA_ROLE, AWS_READ_GRANT, AWS_SERVICE_ACCOUNT_ROLE } from "../../../core/facts-aws";
import { CSI_CLASS } from "../../../core/facts-kubernetes";
import { WiringContext } from "../context";
import { registerWiringCheck, WiringCheck } from "../registry";

const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

export const AWS_SERVICE_ACCOUNT_HAS_ROLE: WiringCheck = {
  id: "AKSW-AWS1",
  title: "Pods mounting an aws class (IRSA) run as a service account annotated with an IAM role",
  consequence: 'ASCP refuses the mount: "An IAM role must be associated with service account NAME"',
  fix: "run the pods as an IrsaServiceAccount (or use AwsSecretsBinding)",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(AWS_CSI_MOUNT)) {
      if (data.usePodIdentity) continue; // EKS Pod Identity: an association, not an annotation (not modeled)
      const cls = classOf(ctx, source);
      for (const pod of ctx.podsOfClass(source, cls.namespace, cls.name)) {
        const saConstruct = pod.saConstruct ?? ctx.serviceAccount(ctx.clusterOf(source), cls.namespace, pod.sa)?.source;
        if (!saConstruct) {
          report.unverifiable(pod.at, pod.field, pod.sa, `service account ${cls.namespace}/${pod.sa} is not created by this app, so its ${ROLE_ANNOTATION} annotation and that role's grants on what SecretProviderClass ${cls.namespace}/${cls.name} mounts cannot be checked: create it with IrsaServiceAccount (or AwsSecretsBinding)`);
          continue;
        }
        if (ctx.facts.of(saConstruct, AWS_SERVICE_ACCOUNT_ROLE).length === 0) {
          report.broken(pod.at, pod.field, pod.sa, `the pods of SecretProviderClass ${cls.namespace}/${cls.name} run as ${cls.namespace}/${pod.sa} (${saConstruct.node.path}), which has no ${ROLE_ANNOTATION} annotation: ASCP refuses the mount ("An IAM role must be associated with service account ${pod.sa}"). Run them as an IrsaServiceAccount`);
        }
      }
    }
  },
};

export const AWS_ROLE_READS_MOUNTED_OBJECTS: WiringCheck = {
  id: "AKSW-AWS2",
  title: "The IRSA role of the pods' service account may read every object the aws class mounts, in each of its regions",
  consequence: "the mount fails with AccessDeniedException (secretsmanager:GetSecretValue / ssm:GetParameters) and the pod stays in ContainerCreating",
  fix: "role.grantRead(secretProviderClass), or AwsSecretsBinding",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(AWS_CSI_MOUNT)) {
      if (data.usePodIdentity) continue;
      const cls = classOf(ctx, source);
      for (const pod of ctx.podsOfClass(source, cls.namespace, cls.name)) {
        const saConstruct = pod.saConstruct ?? ctx.serviceAccount(ctx.clusterOf(source), cls.namespace, pod.sa)?.source;
        for (const { role } of saConstruct ? ctx.facts.of(saConstruct, AWS_SERVICE_ACCOUNT_ROLE) : []) {
          const trust = ctx.facts.last(role, AWS_IRSA_ROLE);
          const grants = ctx.facts.of(role, AWS_READ_GRANT);
          const primary = data.region ?? trust?.clusterRegion;
          data.objects.forEach((o, i) => {
            if (!o.objectType || primary === undefined) return;
            const wanted: [string, string, string][] = [[`provider.objects[${i}].objectName`, o.objectName, primary]];
            if (data.failoverRegion !== undefined) wanted.push([o.failoverObjectName !== undefined ? `provider.objects[${i}].failoverObject.objectName` : `provider.objects[${i}].objectName`, o.failoverObjectName ?? o.objectName, data.failoverRegion]);
            for (const [field, name, region] of wanted) {
              if (!grants.some((g) => g.objectType === o.objectType && g.objectName === name && g.region === region)) {
                report.broken(source, field, name, `pods mounting this class run as ${cls.namespace}/${pod.sa}, whose IAM role ${role.node.path} may not read it in ${region}: the mount fails with AccessDeniedException. Call role.grantRead(secretProviderClass) (or use AwsSecretsBinding)`);
              }
            }
          });
        }
      }
    }
  },
};

/** The class's namespace and name, from its CSI class fact. */
function classOf(ctx: WiringContext, source: IConstruct): { namespace: string; name: string } {
  const c = ctx.facts.last(source, CSI_CLASS);
  return { namespace: c?.namespace ?? "", name: c?.name ?? "" };
}

registerWiringCheck(AWS_SERVICE_ACCOUNT_HAS_ROLE);
registerWiringCheck(AWS_ROLE_READS_MOUNTED_OBJECTS);

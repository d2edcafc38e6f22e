// Bad input of issue 12 (part b): the migration from aad-pod-identity (PodIdentityMigration,
// WorkloadIdentity.fromExisting) and the EKS / IRSA path. Each case builds a small app of its own:
// one stack with the providers a real stack would have.
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { applyWiringChecks } from "../../../verify/wiring";
import { App, TerraformStack } from "cdktf";
import { AzureIdentity, AzureIdentityBinding, PodIdentityMigration, PodIdentityMigrationProps } from "../../../constructs/bindings/pod-identity-migration";
import { ExistingWorkloadIdentityProps, WorkloadIdentity } from "../../../constructs/azure/workload-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsSecretsBinding, AwsSecretsBindingProps, EksCluster, EksClusterAttributes, IrsaRole, IrsaRoleProps, IrsaServiceAccount } from "../../../eks";
import { PodSecretsMount } from "../../../constructs/kubernetes/pod-secrets-mount";
import { AwsProviderConfig, SecretProviderClass } from "../../../constructs/kubernetes/secret-provider-class";
import { BadInputCase } from "../battery";
import { GUID_RULE, LABEL, SUBDOMAIN } from "../fixtures";

const CLIENT_ID = "5b7c1a52-3d6e-4f0a-9c1d-2e8f7a6b5c4d";
const RESOURCE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-legacy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders";
const ISSUER = { oidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/" };

/** A stack like a bring-your-own-cluster stack: azurerm and kubernetes providers. */
function azureStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, "team");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

const IDENTITY: AzureIdentity = { metadata: { name: "orders-identity", namespace: "orders" }, spec: { type: 0, resourceID: RESOURCE_ID, clientID: CLIENT_ID } };
const BINDING: AzureIdentityBinding = { metadata: { name: "orders-binding", namespace: "orders" }, spec: { azureIdentity: "orders-identity", selector: "orders-api" } };
const migrationProps = (): PodIdentityMigrationProps => ({
  cluster: ISSUER,
  azureIdentity: IDENTITY,
  bindings: [BINDING],
  workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }],
  phase: "cutover",
});
/** Builds a migration with `patch` over the valid props. */
const migrate =
  (patch: (p: PodIdentityMigrationProps) => Record<string, unknown>) =>
  (app: App): void =>
    void new PodIdentityMigration(azureStack(app), "migration", { ...migrationProps(), ...patch(migrationProps()) } as PodIdentityMigrationProps);
const spec = (s: Record<string, unknown>) => (p: PodIdentityMigrationProps) => ({ azureIdentity: { ...p.azureIdentity, spec: { ...p.azureIdentity.spec, ...s } } });
const existing = (props: Partial<ExistingWorkloadIdentityProps>) => (app: App) =>
  void WorkloadIdentity.fromExisting(azureStack(app), "existing", { resourceId: RESOURCE_ID, issuer: ISSUER, ...props } as ExistingWorkloadIdentityProps);
const M = "team/migration";
const pods = (w: Record<string, unknown>) => () => ({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api", ...w }] });
const spcIn = (namespace: string, provider: Record<string, unknown> = {}) => () => ({
  secretProviderClasses: [{ name: "orders-kv", namespace, provider: { type: "azure", keyvaultName: "kv-orders-01", tenantId: "11111111-2222-3333-4444-555555555555", objects: [{ objectName: "db" }], ...provider } }],
});

export const cases: BadInputCase[] = [
  // constructs/azure/workload-identity.ts: WorkloadIdentity.fromExisting
  { name: "existing identity without resource ID", build: existing({ resourceId: undefined }), expect: { path: "team/existing", field: "resourceId", value: undefined, rule: /^is required: the ARM ID of the user-assigned identity/ } },
  { name: "existing identity given by name, not ARM ID", build: existing({ resourceId: "id-orders" }), expect: { path: "team/existing", field: "resourceId", value: "id-orders", rule: /^must be the ARM ID of a user-assigned identity/ } },
  {
    name: "existing identity in a resource group ending in .",
    build: existing({ resourceId: RESOURCE_ID.replace("rg-legacy", "rg-legacy.") }),
    expect: { path: "team/existing", field: "resourceId", value: "rg-legacy.", rule: /resource group names/ },
  },
  { name: "existing identity with a one-letter name", build: existing({ resourceId: RESOURCE_ID.replace("id-orders", "x") }), expect: { path: "team/existing", field: "resourceId", value: "x", rule: /managed identity names/ } },
  { name: "existing identity client ID not a GUID", build: existing({ clientId: "orders" }), expect: { path: "team/existing", field: "clientId", value: "orders", rule: GUID_RULE } },
  {
    name: "existing identity trusting 21 service accounts",
    build: existing({ serviceAccounts: Array.from({ length: 21 }, (_, i) => ({ namespace: "orders", name: `sa-${i}` })) }),
    expect: { path: "team/existing", field: "serviceAccounts", value: "21 entries", rule: /at most 20 federated credentials/ },
  },

  // constructs/bindings/pod-identity-migration.ts
  { name: "migration without cluster", build: migrate(() => ({ cluster: undefined })), expect: { path: M, field: "cluster", value: undefined, rule: /^is required: an object \{ oidcIssuerUrl \}/ } },
  { name: "migration of an AzureIdentity without name", build: migrate((p) => ({ azureIdentity: { ...p.azureIdentity, metadata: {} } })), expect: { path: M, field: "azureIdentity.metadata.name", value: undefined, rule: /^is required: a string/ } },
  { name: "migration of a service principal AzureIdentity", build: migrate(spec({ type: 1 })), expect: { path: M, field: "azureIdentity.spec.type", value: 1, rule: /^is a service principal identity/ } },
  { name: "migration of an AzureIdentity of type 7", build: migrate(spec({ type: 7 })), expect: { path: M, field: "azureIdentity.spec.type", value: 7, rule: /^must be one of 0, 1, 2/ } },
  { name: "migration of an AzureIdentity without resourceID", build: migrate(spec({ resourceID: undefined })), expect: { path: M, field: "azureIdentity.spec.resourceID", value: undefined, rule: /^is required: a string/ } },
  { name: "migration of an AzureIdentity without clientID", build: migrate(spec({ clientID: undefined })), expect: { path: M, field: "azureIdentity.spec.clientID", value: undefined, rule: /^is required: a string/ } },
  { name: "migration of an AzureIdentity whose clientID is not a GUID", build: migrate(spec({ clientID: "orders" })), expect: { path: M, field: "azureIdentity.spec.clientID", value: "orders", rule: GUID_RULE } },
  { name: "migration of an AzureIdentity whose tenantID is a domain", build: migrate(spec({ tenantID: "contoso.com" })), expect: { path: M, field: "azureIdentity.spec.tenantID", value: "contoso.com", rule: GUID_RULE } },
  {
    name: "migration given another identity than the AzureIdentity's",
    build: (app) => {
      const stack = azureStack(app);
      const other = WorkloadIdentity.fromExisting(stack, "other", { resourceId: RESOURCE_ID, clientId: "0f0e0d0c-0b0a-0908-0706-050403020100" });
      new PodIdentityMigration(stack, "migration", { ...migrationProps(), identity: other });
    },
    expect: { path: M, field: "identity", value: "team/other", rule: /^has client ID 0f0e0d0c-0b0a-0908-0706-050403020100, not the AzureIdentity's/ },
  },
  { name: "migration without phase", build: migrate(() => ({ phase: undefined })), expect: { path: M, field: "phase", value: undefined, rule: /^is required: one of "cutover", "parallel"/ } },
  { name: "migration without bindings", build: migrate(() => ({ bindings: [] })), expect: { path: M, field: "bindings", value: [], rule: /^must list the AzureIdentityBinding\(s\)/ } },
  { name: "migration of a binding without name", build: migrate(() => ({ bindings: [{ ...BINDING, metadata: {} }] })), expect: { path: M, field: "bindings[0].metadata.name", value: undefined, rule: /^is required: a string/ } },
  {
    name: "migration of a binding of another identity",
    build: migrate(() => ({ bindings: [{ ...BINDING, spec: { ...BINDING.spec, azureIdentity: "payments-identity" } }] })),
    expect: { path: M, field: "bindings[0].spec.azureIdentity", value: "payments-identity", rule: /^must name the AzureIdentity being migrated \("orders-identity"\)/ },
  },
  { name: "migration of a binding without selector", build: migrate(() => ({ bindings: [{ ...BINDING, spec: { azureIdentity: "orders-identity" } }] })), expect: { path: M, field: "bindings[0].spec.selector", value: undefined, rule: /^is required: a string/ } },
  { name: "migration of a binding whose selector is no label value", build: migrate(() => ({ bindings: [{ ...BINDING, spec: { ...BINDING.spec, selector: "orders api" } }] })), expect: { path: M, field: "bindings[0].spec.selector", value: "orders api", rule: /^label values are at most 63 characters/ } },
  { name: "migration without workloads", build: migrate(() => ({ workloads: [] })), expect: { path: M, field: "workloads", value: [], rule: /^must list where the selector's pods run/ } },
  { name: "migration workload without namespace", build: migrate(() => ({ workloads: [{ serviceAccountName: "orders-api" }] })), expect: { path: M, field: "workloads[0].namespace", value: undefined, rule: /^is required: a string or a NamespaceV1/ } },
  { name: "migration workload without service account", build: migrate(() => ({ workloads: [{ namespace: "orders" }] })), expect: { path: M, field: "workloads[0].serviceAccountName", value: undefined, rule: /^is required: a string/ } },
  {
    name: "migration workload listed twice",
    build: migrate(() => ({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }, { namespace: "orders", serviceAccountName: "orders-api" }] })),
    expect: { path: M, field: "workloads[1].serviceAccountName", value: "orders/orders-api", rule: /^is listed twice/ },
  },
  { name: "migration workload with a selector no binding has", build: migrate(pods({ selector: "payments" })), expect: { path: M, field: "workloads[0].selector", value: "payments", rule: /^is not the selector of a binding given \("orders-api"\)/ } },
  {
    name: "migration workload without selector among two bindings",
    build: migrate(() => ({ bindings: [BINDING, { metadata: { name: "orders-binding-2" }, spec: { azureIdentity: "orders-identity", selector: "orders-worker" } }] })),
    expect: { path: M, field: "workloads[0].selector", value: undefined, rule: /^is required with several bindings/ },
  },
  { name: "migration sidecar without reason", build: migrate(pods({ migrationSidecar: { reason: "old" } })), expect: { path: M, field: "workloads[0].migrationSidecar.reason", value: "old", rule: /^the migration sidecar .* needs a written reason/ } },
  { name: "migration sidecar on port 0", build: migrate(pods({ migrationSidecar: { reason: "SDK update in the next sprint", port: 0 } })), expect: { path: M, field: "workloads[0].migrationSidecar.port", value: 0, rule: /^must be a port number from 1 to 65535/ } },
  { name: "migration class in a namespace without workload", build: migrate(spcIn("payments")), expect: { path: M, field: "secretProviderClasses[0].namespace", value: "payments", rule: /^has no workload of this migration/ } },
  {
    name: "migration class already on workload identity",
    build: migrate(spcIn("orders", { identity: { mode: "workloadIdentity", identity: { clientId: CLIENT_ID } } })),
    expect: { path: M, field: "secretProviderClasses[0].provider.identity.mode", value: "workloadIdentity", rule: /^must be "podIdentity"/ },
  },
  { name: "migration class of the AWS provider", build: migrate(spcIn("orders", { type: "aws" })), expect: { path: M, field: "secretProviderClasses[0].provider.type", value: "aws", rule: /^must be "azure"/ } },
];

// EKS: constructs/aws/*, and the aws class checks in constructs/kubernetes/secret-provider-class.ts.
const ISSUER_URL = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ATTRS: EksClusterAttributes = { clusterName: "shop", oidcProviderArn: PROVIDER_ARN, oidcIssuerUrl: ISSUER_URL };
/** A bring-your-own-EKS stack: aws and kubernetes providers, and the cluster. */
function eksStack(app: App): { stack: TerraformStack; eks: EksCluster } {
  const stack = new TerraformStack(app, "eks");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  return { stack, eks: EksCluster.fromClusterAttributes(stack, "cluster", ATTRS) };
}
const eksAttrs = (patch: Record<string, unknown>) => (app: App) => {
  const stack = new TerraformStack(app, "eks");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  EksCluster.fromClusterAttributes(stack, "cluster", { ...ATTRS, ...patch } as EksClusterAttributes);
};
const role = (patch: Record<string, unknown>) => (app: App) => {
  const { stack, eks } = eksStack(app);
  new IrsaRole(stack, "role", { cluster: eks, namespace: "shop", serviceAccountName: "orders", ...patch } as IrsaRoleProps);
};
const withRole = (f: (r: IrsaRole, stack: TerraformStack) => void) => (app: App) => {
  const { stack, eks } = eksStack(app);
  f(new IrsaRole(stack, "role", { cluster: eks, namespace: "shop", serviceAccountName: "orders" }), stack);
};
const binding = (patch: Record<string, unknown>) => (app: App) => {
  const { stack, eks } = eksStack(app);
  new AwsSecretsBinding(stack, "orders", { cluster: eks, namespace: "shop", serviceAccountName: "orders", objects: ["orders/db"], ...patch } as AwsSecretsBindingProps);
};
/** The EKS stack after a system stack holding the driver and ASCP, with the wiring checks on. */
const wiredEks = (f: (stack: TerraformStack, eks: EksCluster) => void) => (app: App) => {
  const system = new TerraformStack(app, "eks-system");
  new KubernetesProvider(system, "kubernetes", {});
  new HelmProvider(system, "helm", {});
  const { stack, eks } = eksStack(app);
  eks.secretsStore(system);
  eks.secretsStore(stack);
  f(stack, eks);
  applyWiringChecks(app);
};
const awsSpc = (stack: TerraformStack) => new SecretProviderClass(stack, "spc", { name: "orders", namespace: "shop", provider: { type: "aws", objects: [{ objectName: "orders/db", objectType: "secretsmanager" }] } });
/** An aws class with `patch` over one valid object. */
const awsClass = (object: Record<string, unknown>, provider: Record<string, unknown> = {}) => (app: App) => {
  const { stack } = eksStack(app);
  new SecretProviderClass(stack, "spc", { name: "orders", namespace: "shop", provider: { type: "aws", region: "eu-west-1", objects: [{ objectName: "orders/db", objectType: "secretsmanager", ...object }], ...provider } as AwsProviderConfig });
};
const C = "eks/cluster";
const R = "eks/role";
const SA = "eks/sa";
const SPC_PATH = "eks/spc";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-AbCdEf";

cases.push(
  // constructs/aws/eks-cluster.ts
  { name: "EKS cluster without name", build: eksAttrs({ clusterName: undefined }), expect: { path: C, field: "clusterName", value: undefined, rule: /^is required: a string/ } },
  { name: "EKS cluster name with a dot", build: eksAttrs({ clusterName: "shop.prod" }), expect: { path: C, field: "clusterName", value: "shop.prod", rule: /^EKS cluster names are 1-100 characters/ } },
  { name: "EKS cluster without OIDC provider ARN", build: eksAttrs({ oidcProviderArn: undefined }), expect: { path: C, field: "oidcProviderArn", value: undefined, rule: /^is required: a string/ } },
  { name: "EKS cluster without issuer URL", build: eksAttrs({ oidcIssuerUrl: undefined }), expect: { path: C, field: "oidcIssuerUrl", value: undefined, rule: /^is required: a string/ } },
  { name: "EKS cluster region misspelt", build: eksAttrs({ region: "euwest1" }), expect: { path: C, field: "region", value: "euwest1", rule: /^must be an AWS region such as eu-west-1/ } },
  { name: "EKS cluster given a role ARN as OIDC provider", build: eksAttrs({ oidcProviderArn: "arn:aws:iam::111122223333:role/eks" }), expect: { path: C, field: "oidcProviderArn", value: "arn:aws:iam::111122223333:role/eks", rule: /^must be the ARN of an IAM OIDC provider/ } },
  { name: "EKS issuer URL with a trailing slash", build: eksAttrs({ oidcIssuerUrl: `${ISSUER_URL}/` }), expect: { path: C, field: "oidcIssuerUrl", value: `${ISSUER_URL}/`, rule: /^must be an https:\/\/ URL without a trailing '\/'/ } },
  {
    name: "EKS OIDC provider of another cluster",
    build: eksAttrs({ oidcProviderArn: PROVIDER_ARN.replace("EXAMPLED539", "OTHERD539") }),
    expect: { path: C, field: "oidcProviderArn", value: PROVIDER_ARN.replace("EXAMPLED539", "OTHERD539"), rule: /^is the provider of .*, not of this issuer/ },
  },
  {
    name: "EKS cluster with a non-EKS issuer and no region",
    build: eksAttrs({ oidcIssuerUrl: "https://issuer.example.com/k8s", oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/issuer.example.com/k8s" }),
    expect: { path: C, field: "region", value: undefined, rule: /^is required when the issuer URL is not an EKS one/ },
  },
  { name: "EKS cluster region contradicting its issuer", build: eksAttrs({ region: "us-east-1" }), expect: { path: C, field: "region", value: "us-east-1", rule: /^contradicts the issuer URL, which is of region eu-west-1/ } },

  // constructs/aws/irsa-role.ts
  { name: "IRSA role without cluster", build: role({ cluster: undefined }), expect: { path: R, field: "cluster", value: undefined, rule: /^is required: an object \{ clusterName, oidcPro/ } },
  { name: "IRSA role namespace with capitals", build: role({ namespace: "Shop" }), expect: { path: R, field: "namespace", value: "Shop", rule: LABEL } },
  { name: "IRSA role service account with a space", build: role({ serviceAccountName: "orders api" }), expect: { path: R, field: "serviceAccountName", value: "orders api", rule: SUBDOMAIN } },
  { name: "IRSA role without namespace", build: role({ namespace: undefined }), expect: { path: R, field: "namespace", value: undefined, rule: /^is required: a string/ } },
  { name: "IRSA role without service account", build: role({ serviceAccountName: undefined }), expect: { path: R, field: "serviceAccountName", value: undefined, rule: /^is required: a string/ } },
  { name: "IRSA role name with a slash", build: role({ roleName: "eks/orders" }), expect: { path: R, field: "roleName", value: "eks/orders", rule: /^IAM role names are 1-64 characters/ } },
  { name: "IRSA role path without its slashes", build: role({ path: "eks" }), expect: { path: R, field: "path", value: "eks", rule: /^must start and end with '\/'/ } },
  { name: "IRSA role boundary that is a role", build: role({ permissionsBoundary: "arn:aws:iam::111122223333:role/boundary" }), expect: { path: R, field: "permissionsBoundary", value: "arn:aws:iam::111122223333:role/boundary", rule: /^must be the ARN of an IAM policy/ } },
  {
    name: "IRSA grantRead of a Key Vault class",
    build: withRole((r, stack) => void r.grantRead(new SecretProviderClass(stack, "kv", { name: "kv", namespace: "shop", provider: { type: "vault", roleName: "orders", vaultAddress: "https://vault.example.com", objects: [{ objectName: "db", secretPath: "secret/data/db" }] } }))),
    expect: { path: R, field: "grantRead", value: "eks/kv", rule: /^needs an "aws" SecretProviderClass/ },
  },
  { name: "IRSA KMS grant of no key", build: withRole((r) => r.grantKmsDecrypt([])), expect: { path: R, field: "grantKmsDecrypt", value: [], rule: /^must name at least one KMS key ARN/ } },
  {
    name: "IRSA KMS grant of an alias",
    build: withRole((r) => r.grantKmsDecrypt(["arn:aws:kms:eu-west-1:111122223333:alias/orders"])),
    expect: { path: R, field: "grantKmsDecrypt[0]", value: "arn:aws:kms:eu-west-1:111122223333:alias/orders", rule: /^must be a KMS key ARN .* an alias ARN does not authorize the key/ },
  },
  { name: "IRSA grant of no secret", build: withRole((r) => r.grantSecretsManagerRead([])), expect: { path: R, field: "grantSecretsManagerRead", value: [], rule: /^must name at least one secret/ } },
  { name: "IRSA grant in a misspelt region", build: withRole((r) => r.grantParameterRead(["/orders/flag"], { regions: ["eu-west"] })), expect: { path: R, field: "grantParameterRead.regions[0]", value: "eu-west", rule: /^must be an AWS region/ } },
  { name: "IRSA grant of an empty name", build: withRole((r) => r.grantSecretsManagerRead([""])), expect: { path: R, field: "grantSecretsManagerRead[0]", value: "", rule: /^must be a name or an ARN/ } },
  {
    name: "IRSA secret grant given a parameter ARN",
    build: withRole((r) => r.grantSecretsManagerRead(["arn:aws:ssm:eu-west-1:111122223333:parameter/orders/flag"])),
    expect: { path: R, field: "grantSecretsManagerRead[0]", value: "arn:aws:ssm:eu-west-1:111122223333:parameter/orders/flag", rule: /^must be a Secrets Manager secret ARN/ },
  },
  {
    name: "IRSA parameter grant given a secret ARN",
    build: withRole((r) => r.grantParameterRead([SECRET_ARN])),
    expect: { path: R, field: "grantParameterRead[0]", value: SECRET_ARN, rule: /^must be an SSM parameter ARN/ },
  },
  {
    name: "IRSA grant of an ARN of another region",
    build: withRole((r) => r.grantSecretsManagerRead([SECRET_ARN.replace("eu-west-1", "us-east-1")])),
    expect: { path: R, field: "grantSecretsManagerRead[0]", value: SECRET_ARN.replace("eu-west-1", "us-east-1"), rule: /^is an ARN of region us-east-1, read in eu-west-1/ },
  },
  { name: "IRSA grant of a secret name with a space", build: withRole((r) => r.grantSecretsManagerRead(["orders db"])), expect: { path: R, field: "grantSecretsManagerRead[0]", value: "orders db", rule: /^Secrets Manager names are 1-512 characters/ } },
  { name: "IRSA grant of a parameter under /aws", build: withRole((r) => r.grantParameterRead(["/aws/reference/x"])), expect: { path: R, field: "grantParameterRead[0]", value: "/aws/reference/x", rule: /^SSM parameter names are letters, digits/ } },
  {
    name: "IRSA role policy over IAM's size limit",
    build: withRole((r) => r.grantSecretsManagerRead(Array.from({ length: 160 }, (_, i) => `team/orders/service-number-${i}/database-credentials`))),
    expect: { path: R, field: "readGrants", rule: /^exceed IAM's 10240 characters of inline policy per role/ },
  },

  // constructs/aws/irsa-service-account.ts
  {
    name: "IRSA service account without role",
    build: (app) => void new IrsaServiceAccount(eksStack(app).stack, "sa", { namespace: "shop", name: "orders" } as never),
    expect: { path: SA, field: "role", value: undefined, rule: /^is required: an IrsaRole/ },
  },
  {
    name: "IRSA service account without namespace",
    build: withRole((r, stack) => void new IrsaServiceAccount(stack, "sa", { role: r } as never)),
    expect: { path: SA, field: "namespace", value: undefined, rule: /^is required: a string or a NamespaceV1/ },
  },
  { name: "IRSA service account namespace with capitals", build: withRole((r, stack) => void new IrsaServiceAccount(stack, "sa", { role: r, namespace: "Shop" })), expect: { path: SA, field: "namespace", value: "Shop", rule: LABEL } },
  { name: "IRSA service account name with a space", build: withRole((r, stack) => void new IrsaServiceAccount(stack, "sa", { role: r, namespace: "shop", name: "orders api" })), expect: { path: SA, field: "name", value: "orders api", rule: SUBDOMAIN } },
  {
    name: "IRSA service account its role does not trust",
    build: withRole((r, stack) => void new IrsaServiceAccount(stack, "sa", { role: r, namespace: "shop", name: "payments" })),
    expect: { path: SA, field: "role", value: "eks/role", rule: /^trusts system:serviceaccount:shop:orders, not system:serviceaccount:shop:payments/ },
  },
  {
    name: "IRSA service account label with a space",
    build: withRole((r, stack) => void new IrsaServiceAccount(stack, "sa", { role: r, namespace: "shop", labels: { team: "orders team" } })),
    expect: { path: SA, field: 'labels["team"]', value: "orders team", rule: /^label values are at most 63 characters/ },
  },
  // verify/wiring/checks/aws-irsa.ts (the wiring checks, with the driver and ASCP installed)
  {
    name: "aws class mounted as a service account the app does not create",
    build: wiredEks((stack) => new PodSecretsMount(awsSpc(stack), { serviceAccount: "legacy" })),
    expect: { path: SPC_PATH, field: "podSecrets.serviceAccount", value: "legacy", rule: /^service account shop\/legacy is not created by this app, so its eks.amazonaws.com\/role-arn annotation/ },
  },
  {
    name: "aws class mounted as a service account without role",
    build: wiredEks((stack) => {
      new ServiceAccountV1(stack, "plain", { metadata: { name: "orders", namespace: "shop" } });
      new PodSecretsMount(awsSpc(stack), { serviceAccount: "orders" });
    }),
    expect: { path: SPC_PATH, field: "podSecrets.serviceAccount", value: "orders", rule: /^the pods of SecretProviderClass shop\/orders run as shop\/orders .* has no eks.amazonaws.com\/role-arn annotation/ },
  },
  {
    name: "aws class mounting an object its pods' role may not read",
    build: wiredEks((stack, eks) => {
      const r = new IrsaRole(stack, "role", { cluster: eks, namespace: "shop", serviceAccountName: "orders" });
      const sa = new IrsaServiceAccount(stack, "sa", { role: r, namespace: "shop" });
      new PodSecretsMount(awsSpc(stack), { serviceAccount: sa });
    }),
    expect: { path: SPC_PATH, field: "provider.objects[0].objectName", value: "orders/db", rule: /^pods mounting this class run as shop\/orders, whose IAM role eks\/role may not read it in eu-west-1/ },
  },

  // constructs/aws/aws-secrets-binding.ts
  { name: "AWS binding without namespace", build: binding({ namespace: undefined }), expect: { path: "eks/orders", field: "namespace", value: undefined, rule: /^is required: a string or a NamespaceV1/ } },
  { name: "AWS binding namespace with capitals", build: binding({ namespace: "Shop" }), expect: { path: "eks/orders", field: "namespace", value: "Shop", rule: LABEL } },
  { name: "AWS binding service account with a space", build: binding({ serviceAccountName: "orders api" }), expect: { path: "eks/orders", field: "serviceAccountName", value: "orders api", rule: SUBDOMAIN } },
  { name: "AWS binding of nothing", build: binding({ objects: [] }), expect: { path: "eks/orders", field: "objects", value: [], rule: /^must name at least one Secrets Manager secret or SSM parameter/ } },

  // constructs/kubernetes/pod-secrets-mount.ts and the aws class (secret-provider-class.ts)
  {
    name: "aws class mounted by the default service account",
    build: (app) => {
      const { stack } = eksStack(app);
      new PodSecretsMount(new SecretProviderClass(stack, "spc", { name: "orders", namespace: "shop", provider: { type: "aws", region: "eu-west-1", objects: [{ objectName: "orders/db", objectType: "secretsmanager" }] } }));
    },
    expect: { path: SPC_PATH, field: "podSecrets.serviceAccount", value: undefined, rule: /^is required: ASCP reads the IAM role from the pod's service account/ },
  },
  { name: "aws object type contradicting its ARN", build: awsClass({ objectName: SECRET_ARN, objectType: "ssmparameter" }), expect: { path: SPC_PATH, field: "provider.objects[0].objectType", value: "ssmparameter", rule: /^contradicts the ARN, which is of Secrets Manager/ } },
  {
    name: "aws object ARN of another region than the class",
    build: awsClass({ objectName: SECRET_ARN.replace("eu-west-1", "us-east-1") }),
    expect: { path: SPC_PATH, field: "provider.objects[0].objectName", value: SECRET_ARN.replace("eu-west-1", "us-east-1"), rule: /^is an ARN of region us-east-1, but the class reads in eu-west-1/ },
  },
  {
    name: "aws SSM parameter with version and label",
    build: awsClass({ objectName: "/orders/flag", objectType: "ssmparameter", objectVersion: "3", objectVersionLabel: "prod" }),
    expect: { path: SPC_PATH, field: "provider.objects[0].objectVersionLabel", value: "prod", rule: /^an SSM parameter takes objectVersion or objectVersionLabel, not both/ },
  },
  {
    name: "aws JMESPath key with a hyphen, unquoted",
    build: awsClass({ jmesPath: [{ path: "db-password", objectAlias: "password" }] }),
    expect: { path: SPC_PATH, field: "provider.objects[0].jmesPath[0].path", value: "db-password", rule: /^JMESPath reads '-' as minus: quote the key/ },
  },
  {
    name: "aws failover object without alias",
    build: awsClass({ failoverObject: { objectName: "orders/db-replica" } }, { failoverRegion: "eu-central-1" }),
    expect: { path: SPC_PATH, field: "provider.objects[0].objectAlias", value: undefined, rule: /^is required with a failoverObject/ },
  },
  {
    name: "aws failover object of another version",
    build: awsClass({ objectAlias: "db", objectVersion: "v1", failoverObject: { objectName: "orders/db-replica", objectVersion: "v2" } }, { failoverRegion: "eu-central-1" }),
    expect: { path: SPC_PATH, field: "provider.objects[0].failoverObject.objectVersion", value: "v2", rule: /^must equal the object's objectVersion/ },
  },
  {
    name: "aws failover object ARN of the primary region",
    build: awsClass({ objectAlias: "db", failoverObject: { objectName: SECRET_ARN } }, { failoverRegion: "eu-central-1" }),
    expect: { path: SPC_PATH, field: "provider.objects[0].failoverObject.objectName", value: SECRET_ARN, rule: /^is an ARN of region eu-west-1, but the failover region is eu-central-1/ },
  },
);

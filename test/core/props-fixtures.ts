// Valid baseline props for every construct and stack of the generated props table (the walker in
// props-walker.test.ts breaks them one field at a time). A construct or stack added to the library
// needs an entry here: the walker fails until it has one. Give several baselines when a union has
// several variants, and set every optional field in at least one of them (the walker fails on a
// field no baseline reaches).
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HcpProvider } from "@cdktf/provider-hcp/lib/provider";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { App, TerraformStack } from "cdktf";
import { AksCluster, AksClusterProps } from "../../constructs/azure/aks-cluster";
import { HcpVaultCluster } from "../../constructs/hcp/hcp-vault-cluster";
import { HvnPeering, HvnSpoke } from "../../constructs/hcp/hvn-peering";
import { KeyVault } from "../../constructs/azure/key-vault";
import { KeyVaultWorkloadBinding } from "../../constructs/bindings/key-vault-workload-binding";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { VaultJwtAuth } from "../../constructs/vault/vault-jwt-auth";
import { VaultSecretsOperator, VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../../constructs/vault/vault-secrets-operator";
import { WorkloadIdentity } from "../../constructs/azure/workload-identity";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { ClusterStack } from "../../stacks/cluster-stack";
import { HcpStack } from "../../stacks/hcp-stack";
import { PlatformStack } from "../../stacks/platform-stack";
import { VaultConfigStack } from "../../stacks/vault-config-stack";
import { buildDefaultApp } from "../../app/default-app";
import { TerraformCloudBootstrapStack } from "../../app/terraform-cloud-bootstrap";
import { TfcAzureRunIdentity } from "../../constructs/terraform-cloud/azure-run-identity";
import { TfcHcpRunIdentity } from "../../constructs/terraform-cloud/hcp-run-identity";
import { TfcVaultRunTrust } from "../../constructs/terraform-cloud/vault-run-trust";
import { AksNodePool } from "../../constructs/azure/aks-node-pool";
import { KeyVaultPrivateEndpoint } from "../../constructs/azure/key-vault-private-endpoint";
import { SecretsPod } from "../../constructs/kubernetes/secrets-pod";
import { PodSecretsMount } from "../../constructs/kubernetes/pod-secrets-mount";
import { AzapiProvider, AzapiResource } from "../../constructs/azure/azapi";
import { AksIdentityBinding, IDENTITY_BINDING_RESOURCE_TYPE } from "../../constructs/azure/aks-identity-binding";
import { IdentityBindingClusterRole } from "../../constructs/kubernetes/identity-binding-role";
import { Reloader } from "../../constructs/kubernetes/reloader";
import { EsoClusterSecretStore, EsoExternalSecret, EsoSecretStore, ExternalSecretsOperator } from "../../constructs/external-secrets";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsSecretsBinding } from "../../constructs/aws/aws-secrets-binding";
import { EksCluster } from "../../constructs/aws/eks-cluster";
import { IrsaRole } from "../../constructs/aws/irsa-role";
import { IrsaServiceAccount } from "../../constructs/aws/irsa-service-account";
import { PodIdentityMigration } from "../../constructs/bindings/pod-identity-migration";
import { AwsCsiProvider, AzureKeyVaultCsiProvider, VaultCsiProvider } from "../../constructs/kubernetes/installers/csi-providers";
import { SecretsStore } from "../../constructs/kubernetes/installers/secrets-store";
import { SecretsStoreCsiDriver } from "../../constructs/kubernetes/installers/secrets-store-csi-driver";

export const TENANT = "11111111-2222-3333-4444-555555555555";
export const GUID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SUBNET = `/subscriptions/${GUID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks`;
const HUB = `/subscriptions/${GUID}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";
const ADDRESS = "https://vault-private.example.hashicorp.cloud:8200";

/** One valid way to build a construct: the props, and the call that builds it with (mutated) props. */
export interface Baseline<P = any> {
  readonly props: P;
  /** Builds the construct under test with these props. */
  readonly create: (props: P) => unknown;
  /** Construct path of the construct under test. */
  readonly path: string;
}
export interface Fixture<P = any> {
  /** What this baseline shows (`minimal`, `full`, `vault provider`, ...). */
  readonly name: string;
  readonly build: (app: App) => Baseline<P>;
}

function azureStack(app: App, id = "platform"): TerraformStack {
  const s = new TerraformStack(app, id);
  new AzurermProvider(s, "azurerm", { features: [{}] });
  return s;
}
function k8sStack(app: App, id = "cluster"): TerraformStack {
  const s = new TerraformStack(app, id);
  new KubernetesProvider(s, "kubernetes", {});
  new HelmProvider(s, "helm", {});
  return s;
}
const aksProps: AksClusterProps = { name: "aks-x", resourceGroupName: "rg-x", location: "westeurope", nodeSubnetId: SUBNET, apiServerAccess: { mode: "private" } };
function platform(app: App) {
  const stack = azureStack(app);
  const cluster = new AksCluster(stack, "aks", aksProps);
  const vault = new KeyVault(stack, "kv", { name: "kv-x-0001", resourceGroupName: "rg-x", location: "westeurope", tenantId: TENANT, secrets: ["db", "api"] });
  const identity = new WorkloadIdentity(stack, "wi", { name: "id-x", resourceGroupName: "rg-x", location: "westeurope", issuer: cluster });
  return { stack, cluster, vault, identity };
}
const spoke: HvnSpoke = { name: "hub", vnetId: HUB, vnetName: "vnet-hub", resourceGroupName: "rg-hub", location: "westeurope", subscriptionId: GUID, tenantId: TENANT, addressRanges: ["10.50.0.0/16"], allowForwardedTraffic: true, useRemoteGateways: false };
function hcpStack(app: App) {
  const s = new TerraformStack(app, "hcp");
  new HcpProvider(s, "hcp", {});
  new AzurermProvider(s, "azurerm", { features: [{}] });
  new AzureadProvider(s, "azuread", {});
  return s;
}
function vaultWorld(app: App) {
  const vs = new TerraformStack(app, "vault");
  new VaultProvider(vs, "vault", { address: ADDRESS, namespace: "admin" });
  const jwt = new VaultJwtAuth(vs, "jwt", { issuer: { oidcIssuerUrl: ISSUER } });
  const role = jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets: [{ mount: "secret", path: "demo/config" }] });
  const cluster = k8sStack(app);
  const operator = new VaultSecretsOperator(cluster, "vso", {});
  return { vs, jwt, role, cluster, operator };
}

const fx = <P>(name: string, build: (app: App) => Baseline<P>): Fixture<P> => ({ name, build });

export const FIXTURES: Record<string, Fixture[]> = {
  AksCluster: [
    fx("minimal", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...aksProps }, create: (p) => new AksCluster(s, "subject", p) }; }),
    fx("full", (app) => {
      const s = azureStack(app);
      return {
        path: "platform/subject",
        props: { ...aksProps, dnsPrefix: "aksx", tenantId: TENANT, adminGroupObjectIds: [GUID], kubernetesVersion: "1.30", vmSize: "Standard_D4s_v5", nodeCount: 3, nodePoolName: "sys", serviceCidr: "172.17.0.0/16", dnsServiceIp: "172.17.0.10", networkPolicy: "cilium", secretRotation: true, secretRotationInterval: "5m", allowLocalAccounts: { reason: "break-glass access for the pilot" }, allowDestroy: { reason: "a throwaway test cluster" }, skuTier: "Free", tags: { env: "test" } },
        create: (p) => new AksCluster(s, "subject", p),
      };
    }),
    fx("authorized ranges", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...aksProps, apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"] } }, create: (p) => new AksCluster(s, "subject", p) }; }),
    fx("private with zone", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...aksProps, apiServerAccess: { mode: "private", privateDnsZoneId: "None" } }, create: (p) => new AksCluster(s, "subject", p) }; }),
  ],
  KeyVault: [
    fx("minimal", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { name: "kv-x-0002", resourceGroupName: "rg-x", location: "westeurope", tenantId: TENANT }, create: (p) => new KeyVault(s, "subject", p) }; }),
    fx("full", (app) => {
      const s = azureStack(app);
      return {
        path: "platform/subject",
        props: { name: "kv-x-0002", resourceGroupName: "rg-x", location: "westeurope", tenantId: TENANT, authorization: "accessPolicy", sku: "premium", softDeleteRetentionDays: 30, allowedIpRanges: ["203.0.113.10"], allowedSubnetIds: [SUBNET], allowPublicNetwork: { reason: "a public demo vault, no real secrets" }, allowDestroy: { reason: "a throwaway test vault" }, secrets: ["db"], tags: { env: "test" } },
        create: (p) => new KeyVault(s, "subject", p),
      };
    }),
  ],
  WorkloadIdentity: [
    fx("minimal", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { name: "id-y", resourceGroupName: "rg-x", location: "westeurope" }, create: (p) => new WorkloadIdentity(s, "subject", p) }; }),
    fx("full", (app) => {
      const { stack, cluster } = platform(app);
      return { path: "platform/subject", props: { name: "id-y", resourceGroupName: "rg-x", location: "westeurope", issuer: cluster, serviceAccounts: [{ namespace: "shop", name: "orders", issuer: { oidcIssuerUrl: ISSUER }, credentialName: "shop-orders" }], tags: { env: "test" } }, create: (p) => new WorkloadIdentity(stack, "subject", p) };
    }),
  ],
  SecretProviderClass: [
    fx("azure, workload identity", (app) => {
      const { vault, identity } = platform(app);
      vault.grantSecretRead(identity, { secrets: ["db"] });
      const c = k8sStack(app);
      return {
        path: "cluster/subject",
        props: {
          name: "orders", namespace: "shop", labels: { team: "shop" },
          provider: { type: "azure", keyVault: vault, identity: { mode: "workloadIdentity", identity }, cloudName: "AzurePublicCloud", objects: [{ objectName: "db", objectType: "secret", objectAlias: "db.txt", objectVersion: "0123456789abcdef0123456789abcdef", objectEncoding: "utf-8", objectFormat: "pem", filePermission: "0440" }] },
          secretObjects: [{ secretName: "orders-db", type: "Opaque", data: [{ objectName: "db.txt", key: "password" }], labels: { team: "shop" }, annotations: { note: "synced" } }],
        },
        create: (p) => new SecretProviderClass(c, "subject", p),
      };
    }),
    fx("azure by name, add-on identity", (app) => {
      const { cluster, vault } = platform(app);
      vault.grantSecretRead(cluster.secretsProviderIdentity, { secrets: ["db"] });
      const c = k8sStack(app);
      return { path: "cluster/subject", props: { name: "addon", namespace: new NamespaceV1(c, "ns", { metadata: { name: "shop" } }), provider: { type: "azure", keyvaultName: "kv-x-0001", tenantId: TENANT, identity: { mode: "vmManagedIdentity", identity: cluster.secretsProviderIdentity }, objects: [{ objectName: "db" }] } }, create: (p) => new SecretProviderClass(c, "subject", p) };
    }),
    fx("vault", (app) => {
      const c = k8sStack(app);
      return {
        path: "cluster/subject",
        props: { name: "vault-demo", namespace: "demo", provider: { type: "vault", roleName: "demo", vaultAddress: ADDRESS, vaultNamespace: "admin", vaultAuthMountPath: "jwt-aks", audience: "vault", vaultCACertPath: "/etc/ca.pem", vaultCADirectory: "/etc/ca", vaultTLSServerName: "vault.example", vaultTLSClientCertPath: "/etc/tls.crt", vaultTLSClientKeyPath: "/etc/tls.key", objects: [{ objectName: "password", secretPath: "secret/data/demo", secretKey: "password", method: "POST", secretArgs: { a: 1 }, filePermission: "0440", encoding: "utf-8" }] } },
        create: (p) => new SecretProviderClass(c, "subject", p),
      };
    }),
    fx("vault, tls skipped", (app) => {
      const c = k8sStack(app);
      return { path: "cluster/subject", props: { name: "vault-demo", namespace: "demo", provider: { type: "vault", roleName: "demo", vaultAddress: ADDRESS, skipTlsVerify: { reason: "a dev server with a self-signed cert" }, objects: [{ objectName: "password", secretPath: "secret/data/demo" }] } }, create: (p) => new SecretProviderClass(c, "subject", p) };
    }),
    fx("aws", (app) => {
      const c = k8sStack(app);
      return {
        path: "cluster/subject",
        props: { name: "aws-demo", namespace: "demo", provider: { type: "aws", region: "eu-west-1", failoverRegion: "eu-central-1", pathTranslation: "_", usePodIdentity: false, preferredAddressType: "ipv4", objects: [{ objectName: "db", objectType: "secretsmanager", objectAlias: "db.json", objectVersion: "v1", objectVersionLabel: "AWSCURRENT", filePermission: "0440", jmesPath: [{ path: "username", objectAlias: "user", filePermission: "0440" }], failoverObject: { objectName: "db-failover", objectVersion: "v1", objectVersionLabel: "AWSCURRENT" } }] } },
        create: (p) => new SecretProviderClass(c, "subject", p),
      };
    }),
  ],
  WorkloadServiceAccount: [
    fx("full", (app) => {
      const { identity, cluster } = platform(app);
      identity.addServiceAccount({ namespace: "shop", name: "orders" });
      const c = k8sStack(app);
      return { path: "cluster/subject", props: { identity, namespace: "shop", name: "orders", annotateTenantId: true, tokenExpirationSeconds: 3600, cluster, automountServiceAccountToken: true, labels: { team: "shop" } }, create: (p) => new WorkloadServiceAccount(c, "subject", p) };
    }),
    fx("by client id", (app) => {
      const c = k8sStack(app);
      return { path: "cluster/subject", props: { identity: { clientId: GUID, tenantId: TENANT }, namespace: "shop", name: "orders" }, create: (p) => new WorkloadServiceAccount(c, "subject", p) };
    }),
  ],
  KeyVaultWorkloadBinding: [
    fx("full", (app) => {
      const { stack, cluster, vault } = platform(app);
      const c = k8sStack(app);
      return {
        path: "platform/subject",
        props: { cluster, keyVault: vault, namespace: "shop", serviceAccountName: "orders", secrets: ["db", { objectName: "api", objectType: "secret", objectAlias: "api.txt", objectVersion: "0123456789abcdef0123456789abcdef", objectVersionHistory: 1, objectEncoding: "utf-8", objectFormat: "pem", filePermission: "0440" }], identityName: "id-orders", resourceGroupName: "rg-x", location: "westeurope", secretProviderClassName: "orders-kv", sync: { secretName: "orders", type: "Opaque", keys: { db: "password" }, labels: { team: "shop" }, annotations: { note: "x" } }, mount: { volumeName: "secrets", mountPath: "/mnt/kv" }, tags: { env: "test" } },
        create: (p) => new KeyVaultWorkloadBinding(stack, c, "subject", p),
      };
    }),
    fx("own identity", (app) => {
      const { stack, cluster, vault, identity } = platform(app);
      const c = k8sStack(app);
      return { path: "platform/subject", props: { cluster, keyVault: vault, namespace: "shop", serviceAccountName: "orders", secrets: ["db"], identity, sync: true }, create: (p) => new KeyVaultWorkloadBinding(stack, c, "subject", p) };
    }),
  ],
  HvnPeering: [
    fx("create", (app) => { const s = hcpStack(app); return { path: "hcp/subject", props: { hvn: { mode: "create", hvnId: "hvn-x", region: "westeurope", cidrBlock: "172.26.0.0/20", projectId: GUID, allowDestroy: { reason: "a throwaway test network" } }, spokes: [spoke], reservedRanges: ["172.16.0.0/16"] }, create: (p) => new HvnPeering(s, "subject", p) }; }),
    fx("existing", (app) => { const s = hcpStack(app); return { path: "hcp/subject", props: { hvn: { mode: "existing", hvnId: "hvn-x", cidrBlock: "172.26.0.0/20", projectId: GUID }, spokes: [spoke] }, create: (p) => new HvnPeering(s, "subject", p) }; }),
  ],
  HcpVaultCluster: [
    fx("full", (app) => {
      const s = hcpStack(app);
      const hvn = new HvnPeering(s, "hvn", { hvn: { mode: "create", hvnId: "hvn-x", region: "westeurope", cidrBlock: "172.26.0.0/20" }, spokes: [spoke] });
      return { path: "hcp/subject", props: { clusterId: "vault-x", hvn, tier: "dev", minVaultVersion: "v1.21.2", projectId: GUID, allowDestroy: { reason: "a throwaway test vault" } }, create: (p) => new HcpVaultCluster(s, "subject", p) };
    }),
    fx("structural hvn", (app) => {
      const s = hcpStack(app);
      return { path: "hcp/subject", props: { clusterId: "vault-x", hvn: { hvnId: "hvn-x", selfLink: "/project/x/hashicorp.network.hvn/hvn-x", cidrBlock: "172.26.0.0/20", region: "westeurope" } }, create: (p) => new HcpVaultCluster(s, "subject", p) };
    }),
  ],
  VaultJwtAuth: [
    fx("full", (app) => {
      const vs = new TerraformStack(app, "vault");
      new VaultProvider(vs, "vault", { address: ADDRESS });
      return { path: "vault/subject", props: { issuer: { oidcIssuerUrl: ISSUER }, path: "jwt-x", description: "AKS", keys: { mode: "discovery" }, vaultNamespace: "admin", defaultAudiences: ["vault"], roles: [{ name: "demo", namespace: "demo", serviceAccountName: "demo-app", audiences: ["vault"], secrets: [{ mount: "secret", path: "demo/config" }], policies: ["dev"], policyReads: [{ mount: "secret", path: "demo/shared" }], secretPrefixes: [{ mount: "secret", path: "demo" }], tokenTtl: "10m", tokenMaxTtl: "1h" }] }, create: (p) => new VaultJwtAuth(vs, "subject", p) };
    }),
    fx("public keys", (app) => {
      const vs = new TerraformStack(app, "vault");
      new VaultProvider(vs, "vault", { address: ADDRESS });
      return { path: "vault/subject", props: { issuer: { oidcIssuerUrl: ISSUER }, keys: { mode: "publicKeys", keys: ["-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"] } }, create: (p) => new VaultJwtAuth(vs, "subject", p) };
    }),
  ],
  VaultSecretsOperator: [
    fx("full", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: { chartVersion: "0.9.0", namespace: "vso", releaseName: "vso", values: { a: 1 }, dependsOn: [new NamespaceV1(c, "ns", { metadata: { name: "vso" } })] }, create: (p) => new VaultSecretsOperator(c, "subject", p) }; }),
  ],
  VsoVaultConnection: [
    fx("full", (app) => { const w = vaultWorld(app); return { path: "cluster/subject", props: { operator: w.operator, address: ADDRESS, name: "vault", namespace: "vso", caCertSecretRef: "vault-ca", tlsServerName: "vault.example", timeout: "30s", dependsOn: [w.operator.release] }, create: (p) => new VsoVaultConnection(w.cluster, "subject", p) }; }),
  ],
  VsoVaultAuth: [
    fx("full", (app) => {
      const w = vaultWorld(app);
      const connection = new VsoVaultConnection(w.cluster, "conn", { operator: w.operator, address: ADDRESS });
      return { path: "cluster/subject", props: { role: w.role, connection, name: "vault-demo", namespace: "demo", serviceAccount: "demo-app", audiences: ["vault"], vaultNamespace: "admin", tokenExpirationSeconds: 600, createServiceAccount: true, dependsOn: [w.operator.release] }, create: (p) => new VsoVaultAuth(w.cluster, "subject", p) };
    }),
  ],
  VsoVaultStaticSecret: [
    fx("full", (app) => {
      const w = vaultWorld(app);
      const connection = new VsoVaultConnection(w.cluster, "conn", { operator: w.operator, address: ADDRESS });
      const auth = new VsoVaultAuth(w.cluster, "auth", { role: w.role, connection });
      return { path: "cluster/subject", props: { auth, secret: { mount: "secret", path: "demo/config" }, destination: { name: "demo-config", create: true, overwrite: false, type: "Opaque", labels: { team: "demo" }, annotations: { note: "x" } }, name: "demo-config", refreshAfter: "60s", rolloutRestartTargets: [{ kind: "Deployment", name: "demo" }], version: 2, dependsOn: [w.operator.release] }, create: (p) => new VsoVaultStaticSecret(w.cluster, "subject", p) };
    }),
  ],
  PlatformStack: [
    fx("minimal", (app) => ({ path: "subject", props: undefined, create: (p) => new PlatformStack(app, "subject", p) })),
    fx("private", (app) => ({ path: "subject", props: { apiServerAccess: { mode: "private", privateDnsZoneId: "System" } }, create: (p) => new PlatformStack(app, "subject", p) })),
    fx("full", (app) => ({
      path: "subject",
      props: { namePrefix: "shop", location: "northeurope", subscriptionId: GUID, tenantId: TENANT, resourceGroupName: "rg-shop", vnetAddressSpace: ["10.30.0.0/16"], nodeSubnetCidr: "10.30.0.0/22", apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"] }, cluster: { name: "aks-shop", dnsPrefix: "shop", adminGroupObjectIds: [GUID], kubernetesVersion: "1.30", vmSize: "Standard_D4s_v5", nodeCount: 2, nodePoolName: "sys", serviceCidr: "172.17.0.0/16", dnsServiceIp: "172.17.0.10", networkPolicy: "azure", secretRotation: true, secretRotationInterval: "2m", allowLocalAccounts: { reason: "break-glass for the pilot" }, allowDestroy: { reason: "a throwaway test cluster" }, skuTier: "Standard", tags: { env: "test" } }, keyVaultName: "kv-shop-0001", keyVaultAuthorization: "rbac", keyVaultAllowedIpRanges: ["203.0.113.10"], secrets: ["db"], workloads: [{ name: "orders", namespace: "shop", serviceAccountName: "orders", secrets: ["db"] }], addonReadsSecrets: ["db"], deployerAccess: true, tags: { env: "test" } },
      create: (p) => new PlatformStack(app, "subject", p),
    })),
  ],
  ClusterStack: [
    fx("aks", (app) => { const p = new PlatformStack(app, "platform", { tenantId: TENANT }); return { path: "subject", props: { cluster: p.cluster, auth: { mode: "azureCli", kubeloginPath: "/usr/bin/kubelogin" }, subscriptionId: GUID }, create: (x) => new ClusterStack(app, "subject", x) }; }),
    fx("by name, workload identity", (app) => ({ path: "subject", props: { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", localAccountsDisabled: true }, auth: { mode: "workloadIdentity", clientId: GUID, tenantId: TENANT, federatedTokenFile: "/var/run/token", kubeloginPath: "kubelogin" } }, create: (x) => new ClusterStack(app, "subject", x) })),
    fx("tfc", (app) => ({ path: "subject", props: { cluster: { name: "aks-prod", resourceGroupName: "rg-prod" }, auth: { mode: "terraformCloud", clientId: GUID, tenantId: TENANT, kubeloginPath: "kubelogin" } }, create: (x) => new ClusterStack(app, "subject", x) })),
    fx("msi", (app) => ({ path: "subject", props: { cluster: { name: "aks-prod", resourceGroupName: "rg-prod" }, auth: { mode: "managedIdentity", clientId: GUID, kubeloginPath: "kubelogin" } }, create: (x) => new ClusterStack(app, "subject", x) })),
    fx("local admin", (app) => ({ path: "subject", props: { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", localAccountsDisabled: false }, auth: { mode: "localAdmin", reason: "a legacy cluster with local accounts" } }, create: (x) => new ClusterStack(app, "subject", x) })),
    fx("self-managed driver, installers", (app) => ({ path: "subject", props: { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: "selfManaged" }, secretsStore: { driver: { chartVersion: "1.2.3", namespace: "csi", releaseName: "csi-driver", values: { a: 1 }, syncSecret: true, rotationPollInterval: "5m", tokenAudiences: ["vault"] }, install: ["azure", "vault", "aws"], azureProvider: { chartVersion: "1.2.3", namespace: "csi", releaseName: "csi-azure", values: { a: 1 } }, vaultProvider: { chartVersion: "1.2.3", namespace: "csi", releaseName: "csi-vault", values: { a: 1 } }, awsProvider: { chartVersion: "1.2.3", namespace: "csi", releaseName: "csi-aws", values: { a: 1 }, region: "eu-west-1" } } }, create: (x) => new ClusterStack(app, "subject", x) })),
    fx("self-managed driver, rotation off", (app) => ({ path: "subject", props: { cluster: { name: "aks-prod", resourceGroupName: "rg-prod", secretsStoreCsiDriver: "selfManaged" }, secretsStore: { driver: { disableSecretRotation: { reason: "the apps read their secrets once at start" } } } }, create: (x) => new ClusterStack(app, "subject", x) })),
  ],
  HcpStack: [
    fx("create", (app) => { const platform = new PlatformStack(app, "platform", { tenantId: TENANT }); return { path: "subject", props: { platform, hvnId: "hvn-x", hvnCidr: "172.26.0.0/20", hvnRegion: "westeurope", extraSpokes: [spoke], spokeName: "aks", vaultClusterId: "vault-x", vaultTier: "dev", hcpProjectId: GUID, subscriptionId: GUID }, create: (x) => new HcpStack(app, "subject", x) }; }),
    fx("existing", (app) => { const platform = new PlatformStack(app, "platform", { tenantId: TENANT }); return { path: "subject", props: { platform, existingHvn: { hvnId: "hvn-x", cidrBlock: "172.26.0.0/20", projectId: GUID } }, create: (x) => new HcpStack(app, "subject", x) }; }),
  ],
  VaultConfigStack: [
    fx("full", (app) => {
      const s = hcpStack(app);
      const hvn = new HvnPeering(s, "hvn", { hvn: { mode: "create", hvnId: "hvn-x", region: "westeurope", cidrBlock: "172.26.0.0/20" }, spokes: [spoke] });
      const vault = new HcpVaultCluster(s, "vault", { clusterId: "vault-x", hvn });
      return { path: "subject", props: { vault, issuer: { oidcIssuerUrl: ISSUER }, roles: [{ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secretPaths: ["demo/config"], secretPrefixes: [{ mount: "kv", path: "demo" }], audiences: ["vault"], tokenTtl: "10m", tokenMaxTtl: "1h" }], kvMount: "kv", jwtPath: "jwt-x", jwtKeys: { mode: "discovery" }, allowKvDestroy: { reason: "a throwaway test mount" } }, create: (x) => new VaultConfigStack(app, "subject", x) };
    }),
    fx("public keys", (app) => {
      const s = hcpStack(app);
      const vault = new HcpVaultCluster(s, "vault", { clusterId: "vault-x", hvn: { hvnId: "hvn-x", selfLink: "/x", cidrBlock: "172.26.0.0/20", region: "westeurope" } });
      return { path: "subject", props: { vault, issuer: { oidcIssuerUrl: ISSUER }, roles: [], jwtKeys: { mode: "publicKeys", keys: ["-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"] } }, create: (x) => new VaultConfigStack(app, "subject", x) };
    }),
  ],
};

/** Table paths no valid baseline can reach, with the reason (the walker fails when one is reached or gone). */
export const UNREACHABLE: Record<string, Record<string, string>> = {
  SecretProviderClass: {
    "provider<type=azure>.identity<mode=podIdentity>": "always refused: aad-pod-identity is retired (no valid baseline exists)",
    "provider<type=azure>.identity<mode=podIdentity>.mode": "always refused: aad-pod-identity is retired (no valid baseline exists)",
  },
};

// ---------------------------------------------------------------------------
// Terraform Cloud (issue 16)
const WS = { organization: "contoso", project: "aks-secrets", workspace: "platform" };
function tfcStack(app: App) {
  const s = new TerraformStack(app, "tfc");
  new AzurermProvider(s, "azurerm", { features: [{}] });
  new AzureadProvider(s, "azuread", {});
  new HcpProvider(s, "hcp", {});
  new VaultProvider(s, "vault", { address: ADDRESS });
  return s;
}
Object.assign(FIXTURES, {
  TfcAzureRunIdentity: [
    fx("full", (app) => { const s = tfcStack(app); return { path: "tfc/subject", props: { displayName: "tfc-platform", workspaces: [WS], hostname: "app.terraform.io", roles: [{ role: "Reader", scope: `/subscriptions/${GUID}`, reason: "reads the spoke VNets" }] }, create: (p: any) => new TfcAzureRunIdentity(s, "subject", p) }; }),
  ],
  TfcHcpRunIdentity: [
    fx("full", (app) => { const s = tfcStack(app); return { path: "tfc/subject", props: { hcpProjectId: GUID, workspace: WS, hostname: "app.terraform.io", role: "roles/contributor" }, create: (p: any) => new TfcHcpRunIdentity(s, "subject", p) }; }),
  ],
  TfcVaultRunTrust: [
    fx("full", (app) => { const s = tfcStack(app); return { path: "tfc/subject", props: { workspace: WS, hostname: "app.terraform.io", authPath: "jwt-tfc", role: "tfc-vault-config", manages: { authMounts: ["jwt-aks"], secretMounts: ["secret"] } }, create: (p: any) => new TfcVaultRunTrust(s, "subject", p) }; }),
  ],
  TerraformCloudBootstrapStack: [
    fx("over the default app", (app) => {
      buildDefaultApp(app, { backend: { organization: "contoso", project: "aks-secrets" } });
      return { path: "subject", props: { backend: { organization: "contoso", project: "aks-secrets", workspacePrefix: "", hostname: "app.terraform.io" } }, create: (p: any) => new TerraformCloudBootstrapStack(app, "subject", p) };
    }),
    fx("full", (app) => {
      const { stacks } = buildDefaultApp(app, { backend: { organization: "contoso", project: "aks-secrets" } }) as any;
      return {
        path: "subject",
        props: { backend: { organization: "contoso", project: "aks-secrets" }, stacks: stacks ?? app.node.children.filter((c) => TerraformStack.isStack(c)), azure: { subscriptionId: GUID, tenantId: TENANT }, hcpProjectId: GUID, vault: { address: ADDRESS, namespace: "admin" }, executionModes: { platform: "remote" }, agentPoolName: "private-network" },
        create: (p: any) => new TerraformCloudBootstrapStack(app, "subject", p),
      };
    }),
  ],
});

// ---------------------------------------------------------------------------
// Secure defaults (issue 14b): upgrade channels and their opt-outs, maintenance windows (every
// schedule variant in each window), OS disks, the dedicated system pool, node pools, Key Vault
// private endpoints, the bare pod helper.
const REASON = { reason: "a throwaway test cluster without these defaults" };
const window = (schedule: Record<string, unknown>) => ({ schedule, startTime: "01:30", durationHours: 6, utcOffset: "+05:30", startDate: "2026-09-01", notAllowed: [{ start: "2026-12-20", end: "2027-01-03" }] });
const DAILY = { frequency: "Daily", intervalDays: 2 };
const WEEKLY = { frequency: "Weekly", dayOfWeek: "Sunday", intervalWeeks: 2 };
const ABSOLUTE = { frequency: "AbsoluteMonthly", dayOfMonth: 1, intervalMonths: 3 };
const RELATIVE = { frequency: "RelativeMonthly", dayOfWeek: "Saturday", weekIndex: "Last", intervalMonths: 1 };
const WINDOWS: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ["weekly / daily", WEEKLY, DAILY],
  ["daily / weekly", DAILY, WEEKLY],
  ["absolute / relative monthly", ABSOLUTE, RELATIVE],
  ["relative / absolute monthly", RELATIVE, ABSOLUTE],
];
const userPool = (osDisk: Record<string, unknown>) => ({ name: "user", vmSize: "Standard_D4ds_v5", nodeCount: 2, subnetId: SUBNET, osDisk, hostEncryption: true, tags: { env: "test" } });
const OPT_OUTS = { allowWithoutAzurePolicy: REASON, allowManualUpgrades: REASON, allowUnmanagedNodeOs: REASON, osDisk: { type: "Managed", sizeGb: 128 }, dedicatedSystemPool: { userPool: userPool({ type: "Managed", sizeGb: 128 }) } };
const windowed = (k: Record<string, unknown>, n: Record<string, unknown>) => ({ vmSize: "Standard_D4ds_v5", osDisk: { type: "Ephemeral", sizeGb: 64 }, dedicatedSystemPool: { userPool: userPool({ type: "Ephemeral", sizeGb: 64 }) }, maintenanceWindows: { kubernetes: window(k), nodeOs: window(n) } });

FIXTURES.AksCluster.push(
  fx("opt-outs, managed disks, dedicated system pool", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...aksProps, ...OPT_OUTS }, create: (p: any) => new AksCluster(s, "subject", p) }; }),
  ...WINDOWS.map(([n, k, o]) => fx(`maintenance windows ${n}, ephemeral disks`, (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...aksProps, ...windowed(k, o) }, create: (p: any) => new AksCluster(s, "subject", p) }; })),
);
FIXTURES.PlatformStack.push(
  fx("cluster opt-outs, private endpoint subnet", (app) => ({ path: "subject", props: { tenantId: TENANT, cluster: OPT_OUTS, keyVaultPrivateEndpoint: { subnetCidr: "10.20.8.0/27", subnetName: "snet-pe" } }, create: (p: any) => new PlatformStack(app, "subject", p) })),
  ...WINDOWS.map(([n, k, o]) => fx(`cluster maintenance windows ${n}`, (app) => ({ path: "subject", props: { tenantId: TENANT, cluster: windowed(k, o) }, create: (p: any) => new PlatformStack(app, "subject", p) }))),
);
const kvBase = { name: "kv-x-0003", resourceGroupName: "rg-x", location: "westeurope", tenantId: TENANT };
const ZONE = `/subscriptions/${GUID}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
FIXTURES.KeyVault.push(
  fx("private endpoint, zone created", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...kvBase, privateEndpoint: { subnetId: SUBNET, linkedVirtualNetworkIds: [HUB] } }, create: (p: any) => new KeyVault(s, "subject", p) }; }),
  fx("private endpoint, existing zone", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { ...kvBase, privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: ZONE } }, create: (p: any) => new KeyVault(s, "subject", p) }; }),
);
const poolCluster = (vmSize: string, osDisk?: Record<string, unknown>) => ({ id: `/subscriptions/${GUID}/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-x`, nodeSubnetId: SUBNET, nodePoolDefaults: { vmSize, osDisk, hostEncryption: false, poolNames: ["system"] } });
Object.assign(FIXTURES, {
  AksNodePool: [
    // Structural clusters: the walker mutates plain objects, and an AksCluster's nodePoolDefaults is a
    // getter (AksCluster.addNodePool, the usual way in, is reached through AksCluster.dedicatedSystemPool).
    fx("minimal", (app) => { const s = azureStack(app); return { path: "platform/subject", props: { name: "user", cluster: poolCluster("Standard_D2s_v5") }, create: (p: any) => new AksNodePool(s, "subject", p) }; }),
    fx("full, managed disk", (app) => {
      const s = azureStack(app);
      const cluster = poolCluster("Standard_D2s_v5");
      return { path: "platform/subject", props: { name: "user", mode: "System", vmSize: "Standard_D4ds_v5", nodeCount: 3, subnetId: SUBNET, osDisk: { type: "Managed", sizeGb: 128 }, hostEncryption: true, tags: { env: "test" }, cluster }, create: (p: any) => new AksNodePool(s, "subject", p) };
    }),
    fx("ephemeral disk, structural cluster", (app) => {
      const s = azureStack(app);
      const cluster = { id: `/subscriptions/${GUID}/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-x`, nodeSubnetId: SUBNET, nodePoolDefaults: { vmSize: "Standard_D4ds_v5", osDisk: { type: "Ephemeral", sizeGb: 64 }, hostEncryption: false, poolNames: ["system"] } };
      return { path: "platform/subject", props: { name: "user", osDisk: { type: "Ephemeral", sizeGb: 64 }, cluster }, create: (p: any) => new AksNodePool(s, "subject", p) };
    }),
    fx("managed default disk, structural cluster", (app) => {
      const s = azureStack(app);
      const cluster = { id: `/subscriptions/${GUID}/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-x`, nodeSubnetId: SUBNET, nodePoolDefaults: { vmSize: "Standard_D4s_v5", osDisk: { type: "Managed", sizeGb: 128 }, hostEncryption: false, poolNames: ["system"] } };
      return { path: "platform/subject", props: { name: "user", cluster }, create: (p: any) => new AksNodePool(s, "subject", p) };
    }),
  ],
  KeyVaultPrivateEndpoint: [
    fx("zone created", (app) => {
      const { stack, vault } = platform(app);
      return { path: "platform/subject", props: { vaultId: vault.id, vaultName: "kv-x-0001", resourceGroupName: "rg-x", location: "westeurope", tags: { env: "test" }, subnetId: SUBNET, linkedVirtualNetworkIds: [HUB] }, create: (p: any) => new KeyVaultPrivateEndpoint(stack, "subject", p) };
    }),
    fx("existing zone", (app) => {
      const { stack, vault } = platform(app);
      return { path: "platform/subject", props: { vaultId: vault.id, vaultName: "kv-x-0001", resourceGroupName: "rg-x", location: "westeurope", subnetId: SUBNET, privateDnsZoneId: ZONE }, create: (p: any) => new KeyVaultPrivateEndpoint(stack, "subject", p) };
    }),
  ],
  SecretsPod: [
    fx("full", (app) => {
      const c = k8sStack(app);
      const spc = new SecretProviderClass(c, "spc", {
        name: "vault-demo",
        namespace: "demo",
        provider: { type: "vault", roleName: "demo", vaultAddress: ADDRESS, objects: [{ objectName: "password", secretPath: "secret/data/demo", secretKey: "password" }] },
        secretObjects: [{ secretName: "demo-config", type: "Opaque", data: [{ objectName: "password", key: "password" }] }],
      });
      const mount = new PodSecretsMount(spc, { serviceAccount: "demo-app" });
      return {
        path: "cluster/subject",
        props: { mount, name: "demo", image: "registry.k8s.io/e2e-test-images/busybox:1.29-4", command: ["sh", "-c"], args: ["cat /mnt/secrets-store/password"], env: [{ name: "DB_PASSWORD", key: "password", secretName: "demo-config" }], containerName: "app", labels: { team: "demo" }, resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } } },
        create: (p: any) => new SecretsPod(c, "subject", p),
      };
    }),
  ],
});

// AKS identity bindings, restart on rotation, External Secrets Operator (issue 13)
const CLUSTER_ID = `/subscriptions/${GUID}/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-x`;
/** The platform of `platform(app)` with the azapi provider and secret rotation on, the cluster stack and a later ESO stack. */
function world13(app: App) {
  const stack = azureStack(app);
  new AzapiProvider(stack, "azapi");
  const cluster = new AksCluster(stack, "aks", { ...aksProps, secretRotation: true });
  const vault = new KeyVault(stack, "kv", { name: "kv-x-0001", resourceGroupName: "rg-x", location: "westeurope", tenantId: TENANT, secrets: ["db", "api"] });
  const identity = new WorkloadIdentity(stack, "wi", { name: "id-x", resourceGroupName: "rg-x", location: "westeurope", issuer: cluster });
  const c = k8sStack(app);
  const eso = new TerraformStack(app, "cluster-eso");
  new KubernetesProvider(eso, "kubernetes", {});
  return { stack, cluster, vault, identity, c, eso };
}
function vaultRole(app: App) {
  const vs = new TerraformStack(app, "vault");
  new VaultProvider(vs, "vault", { address: ADDRESS });
  const jwt = new VaultJwtAuth(vs, "jwt", { issuer: { oidcIssuerUrl: ISSUER } });
  return jwt.addRole({ name: "shop", namespace: "shop", serviceAccountName: "shop-eso", secrets: [{ mount: "secret", path: "shop/config" }], secretPrefixes: [{ mount: "secret", path: "shop" }] });
}
/** An ESO service account of namespace `shop` federated with the world's identity, which reads `db` (and lists). */
function esoServiceAccount(w: ReturnType<typeof world13>) {
  w.identity.addServiceAccount({ namespace: "shop", name: "shop-eso" });
  w.vault.grantSecretRead(w.identity, { secrets: ["db"] });
  return new WorkloadServiceAccount(w.c, "shop-eso", { identity: w.identity, namespace: "shop", name: "shop-eso" });
}
Object.assign(FIXTURES, {
  AzapiProvider: [
    fx("minimal", (app) => { const s = new TerraformStack(app, "s"); return { path: "s/subject", props: undefined, create: (p: any) => new AzapiProvider(s, "subject", p) }; }),
    fx("full", (app) => { const s = new TerraformStack(app, "s"); return { path: "s/subject", props: { subscriptionId: GUID, tenantId: TENANT, clientId: GUID, useOidc: true, useCli: false, useMsi: false, environment: "public", alias: "second" }, create: (p: any) => new AzapiProvider(s, "subject", p) }; }),
  ],
  AzapiResource: [
    fx("full", (app) => {
      const s = new TerraformStack(app, "s");
      new AzapiProvider(s, "azapi");
      const first = new AzapiResource(s, "first", { resourceType: "Microsoft.Resources/resourceGroups", apiVersion: "2024-03-01", name: "rg-a", parentId: `/subscriptions/${GUID}`, body: {}, location: "westeurope" });
      return {
        path: "s/subject",
        props: { resourceType: IDENTITY_BINDING_RESOURCE_TYPE, apiVersion: "2026-05-01", name: "idx", parentId: CLUSTER_ID, body: { properties: { managedIdentity: { resourceId: "x" } } }, responseExportValues: ["properties.oidcIssuer.oidcIssuerUrl"], location: "westeurope", dependsOn: [first], lifecycle: { preventDestroy: true } },
        create: (p: any) => new AzapiResource(s, "subject", p),
      };
    }),
  ],
  AksIdentityBinding: [
    fx("aks cluster", (app) => { const w = world13(app); return { path: "platform/subject", props: { cluster: w.cluster, identity: w.identity, name: "idx" }, create: (p: any) => new AksIdentityBinding(w.stack, "subject", p) }; }),
    fx("cluster by ARM ID", (app) => { const w = world13(app); return { path: "platform/subject", props: { cluster: { id: CLUSTER_ID, name: "aks-x" }, identity: w.identity }, create: (p: any) => new AksIdentityBinding(w.stack, "subject", p) }; }),
  ],
  IdentityBindingClusterRole: [
    fx("full", (app) => {
      const w = world13(app);
      const binding = new AksIdentityBinding(w.stack, "binding", { cluster: w.cluster, identity: w.identity });
      return { path: "cluster/subject", props: { binding, name: "use-shared-identity", serviceAccounts: [{ namespace: "shop", name: "orders" }] }, create: (p: any) => new IdentityBindingClusterRole(w.c, "subject", p) };
    }),
  ],
  Reloader: [
    fx("full", (app) => {
      const w = world13(app);
      const ns = new NamespaceV1(w.c, "ns", { metadata: { name: "reloader" } });
      return { path: "cluster/subject", props: { driver: w.cluster, chartVersion: "2.2.16", namespace: "reloader", releaseName: "reloader", watchSecrets: { reason: "the team restarts on synced Secrets too" }, values: { reloader: { logFormat: "json" } }, dependsOn: [ns] }, create: (p: any) => new Reloader(w.c, "subject", p) };
    }),
  ],
  ExternalSecretsOperator: [
    fx("full", (app) => {
      const w = world13(app);
      w.identity.addServiceAccount({ namespace: "eso", name: "eso" });
      const ns = new NamespaceV1(w.c, "ns", { metadata: { name: "eso" } });
      return { path: "cluster/subject", props: { chartVersion: "2.9.0", namespace: "eso", releaseName: "eso", serviceAccountName: "eso", workloadIdentity: w.identity, values: { replicaCount: 2 }, dependsOn: [ns] }, create: (p: any) => new ExternalSecretsOperator(w.c, "subject", p) };
    }),
  ],
  EsoSecretStore: [
    fx("azure key vault", (app) => {
      const w = world13(app);
      const operator = new ExternalSecretsOperator(w.c, "eso", {});
      const sa = esoServiceAccount(w);
      const ns = new NamespaceV1(w.eso, "ns", { metadata: { name: "shop" } });
      return { path: "cluster-eso/subject", props: { operator, name: "shop-kv", namespace: "shop", provider: { type: "azureKeyVault", keyVault: w.vault, auth: { mode: "serviceAccount", serviceAccount: sa } }, dependsOn: [ns] }, create: (p: any) => new EsoSecretStore(w.eso, "subject", p) };
    }),
    fx("vault", (app) => {
      const w = world13(app);
      const operator = new ExternalSecretsOperator(w.c, "eso", {});
      const role = vaultRole(app);
      return { path: "cluster-eso/subject", props: { operator, name: "shop-vault", namespace: "shop", provider: { type: "vault", server: ADDRESS, mount: "secret", role, audience: "vault", vaultNamespace: "admin", createServiceAccount: true } }, create: (p: any) => new EsoSecretStore(w.eso, "subject", p) };
    }),
  ],
  EsoClusterSecretStore: [
    fx("operator identity", (app) => {
      const w = world13(app);
      w.identity.addServiceAccount({ namespace: "external-secrets", name: "external-secrets" });
      w.vault.grantSecretRead(w.identity, { secrets: ["db"] });
      const operator = new ExternalSecretsOperator(w.c, "eso", { workloadIdentity: w.identity });
      return { path: "cluster-eso/subject", props: { operator, name: "shared-kv", allowedNamespaces: ["shop"], provider: { type: "azureKeyVault", keyVault: w.vault, auth: { mode: "operator" } } }, create: (p: any) => new EsoClusterSecretStore(w.eso, "subject", p) };
    }),
    fx("service account, every namespace", (app) => {
      const w = world13(app);
      const operator = new ExternalSecretsOperator(w.c, "eso", {});
      const sa = esoServiceAccount(w);
      return { path: "cluster-eso/subject", props: { operator, name: "shared-kv", allowAllNamespaces: { reason: "one vault of shared, non-sensitive settings" }, provider: { type: "azureKeyVault", keyVault: w.vault, auth: { mode: "serviceAccount", serviceAccount: sa } } }, create: (p: any) => new EsoClusterSecretStore(w.eso, "subject", p) };
    }),
    fx("vault", (app) => {
      const w = world13(app);
      const operator = new ExternalSecretsOperator(w.c, "eso", {});
      const role = vaultRole(app);
      return { path: "cluster-eso/subject", props: { operator, name: "shared-vault", allowedNamespaces: ["shop"], provider: { type: "vault", server: ADDRESS, mount: "secret", role } }, create: (p: any) => new EsoClusterSecretStore(w.eso, "subject", p) };
    }),
  ],
  EsoExternalSecret: [
    fx("azure key vault", (app) => {
      const w = world13(app);
      const operator = new ExternalSecretsOperator(w.c, "eso", {});
      const store = new EsoSecretStore(w.eso, "store", { operator, name: "shop-kv", namespace: "shop", provider: { type: "azureKeyVault", keyVault: w.vault, auth: { mode: "serviceAccount", serviceAccount: esoServiceAccount(w) } } });
      w.vault.grantSecretRead(w.identity, { list: { reason: "the shop team syncs its whole vault into one Secret" } });
      const ns = new NamespaceV1(w.eso, "ns", { metadata: { name: "shop" } });
      return {
        path: "cluster-eso/subject",
        props: { store, name: "shop-db", namespace: ns, refreshInterval: "15m", target: { name: "shop-db", creationPolicy: "Owner", deletionPolicy: "Retain", type: "Opaque", labels: { team: "shop" } }, data: [{ secretKey: "password", remoteKey: "db", version: "0123456789abcdef0123456789abcdef" }], dataFrom: { all: true }, dependsOn: [ns] },
        create: (p: any) => new EsoExternalSecret(w.eso, "subject", p),
      };
    }),
    fx("vault", (app) => {
      const w = world13(app);
      const operator = new ExternalSecretsOperator(w.c, "eso", {});
      const store = new EsoSecretStore(w.eso, "store", { operator, name: "shop-vault", namespace: "shop", provider: { type: "vault", server: ADDRESS, mount: "secret", role: vaultRole(app) } });
      return { path: "cluster-eso/subject", props: { store, name: "shop-config", data: [{ secretKey: "password", remoteKey: "shop/config", property: "password", version: "2" }], dataFrom: { path: "shop" } }, create: (p: any) => new EsoExternalSecret(w.eso, "subject", p) };
    }),
  ],
});
FIXTURES.SecretProviderClass.push(
  fx("azure, identity binding", (app) => {
    const w = world13(app);
    const binding = new AksIdentityBinding(w.stack, "binding", { cluster: w.cluster, identity: w.identity });
    w.vault.grantSecretRead(w.identity, { secrets: ["db"] });
    const role = new IdentityBindingClusterRole(w.c, "role", { binding, serviceAccounts: [{ namespace: "shop", name: "orders" }] });
    return { path: "cluster/subject", props: { name: "orders", namespace: "shop", provider: { type: "azure", keyVault: w.vault, identity: { mode: "identityBinding", role }, objects: [{ objectName: "db" }] } }, create: (p: any) => new SecretProviderClass(w.c, "subject", p) };
  }),
);
Object.assign(UNREACHABLE, {
  EsoSecretStore: {
    "provider<type=azureKeyVault>.auth<mode=operator>": "always refused in a namespaced SecretStore (it would lend the operator's identity to every namespace): only an EsoClusterSecretStore takes it",
    "provider<type=azureKeyVault>.auth<mode=operator>.mode": "always refused in a namespaced SecretStore (it would lend the operator's identity to every namespace): only an EsoClusterSecretStore takes it",
  },
});
// In-cluster installers, EKS/IRSA and the aad-pod-identity migration (issue 12)
const EKS_ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const EKS_PROVIDER_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LEGACY_IDENTITY = `/subscriptions/${GUID}/resourceGroups/rg-legacy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders`;
/** A stack with the aws, kubernetes and helm providers and the EKS cluster read in. */
function eksWorld(app: App, id = "team") {
  const s = new TerraformStack(app, id);
  new AwsProvider(s, "aws", { region: "eu-west-1" });
  new KubernetesProvider(s, "kubernetes", {});
  new HelmProvider(s, "helm", {});
  const eks = EksCluster.fromClusterAttributes(s, "eks", { clusterName: "shop", oidcProviderArn: EKS_PROVIDER_ARN, oidcIssuerUrl: EKS_ISSUER });
  return { s, eks };
}
/** A stack of the cluster with the self-managed driver installed. */
function driverWorld(app: App) {
  const c = k8sStack(app);
  const driver = new SecretsStoreCsiDriver(c, "driver", {});
  return { c, driver };
}
const helmFull = { chartVersion: "1.2.3", namespace: "csi", releaseName: "rel-x", values: { resources: { limits: { cpu: "100m" } } } };
const AZURE_ID = { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentity", metadata: { name: "orders-identity", namespace: "orders" }, spec: { type: 0, resourceID: LEGACY_IDENTITY, clientID: GUID, tenantID: TENANT } };
const AZURE_BINDING = { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", metadata: { name: "orders-identity-binding", namespace: "orders" }, spec: { azureIdentity: "orders-identity", selector: "orders-api" } };
Object.assign(FIXTURES, {
  EksCluster: [
    fx("full", (app) => { const s = new TerraformStack(app, "team"); new AwsProvider(s, "aws", { region: "eu-west-1" }); return { path: "team/subject", props: { clusterName: "shop", oidcProviderArn: EKS_PROVIDER_ARN, oidcIssuerUrl: EKS_ISSUER, region: "eu-west-1" }, create: (p: any) => EksCluster.fromClusterAttributes(s, "subject", p) }; }),
  ],
  IrsaRole: [
    fx("full", (app) => { const { s, eks } = eksWorld(app); return { path: "team/subject", props: { cluster: eks, namespace: "shop", serviceAccountName: "orders", roleName: "shop-orders", path: "/irsa/", permissionsBoundary: "arn:aws:iam::111122223333:policy/boundary", description: "orders reads its secrets", tags: { env: "test" } }, create: (p: any) => new IrsaRole(s, "subject", p) }; }),
  ],
  IrsaServiceAccount: [
    fx("full", (app) => { const { s, eks } = eksWorld(app); const role = new IrsaRole(s, "role", { cluster: eks, namespace: "shop", serviceAccountName: "orders" }); return { path: "team/subject", props: { role, namespace: "shop", name: "orders", automountServiceAccountToken: false, labels: { team: "shop" } }, create: (p: any) => new IrsaServiceAccount(s, "subject", p) }; }),
    fx("namespace construct", (app) => { const { s, eks } = eksWorld(app); const role = new IrsaRole(s, "role", { cluster: eks, namespace: "shop", serviceAccountName: "orders" }); return { path: "team/subject", props: { role, namespace: new NamespaceV1(s, "ns", { metadata: { name: "shop" } }) }, create: (p: any) => new IrsaServiceAccount(s, "subject", p) }; }),
  ],
  AwsSecretsBinding: [
    fx("full", (app) => {
      const { s, eks } = eksWorld(app);
      return {
        path: "team/subject",
        props: {
          cluster: eks, namespace: "shop", serviceAccountName: "orders", region: "eu-west-1", failoverRegion: "eu-central-1", pathTranslation: "_", kmsKeyArns: [KMS_KEY],
          objects: ["orders/api", { objectName: "orders/db", objectType: "secretsmanager", objectAlias: "db", objectVersion: "v1", objectVersionLabel: "AWSCURRENT", filePermission: "0440", jmesPath: [{ path: "username", objectAlias: "db-user", filePermission: "0440" }], failoverObject: { objectName: "orders/db-replica", objectVersion: "v1", objectVersionLabel: "AWSCURRENT" } }],
          sync: { secretName: "orders-db", type: "Opaque", keys: { "db-user": "username" } }, roleName: "shop-orders", permissionsBoundary: "arn:aws:iam::111122223333:policy/boundary", secretProviderClassName: "orders-aws", mount: { volumeName: "secrets", mountPath: "/mnt/aws" }, clusterScope: s, tags: { env: "test" },
        },
        create: (p: any) => new AwsSecretsBinding(s, "subject", p),
      };
    }),
    fx("namespace construct, sync on", (app) => { const { s, eks } = eksWorld(app); return { path: "team/subject", props: { cluster: eks, namespace: new NamespaceV1(s, "ns", { metadata: { name: "shop" } }), serviceAccountName: "orders", objects: ["orders/db"], sync: true }, create: (p: any) => new AwsSecretsBinding(s, "subject", p) }; }),
  ],
  SecretsStoreCsiDriver: [
    fx("minimal", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: undefined, create: (p: any) => new SecretsStoreCsiDriver(c, "subject", p) }; }),
    fx("full", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: { ...helmFull, syncSecret: true, rotationPollInterval: "5m", tokenAudiences: ["vault"] }, create: (p: any) => new SecretsStoreCsiDriver(c, "subject", p) }; }),
    fx("rotation off", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: { disableSecretRotation: { reason: "the app reads its secrets once at start" } }, create: (p: any) => new SecretsStoreCsiDriver(c, "subject", p) }; }),
  ],
  // The abstract bases are walked through a concrete installer (their options are its options).
  HelmChartInstaller: [
    fx("through SecretsStoreCsiDriver", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: { ...helmFull }, create: (p: any) => new SecretsStoreCsiDriver(c, "subject", p) }; }),
  ],
  CsiProviderInstaller: [
    fx("through VaultCsiProvider", (app) => { const { c, driver } = driverWorld(app); return { path: "cluster/subject", props: { ...helmFull, driver }, create: (p: any) => new VaultCsiProvider(c, "subject", p) }; }),
  ],
  VaultCsiProvider: [
    fx("minimal", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: undefined, create: (p: any) => new VaultCsiProvider(c, "subject", p) }; }),
    fx("full", (app) => { const { c, driver } = driverWorld(app); return { path: "cluster/subject", props: { ...helmFull, driver }, create: (p: any) => new VaultCsiProvider(c, "subject", p) }; }),
  ],
  AzureKeyVaultCsiProvider: [
    fx("full", (app) => { const { c, driver } = driverWorld(app); return { path: "cluster/subject", props: { ...helmFull, driver }, create: (p: any) => new AzureKeyVaultCsiProvider(c, "subject", p) }; }),
  ],
  AwsCsiProvider: [
    fx("full", (app) => { const { c, driver } = driverWorld(app); return { path: "cluster/subject", props: { ...helmFull, region: "eu-west-1", driver }, create: (p: any) => new AwsCsiProvider(c, "subject", p) }; }),
  ],
  SecretsStore: [
    fx("aks add-on", (app) => { const { cluster } = platform(app); const c = k8sStack(app); return { path: "cluster/subject", props: { driver: { mode: "aksAddon", cluster }, install: ["vault"], vaultProvider: { ...helmFull }, platform: "aks", clusterLabel: "aks-x" }, create: (p: any) => new SecretsStore(c, "subject", p) }; }),
    fx("self-managed, all providers", (app) => {
      const c = k8sStack(app);
      return {
        path: "cluster/subject",
        props: { driver: { mode: "selfManaged", ...helmFull, releaseName: "csi-driver", syncSecret: true, rotationPollInterval: "5m", tokenAudiences: ["vault"] }, install: ["azure", "vault", "aws"], azureProvider: { ...helmFull, releaseName: "csi-azure" }, vaultProvider: { ...helmFull, releaseName: "csi-vault" }, awsProvider: { ...helmFull, releaseName: "csi-aws", region: "eu-west-1" }, platform: "other", clusterLabel: "k8s:lab" },
        create: (p: any) => new SecretsStore(c, "subject", p),
      };
    }),
    fx("self-managed, rotation off", (app) => { const c = k8sStack(app); return { path: "cluster/subject", props: { driver: { mode: "selfManaged", disableSecretRotation: { reason: "the app reads its secrets once at start" } }, platform: "eks" }, create: (p: any) => new SecretsStore(c, "subject", p) }; }),
  ],
  PodIdentityMigration: [
    fx("cutover, classes", (app) => {
      const { stack, vault, identity } = platform(app);
      vault.grantSecretRead(identity, { secrets: ["db"] });
      return {
        path: "platform/subject",
        props: {
          cluster: { oidcIssuerUrl: ISSUER }, azureIdentity: AZURE_ID, bindings: [AZURE_BINDING],
          workloads: [{ namespace: "orders", serviceAccountName: "orders-api", selector: "orders-api", credentialName: "orders-api", migrationSidecar: { reason: "app on Azure.Identity 1.4 until the Q3 release", port: 8080 } }],
          secretProviderClasses: [{ name: "orders-kv", namespace: "orders", labels: { team: "orders" }, provider: { type: "azure", identity: { mode: "podIdentity" }, keyVault: vault, cloudName: "AzurePublicCloud", objects: [{ objectName: "db", objectType: "secret", objectAlias: "password", objectVersion: "0123456789abcdef0123456789abcdef", objectVersionHistory: 1, objectEncoding: "utf-8", objectFormat: "pem", filePermission: "0440" }] }, secretObjects: [{ secretName: "orders-db", type: "Opaque", data: [{ objectName: "password", key: "password" }], labels: { team: "orders" }, annotations: { note: "synced" } }] }],
          phase: "cutover", identity, clusterScope: k8sStack(app), annotateTenantId: true,
        },
        create: (p: any) => new PodIdentityMigration(stack, "subject", p),
      };
    }),
    fx("parallel, by name", (app) => {
      const { stack } = platform(app);
      const c = k8sStack(app);
      return {
        path: "platform/subject",
        props: { cluster: { oidcIssuerUrl: ISSUER }, azureIdentity: { ...AZURE_ID, metadata: { name: "orders-identity" } }, bindings: [{ ...AZURE_BINDING, metadata: { name: "orders-identity-binding" } }], workloads: [{ namespace: new NamespaceV1(c, "ns", { metadata: { name: "orders" } }), serviceAccountName: "orders-api" }], secretProviderClasses: [{ name: "orders-kv", namespace: "orders", provider: { type: "azure", keyvaultName: "kv-x-0001", tenantId: TENANT, objects: [{ objectName: "db" }] } }], phase: "parallel", clusterScope: c },
        create: (p: any) => new PodIdentityMigration(stack, "subject", p),
      };
    }),
  ],
});

// The battery's cases for the library as it stood before the domain reorganisation, by the file
// whose validation they break. New features add their cases in a file of their own beside this
// one, exporting `cases` (test/bad-input.test.ts loads every file here).
import { KeyVaultAccessPolicyA } from "@cdktf/provider-azurerm/lib/key-vault-access-policy";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Deployment } from "@cdktf/provider-kubernetes/lib/deployment";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { KvSecretV2 } from "@cdktf/provider-vault/lib/kv-secret-v2";
import { TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { HcpVaultCluster, HcpVaultClusterProps } from "../../../constructs/hcp/hcp-vault-cluster";
import { KeyVault } from "../../../constructs/azure/key-vault";
import { KeyVaultWorkloadBinding } from "../../../constructs/bindings/key-vault-workload-binding";
import { PodSecretsMount } from "../../../constructs/kubernetes/pod-secrets-mount";
import { externalPrincipal } from "../../../constructs/azure/principal";
import { SecretProviderClass } from "../../../constructs/kubernetes/secret-provider-class";
import { SecurityRules } from "../../../verify/security-rules";
import { VaultJwtAuth } from "../../../constructs/vault/vault-jwt-auth";
import { VaultSecretsOperator, VsoVaultAuth, VsoVaultConnection, VsoVaultStaticSecret } from "../../../constructs/vault/vault-secrets-operator";
import { allowUnverifiedWiring } from "../../../verify/wiring";
import { WorkloadIdentity } from "../../../constructs/azure/workload-identity";
import { WorkloadServiceAccount } from "../../../constructs/kubernetes/workload-service-account";
import { ClusterStack } from "../../../stacks/cluster-stack";
import { buildDefaultApp } from "../../../app/default-app";
import { BadInputCase } from "../battery";

import { TENANT, GUID, withConfig, onDefault, fromSources, FILE, kvProps, wiProps, spoke, addHvn, addAks, addVault, addIdentity, demoIdentity, addSa, wiSpc, addonSpc, WI_SPC, ADDON_SPC, addBinding, azure, vault, aws, addSpc, SPC, addSpcTo, azureObjects, synced, jwtAuth, addRole, vaultWorkloads, vaultWorkload, addConnection, addAuth, addStatic, REASON, GUID_RULE, LABEL, SUBDOMAIN, wired, clusterB, opsIdentity, opsClass, OPS_KV, vaultClass, VAULT_CSI, rawVaultAuth, opsRole, COPIED_CLIENT_ID, OTHER_TENANT } from "../fixtures";

export const cases: BadInputCase[] = [
  // stacks/platform-stack.ts
  { name: "platform namePrefix with capitals", build: fromSources({ file: { platform: { namePrefix: "Shop" } } }), expect: { path: "platform", field: "namePrefix", value: "Shop", rule: /1-20 lowercase letters/ } },
  { name: "platform subscriptionId not a GUID", build: fromSources({ env: { AKS_SECRETS__PLATFORM__SUBSCRIPTION_ID: "my-subscription" } }), expect: { path: "platform", field: "subscriptionId", value: "my-subscription", rule: GUID_RULE } },
  { name: "platform tenantId as a domain", build: fromSources({ file: { platform: { tenantId: "contoso.onmicrosoft.com" } } }), expect: { path: "platform", field: "tenantId", value: "contoso.onmicrosoft.com", rule: GUID_RULE } },
  { name: "VNet address space not a CIDR", build: fromSources({ file: { platform: { vnetAddressSpace: ["10.20.0.0/33"] } } }), expect: { path: "platform", field: "vnetAddressSpace[0]", value: "10.20.0.0/33", rule: /must be an IPv4 CIDR block like 10\.0\.0\.0\/16/ } },
  { name: "VNet address spaces overlap", build: fromSources({ env: { AKS_SECRETS__PLATFORM__VNET_ADDRESS_SPACE: "10.20.0.0/16,10.20.128.0/17" } }), expect: { path: "platform", field: "vnetAddressSpace[1]", value: "10.20.128.0/17", rule: /^overlaps 10\.20\.0\.0\/16 in the same list$/ } },
  { name: "node subnet with host bits", build: fromSources({ file: { platform: { nodeSubnetCidr: "10.20.0.1/22" } } }), expect: { path: "platform", field: "nodeSubnetCidr", value: "10.20.0.1/22", rule: /no host bits set/ } },
  { name: "node subnet outside the VNet", build: fromSources({ file: { platform: { nodeSubnetCidr: "10.99.0.0/22" } } }), expect: { path: "platform", field: "nodeSubnetCidr", value: "10.99.0.0/22", rule: /must lie inside the VNet address space 10\.20\.0\.0\/16/ } },
  { name: "workload name with capitals", build: fromSources({ file: { platform: { workloads: [{ name: "Orders", namespace: "orders", serviceAccountName: "orders", secrets: ["orders-db"] }] } } }), expect: { path: "platform", field: "workloads[0].name", value: "Orders", rule: /1-31 lowercase letters/ } },
  {
    name: "two workloads of one name",
    build: withConfig({ platform: { workloads: [{ name: "api", namespace: "api", serviceAccountName: "api", secrets: ["api-key"] }, { name: "api", namespace: "api2", serviceAccountName: "api", secrets: ["api-key"] }] } }),
    expect: { path: "platform", field: "workloads[1].name", value: "api", rule: /is used by another workload/ },
  },
  { name: "workload reading no secret", build: fromSources({ file: { platform: { workloads: [{ name: "api", namespace: "api", serviceAccountName: "api", secrets: [] }] } } }), expect: { path: "platform", field: "workloads[0].secrets", value: [], rule: /at least one secret/ } },
  { name: "platform resource group ending in .", build: fromSources({ file: { platform: { resourceGroupName: "rg-shop." } } }), expect: { path: "platform", field: "resourceGroupName", value: "rg-shop.", rule: /resource group names/ } },
  {
    name: "VNet holding the default service CIDR",
    build: fromSources({ file: { platform: { vnetAddressSpace: ["172.16.0.0/12"], nodeSubnetCidr: "172.20.0.0/22" } } }),
    expect: { path: "platform", field: "cluster.serviceCidr (default)", value: "172.16.0.0/16", rule: /^overlaps the VNet address space 172\.16\.0\.0\/12: AKS refuses/ },
  },
  { name: "service CIDR inside the VNet", build: fromSources({ file: { platform: { cluster: { serviceCidr: "10.20.128.0/20" } } } }), expect: { path: "platform", field: "cluster.serviceCidr", value: "10.20.128.0/20", rule: /^overlaps the VNet address space 10\.20\.0\.0\/16/ } },
  { name: "workload that is not an object", build: withConfig({ platform: { workloads: [null as any] } }), expect: { path: "platform", field: "workloads[0]", rule: /^must be an object \{ name, namespace, serviceAccountName, secrets, \.\.\. \}, not null \(leave an optional setting out instead\)/ } },
  { name: "workload without name", build: withConfig({ platform: { workloads: [{ namespace: "api", serviceAccountName: "api", secrets: ["api-key"] } as any] } }), expect: { path: "platform", field: "workloads[0].name", value: undefined, rule: /^is required: a string/ } },
  { name: "workload without namespace", build: withConfig({ platform: { workloads: [{ name: "api", serviceAccountName: "api", secrets: ["api-key"] } as any] } }), expect: { path: "platform", field: "workloads[0].namespace", value: undefined, rule: /^is required: a string/ } },
  { name: "workload without service account", build: withConfig({ platform: { workloads: [{ name: "api", namespace: "api", secrets: ["api-key"] } as any] } }), expect: { path: "platform", field: "workloads[0].serviceAccountName", value: undefined, rule: /^is required: a string/ } },
  { name: "workload without secrets", build: withConfig({ platform: { workloads: [{ name: "api", namespace: "api", serviceAccountName: "api" } as any] } }), expect: { path: "platform", field: "workloads[0].secrets", value: undefined, rule: /^is required: a list/ } },

  // stacks/default-app.ts: the demo
  {
    name: "demo workload with one secret",
    build: withConfig({ platform: { workloads: [{ name: "demo", namespace: "demo", serviceAccountName: "demo-app", secrets: ["demo-username"] }] } }),
    expect: { path: "platform", field: "workloads[0].secrets", value: ["demo-username"], rule: /^is the "demo" workload's, which the demo deployments read as a username and a password: it must name exactly two different secrets/ },
  },
  { name: "demo image with a space", build: fromSources({ file: { demoImage: "busybox latest" } }), expect: { path: "cluster", field: "demoImage", value: "busybox latest", rule: /must be a container image reference/ } },

  // constructs/aks-cluster.ts
  { name: "cluster name ending in _", build: fromSources({ file: { platform: { cluster: { name: "aks_" } } } }), expect: { path: "platform/cluster", field: "name", value: "aks_", rule: /AKS cluster names/ } },
  { name: "DNS prefix with _", build: fromSources({ file: { platform: { cluster: { dnsPrefix: "aks_prefix" } } } }), expect: { path: "platform/cluster", field: "dnsPrefix", value: "aks_prefix", rule: /AKS DNS prefixes/ } },
  { name: "second cluster: resource group ending in .", build: addAks({ resourceGroupName: "rg-extra." }), expect: { path: "platform/cluster-extra", field: "resourceGroupName", value: "rg-extra.", rule: /resource group names/ } },
  { name: "location as display name", build: fromSources({ file: { platform: { location: "West Europe" } } }), expect: { path: "platform", field: "location", value: "West Europe", rule: /lowercase without spaces/ } },
  { name: "second cluster: tenant not a GUID", build: addAks({ tenantId: "contoso" }), expect: { path: "platform/cluster-extra", field: "tenantId", value: "contoso", rule: GUID_RULE } },
  { name: "node pool name with capitals", build: withConfig({ platform: { cluster: { nodePoolName: "System" } } }), expect: { path: "platform/cluster", field: "nodePoolName", value: "System", rule: /node pool names are 1-12 lowercase/ } },
  { name: "admin group by name", build: fromSources({ env: { AKS_SECRETS__PLATFORM__CLUSTER__ADMIN_GROUP_OBJECT_IDS: "aks-admins" } }), expect: { path: "platform/cluster", field: "adminGroupObjectIds[0]", value: "aks-admins", rule: GUID_RULE } },
  { name: "zero nodes", build: withConfig({ platform: { cluster: { nodeCount: 0 } } }), expect: { path: "platform/cluster", field: "nodeCount", value: 0, rule: /whole number from 1 to 1000/ } },
  { name: "rotation interval in words", build: fromSources({ file: { platform: { cluster: { secretRotationInterval: "2 minutes" } } } }), expect: { path: "platform/cluster", field: "secretRotationInterval", value: "2 minutes", rule: /Go duration/ } },
  { name: "rotation interval too short", build: fromSources({ env: { AKS_SECRETS__PLATFORM__CLUSTER__SECRET_ROTATION_INTERVAL: "10s" } }), expect: { path: "platform/cluster", field: "secretRotationInterval", value: "10s", rule: /from 30s to 24h/ } },
  { name: "public API server mode", build: withConfig({ platform: { apiServerAccess: { mode: "public" } as any } }), expect: { path: "platform", field: "apiServerAccess.mode", value: "public", rule: /^must be one of "private", "authorizedIpRanges"/ } },
  { name: "authorized IP ranges without ranges", build: fromSources({ file: { platform: { apiServerAccess: { mode: "authorizedIpRanges" } } } }), expect: { path: "platform", field: "apiServerAccess.ranges", value: undefined, rule: /^is required: a list/ } },
  { name: "authorized IP range not an address", build: fromSources({ file: { platform: { apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24", "office"] } } } }), expect: { path: "platform/cluster", field: "apiServerAccess.ranges[1]", value: "office", rule: /IPv4 address or CIDR block like 203\.0\.113\.0\/24/ } },
  { name: "authorized IP range 0.0.0.0/0", build: fromSources({ file: { platform: { apiServerAccess: { mode: "authorizedIpRanges", ranges: ["0.0.0.0/0"] } } } }), expect: { path: "platform/cluster", field: "apiServerAccess.ranges[0]", value: "0.0.0.0/0", rule: /opens the API server to every address/ } },
  {
    name: "authorized IP ranges of half the internet each",
    build: fromSources({ file: { platform: { apiServerAccess: { mode: "authorizedIpRanges", ranges: ["0.0.0.0/1", "128.0.0.0/1"] } } } }),
    expect: { path: "platform/cluster", field: "apiServerAccess.ranges[1]", value: "128.0.0.0/1", rule: /^is wider than a \/8: that is no restriction \(it opens the API server to 2,147,483,648 addresses\); use private mode or ranges of a \/8 or narrower$/ },
  },
  { name: "service CIDR without prefix", build: fromSources({ file: { platform: { cluster: { serviceCidr: "172.16.0.0" } } } }), expect: { path: "platform/cluster", field: "serviceCidr", value: "172.16.0.0", rule: /must be an IPv4 CIDR block/ } },
  { name: "DNS service IP outside the service CIDR", build: withConfig({ platform: { cluster: { dnsServiceIp: "10.0.0.10" } } }), expect: { path: "platform/cluster", field: "dnsServiceIp", value: "10.0.0.10", rule: /inside serviceCidr 172\.16\.0\.0\/16/ } },
  { name: "cluster allowDestroy without a reason", build: withConfig({ platform: { cluster: { allowDestroy: { reason: "tmp" } } } }), expect: { path: "platform/cluster", field: "allowDestroy.reason", value: "tmp", rule: REASON } },
  { name: "local accounts without a reason", build: withConfig({ platform: { cluster: { allowLocalAccounts: { reason: "" } } } }), expect: { path: "platform/cluster", field: "allowLocalAccounts.reason", value: "", rule: REASON } },
  { name: "VM size with spaces", build: fromSources({ file: { platform: { cluster: { vmSize: "Standard D2s v5" } } } }), expect: { path: "platform/cluster", field: "vmSize", value: "Standard D2s v5", rule: /must be an Azure VM size name such as Standard_D2s_v5/ } },
  { name: "Kubernetes version with a leading v", build: fromSources({ env: { AKS_SECRETS__PLATFORM__CLUSTER__KUBERNETES_VERSION: "v1.30" } }), expect: { path: "platform/cluster", field: "kubernetesVersion", value: "v1.30", rule: /must be a Kubernetes version such as 1\.30 or 1\.30\.4/ } },
  {
    name: "private DNS zone by name instead of ID",
    build: fromSources({ file: { platform: { apiServerAccess: { mode: "private", privateDnsZoneId: "privatelink.westeurope.azmk8s.io" } } } }),
    expect: { path: "platform/cluster", field: "apiServerAccess.privateDnsZoneId", value: "privatelink.westeurope.azmk8s.io", rule: /must be "System" \(AKS creates the zone\), "None"/ },
  },
  {
    name: "authorized ranges on a private cluster",
    build: fromSources({ file: { platform: { apiServerAccess: { mode: "private", ranges: ["203.0.113.0/24"] } } } }),
    expect: { path: "platform/cluster", field: "apiServerAccess.ranges", value: ["203.0.113.0/24"], rule: /applies only to mode "authorizedIpRanges": a private cluster has no public endpoint/ },
  },
  {
    name: "private DNS zone on a public API server",
    build: fromSources({ file: { platform: { apiServerAccess: { mode: "authorizedIpRanges", ranges: ["203.0.113.0/24"], privateDnsZoneId: "System" } } } }),
    expect: { path: "platform/cluster", field: "apiServerAccess.privateDnsZoneId", value: "System", rule: /applies only to mode "private"/ },
  },

  // constructs/key-vault.ts
  { name: "vault name with _", build: fromSources({ file: { platform: { keyVaultName: "kv_shop" } } }), expect: { path: "platform/keyvault", field: "name", value: "kv_shop", rule: /Key Vault names are 3-24/ } },
  { name: "second vault: tenant not a GUID", build: addVault({ tenantId: "contoso" }), expect: { path: "platform/keyvault-extra", field: "tenantId", value: "contoso", rule: GUID_RULE } },
  { name: "second vault: resource group with a space", build: addVault({ resourceGroupName: "rg shop" }), expect: { path: "platform/keyvault-extra", field: "resourceGroupName", value: "rg shop", rule: /resource group names/ } },
  { name: "second vault: location with a space", build: addVault({ location: "North Europe" }), expect: { path: "platform/keyvault-extra", field: "location", value: "North Europe", rule: /lowercase without spaces/ } },
  { name: "vault authorization mode unknown", build: withConfig({ platform: { keyVaultAuthorization: "open" as any } }), expect: { path: "platform", field: "keyVaultAuthorization", value: "open", rule: /^must be one of "accessPolicy", "rbac"/ } },
  { name: "second vault: retention of 3 days", build: addVault({ softDeleteRetentionDays: 3 }), expect: { path: "platform/keyvault-extra", field: "softDeleteRetentionDays", value: 3, rule: /from 7 to 90/ } },
  { name: "vault firewall range not a CIDR", build: fromSources({ file: { platform: { keyVaultAllowedIpRanges: ["203.0.113.0/33"] } } }), expect: { path: "platform/keyvault", field: "allowedIpRanges[0]", value: "203.0.113.0/33", rule: /IPv4 address or CIDR block/ } },
  { name: "vault firewall ranges overlap", build: fromSources({ env: { AKS_SECRETS__PLATFORM__KEY_VAULT_ALLOWED_IP_RANGES: '["203.0.113.0/24","203.0.113.7"]' } }), expect: { path: "platform/keyvault", field: "allowedIpRanges[1]", value: "203.0.113.7", rule: /overlaps 203\.0\.113\.0\/24 in the same list/ } },
  { name: "second vault: public network without a reason", build: addVault({ allowPublicNetwork: { reason: "x" } }), expect: { path: "platform/keyvault-extra", field: "allowPublicNetwork.reason", value: "x", rule: REASON } },
  { name: "second vault: allowDestroy without a reason", build: addVault({ allowDestroy: { reason: " " } }), expect: { path: "platform/keyvault-extra", field: "allowDestroy.reason", value: " ", rule: REASON } },
  { name: "secret name with _", build: fromSources({ file: { platform: { secrets: ["db_password"] } } }), expect: { path: "platform/keyvault", field: 'secrets["db_password"]', value: "db_password", rule: /Key Vault object names/ } },
  {
    name: "grant naming another vault's secret",
    build: onDefault((d) => {
      const other = new KeyVault(d.platform, "keyvault-extra", kvProps);
      d.platform.keyVault.grantSecretRead(demoIdentity(d), { secrets: [other.declareSecret("db-password")] });
    }),
    expect: { path: "platform/keyvault", field: "grantSecretRead.secrets", value: "db-password", rule: /belongs to vault platform\/keyvault-extra, not this one/ },
  },

  {
    name: "1025th access policy on one vault",
    build: onDefault((d) => {
      // The demo identity, the add-on identity and the deployer (secret writer) hold three; 1022 more teams reach the 1025th.
      for (let i = 0; i < 1022; i++) {
        const n = String(i).padStart(12, "0");
        d.platform.keyVault.grantSecretRead(externalPrincipal(new Construct(d.platform, `team-${i}`), { principalId: `00000000-0000-0000-0000-${n}`, clientId: `10000000-0000-0000-0000-${n}` }));
      }
    }, { platform: { keyVaultAuthorization: "accessPolicy" } }),
    expect: { path: "platform/keyvault", field: "grantSecretRead", value: "platform/team-1021", rule: /would be access policy number 1025; a vault holds at most 1024/ },
  },
  {
    name: "1025th access policy on one vault, for a secret writer",
    build: onDefault((d) => {
      for (let i = 0; i < 1021; i++) {
        const n = String(i).padStart(12, "0");
        d.platform.keyVault.grantSecretRead(externalPrincipal(new Construct(d.platform, `team-${i}`), { principalId: `00000000-0000-0000-0000-${n}`, clientId: `10000000-0000-0000-0000-${n}` }));
      }
      d.platform.keyVault.grantSecretWrite(externalPrincipal(new Construct(d.platform, "owners"), { principalId: "00000000-0000-0000-0000-0000000000ff", clientId: "10000000-0000-0000-0000-0000000000ff" }), { reason: "the team that owns the values" });
    }, { platform: { keyVaultAuthorization: "accessPolicy" } }),
    expect: { path: "platform/keyvault", field: "grantSecretWrite", value: "platform/owners", rule: /would be access policy number 1025; a vault holds at most 1024/ },
  },
  {
    name: "binding a secret the vault does not hold (a typo)",
    build: onDefault((d) => void new KeyVaultWorkloadBinding(d.platform, d.cluster, "typo", { cluster: d.platform.cluster, keyVault: d.platform.keyVault, namespace: "demo", serviceAccountName: "typo-app", secrets: ["demo-pasword"], resourceGroupName: "rg-extra", location: "westeurope" })),
    expect: { path: "platform/keyvault", field: "grantSecretRead.secrets", value: "demo-pasword", rule: /is not a secret of this vault \(declared: "demo-username", "demo-password"\)/ },
  },
  {
    name: "read grant with an unknown scope",
    build: onDefault((d) => void d.platform.keyVault.grantSecretRead(d.platform.workloadIdentities.get("demo")!, { secrets: ["demo-username"], scope: "subscription" as never })),
    expect: { path: "platform/keyvault", field: "grantSecretRead.scope", value: "subscription", rule: /must be "secret" \(one role assignment per secret\) or "vault"/ },
  },
  {
    name: "secret write grant without a real reason",
    build: onDefault((d) => void d.platform.keyVault.grantSecretWrite(externalPrincipal(new Construct(d.platform, "owners"), { principalId: "00000000-0000-0000-0000-0000000000ff", clientId: "10000000-0000-0000-0000-0000000000ff" }), { reason: "owners" })),
    expect: { path: "platform/keyvault", field: "grantSecretWrite.reason", value: "owners", rule: /a write grant \(an admin grant\) needs a written reason/ },
  },

  // constructs/workload-identity.ts
  { name: "identity name of 2 characters", build: addIdentity({ name: "id" }), expect: { path: "platform/workload-extra", field: "name", value: "id", rule: /managed identity names are 3-128/ } },
  { name: "identity resource group ending in .", build: addIdentity({ resourceGroupName: "rg." }), expect: { path: "platform/workload-extra", field: "resourceGroupName", value: "rg.", rule: /resource group names/ } },
  { name: "identity location with a space", build: addIdentity({ location: "West Europe" }), expect: { path: "platform/workload-extra", field: "location", value: "West Europe", rule: /lowercase without spaces/ } },
  {
    name: "identity with 21 service accounts",
    build: onDefault((d) => void new WorkloadIdentity(d.platform, "workload-extra", { ...wiProps(d), serviceAccounts: Array.from({ length: 21 }, (_, i) => ({ namespace: `ns-${i}`, name: "app" })) })),
    expect: { path: "platform/workload-extra", field: "serviceAccounts", value: "21 entries", rule: /at most 20 federated credentials/ },
  },
  { name: "workload namespace with capitals", build: fromSources({ file: { platform: { workloads: [{ name: "api", namespace: "Payments", serviceAccountName: "api", secrets: ["api-key"] }] } } }), expect: { path: "platform/workload-api", field: "serviceAccounts[0].namespace", value: "Payments", rule: LABEL } },
  { name: "workload service account with _", build: fromSources({ file: { platform: { workloads: [{ name: "api", namespace: "api", serviceAccountName: "api_sa", secrets: ["api-key"] }] } } }), expect: { path: "platform/workload-api", field: "serviceAccounts[0].name", value: "api_sa", rule: SUBDOMAIN } },
  { name: "credential name of 1 character", build: onDefault((d) => void demoIdentity(d).addServiceAccount({ namespace: "ops", name: "ops-app", credentialName: "x" })), expect: { path: "platform/workload-demo", field: "addServiceAccount.credentialName", value: "x", rule: /federated credential names are 3-120/ } },
  {
    name: "identity without issuer binding a service account",
    build: onDefault((d) => void new WorkloadIdentity(d.platform, "workload-extra", { ...wiProps(d), issuer: undefined, serviceAccounts: [{ namespace: "ops", name: "ops-app" }] })),
    expect: { path: "platform/workload-extra", field: "serviceAccounts[0].issuer", value: undefined, rule: /needs the cluster \(or issuer\)/ },
  },
  {
    name: "21st federated credential",
    build: onDefault((d) => {
      for (let i = 1; i <= 20; i++) demoIdentity(d).addServiceAccount({ namespace: `ns-${i}`, name: "app" });
    }),
    expect: { path: "platform/workload-demo", field: "addServiceAccount", value: "ns-20/app", rule: /would be federated credential number 21/ },
  },
  {
    name: "service account bound to a second identity",
    build: onDefault((d) => void new WorkloadIdentity(d.platform, "workload-extra", { ...wiProps(d), serviceAccounts: [{ namespace: "demo", name: "demo-app" }] })),
    expect: { path: "platform/workload-extra", field: "serviceAccounts[0]", value: "demo/demo-app", rule: /is already bound to identity platform\/workload-demo on this issuer/ },
  },
  { name: "service account bound twice", build: onDefault((d) => void demoIdentity(d).addServiceAccount({ namespace: "demo", name: "demo-app" })), expect: { path: "platform/workload-demo", field: "addServiceAccount", value: "demo/demo-app", rule: /is already bound to this identity \(credential "demo-demo-app"\)/ } },
  {
    name: "credential name used twice",
    build: onDefault((d) => void demoIdentity(d).addServiceAccount({ namespace: "ops", name: "ops-app", credentialName: "demo-demo-app" })),
    expect: { path: "platform/workload-demo", field: "addServiceAccount.credentialName", value: "demo-demo-app", rule: /already used by the credential for demo\/demo-app/ },
  },

  // constructs/workload-service-account.ts
  { name: "service account name with _", build: addSa(() => ({ name: "demo_app" })), expect: { path: "cluster/sa-extra", field: "name", value: "demo_app", rule: SUBDOMAIN } },
  { name: "service account namespace with capitals", build: addSa(() => ({ namespace: "Demo" })), expect: { path: "cluster/sa-extra", field: "namespace", value: "Demo", rule: LABEL } },
  { name: "service account without identity", build: addSa(() => ({ identity: undefined as any })), expect: { path: "cluster/sa-extra", field: "identity", value: undefined, rule: /is required/ } },
  { name: "service account for a client ID that is not a GUID", build: addSa(() => ({ identity: { clientId: "app-client" } })), expect: { path: "cluster/sa-extra", field: "identity.clientId", value: "app-client", rule: GUID_RULE } },
  { name: "tenant annotation without tenant", build: addSa(() => ({ identity: { clientId: GUID }, annotateTenantId: true })), expect: { path: "cluster/sa-extra", field: "identity.tenantId", value: undefined, rule: /is needed for annotateTenantId/ } },
  { name: "tenant annotation with a tenant that is not a GUID", build: addSa(() => ({ identity: { clientId: GUID, tenantId: "contoso" }, annotateTenantId: true })), expect: { path: "cluster/sa-extra", field: "identity.tenantId", value: "contoso", rule: GUID_RULE } },
  { name: "token expiration of a minute", build: addSa(() => ({ tokenExpirationSeconds: 60 })), expect: { path: "cluster/sa-extra", field: "tokenExpirationSeconds", value: 60, rule: /from 3600 to 86400/ } },
  { name: "service account label key starting with -", build: addSa(() => ({ labels: { "-team": "payments" } })), expect: { path: "cluster/sa-extra", field: 'labels["-team"]', value: "-team", rule: /label keys are qualified names/ } },
  { name: "service account label value with a space", build: addSa(() => ({ labels: { team: "pay ments" } })), expect: { path: "cluster/sa-extra", field: 'labels["team"]', value: "pay ments", rule: /label values are at most 63/ } },
  {
    name: "service account the identity does not trust",
    build: addSa((d) => ({ name: "other-app", cluster: d.platform.cluster })),
    expect: { path: "cluster/sa-extra", field: "identity", value: "platform/workload-demo", rule: /has no federated credential for system:serviceaccount:demo:other-app from this cluster's issuer/ },
  },

  // constructs/pod-helpers.ts (problems are reported on the class)
  { name: "volume name with capitals", build: onDefault((d) => void new PodSecretsMount(addonSpc(d), { volumeName: "Secrets" })), expect: { path: ADDON_SPC, field: "podSecrets.volumeName", value: "Secrets", rule: LABEL } },
  { name: "relative mount path", build: onDefault((d) => void new PodSecretsMount(addonSpc(d), { mountPath: "mnt/secrets" })), expect: { path: ADDON_SPC, field: "podSecrets.mountPath", value: "mnt/secrets", rule: /absolute path/ } },
  { name: "pod service account name with _", build: onDefault((d) => void new PodSecretsMount(addonSpc(d), { serviceAccount: "demo_app" })), expect: { path: ADDON_SPC, field: "podSecrets.serviceAccount", value: "demo_app", rule: SUBDOMAIN } },
  {
    name: "service account of another namespace",
    build: onDefault((d) => void new PodSecretsMount(addonSpc(d), { serviceAccount: new WorkloadServiceAccount(d.cluster, "ops-sa", { identity: { clientId: GUID }, namespace: "ops", name: "ops-app" }) })),
    expect: { path: ADDON_SPC, field: "podSecrets.serviceAccount", value: "ops/ops-app", rule: /must be in the class's namespace "demo"/ },
  },
  { name: "workload identity class mounted without a service account", build: onDefault((d) => void new PodSecretsMount(wiSpc(d))), expect: { path: WI_SPC, field: "podSecrets.serviceAccount", value: undefined, rule: /is required: the class logs in with workload identity/ } },
  {
    name: "service account of another identity",
    build: onDefault((d) => void new PodSecretsMount(wiSpc(d), { serviceAccount: new WorkloadServiceAccount(d.cluster, "other-sa", { identity: { clientId: GUID }, namespace: "demo", name: "other-app" }) })),
    expect: { path: WI_SPC, field: "podSecrets.serviceAccount", value: "demo/other-app", rule: /stands for another identity than the class's \(platform\/workload-demo\)/ },
  },
  { name: "path of a file the class does not mount", build: onDefault((d) => void d.demo!.addonIdentity.pod.filePath("db-password")), expect: { path: ADDON_SPC, field: "podSecrets.filePath", value: "db-password", rule: /is not mounted by this class; mounted: "demo-username", "demo-password"/ } },
  { name: "env var name starting with a digit", build: onDefault((d) => void d.demo!.addonIdentity.pod.envFromSyncedSecrets([{ name: "1PASSWORD", key: "password" }])), expect: { path: ADDON_SPC, field: "podSecrets.env[0].name", value: "1PASSWORD", rule: /environment variable name/ } },
  {
    name: "env var set twice",
    build: onDefault((d) => void d.demo!.addonIdentity.pod.envFromSyncedSecrets([{ name: "DB", key: "username" }, { name: "DB", key: "password" }])),
    expect: { path: ADDON_SPC, field: "podSecrets.env[1].name", value: "DB", rule: /is set twice/ },
  },
  { name: "env var from a key no synced Secret holds", build: onDefault((d) => void d.demo!.addonIdentity.pod.envFromSyncedSecrets([{ name: "TOKEN", key: "token" }])), expect: { path: ADDON_SPC, field: "podSecrets.env[0].key", value: "token", rule: /is not a key of a Secret this class syncs/ } },
  { name: "no env vars", build: onDefault((d) => void d.demo!.addonIdentity.pod.envFromSyncedSecrets([])), expect: { path: ADDON_SPC, field: "podSecrets.env", value: [], rule: /at least one variable/ } },

  // constructs/key-vault-workload-binding.ts
  { name: "binding namespace with capitals", build: addBinding({ namespace: "Orders" }), expect: { path: "platform/orders", field: "namespace", value: "Orders", rule: LABEL } },
  { name: "binding service account with _", build: addBinding({ serviceAccountName: "orders_app" }), expect: { path: "platform/orders", field: "serviceAccountName", value: "orders_app", rule: SUBDOMAIN } },
  { name: "binding of no secret", build: addBinding({ secrets: [] }), expect: { path: "platform/orders", field: "secrets", value: [], rule: /at least one Key Vault secret/ } },
  { name: "binding of a key", build: addBinding({ secrets: [{ objectName: "signing-key", objectType: "key" }] }), expect: { path: "platform/orders", field: "secrets[0].objectType", value: "key", rule: /grants secret read only/ } },
  { name: "binding secret name with _", build: addBinding({ secrets: ["orders_db"] }), expect: { path: "platform/orders", field: "secrets[0]", value: "orders_db", rule: /Key Vault object names/ } },
  { name: "binding creating an identity without resource group", build: addBinding({ resourceGroupName: undefined }), expect: { path: "platform/orders", field: "resourceGroupName", value: undefined, rule: /is required to create the identity/ } },
  { name: "binding creating an identity without location", build: addBinding({ location: undefined }), expect: { path: "platform/orders", field: "location", value: undefined, rule: /is required to create the identity/ } },

  // constructs/secret-provider-class.ts: common
  { name: "class name with _", build: addSpc(() => ({ name: "extra_spc" })), expect: { path: SPC, field: "name", value: "extra_spc", rule: SUBDOMAIN } },
  { name: "class namespace with capitals", build: addSpc(() => ({ namespace: "Demo" })), expect: { path: SPC, field: "namespace", value: "Demo", rule: LABEL } },
  { name: "unknown secrets store", build: addSpc(() => ({ provider: { type: "gcp" } as any })), expect: { path: "cluster/extra-spc", field: "provider.type", value: "gcp", rule: /^must be one of "aws", "azure", "vault"/ } },
  // azure
  { name: "vault name contradicting the KeyVault", build: addSpc((d) => ({ provider: azure(d, { keyvaultName: "kv-other-01" }) })), expect: { path: SPC, field: "provider.keyvaultName", value: "kv-other-01", rule: /contradicts provider\.keyVault \(platform\/keyvault\)/ } },
  { name: "no vault at all", build: addSpc((d) => ({ provider: azure(d, { keyVault: undefined, tenantId: TENANT }) })), expect: { path: SPC, field: "provider.keyvaultName", value: undefined, rule: /is required/ } },
  { name: "class vault name with _", build: addSpc((d) => ({ provider: azure(d, { keyVault: undefined, keyvaultName: "kv_other", tenantId: TENANT }) })), expect: { path: SPC, field: "provider.keyvaultName", value: "kv_other", rule: /Key Vault names/ } },
  { name: "vault by name without tenant", build: addSpc((d) => ({ provider: azure(d, { keyVault: undefined, keyvaultName: "kv-other-01" }) })), expect: { path: SPC, field: "provider.tenantId", value: undefined, rule: /is required when no KeyVault construct is given/ } },
  { name: "tenant not a GUID", build: addSpc((d) => ({ provider: azure(d, { tenantId: "contoso" }) })), expect: { path: SPC, field: "provider.tenantId", value: "contoso", rule: GUID_RULE } },
  { name: "cloud name with spaces", build: addSpc((d) => ({ provider: azure(d, { cloudName: "Azure Public Cloud" }) })), expect: { path: SPC, field: "provider.cloudName", value: "Azure Public Cloud", rule: /Azure cloud name/ } },
  { name: "workload identity client ID not a GUID", build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "workloadIdentity", identity: { clientId: "app" } } }) })), expect: { path: SPC, field: "provider.identity.identity.clientId", value: "app", rule: GUID_RULE } },
  {
    name: "add-on identity used as a workload identity",
    build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "workloadIdentity", identity: d.platform.cluster.secretsProviderIdentity } }) })),
    expect: { path: SPC, field: "provider.identity.mode", value: "workloadIdentity", rule: /is the csi-addon identity, assigned to the node VMs/ },
  },
  {
    name: "workload identity used as the VM identity",
    build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "vmManagedIdentity", identity: demoIdentity(d) } }) })),
    expect: { path: SPC, field: "provider.identity.mode", value: "vmManagedIdentity", rule: /platform\/workload-demo is a workload identity/ },
  },
  { name: "pod identity", build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "podIdentity" } }) })), expect: { path: SPC, field: "provider.identity.mode", value: "podIdentity", rule: /aad-pod-identity .* is retired/ } },
  { name: "workload identity mode without identity", build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "workloadIdentity" } as any }) })), expect: { path: "cluster/extra-spc", field: "provider.identity.identity", value: undefined, rule: /^is required: an object \{ clientId \}/ } },
  { name: "VM identity mode without identity", build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "vmManagedIdentity" } as any }) })), expect: { path: "cluster/extra-spc", field: "provider.identity.identity", value: undefined, rule: /^is required: an object \{ clientId \}/ } },
  { name: "unknown identity mode", build: addSpc((d) => ({ provider: azure(d, { identity: { mode: "managedIdentity" } as any }) })), expect: { path: "cluster/extra-spc", field: "provider.identity.mode", value: "managedIdentity", rule: /^must be one of "workloadIdentity", "vmManagedIdentity", "identityBinding", "podIdentity"/ } },
  { name: "no Key Vault object", build: azureObjects(), expect: { path: SPC, field: "provider.objects", value: [], rule: /at least one Key Vault object/ } },
  { name: "empty object name", build: azureObjects({ objectName: "" }), expect: { path: SPC, field: "provider.objects[0].objectName", value: "", rule: /is required: the name of the secret/ } },
  { name: "object name with _", build: azureObjects({ objectName: "db_password" }), expect: { path: SPC, field: "provider.objects[0].objectName", value: "db_password", rule: /Key Vault object names/ } },
  { name: "object type misspelled", build: azureObjects({ objectName: "tls", objectType: "certificate" as any }), expect: { path: "cluster/extra-spc", field: "provider.objects[0].objectType", value: "certificate", rule: /^must be one of "cert", "key", "secret"/ } },
  { name: "object version not an id", build: azureObjects({ objectName: "demo-username", objectVersion: "v1" }), expect: { path: SPC, field: "provider.objects[0].objectVersion", value: "v1", rule: /32 hex characters/ } },
  { name: "version history of 0", build: azureObjects({ objectName: "demo-username", objectVersionHistory: 0 }), expect: { path: SPC, field: "provider.objects[0].objectVersionHistory", value: 0, rule: /from 1 to 200/ } },
  { name: "object encoding utf-16", build: azureObjects({ objectName: "demo-username", objectEncoding: "utf-16" as any }), expect: { path: "cluster/extra-spc", field: "provider.objects[0].objectEncoding", value: "utf-16", rule: /^must be one of "base64", "hex", "utf-8"/ } },
  { name: "object encoding on a certificate", build: azureObjects({ objectName: "tls", objectType: "cert", objectEncoding: "base64" }), expect: { path: SPC, field: "provider.objects[0].objectEncoding", value: "base64", rule: /applies only to objectType "secret" \(this object is "cert"\)/ } },
  { name: "object format der", build: azureObjects({ objectName: "demo-username", objectFormat: "der" as any }), expect: { path: "cluster/extra-spc", field: "provider.objects[0].objectFormat", value: "der", rule: /^must be one of "pem", "pfx"/ } },
  { name: "pfx of a certificate object", build: azureObjects({ objectName: "tls", objectType: "cert", objectFormat: "pfx" }), expect: { path: SPC, field: "provider.objects[0].objectFormat", value: "pfx", rule: /pfx is served only for objectType "secret"/ } },
  { name: "file permission not octal", build: azureObjects({ objectName: "demo-username", filePermission: "644x" }), expect: { path: SPC, field: "provider.objects[0].filePermission", value: "644x", rule: /octal file mode/ } },
  { name: "alias escaping the mount", build: azureObjects({ objectName: "demo-username", objectAlias: "../etc/passwd" }), expect: { path: SPC, field: "provider.objects[0].objectAlias", value: "../etc/passwd", rule: /relative path without '\.\.'/ } },
  {
    name: "identity without a read grant",
    build: onDefault((d) => {
      const reports = new WorkloadIdentity(d.platform, "workload-reports", { ...wiProps(d), name: "id-reports" });
      new SecretProviderClass(d.cluster, "extra-spc", { name: "extra", namespace: "demo", provider: azure(d, { identity: { mode: "workloadIdentity", identity: reports } }) });
    }),
    expect: { path: SPC, field: "provider.objects[0].objectName", value: "demo-username", rule: /the workload-identity identity platform\/workload-reports has no read grant on this secret in platform\/keyvault/ },
  },
  // vault
  { name: "Vault role name empty", build: addSpc(() => ({ provider: vault({ roleName: "" }) })), expect: { path: SPC, field: "provider.roleName", value: "", rule: /is required: the Vault role/ } },
  { name: "Vault role name with a space", build: addSpc(() => ({ provider: vault({ roleName: "demo role" }) })), expect: { path: SPC, field: "provider.roleName", value: "demo role", rule: /letters, digits, '_', '-' and '\.'/ } },
  { name: "Vault address empty", build: addSpc(() => ({ provider: vault({ vaultAddress: "" }) })), expect: { path: SPC, field: "provider.vaultAddress", value: "", rule: /is required: the Vault address/ } },
  { name: "Vault address over http", build: addSpc(() => ({ provider: vault({ vaultAddress: "http://vault.example:8200" }) })), expect: { path: SPC, field: "provider.vaultAddress", value: "http://vault.example:8200", rule: /https:\/\/ URL/ } },
  { name: "TLS skip without a reason", build: addSpc(() => ({ provider: vault({ skipTlsVerify: { reason: "lab" } }) })), expect: { path: SPC, field: "provider.skipTlsVerify.reason", value: "lab", rule: REASON } },
  {
    name: "TLS skip with a CA",
    build: addSpc(() => ({ provider: vault({ skipTlsVerify: { reason: "lab cluster, self-signed" }, vaultCACertPath: "/vault/ca.pem" }) })),
    expect: { path: SPC, field: "provider.skipTlsVerify", value: "lab cluster, self-signed", rule: /contradicts vaultCACertPath/ },
  },
  { name: "no Vault secret", build: addSpc(() => ({ provider: vault({ objects: [] }) })), expect: { path: SPC, field: "provider.objects", value: [], rule: /at least one Vault secret/ } },
  { name: "Vault object without name", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "", secretPath: "secret/data/demo" }] }) })), expect: { path: SPC, field: "provider.objects[0].objectName", value: "", rule: /is required: the file name/ } },
  { name: "Vault object without path", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "password", secretPath: "" }] }) })), expect: { path: SPC, field: "provider.objects[0].secretPath", value: "", rule: /is required: the Vault path/ } },
  { name: "Vault path with a leading /", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "password", secretPath: "/secret/data/demo" }] }) })), expect: { path: SPC, field: "provider.objects[0].secretPath", value: "/secret/data/demo", rule: /without a leading '\/'/ } },
  { name: "Vault method DELETE", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "password", secretPath: "secret/data/demo", method: "DELETE" as any }] }) })), expect: { path: "cluster/extra-spc", field: "provider.objects[0].method", value: "DELETE", rule: /^must be one of "GET", "POST", "PUT"/ } },
  {
    name: "Vault secret args with GET",
    build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "db", secretPath: "database/creds/app", secretArgs: { ttl: "1h" } }] }) })),
    expect: { path: SPC, field: "provider.objects[0].secretArgs", value: { ttl: "1h" }, rule: /only with method PUT or POST/ },
  },
  { name: "Vault encoding utf-16", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "password", secretPath: "secret/data/demo", encoding: "utf-16" as any }] }) })), expect: { path: "cluster/extra-spc", field: "provider.objects[0].encoding", value: "utf-16", rule: /^must be one of "base64", "hex", "utf-8"/ } },
  { name: "Vault file permission not octal", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "password", secretPath: "secret/data/demo", filePermission: "rw" }] }) })), expect: { path: SPC, field: "provider.objects[0].filePermission", value: "rw", rule: /octal file mode/ } },
  { name: "Vault file name escaping the mount", build: addSpc(() => ({ provider: vault({ objects: [{ objectName: "../password", secretPath: "secret/data/demo" }] }) })), expect: { path: SPC, field: "provider.objects[0].objectName", value: "../password", rule: /relative path without '\.\.'/ } },
  // aws
  { name: "AWS region by name", build: addSpc(() => ({ provider: aws({ region: "Ireland" }) })), expect: { path: SPC, field: "provider.region", value: "Ireland", rule: /AWS region/ } },
  { name: "AWS failover region with spaces", build: addSpc(() => ({ provider: aws({ failoverRegion: "eu west 2" }) })), expect: { path: SPC, field: "provider.failoverRegion", value: "eu west 2", rule: /AWS region/ } },
  { name: "AWS failover to the same region", build: addSpc(() => ({ provider: aws({ failoverRegion: "eu-west-1" }) })), expect: { path: SPC, field: "provider.failoverRegion", value: "eu-west-1", rule: /must differ from region/ } },
  { name: "AWS path translation of two characters", build: addSpc(() => ({ provider: aws({ pathTranslation: "--" }) })), expect: { path: SPC, field: "provider.pathTranslation", value: "--", rule: /single character or "False"/ } },
  { name: "AWS address type ipv5", build: addSpc(() => ({ provider: aws({ preferredAddressType: "ipv5" as any }) })), expect: { path: "cluster/extra-spc", field: "provider.preferredAddressType", value: "ipv5", rule: /^must be one of "auto", "ipv4", "ipv6"/ } },
  { name: "no AWS object", build: addSpc(() => ({ provider: aws({ objects: [] }) })), expect: { path: SPC, field: "provider.objects", value: [], rule: /Secrets Manager secret or SSM parameter/ } },
  { name: "AWS object without name", build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "", objectType: "ssmparameter" }] }) })), expect: { path: SPC, field: "provider.objects[0].objectName", value: "", rule: /is required: the secret or parameter name or ARN/ } },
  { name: "AWS object type missing", build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db-password" }] }) })), expect: { path: SPC, field: "provider.objects[0].objectType", value: undefined, rule: /is required unless objectName is an ARN/ } },
  { name: "AWS object type misspelled", build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db-password", objectType: "secretsManager" as any }] }) })), expect: { path: "cluster/extra-spc", field: "provider.objects[0].objectType", value: "secretsManager", rule: /^must be one of "secretsmanager", "ssmparameter"/ } },
  { name: "AWS file permission not octal", build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db-password", objectType: "secretsmanager", filePermission: "999" }] }) })), expect: { path: SPC, field: "provider.objects[0].filePermission", value: "999", rule: /octal file mode/ } },
  { name: "AWS alias escaping the mount", build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db-password", objectType: "secretsmanager", objectAlias: "../db" }] }) })), expect: { path: SPC, field: "provider.objects[0].objectAlias", value: "../db", rule: /relative path/ } },
  {
    name: "JMESPath without path",
    build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db", objectType: "secretsmanager", jmesPath: [{ path: "", objectAlias: "user" }] }] }) })),
    expect: { path: SPC, field: "provider.objects[0].jmesPath[0].path", value: "", rule: /is required: the JMESPath/ },
  },
  {
    name: "JMESPath without alias",
    build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db", objectType: "secretsmanager", jmesPath: [{ path: "username", objectAlias: "" }] }] }) })),
    expect: { path: SPC, field: "provider.objects[0].jmesPath[0].objectAlias", value: "", rule: /is required: the file name of the extracted value/ },
  },
  {
    name: "JMESPath file permission not octal",
    build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db", objectType: "secretsmanager", jmesPath: [{ path: "username", objectAlias: "user", filePermission: "abc" }] }] }) })),
    expect: { path: SPC, field: "provider.objects[0].jmesPath[0].filePermission", value: "abc", rule: /octal file mode/ },
  },
  {
    name: "JMESPath alias escaping the mount",
    build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db", objectType: "secretsmanager", jmesPath: [{ path: "username", objectAlias: "../user" }] }] }) })),
    expect: { path: SPC, field: "provider.objects[0].jmesPath[0].objectAlias", value: "../user", rule: /relative path/ },
  },
  {
    name: "failover object without failover region",
    build: addSpc(() => ({ provider: aws({ objects: [{ objectName: "db", objectType: "secretsmanager", failoverObject: { objectName: "db-replica" } }] }) })),
    expect: { path: SPC, field: "provider.objects[0].failoverObject", value: "db-replica", rule: /needs provider\.failoverRegion/ },
  },
  {
    name: "failover object without name",
    build: addSpc(() => ({ provider: aws({ failoverRegion: "eu-west-2", objects: [{ objectName: "db", objectType: "secretsmanager", failoverObject: { objectName: "" } }] }) })),
    expect: { path: SPC, field: "provider.objects[0].failoverObject.objectName", value: "", rule: /is required/ },
  },
  // files and synced Secrets
  { name: "two objects writing one file", build: azureObjects({ objectName: "demo-username" }, { objectName: "demo-password", objectAlias: "demo-username" }), expect: { path: SPC, field: "provider.objects", value: "demo-username", rule: /would write the same file/ } },
  { name: "synced Secret name with _", build: synced([{ secretName: "db_secret", data: [{ objectName: "demo-username", key: "username" }] }]), expect: { path: SPC, field: "secretObjects[0].secretName", value: "db_secret", rule: SUBDOMAIN } },
  {
    name: "Secret synced twice",
    build: synced([
      { secretName: "db", data: [{ objectName: "demo-username", key: "username" }] },
      { secretName: "db", data: [{ objectName: "demo-username", key: "user" }] },
    ]),
    expect: { path: SPC, field: "secretObjects[1].secretName", value: "db", rule: /is synced twice/ },
  },
  { name: "synced Secret type Generic", build: synced([{ secretName: "db", type: "Generic" as any, data: [{ objectName: "demo-username", key: "username" }] }]), expect: { path: "cluster/extra-spc", field: "secretObjects[0].type", value: "Generic", rule: /^must be one of "bootstrap\.kubernetes\.io\/token", "kubernetes\.io\/basic-auth", "kubernetes\.io/ } },
  { name: "synced Secret without data", build: synced([{ secretName: "db", data: [] }]), expect: { path: SPC, field: "secretObjects[0].data", value: [], rule: /at least one mounted object/ } },
  { name: "synced key with a space", build: synced([{ secretName: "db", data: [{ objectName: "demo-username", key: "user name" }] }]), expect: { path: SPC, field: "secretObjects[0].data[0].key", value: "user name", rule: /Secret data key/ } },
  {
    name: "synced key used twice",
    build: synced([{ secretName: "db", data: [{ objectName: "demo-username", key: "value" }, { objectName: "demo-username", key: "value" }] }]),
    expect: { path: SPC, field: "secretObjects[0].data[1].key", value: "value", rule: /is used twice/ },
  },
  { name: "synced key of an object not mounted", build: synced([{ secretName: "db", data: [{ objectName: "demo-password", key: "password" }] }]), expect: { path: SPC, field: "secretObjects[0].data[0].objectName", value: "demo-password", rule: /is not mounted by this class.*mounted: "demo-username"/ } },
  { name: "TLS Secret without key", build: synced([{ secretName: "tls", type: "kubernetes.io/tls", data: [{ objectName: "demo-username", key: "tls.crt" }] }]), expect: { path: SPC, field: "secretObjects[0].data", value: ["tls.crt"], rule: /needs the key "tls\.key"/ } },
  { name: "basic-auth Secret without username or password", build: synced([{ secretName: "basic", type: "kubernetes.io/basic-auth", data: [{ objectName: "demo-username", key: "token" }] }]), expect: { path: SPC, field: "secretObjects[0].data", value: ["token"], rule: /at least one of the keys "username", "password"/ } },
  {
    name: "service account token Secret without annotation",
    build: synced([{ secretName: "sa-token", type: "kubernetes.io/service-account-token", data: [{ objectName: "demo-username", key: "token" }] }]),
    expect: { path: SPC, field: "secretObjects[0].annotations", value: {}, rule: /needs the annotation kubernetes\.io\/service-account\.name/ },
  },
  { name: "synced Secret label value starting with -", build: synced([{ secretName: "db", labels: { app: "-db-" }, data: [{ objectName: "demo-username", key: "username" }] }]), expect: { path: SPC, field: 'secretObjects[0].labels["app"]', value: "-db-", rule: /label values/ } },
  { name: "synced Secret annotation key with a space", build: synced([{ secretName: "db", annotations: { "owner team": "x" }, data: [{ objectName: "demo-username", key: "username" }] }]), expect: { path: SPC, field: "secretObjects[0].annotations", value: "owner team", rule: /annotation keys are qualified names/ } },

  // constructs/hvn-peering.ts
  { name: "HVN mode adopt", build: addHvn({ hvn: { mode: "adopt" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.mode", value: "adopt", rule: /^must be one of "create", "existing"/ } },
  { name: "existing HVN without id", build: addHvn({ hvn: { mode: "existing", cidrBlock: "172.26.0.0/20" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.hvnId", value: undefined, rule: /^is required: a string/ } },
  { name: "new HVN without id", build: addHvn({ hvn: { mode: "create", region: "westeurope", cidrBlock: "172.26.0.0/20" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.hvnId", value: undefined, rule: /^is required: a string/ } },
  { name: "new HVN without region", build: addHvn({ hvn: { mode: "create", hvnId: "hvn-extra", cidrBlock: "172.26.0.0/20" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.region", value: undefined, rule: /^is required: a string/ } },
  { name: "existing HVN without CIDR block", build: addHvn({ hvn: { mode: "existing", hvnId: "hvn-shared" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.cidrBlock", value: undefined, rule: /^is required: a string/ } },
  { name: "new HVN without CIDR block", build: addHvn({ hvn: { mode: "create", hvnId: "hvn-extra", region: "westeurope" } as any }), expect: { path: "hcp/hvn-extra", field: "hvn.cidrBlock", value: undefined, rule: /^is required: a string/ } },
  { name: "spoke that is not an object", build: addHvn({ spokes: [null as any] }), expect: { path: "hcp/hvn-extra", field: "spokes[0]", value: null, rule: /^must be an object \{ name, vnetId, vnetName, resourceGroupName, location, subscriptionId, t/ } },
  { name: "extra spoke without VNet ID", build: withConfig(spoke({ vnetId: undefined as any })), expect: { path: "hcp", field: "extraSpokes[0].vnetId", value: undefined, rule: /^is required: a string/ } },
  { name: "extra spoke ranges as a string", build: withConfig(spoke({ addressRanges: "10.50.0.0/16" as any })), expect: { path: "hcp", field: "extraSpokes[0].addressRanges", value: "10.50.0.0/16", rule: /^must be a list/ } },
  { name: "HVN id of one character", build: fromSources({ file: { hcpVault: { hcp: { hvnId: "h" } } } }), expect: { path: "hcp/hvn", field: "hvn.hvnId", value: "h", rule: /HCP IDs are 3-36/ } },
  { name: "HCP project not a GUID", build: fromSources({ file: { hcpVault: { hcp: { hcpProjectId: "my-project" } } } }), expect: { path: "hcp/hvn", field: "hvn.projectId", value: "my-project", rule: GUID_RULE } },
  { name: "HVN region with a space", build: fromSources({ env: { AKS_SECRETS__HCP_VAULT__HCP__HVN_REGION: "West Europe" } }), expect: { path: "hcp/hvn", field: "hvn.region", value: "West Europe", rule: /lowercase without spaces/ } },
  { name: "HVN allowDestroy without a reason", build: addHvn({ hvn: { mode: "create", hvnId: "hvn-extra", region: "westeurope", cidrBlock: "172.26.0.0/20", allowDestroy: { reason: "no" } } }), expect: { path: "hcp/hvn-extra", field: "hvn.allowDestroy.reason", value: "no", rule: REASON } },
  { name: "HVN CIDR with host bits", build: fromSources({ file: { hcpVault: { hcp: { hvnCidr: "172.25.16.1/20" } } } }), expect: { path: "hcp/hvn", field: "hvn.cidrBlock", value: "172.25.16.1/20", rule: /like 172\.25\.16\.0\/20 with no host bits/ } },
  { name: "public HVN CIDR", build: fromSources({ file: { hcpVault: { hcp: { hvnCidr: "8.8.0.0/16" } } } }), expect: { path: "hcp/hvn", field: "hvn.cidrBlock", value: "8.8.0.0/16", rule: /private RFC 1918 range/ } },
  { name: "HVN CIDR of a /28", build: fromSources({ env: { AKS_SECRETS__HCP_VAULT__HCP__HVN_CIDR: "172.25.16.0/28" } }), expect: { path: "hcp/hvn", field: "hvn.cidrBlock", value: "172.25.16.0/28", rule: /from \/16 to \/25/ } },
  { name: "reserved range without prefix", build: addHvn({ reservedRanges: ["172.16.0.0"] }), expect: { path: "hcp/hvn-extra", field: "reservedRanges[0]", value: "172.16.0.0", rule: /IPv4 CIDR block like 172\.16\.0\.0\/16/ } },
  { name: "HVN CIDR overlapping the AKS service CIDR", build: fromSources({ file: { hcpVault: { hcp: { hvnCidr: "172.16.0.0/20" } } } }), expect: { path: "hcp/hvn", field: "hvn.cidrBlock", value: "172.16.0.0/20", rule: /overlaps the reserved range 172\.16\.0\.0\/16/ } },
  { name: "HVN without spokes", build: addHvn({ spokes: [] }), expect: { path: "hcp/hvn-extra", field: "spokes", value: [], rule: /at least one spoke VNet/ } },
  { name: "spoke name with capitals", build: fromSources({ file: { hcpVault: { hcp: { spokeName: "AKS" } } } }), expect: { path: "hcp/hvn", field: "spokes[0].name", value: "AKS", rule: /spoke names are 3-17 lowercase/ } },
  { name: "extra spoke named like the AKS spoke", build: withConfig(spoke({ name: "aks" })), expect: { path: "hcp/hvn", field: "spokes[1].name", value: "aks", rule: /is used by another spoke/ } },
  { name: "extra spoke VNet name starting with -", build: withConfig(spoke({ vnetName: "-hub" })), expect: { path: "hcp/hvn", field: "spokes[1].vnetName", value: "-hub", rule: /virtual network and subnet names/ } },
  { name: "extra spoke resource group ending in .", build: withConfig(spoke({ resourceGroupName: "rg-hub." })), expect: { path: "hcp/hvn", field: "spokes[1].resourceGroupName", value: "rg-hub.", rule: /resource group names/ } },
  { name: "extra spoke location with a space", build: withConfig(spoke({ location: "West Europe" })), expect: { path: "hcp/hvn", field: "spokes[1].location", value: "West Europe", rule: /lowercase without spaces/ } },
  { name: "extra spoke subscription not a GUID", build: withConfig(spoke({ subscriptionId: "hub-subscription" })), expect: { path: "hcp/hvn", field: "spokes[1].subscriptionId", value: "hub-subscription", rule: GUID_RULE } },
  { name: "extra spoke tenant not a GUID", build: withConfig(spoke({ tenantId: "contoso" })), expect: { path: "hcp/hvn", field: "spokes[1].tenantId", value: "contoso", rule: GUID_RULE } },
  { name: "extra spoke without address ranges", build: withConfig(spoke({ addressRanges: [] })), expect: { path: "hcp/hvn", field: "spokes[1].addressRanges", value: [], rule: /must list the spoke's address ranges/ } },
  {
    name: "extra spoke range known only at apply",
    build: (app) => {
      const vars = new TerraformStack(app, "inputs");
      const hubRange = new TerraformVariable(vars, "hub_range", { type: "string" });
      buildDefaultApp(app, spoke({ addressRanges: [hubRange.stringValue] }));
    },
    expect: { path: "hcp/hvn", field: "spokes[1].addressRanges[0]", rule: /must be known at synth \(a literal CIDR\)/ },
  },
  { name: "extra spoke range not a CIDR", build: withConfig(spoke({ addressRanges: ["10.50.0.0/33"] })), expect: { path: "hcp/hvn", field: "spokes[1].addressRanges[0]", value: "10.50.0.0/33", rule: /IPv4 CIDR block like 10\.20\.0\.0\/16/ } },
  { name: "extra spoke range public", build: withConfig(spoke({ addressRanges: ["8.8.8.0/24"] })), expect: { path: "hcp/hvn", field: "spokes[1].addressRanges[0]", value: "8.8.8.0/24", rule: /HVN routes only accept RFC 1918/ } },
  { name: "extra spoke range overlapping the HVN", build: withConfig(spoke({ addressRanges: ["172.25.16.0/24"] })), expect: { path: "hcp/hvn", field: "spokes[1].addressRanges[0]", value: "172.25.16.0/24", rule: /overlaps the HVN CIDR 172\.25\.16\.0\/20/ } },
  { name: "extra spoke range overlapping the AKS VNet", build: withConfig(spoke({ addressRanges: ["10.20.0.0/24"] })), expect: { path: "hcp/hvn", field: "spokes[1].addressRanges[0]", value: "10.20.0.0/24", rule: /overlaps 10\.20\.0\.0\/16 of spoke "aks"/ } },

  // constructs/hcp-vault-cluster.ts
  { name: "Vault cluster id of one character", build: fromSources({ file: { hcpVault: { hcp: { vaultClusterId: "v" } } } }), expect: { path: "hcp/vault", field: "clusterId", value: "v", rule: /HCP IDs are 3-36/ } },
  { name: "second Vault cluster: project not a GUID", build: onDefault((d) => void new HcpVaultCluster(d.hcpVault!.hcp, "vault-extra", { clusterId: "vault-extra", hvn: d.hcpVault!.hcp.peering, projectId: "proj" })), expect: { path: "hcp/vault-extra", field: "projectId", value: "proj", rule: GUID_RULE } },
  { name: "retired Vault tier", build: fromSources({ file: { hcpVault: { hcp: { vaultTier: "starter_small" } } } }), expect: { path: "hcp", field: "vaultTier", value: "starter_small", rule: /^must be one of "dev", "plus_large", "plus_medium", "plus_small", "standard_large", "standa/ } },
  ...(["hvn", "minVaultVersion", "allowDestroy"] as const).map((k): BadInputCase => {
    const patch: Record<typeof k, Partial<HcpVaultClusterProps>> = { hvn: { hvn: undefined as any }, minVaultVersion: { minVaultVersion: "1.21" }, allowDestroy: { allowDestroy: { reason: "test" } } };
    const exp: Record<typeof k, BadInputCase["expect"]> = {
      hvn: { path: "hcp/vault-extra", field: "hvn", value: undefined, rule: /^is required: an object \{ hvnId/ },
      minVaultVersion: { path: "hcp/vault-extra", field: "minVaultVersion", value: "1.21", rule: /Vault version such as v1\.21\.2/ },
      allowDestroy: { path: "hcp/vault-extra", field: "allowDestroy.reason", value: "test", rule: REASON },
    };
    return {
      name: `second Vault cluster: bad ${k}`,
      build: onDefault((d) => void new HcpVaultCluster(d.hcpVault!.hcp, "vault-extra", { clusterId: "vault-extra", hvn: d.hcpVault!.hcp.peering, ...patch[k] })),
      expect: exp[k],
    };
  }),

  // constructs/vault-jwt-auth.ts
  { name: "JWT mount path with a leading /", build: withConfig({ hcpVault: { vaultConfig: { jwtPath: "/jwt-aks" } } }), expect: { path: "vault-config/jwt", field: "path", value: "/jwt-aks", rule: /Vault mount path/ } },
  { name: "JWT auth without issuer", build: jwtAuth({ issuer: undefined as any }), expect: { path: "vault-config/jwt-extra", field: "issuer", value: undefined, rule: /^is required: an object \{ oidcIssuerUrl \}/ } },
  { name: "JWT issuer over http", build: jwtAuth({ issuer: { oidcIssuerUrl: "http://issuer.example/tenant/" } }), expect: { path: "vault-config/jwt-extra", field: "issuer.oidcIssuerUrl", value: "http://issuer.example/tenant/", rule: /https URL/ } },
  { name: "JWT public keys: none", build: withConfig({ hcpVault: { vaultConfig: { jwtKeys: { mode: "publicKeys", keys: [] } } } }), expect: { path: "vault-config/jwt", field: "keys.keys", value: [], rule: /at least one PEM public key/ } },
  { name: "JWT public key not PEM", build: withConfig({ hcpVault: { vaultConfig: { jwtKeys: { mode: "publicKeys", keys: ["ssh-rsa AAAA"] } } } }), expect: { path: "vault-config/jwt", field: "keys.keys[0]", value: "ssh-rsa AAAA", rule: /PEM public key/ } },
  { name: "JWT key mode jwks", build: withConfig({ hcpVault: { vaultConfig: { jwtKeys: { mode: "jwks" } as any } } }), expect: { path: "vault-config", field: "jwtKeys.mode", value: "jwks", rule: /^must be one of "discovery", "publicKeys"/ } },
  { name: "JWT auth without default audience", build: jwtAuth({ defaultAudiences: [] }), expect: { path: "vault-config/jwt-extra", field: "defaultAudiences", value: [], rule: /at least one audience/ } },
  { name: "role audience with a space", build: vaultWorkload({ audiences: ["my vault"] }), expect: { path: "vault-config/jwt", field: "roles[0].audiences[0]", value: "my vault", rule: /without spaces/ } },
  { name: "role audience of Entra ID", build: vaultWorkload({ audiences: ["api://AzureADTokenExchange"] }), expect: { path: "vault-config/jwt", field: "roles[0].audiences[0]", value: "api://AzureADTokenExchange", rule: /Entra ID's token-exchange audience/ } },
  { name: "role audience listed twice", build: vaultWorkload({ audiences: ["vault", "vault"] }), expect: { path: "vault-config/jwt", field: "roles[0].audiences[1]", value: "vault", rule: /listed twice/ } },
  { name: "Vault role name with capitals", build: vaultWorkload({ name: "Demo" }), expect: { path: "vault-config/jwt", field: "roles[0].name", value: "Demo", rule: /Vault role names/ } },
  { name: "Vault role namespace with capitals", build: vaultWorkload({ namespace: "Demo" }), expect: { path: "vault-config/jwt", field: "roles[0].namespace", value: "Demo", rule: LABEL } },
  { name: "Vault role service account with _", build: vaultWorkload({ serviceAccountName: "demo_vault" }), expect: { path: "vault-config/jwt", field: "roles[0].serviceAccountName", value: "demo_vault", rule: SUBDOMAIN } },
  {
    name: "two Vault workloads of one name",
    build: vaultWorkloads([
      { name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [{ path: "demo/config", destination: "demo-config" }] },
      { name: "demo", namespace: "ops", serviceAccountName: "ops-vault", secrets: [{ path: "ops/config", destination: "ops-config" }] },
    ]),
    expect: { path: "vault-config/jwt", field: "roles[1].name", value: "demo", rule: /already a role of the mount jwt-aks/ },
  },
  { name: "Vault workload reading nothing", build: vaultWorkload({ secrets: [] }), expect: { path: "vault-config/jwt", field: "roles[0].secrets", value: [], rule: /at least one KV v2 secret/ } },
  { name: "role secret in a mount with a leading /", build: addRole({ secrets: [{ mount: "/secret", path: "ops/config" }] }), expect: { path: "vault-config/jwt", field: "addRole.secrets[0].mount", value: "/secret", rule: /Vault mount path/ } },
  { name: "Vault secret path starting with data/", build: vaultWorkload({ secrets: [{ path: "data/demo/config", destination: "demo-config" }] }), expect: { path: "vault-config/jwt", field: "roles[0].secrets[0].path", value: "data/demo/config", rule: /not starting with data\/ or metadata\// } },
  { name: "token TTL in words", build: addRole({ tokenTtl: "20 minutes" }), expect: { path: "vault-config/jwt", field: "addRole.tokenTtl", value: "20 minutes", rule: /Go duration such as 20m/ } },
  { name: "token TTL of 30s", build: addRole({ tokenTtl: "30s" }), expect: { path: "vault-config/jwt", field: "addRole.tokenTtl", value: "30s", rule: /from 1m to 24h/ } },
  { name: "token max TTL shorter than TTL", build: addRole({ tokenTtl: "2h", tokenMaxTtl: "1h" }), expect: { path: "vault-config/jwt", field: "addRole.tokenMaxTtl", value: "1h", rule: /not be shorter than tokenTtl \(2h\)/ } },
  { name: "role without name", build: addRole({ name: undefined as any }), expect: { path: "vault-config/jwt", field: "addRole.name", value: undefined, rule: /^is required: the role name/ } },
  { name: "role without namespace", build: addRole({ namespace: undefined as any }), expect: { path: "vault-config/jwt", field: "addRole.namespace", value: undefined, rule: /^is required: the Kubernetes namespace/ } },
  { name: "role without service account", build: addRole({ serviceAccountName: undefined as any }), expect: { path: "vault-config/jwt", field: "addRole.serviceAccountName", value: undefined, rule: /^is required: the Kubernetes service account/ } },

  // stacks/vault-config-stack.ts and stacks/hcp-vault.ts
  { name: "KV mount with a trailing /", build: withConfig({ hcpVault: { vaultConfig: { kvMount: "secret/" } } }), expect: { path: "vault-config", field: "kvMount", value: "secret/", rule: /Vault mount path/ } },
  { name: "KV allowKvDestroy without a reason", build: withConfig({ hcpVault: { vaultConfig: { allowKvDestroy: { reason: "dev" } } } }), expect: { path: "vault-config", field: "allowKvDestroy.reason", value: "dev", rule: REASON } },
  {
    name: "two secrets synced into one Kubernetes Secret",
    build: vaultWorkload({ secrets: [{ path: "demo/config", destination: "demo-config" }, { path: "demo/other", destination: "demo-config" }] }),
    expect: { path: "vault-config", field: "workloads[0].secrets[1].destination", value: "demo-config", rule: /is synced twice into namespace demo/ },
  },
  { name: "role that the Vault configuration does not have", build: onDefault((d) => void d.hcpVault!.vaultConfig.role("nope")), expect: { path: "vault-config", field: "role", value: "nope", rule: /^is not a role of auth\/jwt-aks \(roles: demo\)/ } },
  { name: "Vault workloads not a list", build: withConfig({ hcpVault: { workloads: "demo" as any } }), expect: { path: "vault-config", field: "workloads", value: "demo", rule: /must be a list of workloads/ } },
  { name: "Vault workload that is not an object", build: withConfig({ hcpVault: { workloads: [null as any] } }), expect: { path: "vault-config", field: "workloads[0]", value: null, rule: /must be a workload \{ name, namespace/ } },
  ...(["name", "namespace", "serviceAccountName", "secrets"] as const).map(
    (k): BadInputCase => ({
      name: `Vault workload without ${k}`,
      build: (app) => {
        const w: Record<string, unknown> = { name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets: [{ path: "ops/config", destination: "ops-config" }] };
        delete w[k];
        buildDefaultApp(app, { hcpVault: { workloads: [w as any] } });
      },
      expect: { path: "vault-config", field: `workloads[0].${k}`, value: undefined, rule: /^is required: the / },
    }),
  ),
  { name: "Vault secret sync that is not an object", build: withConfig({ hcpVault: { workloads: [{ name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets: ["ops/config" as any] }] } }), expect: { path: "vault-config", field: "workloads[0].secrets[0]", value: "ops/config", rule: /must be a secret sync \{ path, destination \}/ } },
  { name: "Vault secret sync without path", build: withConfig({ hcpVault: { workloads: [{ name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets: [{ destination: "ops-config" } as any] }] } }), expect: { path: "vault-config", field: "workloads[0].secrets[0].path", value: undefined, rule: /^is required: the secret's path in the KV v2 mount/ } },
  { name: "Vault secret sync without destination", build: withConfig({ hcpVault: { workloads: [{ name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets: [{ path: "ops/config" } as any] }] } }), expect: { path: "vault-config", field: "workloads[0].secrets[0].destination", value: undefined, rule: /^is required: the name of the Kubernetes Secret/ } },

  // constructs/vault-secrets-operator.ts: the operator
  { name: "operator chart version latest", build: withConfig({ hcpVault: { operator: { chartVersion: "latest" } } }), expect: { path: "cluster/vault-secrets-operator", field: "chartVersion", value: "latest", rule: /exact chart version/ } },
  { name: "operator namespace with capitals", build: withConfig({ hcpVault: { operator: { namespace: "VSO" } } }), expect: { path: "cluster/vault-secrets-operator", field: "namespace", value: "VSO", rule: LABEL } },
  { name: "operator release name with _", build: withConfig({ hcpVault: { operator: { releaseName: "vso_release" } } }), expect: { path: "cluster/vault-secrets-operator", field: "releaseName", value: "vso_release", rule: LABEL } },
  // VaultConnection
  { name: "connection name with _", build: addConnection({ name: "vault_conn" }), expect: { path: "cluster-vault/vault-connection-extra", field: "name", value: "vault_conn", rule: SUBDOMAIN } },
  { name: "connection without operator", build: addConnection({ operator: undefined as any }), expect: { path: "cluster-vault/vault-connection-extra", field: "operator", value: undefined, rule: /^is required: a VaultSecretsOperator/ } },
  { name: "connection namespace with capitals", build: addConnection({ namespace: "VSO" }), expect: { path: "cluster-vault/vault-connection-extra", field: "namespace", value: "VSO", rule: LABEL } },
  { name: "connection over http", build: addConnection({ address: "http://vault.example:8200" }), expect: { path: "cluster-vault/vault-connection-extra", field: "address", value: "http://vault.example:8200", rule: /https URL of the Vault server/ } },
  { name: "connection timeout 1m30s", build: addConnection({ timeout: "1m30s" }), expect: { path: "cluster-vault/vault-connection-extra", field: "timeout", value: "1m30s", rule: /one number and unit/ } },
  { name: "connection CA secret with capitals", build: addConnection({ caCertSecretRef: "Vault-CA" }), expect: { path: "cluster-vault/vault-connection-extra", field: "caCertSecretRef", value: "Vault-CA", rule: SUBDOMAIN } },
  // VaultAuth
  { name: "auth without role", build: addAuth({ role: undefined as any }), expect: { path: "cluster-vault/vault-auth-extra", field: "role", value: undefined, rule: /^is required: a VaultJwtRole/ } },
  { name: "auth name with _", build: addAuth({ name: "vault_auth" }), expect: { path: "cluster-vault/vault-auth-extra", field: "name", value: "vault_auth", rule: SUBDOMAIN } },
  { name: "auth namespace with capitals", build: addAuth({ namespace: "Demo" }), expect: { path: "cluster-vault/vault-auth-extra", field: "namespace", value: "Demo", rule: LABEL } },
  { name: "auth in another namespace than the role's", build: addAuth({ namespace: "ops" }), expect: { path: "cluster-vault/vault-auth-extra", field: "namespace", value: "ops", rule: /must be "demo", the namespace of the service account JWT role "demo" binds/ } },
  { name: "auth service account with _", build: addAuth({ serviceAccount: "demo_vault" }), expect: { path: "cluster-vault/vault-auth-extra", field: "serviceAccount", value: "demo_vault", rule: SUBDOMAIN } },
  { name: "auth for a service account the role does not bind", build: addAuth({ serviceAccount: "other-app" }), expect: { path: "cluster-vault/vault-auth-extra", field: "serviceAccount", value: "other-app", rule: /does not match JWT role "demo" of mount jwt-aks.*no role of the mount binds it/ } },
  { name: "auth without audiences", build: addAuth({ audiences: [] }), expect: { path: "cluster-vault/vault-auth-extra", field: "audiences", value: [], rule: /at least one audience bound by role "demo" \(vault\)/ } },
  { name: "auth audience the role does not bind", build: addAuth({ audiences: ["api"] }), expect: { path: "cluster-vault/vault-auth-extra", field: "audiences[0]", value: "api", rule: /is not bound by JWT role "demo"/ } },
  { name: "auth token expiration of a minute", build: addAuth({ tokenExpirationSeconds: 60 }), expect: { path: "cluster-vault/vault-auth-extra", field: "tokenExpirationSeconds", value: 60, rule: /at least 600/ } },
  { name: "auth Vault namespace with a trailing /", build: addAuth({ vaultNamespace: "admin/" }), expect: { path: "cluster-vault/vault-auth-extra", field: "vaultNamespace", value: "admin/", rule: /Vault namespace path/ } },
  { name: "auth without connection", build: addAuth({ connection: undefined as any }), expect: { path: "cluster-vault/vault-auth-extra", field: "connection", value: undefined, rule: /^is required: a VsoVaultConnection/ } },
  // VaultStaticSecret
  { name: "synced Secret destination with _", build: addStatic(() => ({ destination: { name: "demo_config" } })), expect: { path: "cluster-vault/vault-secret-extra", field: "destination.name", value: "demo_config", rule: SUBDOMAIN } },
  { name: "static secret object name with _", build: addStatic(() => ({ name: "demo_static" })), expect: { path: "cluster-vault/vault-secret-extra", field: "name", value: "demo_static", rule: SUBDOMAIN } },
  { name: "refresh every 5 minutes in words", build: vaultWorkload({ secrets: [{ path: "demo/config", destination: "demo-config", refreshAfter: "5 minutes" }] }), expect: { path: "cluster-vault/vault-secret-demo-demo-config", field: "refreshAfter", value: "5 minutes", rule: /one number and unit/ } },
  { name: "refresh every 10s", build: addStatic(() => ({ refreshAfter: "10s" })), expect: { path: "cluster-vault/vault-secret-extra", field: "refreshAfter", value: "10s", rule: /from 30s to 24h/ } },
  { name: "Secret type on a Secret the operator does not create", build: addStatic(() => ({ destination: { name: "demo-config", create: false, type: "Opaque" } })), expect: { path: "cluster-vault/vault-secret-extra", field: "destination.type", value: "Opaque", rule: /needs destination\.create/ } },
  { name: "labels on a Secret the operator does not create", build: addStatic(() => ({ destination: { name: "demo-config", create: false, labels: { app: "demo" } } })), expect: { path: "cluster-vault/vault-secret-extra", field: "destination.labels", value: { app: "demo" }, rule: /needs destination\.create/ } },
  { name: "restart of a Pod", build: addStatic(() => ({ rolloutRestartTargets: [{ kind: "Pod" as any, name: "web" }] })), expect: { path: "cluster-vault/vault-secret-extra", field: "rolloutRestartTargets[0].kind", value: "Pod", rule: /^must be one of "argo\.Rollout", "DaemonSet", "Deployment", "StatefulSet"/ } },
  { name: "restart target name with _", build: addStatic(() => ({ rolloutRestartTargets: [{ kind: "Deployment", name: "web_app" }] })), expect: { path: "cluster-vault/vault-secret-extra", field: "rolloutRestartTargets[0].name", value: "web_app", rule: SUBDOMAIN } },
  { name: "KV version -1", build: addStatic(() => ({ version: -1 })), expect: { path: "cluster-vault/vault-secret-extra", field: "version", value: -1, rule: /0 or more/ } },
  { name: "static secret without secret", build: addStatic(() => ({ secret: undefined as any })), expect: { path: "cluster-vault/vault-secret-extra", field: "secret", value: undefined, rule: /^is required: an object \{ mount, path \}/ } },
  { name: "secret the role may not read", build: addStatic((d) => ({ secret: d.hcpVault!.vaultConfig.secret("ops/config") })), expect: { path: "cluster-vault/vault-secret-extra", field: "secret", value: "secret/data/ops/config", rule: /is not readable by JWT role "demo"/ } },
  { name: "static secret without auth", build: addStatic(() => ({ auth: undefined as any })), expect: { path: "cluster-vault/vault-secret-extra", field: "auth", value: undefined, rule: /^is required: a VsoVaultAuth/ } },

  // stacks/cluster-stack.ts
  { name: "cluster stack without cluster", build: onDefault((_, app) => void new ClusterStack(app, "cluster-extra", { cluster: undefined as any })), expect: { path: "cluster-extra", field: "cluster", value: undefined, rule: /is required/ } },
  { name: "existing cluster name starting with -", build: onDefault((_, app) => void new ClusterStack(app, "cluster-extra", { cluster: { name: "-aks", resourceGroupName: "rg-aks" } })), expect: { path: "cluster-extra", field: "cluster.name", value: "-aks", rule: /AKS cluster names/ } },
  { name: "existing cluster resource group ending in .", build: onDefault((_, app) => void new ClusterStack(app, "cluster-extra", { cluster: { name: "aks", resourceGroupName: "rg." } })), expect: { path: "cluster-extra", field: "cluster.resourceGroupName", value: "rg.", rule: /resource group names/ } },
  { name: "cluster stack subscription not a GUID", build: withConfig({ cluster: { subscriptionId: "prod" } }), expect: { path: "cluster", field: "subscriptionId", value: "prod", rule: GUID_RULE } },
  { name: "kubelogin client ID not a GUID", build: fromSources({ file: { cluster: { auth: { mode: "workloadIdentity", clientId: "ci-app" } } } }), expect: { path: "cluster", field: "auth.clientId", value: "ci-app", rule: GUID_RULE } },
  { name: "client ID with the az login mode", build: fromSources({ file: { cluster: { auth: { mode: "azureCli", clientId: GUID } } } }), expect: { path: "cluster", field: "auth.clientId", value: GUID, rule: /is not used by mode "azureCli"/ } },
  { name: "tenant with the az login mode", build: fromSources({ env: { AKS_SECRETS__CLUSTER__AUTH__MODE: "azureCli", AKS_SECRETS__CLUSTER__AUTH__TENANT_ID: TENANT } }), expect: { path: "cluster", field: "auth.tenantId", value: TENANT, rule: /is not used by mode "azureCli"/ } },
  { name: "tenant with the managed identity mode", build: fromSources({ file: { cluster: { auth: { mode: "managedIdentity", tenantId: TENANT } } } }), expect: { path: "cluster", field: "auth.tenantId", value: TENANT, rule: /is not used by mode "managedIdentity"/ } },
  { name: "Terraform Cloud tenant not a GUID", build: fromSources({ env: { AKS_SECRETS__CLUSTER__AUTH__MODE: "terraformCloud", AKS_SECRETS__CLUSTER__AUTH__TENANT_ID: "contoso" } }), expect: { path: "cluster", field: "auth.tenantId", value: "contoso", rule: GUID_RULE } },
  { name: "relative federated token file", build: withConfig({ cluster: { auth: { mode: "workloadIdentity", federatedTokenFile: "token" } } }), expect: { path: "cluster", field: "auth.federatedTokenFile", value: "token", rule: /absolute path/ } },
  { name: "local admin without a reason", build: withConfig({ cluster: { auth: { mode: "localAdmin", reason: "dev" } } }), expect: { path: "cluster", field: "auth.reason", value: "dev", rule: REASON } },
  { name: "local admin on a cluster without local accounts", build: withConfig({ cluster: { auth: { mode: "localAdmin", reason: "break-glass access during the incident" } } }), expect: { path: "cluster", field: "auth.mode", value: "localAdmin", rule: /has local accounts disabled/ } },
  { name: "auth mode kubeconfig", build: withConfig({ cluster: { auth: { mode: "kubeconfig" } as any } }), expect: { path: "cluster", field: "auth.mode", value: "kubeconfig", rule: /"azureCli", "workloadIdentity"/ } },
  { name: "kubelogin path with shell characters", build: withConfig({ cluster: { auth: { mode: "azureCli", kubeloginPath: "kubelogin; rm -rf /" } } }), expect: { path: "cluster", field: "auth.kubeloginPath", value: "kubelogin; rm -rf /", rule: /without spaces, quotes or shell characters/ } },
  { name: "namespace labels given on a second call", build: onDefault((d) => void d.cluster.namespace("demo", { labels: { team: "demo" } })), expect: { path: "cluster", field: 'namespace("demo").labels', value: { team: "demo" }, rule: /already created/ } },
  { name: "namespace name with capitals", build: onDefault((d) => void d.cluster.namespace("Ops")), expect: { path: "cluster", field: 'namespace("Ops")', value: "Ops", rule: LABEL } },
  { name: "namespace label key with two /", build: onDefault((d) => void d.cluster.namespace("ops", { labels: { "a/b/c": "x" } })), expect: { path: "cluster", field: 'namespace("ops").labels["a/b/c"]', value: "a/b/c", rule: /label keys are qualified names/ } },

  // stacks/backend.ts (reported on the variable: the settings are app-wide)
  { name: "Terraform Cloud organization with a space", build: fromSources({ env: { TFC_ORGANIZATION: "acme corp" } }), expect: { path: "environment TFC_ORGANIZATION", field: "TFC_ORGANIZATION", value: "acme corp", rule: /organization names are letters, digits/ } },
  { name: "workspace prefix with a /", build: fromSources({ env: { TFC_ORGANIZATION: "acme", TFC_WORKSPACE_PREFIX: "aks/" } }), expect: { path: "environment TFC_WORKSPACE_PREFIX", field: "TFC_WORKSPACE_PREFIX", value: "aks/", rule: /gives workspace name "aks\/platform" for stack platform/ } },
  {
    name: "two stacks mapping to one workspace",
    build: (app) => {
      new TerraformStack(new Construct(app, "team"), "platform");
      buildDefaultApp(app, { backend: { organization: "acme" } });
    },
    expect: { path: "environment TFC_WORKSPACE_PREFIX", field: "TFC_WORKSPACE_PREFIX", value: undefined, rule: /stacks team\/platform and platform would share workspace "platform"|stacks platform and team\/platform would share workspace "platform"/ },
  },
  { name: "Terraform Cloud host name with a scheme", build: fromSources({ env: { TFC_ORGANIZATION: "acme", TFC_HOSTNAME: "https://app.terraform.io" } }), expect: { path: "environment TFC_HOSTNAME", field: "TFC_HOSTNAME", value: "https://app.terraform.io", rule: /must be a host name such as app\.terraform\.io/ } },
  { name: "Terraform Cloud project with a /", build: fromSources({ env: { TFC_ORGANIZATION: "acme", TFC_PROJECT: "platform/prod" } }), expect: { path: "environment TFC_PROJECT", field: "TFC_PROJECT", value: "platform/prod", rule: /must be a Terraform Cloud project name/ } },

  // constructs/security-rules.ts: suppressions
  { name: "suppression of an unknown rule", build: onDefault((d) => SecurityRules.suppress(d.platform.keyVault, [{ id: "AKSS-KV9", reason: "legacy vault, migration ticket 42" }])), expect: { path: "platform/keyvault", field: "suppressions[0].id", value: "AKSS-KV9", rule: /must be a security rule id: AKSS-KV1/ } },
  { name: "suppression without a reason", build: onDefault((d) => SecurityRules.suppress(d.platform.keyVault, [{ id: "AKSS-KV2", reason: "ok" }])), expect: { path: "platform/keyvault", field: "suppressions[0].reason", value: "ok", rule: /written reason \(10 characters or more\)/ } },
  { name: "admin grant without a reason", build: onDefault((d) => SecurityRules.declareAdminGrant(d.platform.keyVault, "ops")), expect: { path: "platform/keyvault", field: "declareAdminGrant.reason", value: "ops", rule: /an admin grant needs a written reason/ } },
  { name: "opt-out mapped to an unknown rule", build: onDefault(() => SecurityRules.mapOptOut("legacyVault", ["AKSS-NOPE"])), expect: { path: 'SecurityRules.mapOptOut("legacyVault")', field: "ruleIds[0]", value: "AKSS-NOPE", rule: /must be a security rule id: AKSS-KV1/ } },
  { name: "opt-out mapped to a rule id string", build: onDefault(() => SecurityRules.mapOptOut("legacyVault", "AKSS-KV1" as any)), expect: { path: 'SecurityRules.mapOptOut("legacyVault")', field: "ruleIds", value: "AKSS-KV1", rule: /must be a list of security rule ids/ } },
  { name: "opt-out name with a space", build: onDefault(() => SecurityRules.mapOptOut("legacy vault", ["AKSS-KV1"])), expect: { path: 'SecurityRules.mapOptOut("legacy vault")', field: "name", value: "legacy vault", rule: /must be an opt-out name/ } },
  // security rules: one finding per rule, each through an escape hatch or a value the construct allows
  { name: "AKSS-KV1: purge protection overridden off", build: onDefault((d) => d.platform.keyVault.resource.addOverride("purge_protection_enabled", false)), expect: { path: "platform/keyvault/vault", field: "AKSS-KV1 purge_protection_enabled", value: false, rule: /Key Vault purge protection: is false/ } },
  { name: "AKSS-KV2: firewall overridden open", build: onDefault((d) => d.platform.keyVault.resource.addOverride("network_acls.default_action", "Allow")), expect: { path: "platform/keyvault/vault", field: "AKSS-KV2 network_acls.default_action", value: "Allow", rule: /is not "Deny"/ } },
  { name: "AKSS-KV3: destroy protection overridden off", build: onDefault((d) => d.platform.keyVault.resource.addOverride("lifecycle.prevent_destroy", false)), expect: { path: "platform/keyvault/vault", field: "AKSS-KV3 lifecycle.prevent_destroy", value: false, rule: /destroy protection: is not true/ } },
  {
    name: "AKSS-KV4: access policy with List",
    build: onDefault((d) => void new KeyVaultAccessPolicyA(d.platform, "ops-policy", { keyVaultId: d.platform.keyVault.id, tenantId: TENANT, objectId: GUID, secretPermissions: ["Get", "List"] })),
    expect: { path: "platform/ops-policy", field: "AKSS-KV4 secret_permissions", value: ["Get", "List"], rule: /grants List beyond Get/ },
  },
  {
    name: "AKSS-KV5: Key Vault Administrator for a workload",
    build: onDefault((d) => void new RoleAssignment(d.platform, "ops-admin", { scope: d.platform.keyVault.id, roleDefinitionName: "Key Vault Administrator", principalId: GUID })),
    expect: { path: "platform/ops-admin", field: "AKSS-KV5 role_definition_name", value: "Key Vault Administrator", rule: /workloads get only Key Vault Secrets User/ },
  },
  { name: "AKSS-AKS1: local accounts overridden on", build: onDefault((d) => d.platform.cluster.resource.addOverride("local_account_disabled", false)), expect: { path: "platform/cluster/cluster", field: "AKSS-AKS1 local_account_disabled", value: false, rule: /local accounts disabled: is false/ } },
  {
    name: "AKSS-AKS2: Azure RBAC overridden off",
    build: onDefault((d) => d.platform.cluster.resource.addOverride("azure_active_directory_role_based_access_control.azure_rbac_enabled", false)),
    expect: { path: "platform/cluster/cluster", field: "AKSS-AKS2 azure_active_directory_role_based_access_control.azure_rbac_enabled", value: false, rule: /not done with Azure RBAC/ },
  },
  {
    // AksCluster refuses such ranges itself ("authorized IP ranges of half the internet each"); the rule is for clusters made without it.
    name: "AKSS-AKS3: a cluster made without AksCluster, authorized ranges of half the internet each",
    build: onDefault(
      (d) =>
        void new KubernetesCluster(d.platform, "raw-cluster", {
          name: "aks-raw",
          location: "westeurope",
          resourceGroupName: "rg-raw",
          dnsPrefix: "aks-raw",
          defaultNodePool: { name: "system", vmSize: "Standard_D2s_v5", nodeCount: 1 },
          identity: { type: "SystemAssigned" },
          apiServerAccessProfile: { authorizedIpRanges: ["0.0.0.0/1", "128.0.0.0/1"] },
        }),
    ),
    expect: { path: "platform/raw-cluster", field: "AKSS-AKS3 api_server_access_profile.authorized_ip_ranges", value: ["0.0.0.0/1", "128.0.0.0/1"], rule: /allows 0\.0\.0\.0\/1, 128\.0\.0\.0\/1, wider than a \/8: that is no restriction/ },
  },
  { name: "AKSS-AKS4: secret rotation off", build: withConfig({ platform: { cluster: { secretRotation: false } } }), expect: { path: "platform/cluster/cluster", field: "AKSS-AKS4 key_vault_secrets_provider.secret_rotation_enabled", value: false, rule: /secret rotation on: is false/ } },
  { name: "AKSS-HCP1: Vault public endpoint overridden on", build: onDefault((d) => d.hcpVault!.hcp.vault.resource.addOverride("public_endpoint", true)), expect: { path: "hcp/vault/cluster", field: "AKSS-HCP1 public_endpoint", value: true, rule: /exposes the Vault cluster on the internet/ } },
  { name: "AKSS-HCP2: Vault destroy protection overridden off", build: onDefault((d) => d.hcpVault!.hcp.vault.resource.addOverride("lifecycle.prevent_destroy", false)), expect: { path: "hcp/vault/cluster", field: "AKSS-HCP2 lifecycle.prevent_destroy", value: false, rule: /HCP Vault destroy protection/ } },
  {
    name: "AKSS-SEC1: Key Vault secret with a value",
    build: onDefault((d) => void new KeyVaultSecret(d.platform, "db-password", { name: "db-password", keyVaultId: d.platform.keyVault.id, value: "hunter2" })),
    expect: { path: "platform/db-password", field: "AKSS-SEC1 value", value: "<redacted>", rule: /lands in the Terraform state/ },
  },
  {
    name: "AKSS-SEC2: Kubernetes Secret with data",
    build: onDefault((d) => void new SecretV1(d.cluster, "db", { metadata: { name: "db", namespace: "demo" }, data: { password: "hunter2" } })),
    expect: { path: "cluster/db", field: "AKSS-SEC2 data", value: "{password: <redacted>}", rule: /lands in the Terraform state/ },
  },
  {
    name: "AKSS-SEC3: Vault KV secret with data",
    build: onDefault((d) => void new KvSecretV2(d.hcpVault!.vaultConfig, "demo-config", { mount: "secret", name: "demo/config", dataJson: JSON.stringify({ password: "hunter2" }) })),
    expect: { path: "vault-config/demo-config", field: "AKSS-SEC3 data_json", value: "<redacted>", rule: /lands in the Terraform state/ },
  },
  {
    name: "AKSS-SEC4: Helm release with a sensitive value",
    build: onDefault((d) => void new Release(d.cluster, "app", { name: "app", chart: "app", setSensitive: [{ name: "db.password", value: "hunter2" }] })),
    expect: { path: "cluster/app", field: "AKSS-SEC4 set_sensitive", value: "[db.password] = <redacted>", rule: /land in the Terraform state/ },
  },
  {
    name: "AKSS-SEC5: Secret manifest with stringData",
    build: onDefault((d) => void new Manifest(d.cluster, "db-secret", { manifest: { apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "demo" }, stringData: { password: "hunter2" } } })),
    expect: { path: "cluster/db-secret", field: "AKSS-SEC5 manifest.stringData", value: "{password: <redacted>}", rule: /lands in the Terraform state/ },
  },

  // constructs/wiring.ts: links between constructs, checked once the whole tree is built
  { name: "wiring opt-out without a reason", build: onDefault((d) => allowUnverifiedWiring(d.cluster, { reason: "legacy" })), expect: { path: "cluster", field: "allowUnverifiedWiring.reason", value: "legacy", rule: /an opt-out of the wiring checks needs a written reason/ } },
  { name: "service account for a client ID copied by hand", build: wired((d) => void new WorkloadServiceAccount(d.cluster, "ops-sa", { identity: { clientId: COPIED_CLIENT_ID }, namespace: "ops", name: "ops-app" })), expect: { path: "cluster/ops-sa", field: "identity.clientId", value: COPIED_CLIENT_ID, rule: /is not the client ID of a WorkloadIdentity of this app/ } },
  {
    name: "class logging in as an identity that does not trust its pods' service account",
    build: wired((d) => void new PodSecretsMount(addSpcTo(d, { identity: { mode: "workloadIdentity", identity: opsIdentity(d) } }), { serviceAccount: "demo-app" })),
    expect: { path: SPC, field: "podSecrets.serviceAccount", value: "demo/demo-app", rule: /runs as system:serviceaccount:demo:demo-app, but WorkloadIdentity platform\/workload-ops has no federated credential for that subject/ },
  },
  {
    name: "class logging in as another identity than its pods' service account is annotated with",
    build: wired((d) => void new PodSecretsMount(addSpcTo(d, { identity: { mode: "workloadIdentity", identity: opsIdentity(d) } }), { serviceAccount: "demo-app" })),
    expect: { path: SPC, field: "podSecrets.serviceAccount", value: "demo/demo-app", rule: /is annotated with the client ID of WorkloadIdentity platform\/workload-demo, but SecretProviderClass demo\/extra logs in as platform\/workload-ops/ },
  },
  {
    name: "federated credential on the issuer of another cluster",
    build: wired((d, app) => {
      const b = clusterB(d, app);
      new WorkloadServiceAccount(d.cluster, "ops-sa", { identity: opsIdentity(d, { issuer: b.cluster }), namespace: "ops", name: "ops-app" });
    }),
    expect: { path: "cluster/ops-sa", field: "identity", value: "platform/workload-ops", rule: /is deployed to cluster platform\/cluster, but WorkloadIdentity platform\/workload-ops trusts system:serviceaccount:ops:ops-app only from cluster platform\/cluster-b/ },
  },
  {
    name: "federated credential on an issuer given as a URL",
    build: wired((d) => void new WorkloadServiceAccount(d.cluster, "ops-sa", { identity: opsIdentity(d, { issuer: { oidcIssuerUrl: "https://oidc.example/tenant/issuer/" } }), namespace: "ops", name: "ops-app" })),
    expect: { path: "cluster/ops-sa", field: "identity", value: "platform/workload-ops", rule: /which cannot be compared with that cluster's issuer/ },
  },
  { name: "pods running as a service account the app does not create", build: wired((d) => void new PodSecretsMount(opsClass(d, opsIdentity(d)), { serviceAccount: "ops-app" })), expect: { path: OPS_KV, field: "podSecrets.serviceAccount", value: "ops/ops-app", rule: /service account ops\/ops-app is not created by this app/ } },
  {
    name: "pods running as a service account without the client ID annotation",
    build: wired((d) => {
      new PodSecretsMount(opsClass(d, opsIdentity(d)), { serviceAccount: "ops-app" });
      new ServiceAccountV1(d.cluster, "raw-sa", { metadata: { name: "ops-app", namespace: "ops" } });
    }),
    expect: { path: OPS_KV, field: "podSecrets.serviceAccount", value: "ops/ops-app", rule: /\(cluster\/raw-sa\) has no azure\.workload\.identity\/client-id annotation/ },
  },
  {
    name: "pods running as a service account annotated with a literal client ID",
    build: wired((d) => {
      new PodSecretsMount(opsClass(d, opsIdentity(d)), { serviceAccount: "ops-app" });
      new ServiceAccountV1(d.cluster, "raw-sa", { metadata: { name: "ops-app", namespace: "ops", annotations: { "azure.workload.identity/client-id": COPIED_CLIENT_ID } } });
    }),
    expect: { path: OPS_KV, field: "podSecrets.serviceAccount", value: "ops/ops-app", rule: /is annotated with the literal client ID 0f0e0d0c/ },
  },
  { name: "vault name matching no KeyVault of the app", build: wired((d) => void addSpcTo(d, { keyVault: undefined, keyvaultName: "kv-someone-else", tenantId: TENANT })), expect: { path: SPC, field: "provider.keyvaultName", value: "kv-someone-else", rule: /names no KeyVault construct of this app/ } },
  { name: "tenant that is not the vault's", build: wired((d) => void addSpcTo(d, { tenantId: OTHER_TENANT }), { platform: { tenantId: TENANT } }), expect: { path: SPC, field: "provider.tenantId", value: OTHER_TENANT, rule: /is not the tenant of Key Vault platform\/keyvault \(11111111-2222-3333-4444-555555555555\)/ } },
  { name: "tenant given while the vault's is known only at apply", build: wired((d) => void addSpcTo(d, { tenantId: TENANT })), expect: { path: SPC, field: "provider.tenantId", value: TENANT, rule: /cannot be compared with the tenant of Key Vault platform\/keyvault/ } },
  { name: "workload identity given as a literal client ID", build: wired((d) => void addSpcTo(d, { identity: { mode: "workloadIdentity", identity: { clientId: COPIED_CLIENT_ID } } })), expect: { path: SPC, field: "provider.identity.identity", value: COPIED_CLIENT_ID, rule: /is not a WorkloadIdentity of this app/ } },
  { name: "certificate mounted with a secret-read grant", build: wired((d) => void addSpcTo(d, { objects: [{ objectName: "tls", objectType: "cert" }] })), expect: { path: SPC, field: "provider.objects[0].objectType", value: "cert", rule: /needs certificates Get on Key Vault platform\/keyvault/ } },
  { name: "secret the vault does not hold", build: wired((d) => void addSpcTo(d, { objects: [{ objectName: "demo-passwd" }] })), expect: { path: SPC, field: "provider.objects[0].objectName", value: "demo-passwd", rule: /is not a secret of Key Vault platform\/keyvault \(declared: "demo-username", "demo-password"\)/ } },
  {
    name: "vault by name: identity without a read grant",
    build: wired(
      (d) => void addSpcTo(d, { keyVault: undefined, keyvaultName: "kv-bad-input-01", tenantId: TENANT, identity: { mode: "workloadIdentity", identity: new WorkloadIdentity(d.platform, "workload-reports", { ...wiProps(d), name: "id-reports" }) } }),
      { platform: { tenantId: TENANT, keyVaultName: "kv-bad-input-01" } },
    ),
    expect: { path: SPC, field: "provider.objects[0].objectName", value: "demo-username", rule: /WorkloadIdentity platform\/workload-reports has no read grant on this secret in Key Vault platform\/keyvault/ },
  },
  {
    name: "class in a namespace its identity trusts no service account of",
    build: wired((d) => void new SecretProviderClass(d.cluster, "orders-kv", { name: "orders-kv", namespace: "orders", provider: azure(d, { identity: { mode: "workloadIdentity", identity: demoIdentity(d) } }) })),
    expect: { path: "cluster/orders-kv", field: "namespace", value: "orders", rule: /its WorkloadIdentity platform\/workload-demo trusts no service account there/ },
  },
  {
    name: "add-on identity of another cluster",
    build: wired((d, app) => {
      const b = clusterB(d, app);
      d.platform.keyVault.grantSecretRead(b.cluster.secretsProviderIdentity, { secrets: ["demo-username"] });
      addSpcTo(d, { identity: { mode: "vmManagedIdentity", identity: b.cluster.secretsProviderIdentity } });
    }),
    expect: { path: SPC, field: "provider.identity.identity", value: "platform/cluster-b", rule: /is the CSI add-on identity of cluster platform\/cluster-b, but the class is deployed to cluster platform\/cluster/ },
  },
  {
    name: "add-on identity on a cluster known only by a name decided at apply",
    build: wired((d, app) => {
      const name = new TerraformVariable(new TerraformStack(app, "inputs"), "cluster_name", { type: "string" });
      const byName = new ClusterStack(app, "cluster-by-name", { cluster: { name: name.stringValue, resourceGroupName: "rg-secrets" } });
      new SecretProviderClass(byName, "extra-spc", { name: "extra", namespace: "demo", provider: azure(d) });
    }),
    expect: { path: "cluster-by-name/extra-spc", field: "provider.identity.identity", value: "platform/cluster", rule: /is the csi-addon identity of cluster platform\/cluster, and the class is deployed to cluster .*: they cannot be matched/ },
  },
  { name: "VM identity given as a literal client ID", build: wired((d) => void addSpcTo(d, { identity: { mode: "vmManagedIdentity", identity: { clientId: COPIED_CLIENT_ID } } })), expect: { path: SPC, field: "provider.identity.identity", value: COPIED_CLIENT_ID, rule: /is not the add-on \(or kubelet\) identity of an AksCluster of this app/ } },
  { name: "Vault CSI class on a mount that is no JWT auth of the app", build: wired((d) => void vaultClass(d, { vaultAuthMountPath: "kubernetes" })), expect: { path: VAULT_CSI, field: "provider.vaultAuthMountPath", value: "kubernetes", rule: /is not the path of a VaultJwtAuth of this app/ } },
  { name: "Vault CSI class with a misspelled role", build: wired((d) => void vaultClass(d, { roleName: "dmeo" })), expect: { path: VAULT_CSI, field: "provider.roleName", value: "dmeo", rule: /is not a role of auth\/jwt-aks \(vault-config\/jwt; roles: demo\)/ } },
  { name: "Vault CSI class without audience", build: wired((d) => void vaultClass(d, { audience: undefined })), expect: { path: VAULT_CSI, field: "provider.audience", value: undefined, rule: /is not set: the vault CSI provider then requests a token with the API server's default audience/ } },
  { name: "Vault CSI class with Entra ID's audience", build: wired((d) => void vaultClass(d, { audience: "api://AzureADTokenExchange" })), expect: { path: VAULT_CSI, field: "provider.audience", value: "api://AzureADTokenExchange", rule: /is not bound by JWT role "demo" of auth\/jwt-aks \(bound: vault\)/ } },
  { name: "Vault CSI class in another namespace than the role's", build: wired((d) => void vaultClass(d, {}, "ops")), expect: { path: VAULT_CSI, field: "provider.roleName", value: "demo", rule: /JWT role "demo" binds system:serviceaccount:demo:demo-vault, but pods mounting this class run in namespace "ops"/ } },
  { name: "Vault CSI pods running as another service account than the role binds", build: wired((d) => void new PodSecretsMount(vaultClass(d), { serviceAccount: "demo-app" })), expect: { path: VAULT_CSI, field: "podSecrets.serviceAccount", value: "demo/demo-app", rule: /run as system:serviceaccount:demo:demo-app, but JWT role "demo" of auth\/jwt-aks binds system:serviceaccount:demo:demo-vault/ } },
  { name: "Vault CSI path without data/", build: wired((d) => void vaultClass(d, { objects: [{ objectName: "config", secretPath: "secret/demo/config" }] })), expect: { path: VAULT_CSI, field: "provider.objects[0].secretPath", value: "secret/demo/config", rule: /is not readable by JWT role "demo" \(policy jwt-aks-demo-read reads secret\/data\/demo\/config\)/ } },
  {
    name: "VaultAuth on a cluster the JWT auth does not trust",
    build: wired((d, app) => {
      const b = clusterB(d, app);
      const connection = new VsoVaultConnection(b.stack, "vault-connection", { operator: new VaultSecretsOperator(b.stack, "vso"), address: d.hcpVault!.hcp.vault.privateEndpointUrl });
      new VsoVaultAuth(b.stack, "vault-auth", { role: d.hcpVault!.vaultConfig.role("demo"), connection, createServiceAccount: true });
    }),
    expect: { path: "cluster-b/vault-auth", field: "role", value: "demo", rule: /auth\/jwt-aks \(vault-config\/jwt\) trusts service account tokens of cluster platform\/cluster, but this is deployed to cluster platform\/cluster-b/ },
  },
  {
    name: "VaultAuth for a JWT auth trusting an issuer given as a URL",
    build: wired((d) => {
      const jwt = new VaultJwtAuth(d.hcpVault!.vaultConfig, "jwt-url", { issuer: { oidcIssuerUrl: "https://oidc.example/tenant/issuer/" }, path: "jwt-url" });
      const role = jwt.addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [d.hcpVault!.vaultConfig.secret("demo/config")] });
      new VsoVaultAuth(d.clusterVault!, "vault-auth-url", { role, connection: d.hcpVault!.connection });
    }),
    expect: { path: "cluster-vault/vault-auth-url", field: "role", value: "demo", rule: /auth\/jwt-url \(vault-config\/jwt-url\) trusts issuer https:\/\/oidc\.example\/tenant\/issuer\/, which cannot be compared/ },
  },
  {
    name: "VaultConnection to another Vault than the one holding the role",
    build: wired((d, app) => {
      const other = new TerraformStack(app, "vault-a");
      new VaultProvider(other, "vault", { address: "https://vault-a.example:8200", namespace: "admin" });
      const role = new VaultJwtAuth(other, "jwt", { issuer: d.platform.cluster, path: "jwt-a" }).addRole({ name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [{ mount: "secret", path: "demo/config" }] });
      const connection = new VsoVaultConnection(d.clusterVault!, "vault-connection-b", { operator: d.hcpVault!.operator, address: "https://vault-b.example:8200" });
      new VsoVaultAuth(d.clusterVault!, "vault-auth-a", { role, connection });
    }),
    expect: { path: "cluster-vault/vault-auth-a", field: "connection.address", value: "https://vault-b.example:8200", rule: /is not the Vault that holds auth\/jwt-a/ },
  },
  {
    name: "VaultConnection to a literal address while Vault's is known only at apply",
    build: wired((d) => {
      const connection = new VsoVaultConnection(d.clusterVault!, "vault-connection-literal", { operator: d.hcpVault!.operator, address: "https://vault.example:8200" });
      new VsoVaultAuth(d.clusterVault!, "vault-auth-literal", { role: d.hcpVault!.vaultConfig.role("demo"), connection });
    }),
    expect: { path: "cluster-vault/vault-auth-literal", field: "connection.address", value: "https://vault.example:8200", rule: /cannot be compared with the address of the Vault that holds auth\/jwt-aks/ },
  },
  { name: "VaultAuth logging in to another Vault namespace", build: wired((d) => void new VsoVaultAuth(d.clusterVault!, "vault-auth-team", { role: d.hcpVault!.vaultConfig.role("demo"), connection: d.hcpVault!.connection, vaultNamespace: "admin/team" })), expect: { path: "cluster-vault/vault-auth-team", field: "vaultNamespace", value: "admin/team", rule: /lives in Vault namespace "admin", but the login goes to namespace "admin\/team"/ } },
  { name: "VaultAuth for a service account the app does not create", build: wired((d) => void new VsoVaultAuth(d.clusterVault!, "vault-auth-ops", { role: opsRole(d), connection: d.hcpVault!.connection })), expect: { path: "cluster-vault/vault-auth-ops", field: "serviceAccount", value: "ops-vault", rule: /service account ops\/ops-vault is not created by this app/ } },
  { name: "hand-written VaultAuth on a mount that is no JWT auth of the app", build: wired((d) => void rawVaultAuth(d, { mount: "kubernetes" })), expect: { path: "cluster-vault/raw-auth", field: "manifest.spec.mount", value: "kubernetes", rule: /is not the path of a VaultJwtAuth of this app/ } },
  { name: "hand-written VaultAuth with method kubernetes", build: wired((d) => void rawVaultAuth(d, { method: "kubernetes" })), expect: { path: "cluster-vault/raw-auth", field: "manifest.spec.method", value: "kubernetes", rule: /is a JWT auth method: the VaultAuth must use method "jwt"/ } },
  { name: "hand-written VaultAuth with a misspelled role", build: wired((d) => void rawVaultAuth(d, {}, { role: "dmeo" })), expect: { path: "cluster-vault/raw-auth", field: "manifest.spec.jwt.role", value: "dmeo", rule: /is not a role of auth\/jwt-aks/ } },
  { name: "hand-written VaultAuth for another service account", build: wired((d) => void rawVaultAuth(d, {}, { serviceAccount: "demo-app" })), expect: { path: "cluster-vault/raw-auth", field: "manifest.spec.jwt.serviceAccount", value: "demo-app", rule: /presents a token of system:serviceaccount:demo:demo-app, but JWT role "demo"/ } },
  { name: "hand-written VaultAuth without audiences", build: wired((d) => void rawVaultAuth(d, {}, { audiences: [] })), expect: { path: "cluster-vault/raw-auth", field: "manifest.spec.jwt.audiences", value: [], rule: /is empty: the operator then requests the API server's default audience/ } },
  { name: "hand-written VaultAuth with the API server's audience", build: wired((d) => void rawVaultAuth(d, {}, { audiences: ["https://kubernetes.default.svc"] })), expect: { path: "cluster-vault/raw-auth", field: "manifest.spec.jwt.audiences[0]", value: "https://kubernetes.default.svc", rule: /is not bound by JWT role "demo" of auth\/jwt-aks \(bound: vault\)/ } },
  {
    name: "deployment mounting a class of another namespace",
    build: wired(
      (d) =>
        void new Deployment(d.cluster, "misplaced", {
          metadata: { name: "misplaced", namespace: "default" },
          spec: {
            selector: { matchLabels: { app: "misplaced" } },
            template: {
              metadata: { labels: { app: "misplaced" } },
              spec: { container: [{ name: "app", image: "busybox" }], volume: [{ name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "demo-kv-addon" } } }] },
            },
          },
        }),
    ),
    expect: { path: "cluster/misplaced", field: 'spec.template.spec.volume["secrets"].csi.volume_attributes.secretProviderClass', value: "demo-kv-addon", rule: /mounts SecretProviderClass "demo-kv-addon", which this app does not create in namespace "default".*it creates one in namespace "demo"/ },
  },

  // constructs/wiring.ts: one Kubernetes object (or Secret) made twice in one cluster
  {
    name: "second SecretProviderClass of the same namespace and name",
    build: wired((d) => void new SecretProviderClass(d.cluster, "extra-spc", { name: "demo-kv-addon", namespace: "demo", provider: azure(d) })),
    expect: { path: SPC, field: "name", value: "demo-kv-addon", rule: /^SecretProviderClass demo\/demo-kv-addon is also created by cluster\/demo-kv-addon in cluster platform\/cluster: two Terraform resources for one Kubernetes object pass synth but collide at apply .*\(and mount it by that name\)/ },
  },
  {
    name: "second service account of the same namespace and name, in another stack of the cluster",
    build: wired((d) => void new WorkloadServiceAccount(d.clusterVault!, "sa-extra", { identity: demoIdentity(d), namespace: "demo", name: "demo-app" })),
    expect: { path: "cluster-vault/sa-extra", field: "name", value: "demo-app", rule: /^ServiceAccount demo\/demo-app is also created by cluster\/demo-workload-identity\/service-account in cluster platform\/cluster/ },
  },
  {
    name: "namespace created by two stacks of one cluster",
    build: wired((d) => void d.clusterVault!.namespace("demo")),
    expect: { path: "cluster-vault/namespace-demo", field: "metadata.name", value: "demo", rule: /^Namespace demo is also created by cluster\/namespace-demo in cluster platform\/cluster/ },
  },
  {
    name: "two classes syncing one Kubernetes Secret",
    build: wired((d) => {
      new SecretProviderClass(d.cluster, "extra-spc", { name: "extra", namespace: "demo", provider: azure(d), secretObjects: [{ secretName: "db", data: [{ objectName: "demo-username", key: "username" }] }] });
      new SecretProviderClass(d.cluster, "extra-spc-b", { name: "extra-b", namespace: "demo", provider: azure(d), secretObjects: [{ secretName: "db", data: [{ objectName: "demo-username", key: "user" }] }] });
    }),
    expect: { path: "cluster/extra-spc-b", field: "secretObjects[0].secretName", value: "db", rule: /^Kubernetes Secret demo\/db of cluster platform\/cluster is also written by SecretProviderClass demo\/extra \(secretObjects\) \(cluster\/extra-spc\): two writers of one Secret/ },
  },
  {
    name: "VaultStaticSecret writing the Secret a class syncs",
    build: wired((d) => {
      new SecretProviderClass(d.cluster, "extra-spc", { name: "extra", namespace: "demo", provider: azure(d), secretObjects: [{ secretName: "demo-config-extra", data: [{ objectName: "demo-username", key: "username" }] }] });
      new VsoVaultStaticSecret(d.clusterVault!, "vault-secret-extra", { auth: d.hcpVault!.auths.get("demo")!, secret: d.hcpVault!.vaultConfig.secret("demo/config"), destination: { name: "demo-config-extra" } });
    }),
    expect: { path: "cluster-vault/vault-secret-extra", field: "destination.name", value: "demo-config-extra", rule: /^Kubernetes Secret demo\/demo-config-extra of cluster platform\/cluster is also written by SecretProviderClass demo\/extra \(secretObjects\) \(cluster\/extra-spc\)/ },
  },

  // stacks/config.ts (through stacks/app-config.ts: the default app's schema)
  { name: "config file that is not JSON", build: fromSources({ fileText: "{ platform: { location: westeurope } }" }), expect: { path: FILE, field: "(file)", rule: /must be readable JSON/ } },
  { name: "misspelled environment variable", build: fromSources({ env: { AKS_SECRETS__PLATFORM__LOCATON: "northeurope" } }), expect: { path: "environment", field: "AKS_SECRETS__PLATFORM__LOCATON", value: "northeurope", rule: /is not a configuration variable; did you mean AKS_SECRETS__PLATFORM__LOCATION\?/ } },
  { name: "number variable in words", build: fromSources({ env: { AKS_SECRETS__PLATFORM__CLUSTER__NODE_COUNT: "two" } }), expect: { path: "environment AKS_SECRETS__PLATFORM__CLUSTER__NODE_COUNT", field: "platform.cluster.nodeCount", value: "two", rule: /must be a number/ } },
  { name: "list variable with broken JSON", build: fromSources({ env: { AKS_SECRETS__PLATFORM__VNET_ADDRESS_SPACE: '["10.20.0.0/16"' } }), expect: { path: "environment", field: "AKS_SECRETS__PLATFORM__VNET_ADDRESS_SPACE", value: '["10.20.0.0/16"', rule: /JSON array or a comma-separated list/ } },
  { name: "location as a number", build: fromSources({ file: { platform: { location: 42 } } }), expect: { path: FILE, field: "platform.location", value: 42, rule: /must be a string/ } },
  { name: "vault authorization open in cdktf context", build: fromSources({ context: { platform: { keyVaultAuthorization: "open" } } }), expect: { path: "cdktf context `config`", field: "platform.keyVaultAuthorization", value: "open", rule: /must be one of "accessPolicy", "rbac"/ } },
  { name: "node count as a string", build: fromSources({ file: { platform: { cluster: { nodeCount: "3" } } } }), expect: { path: FILE, field: "platform.cluster.nodeCount", value: "3", rule: /must be a number/ } },
  { name: "node count 2.5", build: fromSources({ file: { platform: { cluster: { nodeCount: 2.5 } } } }), expect: { path: FILE, field: "platform.cluster.nodeCount", value: 2.5, rule: /must be a whole number/ } },
  { name: "node count 0 in the file", build: fromSources({ file: { platform: { cluster: { nodeCount: 0 } } } }), expect: { path: FILE, field: "platform.cluster.nodeCount", value: 0, rule: /must be from 1 to 1000/ } },
  { name: "boolean variable yes", build: fromSources({ env: { AKS_SECRETS__HCP_VAULT__ENABLED: "yes" } }), expect: { path: "environment AKS_SECRETS__HCP_VAULT__ENABLED", field: "hcpVault.enabled", value: "yes", rule: /must be true or false/ } },
  { name: "secrets as a string", build: fromSources({ file: { platform: { secrets: "db-password" } } }), expect: { path: FILE, field: "platform.secrets", value: "db-password", rule: /must be a list/ } },
  { name: "platform as a list", build: fromSources({ file: { platform: ["westeurope"] } }), expect: { path: FILE, field: "platform", value: ["westeurope"], rule: /must be an object/ } },
  { name: "misspelled setting", build: fromSources({ file: { platform: { keyVaultNmae: "kv-shop-01" } } }), expect: { path: FILE, field: "platform.keyVaultNmae", value: "kv-shop-01", rule: /is not a known setting \(did you mean keyVaultName\?\)/ } },
  {
    name: "existing HVN without its CIDR block",
    build: fromSources({ file: { hcpVault: { hcp: { existingHvn: { hvnId: "hvn-shared" } } } } }),
    expect: { path: FILE, field: "hcpVault.hcp.existingHvn.cidrBlock", value: undefined, rule: /^is required: hcpVault\.hcp\.existingHvn is set without it \(it needs hvnId and cidrBlock\).*AKS_SECRETS__HCP_VAULT__HCP__EXISTING_HVN__CIDR_BLOCK/ },
  },
  {
    name: "workload listed without its secrets",
    build: fromSources({ file: { platform: { workloads: [{ name: "api", namespace: "api", serviceAccountName: "api" }] } } }),
    expect: { path: FILE, field: "platform.workloads[0].secrets", value: undefined, rule: /^is required: every item of platform\.workloads needs name, namespace, serviceAccountName, secrets/ },
  },
];

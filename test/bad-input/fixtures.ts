// Fixtures of the bad-input battery: ways to build the default app with one bad input, and the
// props, constants and rule patterns the case files share (test/bad-input/cases/*.ts).
import fs from "node:fs";
import path from "node:path";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { App } from "cdktf";
import { Construct } from "constructs";
import { AksCluster, AksClusterProps } from "../../constructs/azure/aks-cluster";
import { HvnPeering, HvnPeeringProps, HvnSpoke } from "../../constructs/hcp/hvn-peering";
import { KeyVault, KeyVaultProps } from "../../constructs/azure/key-vault";
import { KeyVaultWorkloadBinding, KeyVaultWorkloadBindingProps } from "../../constructs/bindings/key-vault-workload-binding";
import { AwsProviderConfig, AzureKeyVaultProviderConfig, SecretProviderClass, SecretProviderClassProps, VaultProviderConfig } from "../../constructs/kubernetes/secret-provider-class";
import { VaultJwtAuth, VaultJwtAuthProps, VaultJwtRoleOptions } from "../../constructs/vault/vault-jwt-auth";
import { VsoVaultAuth, VsoVaultAuthProps, VsoVaultConnection, VsoVaultConnectionProps, VsoVaultStaticSecret, VsoVaultStaticSecretProps } from "../../constructs/vault/vault-secrets-operator";
import { applyWiringChecks } from "../../verify/wiring";
import { WorkloadIdentity, WorkloadIdentityProps } from "../../constructs/azure/workload-identity";
import { WorkloadServiceAccount, WorkloadServiceAccountProps } from "../../constructs/kubernetes/workload-service-account";
import { loadDefaultAppConfig } from "../../app/app-config";
import { ClusterStack } from "../../stacks/cluster-stack";
import { ConfigSources } from "../../app/config";
import { buildDefaultApp, DefaultApp, DefaultAppConfig } from "../../app/default-app";
import { freshDir } from "./battery";


export const ROOT = path.resolve(__dirname, "../..");
export const TENANT = "11111111-2222-3333-4444-555555555555";
export const GUID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const HUB_VNET_ID = `/subscriptions/${GUID}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`;

// ---------------------------------------------------------------------------
// Ways to build the default app with one bad input.

/** The default app with these props (what main.ts builds from configuration). */
export const withConfig = (config: DefaultAppConfig) => (app: App) => void buildDefaultApp(app, config);
/** The default app, then `f` adds or calls something on it. */
export const onDefault = (f: (d: DefaultApp, app: App) => void, config: DefaultAppConfig = {}) => (app: App) => f(buildDefaultApp(app, config), app);
/** The default app from configuration sources, as main.ts loads them: a config file, environment, cdktf context. */
export const fromSources =
  (s: { file?: unknown; fileText?: string; env?: Record<string, string>; context?: unknown }) =>
  (app: App): void => {
    const cwd = freshDir("cwd");
    if (s.fileText !== undefined) fs.writeFileSync(path.join(cwd, "platform.config.json"), s.fileText);
    else if (s.file !== undefined) fs.writeFileSync(path.join(cwd, "platform.config.json"), JSON.stringify(s.file));
    const sources: ConfigSources = { cwd, env: s.env ?? {}, context: s.context };
    buildDefaultApp(app, loadDefaultAppConfig(sources));
  };
export const FILE = "config file platform.config.json";

// Valid props of constructs added to the default app; each case breaks one value.
export const aksProps = (d: DefaultApp): AksClusterProps => ({ name: "aks-extra", resourceGroupName: "rg-extra", location: "westeurope", nodeSubnetId: d.platform.nodeSubnet.id, apiServerAccess: { mode: "private" } });
export const kvProps: KeyVaultProps = { name: "kv-extra-01", resourceGroupName: "rg-extra", location: "westeurope", tenantId: TENANT };
export const wiProps = (d: DefaultApp): WorkloadIdentityProps => ({ name: "id-extra", resourceGroupName: "rg-extra", location: "westeurope", issuer: d.platform.cluster });
export const hubSpoke: HvnSpoke = { name: "hub", vnetId: HUB_VNET_ID, vnetName: "vnet-hub", resourceGroupName: "rg-hub", location: "westeurope", subscriptionId: GUID, tenantId: TENANT, addressRanges: ["10.50.0.0/16"] };
export const spoke = (patch: Partial<HvnSpoke>): DefaultAppConfig => ({ hcpVault: { hcp: { extraSpokes: [{ ...hubSpoke, ...patch }] } } });
export const hvnProps = (patch: Partial<HvnPeeringProps> = {}): HvnPeeringProps => ({ hvn: { mode: "create", hvnId: "hvn-extra", region: "westeurope", cidrBlock: "172.26.0.0/20" }, spokes: [hubSpoke], ...patch });
export const addHvn = (patch: Partial<HvnPeeringProps>) => onDefault((d) => void new HvnPeering(d.hcpVault!.hcp, "hvn-extra", hvnProps(patch)));

export const addAks = (patch: Partial<AksClusterProps>) => onDefault((d) => void new AksCluster(d.platform, "cluster-extra", { ...aksProps(d), ...patch }));
export const addVault = (patch: Partial<KeyVaultProps>) => onDefault((d) => void new KeyVault(d.platform, "keyvault-extra", { ...kvProps, ...patch }));
export const addIdentity = (patch: Partial<WorkloadIdentityProps>) => onDefault((d) => void new WorkloadIdentity(d.platform, "workload-extra", { ...wiProps(d), ...patch }));
export const demoIdentity = (d: DefaultApp) => d.platform.workloadIdentities.get("demo")!;

export const addSa = (patch: (d: DefaultApp) => Partial<WorkloadServiceAccountProps>) =>
  onDefault((d) => void new WorkloadServiceAccount(d.cluster, "sa-extra", { identity: demoIdentity(d), namespace: "demo", name: "demo-app", ...patch(d) }));

export const wiSpc = (d: DefaultApp) => d.demo!.workloadIdentity.secretProviderClass;
export const addonSpc = (d: DefaultApp) => d.demo!.addonIdentity.secretProviderClass;
export const WI_SPC = "cluster/demo-workload-identity/secret-provider-class";
export const ADDON_SPC = "cluster/demo-kv-addon";

export const addBinding = (patch: Partial<KeyVaultWorkloadBindingProps>) =>
  onDefault(
    (d) =>
      void new KeyVaultWorkloadBinding(d.platform, d.cluster, "orders", {
        cluster: d.platform.cluster,
        keyVault: d.platform.keyVault,
        namespace: "orders",
        serviceAccountName: "orders-app",
        secrets: ["orders-db"],
        resourceGroupName: "rg-secrets",
        location: "westeurope",
        ...patch,
      }),
  );

/** A SecretProviderClass added to the cluster stack; `provider` patches the Azure provider built from the platform's vault and the add-on identity. */
export const azure = (d: DefaultApp, patch: Partial<AzureKeyVaultProviderConfig> = {}): AzureKeyVaultProviderConfig => ({
  type: "azure",
  keyVault: d.platform.keyVault,
  identity: { mode: "vmManagedIdentity", identity: d.platform.cluster.secretsProviderIdentity },
  objects: [{ objectName: "demo-username" }],
  ...patch,
});
export const vault = (patch: Partial<VaultProviderConfig> = {}): VaultProviderConfig => ({
  type: "vault",
  roleName: "demo",
  vaultAddress: "https://vault.example:8200",
  objects: [{ objectName: "password", secretPath: "secret/data/demo/config", secretKey: "password" }],
  ...patch,
});
export const aws = (patch: Partial<AwsProviderConfig> = {}): AwsProviderConfig => ({ type: "aws", region: "eu-west-1", objects: [{ objectName: "db-password", objectType: "secretsmanager" }], ...patch });
export const addSpc = (props: (d: DefaultApp) => Partial<SecretProviderClassProps>) =>
  onDefault((d) => void new SecretProviderClass(d.cluster, "extra-spc", { name: "extra", namespace: "demo", provider: azure(d), ...props(d) }));
export const SPC = "cluster/extra-spc";
/** The class of addSpc, with its Azure provider patched, returned (for the pod helpers). */
export const addSpcTo = (d: DefaultApp, patch: Partial<AzureKeyVaultProviderConfig>) => new SecretProviderClass(d.cluster, "extra-spc", { name: "extra", namespace: "demo", provider: azure(d, patch) });
export const azureObjects = (...objects: AzureKeyVaultProviderConfig["objects"]) => addSpc((d) => ({ provider: azure(d, { objects }) }));
export const synced = (secretObjects: SecretProviderClassProps["secretObjects"]) => addSpc((d) => ({ provider: azure(d, { objects: [{ objectName: "demo-username" }] }), secretObjects }));

export const jwtAuth = (patch: Partial<VaultJwtAuthProps>) => onDefault((d) => void new VaultJwtAuth(d.hcpVault!.vaultConfig, "jwt-extra", { issuer: d.platform.cluster, ...patch }));
export const addRole = (patch: Partial<VaultJwtRoleOptions>) =>
  onDefault((d) => void d.hcpVault!.vaultConfig.jwtAuth.addRole({ name: "ops", namespace: "ops", serviceAccountName: "ops-app", secrets: [d.hcpVault!.vaultConfig.secret("ops/config")], ...patch }));
export const vaultWorkloads = (workloads: unknown[]) => fromSources({ file: { hcpVault: { workloads } } });
export const vaultWorkload = (patch: Record<string, unknown>) =>
  vaultWorkloads([{ name: "demo", namespace: "demo", serviceAccountName: "demo-vault", secrets: [{ path: "demo/config", destination: "demo-config" }], ...patch }]);

export const addConnection = (patch: Partial<VsoVaultConnectionProps>) =>
  onDefault((d) => void new VsoVaultConnection(d.clusterVault!, "vault-connection-extra", { operator: d.hcpVault!.operator, address: "https://vault.example:8200", ...patch }));
export const addAuth = (patch: Partial<VsoVaultAuthProps>) =>
  onDefault((d) => void new VsoVaultAuth(d.clusterVault!, "vault-auth-extra", { role: d.hcpVault!.vaultConfig.role("demo"), connection: d.hcpVault!.connection, ...patch }));
export const addStatic = (patch: (d: DefaultApp) => Partial<VsoVaultStaticSecretProps>) =>
  onDefault(
    (d) =>
      void new VsoVaultStaticSecret(d.clusterVault!, "vault-secret-extra", {
        auth: d.hcpVault!.auths.get("demo")!,
        secret: d.hcpVault!.vaultConfig.secret("demo/config"),
        destination: { name: "demo-config-extra" },
        ...patch(d),
      }),
  );

export const REASON = /an opt-out of the secure default needs a written reason \(10 characters or more\)/;
export const GUID_RULE = /must be a GUID/;
export const LABEL = /must be a DNS-1123 label/;
export const SUBDOMAIN = /must be a DNS-1123 subdomain/;

// The wiring checks (constructs/wiring.ts) over the default app: `f` adds a broken link.
export const wired = (f: (d: DefaultApp, app: App) => void, config: DefaultAppConfig = {}) =>
  onDefault((d, app) => {
    f(d, app);
    applyWiringChecks(app);
  }, config);
/** A second cluster in the platform stack, with its own cluster stack. */
export const clusterB = (d: DefaultApp, app: App) => {
  const cluster = new AksCluster(d.platform, "cluster-b", { ...aksProps(d), name: "aks-b" });
  return { cluster, stack: new ClusterStack(app, "cluster-b", { cluster }) };
};
/** An identity for namespace ops (service account ops-app on the platform's cluster), granted the demo username. */
export const opsIdentity = (d: DefaultApp, patch: Partial<WorkloadIdentityProps> = {}) => {
  const id = new WorkloadIdentity(d.platform, "workload-ops", { ...wiProps(d), name: "id-ops", serviceAccounts: [{ namespace: "ops", name: "ops-app" }], ...patch });
  d.platform.keyVault.grantSecretRead(id, { secrets: ["demo-username"] });
  return id;
};
export const opsClass = (d: DefaultApp, identity: WorkloadIdentity | { clientId: string }, scope: Construct = d.cluster) =>
  new SecretProviderClass(scope, "ops-kv", { name: "ops-kv", namespace: "ops", provider: azure(d, { identity: { mode: "workloadIdentity", identity } }) });
export const OPS_KV = "cluster/ops-kv";
/** A Vault CSI class in the demo namespace for role demo of the default JWT auth. */
export const vaultClass = (d: DefaultApp, patch: Partial<VaultProviderConfig> = {}, namespace = "demo") =>
  new SecretProviderClass(d.cluster, "vault-csi", {
    name: "vault-csi",
    namespace,
    provider: vault({ roleName: "demo", vaultAddress: d.hcpVault!.hcp.vault.privateEndpointUrl, vaultNamespace: "admin", vaultAuthMountPath: "jwt-aks", audience: "vault", objects: [{ objectName: "config", secretPath: "secret/data/demo/config" }], ...patch }),
  });
export const VAULT_CSI = "cluster/vault-csi";
/** A hand-written VaultAuth manifest in the cluster-vault stack. */
export const rawVaultAuth = (d: DefaultApp, spec: Record<string, unknown>, jwt: Record<string, unknown> = {}) =>
  new Manifest(d.clusterVault!, "raw-auth", {
    manifest: {
      apiVersion: "secrets.hashicorp.com/v1beta1",
      kind: "VaultAuth",
      metadata: { name: "raw-auth", namespace: "demo" },
      spec: { vaultConnectionRef: "vault-secrets-operator/hcp-vault", namespace: "admin", method: "jwt", mount: "jwt-aks", jwt: { role: "demo", serviceAccount: "demo-vault", audiences: ["vault"], ...jwt }, ...spec },
    },
  });
/** A JWT role of the default auth for ops/ops-vault, reading ops/config. */
export const opsRole = (d: DefaultApp) => d.hcpVault!.vaultConfig.jwtAuth.addRole({ name: "ops", namespace: "ops", serviceAccountName: "ops-vault", secrets: [d.hcpVault!.vaultConfig.secret("ops/config")] });
export const COPIED_CLIENT_ID = "0f0e0d0c-0b0a-0908-0706-050403020100";
export const OTHER_TENANT = "99999999-8888-7777-6666-555555555555";

// ---------------------------------------------------------------------------

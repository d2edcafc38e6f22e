import { DataAzurermKubernetesCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { HelmProvider, HelmProviderKubernetes } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider, KubernetesProviderExec } from "@cdktf/provider-kubernetes/lib/provider";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AksCluster, CsiDriverInstall } from "../constructs/azure/aks-cluster";
import { checkLabel } from "../constructs/kubernetes/secret-provider-class";
import { checkOptOut, isUnresolved, recordOptOut, Rules, Validator } from "../core/validation";
import { declareClusterScope } from "../core/facts-cluster";
import { checkProps } from "../core/props";
import { azurermProviderDefaults, usePinnedProviderVersions } from "../core/provider-versions";
import { SecretsStore, SecretsStoreProps } from "../constructs/kubernetes/installers/secrets-store";
import { SecretsStoreCsiDriverOptions } from "../constructs/kubernetes/installers/secrets-store-csi-driver";

/** Application ID of the AKS Entra ID server app: the audience of every AKS user token. */
export const AKS_ENTRA_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";
/** The exec credential API version kubelogin speaks. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** The cluster a {@link ClusterStack} deploys into: an {@link AksCluster}, or the name and resource group of an existing one. */
export interface ClusterRef {
  readonly name: string;
  readonly resourceGroupName: string;
  /** When known and true, the `localAdmin` auth mode is refused. @default unknown */
  readonly localAccountsDisabled?: boolean;
  /**
   * Who runs the Secrets Store CSI driver on the cluster: the AKS add-on, or Helm releases of this
   * library. Checked at plan time: the stack's data source fails the plan when the cluster's
   * add-on is not what this says.
   * @default "aksAddon"
   */
  readonly secretsStoreCsiDriver?: CsiDriverInstall;
}

/** Options of the Secrets Store installers of a {@link ClusterStack}'s cluster. */
export interface ClusterSecretsStoreOptions extends Omit<SecretsStoreProps, "driver" | "clusterLabel" | "platform"> {
  /**
   * Settings of the self-managed driver (a cluster with `secretsStoreCsiDriver: "selfManaged"`).
   * @default - rotation every 2m, Secret sync only when a class syncs
   */
  readonly driver?: SecretsStoreCsiDriverOptions;
}

/** Options every kubelogin mode shares. */
interface KubeloginOptions {
  /** The kubelogin binary. @default "kubelogin" (from PATH) */
  readonly kubeloginPath?: string;
}

/**
 * How Terraform's kubernetes and helm providers authenticate to the API server. Every mode but
 * `localAdmin` runs `kubelogin get-token` as an exec credential plugin for the AKS Entra ID
 * server app, so it works with local accounts disabled. kubelogin reads `AAD_LOGIN_METHOD`
 * (and the `AZURE_*` variables) from the environment and lets them override the flags, so a
 * synthesized stack deployed from a workstation can also be applied from CI unchanged.
 */
export type ClusterAuth =
  /** Workstation: the token of the `az login` session (`kubelogin --login azurecli`). The default. */
  | ({ readonly mode: "azureCli" } & KubeloginOptions)
  /**
   * CI with a federated token file (GitHub Actions, agents running in Kubernetes with Entra
   * Workload ID): `kubelogin --login workloadidentity`. IDs left out are read by kubelogin from
   * AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE.
   */
  | ({ readonly mode: "workloadIdentity"; readonly clientId?: string; readonly tenantId?: string; readonly federatedTokenFile?: string } & KubeloginOptions)
  /**
   * A Terraform Cloud (HCP Terraform) run on an agent with kubelogin: the run's workload
   * identity token (TFC_WORKLOAD_IDENTITY_TOKEN, injected when the workspace sets
   * TFC_WORKLOAD_IDENTITY_AUDIENCE=api://AzureADTokenExchange) is written to a private temp
   * file for `kubelogin --login workloadidentity` and removed afterwards. The Entra app must
   * have a federated credential for the workspace's run subject.
   */
  | ({
      readonly mode: "terraformCloud";
      /** Client ID of the Entra app the workspace signs in as. @default TFC_AZURE_RUN_CLIENT_ID, then ARM_CLIENT_ID, from the run environment */
      readonly clientId?: string;
      /** @default ARM_TENANT_ID from the run environment */
      readonly tenantId?: string;
    } & KubeloginOptions)
  /** An agent on an Azure VM with a managed identity: `kubelogin --login msi`. */
  | ({ readonly mode: "managedIdentity"; /** @default the VM's only identity */ readonly clientId?: string } & KubeloginOptions)
  /**
   * The static cluster-admin client certificate of `kube_admin_config`. An opt-out of the
   * secure default: it needs local accounts enabled on the cluster, bypasses Entra ID and
   * Kubernetes RBAC, and the certificate is stored in this stack's Terraform state.
   */
  | { readonly mode: "localAdmin"; readonly reason: string };

export interface ClusterStackProps {
  /** The cluster: the platform stack's {@link AksCluster} (wired by cross-stack references), or `{ name, resourceGroupName }` of an existing cluster. */
  readonly cluster: AksCluster | ClusterRef;
  /** How the providers authenticate. @default { mode: "azureCli" } */
  readonly auth?: ClusterAuth;
  /** Subscription of the cluster. @default ARM_SUBSCRIPTION_ID from the environment at plan time */
  readonly subscriptionId?: string;
  /**
   * The cluster's Secrets Store CSI installers: driver settings (self-managed) and provider chart
   * options. Only the first ClusterStack of a cluster holds them (later ones share its
   * {@link ClusterStack.secretsStore}).
   * @default - pinned charts in kube-system, installed when a class needs them
   */
  readonly secretsStore?: ClusterSecretsStoreOptions;
}

/** The connection the kubernetes and helm providers of a {@link ClusterStack} use. */
export interface ClusterConnection {
  readonly name: string;
  readonly resourceGroupName: string;
  /** API server URL (`https://FQDN:443`), read by the data source. */
  readonly host: string;
  /** PEM CA certificate of the API server. */
  readonly clusterCaCertificate: string;
  /** OIDC issuer URL, read by the data source: an {@link IOidcIssuer} for bring-your-own-cluster bindings. */
  readonly oidcIssuerUrl: string;
  /** The data source the connection is read with. */
  readonly data: DataAzurermKubernetesCluster;
}

/**
 * The stack of in-cluster resources, deployed after the platform stack. Its kubernetes and helm
 * providers read the API server's host and CA with an `azurerm_kubernetes_cluster` data source
 * (by the cluster's name and resource group: cross-stack references when the cluster is the
 * platform stack's) and authenticate with kubelogin (see {@link ClusterAuth}); no kubeconfig
 * passes through outputs. Other constructs add Kubernetes resources and Helm releases to it;
 * {@link namespace} creates each namespace once.
 */
export class ClusterStack extends TerraformStack {
  public readonly azurermProvider: AzurermProvider;
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  /** The cluster as connected to. */
  public readonly cluster: ClusterConnection;
  /** The platform construct when given one. */
  public readonly aksCluster?: AksCluster;
  public readonly auth: ClusterAuth;
  /**
   * The cluster's Secrets Store CSI installers (shared by every ClusterStack of the cluster; the
   * first one created holds the releases). Classes created in this stack are served by it: the
   * provider each needs is installed once (the AKS add-on serves `azure` classes when the cluster
   * has it), and the class is ordered after its installer.
   */
  public readonly secretsStore: SecretsStore;
  private readonly namespaces = new Map<string, NamespaceV1>();

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    checkProps(this, "ClusterStack", props);
    usePinnedProviderVersions(this);
    const auth: ClusterAuth = props.auth ?? { mode: "azureCli" };
    const cluster = props.cluster;
    const v = new Validator(this)
      .check(!!cluster, "cluster", undefined, "is required: the platform stack's AksCluster, or { name, resourceGroupName }")
      .rule("cluster.name", cluster?.name, Rules.aksClusterName)
      .rule("cluster.resourceGroupName", cluster?.resourceGroupName, Rules.resourceGroupName)
      .rule("subscriptionId", props.subscriptionId, Rules.guid);
    const refDriver = cluster && !(cluster instanceof AksCluster) ? cluster.secretsStoreCsiDriver : undefined;
    if (refDriver !== undefined) {
      v.check(refDriver === "aksAddon" || refDriver === "selfManaged", "cluster.secretsStoreCsiDriver", refDriver, 'must be "aksAddon" (the AKS Key Vault Secrets Provider add-on) or "selfManaged" (Helm releases of the driver and providers)');
    }
    checkAuth(v, auth, cluster);
    v.throwIfAny();

    this.auth = auth;
    this.azurermProvider = new AzurermProvider(this, "azurerm", { ...azurermProviderDefaults(), subscriptionId: props.subscriptionId });
    const aks = cluster instanceof AksCluster ? cluster : undefined;
    this.aksCluster = aks;
    if (aks) this.addDependency(TerraformStack.of(aks));
    // The cluster resource's own attributes (nameRef, resourceGroupNameRef) make these cross-stack references.
    const data = new DataAzurermKubernetesCluster(this, "cluster", {
      name: aks ? aks.nameRef : cluster.name,
      resourceGroupName: aks ? aks.resourceGroupNameRef : cluster.resourceGroupName,
    });
    const kube = data.kubeConfig.get(0);
    this.cluster = {
      name: cluster.name,
      resourceGroupName: cluster.resourceGroupName,
      host: kube.host,
      clusterCaCertificate: Fn.base64decode(kube.clusterCaCertificate),
      oidcIssuerUrl: data.oidcIssuerUrl,
      data,
    };
    // The wiring checks place everything in this stack on this cluster.
    declareClusterScope(this, aks ?? this.cluster);

    // The Secrets Store installers, once per cluster (same name and resource group = same cluster).
    const csiDriver: CsiDriverInstall = aks ? aks.secretsStoreCsiDriver : (cluster.secretsStoreCsiDriver ?? "aksAddon");
    const literal = !isUnresolved(cluster.name) && !isUnresolved(cluster.resourceGroupName);
    const storeOptions = props.secretsStore ?? {};
    if (csiDriver === "aksAddon" && storeOptions.driver !== undefined) {
      new Validator(this)
        .fail("secretsStore.driver", storeOptions.driver, 'configures a self-managed driver, but the cluster runs the AKS add-on (secretsStoreCsiDriver "aksAddon"): set rotation with the cluster\'s secretRotation / secretRotationInterval, or make the cluster "selfManaged"')
        .throwIfAny();
    }
    const { driver: driverOptions, ...providerOptions } = storeOptions;
    this.secretsStore = SecretsStore.ensure(this, {
      cluster: literal ? `aks:${cluster.resourceGroupName}/${cluster.name}` : (aks ?? this),
      driver: csiDriver === "aksAddon" ? { mode: "aksAddon", cluster: aks } : { mode: "selfManaged", ...driverOptions },
      ...providerOptions,
      platform: "aks",
      clusterLabel: aks ? aks.node.path : literal ? `${cluster.resourceGroupName}/${cluster.name}` : this.node.path,
    });
    if (!aks) {
      // A cluster by name: the plan fails, with the fix, when its add-on is not as declared.
      const addon = csiDriver === "aksAddon";
      data.lifecycle = {
        postcondition: [
          {
            condition: addon ? "${length(self.key_vault_secrets_provider) > 0}" : "${length(self.key_vault_secrets_provider) == 0}",
            errorMessage: addon
              ? "The cluster has no Key Vault Secrets Provider add-on, which ClusterStack assumes (cluster.secretsStoreCsiDriver \"aksAddon\", the default): enable it (az aks enable-addons --addons azure-keyvault-secrets-provider), or declare secretsStoreCsiDriver: \"selfManaged\" to install the driver with Helm."
              : "The cluster runs the Key Vault Secrets Provider add-on, but ClusterStack installs a self-managed Secrets Store CSI driver (cluster.secretsStoreCsiDriver \"selfManaged\"): two drivers conflict. Disable the add-on (az aks disable-addons --addons azure-keyvault-secrets-provider), or declare secretsStoreCsiDriver: \"aksAddon\".",
          },
        ],
      };
    }

    if (auth.mode === "localAdmin") {
      recordOptOut(this, "localAdmin", auth);
      const admin = data.kubeAdminConfig.get(0);
      const conn = {
        host: admin.host,
        clusterCaCertificate: Fn.base64decode(admin.clusterCaCertificate),
        clientCertificate: Fn.base64decode(admin.clientCertificate),
        clientKey: Fn.base64decode(admin.clientKey),
      };
      this.kubernetesProvider = new KubernetesProvider(this, "kubernetes", conn);
      this.helmProvider = new HelmProvider(this, "helm", { kubernetes: conn });
    } else {
      const exec = kubeloginExec(auth);
      this.kubernetesProvider = new KubernetesProvider(this, "kubernetes", { host: this.cluster.host, clusterCaCertificate: this.cluster.clusterCaCertificate, exec: [exec] });
      const helmKube: HelmProviderKubernetes = { host: this.cluster.host, clusterCaCertificate: this.cluster.clusterCaCertificate, exec };
      this.helmProvider = new HelmProvider(this, "helm", { kubernetes: helmKube });
    }
  }

  /**
   * The namespace `name`, created on first call (`kubernetes_namespace_v1.namespace-NAME`) and
   * returned as is afterwards. Pass it as a construct's `namespace` so its resources wait for it.
   */
  namespace(name: string, options: { readonly labels?: Record<string, string> } = {}): NamespaceV1 {
    const existing = this.namespaces.get(name);
    if (existing) {
      if (options.labels && Object.keys(options.labels).length > 0) {
        new Validator(this).fail(`namespace("${name}").labels`, options.labels, "the namespace was already created: give its labels on the first call").throwIfAny();
      }
      return existing;
    }
    const v = new Validator(this).rule(`namespace("${name}")`, name, Rules.dns1123Label);
    for (const [k, val] of Object.entries(options.labels ?? {})) checkLabel(v, `namespace("${name}").labels["${k}"]`, k, val);
    v.throwIfAny();
    const ns = new NamespaceV1(this, `namespace-${name}`, { metadata: { name, labels: options.labels } });
    this.namespaces.set(name, ns);
    return ns;
  }

  /** The namespaces created through {@link namespace}, by name. */
  get createdNamespaces(): ReadonlyMap<string, NamespaceV1> {
    return new Map(this.namespaces);
  }
}

function checkAuth(v: Validator, auth: ClusterAuth, cluster: AksCluster | ClusterRef | undefined): void {
  // Options a mode does not use would be dropped without a word: refuse them instead.
  const given = auth as { clientId?: unknown; tenantId?: unknown; federatedTokenFile?: unknown };
  switch (auth.mode) {
    case "azureCli":
      if (given.clientId !== undefined) {
        v.fail("auth.clientId", given.clientId, 'is not used by mode "azureCli" (kubelogin takes the identity of the az login session): remove it, or use mode "workloadIdentity", "terraformCloud" or "managedIdentity", which sign in as a given client ID');
      }
      if (given.tenantId !== undefined) {
        v.fail("auth.tenantId", given.tenantId, 'is not used by mode "azureCli" (kubelogin takes the tenant of the az login session; choose it with az login --tenant): remove it, or use mode "workloadIdentity" or "terraformCloud"');
      }
      break;
    case "workloadIdentity":
      v.rule("auth.clientId", auth.clientId, Rules.guid).rule("auth.tenantId", auth.tenantId, Rules.guid);
      if (auth.federatedTokenFile !== undefined) v.check(auth.federatedTokenFile.startsWith("/"), "auth.federatedTokenFile", auth.federatedTokenFile, "must be an absolute path");
      break;
    case "terraformCloud":
    case "managedIdentity":
      v.rule("auth.clientId", auth.clientId, Rules.guid);
      if (auth.mode === "terraformCloud") v.rule("auth.tenantId", auth.tenantId, Rules.guid);
      else if (given.tenantId !== undefined) {
        v.fail("auth.tenantId", given.tenantId, 'is not used by mode "managedIdentity" (kubelogin --login msi signs in with the VM\'s identity in its own tenant): remove it');
      }
      break;
    case "localAdmin":
      checkOptOut(v, "auth.reason", auth);
      if (cluster?.localAccountsDisabled) {
        v.fail("auth.mode", "localAdmin", "the cluster has local accounts disabled, so it has no admin kubeconfig: use a kubelogin mode (the default), or set allowLocalAccounts on the cluster (an opt-out too)");
      }
      break;
    default:
      v.fail("auth.mode", (auth as { mode?: string }).mode, 'must be "azureCli", "workloadIdentity", "terraformCloud", "managedIdentity" or "localAdmin"');
  }
  if (auth.mode !== "localAdmin" && auth.kubeloginPath !== undefined) {
    v.check(/^[^\s'"`$;&|<>]+$/.test(auth.kubeloginPath), "auth.kubeloginPath", auth.kubeloginPath, "must be a command name or path without spaces, quotes or shell characters");
  }
}

/** The exec block that runs kubelogin for a mode (everything but `localAdmin`). */
export function kubeloginExec(auth: Exclude<ClusterAuth, { mode: "localAdmin" }>): KubernetesProviderExec {
  const kubelogin = auth.kubeloginPath ?? "kubelogin";
  const base = ["get-token", "--server-id", AKS_ENTRA_SERVER_APP_ID];
  switch (auth.mode) {
    case "azureCli":
      return { apiVersion: EXEC_API_VERSION, command: kubelogin, args: [...base, "--login", "azurecli"] };
    case "workloadIdentity": {
      const args = [...base, "--login", "workloadidentity"];
      if (auth.clientId) args.push("--client-id", auth.clientId);
      if (auth.tenantId) args.push("--tenant-id", auth.tenantId);
      if (auth.federatedTokenFile) args.push("--federated-token-file", auth.federatedTokenFile);
      return { apiVersion: EXEC_API_VERSION, command: kubelogin, args };
    }
    case "managedIdentity": {
      const args = [...base, "--login", "msi"];
      if (auth.clientId) args.push("--client-id", auth.clientId);
      return { apiVersion: EXEC_API_VERSION, command: kubelogin, args };
    }
    case "terraformCloud": {
      // POSIX sh; no "${" (Terraform would read it as interpolation). The token file is private
      // to this process (umask 077) and removed when kubelogin returns.
      const clientId = auth.clientId ? `'${auth.clientId}'` : '"$TFC_AZURE_RUN_CLIENT_ID"';
      const fallback = auth.clientId ? "" : ' && [ -n "$c" ] || c="$ARM_CLIENT_ID"';
      const tenantId = auth.tenantId ? `'${auth.tenantId}'` : '"$ARM_TENANT_ID"';
      const script = [
        `c=${clientId}${fallback}`,
        `[ -n "$TFC_WORKLOAD_IDENTITY_TOKEN" ] || { echo "TFC_WORKLOAD_IDENTITY_TOKEN is empty: set TFC_WORKLOAD_IDENTITY_AUDIENCE=api://AzureADTokenExchange on the workspace" >&2; exit 1; }`,
        "umask 077",
        "f=$(mktemp)",
        'printf %s "$TFC_WORKLOAD_IDENTITY_TOKEN" > "$f"',
        `${kubelogin} ${base.join(" ")} --login workloadidentity --client-id "$c" --tenant-id ${tenantId} --federated-token-file "$f"`,
        "rc=$?",
        'rm -f "$f"',
        "exit $rc",
      ].join("\n");
      return { apiVersion: EXEC_API_VERSION, command: "sh", args: ["-c", script] };
    }
  }
}

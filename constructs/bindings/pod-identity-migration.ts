import { checkProps } from "../../core/props";
import { Construct } from "constructs";
import { checkOptOut, isUnresolved, OptOut, recordOptOut, Rules, Validator } from "../../core/validation";
import { IOidcIssuer, FederatedCredentialInfo, WorkloadIdentity } from "../azure/workload-identity";
import { PodSecretsMount } from "../kubernetes/pod-secrets-mount";
import { AzureKeyVaultProviderConfig, checkLabel, NamespaceInput, resolveNamespace, SecretProviderClass, SecretProviderClassProps } from "../kubernetes/secret-provider-class";
import { WorkloadServiceAccount, workloadIdentityPodLabels } from "../kubernetes/workload-service-account";
import { INamespaceFactory } from "./key-vault-workload-binding";

// The retired aad-pod-identity API (aadpodidentity.k8s.io/v1), as a team has it: the fields the
// migration reads, spelled as in Azure/aad-pod-identity pkg/apis/aadpodidentity/v1/types.go and
// Microsoft's docs (`kubectl get azureidentity NAME -o yaml` gives exactly this shape).

/** The label a pod carries to select an `AzureIdentityBinding` (its value is the binding's `selector`). */
export const AAD_POD_IDENTITY_BINDING_LABEL = "aadpodidbinding";
/** Pod annotation: the workload identity webhook injects the IMDS proxy (init container + sidecar). Only its presence counts, not its value. */
export const WORKLOAD_IDENTITY_INJECT_PROXY_SIDECAR_ANNOTATION = "azure.workload.identity/inject-proxy-sidecar";
/** Pod annotation: the port of the injected proxy. */
export const WORKLOAD_IDENTITY_PROXY_SIDECAR_PORT_ANNOTATION = "azure.workload.identity/proxy-sidecar-port";
/** The proxy's port when the pod does not name one (azure-workload-identity `DefaultProxySidecarPort`). */
export const DEFAULT_PROXY_SIDECAR_PORT = 8000;

/** `metadata` of an aad-pod-identity object. */
export interface PodIdentityObjectMeta {
  readonly name: string;
  /** @default "default" */
  readonly namespace?: string;
}

/** An `AzureIdentity` (`aadpodidentity.k8s.io/v1`). */
export interface AzureIdentity {
  readonly metadata: PodIdentityObjectMeta;
  readonly spec: {
    /** `0`: a user-assigned managed identity, the only kind that migrates as is. `1`/`2` (service principal with a secret or certificate) are refused. */
    readonly type: 0 | 1 | 2;
    /** ARM ID of the user-assigned identity. */
    readonly resourceID: string;
    /** Its client ID. */
    readonly clientID: string;
    /** Tenant, for an identity of another tenant than the cluster's. @default - the cluster's tenant */
    readonly tenantID?: string;
  };
}

/** An `AzureIdentityBinding` (`aadpodidentity.k8s.io/v1`): pods labelled `aadpodidbinding: <selector>` get the identity. */
export interface AzureIdentityBinding {
  readonly metadata: PodIdentityObjectMeta;
  readonly spec: {
    /** Name of the `AzureIdentity`. */
    readonly azureIdentity: string;
    /** Value of the pods' `aadpodidbinding` label. */
    readonly selector: string;
  };
}

/**
 * A SecretProviderClass of the Azure provider as it was written for pod identity
 * (`usePodIdentity: "true"`): everything but the identity, which the migration sets.
 */
export interface PodIdentitySecretProviderClassProps extends Omit<SecretProviderClassProps, "provider"> {
  readonly provider: Omit<AzureKeyVaultProviderConfig, "identity"> & {
    /** What the class had: `{ mode: "podIdentity" }` (or nothing). Replaced by workload identity. @default - pod identity */
    readonly identity?: { readonly mode: "podIdentity" };
  };
}

/** Where pods of a binding's selector run, and the service account they run as from now on. */
export interface PodIdentityWorkload {
  /** Namespace of the pods (aad-pod-identity matched pods of every namespace unless it ran namespaced). */
  readonly namespace: NamespaceInput;
  /**
   * Service account the pods run as after the migration (created, annotated with the identity's
   * client ID). Pods under pod identity often ran as `default`: give them their own.
   */
  readonly serviceAccountName: string;
  /** The `aadpodidbinding` selector of these pods. @default - the selector of the only binding */
  readonly selector?: string;
  /** Name of the identity's federated credential for this service account. @default `NAMESPACE-NAME` */
  readonly credentialName?: string;
  /**
   * The migration sidecar, for apps on an Azure Identity SDK too old for workload identity (they
   * call IMDS): the webhook injects an init container that redirects the pod's IMDS traffic
   * (privileged, NET_ADMIN, root) and a proxy that answers it with workload identity tokens. Linux
   * only, not for `hostNetwork` pods, "not supported for production use" (Microsoft): a temporary
   * opt-out, give the reason; remove it once the app's SDK is updated.
   * @default - no sidecar
   */
  readonly migrationSidecar?: OptOut & {
    /** Port of the proxy in the pod. @default 8000 */
    readonly port?: number;
  };
}

export interface PodIdentityMigrationProps {
  /** The cluster the pods run in: its OIDC issuer is what the new federated credentials trust. Pass the {@link AksCluster}. */
  readonly cluster: IOidcIssuer;
  /** The `AzureIdentity` the pods used. */
  readonly azureIdentity: AzureIdentity;
  /** Its `AzureIdentityBinding`s (at least one). */
  readonly bindings: AzureIdentityBinding[];
  /** The pods of the bindings' selectors: namespace and service account, one entry per service account. */
  readonly workloads: PodIdentityWorkload[];
  /**
   * The pod identity SecretProviderClasses the pods mount: rewritten with the identity's `clientID`
   * (workload identity), each mounted by the workloads of its namespace.
   * @default - none
   */
  readonly secretProviderClasses?: PodIdentitySecretProviderClassProps[];
  /**
   * `"parallel"`: workload identity beside pod identity (pods keep their `aadpodidbinding` label, so
   * an app still asking NMI keeps working) while you verify. `"cutover"`: workload identity only;
   * then delete the pod identity objects ({@link cleanupCommands}).
   */
  readonly phase: "parallel" | "cutover";
  /**
   * The identity, when it is already a construct of this app.
   * @default - the AzureIdentity's identity, reused by its resourceID ({@link WorkloadIdentity.fromExisting})
   */
  readonly identity?: WorkloadIdentity;
  /**
   * Where the Kubernetes side goes (service accounts, classes): a stack with a kubernetes provider,
   * e.g. a {@link ClusterStack} (then namespaces given by name are created there once).
   * @default - a child `cluster` of this construct
   */
  readonly clusterScope?: Construct;
  /**
   * Annotate the service accounts with the identity's tenant (`azure.workload.identity/tenant-id`).
   * @default - when the AzureIdentity names a tenantID
   */
  readonly annotateTenantId?: boolean;
}

/** One migrated workload: its service account, the credential trusting it, and the pod pieces. */
export interface MigratedWorkload {
  readonly namespace: string;
  readonly selector: string;
  readonly serviceAccount: WorkloadServiceAccount;
  readonly credential: FederatedCredentialInfo;
  /** Labels the pod template carries: `azure.workload.identity/use`, and in the parallel phase still `aadpodidbinding`. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Annotations the pod template carries (the migration sidecar's), if any. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** Labels to take off the pod template now (`aadpodidbinding` at cutover). */
  readonly removePodLabels: readonly string[];
  /** The pod pieces of each rewritten class of the namespace (volume, mount, service account). */
  readonly mounts: readonly PodSecretsMount[];
  /** The pod template pieces: labels, annotations, service account, and every class's volume and mount. */
  toPodTemplate(containerName?: string): Record<string, unknown>;
}

/**
 * Moves a team from aad-pod-identity (retired) to Entra Workload ID, following Microsoft's
 * migration: the SAME user-assigned identity (so its Key Vault grants stay valid) gains a federated
 * credential for each service account on the cluster's issuer; each service account is created
 * and annotated with the identity's client ID; the pods get `azure.workload.identity/use` (and,
 * for apps on old SDKs, the migration sidecar annotation); each pod identity SecretProviderClass
 * is rewritten with `clientID` and no `usePodIdentity`. In the `"parallel"` phase the pods keep
 * their `aadpodidbinding` label; at `"cutover"` it goes and {@link cleanupCommands} lists what to
 * delete. Built from {@link WorkloadIdentity}, {@link WorkloadServiceAccount},
 * {@link SecretProviderClass} and {@link PodSecretsMount}, so every wiring check applies.
 *
 * The identity side is created in this construct's scope (a stack with an azurerm provider), the
 * Kubernetes side in `clusterScope`.
 */
export class PodIdentityMigration extends Construct {
  /** The reused identity. */
  public readonly identity: WorkloadIdentity;
  public readonly phase: "parallel" | "cutover";
  public readonly workloads: readonly MigratedWorkload[];
  /** The rewritten classes (workload identity, `clientID`), in the order given. */
  public readonly secretProviderClasses: readonly SecretProviderClass[];
  /** The construct holding the Kubernetes side. */
  public readonly clusterSide: Construct;
  /** The pod identity objects this migration replaces: delete them after the cutover. */
  public readonly podIdentityObjects: readonly { readonly kind: "AzureIdentity" | "AzureIdentityBinding"; readonly name: string; readonly namespace: string }[];

  constructor(scope: Construct, id: string, props: PodIdentityMigrationProps) {
    super(scope, id);
    checkProps(this, "PodIdentityMigration", props);
    const v = new Validator(this);
    const ai = props.azureIdentity as Partial<AzureIdentity> | undefined;
    const spec = (ai?.spec ?? {}) as Partial<AzureIdentity["spec"]>;
    const aiName = ai?.metadata?.name;
    v.check(props.cluster !== undefined && props.cluster !== null && typeof props.cluster === "object", "cluster", props.cluster, "is required: the AksCluster (or OIDC issuer) the pods run in");
    v.check(typeof aiName === "string" && aiName.length > 0, "azureIdentity.metadata.name", aiName, "is required: the AzureIdentity's name (its bindings name it)");
    const type = spec.type as unknown;
    if (type === 1 || type === 2 || type === "1" || type === "2") {
      v.fail("azureIdentity.spec.type", type, "is a service principal identity (1: client secret, 2: certificate): only a user-assigned managed identity (type 0) migrates as is; give the service principal's application a federated credential (azuread) instead, and drop its secret");
    } else {
      v.check(type === 0 || type === "0", "azureIdentity.spec.type", type, "must be 0 (a user-assigned managed identity)");
    }
    if (!props.identity) {
      v.check(typeof spec.resourceID === "string" && spec.resourceID.length > 0, "azureIdentity.spec.resourceID", spec.resourceID, "is required: the ARM ID of the user-assigned identity to reuse");
    }
    v.check(typeof spec.clientID === "string", "azureIdentity.spec.clientID", spec.clientID, "is required: the identity's client ID").rule("azureIdentity.spec.clientID", spec.clientID, Rules.guid).rule("azureIdentity.spec.tenantID", spec.tenantID, Rules.guid);
    if (props.identity && spec.clientID !== undefined && !isUnresolved(props.identity.clientId) && props.identity.clientId !== spec.clientID) {
      v.fail("identity", props.identity.node.path, `has client ID ${props.identity.clientId}, not the AzureIdentity's ${spec.clientID}: pass the identity the pods used`);
    }
    v.check(props.phase === "parallel" || props.phase === "cutover", "phase", props.phase, 'must be "parallel" (workload identity beside pod identity, to verify) or "cutover" (workload identity only)');

    const bindings = Array.isArray(props.bindings) ? props.bindings : [];
    v.check(bindings.length > 0, "bindings", props.bindings, "must list the AzureIdentityBinding(s) of the identity: their selectors are the pods' aadpodidbinding labels");
    const selectors = new Set<string>();
    bindings.forEach((b, i) => {
      const f = `bindings[${i}]`;
      const bName = b?.metadata?.name;
      v.check(typeof bName === "string" && bName.length > 0, `${f}.metadata.name`, bName, "is required: the binding's name");
      v.check(b?.spec?.azureIdentity === aiName, `${f}.spec.azureIdentity`, b?.spec?.azureIdentity, `must name the AzureIdentity being migrated ("${aiName}"): migrate each identity with its own bindings`);
      const sel = b?.spec?.selector;
      if (typeof sel !== "string" || sel.length === 0) {
        v.fail(`${f}.spec.selector`, sel, "is required: the pods' aadpodidbinding label value");
      } else {
        checkLabel(v, `${f}.spec.selector`, AAD_POD_IDENTITY_BINDING_LABEL, sel);
        selectors.add(sel);
      }
    });

    const workloads = Array.isArray(props.workloads) ? props.workloads : [];
    v.check(workloads.length > 0, "workloads", props.workloads, "must list where the selector's pods run: { namespace, serviceAccountName } per service account");
    const seen = new Set<string>();
    workloads.forEach((w, i) => {
      const f = `workloads[${i}]`;
      const ns = w?.namespace === undefined ? undefined : resolveNamespace(w.namespace).name;
      v.check(typeof ns === "string", `${f}.namespace`, ns, "is required: the namespace the pods run in")
        .check(typeof w?.serviceAccountName === "string", `${f}.serviceAccountName`, w?.serviceAccountName, "is required: the service account the pods run as from now on");
      const key = `${ns}/${w?.serviceAccountName}`;
      if (seen.has(key)) v.fail(`${f}.serviceAccountName`, key, "is listed twice: one entry per service account");
      seen.add(key);
      if (w?.selector !== undefined) {
        v.check(selectors.has(w.selector), `${f}.selector`, w.selector, `is not the selector of a binding given (${[...selectors].map((s) => JSON.stringify(s)).join(", ") || "none"})`);
      } else if (selectors.size > 1) {
        v.fail(`${f}.selector`, undefined, `is required with several bindings: which aadpodidbinding label these pods carry (${[...selectors].map((s) => JSON.stringify(s)).join(", ")})`);
      }
      const sidecar = w?.migrationSidecar;
      if (sidecar !== undefined) {
        checkOptOut(v, `${f}.migrationSidecar.reason`, sidecar, "the migration sidecar (a privileged init container, not supported for production use)", "it is listed with the opt-outs");
        if (sidecar.port !== undefined) v.check(Number.isInteger(sidecar.port) && sidecar.port >= 1 && sidecar.port <= 65535, `${f}.migrationSidecar.port`, sidecar.port, "must be a port number from 1 to 65535");
      }
    });
    const classes = props.secretProviderClasses ?? [];
    const workloadNamespaces = new Set(workloads.map((w) => (w?.namespace === undefined ? undefined : resolveNamespace(w.namespace).name)));
    classes.forEach((c, i) => {
      const f = `secretProviderClasses[${i}]`;
      const ns = c?.namespace === undefined ? undefined : resolveNamespace(c.namespace).name;
      v.check(workloadNamespaces.has(ns), `${f}.namespace`, ns, `has no workload of this migration: pods mount a class of their own namespace, add a workload in "${ns}"`);
      const mode = (c?.provider as { identity?: { mode?: string } } | undefined)?.identity?.mode;
      if (mode !== undefined) v.check(mode === "podIdentity", `${f}.provider.identity.mode`, mode, 'is already set: give the class as it was for pod identity ({ mode: "podIdentity" } or no identity); the migration sets workload identity');
      v.check((c?.provider as { type?: string } | undefined)?.type === "azure", `${f}.provider.type`, (c?.provider as { type?: string } | undefined)?.type, 'must be "azure": pod identity was an Azure provider mode');
    });
    v.throwIfAny();

    this.phase = props.phase;
    const tenantId = props.azureIdentity.spec.tenantID;
    // The identity: the same one the pods had, so its grants stay valid.
    this.identity =
      props.identity ??
      WorkloadIdentity.fromExisting(this, "identity", {
        resourceId: props.azureIdentity.spec.resourceID,
        clientId: props.azureIdentity.spec.clientID,
        issuer: props.cluster,
      });

    // The cluster side: a construct of the same id in the cluster scope, or a child when there is none (bring your own cluster).
    const given = props.clusterScope;
    this.clusterSide = given && given !== scope ? new Construct(given, id) : new Construct(this, "cluster");
    const clusterScope = given ?? this.clusterSide;
    const annotateTenantId = props.annotateTenantId ?? tenantId !== undefined;
    const nsInput = (ns: NamespaceInput): NamespaceInput => (typeof ns === "string" && isNamespaceFactory(clusterScope) ? clusterScope.namespace(ns) : ns);
    const onlySelector = [...selectors][0];

    // Classes first (they do not depend on the service accounts), rewritten for workload identity.
    this.secretProviderClasses = classes.map((c) => {
      const { identity: _podIdentity, ...provider } = c.provider;
      return new SecretProviderClass(this.clusterSide, `spc-${c.name}`, {
        ...c,
        namespace: nsInput(c.namespace),
        provider: { ...provider, identity: { mode: "workloadIdentity", identity: this.identity } },
      });
    });

    this.workloads = workloads.map((w, i) => {
      const ns = resolveNamespace(w.namespace).name;
      const credential = this.identity.trusts(props.cluster, ns, w.serviceAccountName)
        ? this.identity.federatedCredentials.find((c) => c.namespace === ns && c.serviceAccountName === w.serviceAccountName)!
        : this.identity.addServiceAccount({ namespace: ns, name: w.serviceAccountName, issuer: props.cluster, credentialName: w.credentialName }, `workloads[${i}]`);
      const serviceAccount = new WorkloadServiceAccount(this.clusterSide, `sa-${ns}-${w.serviceAccountName}`, {
        identity: this.identity,
        namespace: nsInput(w.namespace),
        name: w.serviceAccountName,
        cluster: props.cluster,
        annotateTenantId,
      });
      const selector = w.selector ?? onlySelector;
      const podLabels: Record<string, string> = { ...workloadIdentityPodLabels() };
      if (props.phase === "parallel") podLabels[AAD_POD_IDENTITY_BINDING_LABEL] = selector;
      const podAnnotations: Record<string, string> = {};
      if (w.migrationSidecar) {
        podAnnotations[WORKLOAD_IDENTITY_INJECT_PROXY_SIDECAR_ANNOTATION] = "true";
        podAnnotations[WORKLOAD_IDENTITY_PROXY_SIDECAR_PORT_ANNOTATION] = String(w.migrationSidecar.port ?? DEFAULT_PROXY_SIDECAR_PORT);
        recordOptOut(serviceAccount, "migrationSidecar", { reason: w.migrationSidecar.reason.trim() });
      }
      const mounts = this.secretProviderClasses.filter((spc) => spc.namespace === ns).map((spc) => new PodSecretsMount(spc, { serviceAccount }));
      return {
        namespace: ns,
        selector,
        serviceAccount,
        credential,
        podLabels,
        podAnnotations,
        removePodLabels: props.phase === "cutover" ? [AAD_POD_IDENTITY_BINDING_LABEL] : [],
        mounts,
        toPodTemplate(containerName = "app"): Record<string, unknown> {
          const metadata: Record<string, unknown> = { labels: { ...podLabels } };
          if (Object.keys(podAnnotations).length > 0) metadata.annotations = { ...podAnnotations };
          return {
            metadata,
            spec: {
              serviceAccountName: serviceAccount.name,
              ...(mounts.length > 0 ? { volumes: mounts.map((m) => m.volume) } : {}),
              containers: [{ name: containerName, ...(mounts.length > 0 ? { volumeMounts: mounts.map((m) => m.volumeMount) } : {}) }],
            },
          };
        },
      };
    });

    this.podIdentityObjects = [
      { kind: "AzureIdentity" as const, name: props.azureIdentity.metadata.name, namespace: props.azureIdentity.metadata.namespace ?? "default" },
      ...bindings.map((b) => ({ kind: "AzureIdentityBinding" as const, name: b.metadata.name, namespace: b.metadata.namespace ?? "default" })),
    ];
  }

  /**
   * What to run once every pod authenticates with workload identity (after the cutover): delete
   * the AzureIdentityBindings and the AzureIdentity. With AKS-managed pod identity use
   * `az aks pod-identity delete` instead, then `az aks update --disable-pod-identity`.
   */
  cleanupCommands(): string[] {
    const bindings = this.podIdentityObjects.filter((o) => o.kind === "AzureIdentityBinding");
    const identities = this.podIdentityObjects.filter((o) => o.kind === "AzureIdentity");
    return [...bindings, ...identities].map((o) => `kubectl delete ${o.kind.toLowerCase()} ${o.name} -n ${o.namespace}`);
  }
}

function isNamespaceFactory(scope: Construct): scope is Construct & INamespaceFactory {
  return typeof (scope as Partial<INamespaceFactory>).namespace === "function";
}

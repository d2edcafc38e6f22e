import { Construct, IConstruct } from "constructs";
import { checkOptOut, isUnresolved, OptOut, parseGoDuration, problemMessage, recordOptOut, Validator } from "../../../core/validation";
import { SECRETS_STORE_CSI_DRIVER_CHART } from "./charts";
import { HelmChartInstaller, HelmChartOptions } from "./helm-chart-installer";

/** The rotation poll interval of a self-managed driver, as on the AKS add-on. */
export const DEFAULT_ROTATION_POLL_INTERVAL = "2m";
const MIN_ROTATION_S = 30;
const MAX_ROTATION_S = 24 * 3600;

/** Settings of a self-managed Secrets Store CSI driver. */
export interface SecretsStoreCsiDriverOptions extends HelmChartOptions {
  /**
   * Install the driver's RBAC to create and update Kubernetes Secrets (`syncSecret.enabled`), for
   * classes with `secretObjects`. It lets the driver write every Secret of the cluster, so it is on
   * only when needed; `false` with a syncing class fails synth (the Secret would never appear).
   * @default - on when a class served by this driver syncs a Secret, off otherwise
   */
  readonly syncSecret?: boolean;
  /**
   * How often mounted secrets are re-read (`rotationPollInterval`), a Go duration from 30s to 24h.
   * @default "2m" (as the AKS add-on)
   */
  readonly rotationPollInterval?: string;
  /**
   * Turn secret rotation off (`enableSecretRotation: false`): mounted files then keep the value
   * read at mount time until the pod restarts. An opt-out of the secure default: give the
   * reason; it is recorded on the driver (`aks-secrets:opt-out:secretRotation`).
   * @default - rotation is on
   */
  readonly disableSecretRotation?: OptOut;
  /**
   * Extra service account token audiences the driver requests for each mount and hands to the
   * providers (`tokenRequests`), e.g. for a provider this library does not install.
   * @default - only those the installed providers' classes need (api://AzureADTokenExchange for Azure workload identity, sts.amazonaws.com / pods.eks.amazonaws.com for ASCP)
   */
  readonly tokenAudiences?: readonly string[];
}

/**
 * The Secrets Store CSI driver (kubernetes-sigs chart `secrets-store-csi-driver`, pinned), for
 * clusters without the AKS add-on: one per cluster (its CSIDriver object and CRDs are cluster-wide).
 * Same secure defaults as the add-on path: rotation on every 2m, Secret sync RBAC only when a class
 * syncs, and token requests only for the audiences the classes' providers read.
 *
 * Its chart installs the SecretProviderClass CRD: classes (`kubernetes_manifest`s, which need the
 * CRD when planned) go in a stack that deploys after this one. Normally created by
 * {@link SecretsStore}, which feeds it what the classes need.
 */
export class SecretsStoreCsiDriver extends HelmChartInstaller {
  /** Rotation as configured. */
  public readonly secretRotation: { readonly enabled: boolean; readonly pollInterval?: string };
  private readonly explicitSync?: boolean;
  private readonly extraAudiences: readonly string[];
  private readonly neededAudiences = new Map<string, IConstruct[]>();
  private readonly syncingClasses: IConstruct[] = [];

  constructor(scope: Construct, id: string, options: SecretsStoreCsiDriverOptions = {}) {
    super(
      scope,
      id,
      {
        chart: SECRETS_STORE_CSI_DRIVER_CHART,
        releaseName: "secrets-store-csi-driver",
        managedPaths: ["syncSecret.enabled", "enableSecretRotation", "rotationPollInterval", "tokenRequests"],
        validate: (v) => checkDriverOptions(v, options),
      },
      options,
    );
    const rotation = !options.disableSecretRotation;
    const interval = options.rotationPollInterval ?? DEFAULT_ROTATION_POLL_INTERVAL;
    const extra = options.tokenAudiences ?? [];
    recordOptOut(this, "secretRotation", options.disableSecretRotation);

    this.secretRotation = rotation ? { enabled: true, pollInterval: interval } : { enabled: false };
    this.explicitSync = options.syncSecret;
    this.extraAudiences = [...extra];
    this.node.addValidation({
      validate: () =>
        this.explicitSync === false && this.syncingClasses.length > 0
          ? [
              problemMessage(
                "syncSecret",
                false,
                `leaves the driver without the RBAC to write Secrets, but ${this.syncingClasses.map((c) => c.node.path).join(", ")} sync${this.syncingClasses.length === 1 ? "s" : ""} one (secretObjects): the Secret would never appear; remove syncSecret: false`,
              ),
            ]
          : [],
    });
  }

  /** Records that a class needs the driver to request a token for `audience` (done by {@link SecretsStore}). */
  requestToken(audience: string, neededBy: IConstruct): void {
    const list = this.neededAudiences.get(audience) ?? [];
    if (!list.includes(neededBy)) list.push(neededBy);
    this.neededAudiences.set(audience, list);
  }

  /** Records that a class syncs a Kubernetes Secret (done by {@link SecretsStore}). */
  requireSync(cls: IConstruct): void {
    if (!this.syncingClasses.includes(cls)) this.syncingClasses.push(cls);
  }

  /** The audiences of `tokenRequests`, sorted: the classes' needs and {@link SecretsStoreCsiDriverOptions.tokenAudiences}. */
  get tokenAudiences(): string[] {
    return [...new Set([...this.neededAudiences.keys(), ...this.extraAudiences])].sort();
  }

  /** Whether the Secret sync RBAC is installed. */
  get syncSecret(): boolean {
    return this.explicitSync ?? this.syncingClasses.length > 0;
  }

  protected managedValues(): Record<string, unknown> {
    const values: Record<string, unknown> = {
      syncSecret: { enabled: this.syncSecret },
      enableSecretRotation: this.secretRotation.enabled,
    };
    if (this.secretRotation.pollInterval !== undefined) values.rotationPollInterval = this.secretRotation.pollInterval;
    const audiences = this.tokenAudiences;
    if (audiences.length > 0) values.tokenRequests = audiences.map((audience) => ({ audience }));
    return values;
  }
}

function checkDriverOptions(v: Validator, options: SecretsStoreCsiDriverOptions): void {
  const interval = options.rotationPollInterval ?? DEFAULT_ROTATION_POLL_INTERVAL;
  checkOptOut(v, "disableSecretRotation.reason", options.disableSecretRotation, "turning secret rotation off");
  if (options.disableSecretRotation && options.rotationPollInterval !== undefined) {
    v.fail("rotationPollInterval", options.rotationPollInterval, "contradicts disableSecretRotation: without rotation nothing is polled; give one of them");
  }
  if (!options.disableSecretRotation && !isUnresolved(interval)) {
    const seconds = typeof interval === "string" ? parseGoDuration(interval) : undefined;
    if (seconds === undefined) v.fail("rotationPollInterval", interval, "must be a Go duration such as 2m, 90s or 1h30m");
    else if (seconds < MIN_ROTATION_S || seconds > MAX_ROTATION_S) {
      v.fail("rotationPollInterval", interval, "must be from 30s to 24h: shorter polling multiplies secret store reads per mounted pod and runs into throttling");
    }
  }
  if (options.syncSecret !== undefined) v.check(typeof options.syncSecret === "boolean", "syncSecret", options.syncSecret, "must be true or false");
  const extra = options.tokenAudiences ?? [];
  if (!Array.isArray(extra)) {
    v.fail("tokenAudiences", extra, "must be a list of audiences");
    return;
  }
  extra.forEach((a, i) => {
    v.check(typeof a === "string" && a.length > 0 && !/\s/.test(a), `tokenAudiences[${i}]`, a, "must be a token audience: a non-empty string without spaces, e.g. vault or api://my-app");
    if (extra.indexOf(a) !== i) v.fail(`tokenAudiences[${i}]`, a, "is listed twice");
  });
}

import { Release } from "@cdktf/provider-helm/lib/release";
import { dependable, Lazy, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { stringify } from "yaml";
import { checkProps } from "../../../core/props";
import { Rules, StringRule, Validator } from "../../../core/validation";
import { HelmChartRef, INSTALLER_NAMESPACE } from "./charts";

/** What every installer takes: where and which version, and extra chart values. */
export interface HelmChartOptions {
  /**
   * Chart version, pinned: an exact `X.Y.Z`.
   * @default - the version this library was checked against (see the chart constants)
   */
  readonly chartVersion?: string;
  /**
   * Namespace of the release (created when it is not `kube-system`).
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Helm release name.
   * @default - the name the upstream guide installs it with
   */
  readonly releaseName?: string;
  /**
   * Extra chart values (tolerations, resources, images from a mirror, ...), rendered to YAML and
   * merged with the values the installer sets itself, which cannot be overridden here (each has a
   * typed prop, or is what makes the install correct). Never put secrets here: values land in the
   * Terraform state.
   * @default - none
   */
  readonly values?: Record<string, unknown>;
}

/** Helm release names: DNS-1123 labels of at most 53 characters (Helm's own limit). */
export const helmReleaseNameRule: StringRule = {
  description: "must be a Helm release name: at most 53 characters of lowercase letters, digits and '-', starting and ending with a letter or digit",
  test: (v) => v.length <= 53 && Rules.dns1123Label.test(v),
};

/** What a concrete installer tells its base class. */
export interface ChartInstallerSpec {
  readonly chart: HelmChartRef;
  readonly releaseName: string;
  /** Dotted paths of the values the installer owns (`secrets-store-csi-driver.install`): given in `values`, they are refused. */
  readonly managedPaths: readonly string[];
  /** The installer's own checks of its options, reported with the shared ones in one error. */
  readonly validate?: (v: Validator) => void;
}

/**
 * A pinned Helm release of one chart: `atomic` (a failed install or upgrade is rolled back),
 * `wait` (DaemonSets are ready before dependants apply), values as YAML.
 */
export abstract class HelmChartInstaller extends Construct {
  /** The Helm release. Address stays `helm_release.<path>_release`. */
  public readonly release: Release;
  /** The chart installed, with the version pinned. */
  public readonly chart: HelmChartRef;
  public readonly namespace: string;
  public readonly releaseName: string;
  private readonly userValues: Record<string, unknown>;

  protected constructor(scope: Construct, id: string, spec: ChartInstallerSpec, options: HelmChartOptions = {}) {
    super(scope, id);
    // Each concrete installer's options (its own generated shape), before anything reads them.
    checkProps(this, new.target.name, options);
    const version = options.chartVersion ?? spec.chart.version;
    const namespace = options.namespace ?? INSTALLER_NAMESPACE;
    const releaseName = options.releaseName ?? spec.releaseName;
    const v = new Validator(this)
      .check(typeof version === "string" && /^\d+\.\d+\.\d+$/.test(version), "chartVersion", version, `must be an exact chart version such as ${spec.chart.version}: ranges and \`latest\` make every plan a possible upgrade`)
      .rule("namespace", namespace, Rules.dns1123Label)
      .rule("releaseName", releaseName, helmReleaseNameRule);
    const values = options.values;
    if (values !== undefined) {
      if (!isPlainObject(values)) v.fail("values", values, "must be an object of chart values");
      else for (const p of spec.managedPaths) checkNotGiven(v, values, p);
    }
    spec.validate?.(v);
    v.throwIfAny();

    this.chart = { ...spec.chart, version };
    this.userValues = values ?? {};
    this.namespace = namespace;
    this.releaseName = releaseName;
    this.release = new Release(this, "release", {
      name: releaseName,
      repository: spec.chart.repository,
      chart: spec.chart.chart,
      version,
      namespace,
      createNamespace: namespace !== INSTALLER_NAMESPACE,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      values: [Lazy.stringValue({ produce: () => stringify(this.renderedValues(), { lineWidth: 0 }) })],
    });
  }

  /** The values the installer sets, read when the stack is synthesized (they may depend on classes added later). */
  protected abstract managedValues(): Record<string, unknown>;

  /** The chart values as rendered (the user's `values` with the installer's merged in). */
  renderedValues(): Record<string, unknown> {
    return mergeValues(this.userValues, this.managedValues());
  }
}

/** Orders `resource` after `target`: `depends_on` in one stack, a stack dependency across stacks. */
export function orderAfter(resource: TerraformResource, target: TerraformResource): void {
  const a = TerraformStack.of(resource);
  const b = TerraformStack.of(target);
  if (a === b) {
    const dep = dependable(target);
    if (!(resource.dependsOn ?? []).includes(dep)) resource.dependsOn = [...(resource.dependsOn ?? []), dep];
  } else if (!a.dependencies.includes(b)) a.addDependency(b);
}

/** True when both are in the same Terraform stack. */
export function sameStack(a: IConstruct, b: IConstruct): boolean {
  return TerraformStack.of(a) === TerraformStack.of(b);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Refuses a managed path (or a non-object on the way to it) in the user's values. */
function checkNotGiven(v: Validator, values: Record<string, unknown>, path: string): void {
  const parts = path.split(".");
  let at: unknown = values;
  for (let i = 0; i < parts.length; i++) {
    if (!isPlainObject(at) || !(parts[i] in at)) return;
    at = at[parts[i]];
    const given = `values.${parts.slice(0, i + 1).join(".")}`;
    if (i === parts.length - 1) v.fail(given, at, `is set by the installer (${path}): use its typed prop, or leave it out`);
    else if (!isPlainObject(at)) v.fail(given, at, `must be an object: the installer sets ${path} inside it`);
  }
}

/** The user's values with the installer's merged in (objects merged key by key; the installer's win). */
export function mergeValues(user: Record<string, unknown>, managed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...user };
  for (const [k, val] of Object.entries(managed)) {
    out[k] = isPlainObject(val) && isPlainObject(out[k]) ? mergeValues(out[k] as Record<string, unknown>, val) : val;
  }
  return out;
}

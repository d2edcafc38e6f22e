// The demo's Deployments (`kubernetes_deployment_v1`), without the prebuilt binding's module.
//
// `@cdktf/provider-kubernetes/lib/deployment-v1` is 5.4 MB of generated structs: loading it costs
// about 100 ms and 18 MB of memory in every synth of the default app, for two resources whose
// attributes the app writes itself. demoDeploymentResource takes the binding's own config type
// (a type-only import: nothing of that module loads) and renders it into the Terraform JSON the
// binding renders: attribute and block names in snake_case, the keys of map attributes (labels,
// annotations, CSI volume attributes, resource quantities) as given.
// test/app/demo-deployment.test.ts compares the two renderings for the demo's deployments and a
// config that uses every map attribute; test/core/schema.test.ts checks the result against the
// pinned provider's schema like every resource.
import type { DeploymentV1Config } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { TerraformResource, Tokenization } from "cdktf";
import { Construct } from "constructs";

/** The config demoDeploymentResource renders: the binding's, without the meta-arguments it does not take. */
export type DemoDeploymentConfig = Pick<DeploymentV1Config, "metadata" | "spec" | "waitForRollout" | "dependsOn" | "lifecycle">;

/**
 * The attributes of kubernetes_deployment_v1 whose values are Terraform maps (keys chosen by the
 * user, kept as given), as the binding spells them; every other object key is an attribute or a
 * block name (camelCase in the binding, snake_case in Terraform). The test derives the same list
 * from the pinned provider's schema.
 */
export const DEPLOYMENT_MAP_FIELDS: ReadonlySet<string> = new Set(["annotations", "labels", "limits", "matchLabels", "nodeSelector", "options", "requests", "volumeAttributes"]);

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Binding-shaped value to Terraform JSON: keys in snake_case except those of map fields, undefined
 * left out; a token (IResolvable) or another class's instance is left to cdktf's resolution, as
 * the binding leaves it.
 */
function render(value: unknown, isMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => render(v));
  if (value === null || typeof value !== "object" || Tokenization.isResolvable(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[isMap ? k : snake(k)] = isMap ? v : render(v, DEPLOYMENT_MAP_FIELDS.has(k));
  }
  return out;
}

/**
 * A `kubernetes_deployment_v1` of the default app's demo, rendered as the prebuilt DeploymentV1
 * renders it: a plain Terraform resource (the demo's deployments take no user input beyond the
 * image, which the demo validates), not a construct of the library's API.
 */
export function demoDeploymentResource(scope: Construct, id: string, config: DemoDeploymentConfig): TerraformResource {
  return new DemoDeployment(scope, id, config);
}

class DemoDeployment extends TerraformResource {
  static readonly tfResourceType = "kubernetes_deployment_v1";
  private readonly config: DemoDeploymentConfig;

  constructor(scope: Construct, id: string, config: DemoDeploymentConfig) {
    super(scope, id, {
      terraformResourceType: DemoDeployment.tfResourceType,
      terraformGeneratorMetadata: { providerName: "kubernetes" },
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.config = config;
  }

  /** Fresh objects on every call, as a binding's: readers of the configuration may merge overrides into them. */
  protected synthesizeAttributes(): Record<string, unknown> {
    return { metadata: render(this.config.metadata), spec: render(this.config.spec), wait_for_rollout: this.config.waitForRollout };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error(`${this.node.path}: the demo deployment is synthesized as JSON only (the app does not set hclOutput)`);
  }
}

// A small typed layer over cdktf's generic TerraformProvider/TerraformResource for the one
// Azure API azurerm has no resource for here: AKS identity bindings. There is no prebuilt cdktf
// binding for azapi; this covers exactly what the library writes, pinned to one provider release.
//
// Source: Azure/terraform-provider-azapi @ v2.12.0 (2026-08-07)
//   internal/provider/provider.go          provider attributes (subscription_id, tenant_id, use_oidc, ...)
//   internal/services/azapi_resource.go    azapi_resource: type "RP/type@api-version", name, parent_id,
//                                          body (dynamic: an object, a string is refused), response_export_values,
//                                          schema_validation_enabled (default true), locks, output (computed)
//   internal/azure/generated/.../microsoft.containerservice/2026-05-01/types.json
//                                          the embedded schema schema validation checks the body against
import { ITerraformDependable, TerraformProvider, TerraformResource, TerraformResourceLifecycle, TerraformStack, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { problemMessage, Rules, StringRule, Validator } from "../../core/validation";
import { pinnedProviderVersion, PROVIDER_VERSIONS } from "../../core/provider-versions";
import { checkProps } from "../../core/props";

/** Registry source of the azapi provider. */
export const AZAPI_PROVIDER_SOURCE = "azure/azapi";
/** The Terraform provider and resource type names. */
export const AZAPI_PROVIDER_TYPE = "azapi";
/**
 * The azapi release every stack using it requires, from the one pinning table
 * (`PROVIDER_VERSIONS` in core/provider-versions.ts, the same in both azurerm majors): the first
 * release whose embedded API schemas hold
 * `Microsoft.ContainerService/managedClusters/identityBindings@2026-05-01` (v2.11.0 knows only up
 * to 2026-04-01; schema validation refuses an API version the release does not know).
 */
export const AZAPI_PROVIDER_VERSION: string = PROVIDER_VERSIONS[4][AZAPI_PROVIDER_TYPE];

/** What cdktf writes into `required_providers` for azapi under `scope`: the pinned version (pinProvider keeps it). */
function azapiMetadata(scope: Construct): { providerName: string; providerVersion: string } {
  return { providerName: AZAPI_PROVIDER_TYPE, providerVersion: pinnedProviderVersion(scope, AZAPI_PROVIDER_TYPE) ?? AZAPI_PROVIDER_VERSION };
}
export const AZAPI_RESOURCE_TYPE = "azapi_resource";

/** Clouds the azapi provider accepts (`environment`, case-insensitive in the provider). */
export type AzapiEnvironment = "public" | "usgovernment" | "china";

export interface AzapiProviderConfig {
  /** Subscription to call. @default ARM_SUBSCRIPTION_ID from the environment */
  readonly subscriptionId?: string;
  /** Entra ID tenant to sign in to. @default ARM_TENANT_ID, else the Azure CLI's */
  readonly tenantId?: string;
  /** Client ID of the service principal or managed identity to sign in as. @default ARM_CLIENT_ID, else the Azure CLI's account */
  readonly clientId?: string;
  /** Sign in with an OIDC token (CI, HCP Terraform dynamic credentials). @default ARM_USE_OIDC, else false */
  readonly useOidc?: boolean;
  /** Sign in with the Azure CLI. @default ARM_USE_CLI, else true */
  readonly useCli?: boolean;
  /** Sign in with a managed identity. @default ARM_USE_MSI, else false */
  readonly useMsi?: boolean;
  /** @default "public" */
  readonly environment?: AzapiEnvironment;
  /** Provider alias, for a second configuration in one stack. @default none */
  readonly alias?: string;
}

/**
 * The `azure/azapi` provider, pinned like every provider of the library (`PROVIDER_VERSIONS`,
 * `usePinnedProviderVersions`; {@link AZAPI_PROVIDER_VERSION}): a stack that holds an
 * {@link AzapiResource} creates one (constructs never create providers). It signs in like azurerm
 * (the same `ARM_*` environment variables).
 */
export class AzapiProvider extends TerraformProvider {
  public readonly subscriptionId?: string;
  private readonly config: AzapiProviderConfig;
  private readonly aliasName?: string;

  constructor(scope: Construct, id: string, config: AzapiProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: AZAPI_PROVIDER_TYPE,
      terraformGeneratorMetadata: azapiMetadata(scope),
      terraformProviderSource: AZAPI_PROVIDER_SOURCE,
    });
    checkProps(this, "AzapiProvider", config);
    const c = (config ?? {}) as AzapiProviderConfig;
    const v = new Validator(this);
    for (const k of ["subscriptionId", "tenantId", "clientId"] as const) v.rule(k, c[k], Rules.guid);
    for (const k of ["useOidc", "useCli", "useMsi"] as const) v.check(c[k] === undefined || typeof c[k] === "boolean", k, c[k], "must be true or false");
    v.check(c.environment === undefined || ["public", "usgovernment", "china"].includes(c.environment), "environment", c.environment, 'must be "public", "usgovernment" or "china"');
    v.check(c.alias === undefined || (typeof c.alias === "string" && /^[a-zA-Z][a-zA-Z0-9_-]*$/.test(c.alias)), "alias", c.alias, "must be a Terraform name: a letter, then letters, digits, '_' and '-'");
    v.throwIfAny();
    this.config = c;
    this.subscriptionId = c.subscriptionId;
    this.aliasName = c.alias;
  }

  get alias(): string | undefined {
    return this.aliasName;
  }

  set alias(_value: string | undefined) {
    // fixed at construction
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return dropUndefined({
      subscription_id: c.subscriptionId,
      tenant_id: c.tenantId,
      client_id: c.clientId,
      use_oidc: c.useOidc,
      use_cli: c.useCli,
      use_msi: c.useMsi,
      environment: c.environment,
    });
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(this.synthesizeAttributes()).map(([k, value]) => [k, { value, isBlock: false, type: "simple", storageClassType: typeof value === "boolean" ? "boolean" : "string" }]),
    );
  }
}

/** ARM resource types: `Namespace.Provider/type[/child...]`. */
const armResourceType: StringRule = {
  description: "must be an ARM resource type such as Microsoft.ContainerService/managedClusters/identityBindings",
  test: (v) => /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+(\/[A-Za-z][A-Za-z0-9]*)+$/.test(v),
};
/** ARM API versions: `YYYY-MM-DD` with an optional `-preview` style suffix. */
const armApiVersion: StringRule = {
  description: "must be an ARM API version such as 2026-05-01 or 2025-10-02-preview",
  test: (v) => /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/.test(v),
};
/** An ARM resource ID (what `parent_id` takes): `/subscriptions/GUID/...`. */
export const armResourceId: StringRule = {
  description: "must be an ARM resource ID such as /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks",
  test: (v) => /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(\/[^/\s]+\/[^/\s]+)*$/.test(v),
};

export interface AzapiResourceProps {
  /** ARM resource type without the API version, e.g. `Microsoft.ContainerService/managedClusters/identityBindings`. */
  readonly resourceType: string;
  /** API version, e.g. `2026-05-01`. It must be one the pinned azapi release knows (schema validation is on). */
  readonly apiVersion: string;
  /** Resource name. */
  readonly name: string;
  /** ARM ID of the parent: the resource group, or the parent resource of a child type. */
  readonly parentId: string;
  /** The request body (an object: `properties`, ...), checked by azapi against its embedded schema. */
  readonly body: Record<string, unknown>;
  /** Paths of the response to export into `output`, e.g. `properties.oidcIssuer.oidcIssuerUrl`. @default none */
  readonly responseExportValues?: readonly string[];
  /** Location, for tracked top-level resources. @default none (child resources have none) */
  readonly location?: string;
  readonly dependsOn?: ITerraformDependable[];
  readonly lifecycle?: TerraformResourceLifecycle;
}

/**
 * One `azapi_resource`: an ARM resource written through the ARM API at an explicit API version.
 * Schema validation stays on (azapi checks the type, API version and body against the API
 * schemas embedded in the pinned release), and the stack must hold an {@link AzapiProvider}:
 * without it Terraform would look for `hashicorp/azapi`, which does not exist.
 */
export class AzapiResource extends TerraformResource {
  public readonly resourceType: string;
  public readonly apiVersion: string;
  /** `TYPE@API_VERSION`, as written to `type`. */
  public readonly typeWithVersion: string;
  private readonly props: AzapiResourceProps;

  constructor(scope: Construct, id: string, props: AzapiResourceProps) {
    super(scope, id, {
      terraformResourceType: AZAPI_RESOURCE_TYPE,
      terraformGeneratorMetadata: azapiMetadata(scope),
      dependsOn: props?.dependsOn,
      lifecycle: props?.lifecycle,
    });
    checkProps(this, "AzapiResource", props);
    const p = (props ?? {}) as AzapiResourceProps;
    const v = new Validator(this)
      .check(typeof p.resourceType === "string", "resourceType", p.resourceType, "is required: the ARM resource type, e.g. Microsoft.ContainerService/managedClusters/identityBindings")
      .check(typeof p.apiVersion === "string", "apiVersion", p.apiVersion, "is required: the ARM API version, e.g. 2026-05-01")
      .check(typeof p.name === "string" && p.name.length > 0, "name", p.name, "is required: the resource name")
      .check(typeof p.parentId === "string" && p.parentId.length > 0, "parentId", p.parentId, "is required: the ARM ID of the parent resource or resource group")
      .check(typeof p.body === "object" && p.body !== null && !Array.isArray(p.body), "body", p.body, "must be an object (azapi 2.x refuses a JSON string body)")
      .rule("resourceType", typeof p.resourceType === "string" ? p.resourceType : undefined, armResourceType)
      .rule("apiVersion", typeof p.apiVersion === "string" ? p.apiVersion : undefined, armApiVersion)
      .rule("parentId", typeof p.parentId === "string" && p.parentId ? p.parentId : undefined, armResourceId);
    (p.responseExportValues ?? []).forEach((path, i) => v.check(typeof path === "string" && /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(path), `responseExportValues[${i}]`, path, "must be a dotted path into the response, e.g. properties.oidcIssuer.oidcIssuerUrl"));
    v.throwIfAny();
    this.props = p;
    this.resourceType = p.resourceType;
    this.apiVersion = p.apiVersion;
    this.typeWithVersion = `${p.resourceType}@${p.apiVersion}`;
    // A resource without its provider in the stack would make Terraform look for hashicorp/azapi.
    this.node.addValidation({ validate: () => (hasAzapiProvider(TerraformStack.of(this)) ? [] : [missingProviderMessage(TerraformStack.of(this))]) });
  }

  /** ARM ID of the resource. */
  get id(): string {
    return this.getStringAttribute("id");
  }

  /** A value of the response exported with `responseExportValues`, e.g. `outputValue("properties.oidcIssuer.oidcIssuerUrl")`. */
  outputValue(path: string): string {
    if (!(this.props.responseExportValues ?? []).includes(path)) {
      new Validator(this).fail("outputValue", path, `is not exported: add it to responseExportValues (${(this.props.responseExportValues ?? []).join(", ") || "none"})`).throwIfAny();
    }
    return Token.asString(this.interpolationForAttribute(`output.${path}`));
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const p = this.props;
    return dropUndefined({
      type: this.typeWithVersion,
      name: p.name,
      parent_id: p.parentId,
      location: p.location,
      body: p.body,
      response_export_values: p.responseExportValues?.length ? [...p.responseExportValues] : undefined,
      schema_validation_enabled: true,
    });
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const a = this.synthesizeAttributes();
    const kind = (k: string, value: unknown) =>
      k === "body" ? { type: "map", storageClassType: "anyMap" } : Array.isArray(value) ? { type: "list", storageClassType: "stringList" } : { type: "simple", storageClassType: typeof value === "boolean" ? "boolean" : "string" };
    return Object.fromEntries(Object.entries(a).map(([k, value]) => [k, { value, isBlock: false, ...kind(k, value) }]));
  }
}

/** True when the stack holds an azapi provider configuration. */
export function hasAzapiProvider(stack: IConstruct): boolean {
  return stack.node.findAll().some((c) => TerraformProvider.isTerraformProvider(c) && (c as TerraformProvider).terraformResourceType === AZAPI_PROVIDER_TYPE);
}

function missingProviderMessage(stack: TerraformStack): string {
  return problemMessage(
    "provider",
    `stack ${stack.node.path}`,
    `an azapi_resource needs the azapi provider in its stack: add new AzapiProvider(stack, "azapi") (PlatformStack: platform.azapiProvider()), else Terraform looks for hashicorp/azapi, which does not exist`,
  );
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
}


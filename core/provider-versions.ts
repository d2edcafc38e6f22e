import { Aspects, IAspect, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Validator } from "./validation";

/**
 * Which providers run what the library writes, and the one place where a name differs between
 * provider versions.
 *
 * The prebuilt bindings (`@cdktf/provider-*`) are frozen at old schemas (azurerm 4.55.0): they
 * describe what we may write. The `required_providers` constraint decides which provider runs
 * it. Every stack of the library pins the versions below ({@link pinProviderVersions}), and
 * everything we emit is checked against the vendored schemas of exactly these versions
 * (`verify/provider-schema`, `vendor/provider-schemas/`).
 *
 * azurerm 4.81.0 is the first (and last) 4.x that manages Key Vault through the management API
 * 2026-02-01; 4.80.0 and older use 2023-02-01, which Azure retires on 2027-02-27.
 */

/** The azurerm major the library writes for. */
export type AzurermMajor = 4 | 5;

/** Context key (cdktf.json `context`, or `new App({ context })`) choosing the azurerm major. */
export const AZURERM_MAJOR_CONTEXT = "azurermMajor";

/** Provider versions pinned per azurerm major (exact versions: the schemas checked are these). */
export const PROVIDER_VERSIONS: Readonly<Record<AzurermMajor, Readonly<Record<string, string>>>> = {
  4: { azurerm: "4.81.0", azuread: "3.9.0", time: "0.14.0", kubernetes: "3.2.1", helm: "3.1.2", vault: "5.11.0", hcp: "0.114.0", azapi: "2.12.0", tfe: "0.80.0", aws: "6.25.0" },
  5: { azurerm: "5.2.0", azuread: "3.9.0", time: "0.14.0", kubernetes: "3.2.1", helm: "3.1.2", vault: "5.11.0", hcp: "0.114.0", azapi: "2.12.0", tfe: "0.80.0", aws: "6.25.0" },
};

/**
 * The resource providers the library's azurerm resources need registered. azurerm 4.x registers
 * ~60 by default (`legacy`), 5.x none (`none`): the library asks for the `core` set (Compute,
 * Network, ManagedIdentity, Authorization, Resources, Storage, ...) plus these in both majors, so a
 * fresh subscription deploys the same way on either.
 */
export const AZURERM_RESOURCE_PROVIDERS = ["Microsoft.ContainerService", "Microsoft.KeyVault"] as const;

/**
 * The provider block settings every library stack gives `AzurermProvider` (spread them first).
 * `resource_provider_registrations` and `resource_providers_to_register` exist, with this meaning,
 * in 4.55 (the binding), 4.81 and 5.x.
 */
export function azurermProviderDefaults(): { features: Record<string, never>[]; resourceProviderRegistrations: string; resourceProvidersToRegister: string[] } {
  return { features: [{}], resourceProviderRegistrations: "core", resourceProvidersToRegister: [...AZURERM_RESOURCE_PROVIDERS] };
}

/** The azurerm major for `scope`: the `azurermMajor` context (4 or 5), 4 when not set. */
export function azurermMajor(scope: IConstruct): AzurermMajor {
  const raw = scope.node.tryGetContext(AZURERM_MAJOR_CONTEXT);
  if (raw === undefined) return 4;
  const n = typeof raw === "string" ? Number(raw) : raw;
  if (n !== 4 && n !== 5) {
    new Validator(stackOf(scope)).fail(`context.${AZURERM_MAJOR_CONTEXT}`, raw, "must be 4 or 5: the azurerm major the library writes for (4 pins 4.81.0, 5 pins 5.2.0)").throwIfAny();
  }
  return n as AzurermMajor;
}

/** The version pinned for `provider` (its `terraformResourceType`, e.g. `azurerm`) under `scope`'s major. */
export function pinnedProviderVersion(scope: IConstruct, provider: string): string | undefined {
  return PROVIDER_VERSIONS[azurermMajor(scope)][provider];
}

/**
 * Pins every provider under `scope` whose version the library chose: the synthesized
 * `required_providers` asks for that exact version instead of the binding's own. Stacks of the
 * library call it at the end of their constructor; `validateAndSynth` calls it for the whole app, so
 * your own stacks get it too. Idempotent.
 */
export function pinProviderVersions(scope: IConstruct): void {
  for (const c of scope.node.findAll()) pinProvider(c);
}

/** Pins a provider's version (see {@link pinProviderVersions}); anything else is left alone. */
export function pinProvider(c: IConstruct): void {
  if (!TerraformProvider.isTerraformProvider(c)) return;
  const version = pinnedProviderVersion(c, c.terraformResourceType);
  if (!version) return;
  const meta = c.terraformGeneratorMetadata;
  if (meta?.providerVersion === version) return;
  // The binding's metadata is a plain property; cdktf writes `providerVersion` into required_providers.
  (c as { terraformGeneratorMetadata?: object }).terraformGeneratorMetadata = { ...(meta ?? { providerName: c.terraformResourceType }), providerVersion: version };
}

/** For a scope that is not a stack: an aspect, so providers added later are pinned too. */
const PIN_ASPECT: IAspect = { visit: pinProvider };
const PINNED_AT_RENDER = new WeakSet<IConstruct>();

/**
 * Pins the providers of `stack` when it renders (synth, `Testing.synth`), so providers added after
 * this call are pinned too: what the library's stacks call in their constructor. The stack's
 * `toTerraform` pins before rendering; not an aspect, which cdktf would visit on every construct
 * of the stack at synth (a walk with path lookups, the largest part of invoking aspects in a
 * large app). Idempotent.
 */
export function usePinnedProviderVersions(stack: IConstruct): void {
  if (!TerraformStack.isStack(stack)) {
    Aspects.of(stack).add(PIN_ASPECT);
    return;
  }
  if (PINNED_AT_RENDER.has(stack)) return;
  PINNED_AT_RENDER.add(stack);
  const render = stack.toTerraform;
  Object.defineProperty(stack, "toTerraform", {
    configurable: true,
    writable: true,
    value: function (this: TerraformStack) {
      pinProviderVersions(this);
      return render.call(this);
    },
  });
}

/**
 * Provider-version names, one entry per resource whose emitted names depend on the azurerm
 * version: constructs create the resource with the binding (4.55 names) and call the matching
 * function here, which rewrites the synthesized names for the pinned major with overrides. Each
 * change is listed in the README's "azurerm 5" section.
 */
export const AzurermNames = {
  /**
   * `azurerm_federated_identity_credential`: `user_assigned_identity_id` (4.81 and 5.x) instead of
   * `parent_id` (deprecated in 4.x, removed in 5.0), and no `resource_group_name` (deprecated and
   * computed in 4.81, removed in 5.0; the 4.55 binding requires it).
   */
  federatedIdentityCredential(credential: TerraformResource, userAssignedIdentityId: string): void {
    expectType(credential, "azurerm_federated_identity_credential");
    credential.addOverride("parent_id", undefined);
    credential.addOverride("resource_group_name", undefined);
    credential.addOverride("user_assigned_identity_id", userAssignedIdentityId);
  },

  /**
   * `azurerm_subnet` service endpoints: the `service_endpoints` list in 4.x, `service_endpoint`
   * blocks in 5.x (the list is removed in 5.0; the block does not exist in 4.x). Give the
   * services here, not to the binding.
   */
  subnetServiceEndpoints(subnet: TerraformResource, services: readonly string[]): void {
    expectType(subnet, "azurerm_subnet");
    if (azurermMajor(subnet) === 5) {
      subnet.addOverride("service_endpoints", undefined);
      subnet.addOverride("service_endpoint", services.map((service) => ({ service })));
    } else {
      subnet.addOverride("service_endpoints", [...services]);
    }
  },

  /**
   * `azurerm_kubernetes_cluster`: `node_provisioning_profile` is required in 5.x and optional in
   * 4.81 (absent from the 4.55 binding). `mode = "Manual"` (node pools managed by the cluster
   * definition, no node auto-provisioning) is what the API defaults to, so 4.81 plans no change.
   */
  kubernetesClusterNodeProvisioning(cluster: TerraformResource): void {
    expectType(cluster, "azurerm_kubernetes_cluster");
    cluster.addOverride("node_provisioning_profile", [{ mode: "Manual" }]);
  },
} as const;

function expectType(resource: TerraformResource, type: string): void {
  if (resource.terraformResourceType !== type) {
    throw new Error(`AzurermNames: expected a ${type}, got ${resource.terraformResourceType} at ${resource.node.path}`);
  }
}

function stackOf(scope: IConstruct): IConstruct {
  try {
    return TerraformStack.of(scope);
  } catch {
    return scope;
  }
}

// Bad input of issue 12 (part b): the migration from aad-pod-identity (PodIdentityMigration,
// WorkloadIdentity.fromExisting) and the EKS / IRSA path. Each case builds a small app of its own:
// one stack with the providers a real stack would have.
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { App, TerraformStack } from "cdktf";
import { AzureIdentity, AzureIdentityBinding, PodIdentityMigration, PodIdentityMigrationProps } from "../../../constructs/bindings/pod-identity-migration";
import { ExistingWorkloadIdentityProps, WorkloadIdentity } from "../../../constructs/azure/workload-identity";
import { BadInputCase } from "../battery";
import { GUID_RULE, REASON } from "../fixtures";

const CLIENT_ID = "5b7c1a52-3d6e-4f0a-9c1d-2e8f7a6b5c4d";
const RESOURCE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-legacy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders";
const ISSUER = { oidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/" };

/** A stack like a bring-your-own-cluster stack: azurerm and kubernetes providers. */
function azureStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, "team");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

const IDENTITY: AzureIdentity = { metadata: { name: "orders-identity", namespace: "orders" }, spec: { type: 0, resourceID: RESOURCE_ID, clientID: CLIENT_ID } };
const BINDING: AzureIdentityBinding = { metadata: { name: "orders-binding", namespace: "orders" }, spec: { azureIdentity: "orders-identity", selector: "orders-api" } };
const migrationProps = (): PodIdentityMigrationProps => ({
  cluster: ISSUER,
  azureIdentity: IDENTITY,
  bindings: [BINDING],
  workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }],
  phase: "cutover",
});
/** Builds a migration with `patch` over the valid props. */
const migrate =
  (patch: (p: PodIdentityMigrationProps) => Record<string, unknown>) =>
  (app: App): void =>
    void new PodIdentityMigration(azureStack(app), "migration", { ...migrationProps(), ...patch(migrationProps()) } as PodIdentityMigrationProps);
const spec = (s: Record<string, unknown>) => (p: PodIdentityMigrationProps) => ({ azureIdentity: { ...p.azureIdentity, spec: { ...p.azureIdentity.spec, ...s } } });
const existing = (props: Partial<ExistingWorkloadIdentityProps>) => (app: App) =>
  void WorkloadIdentity.fromExisting(azureStack(app), "existing", { resourceId: RESOURCE_ID, issuer: ISSUER, ...props } as ExistingWorkloadIdentityProps);
const M = "team/migration";
const pods = (w: Record<string, unknown>) => () => ({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api", ...w }] });
const spcIn = (namespace: string, provider: Record<string, unknown> = {}) => () => ({
  secretProviderClasses: [{ name: "orders-kv", namespace, provider: { type: "azure", keyvaultName: "kv-orders-01", tenantId: "11111111-2222-3333-4444-555555555555", objects: [{ objectName: "db" }], ...provider } }],
});

export const cases: BadInputCase[] = [
  // constructs/azure/workload-identity.ts: WorkloadIdentity.fromExisting
  { name: "existing identity without resource ID", build: existing({ resourceId: undefined }), expect: { path: "team/existing", field: "resourceId", value: undefined, rule: /^is required: the ARM ID of the user-assigned identity/ } },
  { name: "existing identity given by name, not ARM ID", build: existing({ resourceId: "id-orders" }), expect: { path: "team/existing", field: "resourceId", value: "id-orders", rule: /^must be the ARM ID of a user-assigned identity/ } },
  {
    name: "existing identity in a resource group ending in .",
    build: existing({ resourceId: RESOURCE_ID.replace("rg-legacy", "rg-legacy.") }),
    expect: { path: "team/existing", field: "resourceId", value: "rg-legacy.", rule: /resource group names/ },
  },
  { name: "existing identity with a one-letter name", build: existing({ resourceId: RESOURCE_ID.replace("id-orders", "x") }), expect: { path: "team/existing", field: "resourceId", value: "x", rule: /managed identity names/ } },
  { name: "existing identity client ID not a GUID", build: existing({ clientId: "orders" }), expect: { path: "team/existing", field: "clientId", value: "orders", rule: GUID_RULE } },
  {
    name: "existing identity trusting 21 service accounts",
    build: existing({ serviceAccounts: Array.from({ length: 21 }, (_, i) => ({ namespace: "orders", name: `sa-${i}` })) }),
    expect: { path: "team/existing", field: "serviceAccounts", value: "21 entries", rule: /at most 20 federated credentials/ },
  },

  // constructs/bindings/pod-identity-migration.ts
  { name: "migration without cluster", build: migrate(() => ({ cluster: undefined })), expect: { path: M, field: "cluster", value: undefined, rule: /^is required: the AksCluster/ } },
  { name: "migration of an AzureIdentity without name", build: migrate((p) => ({ azureIdentity: { ...p.azureIdentity, metadata: {} } })), expect: { path: M, field: "azureIdentity.metadata.name", value: undefined, rule: /^is required: the AzureIdentity's name/ } },
  { name: "migration of a service principal AzureIdentity", build: migrate(spec({ type: 1 })), expect: { path: M, field: "azureIdentity.spec.type", value: 1, rule: /^is a service principal identity/ } },
  { name: "migration of an AzureIdentity of type 7", build: migrate(spec({ type: 7 })), expect: { path: M, field: "azureIdentity.spec.type", value: 7, rule: /^must be 0 \(a user-assigned managed identity\)/ } },
  { name: "migration of an AzureIdentity without resourceID", build: migrate(spec({ resourceID: undefined })), expect: { path: M, field: "azureIdentity.spec.resourceID", value: undefined, rule: /^is required: the ARM ID of the user-assigned identity to reuse/ } },
  { name: "migration of an AzureIdentity without clientID", build: migrate(spec({ clientID: undefined })), expect: { path: M, field: "azureIdentity.spec.clientID", value: undefined, rule: /^is required: the identity's client ID/ } },
  { name: "migration of an AzureIdentity whose clientID is not a GUID", build: migrate(spec({ clientID: "orders" })), expect: { path: M, field: "azureIdentity.spec.clientID", value: "orders", rule: GUID_RULE } },
  { name: "migration of an AzureIdentity whose tenantID is a domain", build: migrate(spec({ tenantID: "contoso.com" })), expect: { path: M, field: "azureIdentity.spec.tenantID", value: "contoso.com", rule: GUID_RULE } },
  {
    name: "migration given another identity than the AzureIdentity's",
    build: (app) => {
      const stack = azureStack(app);
      const other = WorkloadIdentity.fromExisting(stack, "other", { resourceId: RESOURCE_ID, clientId: "0f0e0d0c-0b0a-0908-0706-050403020100" });
      new PodIdentityMigration(stack, "migration", { ...migrationProps(), identity: other });
    },
    expect: { path: M, field: "identity", value: "team/other", rule: /^has client ID 0f0e0d0c-0b0a-0908-0706-050403020100, not the AzureIdentity's/ },
  },
  { name: "migration without phase", build: migrate(() => ({ phase: undefined })), expect: { path: M, field: "phase", value: undefined, rule: /^must be "parallel" .* or "cutover"/ } },
  { name: "migration without bindings", build: migrate(() => ({ bindings: [] })), expect: { path: M, field: "bindings", value: [], rule: /^must list the AzureIdentityBinding\(s\)/ } },
  { name: "migration of a binding without name", build: migrate(() => ({ bindings: [{ ...BINDING, metadata: {} }] })), expect: { path: M, field: "bindings[0].metadata.name", value: undefined, rule: /^is required: the binding's name/ } },
  {
    name: "migration of a binding of another identity",
    build: migrate(() => ({ bindings: [{ ...BINDING, spec: { ...BINDING.spec, azureIdentity: "payments-identity" } }] })),
    expect: { path: M, field: "bindings[0].spec.azureIdentity", value: "payments-identity", rule: /^must name the AzureIdentity being migrated \("orders-identity"\)/ },
  },
  { name: "migration of a binding without selector", build: migrate(() => ({ bindings: [{ ...BINDING, spec: { azureIdentity: "orders-identity" } }] })), expect: { path: M, field: "bindings[0].spec.selector", value: undefined, rule: /^is required: the pods' aadpodidbinding label value/ } },
  { name: "migration of a binding whose selector is no label value", build: migrate(() => ({ bindings: [{ ...BINDING, spec: { ...BINDING.spec, selector: "orders api" } }] })), expect: { path: M, field: "bindings[0].spec.selector", value: "orders api", rule: /^label values are at most 63 characters/ } },
  { name: "migration without workloads", build: migrate(() => ({ workloads: [] })), expect: { path: M, field: "workloads", value: [], rule: /^must list where the selector's pods run/ } },
  { name: "migration workload without namespace", build: migrate(() => ({ workloads: [{ serviceAccountName: "orders-api" }] })), expect: { path: M, field: "workloads[0].namespace", value: undefined, rule: /^is required: the namespace the pods run in/ } },
  { name: "migration workload without service account", build: migrate(() => ({ workloads: [{ namespace: "orders" }] })), expect: { path: M, field: "workloads[0].serviceAccountName", value: undefined, rule: /^is required: the service account the pods run as/ } },
  {
    name: "migration workload listed twice",
    build: migrate(() => ({ workloads: [{ namespace: "orders", serviceAccountName: "orders-api" }, { namespace: "orders", serviceAccountName: "orders-api" }] })),
    expect: { path: M, field: "workloads[1].serviceAccountName", value: "orders/orders-api", rule: /^is listed twice/ },
  },
  { name: "migration workload with a selector no binding has", build: migrate(pods({ selector: "payments" })), expect: { path: M, field: "workloads[0].selector", value: "payments", rule: /^is not the selector of a binding given \("orders-api"\)/ } },
  {
    name: "migration workload without selector among two bindings",
    build: migrate(() => ({ bindings: [BINDING, { metadata: { name: "orders-binding-2" }, spec: { azureIdentity: "orders-identity", selector: "orders-worker" } }] })),
    expect: { path: M, field: "workloads[0].selector", value: undefined, rule: /^is required with several bindings/ },
  },
  { name: "migration sidecar without reason", build: migrate(pods({ migrationSidecar: { reason: "old" } })), expect: { path: M, field: "workloads[0].migrationSidecar.reason", value: "old", rule: /^the migration sidecar .* needs a written reason/ } },
  { name: "migration sidecar on port 0", build: migrate(pods({ migrationSidecar: { reason: "SDK update in the next sprint", port: 0 } })), expect: { path: M, field: "workloads[0].migrationSidecar.port", value: 0, rule: /^must be a port number from 1 to 65535/ } },
  { name: "migration class in a namespace without workload", build: migrate(spcIn("payments")), expect: { path: M, field: "secretProviderClasses[0].namespace", value: "payments", rule: /^has no workload of this migration/ } },
  {
    name: "migration class already on workload identity",
    build: migrate(spcIn("orders", { identity: { mode: "workloadIdentity", identity: { clientId: CLIENT_ID } } })),
    expect: { path: M, field: "secretProviderClasses[0].provider.identity.mode", value: "workloadIdentity", rule: /^is already set: give the class as it was for pod identity/ },
  },
  { name: "migration class of the AWS provider", build: migrate(spcIn("orders", { type: "aws" })), expect: { path: M, field: "secretProviderClasses[0].provider.type", value: "aws", rule: /^must be "azure": pod identity was an Azure provider mode/ } },
];

// Keep REASON imported for cases that use the generic opt-out wording.
void REASON;

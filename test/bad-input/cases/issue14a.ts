// Cases of issue 14a: input at the JavaScript edge (the generated props check, core/props.ts),
// Azure limits, ARM IDs and derived names.
import { AksCluster } from "../../../constructs/azure/aks-cluster";
import { BadInputCase } from "../battery";
import { onDefault } from "../fixtures";

export const cases: BadInputCase[] = [
  {
    name: "props left out of a construct that needs them",
    build: onDefault((d) => void new AksCluster(d.platform, "cluster-extra", undefined as any)),
    expect: { path: "platform/cluster-extra", field: "props", value: undefined, rule: /^is required: an object \{ name, resourceGroupName, location, nodeSubnetId, apiServerAccess, \.\.\. \}/ },
  },
  {
    name: "escape hatch that writes undefined into a name",
    build: onDefault((d) => void d.platform.keyVault.resource.addOverride("name", `kv-${undefined}`)),
    expect: { path: "platform", field: "azurerm_key_vault.keyvault_3579520A.name", value: "kv-undefined", rule: /^holds "undefined" where a value belongs \(made by platform\/keyvault\/vault\)/ },
  },
];

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
];

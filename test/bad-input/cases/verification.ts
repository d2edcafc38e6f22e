// The battery's cases for the verification layer's acceptance API (verify/acceptance.ts).
import { Verification } from "../../../verify/acceptance";
import { BadInputCase } from "../battery";
import { onDefault } from "../fixtures";

const REASON = "the legacy vault is managed by the data team";

export const cases: BadInputCase[] = [
  {
    name: "acceptance of an unknown id",
    build: onDefault((d) => void Verification.of(d.cluster).accept({ id: "AKSW-NOPE", reason: REASON })),
    expect: { path: "cluster", field: "accept[0].id", value: "AKSW-NOPE", rule: /^must be a security rule id \(AKSS-KV1, .*\) or a wiring check id \(AKSW-SA1, / },
  },
  {
    name: "acceptance without a reason",
    build: onDefault((d) => void Verification.of(d.cluster).accept({ id: "AKSW-KV1", reason: "legacy" })),
    expect: { path: "cluster", field: "accept[0].reason", value: "legacy", rule: /^an acceptance needs a written reason \(10 characters or more\): it is printed in the reports$/ },
  },
];

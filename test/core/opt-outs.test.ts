// Every opt-out of a secure default goes through one check (checkOptOut) and one record
// (recordOptOut) in constructs/validation.ts: the same rule text, the same length, the same
// handling of a reason that is missing, blank or not a string, and the same metadata the security
// rules and reports read. A source guard keeps hand-written copies from coming back.
import fs from "node:fs";
import path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { IConstruct } from "constructs";
import { AksCluster, AksClusterProps } from "../../constructs/azure/aks-cluster";
import { HcpVaultCluster } from "../../constructs/hcp/hcp-vault-cluster";
import { HvnPeering, HvnSpoke } from "../../constructs/hcp/hvn-peering";
import { SecretProviderClass } from "../../constructs/kubernetes/secret-provider-class";
import { SecurityRules } from "../../verify/security-rules";
import { checkOptOut, MIN_REASON_LENGTH, OPT_OUT_METADATA_PREFIX, recordOptOut, ValidationError, Validator } from "../../core/validation";
import { allowUnverifiedWiring, UNVERIFIED_WIRING_OPT_OUT } from "../../verify/wiring";
import { sourceFiles } from "../bad-input/sites";
import { ClusterStack } from "../../stacks/cluster-stack";
import { VaultConfigStack } from "../../stacks/vault-config-stack";
import { expectProblem } from "../helpers";

const ROOT = path.resolve(__dirname, "../..");
const TENANT = "11111111-2222-3333-4444-555555555555";
const GUID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SHARED_RULE = /^an opt-out of the secure default needs a written reason \(10 characters or more\)$/;
const GOOD = "ephemeral environment, rebuilt nightly";

const aksProps: AksClusterProps = {
  name: "aks-opt",
  resourceGroupName: "rg-opt",
  location: "westeurope",
  nodeSubnetId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
  apiServerAccess: { mode: "private" },
};
const spoke: HvnSpoke = { name: "aks", vnetId: "/subscriptions/x/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/vnet-aks", vnetName: "vnet-aks", resourceGroupName: "rg-aks", location: "westeurope", subscriptionId: GUID, tenantId: TENANT, addressRanges: ["10.20.0.0/16"] };
const hvnStub = { hvnId: "hvn-main", selfLink: "/link/hvn-main", cidrBlock: "172.25.16.0/20", region: "westeurope" };

/** Each opt-out prop: how to build a construct with the given opt-out, the field of its reason, and the name it is recorded as. */
const OPT_OUTS: { name: string; field: string; recordedAs: string; build: (optOut: unknown) => IConstruct }[] = [
  { name: "AksCluster allowDestroy", field: "allowDestroy.reason", recordedAs: "destroy", build: (o) => new AksCluster(stack(), "cluster", { ...aksProps, allowDestroy: o as any }) },
  { name: "AksCluster allowLocalAccounts", field: "allowLocalAccounts.reason", recordedAs: "localAccounts", build: (o) => new AksCluster(stack(), "cluster", { ...aksProps, allowLocalAccounts: o as any }) },
  { name: "HcpVaultCluster allowDestroy", field: "allowDestroy.reason", recordedAs: "destroy", build: (o) => new HcpVaultCluster(stack(), "vault", { clusterId: "vault-main", hvn: hvnStub, allowDestroy: o as any }) },
  {
    name: "HvnPeering hvn.allowDestroy",
    field: "hvn.allowDestroy.reason",
    recordedAs: "destroy",
    build: (o) => new HvnPeering(stack(), "hvn", { hvn: { mode: "create", hvnId: "hvn-main", region: "westeurope", cidrBlock: "172.25.16.0/20", allowDestroy: o as any }, spokes: [spoke] }),
  },
  {
    name: "SecretProviderClass provider.skipTlsVerify",
    field: "provider.skipTlsVerify.reason",
    recordedAs: "skipTlsVerify",
    build: (o) =>
      new SecretProviderClass(stack(), "spc", {
        name: "app-vault",
        namespace: "app",
        provider: { type: "vault", roleName: "app", vaultAddress: "https://vault.example:8200", skipTlsVerify: o as any, objects: [{ objectName: "password", secretPath: "secret/data/app" }] },
      }),
  },
  {
    name: "ClusterStack auth localAdmin",
    field: "auth.reason",
    recordedAs: "localAdmin",
    build: (o) => new ClusterStack(Testing.app(), "cluster", { cluster: { name: "aks-legacy", resourceGroupName: "rg-legacy" }, auth: { mode: "localAdmin", ...(o as object) } as any }),
  },
  {
    name: "VaultConfigStack allowKvDestroy",
    field: "allowKvDestroy.reason",
    recordedAs: "destroy",
    build: (o) => {
      const app = Testing.app();
      const vault = new HcpVaultCluster(new TerraformStack(app, "hcp"), "vault", { clusterId: "vault-main", hvn: hvnStub });
      return new VaultConfigStack(app, "vault-config", { vault, issuer: { oidcIssuerUrl: "https://issuer.example/" }, roles: [], allowKvDestroy: o as any });
    },
  },
];

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}

function metadataOf(c: IConstruct): Record<string, unknown> {
  return Object.fromEntries(c.node.metadata.filter((m) => m.type.startsWith(OPT_OUT_METADATA_PREFIX)).map((m) => [m.type, m.data]));
}

describe.each(OPT_OUTS)("$name", ({ field, recordedAs, build }) => {
  test.each([
    ["a short reason", "too short"],
    ["a blank reason", "            "],
    ["no reason", undefined],
    ["a reason that is not a string", 42],
  ])("is refused with %s: the shared rule, as a ValidationError (not a TypeError)", (_what, reason) => {
    expectProblem(() => build({ reason }), { field, rule: SHARED_RULE });
  });

  test("is recorded with its reason as aks-secrets:opt-out:NAME", () => {
    expect(metadataOf(build({ reason: GOOD }))).toEqual({ [`aks-secrets:opt-out:${recordedAs}`]: GOOD });
  });

  test("records nothing without the opt-out", () => {
    // ClusterStack: the default auth mode; the others: the prop left out.
    const c = recordedAs === "localAdmin" ? new ClusterStack(Testing.app(), "cluster", { cluster: { name: "aks-legacy", resourceGroupName: "rg-legacy" } }) : build(undefined);
    expect(metadataOf(c)).toEqual({});
  });
});

describe("opt-outs with their own wording use the shared check and length", () => {
  test("allowUnverifiedWiring: the wiring checks' wording, the shared length, recorded (trimmed) as aks-secrets:opt-out:unverifiedWiring", () => {
    expect(UNVERIFIED_WIRING_OPT_OUT).toBe("aks-secrets:opt-out:unverifiedWiring");
    expectProblem(() => allowUnverifiedWiring(stack(), { reason: "legacy" }), { field: "allowUnverifiedWiring.reason", rule: /^an opt-out of the wiring checks needs a written reason \(10 characters or more\): it is printed in the wiring report$/ });
    expectProblem(() => allowUnverifiedWiring(stack(), undefined as any), { field: "allowUnverifiedWiring.reason", rule: /^an opt-out of the wiring checks needs a written reason/ });
    const s = stack();
    allowUnverifiedWiring(s, { reason: `  ${GOOD}  ` });
    expect(metadataOf(s)).toEqual({ [UNVERIFIED_WIRING_OPT_OUT]: GOOD });
  });

  test("SecurityRules.suppress and declareAdminGrant: their wording, the shared length", () => {
    expectProblem(() => SecurityRules.suppress(stack(), [{ id: "AKSS-KV2", reason: "ok" }]), {
      field: "suppressions[0].reason",
      rule: /^a suppression needs a written reason \(10 characters or more\): it is printed in the security report$/,
    });
    expectProblem(() => SecurityRules.suppress(stack(), [{ id: "AKSS-KV2" } as any]), { field: "suppressions[0].reason", rule: /^a suppression needs a written reason/ });
    expectProblem(() => SecurityRules.declareAdminGrant(stack(), "ops"), {
      field: "declareAdminGrant.reason",
      rule: /^an admin grant needs a written reason \(10 characters or more\): it is printed in the security report$/,
    });
    expect(() => SecurityRules.declareAdminGrant(stack(), "x".repeat(MIN_REASON_LENGTH))).not.toThrow();
    expect(() => SecurityRules.declareAdminGrant(stack(), "x".repeat(MIN_REASON_LENGTH - 1))).toThrow(ValidationError);
  });
});

describe("checkOptOut and recordOptOut", () => {
  test("the length counts the trimmed reason; MIN_REASON_LENGTH characters are enough", () => {
    const problems = (reason: unknown) => {
      const v = new Validator(stack());
      checkOptOut(v, "x.reason", { reason } as any);
      return v.hasProblems;
    };
    expect(MIN_REASON_LENGTH).toBe(10);
    expect(problems("0123456789")).toBe(false);
    expect(problems(" 012345678 ")).toBe(true);
    expect(problems(["0123456789"])).toBe(true);
  });

  test("no opt-out: nothing to check, nothing recorded", () => {
    const s = stack();
    const v = new Validator(s);
    checkOptOut(v, "x.reason", undefined);
    recordOptOut(s, "x", undefined);
    expect(v.hasProblems).toBe(false);
    expect(s.node.metadata).toEqual([]);
  });

  test("what and note word the rule", () => {
    const s = stack();
    const v = new Validator(s);
    checkOptOut(v, "x.reason", { reason: "no" }, "an opt-out of X", "it is listed in Y");
    expect(() => v.throwIfAny()).toThrow(/\[test\] x\.reason: "no" — an opt-out of X needs a written reason \(10 characters or more\): it is listed in Y$/);
  });
});

describe("no hand-written copy of the opt-out check or record", () => {
  const files = sourceFiles(ROOT);
  /** The source without comments (TSDoc may mention the metadata and the rule). */
  const read = (f: string) =>
    fs
      .readFileSync(path.join(ROOT, f), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");

  test("the metadata prefix is written once, in validation.ts; nothing else adds opt-out metadata by hand", () => {
    const offenders = files.filter((f) => f !== "core/validation.ts" && /addMetadata\(\s*["'`]aks-secrets:opt-out:|=\s*["'`]aks-secrets:opt-out:/.test(read(f)));
    expect(offenders).toEqual([]);
  });

  test("the reason rule is worded once, in validation.ts", () => {
    const offenders = files.filter((f) => f !== "core/validation.ts" && /needs a written reason|\.trim\(\)\.length\s*>=\s*(10|MIN_REASON_LENGTH)/.test(read(f)));
    expect(offenders).toEqual([]);
  });
});

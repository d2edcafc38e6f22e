import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { constructsUnder, parseGoDuration, problemMessage, Rules, sweepRoot, ValidationError, validateTree, Validator } from "../../core/validation";
import { App } from "cdktf";
import { Construct } from "constructs";
import { checkCidrList, contains, isPrivate, overlaps, parseCidr } from "../../core/cidr";

describe("rules", () => {
  test.each([
    ["guid", "0f8fad5b-d9cb-469f-a165-70867728950e", true],
    ["guid", "0f8fad5bd9cb469fa16570867728950e", false],
    ["keyVaultName", "kv-prod-01", true],
    ["keyVaultName", "kv--prod", false],
    ["dns1123Label", "team-a", true],
    ["dns1123Label", "team.a", false],
    ["dns1123Subdomain", "team.a", true],
    ["dns1123Subdomain", "Team", false],
    ["aksClusterName", "aks_prod-1", true],
    ["aksClusterName", "aks_", false],
    ["federatedCredentialName", "ns-sa_1", true],
    ["federatedCredentialName", "_ns", false],
    ["resourceGroupName", "rg.prod(1)", true],
    ["resourceGroupName", "rg.", false],
  ] as const)("%s(%j) is %s", (rule, value, ok) => {
    expect(Rules[rule].test(value)).toBe(ok);
  });
});

describe("durations", () => {
  test.each([
    ["2m", 120],
    ["90s", 90],
    ["1h30m", 5400],
    ["500ms", 0.5],
    ["2", undefined],
    ["2 m", undefined],
    ["-1m", undefined],
  ])("%s -> %s seconds", (value, seconds) => {
    expect(parseGoDuration(value)).toBe(seconds);
  });
});

describe("CIDRs", () => {
  test("parses networks and refuses host bits, bad octets and prefixes", () => {
    expect(parseCidr("10.0.0.0/8")).toMatchObject({ start: 167772160, end: 184549375, prefix: 8 });
    expect(parseCidr("10.0.0.1/8")).toBeUndefined();
    expect(parseCidr("10.0.0.256/32")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("10.0.0.7")).toBeUndefined();
    expect(parseCidr("10.0.0.7", { allowBareAddress: true })).toMatchObject({ prefix: 32 });
  });
  test("overlap, containment and private ranges", () => {
    const a = parseCidr("10.0.0.0/16")!;
    const b = parseCidr("10.0.255.0/24")!;
    const c = parseCidr("10.1.0.0/16")!;
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(a, c)).toBe(false);
    expect(contains(a, b)).toBe(true);
    expect(contains(b, a)).toBe(false);
    expect(isPrivate(parseCidr("172.31.0.0/16")!)).toBe(true);
    expect(isPrivate(parseCidr("172.32.0.0/16")!)).toBe(false);
    expect(isPrivate(parseCidr("192.168.0.0/15")!)).toBe(false);
  });
  test("lists report each bad or overlapping entry by index", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const v = new Validator(stack);
    const parsed = checkCidrList(v, "ranges", ["10.0.0.0/16", "10.0.1.0/24", "nope"]);
    expect(parsed.map((p) => p.cidr)).toEqual(["10.0.0.0/16", "10.0.1.0/24"]);
    expect(() => v.throwIfAny()).toThrow(/ranges\[1\]: "10.0.1.0\/24" — overlaps 10.0.0.0\/16[\s\S]*ranges\[2\]: "nope"/);
  });
  test("tokens are not checked (their values are known only at apply time)", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const v = new Validator(stack).rule("x", "${TfToken[TOKEN.1]}", Rules.guid);
    expect(v.hasProblems).toBe(false);
  });
});

describe("validateTree", () => {
  test("collects deferred validations of every construct into one error", () => {
    const app = Testing.app();
    const a = new TerraformStack(app, "a");
    const b = new TerraformStack(app, "b");
    a.node.addValidation({ validate: () => [problemMessage("size", 3, "must be even")] });
    b.node.addValidation({ validate: () => ["a plain message from elsewhere"] });
    let err: ValidationError | undefined;
    try {
      validateTree(app);
    } catch (e) {
      err = e as ValidationError;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err!.problems).toEqual([
      { path: "a", field: "size", value: "3", rule: "must be even" },
      { path: "b", field: "(construct)", value: "-", rule: "a plain message from elsewhere" },
    ]);
  });
});

describe("the app command on invalid input", () => {
  test("prints the problem alone, exits 1 and writes no stack", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "invalid-app-"));
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, ["scripts/run-app.mjs", "test/fixtures/invalid-app.ts"], {
        cwd: path.resolve(__dirname, "../.."),
        env: { ...process.env, TEST_OUTDIR: outdir },
        stdio: "pipe",
      });
    } catch (e: any) {
      status = e.status;
      stderr = String(e.stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain('[second] replicas: 0 — must be at least 1');
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
    // cdktf's App creates its folder and an empty stacks/ folder when constructed: both are gone again.
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe("validateTree's sweep", () => {
  test("validations on the swept scope get the sweep's own list; below it, outside it and after it, a fresh walk", () => {
    const app = new App();
    const stack = new TerraformStack(app, "s");
    const seen: { at: string; root: string | undefined; same: boolean; paths: string[] }[] = [];
    let swept: readonly unknown[] = [];
    const watch = (c: Construct) =>
      c.node.addValidation({
        validate: () => {
          const list = constructsUnder(c);
          if (c === app) swept = list;
          seen.push({ at: c.node.path, root: sweepRoot()?.node.path, same: list === swept, paths: list.map((x) => x.node.path) });
          return [];
        },
      });
    watch(app);
    watch(stack);
    new Construct(stack, "child");
    validateTree(app);
    expect(seen.map((s) => [s.at, s.root, s.same])).toEqual([
      ["", "", true],
      ["s", "", false],
    ]);
    expect(seen[0].paths).toEqual(["", "s", "s/child"]);
    expect(seen[1].paths).toEqual(["s", "s/child"]);
    // After the sweep: no root, and a walk that sees what was added since.
    expect(sweepRoot()).toBeUndefined();
    new Construct(app, "later");
    expect(constructsUnder(app).map((x) => x.node.path)).toEqual(["", "s", "s/child", "later"]);
  });

  test("a validation that fails, or throws, still ends the sweep", () => {
    const app = new App();
    const stack = new TerraformStack(app, "s");
    stack.node.addValidation({ validate: () => ["broken"] });
    expect(() => validateTree(app)).toThrow(ValidationError);
    expect(sweepRoot()).toBeUndefined();
    stack.node.addValidation({
      validate: () => {
        throw new Error("a bug in a validation");
      },
    });
    expect(() => validateTree(app)).toThrow("a bug in a validation");
    expect(sweepRoot()).toBeUndefined();
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { envName, envVariables, loadConfig, s } from "../../app/config";
import { ValidationError } from "../../core/validation";

const schema = s.object({
  platform: s.object({
    location: s.string(),
    keyVaultName: s.string(),
    mode: s.string(["rbac", "accessPolicy"]),
    nodeCount: s.int(1, 10),
    private: s.boolean(),
    ranges: s.array(s.string()),
    workloads: s.array(s.object({ name: s.string(), secrets: s.array(s.string()) })),
  }),
});

function dir(config?: unknown): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "config-"));
  if (config !== undefined) fs.writeFileSync(path.join(d, "platform.config.json"), typeof config === "string" ? config : JSON.stringify(config));
  return d;
}

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).problems;
  }
  throw new Error("expected a ValidationError");
}

test("no file, no environment, no context: empty configuration (the defaults apply)", () => {
  expect(loadConfig(schema, { cwd: dir(), env: {} })).toEqual({});
});

test("layers: context, then file, then environment; objects merge, lists are replaced", () => {
  const cwd = dir({ platform: { location: "northeurope", ranges: ["10.0.0.0/8"], nodeCount: 2 } });
  const cfg = loadConfig(schema, {
    cwd,
    context: { platform: { location: "westus", keyVaultName: "kv-from-context" } },
    env: { AKS_SECRETS__PLATFORM__NODE_COUNT: "3", AKS_SECRETS__PLATFORM__RANGES: "203.0.113.0/24, 198.51.100.0/24", AKS_SECRETS__PLATFORM__PRIVATE: "false" },
  });
  expect(cfg).toEqual({
    platform: { location: "northeurope", keyVaultName: "kv-from-context", nodeCount: 3, ranges: ["203.0.113.0/24", "198.51.100.0/24"], private: false },
  });
});

test("PLATFORM_CONFIG names another file", () => {
  const cwd = dir();
  fs.writeFileSync(path.join(cwd, "prod.json"), JSON.stringify({ platform: { mode: "rbac" } }));
  expect(loadConfig(schema, { cwd, env: { PLATFORM_CONFIG: "prod.json" } })).toEqual({ platform: { mode: "rbac" } });
});

test("lists of objects come from the file or as JSON in the environment", () => {
  const cfg = loadConfig(schema, { cwd: dir(), env: { AKS_SECRETS__PLATFORM__WORKLOADS: '[{"name":"orders","secrets":["db"]}]' } });
  expect(cfg).toEqual({ platform: { workloads: [{ name: "orders", secrets: ["db"] }] } });
});

test("environment variable names follow the config path", () => {
  expect(envName(["platform", "keyVaultName"])).toBe("AKS_SECRETS__PLATFORM__KEY_VAULT_NAME");
  expect(envVariables(schema).map((v) => v.name)).toContain("AKS_SECRETS__PLATFORM__WORKLOADS");
});

test("bad configuration is reported with where, field, value and rule, all at once", () => {
  const cwd = dir({ platform: { locaton: "westeurope", mode: "open", nodeCount: 2.5, workloads: [{ name: 1, secrets: "db" }] } });
  const ps = problems(() => loadConfig(schema, { cwd, env: { AKS_SECRETS__PLATFORM__NODE_COUNT: "many", AKS_SECRETS__PLATFORM__LOCATON: "x" } }));
  const rows = ps.map((p) => [p.path, p.field, p.value]);
  expect(rows).toEqual(
    expect.arrayContaining([
      ["config file platform.config.json", "platform.locaton", '"westeurope"'],
      ["config file platform.config.json", "platform.mode", '"open"'],
      ["config file platform.config.json", "platform.nodeCount", "2.5"],
      ["config file platform.config.json", "platform.workloads[0].name", "1"],
      ["config file platform.config.json", "platform.workloads[0].secrets", '"db"'],
      ["environment AKS_SECRETS__PLATFORM__NODE_COUNT", "platform.nodeCount", '"many"'],
      ["environment", "AKS_SECRETS__PLATFORM__LOCATON", '"x"'],
    ]),
  );
  expect(ps).toHaveLength(7);
  expect(ps.find((p) => p.field === "platform.locaton")!.rule).toMatch(/not a known setting \(did you mean location\?\); known here: location, keyVaultName/);
  expect(ps.find((p) => p.field === "AKS_SECRETS__PLATFORM__LOCATON")!.rule).toMatch(/did you mean AKS_SECRETS__PLATFORM__LOCATION\?/);
  expect(ps.find((p) => p.field === "platform.mode")!.rule).toBe('must be one of "rbac", "accessPolicy"');
});

test("a file that is not JSON is reported as such", () => {
  const ps = problems(() => loadConfig(schema, { cwd: dir("{ platform: "), env: {} }));
  expect(ps[0]).toMatchObject({ path: "config file platform.config.json", field: "(file)" });
  expect(ps[0].rule).toMatch(/readable JSON/);
});

describe("required keys", () => {
  const withRequired = s.object({
    platform: s.object({
      location: s.string(),
      access: s.object({ mode: s.string(), ranges: s.array(s.string()) }, { required: ["mode"] }),
      workloads: s.array(s.object({ name: s.string(), secrets: s.array(s.object({ path: s.string(), key: s.string() }, { required: ["path"] })) }, { required: ["name", "secrets"] })),
    }),
    hvn: s.object({ id: s.string(), cidr: s.string(), project: s.string() }, { required: ["id", "cidr"] }),
  });

  test("an object merged from several layers needs no key in any one layer (platform has none required; access gets mode from the environment)", () => {
    const cwd = dir({ platform: { access: { ranges: ["203.0.113.0/24"] } } });
    const cfg = loadConfig(withRequired, { cwd, context: { platform: { location: "westeurope" } }, env: { AKS_SECRETS__PLATFORM__ACCESS__MODE: "authorizedIpRanges" } });
    expect(cfg).toEqual({ platform: { location: "westeurope", access: { ranges: ["203.0.113.0/24"], mode: "authorizedIpRanges" } } });
  });

  test("an object given whole by no layer is not required itself: absent objects are fine", () => {
    expect(loadConfig(withRequired, { cwd: dir({ platform: { location: "westeurope" } }), env: {} })).toEqual({ platform: { location: "westeurope" } });
  });

  test("a key missing after the merge is reported on the layers that gave the object, with the variable that would set it", () => {
    const ps = problems(() => loadConfig(withRequired, { cwd: dir({ hvn: { id: "hvn-shared" } }), env: {} }));
    expect(ps).toEqual([
      {
        path: "config file platform.config.json",
        field: "hvn.cidr",
        value: "(not set)",
        rule: "is required: hvn is set without it (it needs id and cidr); add cidr where the rest of hvn is, or set AKS_SECRETS__HVN__CIDR",
      },
    ]);
  });

  test("an object assembled from the file and the environment is complete when the layers together give every key", () => {
    const cfg = loadConfig(withRequired, { cwd: dir({ hvn: { id: "hvn-shared" } }), env: { AKS_SECRETS__HVN__CIDR: "172.25.16.0/20" } });
    expect(cfg).toEqual({ hvn: { id: "hvn-shared", cidr: "172.25.16.0/20" } });
  });

  test("when several layers gave parts of the object, the problem names them all", () => {
    const ps = problems(() => loadConfig(withRequired, { cwd: dir({ hvn: { project: "p" } }), context: { hvn: { project: "q" } }, env: { AKS_SECRETS__HVN__ID: "hvn-shared" } }));
    expect(ps.map((p) => [p.path, p.field])).toEqual([["cdktf context `config` + config file platform.config.json + environment AKS_SECRETS__HVN__ID", "hvn.cidr"]]);
  });

  test("list items are given whole by one layer (lists replace, not merge): their keys are required in that layer", () => {
    const ps = problems(() =>
      loadConfig(withRequired, {
        cwd: dir({ platform: { workloads: [{ name: "api", secrets: [{ key: "password" }] }, { secrets: [] }] } }),
        env: { AKS_SECRETS__PLATFORM__WORKLOADS: '[{"secrets":[]}]' },
      }),
    );
    expect(ps.map((p) => [p.path, p.field, p.value, p.rule])).toEqual([
      ["config file platform.config.json", "platform.workloads[0].secrets[0].path", "(not set)", "is required: every item of platform.workloads[0].secrets needs path"],
      ["config file platform.config.json", "platform.workloads[1].name", "(not set)", "is required: every item of platform.workloads needs name, secrets"],
      ["environment AKS_SECRETS__PLATFORM__WORKLOADS", "platform.workloads[0].name", "(not set)", "is required: every item of platform.workloads needs name, secrets"],
    ]);
  });

  test("a required key that is not a field of the object is a schema error", () => {
    expect(() => s.object({ name: s.string() }, { required: ["nmae"] })).toThrow(/required keys nmae are not fields/);
  });
});

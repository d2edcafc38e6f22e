import { Testing, TerraformStack } from "cdktf";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ValidationError } from "../core/validation";

/** A synthesized stack's Terraform JSON. */
export type TfJson = {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  provider?: Record<string, any>;
  terraform?: any;
};

/**
 * Builds a stack with `build` (in a stack that has an azurerm provider, as a real stack would),
 * synthesizes it with validations on, and returns the parsed JSON.
 */
export function synth(build: (stack: TerraformStack) => void): TfJson {
  const stack = scope();
  build(stack);
  return JSON.parse(Testing.synth(stack, true));
}

/** The resources of one type, keyed by logical id. */
export function resources(tf: TfJson, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** The only resource of a type (fails when there is not exactly one). */
export function only(tf: TfJson, type: string): any {
  const all = Object.values(resources(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * Runs `fn`, expects a ValidationError, and returns its problems. Asserts that the message
 * names the construct path, the field and the value, which every validation must do.
 */
export function expectProblems(fn: () => unknown): ValidationError["problems"] {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const ve = error as ValidationError;
  for (const p of ve.problems) {
    expect(ve.message).toContain(`[${p.path}]`);
    expect(ve.message).toContain(`${p.field}:`);
    expect(ve.message).toContain(p.value);
    expect(p.rule.length).toBeGreaterThan(10);
  }
  return ve.problems;
}

/** Expects exactly one problem on `field` at `path` whose rule matches `rule`. */
export function expectProblem(fn: () => unknown, expected: { path?: string; field: string; value?: string; rule: RegExp }): void {
  const problems = expectProblems(fn);
  const match = problems.filter((p) => p.field === expected.field);
  expect(match.map((p) => p.field)).toEqual([expected.field]);
  if (expected.path) expect(match[0].path).toBe(expected.path);
  if (expected.value !== undefined) expect(match[0].value).toBe(JSON.stringify(expected.value));
  expect(match[0].rule).toMatch(expected.rule);
}

/** A fresh stack `test` with an azurerm provider, to put constructs in. */
export function scope(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  return stack;
}

/** The CRD conformance check against the vendored upstream schemas (scripts/check-manifests.mjs, vendor/crds/). */
export const CONFORMANCE = path.resolve(__dirname, "../scripts/check-manifests.mjs");

/** A fresh stack `test` with the azurerm and kubernetes providers, as a cluster stack has. */
export function kubernetesScope(): TerraformStack {
  const stack = scope();
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

/**
 * Runs the real app command (what `cdktf synth` runs) in `cwd`, after writing `config` there as
 * `platform.config.json`, with only PATH, HOME and `env` in its environment.
 */
export function runAppCommand(cwd: string, opts: { config?: unknown; env?: Record<string, string> } = {}): { status: number; stderr: string } {
  if (opts.config !== undefined) fs.writeFileSync(path.join(cwd, "platform.config.json"), JSON.stringify(opts.config));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env };
  try {
    execFileSync(process.execPath, [path.resolve(__dirname, "../scripts/run-app.mjs")], { cwd, env, stdio: "pipe" });
    return { status: 0, stderr: "" };
  } catch (e: any) {
    return { status: e.status, stderr: String(e.stderr) };
  }
}

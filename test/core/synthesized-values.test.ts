// The check over every synthesized stack: no string a library construct synthesizes holds
// `undefined`, `null`, `NaN` or `[object Object]` where a value belongs.
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { App, TerraformStack, Testing } from "cdktf";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KeyVault } from "../../constructs/azure/key-vault";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { validateTree, ValidationError } from "../../core/validation";
import { validateAndSynth } from "../../core/synth";
import { synthesizedValueProblems } from "../../core/synthesized-values";
import { expectProblems, kubernetesScope, scope } from "../helpers";

const TENANT = "11111111-2222-3333-4444-555555555555";
const vaultProps = { name: "kv-values-01", resourceGroupName: "rg-values", location: "westeurope", tenantId: TENANT };

describe("a value that was never set does not reach the configuration", () => {
  test.each([
    ["undefined", `kv-${undefined}`],
    ["null", `kv-${null}`],
    ["NaN", `kv-${Number("x")}`],
    ["[object Object]", `kv-${{}}`],
  ])("%s in a string a construct synthesizes fails synth, naming the attribute and the construct", (word, broken) => {
    const stack = scope();
    const vault = new KeyVault(stack, "vault", vaultProps);
    vault.resource.addOverride("name", broken);
    const problems = expectProblems(() => Testing.synth(stack));
    expect(problems).toEqual([
      {
        path: "test",
        field: expect.stringMatching(/^azurerm_key_vault\.vault_[A-Z0-9]+\.name$/),
        value: JSON.stringify(broken),
        rule: expect.stringMatching(new RegExp(`^holds "${word.replace(/[[\]]/g, "\\$&")}" where a value belongs \\(made by test/vault/vault\\)`)),
      },
    ]);
  });

  test("it runs in every synth: Testing.synth with validations and app.synth refuse the stack too, with a ValidationError", () => {
    const stack = scope();
    new KeyVault(stack, "vault", vaultProps).resource.addOverride("name", `kv-${undefined}`);
    expect(() => Testing.synth(stack, true)).toThrow(ValidationError);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "values-")) });
    const s = new TerraformStack(app, "s");
    new AzurermProvider(s, "azurerm", { features: [{}] });
    new KeyVault(s, "vault", vaultProps).resource.addOverride("tags", { owner: `${undefined}` });
    expect(() => app.synth()).toThrow(/holds "undefined" where a value belongs/);
    expect(fs.existsSync(path.join(app.outdir, "stacks", "s", "cdk.tf.json"))).toBe(false);
  });

  test("a word the user wrote in a prop is theirs: a namespace called null synthesizes", () => {
    const stack = kubernetesScope();
    new WorkloadServiceAccount(stack, "sa", { identity: { clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" }, namespace: "null", name: "undefined" });
    expect(synthesizedValueProblems(stack)).toEqual([]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test("resources made with bare bindings outside the library's constructs are the user's: not checked", () => {
    const stack = scope();
    new KeyVault(stack, "vault", vaultProps);
    new ResourceGroup(stack, "rg", { name: "rg-null", location: "westeurope", tags: { note: "null" } });
    expect(synthesizedValueProblems(stack)).toEqual([]);
  });

  test("the default app holds none", () => {
    const app = Testing.app();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildDefaultApp } = require("../../app/default-app");
    buildDefaultApp(app, {});
    const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
    expect(stacks.length).toBeGreaterThan(3);
    for (const s of stacks) expect([s.node.path, synthesizedValueProblems(s)]).toEqual([s.node.path, []]);
    expect(() => validateTree(app)).not.toThrow(ValidationError);
  });

  test("validateAndSynth: a later stack refused as it renders leaves no earlier stack behind, and exits 1 with the message", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "values-")) });
    const first = new TerraformStack(app, "a-first");
    new AzurermProvider(first, "azurerm", { features: [{}] });
    new KeyVault(first, "vault", vaultProps);
    const second = new TerraformStack(app, "b-second");
    new AzurermProvider(second, "azurerm", { features: [{}] });
    new KeyVault(second, "vault", { ...vaultProps, name: "kv-values-02" }).resource.addOverride("name", `kv-${undefined}`);
    const exit = jest.spyOn(process, "exit").mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(() => validateAndSynth(app)).toThrow("exit 1");
      expect(String(stderr.mock.calls[0][0])).toMatch(/\[b-second\] azurerm_key_vault\.\S+\.name: "kv-undefined" — holds "undefined" where a value belongs/);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
    expect(fs.existsSync(path.join(app.outdir, "stacks", "a-first", "cdk.tf.json"))).toBe(false);
  });
});

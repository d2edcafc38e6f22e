// The check over every synthesized stack: no string a library construct synthesizes holds
// `undefined`, `null`, `NaN` or `[object Object]` where a value belongs.
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { App, TerraformStack, Testing } from "cdktf";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KeyVault } from "../../constructs/azure/key-vault";
import { WorkloadServiceAccount } from "../../constructs/kubernetes/workload-service-account";
import { validateTree, ValidationError } from "../../core/validation";
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
  ])("%s in a string a construct synthesizes fails validation, naming the attribute and the construct", (word, broken) => {
    const stack = scope();
    const vault = new KeyVault(stack, "vault", vaultProps);
    vault.resource.addOverride("name", broken);
    const problems = expectProblems(() => validateTree(stack.node.root));
    expect(problems).toEqual([
      {
        path: "test",
        field: expect.stringMatching(/^azurerm_key_vault\.vault_[A-Z0-9]+\.name$/),
        value: JSON.stringify(broken),
        rule: expect.stringMatching(new RegExp(`^holds "${word.replace(/[[\]]/g, "\\$&")}" where a value belongs \\(made by test/vault/vault\\)`)),
      },
    ]);
  });

  test("it runs in every synth: Testing.synth with validations and app.synth refuse the stack too", () => {
    const stack = scope();
    new KeyVault(stack, "vault", vaultProps).resource.addOverride("name", `kv-${undefined}`);
    expect(() => Testing.synth(stack, true)).toThrow(/where a value belongs/);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "values-")) });
    const s = new TerraformStack(app, "s");
    new KeyVault(s, "vault", vaultProps).resource.addOverride("tags", { owner: `${undefined}` });
    expect(() => app.synth()).toThrow(/where a value belongs/);
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
});

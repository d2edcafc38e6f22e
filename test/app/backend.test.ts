import fs from "node:fs";
import path from "node:path";
import { App, Testing, TerraformOutput, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { backendSettingsFromEnv, configureBackends } from "../../app/backend";
import { expectProblem, expectProblems } from "../helpers";

/** Synthesizes the whole app (cross-stack references are resolved only then) and reads one stack. */
function synthApp(app: App): (stack: string) => any {
  app.synth();
  return (stack) => JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

/** Two stacks, the second reading an attribute of the first (a cross-stack reference). */
function twoStacks(app: App) {
  const producer = new TerraformStack(app, "producer");
  new AzurermProvider(producer, "azurerm", { features: [{}] });
  const rg = new ResourceGroup(producer, "rg", { name: "rg", location: "westeurope" });
  const consumer = new TerraformStack(app, "consumer");
  new TerraformOutput(consumer, "rg-id", { value: rg.id });
  return { producer, consumer };
}

describe("backendSettingsFromEnv", () => {
  test("reads the four variables, ignoring blanks", () => {
    expect(backendSettingsFromEnv({ TFC_ORGANIZATION: "acme", TFC_WORKSPACE_PREFIX: "aks-", TFC_PROJECT: "platform", TFC_HOSTNAME: " " })).toEqual({
      organization: "acme",
      workspacePrefix: "aks-",
      project: "platform",
      hostname: undefined,
    });
  });
});

describe("configureBackends", () => {
  test("with an organization, every stack gets a cloud block with its own named workspace", () => {
    const app = Testing.app();
    twoStacks(app);
    configureBackends(app, { organization: "acme", workspacePrefix: "aks-", project: "platform", hostname: "tfe.example.com" });
    const read = synthApp(app);
    const p = read("producer");
    const c = read("consumer");
    expect(p.terraform.cloud).toEqual({ organization: "acme", hostname: "tfe.example.com", workspaces: { name: "aks-producer", project: "platform" } });
    expect(c.terraform.cloud).toEqual({ organization: "acme", hostname: "tfe.example.com", workspaces: { name: "aks-consumer", project: "platform" } });
    // The cross-stack reference reads the producer's workspace.
    const remote = Object.values(c.data.terraform_remote_state) as any[];
    expect(remote).toHaveLength(1);
    expect(remote[0].backend).toBe("remote");
    expect(remote[0].config).toMatchObject({ organization: "acme", hostname: "tfe.example.com", workspaces: { name: "aks-producer" } });
  });

  test("without an organization, state stays local", () => {
    const app = Testing.app();
    twoStacks(app);
    configureBackends(app, {});
    const read = synthApp(app);
    expect(read("producer").terraform.backend).toEqual({ local: { path: expect.stringContaining("terraform.producer.tfstate") } });
    const c = read("consumer");
    expect(c.terraform.cloud).toBeUndefined();
    expect((Object.values(c.data.terraform_remote_state)[0] as any).backend).toBe("local");
  });

  test("a prefix that makes an invalid workspace name is rejected", () => {
    const app = Testing.app();
    twoStacks(app);
    const problems = expectProblems(() => configureBackends(app, { organization: "acme", workspacePrefix: "aks/" }));
    expect(problems.map((p) => [p.field, p.value])).toEqual([
      ["TFC_WORKSPACE_PREFIX", '"aks/"'],
      ["TFC_WORKSPACE_PREFIX", '"aks/"'],
    ]);
    expect(problems[0].rule).toMatch(/workspace name "aks\/producer" for stack producer: workspace names are/);
    // Reported on the variable it comes from (the app's own path is ""), like AKS_SECRETS__* variables.
    expect(problems.map((p) => p.path)).toEqual(["environment TFC_WORKSPACE_PREFIX", "environment TFC_WORKSPACE_PREFIX"]);
  });

  test("an invalid organization is rejected", () => {
    const app = Testing.app();
    twoStacks(app);
    expectProblem(() => configureBackends(app, { organization: "acme corp" }), { path: "environment TFC_ORGANIZATION", field: "TFC_ORGANIZATION", value: "acme corp", rule: /organization names/ });
  });

  test.each([
    ["a scheme", "https://app.terraform.io"],
    ["a path", "tfe.example.com/app"],
    ["a space", "tfe example.com"],
    ["an empty label", "tfe..example.com"],
    ["a port out of range", "tfe.example.com:70000"],
  ])("a hostname with %s is rejected", (_what, hostname) => {
    const app = Testing.app();
    twoStacks(app);
    expectProblem(() => configureBackends(app, { organization: "acme", hostname }), { path: "environment TFC_HOSTNAME", field: "TFC_HOSTNAME", value: hostname, rule: /must be a host name such as app\.terraform\.io/ });
  });

  test.each([
    ["a slash", "platform/prod"],
    ["two characters", "ab"],
    ["a leading space", " platform"],
    ["41 characters", "p".repeat(41)],
  ])("a project name with %s is rejected", (_what, project) => {
    const app = Testing.app();
    twoStacks(app);
    expectProblem(() => configureBackends(app, { organization: "acme", project }), { path: "environment TFC_PROJECT", field: "TFC_PROJECT", value: project, rule: /Terraform Cloud project name: 3-40 letters, digits, spaces/ });
  });

  test("host names with a port and project names with spaces are accepted", () => {
    const app = Testing.app();
    twoStacks(app);
    configureBackends(app, { organization: "acme", hostname: "tfe.internal.example:8443", project: "Default Project" });
    expect(synthApp(app)("producer").terraform.cloud).toEqual({ organization: "acme", hostname: "tfe.internal.example:8443", workspaces: { name: "producer", project: "Default Project" } });
  });
});

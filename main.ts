// The default app. `npx cdktf synth` runs it through scripts/run-app.mjs (see cdktf.json).
// Configuration: platform.config.json, cdktf context `config`, AKS_SECRETS__* and TFC_* variables.
import { App } from "cdktf";
import { ValidationError } from "./core/validation";
import { exitWithProblems, validateAndSynth } from "./core/synth";
import { loadDefaultAppConfig } from "./app/app-config";
import { buildDefaultApp } from "./app/default-app";

const app = new App();
try {
  const config = loadDefaultAppConfig({ context: app.node.tryGetContext("config") });
  buildDefaultApp(app, config);
  if (config.backend?.organization) {
    // With TFC_ORGANIZATION: the stack that creates the workspaces, their trust and credentials
    // (`cdktf deploy tfc-bootstrap` once, from a workstation). Loaded only then: it needs the
    // optional @cdktf/provider-tfe.
    const { TerraformCloudBootstrapStack } = require("./app/terraform-cloud-bootstrap") as typeof import("./app/terraform-cloud-bootstrap");
    new TerraformCloudBootstrapStack(app, "tfc-bootstrap", { backend: config.backend });
  }
} catch (e) {
  // Bad configuration or props: the message names where, which field, the value and the rule.
  if (!(e instanceof ValidationError)) throw e;
  exitWithProblems(app, e);
}
validateAndSynth(app);

// The default app. `npx cdktf synth` runs it through scripts/run-app.mjs (see cdktf.json).
// Configuration: platform.config.json, cdktf context `config`, AKS_SECRETS__* and TFC_* variables.
import { App } from "cdktf";
import { ValidationError } from "./core/validation";
import { exitWithProblems, validateAndSynth } from "./core/synth";
import { loadDefaultAppConfig } from "./app/app-config";
import { buildDefaultApp } from "./app/default-app";

const app = new App();
try {
  buildDefaultApp(app, loadDefaultAppConfig({ context: app.node.tryGetContext("config") }));
} catch (e) {
  // Bad configuration or props: the message names where, which field, the value and the rule.
  if (!(e instanceof ValidationError)) throw e;
  exitWithProblems(app, e);
}
validateAndSynth(app);

// The default app. `npx cdktf synth` runs it through scripts/run-app.mjs (see cdktf.json).
import { App } from "cdktf";
import { validateAndSynth } from "./constructs/validation";
import { buildDefaultApp } from "./stacks/default-app";

const app = new App();
buildDefaultApp(app);
validateAndSynth(app);

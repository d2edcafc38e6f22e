// The default app: synthesizes the platform with defaults that need no credentials.
// `npx cdktf synth` runs it (see cdktf.json); `npx cdktf deploy '*'` deploys it.
import { App } from "cdktf";
import { validateAndSynth } from "./constructs/validation";
import { PlatformStack } from "./stacks/platform-stack";

const app = new App();
new PlatformStack(app, "platform");
validateAndSynth(app);

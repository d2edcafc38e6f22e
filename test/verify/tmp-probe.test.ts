import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { validateTree } from "../../core/validation";
import { buildDefaultApp } from "../../app/default-app";
import { checkProviderSchemas, formatSchemaProblems } from "../../verify/provider-schema";
test("probe", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-"));
  const app = new App({ outdir, context: { azurermMajor: process.env.MAJOR ? Number(process.env.MAJOR) : 4 } });
  buildDefaultApp(app, { platform: { tenantId: "11111111-2222-3333-4444-555555555555" } });
  validateTree(app);
  app.synth();
  const r = checkProviderSchemas(outdir);
  console.log(r.checked, r.unchecked, r.blocks, "\n" + formatSchemaProblems(r.problems));
  const p = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/platform/cdk.tf.json"), "utf8"));
  console.log(JSON.stringify(p.terraform.required_providers), JSON.stringify(p.provider), JSON.stringify(p.resource.azurerm_subnet), JSON.stringify(p.resource.time_sleep));
});

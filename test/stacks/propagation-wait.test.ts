// Issue 11: no first deploy that a re-run fixes. The platform stack waits for the deployer's
// grants to propagate before it completes; the cluster stacks deploy after it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "cdktf";
import { buildDefaultApp } from "../../app/default-app";
import { RBAC_PROPAGATION_WAIT } from "../../stacks/platform-stack";
import { validateTree } from "../../core/validation";

const TENANT = "11111111-2222-3333-4444-555555555555";

function synth(config: Parameters<typeof buildDefaultApp>[1]) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "wait-"));
  const app = new App({ outdir });
  buildDefaultApp(app, config);
  validateTree(app);
  app.synth();
  const read = (s: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  return { platform: read("platform"), manifest: JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) };
}

describe("the deployer's grants propagate before anything uses them", () => {
  test("time_sleep after the cluster-admin assignment (access-policy vault: that grant needs no wait), re-run when it is replaced", () => {
    const { platform, manifest } = synth({ platform: { tenantId: TENANT, keyVaultAuthorization: "accessPolicy" } });
    expect(RBAC_PROPAGATION_WAIT).toBe("5m");
    expect(platform.resource.time_sleep).toEqual({
      "deployer-cluster-admin-propagation": expect.objectContaining({
        create_duration: "5m",
        depends_on: ["azurerm_role_assignment.deployer-cluster-admin"],
        triggers: { role_assignment_id: "${azurerm_role_assignment.deployer-cluster-admin.id}" },
      }),
    });
    expect(platform.terraform.required_providers.time).toEqual({ source: "hashicorp/time", version: "0.14.0" });
    // the stacks that use the cluster-admin role deploy after the stack that waits for it
    expect(manifest.stacks.cluster.dependencies).toContain("platform");
    expect(manifest.stacks["cluster-vault"].dependencies).toContain("platform");
  });

  test("with an rbac vault the deployer's secret-write assignment is waited for too (step 4 writes the values next)", () => {
    const { platform } = synth({ platform: { tenantId: TENANT, keyVaultAuthorization: "rbac" } });
    const sleep = platform.resource.time_sleep["deployer-cluster-admin-propagation"];
    // The deployer's write grant (a custom role that may only set secret values, issue 14).
    const writer = Object.keys(platform.resource.azurerm_role_assignment).find((k) => k.startsWith("keyvault_write-platform-current"))!;
    expect(sleep.depends_on).toEqual(["azurerm_role_assignment.deployer-cluster-admin", `azurerm_role_assignment.${writer}`]);
    expect(sleep.triggers.secret_writer_role_assignment_id).toBe(`\${azurerm_role_assignment.${writer}.id}`);
  });

  test("no deployer access: no grant, no wait, no time provider", () => {
    const { platform } = synth({ platform: { tenantId: TENANT, deployerAccess: false } });
    expect(platform.resource.time_sleep).toBeUndefined();
    expect(platform.terraform.required_providers.time).toBeUndefined();
  });
});

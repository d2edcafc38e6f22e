import { CloudBackend, NamedCloudWorkspace, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Validator } from "../constructs/validation";

/** Where each stack keeps its state. */
export interface BackendSettings {
  /** Terraform Cloud / HCP Terraform organization. Unset: state stays local (`terraform.STACK.tfstate`). */
  readonly organization?: string;
  /** Prefix of each stack's workspace name. @default "" (the workspace is named after the stack) */
  readonly workspacePrefix?: string;
  /** Terraform Cloud project of the workspaces. @default the organization's default project */
  readonly project?: string;
  /** Terraform Cloud host. @default "app.terraform.io" */
  readonly hostname?: string;
}

/** Reads {@link BackendSettings} from `TFC_ORGANIZATION`, `TFC_WORKSPACE_PREFIX`, `TFC_PROJECT`, `TFC_HOSTNAME`. */
export function backendSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BackendSettings {
  const read = (k: string) => (env[k]?.trim() ? env[k]!.trim() : undefined);
  return {
    organization: read("TFC_ORGANIZATION"),
    workspacePrefix: read("TFC_WORKSPACE_PREFIX"),
    project: read("TFC_PROJECT"),
    hostname: read("TFC_HOSTNAME"),
  };
}

/** The workspace a stack maps to: prefix + stack id. */
export function workspaceName(stack: TerraformStack, settings: BackendSettings): string {
  return `${settings.workspacePrefix ?? ""}${stack.node.id}`;
}

/**
 * Gives every stack under `scope` a `cloud` block with a workspace of its own, named from the
 * prefix and the stack id, when an organization is set; otherwise leaves state local.
 * One named workspace per stack is what cdktf's cross-stack references need: they read the
 * producing stack's outputs from its workspace, which does not work with tagged workspaces.
 * Call it once, after all stacks exist and before synthesis.
 */
export function configureBackends(scope: Construct, settings: BackendSettings): void {
  if (!settings.organization) return;
  const stacks = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  const v = new Validator(scope);
  v.check(/^[A-Za-z0-9_-]+$/.test(settings.organization), "TFC_ORGANIZATION", settings.organization, "Terraform Cloud organization names are letters, digits, '_' and '-'");
  const names = new Map<string, string>();
  for (const stack of stacks) {
    const name = workspaceName(stack, settings);
    v.check(/^[A-Za-z0-9_-]{1,90}$/.test(name), "TFC_WORKSPACE_PREFIX", settings.workspacePrefix, `gives workspace name "${name}" for stack ${stack.node.path}: workspace names are 1-90 letters, digits, '_' and '-'`);
    const clash = names.get(name);
    if (clash) v.fail("TFC_WORKSPACE_PREFIX", settings.workspacePrefix, `stacks ${clash} and ${stack.node.path} would share workspace "${name}": one workspace per stack`);
    names.set(name, stack.node.path);
  }
  v.throwIfAny();
  for (const stack of stacks) {
    new CloudBackend(stack, {
      organization: settings.organization,
      hostname: settings.hostname,
      workspaces: new NamedCloudWorkspace(workspaceName(stack, settings), settings.project),
    });
  }
}

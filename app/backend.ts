import { CloudBackend, NamedCloudWorkspace, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { show, ValidationError, ValidationProblem } from "../core/validation";

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

/**
 * The platform stack's variable that lists the cluster workspaces' principals, set by the
 * Terraform Cloud bootstrap on the platform workspace (`PlatformStack` `clusterOperatorsVariable`).
 */
export const TFC_CLUSTER_PRINCIPALS_VARIABLE = "tfc_cluster_principal_ids";

const BOOTSTRAP_STACKS = new WeakSet<TerraformStack>();

/** Marks a stack that creates the workspaces (its state stays local): {@link configureBackends} leaves it alone. */
export function markBootstrapStack(stack: TerraformStack): void {
  BOOTSTRAP_STACKS.add(stack);
}

/** True for a stack marked with {@link markBootstrapStack}. */
export function isBootstrapStack(stack: TerraformStack): boolean {
  return BOOTSTRAP_STACKS.has(stack);
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
  // A bootstrap stack creates the workspaces: its own state stays local.
  const stacks = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c) && !isBootstrapStack(c));
  // The settings are app-wide (not a construct's): each problem names the variable it comes from,
  // as the configuration loader does for AKS_SECRETS__* variables.
  const problems: ValidationProblem[] = [];
  function backendProblem(field: string, value: unknown, rule: string): void {
    problems.push({ path: `environment ${field}`, field, value: show(value), rule });
  }
  if (!/^[A-Za-z0-9_-]+$/.test(settings.organization)) backendProblem("TFC_ORGANIZATION", settings.organization, "Terraform Cloud organization names are letters, digits, '_' and '-'");
  if (settings.hostname !== undefined && !isHostname(settings.hostname)) {
    backendProblem("TFC_HOSTNAME", settings.hostname, "must be a host name such as app.terraform.io or tfe.example.com (optionally with :PORT): no scheme (https://), path or spaces");
  }
  if (settings.project !== undefined && !/^[A-Za-z0-9_-][A-Za-z0-9_ -]{1,38}[A-Za-z0-9_-]$/.test(settings.project)) {
    backendProblem("TFC_PROJECT", settings.project, "must be a Terraform Cloud project name: 3-40 letters, digits, spaces, '-' and '_', not starting or ending with a space");
  }
  const names = new Map<string, string>();
  for (const stack of stacks) {
    const name = workspaceName(stack, settings);
    if (!/^[A-Za-z0-9_-]{1,90}$/.test(name)) {
      backendProblem("TFC_WORKSPACE_PREFIX", settings.workspacePrefix, `gives workspace name "${name}" for stack ${stack.node.path}: workspace names are 1-90 letters, digits, '_' and '-'`);
    }
    const clash = names.get(name);
    if (clash) backendProblem("TFC_WORKSPACE_PREFIX", settings.workspacePrefix, `stacks ${clash} and ${stack.node.path} would share workspace "${name}": one workspace per stack`);
    names.set(name, stack.node.path);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  for (const stack of stacks) {
    new CloudBackend(stack, {
      organization: settings.organization,
      hostname: settings.hostname,
      workspaces: new NamedCloudWorkspace(workspaceName(stack, settings), settings.project),
    });
  }
}

/** A DNS host name (labels of letters, digits and '-'), optionally with a port. */
function isHostname(value: string): boolean {
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m || m[1].length > 253 || (m[2] !== undefined && Number(m[2]) > 65535)) return false;
  return m[1].split(".").every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

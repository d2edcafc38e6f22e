import { JwtAuthBackend } from "@cdktf/provider-vault/lib/jwt-auth-backend";
import { JwtAuthBackendRole } from "@cdktf/provider-vault/lib/jwt-auth-backend-role";
import { Policy } from "@cdktf/provider-vault/lib/policy";
import { Construct } from "constructs";
import { Validator } from "../../core/validation";
import { TFC_DEFAULT_PROJECT, TFC_VAULT_AUDIENCE, TFC_VAULT_AUTH_PATH, tfcIssuer, tfcVaultRole, TfcWorkspaceAddress } from "./run-subject";

export interface TfcVaultRunTrustProps {
  /** The workspace whose runs manage this Vault (the vault-config stack's). */
  readonly workspace: TfcWorkspaceAddress;
  /** The HCP Terraform host. @default "app.terraform.io" */
  readonly hostname?: string;
  /** Mount path of the JWT auth method the runs log in with (`TFC_VAULT_AUTH_PATH`). @default "tfc" */
  readonly authPath?: string;
  /** Role name (`TFC_VAULT_RUN_ROLE`). @default "tfc-<workspace>" */
  readonly role?: string;
  /** What the stack's runs manage: auth mounts (their config and roles) and secret engine mounts. Only these paths are granted. */
  readonly manages: { readonly authMounts: readonly string[]; readonly secretMounts: readonly string[] };
}

/**
 * Vault dynamic provider credentials for one HCP Terraform workspace: a JWT auth method trusting
 * the HCP Terraform issuer, a role bound to exactly that workspace's runs (`sub` of the
 * organization, project and workspace, any run phase; audience `vault.workload.identity`), and a
 * policy granting what its stack manages (the named auth and secret mounts, ACL policies, a child
 * token) and nothing else: no secret data. The workspace sets TFC_VAULT_PROVIDER_AUTH,
 * TFC_VAULT_ADDR, TFC_VAULT_NAMESPACE, TFC_VAULT_AUTH_PATH and TFC_VAULT_RUN_ROLE
 * (`TerraformCloudBootstrapStack` does). The stack that holds it is applied once with an admin
 * token (the trust cannot exist before its Vault does); every later run logs in with it.
 */
export class TfcVaultRunTrust extends Construct {
  readonly backend: JwtAuthBackend;
  readonly role: JwtAuthBackendRole;
  readonly policy: Policy;
  readonly authPath: string;
  readonly roleName: string;
  /** The subject pattern the role accepts (a glob). */
  readonly boundSubject: string;

  constructor(scope: Construct, id: string, props: TfcVaultRunTrustProps) {
    super(scope, id);
    const v = new Validator(this);
    v.check(typeof props?.workspace?.workspace === "string" && typeof props.workspace.organization === "string", "workspace", props?.workspace, "must name the organization and workspace whose runs log in");
    v.check(Array.isArray(props?.manages?.authMounts) && Array.isArray(props?.manages?.secretMounts), "manages", props?.manages, "must list the auth mounts and secret mounts the stack manages (the policy grants only those)");
    v.throwIfAny();
    const ws = props.workspace;
    this.authPath = props.authPath ?? TFC_VAULT_AUTH_PATH;
    this.roleName = props.role ?? tfcVaultRole(ws.workspace);
    this.boundSubject = `organization:${ws.organization}:project:${ws.project ?? TFC_DEFAULT_PROJECT}:workspace:${ws.workspace}:run_phase:*`;
    const issuer = tfcIssuer(props.hostname);
    this.backend = new JwtAuthBackend(this, "backend", { path: this.authPath, type: "jwt", oidcDiscoveryUrl: issuer, boundIssuer: issuer, description: "HCP Terraform runs (dynamic provider credentials)" });
    const auths = [...new Set([...props.manages.authMounts, this.authPath])];
    const rules = [
      ...auths.flatMap((m) => [`path "sys/auth/${m}" {\n  capabilities = ["create", "read", "update", "delete", "sudo"]\n}`, `path "auth/${m}/*" {\n  capabilities = ["create", "read", "update", "delete", "list"]\n}`]),
      ...props.manages.secretMounts.map((m) => `path "sys/mounts/${m}" {\n  capabilities = ["create", "read", "update", "delete", "sudo"]\n}`),
      `path "sys/mounts" {\n  capabilities = ["read"]\n}`,
      `path "sys/auth" {\n  capabilities = ["read"]\n}`,
      `path "sys/policies/acl/*" {\n  capabilities = ["create", "read", "update", "delete", "list"]\n}`,
      // The vault provider works with a child token of the run's.
      `path "auth/token/create" {\n  capabilities = ["update"]\n}`,
      `path "auth/token/lookup-self" {\n  capabilities = ["read"]\n}`,
    ];
    this.policy = new Policy(this, "policy", { name: `${this.roleName}-manage`, policy: `${rules.join("\n\n")}\n` });
    this.role = new JwtAuthBackendRole(this, "role", {
      backend: this.backend.path,
      roleName: this.roleName,
      roleType: "jwt",
      boundAudiences: [TFC_VAULT_AUDIENCE],
      boundClaimsType: "glob",
      boundClaims: { sub: this.boundSubject },
      userClaim: "terraform_full_workspace",
      tokenPolicies: [this.policy.name],
      tokenTtl: 1200,
      tokenMaxTtl: 2400,
    });
  }
}

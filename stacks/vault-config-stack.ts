import { Mount } from "@cdktf/provider-vault/lib/mount";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { HcpVaultCluster } from "../constructs/hcp/hcp-vault-cluster";
import { checkOptOut, OptOut, recordOptOut, Validator } from "../core/validation";
import { JwtKeySource, VaultJwtAuth, VaultJwtRole, VaultJwtRoleOptions, VaultKvV2Secret, vaultMountPath } from "../constructs/vault/vault-jwt-auth";
import { IOidcIssuer } from "../constructs/azure/workload-identity";

/** A role of the vault-config stack: its secrets are paths in the stack's KV v2 mount. */
export interface VaultConfigRole extends Omit<VaultJwtRoleOptions, "secrets" | "policyReads"> {
  /** Secret paths inside the KV mount the role's own read-only policy reads, e.g. `demo/config` (may be empty when it attaches `policies`). */
  readonly secretPaths: readonly string[];
  /**
   * Paths inside the KV mount the attached `policies` are stated to let the role read (see
   * {@link VaultJwtRoleOptions.policyReads}).
   * @default - none
   */
  readonly policyReadPaths?: readonly string[];
}

export interface VaultConfigStackProps {
  /** The HCP Vault cluster: the provider talks to its private endpoint in namespace `admin`. */
  readonly vault: HcpVaultCluster;
  /** The AKS cluster whose service accounts log in (its OIDC issuer). */
  readonly issuer: IOidcIssuer;
  /** Roles, one per service account. */
  readonly roles: readonly VaultConfigRole[];
  /** Mount path of the KV v2 engine the secrets live in (created here). @default "secret" */
  readonly kvMount?: string;
  /** Mount path of the JWT auth method. @default "jwt-aks" */
  readonly jwtPath?: string;
  /** Where Vault gets the token verification keys. @default discovery from the issuer URL */
  readonly jwtKeys?: JwtKeySource;
  /**
   * Let `terraform destroy` delete the KV mount and every secret in it. An opt-out: give the reason.
   * @default the mount carries `lifecycle.prevent_destroy`
   */
  readonly allowKvDestroy?: OptOut;
}

/**
 * Vault's configuration: a KV v2 mount, JWT auth trusting the AKS issuer, and one role plus
 * read-only policy per workload. The Vault provider points at the cluster's PRIVATE endpoint
 * with namespace `admin`, so Terraform must run inside a peered network (or on an HCP
 * Terraform agent there) and authenticates with `VAULT_TOKEN` from the environment (an HCP
 * admin token, or HCP Terraform's dynamic credentials for Vault): no token is in the config.
 */
export class VaultConfigStack extends TerraformStack {
  public readonly kv: Mount;
  public readonly kvMount: string;
  public readonly jwtAuth: VaultJwtAuth;

  constructor(scope: Construct, id: string, props: VaultConfigStackProps) {
    super(scope, id);
    const kvMount = props.kvMount ?? "secret";
    const v = new Validator(this).rule("kvMount", kvMount, vaultMountPath);
    checkOptOut(v, "allowKvDestroy.reason", props.allowKvDestroy);
    v.throwIfAny();
    this.kvMount = kvMount;
    new VaultProvider(this, "vault", { address: props.vault.privateEndpointUrl, namespace: props.vault.namespace });

    this.kv = new Mount(this, "kv", {
      path: kvMount,
      type: "kv",
      options: { version: "2" },
      description: "Workload secrets, written out of band (vault kv put): never in Terraform",
      lifecycle: { preventDestroy: !props.allowKvDestroy },
    });
    recordOptOut(this, "destroy", props.allowKvDestroy);
    this.jwtAuth = new VaultJwtAuth(this, "jwt", { issuer: props.issuer, path: props.jwtPath, keys: props.jwtKeys });
    props.roles.forEach((r, i) => {
      const { secretPaths, policyReadPaths, ...rest } = r;
      this.jwtAuth.addRole({ ...rest, secrets: (secretPaths ?? []).map((p) => this.secret(p)), policyReads: policyReadPaths?.map((p) => this.secret(p)) }, `roles[${i}]`);
    });
    new TerraformOutput(this, "jwt-auth-path", { value: this.jwtAuth.path });
  }

  /** A secret of the stack's KV v2 mount. */
  secret(path: string): VaultKvV2Secret {
    return { mount: this.kvMount, path };
  }

  /** The role of this name. */
  role(name: string): VaultJwtRole {
    const r = this.jwtAuth.role(name);
    if (!r) {
      const known = this.jwtAuth.roles.map((x) => x.name);
      new Validator(this)
        .fail("role", name, `is not a role of auth/${this.jwtAuth.path} (roles: ${known.length > 0 ? known.join(", ") : "none"}): name one of them, or add it (a workload in hcpVault.workloads, or jwtAuth.addRole)`)
        .throwIfAny();
    }
    return r!;
  }
}

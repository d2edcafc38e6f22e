import { KeyVault as AzKeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultAccessPolicyA } from "@cdktf/provider-azurerm/lib/key-vault-access-policy";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import { IPrincipal } from "./principal";
import { checkOptOut, isUnresolved, OptOut, recordOptOut, Rules, Validator } from "../../core/validation";
import { publishFact } from "../../core/facts";
import { ADMIN_GRANT, AZURE_KEY_VAULT, AZURE_KEY_VAULT_GRANT, AZURE_KEY_VAULT_SECRET } from "../../core/facts-azure";
import { checkCidrList } from "../../core/cidr";

/** How data-plane access to the vault is authorized. */
export type KeyVaultAuthorization =
  /** Vault access policies: what the classic AKS walkthroughs use. Grants are vault-wide. */
  | "accessPolicy"
  /** Azure RBAC: role assignments, which can be scoped down to a single secret. */
  | "rbac";

export interface KeyVaultProps {
  /** Vault name: 3-24 characters, globally unique. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Entra ID tenant of the vault; pods must log in to this tenant. */
  readonly tenantId: string;
  /** Authorization model. @default "rbac" */
  readonly authorization?: KeyVaultAuthorization;
  /** `standard` or `premium` (HSM-backed keys). @default "standard" */
  readonly sku?: "standard" | "premium";
  /** Days a deleted vault or secret can be recovered, 7-90. @default 90 */
  readonly softDeleteRetentionDays?: number;
  /** Public IPv4 addresses or CIDR blocks allowed through the firewall. @default none */
  readonly allowedIpRanges?: string[];
  /** Subnet IDs allowed through the firewall (the subnet needs the Microsoft.KeyVault service endpoint). @default none */
  readonly allowedSubnetIds?: string[];
  /**
   * Open the vault's network to every address. An opt-out of the secure default: give the reason.
   * @default the firewall denies everything not allowed above (trusted Azure services bypass it)
   */
  readonly allowPublicNetwork?: { readonly reason: string };
  /**
   * Let `terraform destroy` delete the vault. An opt-out: give the reason.
   * @default the vault carries `lifecycle.prevent_destroy`
   */
  readonly allowDestroy?: { readonly reason: string };
  /** Secrets this vault holds, declared by name only: see {@link KeyVault.declareSecret}. @default none */
  readonly secrets?: string[];
  readonly tags?: Record<string, string>;
}

/**
 * A secret of a {@link KeyVault}, declared by name. No `azurerm_key_vault_secret` is
 * created: its value is written out of band (`az keyvault secret set`) so it never appears
 * in the Terraform configuration or state.
 */
export interface KeyVaultSecretRef {
  readonly vault: KeyVault;
  readonly name: string;
  /** ARM ID of the secret: the scope of a per-secret role assignment. */
  readonly resourceId: string;
  /** Versionless data-plane URI (`https://VAULT.vault.azure.net/secrets/NAME`). */
  readonly uri: string;
}

export interface GrantSecretReadOptions {
  /**
   * Limit the grant to these secrets (names or refs). In `rbac` mode a role assignment is
   * written at each secret's scope; in `accessPolicy` mode access policies cannot be narrower
   * than the vault, so the grant is vault-wide and the list is recorded for wiring checks.
   * A per-secret scope names a secret that must exist when the assignment is created: write
   * the secret values (out of band) before applying these grants, or grant at vault scope.
   * @default the whole vault
   */
  readonly secrets?: (string | KeyVaultSecretRef)[];
  /**
   * `rbac` mode: where the *Key Vault Secrets User* assignment goes when `secrets` are listed.
   * `"secret"` writes one per secret (least privilege; each secret must exist when it is
   * applied); `"vault"` writes one on the vault (for a first deploy before the values exist),
   * while the list is still recorded for the wiring checks.
   * @default "secret"
   */
  readonly scope?: "secret" | "vault";
}

/** A read grant given by {@link KeyVault.grantSecretRead}: who may read what. */
export interface SecretReadGrant {
  readonly principal: IPrincipal;
  /** Secret names covered, or `"*"` for the whole vault. */
  readonly secrets: readonly string[] | "*";
  /** The resources that implement the grant. */
  readonly resources: readonly (KeyVaultAccessPolicyA | RoleAssignment)[];
}

/** A write grant given by {@link KeyVault.grantSecretWrite}: who sets the secret values, out of band. */
export interface SecretWriteGrant {
  readonly principal: IPrincipal;
  readonly reason: string;
  readonly resource: KeyVaultAccessPolicyA | RoleAssignment;
}

/** The built-in role with read access to secret contents, and nothing else. */
export const KEY_VAULT_SECRETS_USER = "Key Vault Secrets User";
/** The built-in role that manages secrets (set, delete, recover) but not access. */
export const KEY_VAULT_SECRETS_OFFICER = "Key Vault Secrets Officer";
/** What an access-policy write grant holds: enough to set, list, delete and recover secrets. */
export const WRITE_SECRET_PERMISSIONS = ["Get", "List", "Set", "Delete", "Recover"];
/** Azure's limit of access policies on one vault. */
export const MAX_ACCESS_POLICIES = 1024;
/** The only secret permission an access-policy read grant holds. */
export const READ_SECRET_PERMISSIONS = ["Get"];

/**
 * An Azure Key Vault for workload secrets: purge protection on, firewall closed by default,
 * protected from destroy, in access-policy or RBAC mode, with least-privilege read grants.
 */
export class KeyVault extends Construct {
  /** The underlying resource. Address stays `azurerm_key_vault.<id>_vault`: renaming the construct id would replace the vault. */
  public readonly resource: AzKeyVault;
  public readonly name: string;
  public readonly tenantId: string;
  public readonly authorization: KeyVaultAuthorization;
  /** ARM ID of the vault. */
  public readonly id: string;
  /** Data-plane URI, `https://NAME.vault.azure.net/`. */
  public readonly vaultUri: string;
  private readonly secretsByName = new Map<string, KeyVaultSecretRef>();
  /** True once secrets were declared explicitly: then grants may name only those. */
  private secretListGiven = false;
  private readonly grantsByPrincipal = new Map<string, { grant: SecretReadGrant; scopes: Set<string> }>();
  /** One access policy per principal (Azure allows no more), shared by read and write grants. */
  private readonly policies = new Map<string, { policy: KeyVaultAccessPolicyA; permissions: Set<string> }>();
  private readonly writeGrants: SecretWriteGrant[] = [];

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    const v = new Validator(this);
    const authorization = props.authorization ?? "rbac";
    const retention = props.softDeleteRetentionDays ?? 90;
    v.rule("name", props.name, Rules.keyVaultName)
      .rule("tenantId", props.tenantId, Rules.guid)
      .rule("resourceGroupName", props.resourceGroupName, Rules.resourceGroupName)
      .rule("location", props.location, Rules.azureLocation)
      .check(authorization === "rbac" || authorization === "accessPolicy", "authorization", authorization, 'must be "rbac" or "accessPolicy"')
      .check(Number.isInteger(retention) && retention >= 7 && retention <= 90, "softDeleteRetentionDays", retention, "must be a whole number of days from 7 to 90");
    checkCidrList(v, "allowedIpRanges", props.allowedIpRanges ?? [], { allowBareAddress: true });
    checkOptOut(v, "allowPublicNetwork.reason", props.allowPublicNetwork);
    checkOptOut(v, "allowDestroy.reason", props.allowDestroy);
    v.throwIfAny();

    this.name = props.name;
    this.tenantId = props.tenantId;
    this.authorization = authorization;
    this.resource = new AzKeyVault(this, "vault", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      skuName: props.sku ?? "standard",
      rbacAuthorizationEnabled: authorization === "rbac",
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: retention,
      publicNetworkAccessEnabled: true, // reachable only through the firewall rules below
      networkAcls: {
        defaultAction: props.allowPublicNetwork ? "Allow" : "Deny",
        bypass: "AzureServices",
        ipRules: props.allowedIpRanges,
        virtualNetworkSubnetIds: props.allowedSubnetIds,
      },
      tags: props.tags,
      lifecycle: { preventDestroy: !props.allowDestroy },
    });
    recordOptOut(this, "publicNetwork", props.allowPublicNetwork);
    recordOptOut(this, "destroy", props.allowDestroy);
    this.id = this.resource.id;
    this.vaultUri = this.resource.vaultUri;
    publishFact(this, AZURE_KEY_VAULT, { name: this.name, tenantId: this.tenantId, authorization });
    for (const s of props.secrets ?? []) this.declareSecret(s);
  }

  /**
   * Declares a secret this vault holds, by name. Creates no resource and takes no value:
   * the secret's owner writes it with `az keyvault secret set --vault-name NAME --name SECRET`,
   * so the value never reaches Terraform configuration or state. Declaring twice returns the same ref.
   */
  declareSecret(name: string): KeyVaultSecretRef {
    this.secretListGiven = true;
    return this.declare(name);
  }

  private declare(name: string): KeyVaultSecretRef {
    const existing = this.secretsByName.get(name);
    if (existing) return existing;
    new Validator(this).rule(`secrets["${name}"]`, name, Rules.keyVaultSecretName).throwIfAny();
    const ref: KeyVaultSecretRef = {
      vault: this,
      name,
      resourceId: `${this.id}/secrets/${name}`,
      uri: `${this.vaultUri}secrets/${name}`,
    };
    this.secretsByName.set(name, ref);
    publishFact(this, AZURE_KEY_VAULT_SECRET, { name });
    return ref;
  }

  /** The secrets declared so far. */
  get secrets(): readonly KeyVaultSecretRef[] {
    return [...this.secretsByName.values()];
  }

  /** The read grants given so far, one per principal. */
  get grants(): readonly SecretReadGrant[] {
    return [...this.grantsByPrincipal.values()].map((g) => g.grant);
  }

  /**
   * Gives an identity read-only access to secret values: in `accessPolicy` mode one access
   * policy with `Get` on secrets (nothing on keys or certificates, no `List`); in `rbac` mode
   * the *Key Vault Secrets User* role at the vault's scope, or at each listed secret's scope.
   * Granting the same identity again widens its one grant instead of writing a conflicting one.
   */
  grantSecretRead(principal: IPrincipal, options: GrantSecretReadOptions = {}): SecretReadGrant {
    const scope = options.scope ?? "secret";
    new Validator(this).check(scope === "secret" || scope === "vault", "grantSecretRead.scope", scope, 'must be "secret" (one role assignment per secret) or "vault" (one on the vault)').throwIfAny();
    const names = options.secrets?.map((s) => this.secretName(s));
    const key = principal.principalId;
    let entry = this.grantsByPrincipal.get(key);
    if (!entry) {
      this.checkPolicyLimit(new Validator(this), "grantSecretRead", principal);
      entry = { grant: { principal, secrets: [], resources: [] }, scopes: new Set() };
      if (this.authorization === "accessPolicy") (entry.grant.resources as KeyVaultAccessPolicyA[]).push(this.accessPolicy(principal, "read", READ_SECRET_PERMISSIONS));
      this.grantsByPrincipal.set(key, entry);
    }
    const resources = entry.grant.resources as (KeyVaultAccessPolicyA | RoleAssignment)[];
    const covered = entry.grant.secrets;
    const nextSecrets: readonly string[] | "*" = names === undefined || covered === "*" ? "*" : [...new Set([...covered, ...names])];

    if (this.authorization === "rbac") {
      const scopes = nextSecrets === "*" || scope === "vault" ? [{ key: "vault", scope: this.id }] : nextSecrets.map((n) => ({ key: `secret-${n}`, scope: this.declare(n).resourceId }));
      for (const { key: scopeKey, scope } of scopes) {
        if (entry.scopes.has(scopeKey) || entry.scopes.has("vault")) continue;
        entry.scopes.add(scopeKey);
        resources.push(
          new RoleAssignment(this, `read-${this.grantId(principal)}-${scopeKey}`, {
            scope,
            roleDefinitionName: KEY_VAULT_SECRETS_USER,
            principalId: principal.principalId,
            principalType: "ServicePrincipal",
            description: `Read secrets for ${principal.owner.node.path}`,
          }),
        );
      }
    }
    entry.grant = { principal, secrets: nextSecrets, resources };
    publishFact(this, AZURE_KEY_VAULT_GRANT, { principal, access: "read", secrets: names ?? "*" });
    return entry.grant;
  }

  /**
   * Lets an identity write secret values, out of band (`az keyvault secret set`): the secret
   * owners, or the identity that deploys the platform. In `accessPolicy` mode its one access
   * policy gains Get, List, Set, Delete and Recover on secrets; in `rbac` mode it gets
   * *Key Vault Secrets Officer* on the vault. This is an admin grant, not a workload's: it
   * needs a written reason, recorded on the grant and listed in the security report.
   */
  grantSecretWrite(principal: IPrincipal, options: { readonly reason: string }): SecretWriteGrant {
    const existing = this.writeGrants.find((g) => g.principal.principalId === principal.principalId);
    const v = new Validator(this);
    checkOptOut(v, "grantSecretWrite.reason", (options as Partial<OptOut> | undefined) ?? {}, "a write grant (an admin grant)");
    if (!existing) this.checkPolicyLimit(v, "grantSecretWrite", principal);
    v.throwIfAny();
    if (existing) return existing;
    const resource =
      this.authorization === "accessPolicy"
        ? this.accessPolicy(principal, "write", WRITE_SECRET_PERMISSIONS)
        : new RoleAssignment(this, `write-${this.grantId(principal)}`, {
            scope: this.id,
            roleDefinitionName: KEY_VAULT_SECRETS_OFFICER,
            principalId: principal.principalId,
            description: `Write secrets: ${options.reason}`,
          });
    // The deployer already holds these rights (it writes the vault's access); anyone else is an
    // admin grant the security rules must see declared, with its reason.
    if (principal.principalKind !== "deployer") publishFact(resource, ADMIN_GRANT, { reason: options.reason.trim() });
    publishFact(this, AZURE_KEY_VAULT_GRANT, { principal, access: "write", secrets: "*" });
    const grant: SecretWriteGrant = { principal, reason: options.reason, resource };
    this.writeGrants.push(grant);
    return grant;
  }

  /** The write grants given so far. */
  get secretWriters(): readonly SecretWriteGrant[] {
    return [...this.writeGrants];
  }

  /**
   * The principal's one access policy, created on first use (`read-…` or `write-…`, after the
   * first grant that needed it) and widened by later grants.
   */
  private accessPolicy(principal: IPrincipal, kind: "read" | "write", permissions: readonly string[]): KeyVaultAccessPolicyA {
    const existing = this.policies.get(principal.principalId);
    if (existing) {
      permissions.forEach((p) => existing.permissions.add(p));
      existing.policy.secretPermissions = WRITE_SECRET_PERMISSIONS.filter((p) => existing.permissions.has(p));
      return existing.policy;
    }
    const policy = new KeyVaultAccessPolicyA(this, `${kind}-${this.grantId(principal)}`, {
      keyVaultId: this.id,
      tenantId: this.tenantId,
      objectId: principal.principalId,
      secretPermissions: [...permissions],
    });
    this.policies.set(principal.principalId, { policy, permissions: new Set(permissions) });
    return policy;
  }

  /** Access-policy mode: a principal without a policy yet would need one more; Azure allows 1024 a vault. */
  private checkPolicyLimit(v: Validator, field: string, principal: IPrincipal): void {
    if (this.authorization !== "accessPolicy" || this.policies.has(principal.principalId) || this.policies.size < MAX_ACCESS_POLICIES) return;
    v.fail(
      field,
      principal.owner.node.path,
      `would be access policy number ${MAX_ACCESS_POLICIES + 1}; a vault holds at most ${MAX_ACCESS_POLICIES} (an Azure limit): use authorization "rbac" (role assignments scale per secret) or split the workloads over several vaults`,
    ).throwIfAny();
  }

  /** True when the principal has a read grant covering `secretName`. */
  canRead(principal: IPrincipal, secretName: string): boolean {
    const g = this.grantsByPrincipal.get(principal.principalId)?.grant;
    if (!g) return false;
    if (this.authorization === "accessPolicy") return true; // access policies are vault-wide
    return g.secrets === "*" || g.secrets.includes(secretName);
  }

  /**
   * The name of a secret a grant names. Once the vault's secrets are declared (props `secrets`
   * or {@link declareSecret}), that list is what the vault holds and a name outside it is a
   * mistake (a typo mounts nothing: `SecretNotFound` at pod start); a vault with no declared
   * secrets learns them from its grants.
   */
  private secretName(s: string | KeyVaultSecretRef): string {
    if (typeof s === "string") {
      if (this.secretListGiven && !this.secretsByName.has(s) && !isUnresolved(s)) {
        new Validator(this)
          .fail(
            "grantSecretRead.secrets",
            s,
            `is not a secret of this vault (declared: ${[...this.secretsByName.keys()].map((n) => JSON.stringify(n)).join(", ")}): fix the name, or declare it (KeyVault secrets / declareSecret) and write its value with az keyvault secret set`,
          )
          .throwIfAny();
      }
      return this.declare(s).name;
    }
    if (s.vault !== this) {
      new Validator(this).fail("grantSecretRead.secrets", s.name, `belongs to vault ${s.vault.node.path}, not this one`).throwIfAny();
    }
    return s.name;
  }

  /**
   * A stable construct id for a principal's grant, from its owner's construct path (never a
   * token), so the grant's address does not change when other grants are added.
   */
  private grantId(principal: IPrincipal): string {
    const path = principal.owner.node.path.replace(/[^A-Za-z0-9-]+/g, "-") || "root";
    const suffix = principal.principalKind === "csi-addon" || principal.principalKind === "kubelet" ? `-${principal.principalKind}` : "";
    return `${path}${suffix}`;
  }
}

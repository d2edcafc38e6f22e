import { KeyVault as AzKeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultAccessPolicyA } from "@cdktf/provider-azurerm/lib/key-vault-access-policy";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { Construct } from "constructs";
import { IPrincipal } from "./principal";
import { checkKeyVaultPrivateEndpoint, KeyVaultPrivateEndpoint, KeyVaultPrivateEndpointOptions } from "./key-vault-private-endpoint";
import { checkOptOut, isUnresolved, OptOut, recordOptOut, Rules, Validator } from "../../core/validation";
import { publishFact } from "../../core/facts";
import { ADMIN_GRANT, AZURE_KEY_VAULT, AZURE_KEY_VAULT_GRANT, AZURE_KEY_VAULT_SECRET } from "../../core/facts-azure";
import { checkCidrList } from "../../core/cidr";
import { checkProps } from "../../core/props";
import { checkTags } from "../../core/validation";

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
  /**
   * Turn public network access off and reach the vault through a private endpoint in this
   * subnet, registered in the `privatelink.vaultcore.azure.net` private DNS zone (created here and
   * linked to the given VNets, or an existing one). Opt-in; excludes `allowedIpRanges`,
   * `allowedSubnetIds` and `allowPublicNetwork`, which apply to public access. Cost and
   * consequences: see {@link KeyVaultPrivateEndpointOptions}.
   * @default - public network access on, limited by the firewall
   */
  readonly privateEndpoint?: KeyVaultPrivateEndpointOptions;
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
  /**
   * Also let the identity list the vault's secrets: what reading "every secret of the vault" needs
   * (an External Secrets `dataFrom.find`). In `accessPolicy` mode the policy gains `List`; in `rbac`
   * mode the *Key Vault Secrets User* role on the vault already lists. Only for the whole vault
   * (leave `secrets` out): a per-secret grant cannot list. Listing reveals every secret name, so
   * it is an opt-out of least privilege: give the reason; in `accessPolicy` mode it is recorded as
   * an accepted finding of AKSS-KV4 (read only) on the policy.
   * @default the grant cannot list
   */
  readonly list?: OptOut;
}

/** A read grant given by {@link KeyVault.grantSecretRead}: who may read what. */
export interface SecretReadGrant {
  readonly principal: IPrincipal;
  /** Secret names covered, or `"*"` for the whole vault. */
  readonly secrets: readonly string[] | "*";
  /** Whether the grant also lists the vault's secrets. */
  readonly list?: boolean;
  /** The resources that implement the grant. */
  readonly resources: readonly (KeyVaultAccessPolicyA | RoleAssignment)[];
}

/**
 * Rights a write grant may hold beyond `Set` (writing a new value), each only when asked for:
 * `Get` reads values back, `List` enumerates the names, `Delete` soft-deletes a secret,
 * `Recover` restores a soft-deleted one. (Purge is never granted: purge protection is on.)
 */
export type SecretWriteExtraPermission = "Get" | "List" | "Delete" | "Recover";
const EXTRA_WRITE_PERMISSIONS: readonly SecretWriteExtraPermission[] = ["Get", "List", "Delete", "Recover"];

export interface GrantSecretWriteOptions {
  /** Why this identity writes secret values: recorded on the grant and listed in the security report. */
  readonly reason: string;
  /**
   * Rights beyond writing values, for a writer that also reads, lists, deletes or recovers.
   * @default - none: the grant writes values and nothing else
   */
  readonly extraPermissions?: readonly SecretWriteExtraPermission[];
}

/** A write grant given by {@link KeyVault.grantSecretWrite}: who sets the secret values, out of band. */
export interface SecretWriteGrant {
  readonly principal: IPrincipal;
  readonly reason: string;
  /** The secret permissions held, as access-policy permission names: `Set`, plus the extras asked for. */
  readonly permissions: readonly string[];
  readonly resource: KeyVaultAccessPolicyA | RoleAssignment;
  /** `rbac` mode: the custom role holding exactly those permissions' data actions. */
  readonly roleDefinition?: RoleDefinition;
}

/** The built-in role with read access to secret contents, and nothing else. */
export const KEY_VAULT_SECRETS_USER = "Key Vault Secrets User";
/**
 * The built-in role that manages secrets: every secret data action (`secrets/*`: read, set,
 * delete, recover, backup, restore, purge) but not access. Write grants do not use it: it holds
 * far more than writing values.
 */
export const KEY_VAULT_SECRETS_OFFICER = "Key Vault Secrets Officer";
/** What a write grant holds unless more is asked for: `Set`, enough to write secret values (`az keyvault secret set`). */
export const WRITE_SECRET_PERMISSIONS = ["Set"];
/** Secret permissions in the order access policies list them. */
const SECRET_PERMISSION_ORDER = ["Get", "List", "Set", "Delete", "Recover"];
/**
 * The Key Vault data action of each access-policy secret permission (the mapping of Microsoft's
 * Azure/KeyVault-AccessPolicyToRBAC-CompareTool): what the custom writer role of `rbac` mode holds.
 */
export const SECRET_PERMISSION_DATA_ACTIONS: Readonly<Record<string, string>> = {
  Get: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  List: "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
  Set: "Microsoft.KeyVault/vaults/secrets/setSecret/action",
  Delete: "Microsoft.KeyVault/vaults/secrets/delete",
  Recover: "Microsoft.KeyVault/vaults/secrets/recover/action",
};
/** Azure's limit of access policies on one vault. */
export const MAX_ACCESS_POLICIES = 1024;
/** The only secret permission an access-policy read grant holds. */
export const READ_SECRET_PERMISSIONS = ["Get"];
/** What an access-policy read grant holds when it may list (`grantSecretRead(p, { list: true })`). */
export const LIST_SECRET_PERMISSIONS = ["Get", "List"];

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
  /** The private endpoint, when public network access is off ({@link KeyVaultProps.privateEndpoint}). */
  public readonly privateEndpoint?: KeyVaultPrivateEndpoint;
  /** Whether the vault accepts requests from public networks (through its firewall). */
  public readonly publicNetworkAccess: boolean;
  private readonly writerRoles = new Map<string, RoleDefinition>();
  private readonly secretsByName = new Map<string, KeyVaultSecretRef>();
  /** True once secrets were declared explicitly: then grants may name only those. */
  private secretListGiven = false;
  private readonly grantsByPrincipal = new Map<string, { grant: SecretReadGrant; scopes: Set<string> }>();
  /** One access policy per principal (Azure allows no more), shared by read and write grants. */
  private readonly policies = new Map<string, { policy: KeyVaultAccessPolicyA; permissions: Set<string> }>();
  private readonly writeGrants: SecretWriteGrant[] = [];

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    checkProps(this, "KeyVault", props);
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
    (props.allowedSubnetIds ?? []).forEach((id, i) => v.rule(`allowedSubnetIds[${i}]`, id, Rules.subnetId));
    checkTags(v, "tags", props.tags);
    checkOptOut(v, "allowPublicNetwork.reason", props.allowPublicNetwork);
    checkOptOut(v, "allowDestroy.reason", props.allowDestroy);
    const pe = props.privateEndpoint;
    if (pe !== undefined) {
      checkKeyVaultPrivateEndpoint(v, "privateEndpoint", pe, this, props.resourceGroupName);
      const publicOnly: [string, unknown][] = [
        ["allowedIpRanges", props.allowedIpRanges],
        ["allowedSubnetIds", props.allowedSubnetIds],
        ["allowPublicNetwork", props.allowPublicNetwork],
      ];
      for (const [field, value] of publicOnly) {
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          v.fail(field, value, "applies to public network access, which privateEndpoint turns off: it would be ignored; remove it, or the private endpoint");
        }
      }
    }
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
      // With a private endpoint the vault takes no public traffic at all; otherwise only what
      // passes the firewall rules below.
      publicNetworkAccessEnabled: pe === undefined,
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
    this.publicNetworkAccess = pe === undefined;
    if (pe) {
      this.privateEndpoint = new KeyVaultPrivateEndpoint(this, "private-endpoint", {
        ...pe,
        vaultId: this.id,
        vaultName: props.name,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        tags: props.tags,
      });
    }
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
    const lv = new Validator(this)
      .check(scope === "secret" || scope === "vault", "grantSecretRead.scope", scope, 'must be "secret" (one role assignment per secret) or "vault" (one on the vault)')
      .check(!options.list || options.secrets === undefined, "grantSecretRead.list", options.secrets, "lists the whole vault: leave secrets out (a grant that may list every secret name reads the vault, not a few secrets)");
    checkOptOut(lv, "grantSecretRead.list.reason", options.list, "a grant that lists every secret name of the vault");
    lv.throwIfAny();
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
    let nextSecrets: readonly string[] | "*" = "*";
    if (names !== undefined && covered !== "*") {
      const have = new Set(covered);
      nextSecrets = [...covered, ...names.filter((n, i) => !have.has(n) && names.indexOf(n) === i)];
    }
    const list = !!options.list || !!entry.grant.list;
    if (options.list && this.authorization === "accessPolicy") {
      const policy = this.accessPolicy(principal, "read", LIST_SECRET_PERMISSIONS);
      // Accepted by the read-only rule (AKSS-KV4) with the reason, like an admin grant.
      publishFact(policy, ADMIN_GRANT, { reason: `lists the vault's secrets: ${options.list.reason.trim()}` });
    }

    if (this.authorization === "rbac") {
      // The secrets covered before have their assignments already: only the ones named now can be new.
      const scopes = nextSecrets === "*" || scope === "vault" ? [{ key: "vault", scope: this.id }] : names!.filter((n) => !entry!.scopes.has(`secret-${n}`)).map((n) => ({ key: `secret-${n}`, scope: this.declare(n).resourceId }));
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
    entry.grant = { principal, secrets: nextSecrets, resources, ...(list ? { list } : {}) };
    publishFact(this, AZURE_KEY_VAULT_GRANT, { principal, access: "read", secrets: names ?? "*" });
    return entry.grant;
  }

  /**
   * Lets an identity write secret values, out of band (`az keyvault secret set`): the secret
   * owners, or the identity that deploys the platform. It writes values and nothing else unless
   * `extraPermissions` asks for more: in `accessPolicy` mode its one access policy gains `Set`
   * (and the extras) on secrets; in `rbac` mode it gets a custom role on the vault holding only
   * the matching data actions (`secrets/setSecret/action`, ...), since every built-in secret role
   * that writes (*Key Vault Secrets Officer*) also deletes, recovers and purges. This is an admin
   * grant, not a workload's: it needs a written reason, recorded on the grant and listed in the
   * security report.
   */
  grantSecretWrite(principal: IPrincipal, options: GrantSecretWriteOptions): SecretWriteGrant {
    const existing = this.writeGrants.find((g) => g.principal.principalId === principal.principalId);
    const v = new Validator(this);
    checkOptOut(v, "grantSecretWrite.reason", (options as Partial<OptOut> | undefined) ?? {}, "a write grant (an admin grant)");
    const extra = options?.extraPermissions ?? [];
    const extraOk = Array.isArray(extra) && extra.every((p) => EXTRA_WRITE_PERMISSIONS.includes(p));
    v.check(extraOk, "grantSecretWrite.extraPermissions", extra, `must list rights from ${EXTRA_WRITE_PERMISSIONS.map((p) => JSON.stringify(p)).join(", ")} (writing values needs none of them)`);
    const permissions = extraOk ? SECRET_PERMISSION_ORDER.filter((p) => p === "Set" || extra.includes(p as SecretWriteExtraPermission)) : WRITE_SECRET_PERMISSIONS;
    if (existing && extraOk && existing.permissions.join() !== permissions.join()) {
      v.fail("grantSecretWrite.extraPermissions", extra, `differ from the write grant ${principal.owner.node.path} has already (${existing.permissions.join(", ")}): give an identity its write rights in one call`);
    }
    if (!existing) this.checkPolicyLimit(v, "grantSecretWrite", principal);
    v.throwIfAny();
    if (existing) return existing;
    let roleDefinition: RoleDefinition | undefined;
    let resource: KeyVaultAccessPolicyA | RoleAssignment;
    if (this.authorization === "accessPolicy") {
      resource = this.accessPolicy(principal, "write", permissions);
    } else {
      roleDefinition = this.writerRole(permissions);
      resource = new RoleAssignment(this, `write-${this.grantId(principal)}`, {
        scope: this.id,
        roleDefinitionId: roleDefinition.roleDefinitionResourceId,
        principalId: principal.principalId,
        description: `Write secrets: ${options.reason}`,
      });
    }
    // The deployer already holds these rights (it writes the vault's access); anyone else is an
    // admin grant the security rules must see declared, with its reason.
    if (principal.principalKind !== "deployer") publishFact(resource, ADMIN_GRANT, { reason: options.reason.trim() });
    publishFact(this, AZURE_KEY_VAULT_GRANT, { principal, access: "write", secrets: "*" });
    const grant: SecretWriteGrant = { principal, reason: options.reason, permissions, resource, roleDefinition };
    this.writeGrants.push(grant);
    return grant;
  }

  /**
   * `rbac` mode: the custom role of this vault holding exactly these secret permissions' data
   * actions, one per distinct set (`writer-role` for `Set` alone), scoped and assignable to the
   * vault only. Its name carries the vault's: role names are unique in a tenant.
   */
  private writerRole(permissions: readonly string[]): RoleDefinition {
    const extra = permissions.filter((p) => p !== "Set");
    const key = permissions.join("-");
    let role = this.writerRoles.get(key);
    if (!role) {
      role = new RoleDefinition(this, extra.length === 0 ? "writer-role" : `writer-role-${extra.join("-").toLowerCase()}`, {
        name: `Key Vault secret writer ${this.name}${extra.length > 0 ? ` with ${extra.join(", ")}` : ""}`,
        scope: this.id,
        assignableScopes: [this.id],
        description:
          extra.length === 0
            ? `Writes secret values of Key Vault ${this.name} and nothing else: no read, list, delete, recover or purge`
            : `Writes secret values of Key Vault ${this.name}, with ${extra.join(", ")}; no purge`,
        permissions: [{ actions: [], dataActions: permissions.map((p) => SECRET_PERMISSION_DATA_ACTIONS[p]) }],
      });
      this.writerRoles.set(key, role);
    }
    return role;
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
      existing.policy.secretPermissions = SECRET_PERMISSION_ORDER.filter((p) => existing.permissions.has(p));
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

  /** True when the principal may list the vault's secrets (a read grant given with `list`). */
  canList(principal: IPrincipal): boolean {
    return !!this.grantsByPrincipal.get(principal.principalId)?.grant.list;
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

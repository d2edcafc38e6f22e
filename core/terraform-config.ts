// What a Terraform resource will synthesize, read without side effects, and the readers of its
// values (tokens, blocks, lists, booleans): shared by the security rules and the wiring checks'
// readers of raw resources. No provider binding is imported.
import { TerraformResource, Token, Tokenization } from "cdktf";

/** What a rule sees of one resource. */
export interface ResourceConfig {
  readonly resource: TerraformResource;
  /** Terraform resource type, e.g. `azurerm_key_vault`. */
  readonly type: string;
  /** Construct path of the resource. */
  readonly path: string;
  /**
   * The arguments as they will be synthesized: snake_case keys, `addOverride` values merged in
   * (with cdktf's own merge semantics), `lifecycle.prevent_destroy` included. Unresolved values
   * (references, variables, functions) stay tokens.
   */
  readonly attributes: Record<string, any>;
}

/** True when the value is (or is made of) a cdktf token, known only at apply time. */
export function isToken(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "string") return isDynamicString(v);
  if (typeof v === "number") return Token.isUnresolved(v);
  if (Array.isArray(v)) return Token.isUnresolved(v);
  return Tokenization.isResolvable(v);
}

export function isPlainObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !Tokenization.isResolvable(v);
}

/** Absent (not configured): `undefined` or `null`. */
export function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

export type Known<T> = { readonly known: true; readonly value: T | undefined } | { readonly known: false };

/** A boolean argument: its literal value, `undefined` when not set, or unknown when a token. */
export function boolArg(v: unknown): Known<boolean> {
  if (absent(v)) return { known: true, value: undefined };
  if (isToken(v)) return { known: false };
  if (typeof v === "boolean") return { known: true, value: v };
  if (v === "true" || v === "false") return { known: true, value: v === "true" };
  return { known: false };
}

/** A nested block: `{...}` or the first element of `[{...}]` (cdktf renders both shapes). */
export function block(v: unknown): Record<string, any> | undefined | "token" {
  if (absent(v)) return undefined;
  if (isToken(v)) return "token";
  if (Array.isArray(v)) return v.length === 0 ? undefined : block(v[0]);
  return isPlainObject(v) ? v : "token";
}

/** A list argument: entries, `undefined` when not set, or unknown when the list itself is a token. */
export function listArg(v: unknown): Known<unknown[]> {
  if (absent(v)) return { known: true, value: undefined };
  if (isToken(v) || !Array.isArray(v)) return { known: false };
  return { known: true, value: v };
}

/** Describes one token for a message: `${azurerm_key_vault.kv.id}`, `${var.x}`, or `${…}`. */
export function describeToken(t: unknown): string {
  const id = (t as { identifier?: unknown })?.identifier;
  if (typeof id === "string") return `\${${id}}`;
  return "${(computed)}";
}

export const TOKEN_IN_STRING = /\$\{TfToken\[[^\]]+\]\}|#\{TfToken\[[^\]]+\]\}/g;

/** A Terraform interpolation written as plain text (e.g. through `addOverride`): `${var.x}`. */
export const RAW_INTERPOLATION = /\$\{(?!TfToken\[)([^}]+)\}/g;

/**
 * The references a value is made of, e.g. `["data.azurerm_client_config.current.object_id"]`:
 * those of cdktf tokens, and those written as plain `${...}` interpolations.
 */
export function referencesOf(v: unknown): string[] {
  const out: string[] = [];
  const visit = (t: unknown) => {
    const id = (t as { identifier?: unknown })?.identifier;
    if (typeof id === "string") out.push(id);
  };
  if (typeof v === "string") {
    for (const m of v.match(TOKEN_IN_STRING) ?? []) Tokenization.reverse(m).forEach(visit);
    for (const m of v.matchAll(RAW_INTERPOLATION)) out.push(m[1].trim());
  } else if (isToken(v)) {
    Tokenization.reverse(v).forEach(visit);
  }
  return out;
}

/** True when a string is known only at apply time: it holds a token or a `${...}` interpolation. */
export function isDynamicString(s: string): boolean {
  return Token.isUnresolved(s) || /\$\{/.test(s);
}

/** The literal text of a string with its tokens and interpolations removed. */
export function literalPart(s: string): string {
  return s.replace(TOKEN_IN_STRING, "").replace(RAW_INTERPOLATION, "");
}

/** Renders a configured value for people: tokens as `${reference}`. */
export function renderConfigValue(v: unknown): unknown {
  if (typeof v === "string") {
    return v.replace(TOKEN_IN_STRING, (m) => Tokenization.reverse(m).map(describeToken).join("") || "${(computed)}");
  }
  if (typeof v === "number" && Token.isUnresolved(v)) return Tokenization.reverse(v).map(describeToken).join("") || "${(computed)}";
  if (Array.isArray(v)) {
    if (Token.isUnresolved(v)) return Tokenization.reverse(v).map(describeToken).join("") || "${(computed)}";
    return v.map(renderConfigValue);
  }
  if (v !== null && typeof v === "object") {
    if (Tokenization.isResolvable(v)) return describeToken(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!absent(x)) out[k] = renderConfigValue(x);
    return out;
  }
  return v;
}

/** A secret-bearing value, shown without its content: the keys of a map, or `(set)`. */
export function redacted(v: unknown): string {
  if (isToken(v)) return `(computed value ${renderConfigValue(v)}, redacted)`;
  if (isPlainObject(v)) return `{${Object.keys(v).map((k) => `${k}: <redacted>`).join(", ")}}`;
  if (Array.isArray(v)) return `[${v.length} entr${v.length === 1 ? "y" : "ies"}, redacted]`;
  return "<redacted>";
}

/** True when a map/list/string value holds anything (tokens count: they are values too). */
export function hasContent(v: unknown): boolean {
  if (absent(v)) return false;
  if (isToken(v)) return true;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).some((k) => !absent(v[k]));
  if (typeof v === "string") return v.length > 0;
  return true;
}

/** True when a (write-only) value is a literal written in the code, so it is in Git and in cdktf.out. */
export function isLiteralSecret(v: unknown): boolean {
  if (absent(v)) return false;
  if (typeof v === "string") return !isDynamicString(v) && v.length > 0;
  if (isPlainObject(v)) return Object.values(v).some(isLiteralSecret);
  if (Array.isArray(v)) return !Token.isUnresolved(v) && v.some(isLiteralSecret);
  return false;
}

export function unknownDetail(v: unknown): string {
  return `is computed at apply time (${renderConfigValue(v)}), so it cannot be verified before deployment`;
}

/**
 * Merges `addOverride` values like cdktf's own `deepMerge` does at synth (objects merged
 * key by key, arrays concatenated, `undefined` deletes), without mutating either side.
 */
export function mergeOverrides(target: any, source: Record<string, any>): any {
  const out: any = Array.isArray(target) ? [...target] : isPlainObject(target) ? { ...target } : {};
  for (const key of Object.keys(source)) {
    const v = source[key];
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      out[key] = Tokenization.isResolvable(v) ? v : mergeOverrides(out[key] !== null && typeof out[key] === "object" ? out[key] : {}, v);
    } else if (Array.isArray(v)) {
      out[key] = Array.isArray(out[key]) ? [...out[key], ...v] : v;
    } else if (v === undefined) {
      delete out[key];
    } else {
      out[key] = v;
    }
  }
  return out;
}

/**
 * The configuration a resource will synthesize, read without side effects: the binding's
 * attributes (`synthesizeAttributes`), `lifecycle.prevent_destroy`, and the `addOverride`
 * escape hatches, merged as cdktf merges them. (`toTerraform()` gives the same plus the
 * meta-arguments, but caches the resource's logical id as a side effect: a later
 * `overrideLogicalId` would be silently ignored, so it is not called before synth. The
 * bindings' `xxxInput` getters miss `addOverride` values.)
 */
export function readResourceConfig(resource: TerraformResource): ResourceConfig {
  const r = resource as unknown as { synthesizeAttributes(): Record<string, any>; rawOverrides?: Record<string, any> };
  const base: Record<string, any> = { ...r.synthesizeAttributes() };
  if (resource.lifecycle) base.lifecycle = { prevent_destroy: resource.lifecycle.preventDestroy, create_before_destroy: resource.lifecycle.createBeforeDestroy };
  const attributes = r.rawOverrides && Object.keys(r.rawOverrides).length > 0 ? mergeOverrides(base, r.rawOverrides) : base;
  return { resource, type: resource.terraformResourceType, path: resource.node.path, attributes };
}


import fs from "node:fs";
import path from "node:path";

/**
 * The offline stand-in for `terraform validate`: checks synthesized Terraform JSON against the
 * vendored schemas of the pinned provider versions (`vendor/provider-schemas/`, provenance in
 * SOURCES.md there). Every resource, data source and provider block of every stack: unknown
 * attributes and blocks, computed-only attributes set, missing required ones, block counts,
 * validators on literal values (values holding `${...}` are known only at apply time and skipped),
 * ConflictsWith / ExactlyOneOf / AtLeastOneOf / RequiredWith, deprecated and removed attributes.
 */

export type SchemaSeverity = "error" | "warning";

export interface SchemaProblem {
  readonly severity: SchemaSeverity;
  /** Stack name (the folder under cdktf.out/stacks), or `stack` for a single JSON. */
  readonly stack: string;
  /** `resource.TYPE.NAME`, `data.TYPE.NAME` or `provider.NAME[i]`. */
  readonly address: string;
  /** Attribute path inside it, e.g. `default_node_pool.0.name`. */
  readonly path: string;
  readonly rule: string;
}

export interface SchemaCheckResult {
  readonly problems: SchemaProblem[];
  /** `provider@version` of every provider the stacks pin whose schema is vendored (and so checked). */
  readonly checked: string[];
  /** `provider@version` pinned by a stack with no vendored schema: not checked. */
  readonly unchecked: string[];
  /** Resource types (`data.` + type for data sources) of a checked provider that its vendored schema lacks: not checked. */
  readonly uncheckedTypes: string[];
  /** Number of resource, data source and provider blocks checked. */
  readonly blocks: number;
}

interface Validator { kind: string; [k: string]: any }
interface Attribute {
  type: string; elem?: string; required?: boolean; optional?: boolean; computed?: boolean;
  deprecated?: string; removedIn?: string; conflictsWith?: string[]; exactlyOneOf?: string[]; atLeastOneOf?: string[]; requiredWith?: string[];
  minItems?: number; maxItems?: number; validate?: Validator[]; validateElem?: Validator[]; validateCollection?: Validator[];
}
interface NestedBlock {
  nesting: string; minItems?: number; maxItems?: number; required?: boolean; optional?: boolean; computed?: boolean;
  deprecated?: string; removedIn?: string; conflictsWith?: string[]; exactlyOneOf?: string[]; atLeastOneOf?: string[]; requiredWith?: string[];
  block: Block;
}
interface Block { attributes: Record<string, Attribute>; blocks: Record<string, NestedBlock> }
export interface ProviderSchema {
  provider: string; version: string; source: { repository: string; tag: string; license?: string; commit?: string };
  providerConfig?: { block: Block }; resources: Record<string, { file?: string; block: Block }>; dataSources: Record<string, { file?: string; block: Block }>;
}
/** `name@version` -> schema (name as in required_providers, e.g. `azurerm`). */
export type SchemaSet = Map<string, ProviderSchema>;

/** The vendored schemas folder of this package. */
export const PROVIDER_SCHEMAS_DIR = [path.resolve(__dirname, "../../vendor/provider-schemas"), path.resolve(__dirname, "../../../vendor/provider-schemas")].find((d) => fs.existsSync(d)) ?? path.resolve(__dirname, "../../vendor/provider-schemas");

const CACHE = new Map<string, SchemaSet>();

/** Loads every `<provider>-<version>.json` of `dir` (cached per folder). */
export function loadProviderSchemas(dir: string = PROVIDER_SCHEMAS_DIR): SchemaSet {
  const cached = CACHE.get(dir);
  if (cached) return cached;
  const set: SchemaSet = new Map();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const s = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ProviderSchema & { providerBlock?: { block: Block } };
    s.providerConfig ??= s.providerBlock;
    const short = s.provider.split("/").pop()!;
    set.set(`${short}@${s.version}`, s);
  }
  CACHE.set(dir, set);
  return set;
}

type StackJson = Record<string, any>;

/**
 * Checks synthesized stacks. `input`: a cdktf output folder (every `stacks/NAME/cdk.tf.json`),
 * one stack's JSON (`Testing.synth` output, parsed or not), or `{ name: json }`.
 */
export function checkProviderSchemas(input: string | StackJson | Record<string, StackJson>, options: { schemas?: SchemaSet } = {}): SchemaCheckResult {
  const schemas = options.schemas ?? loadProviderSchemas();
  const stacks = toStacks(input);
  const problems: SchemaProblem[] = [];
  const checked = new Set<string>(), unchecked = new Set<string>(), uncheckedTypes = new Set<string>();
  let blocks = 0;
  for (const [stack, json] of Object.entries(stacks)) {
    const pins: Record<string, string> = {};
    for (const [name, req] of Object.entries<any>(json.terraform?.required_providers ?? {})) pins[name] = req.version;
    const schemaFor = (name: string): ProviderSchema | undefined => {
      const version = pins[name];
      if (version === undefined) return undefined;
      const s = schemas.get(`${name}@${version}`);
      (s ? checked : unchecked).add(`${name}@${version}`);
      return s;
    };
    const report = (address: string) => (p: string, rule: string, severity: SchemaSeverity = "error") => problems.push({ severity, stack, address, path: p, rule });
    for (const [name, versionReq] of Object.entries(pins)) {
      if (!/^\d+\.\d+\.\d+$/.test(String(versionReq))) report(`terraform.required_providers.${name}`)("version", `must pin an exact version (the schema checked is that version's), got ${JSON.stringify(versionReq)}`);
    }
    for (const [kind, section] of [["resource", "resources"], ["data", "dataSources"]] as const) {
      for (const [type, instances] of Object.entries<any>(json[kind] ?? {})) {
        const providerName = type.split("_")[0];
        for (const [name, config] of Object.entries<any>(instances)) {
          const address = `${kind === "data" ? "data." : "resource."}${type}.${name}`;
          const local = (config?.provider as string | undefined)?.replace(/^\$\{?|\}$/g, "").split(".")[0] ?? providerName;
          const schema = schemaFor(local);
          if (!schema) continue;
          const entry = schema[section][type];
          blocks++;
          if (!entry) {
            // the vendored files hold the types the library emits, not every type of the provider
            uncheckedTypes.add(`${kind === "data" ? "data." : ""}${type}`);
            report(address)("", `${type} is not in the vendored schema of ${schema.provider} ${schema.version} (a ${kind === "data" ? "data source" : "resource"} it does not have, or one not vendored yet): not checked`, "warning");
            continue;
          }
          checkBlock(entry.block, config, config, "", report(address), kind === "resource" ? RESOURCE_META : DATA_META, schema);
        }
      }
    }
    for (const [name, configs] of Object.entries<any>(json.provider ?? {})) {
      const schema = schemaFor(name);
      if (!schema?.providerConfig) continue;
      (Array.isArray(configs) ? configs : [configs]).forEach((config: any, i: number) => {
        blocks++;
        checkBlock(schema.providerConfig!.block, config, config, "", report(`provider.${name}[${i}]`), PROVIDER_META, schema);
      });
    }
  }
  return { problems, checked: [...checked].sort(), unchecked: [...unchecked].sort(), uncheckedTypes: [...uncheckedTypes].sort(), blocks };
}

/** Throws with every error (and warning) listed when {@link checkProviderSchemas} finds any. */
export function assertProviderSchemas(input: Parameters<typeof checkProviderSchemas>[0], options: { schemas?: SchemaSet; allowWarnings?: boolean } = {}): SchemaCheckResult {
  const r = checkProviderSchemas(input, options);
  const bad = r.problems.filter((p) => p.severity === "error" || !options.allowWarnings);
  if (bad.length) throw new Error(`provider schema check: ${bad.length} problem(s)\n${formatSchemaProblems(bad)}`);
  return r;
}

export function formatSchemaProblems(problems: readonly SchemaProblem[]): string {
  return problems.map((p) => `  ${p.severity} [${p.stack}] ${p.address}${p.path ? " " + p.path : ""}: ${p.rule}`).join("\n");
}

const RESOURCE_META = new Set(["depends_on", "count", "for_each", "provider", "lifecycle", "provisioner", "connection", "timeouts", "//"]);
const DATA_META = new Set(["depends_on", "count", "for_each", "provider", "lifecycle", "timeouts", "//"]);
const PROVIDER_META = new Set(["alias", "//"]);

function toStacks(input: string | StackJson | Record<string, StackJson>): Record<string, StackJson> {
  if (typeof input === "string") {
    const trimmed = input.trimStart();
    if (trimmed.startsWith("{")) return { stack: JSON.parse(input) };
    const dir = path.join(input, "stacks");
    const out: Record<string, StackJson> = {};
    for (const s of fs.readdirSync(dir)) {
      const f = path.join(dir, s, "cdk.tf.json");
      if (fs.existsSync(f)) out[s] = JSON.parse(fs.readFileSync(f, "utf8"));
    }
    return out;
  }
  if (input.terraform || input.resource || input.data || input.provider) return { stack: input };
  return input as Record<string, StackJson>;
}

const isToken = (v: unknown): boolean => typeof v === "string" && v.includes("${");
const isSet = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

/** Resolves an SDKv2 path (`a.0.b`) or a framework root path (`a.b`) in the resource's config. */
function lookup(root: any, p: string): unknown {
  let cur: any = root;
  for (const seg of p.split(".")) {
    if (cur === undefined || cur === null) return undefined;
    if (/^\d+$/.test(seg)) cur = Array.isArray(cur) ? cur[Number(seg)] : Number(seg) === 0 ? cur : undefined;
    else cur = Array.isArray(cur) ? cur[0]?.[seg] : cur[seg];
  }
  return cur;
}

function checkBlock(block: Block, config: any, root: any, prefix: string, report: (p: string, rule: string, s?: SchemaSeverity) => void, meta: Set<string>, schema: ProviderSchema): void {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    if (!isToken(config)) report(prefix.replace(/\.$/, ""), `must be a block (an object), got ${JSON.stringify(config)}`);
    return;
  }
  const resolve = (ref: string): unknown => (ref.startsWith("sibling:") ? config[ref.slice(8)] : lookup(root, ref));
  for (const [key, value] of Object.entries(config)) {
    if (meta.has(key) && !(key in block.attributes) && !(key in block.blocks)) continue;
    const at = block.attributes[key];
    const bl = block.blocks[key];
    const p = prefix + key;
    if (!at && !bl) {
      report(p, `is not an argument of this block in ${schema.provider} ${schema.version}`);
      continue;
    }
    const rules = (at ?? bl)!;
    if (rules.removedIn) report(p, `exists in ${schema.version} but is removed in ${schema.provider} ${rules.removedIn}${rules.deprecated ? ` (${rules.deprecated})` : ""}`, "warning");
    else if (rules.deprecated) report(p, `is deprecated: ${rules.deprecated}`, "warning");
    if (rules.computed && !rules.optional && !rules.required) report(p, "is computed only: it cannot be set");
    if (isSet(value)) {
      for (const c of rules.conflictsWith ?? []) if (isSet(resolve(c))) report(p, `conflicts with ${c}: set only one`);
      for (const r of rules.requiredWith ?? []) if (!isSet(resolve(r))) report(p, `requires ${r} to be set too`);
      if (rules.exactlyOneOf?.length) {
        const others = rules.exactlyOneOf.filter((o) => o !== key && o !== p && isSet(resolve(o)));
        if (others.length) report(p, `exactly one of ${rules.exactlyOneOf.join(", ")} may be set: ${others.join(", ")} is set too`);
      }
    }
    if (at) checkAttribute(at, value, p, report);
    else checkNested(bl!, value, root, p, report, schema);
  }
  for (const [name, at] of Object.entries(block.attributes)) {
    const present = isSet(config[name]);
    if (at.required && !present && !isToken(config[name])) report(prefix + name, "is required");
    for (const [list, what] of [[at.exactlyOneOf, "one of"], [at.atLeastOneOf, "at least one of"]] as const) {
      if (present || !list?.length) continue;
      const self = prefix + name;
      const isSelf = (o: string) => o === self || o === name || o === `sibling:${name}`;
      const group = list.some(isSelf) ? [...list] : [...list, self];
      // reported once per group: on the member that sorts first
      if ([...group].sort()[0] !== group.find(isSelf)) continue;
      if (group.every((o) => (isSelf(o) ? !isSet(config[name]) : !isSet(resolve(o))))) report(self, `${what} ${[...group].sort().join(", ")} must be set`);
    }
  }
  for (const [name, bl] of Object.entries(block.blocks)) {
    const v = config[name];
    if (isToken(v)) continue;
    const n = v === undefined || v === null ? 0 : Array.isArray(v) ? v.length : 1;
    // MinItems of an optional block applies only when it is given (helper/schema validateList)
    // (some vendored files mark such a block `required` beside `optional`: Optional wins, as in the Go schema)
    if (bl.required && !bl.optional && n === 0) report(prefix + name, `block is required${bl.minItems ? ` (at least ${bl.minItems})` : ""}`);
  }
}

function checkNested(bl: NestedBlock, value: unknown, root: any, p: string, report: (p: string, rule: string, s?: SchemaSeverity) => void, schema: ProviderSchema): void {
  if (isToken(value)) return;
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (bl.nesting === "single" && Array.isArray(value) && value.length > 1) report(p, "is a single block: give one");
  if (bl.maxItems !== undefined && items.length > bl.maxItems) report(p, `takes at most ${bl.maxItems} block(s), got ${items.length}`);
  if (bl.minItems !== undefined && items.length > 0 && items.length < bl.minItems) report(p, `takes at least ${bl.minItems} block(s), got ${items.length}`);
  items.forEach((item, i) => checkBlock(bl.block, item, root, `${p}.${i}.`, report, new Set(["//"]), schema));
}

function checkAttribute(at: Attribute, value: unknown, p: string, report: (p: string, rule: string) => void): void {
  if (value === null || value === undefined || isToken(value) && typeof value === "string" && !["list", "set", "map"].includes(at.type)) return;
  if (at.type === "list" || at.type === "set") {
    if (typeof value === "string") return; // a token for the whole list
    if (!Array.isArray(value)) { report(p, `must be a ${at.type}, got ${JSON.stringify(value)}`); return; }
    if (at.maxItems !== undefined && value.length > at.maxItems) report(p, `takes at most ${at.maxItems} item(s), got ${value.length}`);
    if (at.minItems !== undefined && value.length < at.minItems) report(p, `takes at least ${at.minItems} item(s), got ${value.length}`);
    value.forEach((v, i) => runValidators(at.validateElem, v, `${p}.${i}`, report));
    return;
  }
  if (at.type === "map") {
    if (typeof value === "string") return;
    if (typeof value !== "object" || Array.isArray(value)) { report(p, `must be a map, got ${JSON.stringify(value)}`); return; }
    runValidators(at.validateCollection ?? at.validate, value, p, report);
    for (const [k, v] of Object.entries(value as object)) runValidators(at.validateElem, v, `${p}.${k}`, report);
    return;
  }
  if (at.type === "bool" && typeof value !== "boolean" && !(typeof value === "string" && /^(true|false)$/.test(value))) report(p, `must be a bool, got ${JSON.stringify(value)}`);
  if (at.type === "number" && typeof value !== "number" && !(typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value))) report(p, `must be a number, got ${JSON.stringify(value)}`);
  if (at.type === "string" && typeof value === "object") report(p, `must be a string, got ${JSON.stringify(value)}`);
  runValidators(at.validate, value, p, report);
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DURATION_RE = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function jsRegex(pattern: string, ignoreCase = false): RegExp {
  let flags = ignoreCase ? "i" : "";
  let src = pattern;
  if (src.startsWith("(?i)")) { src = src.slice(4); flags = "i"; }
  return new RegExp(src, flags);
}

/** One validator on one literal value: the reason it fails, or undefined. */
export function validatorFailure(v: Validator, value: unknown): string | undefined {
  if (isToken(value)) return undefined;
  const s = typeof value === "string" ? value : undefined;
  switch (v.kind) {
    case "enum": {
      const vals: unknown[] = v.values ?? [];
      const ok = vals.some((x) => (v.ignoreCase && typeof x === "string" && s !== undefined ? x.toLowerCase() === s.toLowerCase() : x === value || String(x) === String(value)));
      return ok ? undefined : `must be one of ${JSON.stringify(vals)}`;
    }
    case "regex": return s !== undefined && !jsRegex(v.pattern).test(s) ? `must match /${v.pattern}/${v.message ? ` (${v.message})` : ""}` : undefined;
    case "length": {
      if (s === undefined) return undefined;
      const n = Buffer.byteLength(s);
      return (v.min !== undefined && n < v.min) || (v.max !== undefined && n > v.max) ? `length must be ${v.min ?? 0} to ${v.max ?? "any"}` : undefined;
    }
    case "intBetween": case "floatBetween": {
      const n = typeof value === "number" ? value : Number(value);
      if (Number.isNaN(n)) return "must be a number";
      if (v.kind === "intBetween" && !Number.isInteger(n)) return "must be a whole number";
      return (v.min !== undefined && n < v.min) || (v.max !== undefined && n > v.max) ? `must be between ${v.min ?? "-inf"} and ${v.max ?? "inf"}` : undefined;
    }
    case "uuid": return s !== undefined && !UUID_RE.test(s) ? "must be a UUID" : undefined;
    case "notEmpty": return value === "" || value === 0 || value === false ? "must not be empty" : undefined;
    case "notWhitespace": return s !== undefined && s.trim() === "" ? "must not be empty or only whitespace" : undefined;
    case "cidr": return s !== undefined && !isCidr(s) ? "must be a CIDR block (a.b.c.d/n)" : undefined;
    case "ipv4": return s !== undefined && !isIpv4(s) ? "must be an IPv4 address" : undefined;
    case "isURL": {
      if (s === undefined) return undefined;
      try {
        const u = new URL(s);
        const schemes: string[] = v.schemes ?? ["http", "https"];
        return schemes.includes(u.protocol.replace(/:$/, "")) && u.host ? undefined : `must be a URL with scheme ${schemes.join(" or ")}`;
      } catch { return "must be a URL"; }
    }
    case "armId": return s !== undefined && v.pattern && !jsRegex(v.pattern, !!v.ignoreCase).test(s) ? `must be an Azure resource ID of ${v.resourceType ?? v.name}${v.template ? ` (${v.template})` : ""}` : undefined;
    case "duration": return s !== undefined && (!DURATION_RE.test(s) || s.startsWith("-")) ? "must be a Go duration such as 30s or 2m" : undefined;
    case "rfc3339": return s !== undefined && !RFC3339_RE.test(s) ? "must be an RFC 3339 time" : undefined;
    case "json": { if (s === undefined) return undefined; try { JSON.parse(s); return undefined; } catch { return "must be JSON"; } }
    case "mapLimits": {
      if (!value || typeof value !== "object") return undefined;
      const entries = Object.entries(value as Record<string, unknown>);
      if (v.maxEntries !== undefined && entries.length > v.maxEntries) return `at most ${v.maxEntries} entries`;
      const longKey = entries.find(([k]) => v.maxKeyLength !== undefined && k.length > v.maxKeyLength);
      if (longKey) return `key ${JSON.stringify(longKey[0])} is longer than ${v.maxKeyLength}`;
      const longValue = entries.find(([, x]) => typeof x === "string" && !isToken(x) && v.maxValueLength !== undefined && x.length > v.maxValueLength);
      return longValue ? `the value of ${JSON.stringify(longValue[0])} is longer than ${v.maxValueLength}` : undefined;
    }
    case "any": {
      const groups: Validator[][] = v.of ?? [];
      const fails = groups.map((g) => g.map((x) => validatorFailure(x, value)).find((f) => f !== undefined));
      return fails.some((f) => f === undefined) ? undefined : `must satisfy one of: ${fails.join("; or ")}`;
    }
    case "custom": return s !== undefined && typeof v.regex === "string" && !jsRegex(v.regex).test(s) ? `must match /${v.regex}/ (${v.name}: ${v.note ?? ""})` : undefined;
    default: return undefined; // a kind this checker does not evaluate
  }
}

function runValidators(vs: Validator[] | undefined, value: unknown, p: string, report: (p: string, rule: string) => void): void {
  for (const v of vs ?? []) {
    const f = validatorFailure(v, value);
    if (f) report(p, `${JSON.stringify(value)} ${f}${v.source ? ` [${v.source}]` : ""}`);
  }
}

function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}
function isCidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  return !!m && ((isIpv4(m[1]) && Number(m[2]) <= 32) || (m[1].includes(":") && Number(m[2]) <= 128));
}

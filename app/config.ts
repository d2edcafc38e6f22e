import fs from "node:fs";
import path from "node:path";
import { ValidationError, ValidationProblem, show } from "../core/validation";

/**
 * A small typed schema for configuration: each node knows its type, so a file, an
 * environment variable or cdktf context is checked the same way and a typo is an error.
 */
export type Schema =
  | { readonly kind: "string"; readonly oneOf?: readonly string[] }
  | { readonly kind: "number"; readonly integer?: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "array"; readonly items: Schema }
  | {
      readonly kind: "object";
      readonly fields: Readonly<Record<string, Schema>>;
      /**
       * Keys that must be present whenever the object is. An object that is an item of a list
       * is given whole by one layer (lists are replaced, not merged), so it is checked in that
       * layer; any other object may be assembled from several layers (a file and environment
       * variables), so it is checked once they are merged.
       */
      readonly required?: readonly string[];
    };

export const s = {
  string: (oneOf?: readonly string[]): Schema => ({ kind: "string", oneOf }),
  int: (min?: number, max?: number): Schema => ({ kind: "number", integer: true, min, max }),
  boolean: (): Schema => ({ kind: "boolean" }),
  array: (items: Schema): Schema => ({ kind: "array", items }),
  object: (fields: Record<string, Schema>, options: { readonly required?: readonly string[] } = {}): Schema => {
    const unknown = (options.required ?? []).filter((k) => !(k in fields));
    if (unknown.length > 0) throw new TypeError(`s.object: required keys ${unknown.join(", ")} are not fields of the object`);
    return options.required && options.required.length > 0 ? { kind: "object", fields, required: options.required } : { kind: "object", fields };
  },
};

/** Where configuration comes from. */
export interface ConfigSources {
  /** Working directory, where `platform.config.json` is looked for. @default process.cwd() */
  readonly cwd?: string;
  /** Environment (`PLATFORM_CONFIG`, `AKS_SECRETS__*` overrides). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** cdktf context value `config` (from cdktf.json `context` or `--context`), an object. @default none */
  readonly context?: unknown;
}

/** The default configuration file, looked for in the working directory. */
export const CONFIG_FILE = "platform.config.json";
/** Prefix of environment overrides: `AKS_SECRETS__PLATFORM__LOCATION=northeurope`. */
export const ENV_PREFIX = "AKS_SECRETS__";

/**
 * Loads configuration in layers, later ones winning: cdktf context `config`, then the file
 * (`PLATFORM_CONFIG` or `platform.config.json` when present), then `AKS_SECRETS__*`
 * environment variables. Every layer is checked against `schema`: unknown keys, wrong
 * types and unparseable values are reported together as a {@link ValidationError} whose
 * path names the layer (`config file platform.config.json`, `environment`, `cdktf context`).
 */
export function loadConfig<T>(schema: Schema, sources: ConfigSources = {}): T {
  const cwd = sources.cwd ?? process.cwd();
  const env = sources.env ?? process.env;
  const problems: ValidationProblem[] = [];
  let merged: any = {};
  /** What each layer gave, for naming the layers an object came from. */
  const layers: Layer[] = [];

  if (sources.context !== undefined) {
    const checked = check(schema, sources.context, "", "cdktf context `config`", problems);
    layers.push({ where: () => "cdktf context `config`", value: checked });
    merged = merge(merged, checked);
  }

  const explicit = env.PLATFORM_CONFIG?.trim();
  const file = path.resolve(cwd, explicit || CONFIG_FILE);
  if (explicit || fs.existsSync(file)) {
    const where = `config file ${path.relative(cwd, file) || file}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      problems.push({ path: where, field: "(file)", value: show(file), rule: `must be readable JSON: ${(e as Error).message}` });
    }
    if (parsed !== undefined) {
      const checked = check(schema, parsed, "", where, problems);
      layers.push({ where: () => where, value: checked });
      merged = merge(merged, checked);
    }
  }

  const { out: overrides, set } = envOverrides(schema, env, problems);
  layers.push({ where: (at) => `environment ${set.filter((v) => v.path.startsWith(`${at}.`)).map((v) => v.name).join(", ")}`, value: overrides });
  merged = merge(merged, overrides);
  checkMergedRequired(schema, merged, "", layers, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  return merged as T;
}

/** One configuration layer: what it gave (checked), and how to name it for the object at a path. */
interface Layer {
  readonly where: (at: string) => string;
  readonly value: unknown;
}

/**
 * Required keys of objects that are not list items, checked on the merged configuration (such
 * an object may be assembled from several layers). The problem names the layers that gave the
 * object, so the fix goes where the rest of it is.
 */
function checkMergedRequired(schema: Schema, value: unknown, at: string, layers: readonly Layer[], problems: ValidationProblem[]): void {
  if (schema.kind !== "object" || !isPlain(value)) return;
  const missing = (schema.required ?? []).filter((k) => value[k] === undefined);
  if (missing.length > 0) {
    const segs = at ? at.split(".") : [];
    const from = layers.filter((l) => isPlain(segs.reduce<any>((o, k) => (isPlain(o) ? o[k] : undefined), l.value))).map((l) => l.where(at));
    for (const k of missing) {
      const sub = at ? `${at}.${k}` : k;
      problems.push({
        path: from.join(" + "),
        field: sub,
        value: show(undefined),
        rule: `is required: ${at || "the configuration"} is set without it (it needs ${schema.required!.join(" and ")}); add ${k} where the rest of ${at || "it"} is, or set ${envName([...segs, k])}`,
      });
    }
  }
  for (const [k, f] of Object.entries(schema.fields)) checkMergedRequired(f, value[k], at ? `${at}.${k}` : k, layers, problems);
}

/** The environment variable that overrides a config path: `platform.keyVaultName` -> `AKS_SECRETS__PLATFORM__KEY_VAULT_NAME`. */
export function envName(pathSegments: readonly string[]): string {
  return ENV_PREFIX + pathSegments.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()).join("__");
}

/** Every environment variable the schema accepts, with its config path. */
export function envVariables(schema: Schema, at: string[] = []): { name: string; path: string; schema: Schema }[] {
  if (schema.kind === "object") return Object.entries(schema.fields).flatMap(([k, f]) => envVariables(f, [...at, k]));
  return [{ name: envName(at), path: at.join("."), schema }];
}

function envOverrides(schema: Schema, env: NodeJS.ProcessEnv, problems: ValidationProblem[]): { out: any; set: { name: string; path: string }[] } {
  const known = new Map(envVariables(schema).map((v) => [v.name, v]));
  const out: any = {};
  const set: { name: string; path: string }[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const v = known.get(name);
    if (!v) {
      const near = closest(name, [...known.keys()]);
      problems.push({ path: "environment", field: name, value: show(raw), rule: `is not a configuration variable${near ? `; did you mean ${near}?` : ""} (envVariables() lists them all)` });
      continue;
    }
    let value: unknown = raw;
    if (v.schema.kind === "number") {
      value = Number(raw);
      if (raw.trim() === "" || Number.isNaN(value)) {
        problems.push({ path: `environment ${name}`, field: v.path, value: show(raw), rule: "must be a number" });
        continue;
      }
    }
    else if (v.schema.kind === "boolean") value = raw === "true" ? true : raw === "false" ? false : raw;
    else if (v.schema.kind === "array") {
      const t = raw.trim();
      if (t.startsWith("[")) {
        try {
          value = JSON.parse(t);
        } catch (e) {
          problems.push({ path: "environment", field: name, value: show(raw), rule: `must be a JSON array or a comma-separated list: ${(e as Error).message}` });
          continue;
        }
      } else value = t === "" ? [] : t.split(",").map((x) => x.trim());
    }
    const checked = check(v.schema, value, v.path, `environment ${name}`, problems);
    let node = out;
    const segs = v.path.split(".");
    segs.slice(0, -1).forEach((k) => (node = node[k] ??= {}));
    node[segs[segs.length - 1]] = checked;
    set.push({ name, path: v.path });
  }
  return { out, set };
}

/** Checks one layer's value; `inList` is true inside a list item (given whole by this layer, so its required keys are checked here). */
function check(schema: Schema, value: unknown, at: string, where: string, problems: ValidationProblem[], inList = false): unknown {
  const fail = (rule: string) => problems.push({ path: where, field: at || "(root)", value: show(value), rule });
  switch (schema.kind) {
    case "string":
      if (typeof value !== "string") return fail("must be a string"), undefined;
      if (schema.oneOf && !schema.oneOf.includes(value)) return fail(`must be one of ${schema.oneOf.map((x) => JSON.stringify(x)).join(", ")}`), undefined;
      return value;
    case "number":
      if (typeof value !== "number" || Number.isNaN(value)) return fail("must be a number"), undefined;
      if (schema.integer && !Number.isInteger(value)) return fail("must be a whole number"), undefined;
      if ((schema.min !== undefined && value < schema.min) || (schema.max !== undefined && value > schema.max)) return fail(`must be from ${schema.min} to ${schema.max}`), undefined;
      return value;
    case "boolean":
      if (typeof value !== "boolean") return fail("must be true or false"), undefined;
      return value;
    case "array":
      if (!Array.isArray(value)) return fail("must be a list"), undefined;
      return value.map((item, i) => check(schema.items, item, `${at}[${i}]`, where, problems, true));
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("must be an object"), undefined;
      const out: Record<string, unknown> = {};
      if (inList && schema.required) {
        for (const k of schema.required.filter((r) => (value as Record<string, unknown>)[r] === undefined)) {
          problems.push({ path: where, field: `${at}.${k}`, value: show(undefined), rule: `is required: every item of ${at.replace(/\[\d+\]$/, "")} needs ${schema.required.join(", ")}` });
        }
      }
      for (const [k, v] of Object.entries(value)) {
        const sub = at ? `${at}.${k}` : k;
        const f = schema.fields[k];
        if (!f) {
          const near = closest(k, Object.keys(schema.fields));
          problems.push({ path: where, field: sub, value: show(v), rule: `is not a known setting${near ? ` (did you mean ${near}?)` : ""}; known here: ${Object.keys(schema.fields).join(", ")}` });
          continue;
        }
        out[k] = check(f, v, sub, where, problems, inList);
      }
      return out;
    }
  }
}

/** Deep merge: objects merge key by key, anything else (lists included) is replaced. */
export function merge(a: any, b: any): any {
  if (isPlain(a) && isPlain(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return b === undefined ? a : b;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 5)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

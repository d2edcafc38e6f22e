// Names the library derives from user input (credential and identity names, Kubernetes object
// names): valid for their target for every valid input. A derived name that is already valid is
// kept as it is (no change for existing resources); otherwise the characters the target refuses
// become `-`, and when anything was replaced or cut, a short hash of the whole input is appended,
// so two inputs never derive the same name.
import { createHash } from "node:crypto";
import { StringRule } from "./validation";

/** 8 hex characters of the SHA-256 of `input`. */
export function shortHash(input: string): string {
  return createHash("sha256").update(input).digest("hex").slice(0, 8);
}

/**
 * Fits `raw` to a name rule: `raw` itself when `rule` accepts it; else `raw` with every
 * character outside `allowed` turned into `-`, cut to `max` with room for `-HASH` (and the
 * `suffix`, kept at the end), ends trimmed of `-`, `_` and `.`.
 */
export function fitName(raw: string, rule: StringRule, options: { readonly max: number; readonly allowed: RegExp; readonly suffix?: string; readonly lowercase?: boolean }): string {
  const suffix = options.suffix ?? "";
  if (rule.test(raw + suffix)) return raw + suffix;
  const cleaned = [...(options.lowercase ? raw.toLowerCase() : raw)].map((c) => (options.allowed.test(c) ? c : "-")).join("");
  const room = options.max - suffix.length - 9;
  const stem = cleaned.slice(0, room).replace(/^[-_.]+|[-_.]+$/g, "");
  return `${stem || "x"}-${shortHash(raw)}${suffix}`;
}

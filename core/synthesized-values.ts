// A required link never renders as "undefined": every stack that holds a construct of this library
// checks, whenever it is synthesized (app.synth, validateAndSynth, Testing.synth), that no string
// its library constructs synthesize contains `undefined`, `null`,
// `NaN` or `[object Object]` as a word: what JavaScript writes when a value that was never set, an
// object or a failed computation is put into a string. Words the user wrote in a prop (a namespace
// called `null`) are theirs and pass; resources the user made with bare bindings outside the
// library's constructs are not checked.
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { show, ValidationError } from "./validation";

/** A word JavaScript leaves in a string when a value is missing or of the wrong kind. */
const SUSPICIOUS = /(?<![A-Za-z0-9_])(undefined|null|NaN)(?![A-Za-z0-9_])|\[object Object\]/;

interface Registry {
  /** Construct paths of the library's constructs (their elements are checked). */
  readonly paths: Set<string>;
  /** Strings given in props that contain a suspicious word themselves (they pass). */
  readonly userStrings: Set<string>;
}

const REGISTRIES = new WeakMap<IConstruct, Registry>();
const WATCHED = new WeakSet<IConstruct>();

function registry(scope: IConstruct): Registry {
  const root = scope.node.root;
  let r = REGISTRIES.get(root);
  if (!r) REGISTRIES.set(root, (r = { paths: new Set(), userStrings: new Set() }));
  return r;
}

function collectUserStrings(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 12) return;
  if (typeof value === "string") {
    if (SUSPICIOUS.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const x of value) collectUserStrings(x, into, depth + 1);
  } else if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    for (const x of Object.values(value)) collectUserStrings(x, into, depth + 1);
  }
}

/**
 * Registers a construct of this library (with the props it was given) for the check of its
 * stack's synthesized values, and hooks the check into the stack once: every time the stack
 * renders its configuration (`toTerraform`, what app.synth and Testing.synth write), the strings
 * are scanned and a ValidationError is thrown when one holds a suspicious word. The scan reads the
 * configuration cdktf resolves anyway: no second resolution. Called by checkProps.
 */
export function watchSynthesizedValues(scope: IConstruct, props: unknown): void {
  const r = registry(scope);
  r.paths.add(scope.node.path);
  collectUserStrings(props, r.userStrings);
  let stack: TerraformStack;
  try {
    stack = TerraformStack.of(scope);
  } catch {
    return; // not in a stack (yet): nothing synthesizes it
  }
  if (WATCHED.has(stack)) return;
  WATCHED.add(stack);
  // The current rendering, which may already be wrapped (usePinnedProviderVersions): wrap it, not the prototype's.
  const render = stack.toTerraform as (this: TerraformStack) => Record<string, unknown>;
  Object.defineProperty(stack, "toTerraform", {
    configurable: true,
    writable: true,
    value: function (this: TerraformStack) {
      const tf = render.call(this);
      const problems = valueProblems(this, tf);
      if (problems.length > 0) throw new ValidationError(problems.map((p) => ({ path: this.node.path, ...p, value: show(p.value) })));
      return tf;
    },
  });
}

/** The strings of `stack`'s synthesized configuration that hold a suspicious word where a value belongs. */
export function synthesizedValueProblems(stack: TerraformStack): { field: string; value: string; rule: string }[] {
  return valueProblems(stack, (Object.getPrototypeOf(stack).toTerraform as () => Record<string, unknown>).call(stack));
}

function valueProblems(stack: TerraformStack, tf: Record<string, any>): { field: string; value: string; rule: string }[] {
  const r = registry(stack);
  const ours = (path: string | undefined) => {
    if (path === undefined) return false;
    for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (r.paths.has(path.slice(0, i))) return true;
    return r.paths.has(path);
  };
  const stackIsOurs = r.paths.has(stack.node.path);
  const out: { field: string; value: string; rule: string }[] = [];
  const visit = (v: unknown, field: string, at: string, depth: number) => {
    if (depth > 40) return;
    if (typeof v === "string") {
      if (!SUSPICIOUS.test(v)) return;
      let rest = v;
      for (const u of r.userStrings) if (rest.includes(u)) rest = rest.split(u).join(" ");
      const m = SUSPICIOUS.exec(rest);
      if (m) {
        out.push({
          field,
          value: v,
          rule: `holds "${m[0]}" where a value belongs (made by ${at}): a value that was never set, an object or a failed computation reached the configuration; give the missing input, or report it as a bug of that construct`,
        });
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${field}[${i}]`, at, depth + 1));
    } else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) if (k !== "//") visit(x, field === "" ? k : `${field}.${k}`, at, depth + 1);
    }
  };
  for (const section of ["resource", "data"]) {
    for (const [type, byName] of Object.entries((tf[section] ?? {}) as Record<string, Record<string, any>>)) {
      for (const [name, config] of Object.entries(byName)) {
        const at = config?.["//"]?.metadata?.path as string | undefined;
        if (ours(at)) visit(config, `${section === "data" ? "data." : ""}${type}.${name}`, at!, 0);
      }
    }
  }
  if (stackIsOurs) for (const section of ["output", "locals", "provider", "terraform"]) if (tf[section] !== undefined) visit(tf[section], section, stack.node.path, 0);
  return out;
}

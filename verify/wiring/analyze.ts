// One analysis of an app: collect the facts in one walk, run every registered check over them,
// build the report paths, and apply the recorded opt-outs to unverifiable problems.
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { collectFacts, SELF_CHECKED } from "../../core/facts";
import { K8S_PODS } from "../../core/facts-kubernetes";
import { show, ValidationProblem } from "../../core/validation";
import "./checks";
import { Problem, WiringContext } from "./context";
import "./paths";
import { wiringChecks, wiringPathBuilders } from "./registry";
import { RESOURCE_READERS } from "./resources";
import { AcceptedWiring, UNVERIFIED_WIRING_OPT_OUT, WiringPath } from "./types";

/** The outcome of one analysis. */
export interface Analysis {
  readonly context: WiringContext;
  /** Problems that fail validation, by construct. */
  readonly problems: Map<IConstruct, Problem[]>;
  readonly failing: { construct: IConstruct; problem: Problem }[];
  readonly accepted: AcceptedWiring[];
  readonly unusedOptOuts: { path: string; reason: string }[];
  /** Constructs that validate part of their wiring themselves (SELF_CHECKED). */
  readonly selfChecked: IConstruct[];
  /** How many constructs the tree had. */
  readonly size: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Analyses the app under `root`. */
export function analyze(root: IConstruct): Analysis {
  const optOutScopes: IConstruct[] = [];
  const facts = collectFacts(root, {
    readers: RESOURCE_READERS,
    visit: (c) => {
      if (c.node.metadata.some((m) => m.type === UNVERIFIED_WIRING_OPT_OUT)) optOutScopes.push(c);
    },
  });
  const context = new WiringContext(facts);
  for (const check of wiringChecks()) check.run(context, context.reporter(check.id));
  for (const builder of wiringPathBuilders()) builder.build(context);

  const optOutMemo = new Map<IConstruct, { reason: string; at: IConstruct } | undefined>();
  const optOut = (c: IConstruct): { reason: string; at: IConstruct } | undefined => {
    if (optOutMemo.has(c)) return optOutMemo.get(c);
    const m = c.node.metadata.find((x) => x.type === UNVERIFIED_WIRING_OPT_OUT);
    const result = m ? { reason: String(m.data), at: c } : c.node.scope ? optOut(c.node.scope) : undefined;
    optOutMemo.set(c, result);
    return result;
  };
  const problems = new Map<IConstruct, Problem[]>();
  const accepted: AcceptedWiring[] = [];
  const failing: { construct: IConstruct; problem: Problem }[] = [];
  const usedOptOuts = new Set<IConstruct>();
  for (const [c, list] of context.problems) {
    for (const p of list) {
      const o = p.unverifiable ? optOut(c) : undefined;
      if (o) {
        usedOptOuts.add(o.at);
        accepted.push({ path: c.node.path, field: p.field, value: show(p.value), rule: p.rule, reason: o.reason, optOutAt: o.at.node.path });
      } else {
        push(problems, c, p);
        failing.push({ construct: c, problem: p });
      }
    }
  }
  const unusedOptOuts = optOutScopes
    .filter((c) => !usedOptOuts.has(c))
    .flatMap((c) => c.node.metadata.filter((m) => m.type === UNVERIFIED_WIRING_OPT_OUT).map((m) => ({ path: c.node.path, reason: String(m.data) })));
  const selfChecked = facts.all(SELF_CHECKED).map((f) => f.source);
  return { context, problems, failing, accepted, unusedOptOuts, selfChecked: [...new Set(selfChecked)], size: facts.size };
}

/** The report paths, with those through a construct with problems (the class, the VaultAuth or a workload) marked not verified. */
export function finishPaths(a: Analysis, alsoTroubled: readonly IConstruct[] = []): WiringPath[] {
  const troubled = new Set<string>();
  for (const c of [...a.context.problems.keys(), ...alsoTroubled]) {
    troubled.add(c.node.path);
    if (TerraformResource.isTerraformResource(c)) for (const pods of a.context.facts.of(c, K8S_PODS)) if (pods.workload) troubled.add(`workload:${pods.workload}`);
  }
  return a.context.paths.map((p) => ({ ...p, verified: !troubled.has(p.viaPath) && !p.workloads.some((w) => troubled.has(`workload:${w}`)) }));
}

/** While set, the validations registered by the hooks return nothing (to collect the constructs' own checks alone). */
let collectingOwnChecks = false;

/** True while {@link ownWiringProblems} runs the constructs' own validations. */
export function collectingOwn(): boolean {
  return collectingOwnChecks;
}

/**
 * The problems the constructs report themselves about their wiring (a class's read grants, a
 * service account's federated credential), as `validateTree` would list them.
 */
export function ownWiringProblems(a: Analysis): { construct: IConstruct; problem: ValidationProblem }[] {
  const out: { construct: IConstruct; problem: ValidationProblem }[] = [];
  collectingOwnChecks = true;
  try {
    for (const c of a.selfChecked) {
      for (const message of c.node.validate()) {
        let p: { field?: unknown; value?: unknown; rule?: unknown } = {};
        try {
          p = JSON.parse(message);
        } catch {
          /* a plain message */
        }
        out.push({ construct: c, problem: typeof p.field === "string" && typeof p.rule === "string" ? { path: c.node.path, field: p.field, value: String(p.value), rule: p.rule } : { path: c.node.path, field: "(construct)", value: "-", rule: message } });
      }
    }
  } finally {
    collectingOwnChecks = false;
  }
  return out;
}

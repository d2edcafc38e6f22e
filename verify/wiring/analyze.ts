// One analysis of an app: collect the facts in one walk, run every registered check over them,
// build the report paths, and apply the recorded opt-outs to unverifiable problems.
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { collectFacts, SELF_CHECKED } from "../../core/facts";
import { K8S_PODS } from "../../core/facts-kubernetes";
import { show } from "../../core/validation";
import "./checks";
import { Problem, WiringContext } from "./context";
import "./paths";
import { wiringChecks, wiringPathBuilders } from "./registry";
import { RESOURCE_READERS } from "./resources";
import { AcceptedWiring, UNVERIFIED_WIRING_OPT_OUT, WIRING_ACCEPTANCE, WiringPath, WiringProblem } from "./types";

interface OptOutHit {
  readonly reason: string;
  readonly at: IConstruct;
  /** The metadata entry (to find the unused ones). */
  readonly entry: unknown;
}

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

/** Analyses the app under `root`; `visit` sees every construct of the walk. */
export function analyze(root: IConstruct, visit?: (c: IConstruct) => void): Analysis {
  const optOutScopes: IConstruct[] = [];
  const facts = collectFacts(root, {
    readers: RESOURCE_READERS,
    visit: (c) => {
      visit?.(c);
      if (c.node.metadata.some((m) => m.type === UNVERIFIED_WIRING_OPT_OUT || m.type === WIRING_ACCEPTANCE)) optOutScopes.push(c);
    },
  });
  const context = new WiringContext(facts);
  for (const check of wiringChecks()) check.run(context, context.reporter(check.id));
  for (const builder of wiringPathBuilders()) builder.build(context);

  // The innermost scope that accepts an unverifiable problem of this check: allowUnverifiedWiring (any check) or an acceptance of its id.
  const memo = new Map<string, OptOutHit | undefined>();
  const optOut = (c: IConstruct, checkId: string): OptOutHit | undefined => {
    const key = `${c.node.path}\u0000${checkId}`;
    if (memo.has(key)) return memo.get(key);
    let result: OptOutHit | undefined;
    for (const m of c.node.metadata) {
      if ((m.type === WIRING_ACCEPTANCE && m.data?.id === checkId) || m.type === UNVERIFIED_WIRING_OPT_OUT) {
        result = { reason: m.type === WIRING_ACCEPTANCE ? String(m.data.reason) : String(m.data), at: c, entry: m.data };
        break;
      }
    }
    if (!result && c.node.scope) result = optOut(c.node.scope, checkId);
    memo.set(key, result);
    return result;
  };
  const problems = new Map<IConstruct, Problem[]>();
  const accepted: AcceptedWiring[] = [];
  const failing: { construct: IConstruct; problem: Problem }[] = [];
  const used = new Set<unknown>();
  for (const [c, list] of context.problems) {
    for (const p of list) {
      const o = p.unverifiable ? optOut(c, p.checkId) : undefined;
      if (o) {
        used.add(o.entry);
        accepted.push({ path: c.node.path, field: p.field, value: show(p.value), rule: p.rule, checkId: p.checkId, reason: o.reason, optOutAt: o.at.node.path });
      } else {
        push(problems, c, p);
        failing.push({ construct: c, problem: p });
      }
    }
  }
  const unusedOptOuts = optOutScopes.flatMap((c) =>
    c.node.metadata
      .filter((m) => (m.type === UNVERIFIED_WIRING_OPT_OUT || m.type === WIRING_ACCEPTANCE) && !used.has(m.data))
      .map((m) => ({ path: c.node.path, reason: m.type === WIRING_ACCEPTANCE ? `${m.data.id}: ${m.data.reason}` : String(m.data) })),
  );
  const selfChecked = facts.all(SELF_CHECKED).map((f) => f.source);
  return { context, problems, failing, accepted, unusedOptOuts, selfChecked: [...new Set(selfChecked)], size: facts.size };
}

/** The report paths, with those through a construct with problems (the class, the VaultAuth or a workload) marked not verified. */
export function finishPaths(a: Analysis, alsoTroubled: readonly IConstruct[] = []): WiringPath[] {
  const mark = (constructs: Iterable<IConstruct>): Set<string> => {
    const out = new Set<string>();
    for (const c of constructs) {
      out.add(c.node.path);
      if (TerraformResource.isTerraformResource(c)) for (const pods of a.context.facts.of(c, K8S_PODS)) if (pods.workload) out.add(`workload:${pods.workload}`);
    }
    return out;
  };
  const on = (set: Set<string>, p: WiringPath) => set.has(p.viaPath) || p.workloads.some((w) => set.has(`workload:${w}`));
  // Problems that fail synth, and those of constructs whose every problem was accepted with a reason.
  const failing = mark([...a.failing.map((f) => f.construct), ...alsoTroubled]);
  const any = mark([...a.context.problems.keys(), ...alsoTroubled]);
  return a.context.paths.map((p) => {
    const verified = !on(any, p);
    return !verified && !on(failing, p) ? { ...p, verified, accepted: true } : { ...p, verified };
  });
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
export function ownWiringProblems(a: Analysis): { construct: IConstruct; problem: WiringProblem }[] {
  const out: { construct: IConstruct; problem: WiringProblem }[] = [];
  collectingOwnChecks = true;
  try {
    for (const c of a.selfChecked) {
      const checkId = a.context.facts.of(c, SELF_CHECKED)[0]?.checkId;
      for (const message of c.node.validate()) {
        let p: { field?: unknown; value?: unknown; rule?: unknown } = {};
        try {
          p = JSON.parse(message);
        } catch {
          /* a plain message */
        }
        out.push({ construct: c, problem: typeof p.field === "string" && typeof p.rule === "string" ? { path: c.node.path, field: p.field, value: String(p.value), rule: p.rule, checkId } : { path: c.node.path, field: "(construct)", value: "-", rule: message } });
      }
    }
  } finally {
    collectingOwnChecks = false;
  }
  return out;
}

// The registry of wiring checks and of report-path builders. A check is one concern with an id,
// a title, what fails at runtime when it is broken (consequence) and the fix; it reads facts
// through its context and reports problems on the construct that holds the broken link.
import { Reporter, WiringContext } from "./context";

/** One wiring check: one concern, with its catalog entry. */
export interface WiringCheck {
  /** `AKSW-...`: what reports and acceptances (`Verification.of(scope).accept`) name. */
  readonly id: string;
  /** Short name of the concern. */
  readonly title: string;
  /** What fails at runtime when the link is broken (the error a pod or operator sees). */
  readonly consequence: string;
  /** How to fix it, in one line. */
  readonly fix: string;
  /** Reads the facts and reports what is broken or unverifiable. */
  run(ctx: WiringContext, report: Reporter): void;
}

/** Builds report paths (workloads to secrets) from the facts. */
export interface WiringPathBuilder {
  readonly name: string;
  /** Adds paths with `ctx.paths.push(...)`. */
  build(ctx: WiringContext): void;
}

const CHECKS: WiringCheck[] = [];
const PATH_BUILDERS: WiringPathBuilder[] = [];

/** Registers checks (once per id: registering an id again replaces it). Checks run in registration order. */
export function registerWiringCheck(...checks: WiringCheck[]): void {
  for (const c of checks) {
    const i = CHECKS.findIndex((x) => x.id === c.id);
    if (i >= 0) CHECKS[i] = c;
    else CHECKS.push(c);
  }
}

/** Registers report-path builders (once per name). */
export function registerWiringPaths(...builders: WiringPathBuilder[]): void {
  for (const b of builders) {
    const i = PATH_BUILDERS.findIndex((x) => x.name === b.name);
    if (i >= 0) PATH_BUILDERS[i] = b;
    else PATH_BUILDERS.push(b);
  }
}

/** The registered checks, in run order. */
export function wiringChecks(): readonly WiringCheck[] {
  return [...CHECKS];
}

/** The registered report-path builders. */
export function wiringPathBuilders(): readonly WiringPathBuilder[] {
  return [...PATH_BUILDERS];
}

/** The check with this id. */
export function wiringCheck(id: string): WiringCheck | undefined {
  return CHECKS.find((c) => c.id === id);
}

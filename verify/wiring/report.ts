// The wiring report: the paths from workloads to secrets and the problems, as data, Markdown
// and a Mermaid diagram, built from the same analysis as the checks; written beside the output.
import fs from "node:fs";
import path from "node:path";
import { IConstruct } from "constructs";
import { Synthesizable } from "../../core/synth";
import { show } from "../../core/validation";
import { formatSecurityReport, securityReport } from "../security-rules";
import { analyze, Analysis, finishPaths, ownWiringProblems } from "./analyze";
import { currentAnalysis } from "./latest";
import { wiringCheck, wiringChecks } from "./registry";
import { WIRING_REPORT_ENV, WIRING_REPORT_FILE, WiringIdentityMode, WiringReport } from "./types";

/**
 * The wiring of an app as data: each path from workloads to secrets (service account, identity
 * and mode, store, secrets), the wiring problems (empty when valid), unverifiable links accepted
 * with a reason, and the security rules' report. Works whether or not the checks were applied.
 */
export function wiringReport(app: IConstruct): WiringReport {
  const root = app.node.root;
  return reportOf(root, analyze(root));
}

function reportOf(root: IConstruct, analysis: Analysis): WiringReport {
  const own = ownWiringProblems(analysis);
  return readable({
    paths: finishPaths(analysis, own.map((o) => o.construct)),
    problems: [
      ...own.map((o) => o.problem),
      ...analysis.failing.map(({ construct, problem }) => ({ path: construct.node.path, field: problem.field, value: show(problem.value), rule: problem.rule, checkId: problem.checkId })),
    ],
    accepted: analysis.accepted,
    unusedOptOuts: analysis.unusedOptOuts,
    security: securityReport(root),
  });
}

/** How the report shows a value Terraform knows only at apply time (instead of cdktf's `${TfToken[TOKEN.n]}`). */
export const APPLY_TIME_VALUE = "(known at apply time)";
const TOKEN_TEXT = /\$\{TfToken\[[^\]]*\]\}/g;

/** The report with every cdktf token placeholder in its text replaced by {@link APPLY_TIME_VALUE}: a token means nothing to a reader. */
function readable<T>(v: T): T {
  if (typeof v === "string") return v.replace(TOKEN_TEXT, APPLY_TIME_VALUE) as T;
  if (Array.isArray(v)) return v.map(readable) as T;
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, readable(x)])) as T;
  }
  return v;
}

const MODE_LABEL: Record<WiringIdentityMode, string> = {
  "workload-identity": "workload identity",
  "vm-managed-identity": "add-on identity (VM)",
  "vault-jwt": "Vault JWT",
  irsa: "IRSA (IAM role)",
  other: "other",
};

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function mermaidLabel(s: string): string {
  return `"${s.replace(/"/g, "#quot;").replace(/\n/g, " ")}"`;
}

/** The paths as a Mermaid flowchart: workload -> service account -> identity -> store -> secret. */
export function wiringMermaid(report: WiringReport): string {
  const ids = new Map<string, string>();
  const lines = ["flowchart LR"];
  const edges = new Set<string>();
  const broken = new Set<string>();
  const acceptedNodes = new Set<string>();
  const node = (key: string, label: string, shape: "box" | "round" | "store" | "secret" = "box"): string => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
      const l = mermaidLabel(label);
      lines.push(`  ${id}${shape === "store" ? `[(${l})]` : shape === "round" ? `(${l})` : shape === "secret" ? `>${l}]` : `[${l}]`}`);
    }
    return id;
  };
  const edge = (a: string, b: string, label?: string) => {
    const e = label ? `  ${a} -- ${mermaidLabel(label)} --> ${b}` : `  ${a} --> ${b}`;
    if (!edges.has(e)) edges.add(e);
  };
  for (const p of report.paths) {
    const via = node(`via:${p.viaPath}`, p.via);
    const identity = node(`id:${p.identity}`, p.identity, "round");
    const store = node(`store:${p.storeLabel}`, p.storeLabel, "store");
    const sources = p.workloads.length > 0 ? p.workloads.map((w) => node(`w:${p.cluster}:${w}`, w)) : [];
    const sas = p.serviceAccounts.map((s) => node(`sa:${p.cluster}:${s}`, `ServiceAccount ${s}`));
    if (sas.length > 0) {
      for (const w of sources) for (const s of sas) edge(w, s, "runs as");
      for (const s of sas) edge(s, via);
    } else {
      for (const w of sources) edge(w, via, "mounts");
    }
    edge(via, identity, MODE_LABEL[p.identityMode]);
    edge(identity, store, "reads");
    for (const s of p.secrets) edge(store, node(`secret:${p.storeLabel}:${s}`, s, "secret"));
    if (!p.verified && p.accepted) acceptedNodes.add(via);
    else if (!p.verified) broken.add(via);
  }
  lines.push(...edges);
  if (broken.size > 0) {
    lines.push("  classDef broken stroke:#c00,stroke-width:2px");
    lines.push(`  class ${[...broken].join(",")} broken`);
  }
  // An accepted unverifiable link is not broken: drawn dashed, apart from the broken ones.
  const onlyAccepted = [...acceptedNodes].filter((n) => !broken.has(n));
  if (onlyAccepted.length > 0) {
    lines.push("  classDef accepted stroke:#b80,stroke-width:2px,stroke-dasharray:4 3");
    lines.push(`  class ${onlyAccepted.join(",")} accepted`);
  }
  return lines.join("\n");
}

/** ` (AKSW-X: title; at runtime: consequence)` for a problem's check, from the catalog. */
function checkNote(id: string | undefined): string {
  const check = id ? wiringCheck(id) : undefined;
  return check ? ` (${check.id} ${check.title}; at runtime: ${check.consequence})` : "";
}

/** The catalog of the wiring checks as Markdown (id, check, what fails at runtime, fix), e.g. for the README. */
export function wiringChecksMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return ["| Id | Check | At runtime, when broken | Fix |", "|---|---|---|---|", ...wiringChecks().map((c) => `| ${c.id} | ${esc(c.title)} | ${esc(c.consequence)} | ${esc(c.fix)} |`)].join("\n");
}

/** The report as Markdown: a table of paths, a Mermaid diagram, problems, accepted links and the security report. */
export function formatWiringReport(report: WiringReport): string {
  const out: string[] = ["# Wiring report", ""];
  out.push(
    report.problems.length === 0
      ? `${report.paths.length} path(s) from workloads to secrets; no wiring problem${report.accepted.length > 0 ? `; ${report.accepted.length} unverifiable link(s) accepted with a reason` : ""}.`
      : `${report.problems.length} wiring problem(s): synth fails until they are fixed.`,
    "",
  );
  out.push("| Workload | Service account | Via | Provider run by | Identity (mode) | Store | Secrets | Status |", "|---|---|---|---|---|---|---|---|");
  for (const p of report.paths) {
    out.push(
      `| ${mdCell(p.workloads.join(", ") || "(pods not in this app)")} | ${mdCell(p.serviceAccounts.join(", ") || (p.identityMode === "vm-managed-identity" ? "(any: node identity)" : "-"))} | ${mdCell(p.via)} | ${mdCell(p.installer ?? "-")} | ${mdCell(`${p.identity} (${MODE_LABEL[p.identityMode]})`)} | ${mdCell(p.storeLabel)} | ${mdCell(p.secrets.join(", "))}${p.syncedSecrets.length > 0 ? ` → Secret ${mdCell(p.syncedSecrets.join(", "))}` : ""} | ${p.verified ? "verified" : p.accepted ? "accepted (unverifiable link, see below)" : "see problems"} |`,
    );
  }
  out.push("", "```mermaid", wiringMermaid(report), "```", "");
  if (report.problems.length > 0) {
    out.push("## Problems", "");
    for (const p of report.problems) out.push(`- [${p.path}] ${p.field}: ${p.value} — ${p.rule}${checkNote(p.checkId)}`);
    out.push("");
  }
  out.push("## Unverified links accepted (allowUnverifiedWiring)", "");
  if (report.accepted.length === 0) out.push("None.");
  for (const a of report.accepted) out.push(`- [${a.path}] ${a.field}: ${a.value} — accepted on ${a.optOutAt}: ${a.reason}${a.checkId ? ` (${a.checkId})` : ""}`);
  for (const u of report.unusedOptOuts) out.push(`- UNUSED opt-out on [${u.path}]: ${u.reason}`);
  out.push("", "## Security rules", "", "```", formatSecurityReport(report.security), "```", "");
  return out.join("\n");
}

/**
 * Writes the report to `OUTDIR/wiring-report.md` (and prints it when `WIRING_REPORT=1`); returns the file.
 * `outdir` defaults to the cdktf App's `outdir` (the root of `app`'s tree).
 *
 * @throws Error (not a ValidationError) when there is no directory to write to: the tree's root
 * is not a cdktf App (a bare construct tree) and no `outdir` was passed. That is a mistake of the
 * calling code, not of the app's configuration, so it is not reported as bad input; the message
 * names the function, the root and the fix.
 */
export function writeWiringReport(app: IConstruct & { readonly outdir?: string }, outdir: string | undefined = (app.node.root as { outdir?: string }).outdir): string {
  if (!outdir) {
    const root = app.node.root;
    throw new Error(
      `writeWiringReport: no directory to write ${WIRING_REPORT_FILE} to: the root of the construct tree (${root.constructor.name}${root.node.id ? ` "${root.node.id}"` : ""}) has no outdir, so it is not a cdktf App; pass the directory as the second argument, writeWiringReport(app, "cdktf.out"), or build the stacks in an App`,
    );
  }
  return writeReport(formatWiringReport(wiringReport(app)), outdir);
}

function writeReport(text: string, outdir: string): string {
  fs.mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, WIRING_REPORT_FILE);
  fs.writeFileSync(file, text);
  if (process.env[WIRING_REPORT_ENV] === "1") process.stdout.write(`${text}\n`);
  return file;
}

/**
 * validateAndSynth's after-synth hook: writes the report from the analysis its validation made,
 * in the same synchronous run, when the tree is found unchanged since (app.synth()'s stack
 * validations found so, or it is counted here); else from a new one.
 */
export function writeWiringReportHook(app: Synthesizable): void {
  const root = app.node.root;
  const outdir = (root as { outdir?: string }).outdir;
  if (!outdir) return void writeWiringReport(app);
  writeReport(formatWiringReport(reportOf(root, currentAnalysis(root))), outdir);
}

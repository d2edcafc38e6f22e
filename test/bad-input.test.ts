// The bad-input battery: one case per validation of the library. Each case builds the default
// app (five stacks) or adds one construct to it, with one bad value, then runs what
// `validateAndSynth` runs. Every case must fail with a ValidationError naming the construct path,
// field, value and rule on one line of its message, with no stack frame in the message, and
// with nothing written to the output directory. A meta-test reads the validations out of the
// sources (test/bad-input/sites.ts) and fails when one has no case here.
//
// The cases live in test/bad-input/cases/*.ts (each file exports `cases`), the shared ways to
// build a bad app in test/bad-input/fixtures.ts.
import fs from "node:fs";
import path from "node:path";
import { runAppCommand } from "./helpers";
import { assertCase, BadInputCase, freshDir, filesUnder, Outcome, runCase, STACK_FRAME } from "./bad-input/battery";
import { validationSites, ValidationSite } from "./bad-input/sites";

import { ROOT } from "./bad-input/fixtures";

/** Every case file of test/bad-input/cases/, in name order. */
const CASES: BadInputCase[] = fs
  .readdirSync(path.join(__dirname, "bad-input", "cases"))
  .filter((f) => f.endsWith(".ts"))
  .sort()
  .flatMap((f) => (require(path.join(__dirname, "bad-input", "cases", f)) as { cases: BadInputCase[] }).cases);


/**
 * Validation sites that no battery case can reach, each with the reason. The coverage test
 * fails when an entry no longer names a site (remove it) or when a case reaches it.
 */
const UNREACHABLE: { file: string; field: string; rule: string; reason: string }[] = [];

/**
 * Source files whose validations the battery does not cover yet, with the reason. Their sites are
 * still found (and listed by the coverage test's name): remove the entry once cases exist.
 */
const PENDING_FILES: { file: string; reason: string }[] = [];

// ---------------------------------------------------------------------------

const outcomes = new Map<BadInputCase, Outcome>();
const outcome = (c: BadInputCase): Outcome => {
  let o = outcomes.get(c);
  if (!o) outcomes.set(c, (o = runCase(c)));
  return o;
};

describe("bad input fails at synth with path, field, value and rule, and writes nothing", () => {
  test("case names are unique", () => {
    const names = CASES.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  test.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    assertCase(c, outcome(c));
  });
});

describe("the battery covers every validation of the library", () => {
  const allSites = validationSites(ROOT);
  const pending = new Set(PENDING_FILES.map((p) => p.file));
  const sites = allSites.filter((s) => !pending.has(s.file));

  test("the sources are read: sites are found in every construct and stack file that validates", () => {
    const files = new Set(sites.map((s) => s.file));
    for (const f of ["constructs/azure/aks-cluster.ts", "constructs/kubernetes/secret-provider-class.ts", "verify/security-rules.ts", "app/config.ts", "app/backend.ts", "stacks/platform-stack.ts"]) expect(files).toContain(f);
    expect(sites.length).toBeGreaterThan(200);
  });

  /** The cases whose asserted problem comes from this site. */
  const casesOf = (s: ValidationSite) =>
    CASES.filter((c) => {
      const o = outcome(c);
      const p = o.matched;
      return !!p && s.field.test(p.field) && (!s.rule || s.rule.test(p.rule)) && (!s.constructClass || o.classes.includes(s.constructClass));
    });
  const allowed = (s: ValidationSite) => UNREACHABLE.find((u) => u.file === s.file && u.field === s.fieldSource && (s.ruleSource ?? "").includes(u.rule));

  test("every validation site has a case (or an allow-list entry with its reason)", () => {
    const missing = sites
      .filter((s) => !allowed(s) && casesOf(s).length === 0)
      .map((s) => `${s.file}:${s.line} ${s.call}${s.constructClass ? ` in ${s.constructClass}` : ""} field ${s.fieldSource}${s.ruleSource ? ` rule ${s.ruleSource.slice(0, 80)}` : ""}`);
    expect(missing).toEqual([]);
  });

  test("allow-list entries name real sites that no case reaches", () => {
    for (const u of UNREACHABLE) {
      const hits = sites.filter((s) => allowed(s) === u);
      expect([u.field, hits.length > 0]).toEqual([u.field, true]);
      expect([u.field, hits.flatMap(casesOf).map((c) => c.name)]).toEqual([u.field, []]);
    }
  });

  test("every case's problem comes from a validation site (no case tests something the sources do not check)", () => {
    const orphans = CASES.filter((c) => {
      const o = outcome(c);
      return o.matched && !sites.some((s) => casesOf(s).includes(c));
    }).map((c) => c.name);
    expect(orphans).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// End to end: the real app command (what `cdktf synth` runs) in a directory with bad configuration.

function runApp(opts: { config?: unknown; env?: Record<string, string> }) {
  const cwd = freshDir("app");
  const { status, stderr } = runAppCommand(cwd, opts);
  return { status, stderr, written: filesUnder(path.join(cwd, "cdktf.out")) };
}

describe("the app command with bad input: exit 1, the message alone on stderr, nothing written", () => {
  const expectClean = (r: ReturnType<typeof runApp>, line: string) => {
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n")).toContain(line);
    expect(r.stderr.split("\n").filter((l) => STACK_FRAME.test(l))).toEqual([]);
    expect(r.stderr).not.toMatch(/TypeError|ReferenceError|node:internal/);
    expect(r.written).toEqual([]);
  };

  test("a config file whose VNet ranges overlap (fails in the first stack)", () => {
    const r = runApp({ config: { platform: { vnetAddressSpace: ["10.20.0.0/16", "10.20.64.0/18"] } } });
    expectClean(r, '  [platform] vnetAddressSpace[1]: "10.20.64.0/18" — overlaps 10.20.0.0/16 in the same list');
  });

  test("an environment override giving the HVN the VNet's range (fails in a later stack, after platform and cluster are built)", () => {
    const r = runApp({ env: { AKS_SECRETS__HCP_VAULT__HCP__HVN_CIDR: "10.20.0.0/20" } });
    expectClean(r, '  [hcp/hvn] spokes[0].addressRanges[0]: "10.20.0.0/16" — overlaps the HVN CIDR 10.20.0.0/20: overlapping networks cannot be peered');
  });

  test("authorized IP ranges wider than a /8: refused by the cluster itself, with the security rule's limit and explanation", () => {
    const r = runApp({ config: { platform: { apiServerAccess: { mode: "authorizedIpRanges", ranges: ["0.0.0.0/1", "128.0.0.0/1"] } } } });
    for (const [i, range] of ["0.0.0.0/1", "128.0.0.0/1"].entries()) {
      expectClean(r, `  [platform/cluster] apiServerAccess.ranges[${i}]: "${range}" — is wider than a /8: that is no restriction (it opens the API server to 2,147,483,648 addresses); use private mode or ranges of a /8 or narrower`);
    }
    expect(r.stderr).not.toMatch(/AKSS-AKS3/);
  });

  test("Key Vault firewall ranges the vault accepts but the security rules refuse (found only once the tree is complete)", () => {
    const r = runApp({ config: { platform: { keyVaultAllowedIpRanges: ["0.0.0.0/1", "128.0.0.0/1"] } } });
    expect(r.stderr).toMatch(/^ {2}\[platform\/keyvault\/vault\] AKSS-KV2 network_acls\.ip_rules: \["0\.0\.0\.0\/1","128\.0\.0\.0\/1"\] — .*allows 0\.0\.0\.0\/1, 128\.0\.0\.0\/1, wider than a \/8: that is no restriction/m);
    expectClean(r, r.stderr.split("\n").find((l) => l.includes("AKSS-KV2")) ?? "(no AKSS-KV2 line)");
  });
});

// The security rules, one a file (cdk-nag style): each file under verify/security/rules/ exports
// one rule named after the file, and the registry lists every one of them once, in report order.
import fs from "node:fs";
import path from "node:path";
import { SECURITY_RULES, securityRule } from "../../../verify/security-rules";

const DIR = path.resolve(__dirname, "../../../verify/security/rules");

test("one rule a file, the file named after the rule, every file in the registry", () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts");
  expect(files).toHaveLength(SECURITY_RULES.length);
  for (const f of files) {
    const name = f.replace(/\.ts$/, "");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(DIR, f)) as Record<string, { id: string }>;
    expect(Object.keys(mod)).toEqual([name]);
    const src = fs.readFileSync(path.join(DIR, f), "utf8");
    expect(src.match(/^ {2}id: "AKSS-[A-Z0-9]+",$/gm)).toHaveLength(1);
    expect(SECURITY_RULES).toContain(mod[name]);
    expect(securityRule(mod[name].id)).toBe(mod[name]);
  }
  expect(new Set(SECURITY_RULES.map((r) => r.id)).size).toBe(SECURITY_RULES.length);
});

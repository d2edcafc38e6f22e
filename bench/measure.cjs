// Preloaded into a measured process (node -r): on exit, writes its peak RSS (bytes) to the
// file named by BENCH_REPORT, so the parent can read it without parsing the child's output.
const fs = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_REPORT) fs.writeFileSync(process.env.BENCH_REPORT, String(process.resourceUsage().maxRSS * 1024));
});

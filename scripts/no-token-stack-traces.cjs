// cdktf records a full, unlimited stack trace for every token it creates (Lazy, Intrinsic),
// shown only in some of its own error messages ("token created at"). It is a quarter of the
// synthesis time of a large app (bench/scale.mjs --profile). cdktf calls it through its module's
// export, so replacing the export turns it off. Loaded by the app command (scripts/run-app.mjs)
// and, with `node -r`, by the benchmarks' child processes, so they measure what the app command
// runs. CDKTF_TOKEN_STACK_TRACES=1 keeps the traces.
if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1") {
  require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
}

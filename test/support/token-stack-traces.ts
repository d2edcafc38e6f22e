// What the app command does (scripts/no-token-stack-traces.cjs), for every jest file: cdktf
// records a full, unlimited stack trace for every token it creates, and under jest each one is
// formatted through jest's source-map remapping, which makes building an app several times
// slower. The library never reads those traces; errors keep their (remapped) stacks.
// CDKTF_TOKEN_STACK_TRACES=1 keeps the traces, as for the app command.
if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
}

// Tests are transpiled by esbuild (scripts/jest-esbuild-transform.cjs): no type-checking in the
// transform, `npm test` runs tsc before jest. Jest 29: jest 30's resolver needs native
// bindings that the project's registry does not carry for every platform, which breaks `npm ci`.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Both cores: jest's default (cores - 1) runs one worker on these 2-core machines.
  maxWorkers: 2,
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/scripts/jest-esbuild-transform.cjs" },
  setupFilesAfterEnv: ["<rootDir>/test/support/token-stack-traces.ts", "<rootDir>/test/support/addresses.ts"],
  moduleFileExtensions: ["ts", "js", "json"],
  // `npm run coverage`: V8's own coverage (the esbuild transform emits no istanbul counters), over
  // the library's sources only.
  collectCoverageFrom: ["{core,constructs,verify,stacks,app}/**/*.ts", "!**/index.ts"],
  coverageReporters: ["text-summary", "text"],
};

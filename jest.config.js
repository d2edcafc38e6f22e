// Tests transpile with SWC (no type-checking in the transform: `npm test` runs tsc first),
// which keeps the suite fast; ts-jest would type-check each file again and does not
// support TypeScript 7.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
};

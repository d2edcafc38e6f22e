#!/usr/bin/env node
// Checks every kubernetes_manifest in a synthesized cdktf output against the
// upstream CRD schemas vendored in vendor/crds/ (provenance in vendor/crds/SOURCES.md), the way a Kubernetes API server with
// strict field validation would: wrong types, unknown fields, missing required
// fields and bad object names are errors.
//
//   node scripts/check-manifests.mjs [CDKTF_OUT_DIR]      (default: ./cdktf.out)
//
// Vendored from the company's shared conformance checker (shared/conformance/check-manifests.mjs,
// 2026-12-04) so that a plain clone of the project checks itself; only the schema folder moved.
//
// Exit 0 when every manifest of a known kind conforms; 1 otherwise; 2 when
// there is nothing to check. The last line is a one-line summary.
// Terraform interpolations ("${...}") stand for values known only at apply
// time and are accepted wherever a scalar is expected.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] ?? "cdktf.out");

const schemas = new Map(); // "group/version/Kind" -> openAPIV3Schema
const crdDir = path.join(here, "..", "vendor", "crds");
for (const f of fs.readdirSync(crdDir)) {
  if (!f.endsWith(".schema.json")) continue;
  const crd = JSON.parse(fs.readFileSync(path.join(crdDir, f), "utf8"));
  for (const [version, schema] of Object.entries(crd.versions)) {
    schemas.set(`${crd.group}/${version}/${crd.kind}`, schema);
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isToken = (v) => typeof v === "string" && v.includes("${");

function typeOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (Number.isInteger(v)) return "integer";
  return typeof v;
}

function validate(value, schema, at, errors) {
  if (!schema) return;
  if (value === null || value === undefined) {
    if (!schema.nullable && value === null) errors.push(`${at}: null is not allowed`);
    return;
  }
  if (isToken(value) && schema.type !== "string") return; // unknown until apply
  if (schema["x-kubernetes-int-or-string"]) {
    if (!["integer", "string"].includes(typeOf(value))) errors.push(`${at}: expected integer or string, got ${typeOf(value)}`);
    return;
  }
  const t = typeOf(value);
  switch (schema.type) {
    case "object":
      if (t !== "object") { errors.push(`${at}: expected object, got ${t}`); return; }
      for (const req of schema.required ?? []) {
        if (!(req in value)) errors.push(`${at}: missing required field "${req}"`);
      }
      for (const [k, v] of Object.entries(value)) {
        if (schema.properties && k in schema.properties) {
          validate(v, schema.properties[k], `${at}.${k}`, errors);
        } else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
          validate(v, schema.additionalProperties, `${at}.${k}`, errors);
        } else if (!schema["x-kubernetes-preserve-unknown-fields"] && schema.properties) {
          errors.push(`${at}: unknown field "${k}"`);
        }
      }
      return;
    case "array":
      if (t !== "array") { errors.push(`${at}: expected array, got ${t}`); return; }
      if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
      value.forEach((item, i) => validate(item, schema.items, `${at}[${i}]`, errors));
      return;
    case "string":
      if (t !== "string") { errors.push(`${at}: expected string, got ${t}`); return; }
      if (isToken(value)) return;
      if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: "${value}" is not one of ${schema.enum.join(", ")}`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: "${value}" does not match ${schema.pattern}`);
      if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
      return;
    case "integer":
      if (t !== "integer") { errors.push(`${at}: expected integer, got ${t}`); return; }
      if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below minimum ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above maximum ${schema.maximum}`);
      return;
    case "number":
      if (t !== "integer" && t !== "number") errors.push(`${at}: expected number, got ${t}`);
      return;
    case "boolean":
      if (t !== "boolean") errors.push(`${at}: expected boolean, got ${t}`);
      return;
    default:
      return;
  }
}

function checkMetadata(meta, at, errors) {
  if (!meta || typeof meta !== "object") { errors.push(`${at}: metadata is missing`); return; }
  if (typeof meta.name !== "string" || (!isToken(meta.name) && (!DNS1123_SUBDOMAIN.test(meta.name) || meta.name.length > 253))) {
    errors.push(`${at}.name: "${meta.name}" is not a valid object name (DNS-1123 subdomain)`);
  }
  if (meta.namespace !== undefined && !isToken(meta.namespace) && (!DNS1123_LABEL.test(meta.namespace) || meta.namespace.length > 63)) {
    errors.push(`${at}.namespace: "${meta.namespace}" is not a valid namespace (DNS-1123 label)`);
  }
}

const stacksDir = path.join(outDir, "stacks");
if (!fs.existsSync(stacksDir)) {
  console.log(`conformance: no synthesized stacks under ${outDir}`);
  process.exit(2);
}

let checked = 0, failed = 0, unknownKinds = 0;
for (const stack of fs.readdirSync(stacksDir)) {
  const file = path.join(stacksDir, stack, "cdk.tf.json");
  if (!fs.existsSync(file)) continue;
  const tf = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const [name, res] of Object.entries(tf.resource?.kubernetes_manifest ?? {})) {
    const m = res.manifest;
    const where = `${stack}: kubernetes_manifest.${name}`;
    if (!m || typeof m !== "object") { console.log(`${where}: manifest is not an object`); failed++; continue; }
    const [group, version] = String(m.apiVersion).includes("/") ? String(m.apiVersion).split("/") : ["", m.apiVersion];
    const schema = schemas.get(`${group}/${version}/${m.kind}`);
    if (!schema) { unknownKinds++; console.log(`${where}: no schema here for ${m.apiVersion} ${m.kind} (not checked)`); continue; }
    const errors = [];
    checkMetadata(m.metadata, "metadata", errors);
    const { metadata, ...rest } = m;
    validate(rest, { ...schema, properties: { ...schema.properties, metadata: undefined } }, m.kind, errors);
    checked++;
    if (errors.length) {
      failed++;
      for (const e of errors) console.log(`${where}: ${e}`);
    }
  }
}

if (checked === 0) {
  console.log(`conformance: no manifest of a known kind found (${unknownKinds} of unknown kinds)`);
  process.exit(2);
}
console.log(`conformance: ${checked - failed} of ${checked} manifests conform to the upstream CRD schemas${unknownKinds ? `, ${unknownKinds} of other kinds not checked` : ""}`);
process.exit(failed ? 1 : 0);

// The measured process of bench/scale.mjs: the default app plus N workloads bound to Key Vault
// secrets with KeyVaultWorkloadBinding, validated and synthesized with validateAndSynth, as the
// app command (main.ts) does.
// bench/scale.mjs bundles this file with esbuild and runs it once per size and run, so memory
// is measured per size. Standalone:
//
//   node BUNDLE.cjs --workloads N --outdir DIR [--auth rbac|accessPolicy] [--per-namespace K] [--identity-bindings]
//
// --identity-bindings: the fleet shares ONE identity through an AKS identity binding (azapi) and
// one ClusterRole, instead of an identity and a federated credential per workload.
//
// Prints one JSON line: { workloads, namespaces, secrets, authorization, ms: { load, build, validate, synth, after }, maxRssBytes, cpuMs }
// (cpuMs: user + system CPU time of the process so far, all threads).
// `load` is the time from process start to the first line of this module (node and the
// provider modules loading); build = buildDefaultApp + the bindings; validate, synth and after
// are validateAndSynth's three steps (validateTree, app.synth(), after-synth hooks).
import { performance } from "node:perf_hooks";
import { App } from "cdktf";
import { KeyVaultWorkloadBinding } from "../constructs/bindings/key-vault-workload-binding";
import { WorkloadIdentity } from "../constructs/azure/workload-identity";
import { IdentityBindingClusterRole } from "../constructs/kubernetes/identity-binding-role";
import { KeyVaultAuthorization } from "../constructs/azure/key-vault";
import { validateAndSynth } from "../core/synth";
import { buildDefaultApp } from "../app/default-app";

const tLoaded = performance.now();

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
}

/** The i-th bound workload: team namespaces of `perNamespace` workloads, a service account each, 1-3 secrets. */
function scaleWorkload(i: number, perNamespace: number) {
  const namespace = `team-${String(Math.floor(i / perNamespace)).padStart(3, "0")}`;
  const serviceAccountName = `app-${String(i).padStart(4, "0")}`;
  const secrets = Array.from({ length: 1 + (i % 3) }, (_, j) => `${namespace}-${serviceAccountName}-s${j}`);
  return { id: `scale-${serviceAccountName}`, namespace, serviceAccountName, secrets, sync: i % 2 === 0 };
}

const workloads = Number(arg("workloads"));
const outdir = arg("outdir");
const authorization = arg("auth", "rbac") as KeyVaultAuthorization;
const perNamespace = Number(arg("per-namespace", "10"));
const identityBindings = process.argv.includes("--identity-bindings");

let t = performance.now();
const app = new App({ outdir });
// Key Vault access policies are capped at 1024 per vault: at hundreds of workloads, RBAC
// (one role assignment per workload and secret) is the model that scales.
const { platform, cluster } = buildDefaultApp(app, { platform: { keyVaultAuthorization: authorization } });
const namespaces = new Set<string>();
let secrets = 0;
// Identity-binding fleet: one shared identity, bound to the cluster, one ClusterRole for all.
let role: IdentityBindingClusterRole | undefined;
if (identityBindings) {
  const shared = new WorkloadIdentity(platform, "fleet", { name: "id-fleet", resourceGroupName: platform.resourceGroup.name, location: platform.location, issuer: platform.cluster });
  role = new IdentityBindingClusterRole(cluster, "fleet-role", { binding: platform.bindIdentity(shared) });
}
for (let i = 0; i < workloads; i++) {
  const w = scaleWorkload(i, perNamespace);
  namespaces.add(w.namespace);
  secrets += w.secrets.length;
  // The vault holds the team's secrets (declared by name; a binding mounts only declared secrets).
  for (const name of w.secrets) platform.keyVault.declareSecret(name);
  new KeyVaultWorkloadBinding(platform, cluster, w.id, {
    cluster: platform.cluster,
    keyVault: platform.keyVault,
    namespace: w.namespace,
    serviceAccountName: w.serviceAccountName,
    secrets: w.secrets,
    resourceGroupName: platform.resourceGroup.name,
    location: platform.location,
    sync: w.sync,
    identityBinding: role,
  });
}
const build = performance.now() - t;

// What the app command runs (main.ts): validateAndSynth = validateTree, then app.synth(), then
// any after-synth hooks. app.synth is wrapped to split the three phases without changing them.
const synthOf = app.synth.bind(app);
let synthStart = NaN;
let synthEnd = NaN;
app.synth = () => {
  synthStart = performance.now();
  synthOf();
  synthEnd = performance.now();
};
t = performance.now();
validateAndSynth(app); // a ValidationError exits 1 with the message on stderr, as in the app
const done = performance.now();
const validate = synthStart - t;
const synth = synthEnd - synthStart;
const after = done - synthEnd;

const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    workloads,
    namespaces: namespaces.size,
    secrets,
    authorization,
    identityBindings,
    ms: { load: tLoaded, build, validate, synth, after },
    maxRssBytes: usage.maxRSS * 1024,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  })}\n`,
);

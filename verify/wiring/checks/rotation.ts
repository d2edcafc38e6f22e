// Restart on rotation (issue 13): Reloader restarts on the version changes the Secrets Store CSI
// driver writes when it rotates, so the class's cluster must rotate, and the Reloader must watch it.
import { SECRET_ROTATION, RESTART_ON_ROTATION } from "../../../core/facts-rotation";
import { CSI_CLASS } from "../../../core/facts-kubernetes";
import { registerWiringCheck, WiringCheck } from "../registry";

export const RESTART_NEEDS_ROTATION: WiringCheck = {
  id: "AKSW-ROT1",
  title: "Restart on rotation only on a cluster whose CSI driver rotates",
  consequence: "the driver never re-reads the mounted secret, its SecretProviderClassPodStatus never changes and nothing restarts: env vars stay stale",
  fix: "turn the driver's rotation on (AksCluster secretRotation: true, or the self-managed driver's enableSecretRotation)",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(RESTART_ON_ROTATION)) {
      const cls = ctx.facts.last(source, CSI_CLASS);
      const cluster = ctx.clusterOf(source);
      const rotation = cluster?.construct ? ctx.facts.last(cluster.construct, SECRET_ROTATION) : undefined;
      if (rotation && !rotation.enabled) {
        report.broken(source, "podSecrets.restartOnRotation", data.reloader.node.path, `restarts the workloads of SecretProviderClass ${cls ? `${cls.namespace}/${cls.name}` : source.node.path} on rotation, but cluster ${cluster!.label} has secret rotation off: nothing would ever restart; turn the cluster's rotation on`);
      }
    }
  },
};

export const RESTART_SAME_CLUSTER: WiringCheck = {
  id: "AKSW-ROT2",
  title: "The Reloader restarting a class's workloads runs in the class's cluster",
  consequence: "the Reloader watches another cluster's SecretProviderClassPodStatus and never restarts these workloads",
  fix: "install a Reloader in the class's cluster (its cluster stack) and pass that one",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(RESTART_ON_ROTATION)) {
      const mine = ctx.clusterOf(source);
      const theirs = ctx.clusterOf(data.reloader);
      if (!mine || !theirs || ctx.clusters.key(mine) === ctx.clusters.key(theirs)) continue;
      report.broken(source, "podSecrets.restartOnRotation", data.reloader.node.path, `runs in cluster ${theirs.label}, but the class is deployed to cluster ${mine.label}: that Reloader never sees these pods; install a Reloader in cluster ${mine.label}`);
    }
  },
};

registerWiringCheck(RESTART_NEEDS_ROTATION, RESTART_SAME_CLUSTER);

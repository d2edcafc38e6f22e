import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { Construct } from "constructs";
import { isUnresolved, Rules, StringRule, Validator } from "../../core/validation";

/**
 * The OS disk of a node pool. `Managed` (the default) is a remote managed disk, billed apart.
 * `Ephemeral` puts the OS on the VM's local cache or temp disk: faster node start, reimage and
 * upgrade, no disk charge, but the disk must fit that local storage (so `sizeGb` is required:
 * e.g. at most 75 on `Standard_D2ds_v5`, whose temp disk is 75 GiB) and the VM size must have one
 * (a `d` size such as `Standard_D2ds_v5`; `Standard_D2s_v5` has none). Nothing on it survives a
 * reimage: keep state on persistent volumes.
 */
export type AksOsDisk =
  | { readonly type: "Managed"; /** @default - the AKS default size */ readonly sizeGb?: number }
  | { readonly type: "Ephemeral"; readonly sizeGb: number };

/** Azure VM size names (`Standard_D2s_v5`, constrained-vCPU sizes such as `Standard_E4-2ds_v5`). */
export const vmSizeRule: StringRule = {
  description: "must be an Azure VM size name such as Standard_D2s_v5: 1-64 letters, digits, '_' and '-', starting with a letter, no spaces (az vm list-sizes -l LOCATION lists them)",
  test: (v) => /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(v),
};

/**
 * True when the VM size is of a v5 or later family without local storage (no `d` among its
 * feature letters, such as `Standard_D2s_v5`, `Standard_E4as_v6`): it cannot hold an ephemeral
 * OS disk. Other names (older families, GPU sizes) are not judged.
 */
export function lacksLocalDisk(vmSize: string): boolean {
  const m = /^Standard_[A-Z]+\d+(?:-\d+)?([a-z]*)_v(\d+)$/.exec(vmSize);
  return !!m && Number(m[2]) >= 5 && !m[1].includes("d");
}

/**
 * Checks an OS disk setting against the pool's VM size; returns the provider attributes
 * (`os_disk_type`, `os_disk_size_gb`), or nothing to leave the provider's defaults.
 */
export function checkOsDisk(v: Validator, field: string, osDisk: unknown, vmSize: string): { osDiskType?: string; osDiskSizeGb?: number } {
  if (osDisk === undefined) return {};
  const d = osDisk as Partial<{ type: unknown; sizeGb: unknown }> | null;
  if (typeof d !== "object" || d === null || (d.type !== "Managed" && d.type !== "Ephemeral")) {
    v.fail(field, d, 'must be { type: "Managed" | "Ephemeral", sizeGb? }, such as { type: "Ephemeral", sizeGb: 64 }');
    return {};
  }
  if (d.type === "Ephemeral" && d.sizeGb === undefined) {
    v.fail(`${field}.sizeGb`, undefined, "is required for an Ephemeral OS disk: it must fit the VM's cache or temp disk (75 GiB on Standard_D2ds_v5), and AKS's default size may not");
  } else if (d.sizeGb !== undefined) {
    v.check(typeof d.sizeGb === "number" && Number.isInteger(d.sizeGb) && d.sizeGb >= 30 && d.sizeGb <= 2048, `${field}.sizeGb`, d.sizeGb, "must be a whole number of GiB from 30 to 2048");
  }
  if (d.type === "Ephemeral" && !isUnresolved(vmSize) && lacksLocalDisk(vmSize)) {
    v.fail(
      `${field}.type`,
      d.type,
      `needs a VM size with a local cache or temp disk, and ${vmSize} has none: choose a 'd' size such as ${vmSize.replace(/^(Standard_[A-Z]+\d+(?:-\d+)?)([a-z]*)(_v\d+)$/, (_, a: string, f: string, b: string) => `${a}${f.startsWith("a") ? "a" : ""}d${f.replace(/^a/, "")}${b}`)}, or keep type "Managed"`,
    );
  }
  return { osDiskType: d.type, osDiskSizeGb: d.sizeGb as number | undefined };
}

/** Settings of a node pool added to an {@link AksCluster} with {@link AksCluster.addNodePool}. */
export interface AksNodePoolOptions {
  /** Pool name: 1-12 lowercase letters and digits, starting with a letter. */
  readonly name: string;
  /**
   * `User` pools run workloads; `System` pools also run the system pods.
   * @default "User"
   */
  readonly mode?: "User" | "System";
  /**
   * VM size.
   * @default - the cluster's default pool's
   */
  readonly vmSize?: string;
  /**
   * Node count, 1 to 1000.
   * @default 2
   */
  readonly nodeCount?: number;
  /**
   * Subnet of the nodes (Azure CNI puts pods there too).
   * @default - the cluster's node subnet
   */
  readonly subnetId?: string;
  /**
   * OS disk type and size.
   * @default - the cluster's default pool's
   */
  readonly osDisk?: AksOsDisk;
  /**
   * Encrypt the nodes' temp disks and disk caches on the host (encryption at host).
   * @default - the cluster's default pool's
   */
  readonly hostEncryption?: boolean;
  readonly tags?: Record<string, string>;
}

/** What a node pool takes from its cluster. */
export interface AksNodePoolCluster {
  /** ARM ID of the cluster. */
  readonly id: string;
  readonly nodeSubnetId: string;
  readonly nodePoolDefaults: { readonly vmSize: string; readonly osDisk?: AksOsDisk; readonly hostEncryption: boolean; readonly poolNames: readonly string[] };
}

/**
 * A node pool of an {@link AksCluster} (`azurerm_kubernetes_cluster_node_pool`), in the
 * cluster's node subnet unless given another, with its OS disk and host encryption settings.
 */
export class AksNodePool extends Construct {
  /** The underlying resource, `azurerm_kubernetes_cluster_node_pool` at this construct's path (keep the id: a new one replaces the pool). */
  public readonly resource: KubernetesClusterNodePool;
  public readonly name: string;
  public readonly mode: "User" | "System";

  constructor(scope: Construct, id: string, props: AksNodePoolOptions & { readonly cluster: AksNodePoolCluster }) {
    super(scope, id);
    const defaults = props.cluster.nodePoolDefaults;
    const vmSize = props.vmSize ?? defaults.vmSize;
    const nodeCount = props.nodeCount ?? 2;
    const mode = props.mode ?? "User";
    const hostEncryption = props.hostEncryption ?? defaults.hostEncryption;
    const v = new Validator(this)
      .rule("name", typeof props.name === "string" ? props.name : "", Rules.aksNodePoolName)
      .rule("vmSize", vmSize, vmSizeRule)
      .check(mode === "User" || mode === "System", "mode", mode, 'must be "User" or "System"')
      .check(typeof hostEncryption === "boolean", "hostEncryption", hostEncryption, "must be true or false")
      .check(Number.isInteger(nodeCount) && nodeCount >= 1 && nodeCount <= 1000, "nodeCount", nodeCount, "must be a whole number from 1 to 1000");
    if (typeof props.name === "string" && defaults.poolNames.includes(props.name)) {
      v.fail("name", props.name, `is already a node pool of this cluster (${defaults.poolNames.join(", ")}; the default pool's temporary rotation name counts): pool names are unique in a cluster`);
    }
    const disk = checkOsDisk(v, "osDisk", props.osDisk ?? defaults.osDisk, vmSize);
    v.throwIfAny();
    this.name = props.name;
    this.mode = mode;
    this.resource = new KubernetesClusterNodePool(this, "pool", {
      name: props.name,
      kubernetesClusterId: props.cluster.id,
      mode,
      vmSize,
      nodeCount,
      vnetSubnetId: props.subnetId ?? props.cluster.nodeSubnetId,
      ...disk,
      hostEncryptionEnabled: hostEncryption,
      upgradeSettings: { maxSurge: "10%" },
      tags: props.tags,
    });
  }
}

// Automatic upgrades of an AKS cluster: the Kubernetes upgrade channel, the node OS upgrade
// channel and their planned maintenance windows, as AksCluster takes them, with the checks that
// make a bad value fail at synth instead of at apply. What the provider accepts is taken from
// hashicorp/terraform-provider-azurerm v4.81.0 (internal/services/containers/
// kubernetes_cluster_resource.go: automatic_upgrade_channel, node_os_upgrade_channel,
// maintenance_window_auto_upgrade, maintenance_window_node_os).
import type { KubernetesClusterMaintenanceWindowAutoUpgrade } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { isUnresolved, Validator } from "../../core/validation";

/**
 * The Kubernetes upgrade channel (`automatic_upgrade_channel`): `patch` keeps the minor version
 * and takes every patch release (what the Azure portal recommends), `stable` follows the
 * latest minor version but one, `rapid` the latest, `node-image` upgrades only node images
 * (legacy: prefer the node OS channel). `none` turns automatic upgrades off and needs
 * `allowManualUpgrades`.
 */
export type KubernetesUpgradeChannel = "patch" | "stable" | "rapid" | "node-image" | "none";
/** The channels AksCluster accepts, in the order the messages list them. */
export const KUBERNETES_UPGRADE_CHANNELS: readonly KubernetesUpgradeChannel[] = ["patch", "stable", "rapid", "node-image", "none"];

/**
 * The node OS upgrade channel (`node_os_upgrade_channel`): `NodeImage` replaces nodes with the
 * weekly node image, `SecurityPatch` applies OS security patches on the running image (more
 * often, with reimaging when needed). `Unmanaged` leaves patching to the OS's own unattended
 * updates (no coordinated reboots), `None` patches nothing: both need `allowUnmanagedNodeOs`.
 */
export type NodeOsUpgradeChannel = "NodeImage" | "SecurityPatch" | "Unmanaged" | "None";
/** The node OS channels AksCluster accepts. */
export const NODE_OS_UPGRADE_CHANNELS: readonly NodeOsUpgradeChannel[] = ["NodeImage", "SecurityPatch", "Unmanaged", "None"];
/** The node OS channels that leave nodes without AKS-managed patching. */
export const UNMANAGED_NODE_OS_CHANNELS: readonly NodeOsUpgradeChannel[] = ["Unmanaged", "None"];

/** The Kubernetes upgrade channel an AksCluster gets when none is given. */
export const DEFAULT_KUBERNETES_UPGRADE_CHANNEL: KubernetesUpgradeChannel = "patch";
/** The node OS upgrade channel an AksCluster gets when none is given (also the provider's default). */
export const DEFAULT_NODE_OS_UPGRADE_CHANNEL: NodeOsUpgradeChannel = "NodeImage";

export type WeekDay = "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";
const WEEK_DAYS: readonly WeekDay[] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export type WeekIndex = "First" | "Second" | "Third" | "Fourth" | "Last";
const WEEK_INDEXES: readonly WeekIndex[] = ["First", "Second", "Third", "Fourth", "Last"];

/** How often a maintenance window recurs. */
export type MaintenanceSchedule =
  /** Every `intervalDays` days. */
  | { readonly frequency: "Daily"; /** @default 1 */ readonly intervalDays?: number }
  /** Every `intervalWeeks` weeks on `dayOfWeek`. */
  | { readonly frequency: "Weekly"; readonly dayOfWeek: WeekDay; /** @default 1 */ readonly intervalWeeks?: number }
  /** Every `intervalMonths` months on day `dayOfMonth` (1-31). */
  | { readonly frequency: "AbsoluteMonthly"; readonly dayOfMonth: number; /** @default 1 */ readonly intervalMonths?: number }
  /** Every `intervalMonths` months on the `weekIndex` `dayOfWeek` (the last Sunday, ...). */
  | { readonly frequency: "RelativeMonthly"; readonly dayOfWeek: WeekDay; readonly weekIndex: WeekIndex; /** @default 1 */ readonly intervalMonths?: number };

/** A planned maintenance window: when AKS may start the upgrades of one channel. */
export interface MaintenanceWindow {
  readonly schedule: MaintenanceSchedule;
  /** Start time, `HH:mm` (00:00-23:59) in the time zone of `utcOffset`. */
  readonly startTime: string;
  /**
   * Length of the window in hours, 4 to 24 (AKS needs at least four for an upgrade).
   * @default 4
   */
  readonly durationHours?: number;
  /**
   * Time zone of `startTime` and `notAllowed`, `+HH:mm` or `-HH:mm`.
   * @default "+00:00"
   */
  readonly utcOffset?: string;
  /**
   * First day the window applies, `YYYY-MM-DD`.
   * @default - at once
   */
  readonly startDate?: string;
  /**
   * Date ranges (`YYYY-MM-DD`, both days included) with no maintenance, such as a release freeze.
   * @default - none
   */
  readonly notAllowed?: readonly { readonly start: string; readonly end: string }[];
}

/** The planned maintenance windows of the two automatic upgrade channels. */
export interface AksMaintenanceWindows {
  /**
   * When Kubernetes version upgrades of the automatic upgrade channel may start
   * (AKS's `aksManagedAutoUpgradeSchedule`).
   * @default - none: AKS upgrades at any time
   */
  readonly kubernetes?: MaintenanceWindow;
  /**
   * When node OS upgrades of the node OS channel may start (`aksManagedNodeOSUpgradeSchedule`).
   * A new node image ships every week: a weekly window keeps nodes current.
   * @default - none: AKS upgrades at any time
   */
  readonly nodeOs?: MaintenanceWindow;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const UTC_OFFSET = /^[+-](0\d|1[0-4]):[0-5]\d$/;

/** A `YYYY-MM-DD` calendar date, or undefined. */
function parseDate(s: unknown): number | undefined {
  if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? undefined : t;
}

/** The date as the provider's RFC 3339 validators want it (midnight UTC; AKS keeps the date). */
function rfc3339(date: string): string {
  return isUnresolved(date) ? date : `${date}T00:00:00Z`;
}

function isWholeNumber(n: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
}

/**
 * Checks one maintenance window and returns the provider block for it (`undefined` when the
 * window is absent or has a problem, which is then recorded on `v`).
 */
export function checkMaintenanceWindow(v: Validator, field: string, window: unknown): KubernetesClusterMaintenanceWindowAutoUpgrade | undefined {
  if (window === undefined) return undefined;
  if (typeof window !== "object" || window === null || Array.isArray(window)) {
    v.fail(field, window, "must be a maintenance window { schedule, startTime, durationHours?, utcOffset?, startDate?, notAllowed? }");
    return undefined;
  }
  const w = window as Partial<MaintenanceWindow>;
  const s = w.schedule as Partial<Record<string, unknown>> | undefined;
  const frequencies = ["Daily", "Weekly", "AbsoluteMonthly", "RelativeMonthly"];
  let block: KubernetesClusterMaintenanceWindowAutoUpgrade | undefined;
  if (typeof s !== "object" || s === null || !frequencies.includes(s.frequency as string)) {
    v.fail(`${field}.schedule.frequency`, typeof s === "object" && s !== null ? s.frequency : s, `must be one of ${frequencies.map((f) => JSON.stringify(f)).join(", ")}, in a schedule such as { frequency: "Weekly", dayOfWeek: "Sunday" }`);
  } else {
    const intervalKey = s.frequency === "Daily" ? "intervalDays" : s.frequency === "Weekly" ? "intervalWeeks" : "intervalMonths";
    const interval = s[intervalKey] ?? 1;
    v.check(isWholeNumber(interval, 1), `${field}.schedule.${intervalKey}`, interval, "must be a whole number, 1 or more");
    if (s.frequency === "Weekly" || s.frequency === "RelativeMonthly") {
      v.check(WEEK_DAYS.includes(s.dayOfWeek as WeekDay), `${field}.schedule.dayOfWeek`, s.dayOfWeek, `is required for a ${s.frequency} schedule: one of ${WEEK_DAYS.join(", ")}`);
    }
    if (s.frequency === "RelativeMonthly") {
      v.check(WEEK_INDEXES.includes(s.weekIndex as WeekIndex), `${field}.schedule.weekIndex`, s.weekIndex, `is required for a RelativeMonthly schedule: one of ${WEEK_INDEXES.join(", ")}`);
    }
    if (s.frequency === "AbsoluteMonthly") {
      v.check(isWholeNumber(s.dayOfMonth, 1, 31), `${field}.schedule.dayOfMonth`, s.dayOfMonth, "is required for an AbsoluteMonthly schedule: a day of the month from 1 to 31");
    }
    block = {
      frequency: s.frequency as string,
      interval: interval as number,
      dayOfWeek: s.dayOfWeek as string | undefined,
      weekIndex: s.weekIndex as string | undefined,
      dayOfMonth: s.dayOfMonth as number | undefined,
      duration: 0,
    };
  }
  if (!isUnresolved(w.startTime)) v.check(typeof w.startTime === "string" && HH_MM.test(w.startTime), `${field}.startTime`, w.startTime, "is required: the start time as HH:mm, from 00:00 to 23:59, in the time zone of utcOffset");
  const duration = w.durationHours ?? 4;
  v.check(isWholeNumber(duration, 4, 24), `${field}.durationHours`, duration, "must be a whole number of hours from 4 to 24 (AKS needs at least 4 hours for an upgrade)");
  if (w.utcOffset !== undefined && !isUnresolved(w.utcOffset)) {
    v.check(typeof w.utcOffset === "string" && UTC_OFFSET.test(w.utcOffset), `${field}.utcOffset`, w.utcOffset, "must be a UTC offset as +HH:mm or -HH:mm, such as +00:00, +05:30 or -07:00");
  }
  if (w.startDate !== undefined && !isUnresolved(w.startDate)) {
    v.check(parseDate(w.startDate) !== undefined, `${field}.startDate`, w.startDate, "must be a calendar date as YYYY-MM-DD, such as 2026-01-31");
  }
  const notAllowed = w.notAllowed ?? [];
  if (!Array.isArray(notAllowed)) {
    v.fail(`${field}.notAllowed`, notAllowed, "must be a list of date ranges { start, end } (YYYY-MM-DD)");
  } else {
    notAllowed.forEach((r, i) => {
      const start = parseDate((r as { start?: unknown } | null)?.start);
      const end = parseDate((r as { end?: unknown } | null)?.end);
      v.check(
        start !== undefined && end !== undefined && start <= end,
        `${field}.notAllowed[${i}]`,
        r,
        "must be a date range { start, end }, both YYYY-MM-DD, start not after end",
      );
    });
  }
  // The caller throws before it uses the block when anything above (or before) failed.
  if (!block || v.hasProblems) return undefined;
  return {
    ...block,
    duration,
    startTime: w.startTime,
    utcOffset: w.utcOffset ?? "+00:00",
    startDate: w.startDate === undefined ? undefined : rfc3339(w.startDate),
    notAllowed: notAllowed.length > 0 ? (notAllowed as { start: string; end: string }[]).map((r) => ({ start: rfc3339(r.start), end: rfc3339(r.end) })) : undefined,
  };
}

// Facts about secret rotation and restart on rotation (issue 13): whether a cluster's Secrets Store
// CSI driver rotates, and which classes' workloads restart when it does.
import { IConstruct } from "constructs";
import { defineFact } from "./facts";

/** A cluster's (or a self-managed driver's) Secrets Store CSI rotation setting. Source: the cluster construct (or the driver). */
export interface SecretRotationFact {
  readonly enabled: boolean;
  readonly interval: string;
}
export const SECRET_ROTATION = defineFact<SecretRotationFact>("csi.secret-rotation", "whether the cluster's Secrets Store CSI driver re-reads mounted secrets (rotation), and how often");

/** Workloads mounting a class restart when its mounted objects rotate. Source: the class. */
export interface RestartOnRotationFact {
  /** The Reloader that restarts them (its cluster must be the class's). */
  readonly reloader: IConstruct;
  /** The driver the Reloader was given (its rotation must be on). */
  readonly driver: IConstruct;
}
export const RESTART_ON_ROTATION = defineFact<RestartOnRotationFact>("csi.restart-on-rotation", "the workloads mounting this class are restarted by this Reloader when the driver's rotation changes a mounted object");

// Every SecretProviderClass's provider runs on its cluster: a class whose provider nothing
// installs is accepted by the API server, and its pods then stay in ContainerCreating.
import { IConstruct } from "constructs";
import { CSI_CLASS } from "../../../core/facts-kubernetes";
import { CSI_CLASS_SERVED, CSI_PROVIDER } from "../../../core/facts-installers";
import { WiringContext } from "../context";
import { registerWiringCheck, WiringCheck } from "../registry";

/** The construct that would install each provider, for the fix. */
const INSTALLER: Record<string, string> = {
  azure: "the AKS add-on, or AzureKeyVaultCsiProvider beside a self-managed SecretsStoreCsiDriver",
  vault: "VaultCsiProvider",
  aws: "AwsCsiProvider (ASCP) beside a self-managed SecretsStoreCsiDriver",
};

/** `cluster key|provider` -> what runs that provider there. */
export function csiProviders(ctx: WiringContext): Map<string, string> {
  return ctx.once("csi-providers:by-cluster", () => {
    const m = new Map<string, string>();
    for (const { source, data } of ctx.facts.all(CSI_PROVIDER)) {
      const cluster = data.cluster ? ctx.clusters.fromIssuer(data.cluster) : ctx.clusterOf(source);
      const key = `${ctx.clusters.key(cluster)}|${data.provider}`;
      if (!m.has(key)) m.set(key, data.label);
    }
    return m;
  });
}

/** What serves a class (the installer or the add-on), for the report; undefined when nothing does. */
export function classInstaller(ctx: WiringContext, cls: IConstruct, provider: string): string | undefined {
  const served = ctx.facts.last(cls, CSI_CLASS_SERVED);
  if (served) return served.by;
  const cluster = ctx.clusterOf(cls);
  return cluster ? csiProviders(ctx).get(`${cluster.key}|${provider}`) : undefined;
}

export const CSI_PROVIDER_INSTALLED: WiringCheck = {
  id: "AKSW-CSI1",
  title: "The provider of every SecretProviderClass runs on its cluster",
  consequence: 'the API server accepts the class, but the pods mounting it stay in ContainerCreating ("provider not found")',
  fix: "create the class in a ClusterStack (its SecretsStore installs the provider), or set up its scope with SecretsStore.ensure",
  run(ctx, report) {
    for (const { source, data } of ctx.facts.all(CSI_CLASS)) {
      // A SecretsStore served it and reported itself what it could not serve.
      if (ctx.facts.last(source, CSI_CLASS_SERVED)) continue;
      const cluster = ctx.clusterOf(source);
      if (!cluster) continue; // no cluster known: nothing to compare with
      if (csiProviders(ctx).has(`${cluster.key}|${data.provider}`)) continue;
      report.broken(
        source,
        "provider.type",
        data.provider,
        `is a provider nothing installs on cluster ${cluster.label}: the pods' volumes would never mount ("provider not found"). ${INSTALLER[data.provider] ?? `the ${data.provider} provider's installer`} would serve it: create the class in a ClusterStack of that cluster (its SecretsStore installs the provider once and orders the class after it), or call SecretsStore.ensure(scope, { driver }) on the class's stack`,
      );
    }
  },
};

registerWiringCheck(CSI_PROVIDER_INSTALLED);

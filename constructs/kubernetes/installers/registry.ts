import { IConstruct } from "constructs";

/** What serves the SecretProviderClasses created under a scope (a {@link SecretsStore}). */
export interface SecretProviderClassServer {
  /** Installs what the class needs (once per cluster) and orders the class after it. */
  serve(cls: IConstruct): void;
}

const SERVERS = new WeakMap<IConstruct, SecretProviderClassServer>();

/** Makes `server` serve every class created under `scope` (done by `SecretsStore.ensure`). */
export function associateClassServer(scope: IConstruct, server: SecretProviderClassServer): void {
  SERVERS.set(scope, server);
}

/** The server of the nearest scope above `c` (or `c` itself) that has one. */
export function classServerOf(c: IConstruct): SecretProviderClassServer | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const server = SERVERS.get(s);
    if (server) return server;
  }
  return undefined;
}

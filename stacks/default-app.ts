import { Construct } from "constructs";
import { PlatformStack, PlatformStackProps } from "./platform-stack";

/** Everything the default app is configured with. */
export interface DefaultAppConfig {
  readonly platform?: PlatformStackProps;
}

/** The stacks of the default app. */
export interface DefaultApp {
  readonly platform: PlatformStack;
}

/**
 * Composes the default app's stacks into `app`. `main.ts` calls it; tests and benchmarks
 * call it too, so what they check is what `cdktf synth` produces.
 */
export function buildDefaultApp(app: Construct, config: DefaultAppConfig = {}): DefaultApp {
  const platform = new PlatformStack(app, "platform", config.platform);
  return { platform };
}

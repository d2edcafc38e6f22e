import { Testing } from "cdktf";
import { PlatformStack } from "../stacks/platform-stack";

test("platform stack synthesizes", () => {
  const app = Testing.app();
  const stack = new PlatformStack(app, "platform");
  const tf = JSON.parse(Testing.synth(stack, true));
  expect(Object.keys(tf.resource.azurerm_kubernetes_cluster)).toHaveLength(1);
});

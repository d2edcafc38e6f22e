// Bad-input cases for core/provider-versions.ts (issue 11).
import { App } from "cdktf";
import { buildDefaultApp } from "../../../app/default-app";
import { BadInputCase } from "../battery";
import { TENANT } from "../fixtures";

export const cases: BadInputCase[] = [
  {
    name: "azurermMajor context that is not 4 or 5",
    build: (app: App) => {
      app.node.setContext("azurermMajor", 6);
      buildDefaultApp(app, { platform: { tenantId: TENANT } });
    },
    expect: { path: "platform", field: "context.azurermMajor", value: 6, rule: /^must be 4 or 5: the azurerm major/ },
  },
];

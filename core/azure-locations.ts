// The Azure regions (ARM location names) a location prop is checked against. A region missing
// here (a new one, a sovereign cloud's) is accepted once named with allowAzureLocations().
// Provenance: Azure/terraform-azurerm-avm-utl-regions (MIT License, Copyright (c) Microsoft
// Corporation), modules/cached-data/locations.tf.json at commit
// 9064b20bc601af2754cea78f25f7b6e22858ef24 (a cached `az account list-locations` of the public
// cloud): the names of the entries with metadata.regionType "Physical".

/** ARM names of the public cloud's physical regions. */
export const AZURE_LOCATIONS: readonly string[] = [
  "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "austriaeast",
  "belgiumcentral", "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralindia",
  "centralus", "centraluseuap", "chilecentral", "denmarkeast", "eastasia", "eastus", "eastus2",
  "eastus2euap", "eastusstg", "francecentral", "francesouth", "germanynorth", "germanywestcentral",
  "indonesiacentral", "israelcentral", "italynorth", "japaneast", "japanwest", "jioindiacentral",
  "jioindiawest", "koreacentral", "koreasouth", "malaysiawest", "mexicocentral", "newzealandnorth",
  "northcentralus", "northeurope", "norwayeast", "norwaywest", "polandcentral", "qatarcentral",
  "southafricanorth", "southafricawest", "southcentralus", "southcentralusstg", "southeastasia",
  "southindia", "spaincentral", "swedencentral", "switzerlandnorth", "switzerlandwest", "uaecentral",
  "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope", "westindia", "westus", "westus2",
  "westus3",
];

const EXTRA_LOCATIONS = new Set<string>();

/**
 * Accepts these location names in every location prop from now on: a region newer than the
 * library's list, or a sovereign cloud's (`usgovvirginia`, `chinanorth3`). Call it before
 * creating the constructs that use them.
 */
export function allowAzureLocations(...names: string[]): void {
  for (const n of names) EXTRA_LOCATIONS.add(n);
}

/** True when the name is a known region or one accepted with {@link allowAzureLocations}. */
export function isKnownAzureLocation(name: string): boolean {
  return AZURE_LOCATIONS.includes(name) || EXTRA_LOCATIONS.has(name);
}

// In-cluster installers of the Secrets Store CSI driver and its providers (Helm, pinned charts),
// chosen by what the SecretProviderClasses of each cluster need: SecretsStore decides, the
// installer constructs hold one Helm release each.
export * from "./charts";
export * from "./helm-chart-installer";
export * from "./secrets-store-csi-driver";
export * from "./csi-providers";
export * from "./secrets-store";

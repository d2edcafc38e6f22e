// Kubernetes, inside the cluster: annotated service accounts, SecretProviderClasses for the Azure,
// Vault and AWS CSI providers (mounted, optionally synced into Secrets), and the pod pieces an app
// team needs to mount them (PodSecretsMount), the ClusterRole that authorizes service accounts to
// use an AKS identity binding, and Reloader (restart on rotation).
export * from "./secret-provider-class";
export * from "./workload-service-account";
export * from "./pod-secrets-mount";
export * from "./secrets-pod";
export * from "./identity-binding-role";
export * from "./reloader";
export * from "./installers";

// Compiled by `tsc -p .` (npm test): every name the package root exported before the verification
// redesign (issue 15; test/fixtures/public-api.json) is still exported from it, as a type or a value.
// Regenerate from the fixture if names are added on purpose; a name removed from the root fails here.
import type {
  AKS_DEFAULT_SERVICE_CIDR,
  AKS_ENTRA_SERVER_APP_ID,
  AKS_RBAC_CLUSTER_ADMIN,
  AZURE_AD_TOKEN_EXCHANGE_AUDIENCE,
  AcceptedWiring,
  AddHcpVaultOptions,
  AddonIdentity,
  AfterSynthHook,
  AksCluster,
  AksClusterProps,
  ApiServerAccess,
  AwsCsiObject,
  AwsJmesPathEntry,
  AwsProviderConfig,
  AzureCsiIdentity,
  AzureKeyVaultObject,
  AzureKeyVaultProviderConfig,
  AzureObjectType,
  BackendSettings,
  BindingSyncOptions,
  CONFIG_FILE,
  ClientIdentity,
  ClusterAuth,
  ClusterByName,
  ClusterConnection,
  ClusterRef,
  ClusterStack,
  ClusterStackProps,
  ConfigSources,
  DEFAULT_APP_SCHEMA,
  DEFAULT_VAULT_AUDIENCE,
  DEMO_IMAGE,
  DEMO_NAMESPACE,
  DEMO_VAULT_WORKLOAD,
  DEMO_WORKLOAD,
  DefaultApp,
  DefaultAppConfig,
  DemoWorkload,
  DemoWorkloads,
  ENV_PREFIX,
  EXEC_API_VERSION,
  FederatedCredentialInfo,
  GrantSecretReadOptions,
  HCP_VAULT_ADMIN_NAMESPACE,
  HCP_VAULT_TIERS,
  HVN_MAX_PREFIX,
  HVN_MIN_PREFIX,
  HVN_PEERING_ACTIONS,
  HcpStack,
  HcpStackProps,
  HcpVault,
  HcpVaultCluster,
  HcpVaultClusterProps,
  HcpVaultSecretSync,
  HcpVaultTier,
  HcpVaultWorkload,
  HvnPeering,
  HvnPeeringProps,
  HvnSource,
  HvnSpoke,
  HvnSpokePeering,
  IHcpHvn,
  INamespaceFactory,
  IOidcIssuer,
  IPrincipal,
  Ipv4Network,
  JwtKeySource,
  KEY_VAULT_SECRETS_OFFICER,
  KEY_VAULT_SECRETS_USER,
  KEY_VAULT_SECRETS_USER_ROLE_ID,
  KeyVault,
  KeyVaultAuthorization,
  KeyVaultProps,
  KeyVaultSecretRef,
  KeyVaultWorkloadBinding,
  KeyVaultWorkloadBindingProps,
  MAX_ACCESS_POLICIES,
  MAX_FEDERATED_CREDENTIALS,
  MIN_REASON_LENGTH,
  MountedFile,
  NamespaceInput,
  OPT_OUT_METADATA_PREFIX,
  OptOut,
  PlatformStack,
  PlatformStackProps,
  PlatformWorkload,
  PodSecretsMount,
  PodSecretsMountOptions,
  PodYamlOptions,
  PrincipalKind,
  READ_SECRET_PERMISSIONS,
  ROLLOUT_RESTART_KINDS,
  ResourceConfig,
  RolloutRestartKind,
  RuleViolation,
  Rules,
  SECRETS_STORE_API_VERSION,
  SECRETS_STORE_CSI_DRIVER,
  SECURITY_RULES,
  SECURITY_RULE_PREFIX,
  SYNCED_SECRET_TYPES,
  Schema,
  SecretProviderClass,
  SecretProviderClassProps,
  SecretReadGrant,
  SecretStoreProviderConfig,
  SecretWriteGrant,
  SecurityFinding,
  SecurityReport,
  SecurityRule,
  SecurityRuleSuppression,
  SecurityRules,
  ServiceAccountBinding,
  StringRule,
  SuppressedFinding,
  SyncedSecret,
  SyncedSecretData,
  SyncedSecretEnv,
  SyncedSecretEnvVar,
  SyncedSecretType,
  Synthesizable,
  TOO_WIDE_RANGE_REASON,
  UNVERIFIED_WIRING_OPT_OUT,
  UnusedSuppression,
  VSO_API_VERSION,
  VSO_CHART,
  VSO_CHART_REPOSITORY,
  VSO_CHART_VERSION,
  ValidationError,
  ValidationProblem,
  Validator,
  VaultConfigRole,
  VaultConfigStack,
  VaultConfigStackProps,
  VaultCsiObject,
  VaultJwtAuth,
  VaultJwtAuthProps,
  VaultJwtRole,
  VaultJwtRoleOptions,
  VaultKvV2Secret,
  VaultProviderConfig,
  VaultSecretsOperator,
  VaultSecretsOperatorProps,
  VsoSecretDestination,
  VsoVaultAuth,
  VsoVaultAuthProps,
  VsoVaultConnection,
  VsoVaultConnectionProps,
  VsoVaultStaticSecret,
  VsoVaultStaticSecretProps,
  WIDEST_ALLOWED_PREFIX,
  WIRING_REPORT_ENV,
  WIRING_REPORT_FILE,
  WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION,
  WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION,
  WORKLOAD_IDENTITY_TOKEN_EXPIRATION_ANNOTATION,
  WORKLOAD_IDENTITY_USE_LABEL,
  WRITE_SECRET_PERMISSIONS,
  WiringIdentityMode,
  WiringPath,
  WiringReport,
  WorkloadIdentity,
  WorkloadIdentityProps,
  WorkloadIdentityRef,
  WorkloadServiceAccount,
  WorkloadServiceAccountProps,
  addAfterSynthHook,
  addHcpVault,
  addKeyVaultDemo,
  allowUnverifiedWiring,
  applySecurityRules,
  applyWiringChecks,
  backendSettingsFromEnv,
  buildDefaultApp,
  checkCidr,
  checkCidrList,
  checkHvnCidr,
  checkLabel,
  checkOptOut,
  cidrSlug,
  configureBackends,
  contains,
  declareClusterScope,
  defaultVaultName,
  discardEmptyOutput,
  envName,
  envVariables,
  exitWithProblems,
  externalPrincipal,
  formatSecurityReport,
  formatWiringReport,
  hcpSlug,
  isDeployerPrincipal,
  isPrivate,
  isTooWide,
  isUnresolved,
  kubeloginExec,
  kubernetesVersionRule,
  kvV2DataPath,
  loadConfig,
  loadDefaultAppConfig,
  merge,
  overlaps,
  parseCidr,
  parseGoDuration,
  privateDnsZoneIdRule,
  problemMessage,
  readOnlyPolicy,
  readResourceConfig,
  recordOptOut,
  renderConfigValue,
  resolveNamespace,
  s,
  secretDataKeyRule,
  securityReport,
  securityRule,
  securityRulesMarkdown,
  serviceAccountSubject,
  show,
  validateAndSynth,
  validateTree,
  vaultMountPath,
  vmSizeRule,
  wiringMermaid,
  wiringReport,
  workloadIdentityPodLabels,
  workspaceName,
  writeWiringReport,
} from "../index";

/** Uses every imported name (values by `typeof`). */
export interface PublicApiNames {
  AKS_DEFAULT_SERVICE_CIDR: typeof AKS_DEFAULT_SERVICE_CIDR;
  AKS_ENTRA_SERVER_APP_ID: typeof AKS_ENTRA_SERVER_APP_ID;
  AKS_RBAC_CLUSTER_ADMIN: typeof AKS_RBAC_CLUSTER_ADMIN;
  AZURE_AD_TOKEN_EXCHANGE_AUDIENCE: typeof AZURE_AD_TOKEN_EXCHANGE_AUDIENCE;
  AcceptedWiring: AcceptedWiring;
  AddHcpVaultOptions: AddHcpVaultOptions;
  AddonIdentity: AddonIdentity;
  AfterSynthHook: AfterSynthHook;
  AksCluster: typeof AksCluster;
  AksClusterProps: AksClusterProps;
  ApiServerAccess: ApiServerAccess;
  AwsCsiObject: AwsCsiObject;
  AwsJmesPathEntry: AwsJmesPathEntry;
  AwsProviderConfig: AwsProviderConfig;
  AzureCsiIdentity: AzureCsiIdentity;
  AzureKeyVaultObject: AzureKeyVaultObject;
  AzureKeyVaultProviderConfig: AzureKeyVaultProviderConfig;
  AzureObjectType: AzureObjectType;
  BackendSettings: BackendSettings;
  BindingSyncOptions: BindingSyncOptions;
  CONFIG_FILE: typeof CONFIG_FILE;
  ClientIdentity: ClientIdentity;
  ClusterAuth: ClusterAuth;
  ClusterByName: ClusterByName;
  ClusterConnection: ClusterConnection;
  ClusterRef: ClusterRef;
  ClusterStack: typeof ClusterStack;
  ClusterStackProps: ClusterStackProps;
  ConfigSources: ConfigSources;
  DEFAULT_APP_SCHEMA: typeof DEFAULT_APP_SCHEMA;
  DEFAULT_VAULT_AUDIENCE: typeof DEFAULT_VAULT_AUDIENCE;
  DEMO_IMAGE: typeof DEMO_IMAGE;
  DEMO_NAMESPACE: typeof DEMO_NAMESPACE;
  DEMO_VAULT_WORKLOAD: typeof DEMO_VAULT_WORKLOAD;
  DEMO_WORKLOAD: typeof DEMO_WORKLOAD;
  DefaultApp: DefaultApp;
  DefaultAppConfig: DefaultAppConfig;
  DemoWorkload: DemoWorkload;
  DemoWorkloads: DemoWorkloads;
  ENV_PREFIX: typeof ENV_PREFIX;
  EXEC_API_VERSION: typeof EXEC_API_VERSION;
  FederatedCredentialInfo: FederatedCredentialInfo;
  GrantSecretReadOptions: GrantSecretReadOptions;
  HCP_VAULT_ADMIN_NAMESPACE: typeof HCP_VAULT_ADMIN_NAMESPACE;
  HCP_VAULT_TIERS: typeof HCP_VAULT_TIERS;
  HVN_MAX_PREFIX: typeof HVN_MAX_PREFIX;
  HVN_MIN_PREFIX: typeof HVN_MIN_PREFIX;
  HVN_PEERING_ACTIONS: typeof HVN_PEERING_ACTIONS;
  HcpStack: typeof HcpStack;
  HcpStackProps: HcpStackProps;
  HcpVault: HcpVault;
  HcpVaultCluster: typeof HcpVaultCluster;
  HcpVaultClusterProps: HcpVaultClusterProps;
  HcpVaultSecretSync: HcpVaultSecretSync;
  HcpVaultTier: HcpVaultTier;
  HcpVaultWorkload: HcpVaultWorkload;
  HvnPeering: typeof HvnPeering;
  HvnPeeringProps: HvnPeeringProps;
  HvnSource: HvnSource;
  HvnSpoke: HvnSpoke;
  HvnSpokePeering: HvnSpokePeering;
  IHcpHvn: IHcpHvn;
  INamespaceFactory: INamespaceFactory;
  IOidcIssuer: IOidcIssuer;
  IPrincipal: IPrincipal;
  Ipv4Network: Ipv4Network;
  JwtKeySource: JwtKeySource;
  KEY_VAULT_SECRETS_OFFICER: typeof KEY_VAULT_SECRETS_OFFICER;
  KEY_VAULT_SECRETS_USER: typeof KEY_VAULT_SECRETS_USER;
  KEY_VAULT_SECRETS_USER_ROLE_ID: typeof KEY_VAULT_SECRETS_USER_ROLE_ID;
  KeyVault: typeof KeyVault;
  KeyVaultAuthorization: KeyVaultAuthorization;
  KeyVaultProps: KeyVaultProps;
  KeyVaultSecretRef: KeyVaultSecretRef;
  KeyVaultWorkloadBinding: typeof KeyVaultWorkloadBinding;
  KeyVaultWorkloadBindingProps: KeyVaultWorkloadBindingProps;
  MAX_ACCESS_POLICIES: typeof MAX_ACCESS_POLICIES;
  MAX_FEDERATED_CREDENTIALS: typeof MAX_FEDERATED_CREDENTIALS;
  MIN_REASON_LENGTH: typeof MIN_REASON_LENGTH;
  MountedFile: MountedFile;
  NamespaceInput: NamespaceInput;
  OPT_OUT_METADATA_PREFIX: typeof OPT_OUT_METADATA_PREFIX;
  OptOut: OptOut;
  PlatformStack: typeof PlatformStack;
  PlatformStackProps: PlatformStackProps;
  PlatformWorkload: PlatformWorkload;
  PodSecretsMount: typeof PodSecretsMount;
  PodSecretsMountOptions: PodSecretsMountOptions;
  PodYamlOptions: PodYamlOptions;
  PrincipalKind: PrincipalKind;
  READ_SECRET_PERMISSIONS: typeof READ_SECRET_PERMISSIONS;
  ROLLOUT_RESTART_KINDS: typeof ROLLOUT_RESTART_KINDS;
  ResourceConfig: ResourceConfig;
  RolloutRestartKind: RolloutRestartKind;
  RuleViolation: RuleViolation;
  Rules: typeof Rules;
  SECRETS_STORE_API_VERSION: typeof SECRETS_STORE_API_VERSION;
  SECRETS_STORE_CSI_DRIVER: typeof SECRETS_STORE_CSI_DRIVER;
  SECURITY_RULES: typeof SECURITY_RULES;
  SECURITY_RULE_PREFIX: typeof SECURITY_RULE_PREFIX;
  SYNCED_SECRET_TYPES: typeof SYNCED_SECRET_TYPES;
  Schema: Schema;
  SecretProviderClass: typeof SecretProviderClass;
  SecretProviderClassProps: SecretProviderClassProps;
  SecretReadGrant: SecretReadGrant;
  SecretStoreProviderConfig: SecretStoreProviderConfig;
  SecretWriteGrant: SecretWriteGrant;
  SecurityFinding: SecurityFinding;
  SecurityReport: SecurityReport;
  SecurityRule: SecurityRule;
  SecurityRuleSuppression: SecurityRuleSuppression;
  SecurityRules: typeof SecurityRules;
  ServiceAccountBinding: ServiceAccountBinding;
  StringRule: StringRule;
  SuppressedFinding: SuppressedFinding;
  SyncedSecret: SyncedSecret;
  SyncedSecretData: SyncedSecretData;
  SyncedSecretEnv: SyncedSecretEnv;
  SyncedSecretEnvVar: SyncedSecretEnvVar;
  SyncedSecretType: SyncedSecretType;
  Synthesizable: Synthesizable;
  TOO_WIDE_RANGE_REASON: typeof TOO_WIDE_RANGE_REASON;
  UNVERIFIED_WIRING_OPT_OUT: typeof UNVERIFIED_WIRING_OPT_OUT;
  UnusedSuppression: UnusedSuppression;
  VSO_API_VERSION: typeof VSO_API_VERSION;
  VSO_CHART: typeof VSO_CHART;
  VSO_CHART_REPOSITORY: typeof VSO_CHART_REPOSITORY;
  VSO_CHART_VERSION: typeof VSO_CHART_VERSION;
  ValidationError: typeof ValidationError;
  ValidationProblem: ValidationProblem;
  Validator: typeof Validator;
  VaultConfigRole: VaultConfigRole;
  VaultConfigStack: typeof VaultConfigStack;
  VaultConfigStackProps: VaultConfigStackProps;
  VaultCsiObject: VaultCsiObject;
  VaultJwtAuth: typeof VaultJwtAuth;
  VaultJwtAuthProps: VaultJwtAuthProps;
  VaultJwtRole: typeof VaultJwtRole;
  VaultJwtRoleOptions: VaultJwtRoleOptions;
  VaultKvV2Secret: VaultKvV2Secret;
  VaultProviderConfig: VaultProviderConfig;
  VaultSecretsOperator: typeof VaultSecretsOperator;
  VaultSecretsOperatorProps: VaultSecretsOperatorProps;
  VsoSecretDestination: VsoSecretDestination;
  VsoVaultAuth: typeof VsoVaultAuth;
  VsoVaultAuthProps: VsoVaultAuthProps;
  VsoVaultConnection: typeof VsoVaultConnection;
  VsoVaultConnectionProps: VsoVaultConnectionProps;
  VsoVaultStaticSecret: typeof VsoVaultStaticSecret;
  VsoVaultStaticSecretProps: VsoVaultStaticSecretProps;
  WIDEST_ALLOWED_PREFIX: typeof WIDEST_ALLOWED_PREFIX;
  WIRING_REPORT_ENV: typeof WIRING_REPORT_ENV;
  WIRING_REPORT_FILE: typeof WIRING_REPORT_FILE;
  WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION: typeof WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION;
  WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION: typeof WORKLOAD_IDENTITY_TENANT_ID_ANNOTATION;
  WORKLOAD_IDENTITY_TOKEN_EXPIRATION_ANNOTATION: typeof WORKLOAD_IDENTITY_TOKEN_EXPIRATION_ANNOTATION;
  WORKLOAD_IDENTITY_USE_LABEL: typeof WORKLOAD_IDENTITY_USE_LABEL;
  WRITE_SECRET_PERMISSIONS: typeof WRITE_SECRET_PERMISSIONS;
  WiringIdentityMode: WiringIdentityMode;
  WiringPath: WiringPath;
  WiringReport: WiringReport;
  WorkloadIdentity: typeof WorkloadIdentity;
  WorkloadIdentityProps: WorkloadIdentityProps;
  WorkloadIdentityRef: WorkloadIdentityRef;
  WorkloadServiceAccount: typeof WorkloadServiceAccount;
  WorkloadServiceAccountProps: WorkloadServiceAccountProps;
  addAfterSynthHook: typeof addAfterSynthHook;
  addHcpVault: typeof addHcpVault;
  addKeyVaultDemo: typeof addKeyVaultDemo;
  allowUnverifiedWiring: typeof allowUnverifiedWiring;
  applySecurityRules: typeof applySecurityRules;
  applyWiringChecks: typeof applyWiringChecks;
  backendSettingsFromEnv: typeof backendSettingsFromEnv;
  buildDefaultApp: typeof buildDefaultApp;
  checkCidr: typeof checkCidr;
  checkCidrList: typeof checkCidrList;
  checkHvnCidr: typeof checkHvnCidr;
  checkLabel: typeof checkLabel;
  checkOptOut: typeof checkOptOut;
  cidrSlug: typeof cidrSlug;
  configureBackends: typeof configureBackends;
  contains: typeof contains;
  declareClusterScope: typeof declareClusterScope;
  defaultVaultName: typeof defaultVaultName;
  discardEmptyOutput: typeof discardEmptyOutput;
  envName: typeof envName;
  envVariables: typeof envVariables;
  exitWithProblems: typeof exitWithProblems;
  externalPrincipal: typeof externalPrincipal;
  formatSecurityReport: typeof formatSecurityReport;
  formatWiringReport: typeof formatWiringReport;
  hcpSlug: typeof hcpSlug;
  isDeployerPrincipal: typeof isDeployerPrincipal;
  isPrivate: typeof isPrivate;
  isTooWide: typeof isTooWide;
  isUnresolved: typeof isUnresolved;
  kubeloginExec: typeof kubeloginExec;
  kubernetesVersionRule: typeof kubernetesVersionRule;
  kvV2DataPath: typeof kvV2DataPath;
  loadConfig: typeof loadConfig;
  loadDefaultAppConfig: typeof loadDefaultAppConfig;
  merge: typeof merge;
  overlaps: typeof overlaps;
  parseCidr: typeof parseCidr;
  parseGoDuration: typeof parseGoDuration;
  privateDnsZoneIdRule: typeof privateDnsZoneIdRule;
  problemMessage: typeof problemMessage;
  readOnlyPolicy: typeof readOnlyPolicy;
  readResourceConfig: typeof readResourceConfig;
  recordOptOut: typeof recordOptOut;
  renderConfigValue: typeof renderConfigValue;
  resolveNamespace: typeof resolveNamespace;
  s: typeof s;
  secretDataKeyRule: typeof secretDataKeyRule;
  securityReport: typeof securityReport;
  securityRule: typeof securityRule;
  securityRulesMarkdown: typeof securityRulesMarkdown;
  serviceAccountSubject: typeof serviceAccountSubject;
  show: typeof show;
  validateAndSynth: typeof validateAndSynth;
  validateTree: typeof validateTree;
  vaultMountPath: typeof vaultMountPath;
  vmSizeRule: typeof vmSizeRule;
  wiringMermaid: typeof wiringMermaid;
  wiringReport: typeof wiringReport;
  workloadIdentityPodLabels: typeof workloadIdentityPodLabels;
  workspaceName: typeof workspaceName;
  writeWiringReport: typeof writeWiringReport;
}

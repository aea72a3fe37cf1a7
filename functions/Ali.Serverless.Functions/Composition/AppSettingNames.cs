namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// Every application setting the app reads, by the name it has in Azure app settings
/// (double underscore = configuration section separator). The infrastructure tests compare
/// this list with the app settings the Bicep template writes, so keep it the single source.
/// </summary>
public static class AppSettingNames
{
    /// <summary>Which store holds catalog and applications: <c>Sqlite</c> (local default) or <c>Cosmos</c>.</summary>
    public const string StoreProvider = "Store__Provider";

    /// <summary>SQLite database file, local only.</summary>
    public const string SqlitePath = "Store__SqlitePath";

    /// <summary>Cosmos DB account endpoint (from the account's properties, never a hard-coded suffix).</summary>
    public const string CosmosAccountEndpoint = "Cosmos__AccountEndpoint";

    /// <summary>Cosmos DB database name.</summary>
    public const string CosmosDatabaseName = "Cosmos__DatabaseName";

    /// <summary>Cosmos DB account key: only for emulators and the local test server; Azure uses Entra ID.</summary>
    public const string CosmosAccountKey = "Cosmos__AccountKey";

    /// <summary>Storage connection string (Azurite locally). In Azure the identity-based settings below are used.</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>Blob endpoint of the storage account, for identity-based access.</summary>
    public const string StorageBlobServiceUri = "AzureWebJobsStorage__blobServiceUri";

    /// <summary>Queue endpoint of the storage account, for identity-based access.</summary>
    public const string StorageQueueServiceUri = "AzureWebJobsStorage__queueServiceUri";

    /// <summary>Tells the Functions host to use a managed identity for its storage connection.</summary>
    public const string StorageCredential = "AzureWebJobsStorage__credential";

    /// <summary>Client id of the user-assigned managed identity used for storage.</summary>
    public const string StorageClientId = "AzureWebJobsStorage__clientId";

    /// <summary>Client id of the user-assigned managed identity for every other Azure SDK client (Cosmos DB, Service Bus).</summary>
    public const string ManagedIdentityClientId = "AZURE_CLIENT_ID";

    /// <summary>OpenID Connect metadata address of the identity provider that signs callers' tokens.</summary>
    public const string AuthMetadataAddress = "Auth__MetadataAddress";

    /// <summary>Expected token issuer.</summary>
    public const string AuthIssuer = "Auth__Issuer";

    /// <summary>Expected token audience (this API).</summary>
    public const string AuthAudience = "Auth__Audience";

    /// <summary>Claim of staff tokens naming how the user signed in (default <c>amr</c>, as Entra ID and OpenID Connect put it).</summary>
    public const string StaffMfaClaim = "Auth__StaffMfaClaim";

    /// <summary>The value of that claim that means multi-factor sign-in (default <c>mfa</c>).</summary>
    public const string StaffMfaValue = "Auth__StaffMfaValue";

    /// <summary>
    /// Claim of an applicant's token carrying the resident ID number the identity provider verified (一号).
    /// Empty (the default): off, applicants see only what they opened themselves. Decision 13.
    /// </summary>
    public const string IdentityNumberClaim = "Auth__IdentityNumberClaim";

    /// <summary>Symmetric signing key for locally minted development tokens. Never set in Azure.</summary>
    public const string AuthDevelopmentSigningKey = "Auth__DevelopmentSigningKey";

    /// <summary>Minutes an upload target (SAS URL) stays valid.</summary>
    public const string UploadTargetLifetimeMinutes = "Materials__UploadTargetMinutes";

    /// <summary>Minutes a link to read a material stays valid (default 5).</summary>
    public const string ReadLinkLifetimeMinutes = "Materials__ReadLinkMinutes";

    /// <summary>Calendar layers, comma-separated, in order: national, region, prefecture (default cn,540000,542500).</summary>
    public const string CalendarRegions = "Calendar__Regions";

    /// <summary>Working days left at which supervision warns that a limit is near (default 2).</summary>
    public const string NearDueWorkingDays = "Supervision__NearDueWorkingDays";

    /// <summary>Working days a department has to rectify and reply after a bad review (好差评; default 15).</summary>
    public const string RectificationWorkingDays = "Reviews__RectificationWorkingDays";

    /// <summary>
    /// Host name of the Service Bus namespace whose topic <c>department-tasks</c> hands tasks to departments'
    /// own systems (identity-based, the Functions convention <c>&lt;name&gt;__fullyQualifiedNamespace</c>).
    /// Unset (locally): tasks go to a Storage queue per department instead.
    /// </summary>
    public const string ServiceBusNamespace = "ServiceBus__fullyQualifiedNamespace";

    /// <summary>Comma-separated codes of the departments that take their tasks in their own business system.</summary>
    public const string DepartmentSystemsDepartments = "DepartmentSystems__Departments";

    /// <summary>Public base URL of this API, which the task links in messages to departments start with.
    /// Locally it defaults to http://127.0.0.1:7071; in Azure the template writes the app's default host name.</summary>
    public const string DepartmentSystemsApiBaseUrl = "DepartmentSystems__ApiBaseUrl";

    /// <summary>Who sends SMS: <c>Tencent</c> (Tencent Cloud SMS, or locally the fake gateway) or <c>None</c>
    /// (every SMS refused: environments that must text nobody). Unset means <c>None</c>.</summary>
    public const string SmsProvider = "Sms__Provider";

    /// <summary>Base URL of the SMS API (default https://sms.tencentcloudapi.com); locally the fake gateway, http://127.0.0.1:7081.</summary>
    public const string SmsEndpoint = "Sms__Endpoint";

    /// <summary>Tencent Cloud region of the SMS API calls (default ap-guangzhou).</summary>
    public const string SmsRegion = "Sms__Region";

    /// <summary>The SMS application id (SmsSdkAppId) from Tencent's SMS console.</summary>
    public const string SmsSdkAppId = "Sms__SdkAppId";

    /// <summary>The approved SMS signature (签名) every message is sent under.</summary>
    public const string SmsSignName = "Sms__SignName";

    /// <summary>Tencent Cloud API SecretId. In Azure a Key Vault reference (secret <c>sms-secret-id</c>).</summary>
    public const string SmsSecretId = "Sms__SecretId";

    /// <summary>Tencent Cloud API SecretKey. In Azure a Key Vault reference (secret <c>sms-secret-key</c>).</summary>
    public const string SmsSecretKey = "Sms__SecretKey";

    /// <summary>Shared secret the provider's delivery-receipt callback URL must carry. In Azure a Key Vault
    /// reference (secret <c>sms-receipt-token</c>).</summary>
    public const string SmsReceiptToken = "Sms__ReceiptToken";

    /// <summary>
    /// Tencent's template for each of our SMS templates and languages: <c>{templateId: {language: {Id, Params}}}</c>,
    /// Id the approved Tencent template, Params our placeholder names filling its {1}, {2}… in order
    /// ("caseNumber,dueDate"). As JSON text in Azure; locally as the section Sms:Tencent:Templates.
    /// </summary>
    public const string SmsTencentTemplates = "Sms__Tencent__Templates";

    /// <summary>Hour (China Standard Time, 0-23) from which no SMS is sent (default 22).</summary>
    public const string QuietHoursStart = "Notifications__QuietHoursStart";

    /// <summary>Hour (CST) at which held SMS go out (default 8).</summary>
    public const string QuietHoursEnd = "Notifications__QuietHoursEnd";

    /// <summary>At most this many SMS to one phone number per day (default 10).</summary>
    public const string MaxSmsPerPhonePerDay = "Notifications__MaxSmsPerPhonePerDay";

    /// <summary>Tries to hand one SMS to the provider before it fails for good (default 4).</summary>
    public const string SmsMaxAttempts = "Notifications__SmsMaxAttempts";

    /// <summary>Seconds before the second try; doubled for each further try, with jitter (default 2).</summary>
    public const string SmsRetryBaseSeconds = "Notifications__SmsRetryBaseSeconds";

    /// <summary>Whether the SMS provider sends delivery receipts to the callback (then an accepted SMS stays 'sending' until one arrives).</summary>
    public const string SmsReceiptsExpected = "Notifications__SmsReceiptsExpected";

    /// <summary>Secret key of the phone-number hash used to count SMS per number (a Key Vault reference in Azure).</summary>
    public const string PhoneKeySecret = "Notifications__PhoneKey";

    /// <summary>URI of the Key Vault holding the licence signing key (decision 16). Unset: the local key folder (Development only).</summary>
    public const string LicencesKeyVaultUri = "Licences__KeyVaultUri";

    /// <summary>Name of the Key Vault secret whose enabled versions are the licence keys, PKCS#8 PEM (default <c>licence-signing-key</c>).</summary>
    public const string LicencesSigningKeySecretName = "Licences__SigningKeySecretName";

    /// <summary>Local folder of licence key files (default <c>.local/licence-keys</c>, git-ignored). Never set in Azure.</summary>
    public const string LicencesLocalKeyDirectory = "Licences__LocalKeyDirectory";

    /// <summary>Public base URL the verification link in a licence's QR code starts with (in Azure the app's own host);
    /// unset, the host of the request that renders the page.</summary>
    public const string LicencesPublicBaseUrl = "Licences__PublicBaseUrl";

    /// <summary>
    /// <c>true</c> (default) or <c>false</c>: whether the audit records of reads, staff requests and refusals are written
    /// behind the answer (decision 29). <c>false</c> makes each such request wait until its record is written.
    /// </summary>
    public const string AuditWriteReadsBehind = "Audit__WriteReadsBehind";

    /// <summary>Days a draft may stay untouched before it is deleted with its materials (default 30; decision 15).</summary>
    public const string RetentionDraftDays = "Retention__DraftDays";

    /// <summary>
    /// Years an ended case (completed, not accepted, withdrawn after submission) is kept after it ended. Unset:
    /// kept until an operator sets the archive period that applies to the items (decision 15).
    /// </summary>
    public const string RetentionCompletedCaseYears = "Retention__CompletedCaseYears";

    /// <summary>Materials one application holds at once (default 20).</summary>
    public const string MaxMaterialsPerApplication = "Limits__MaxMaterialsPerApplication";

    /// <summary>Files declared over one application's life, replacements included (default 50).</summary>
    public const string MaxDeclarationsPerApplication = "Limits__MaxDeclarationsPerApplication";

    /// <summary>Declared size of an application's materials together, in MiB (default 100).</summary>
    public const string MaxDeclaredMegabytesPerApplication = "Limits__MaxDeclaredMegabytesPerApplication";

    /// <summary>Length of a rate-limit window in minutes (default 60).</summary>
    public const string RateLimitWindowMinutes = "RateLimits__WindowMinutes";

    /// <summary>Applications one account may open per window (default 30).</summary>
    public const string RateLimitOpenApplication = "RateLimits__OpenApplication";

    /// <summary>Material declarations (and fresh upload URLs) one account may ask for per window (default 120).</summary>
    public const string RateLimitDeclareMaterial = "RateLimits__DeclareMaterial";

    /// <summary>Actions that text the applicant (submit, withdraw) one applicant or clerk may take per window (default 30).</summary>
    public const string RateLimitSmsActions = "RateLimits__SmsActions";

    /// <summary>Actions that text the applicant (task completions, special procedures) one reviewer or department system may take per window (default 600).</summary>
    public const string RateLimitStaffSmsActions = "RateLimits__StaffSmsActions";

    /// <summary>URI of the Key Vault holding the keys of personal data (decision 13). Unset: key files (<see cref="PersonalDataKeyDirectory"/>).</summary>
    public const string PersonalDataKeyVaultUri = "PersonalData__KeyVaultUri";

    /// <summary>Name of the Key Vault secret whose versions are the key-encryption key (default <c>personal-data-kek</c>).</summary>
    public const string PersonalDataKekSecretName = "PersonalData__KekSecretName";

    /// <summary>Name of the Key Vault secret holding the HMAC key of the identity-number index (default <c>personal-data-index-key</c>).</summary>
    public const string PersonalDataIndexKeySecretName = "PersonalData__IndexKeySecretName";

    /// <summary>Local only: the git-ignored folder of key files (default <c>.local/keys</c> in Development; required elsewhere without a vault).</summary>
    public const string PersonalDataKeyDirectory = "PersonalData__KeyDirectory";

    /// <summary>
    /// Local only: where traces and metrics go without Application Insights, <c>none</c> (default) or
    /// <c>console</c>. In Azure, <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> (a host setting) selects the
    /// Azure Monitor exporter (decision 20).
    /// </summary>
    public const string TelemetryExporter = "Telemetry__Exporter";

    /// <summary>Names that only local runs and tests set; the Azure template must not.</summary>
    public static readonly IReadOnlyList<string> LocalOnly =
        [SqlitePath, CosmosAccountKey, Storage, AuthDevelopmentSigningKey, PersonalDataKeyDirectory, LicencesLocalKeyDirectory, TelemetryExporter];

    /// <summary>All names the code reads.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        StoreProvider, SqlitePath, CosmosAccountEndpoint, CosmosDatabaseName, CosmosAccountKey,
        Storage, StorageBlobServiceUri, StorageQueueServiceUri, StorageCredential, StorageClientId,
        ManagedIdentityClientId, AuthMetadataAddress, AuthIssuer, AuthAudience, StaffMfaClaim, StaffMfaValue, IdentityNumberClaim, AuthDevelopmentSigningKey,
        UploadTargetLifetimeMinutes, ReadLinkLifetimeMinutes, CalendarRegions, NearDueWorkingDays, ServiceBusNamespace, DepartmentSystemsDepartments, DepartmentSystemsApiBaseUrl,
        SmsProvider, SmsEndpoint, SmsRegion, SmsSdkAppId, SmsSignName, SmsSecretId, SmsSecretKey, SmsReceiptToken, SmsTencentTemplates,
        QuietHoursStart, QuietHoursEnd, MaxSmsPerPhonePerDay, SmsMaxAttempts, SmsRetryBaseSeconds, SmsReceiptsExpected, PhoneKeySecret,
        RetentionDraftDays, RetentionCompletedCaseYears,
        MaxMaterialsPerApplication, MaxDeclarationsPerApplication, MaxDeclaredMegabytesPerApplication,
        RateLimitWindowMinutes, RateLimitOpenApplication, RateLimitDeclareMaterial, RateLimitSmsActions, RateLimitStaffSmsActions,
        PersonalDataKeyVaultUri, PersonalDataKekSecretName, PersonalDataIndexKeySecretName, PersonalDataKeyDirectory,
        LicencesKeyVaultUri, LicencesSigningKeySecretName, LicencesLocalKeyDirectory, LicencesPublicBaseUrl,
        TelemetryExporter,
        RectificationWorkingDays,
        AuditWriteReadsBehind,
    ];
}

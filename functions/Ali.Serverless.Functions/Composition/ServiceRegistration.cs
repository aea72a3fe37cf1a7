using Ali.Serverless.Audit;
using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Adapters.Azure.Cosmos;
using Ali.Serverless.Adapters.Azure.KeyVault;
using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Evaluations;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Licences;
using Ali.Serverless.Licences;
using Ali.Serverless.Limits;
using Ali.Serverless.Materials;
using Ali.Serverless.Notifications;
using Ali.Serverless.Operations;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Retention;
using Ali.Serverless.Statistics;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using Ali.Serverless.WorkingDays;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// The one place where ports meet adapters. Both the Functions app and the local host call it, so
/// they run the same handlers over whichever stores the configuration names.
/// </summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddAliServerless(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddPersonalDataRedaction();
        services.AddSingleton(TimeProvider.System);
        var intakeDefaults = new IntakeOptions();
        services.AddSingleton(new IntakeOptions
        {
            UploadTargetLifetime = TimeSpan.FromMinutes(configuration.GetInt(AppSettingNames.UploadTargetLifetimeMinutes) ?? 15),
            MaxMaterialsPerApplication = configuration.GetInt(AppSettingNames.MaxMaterialsPerApplication) ?? intakeDefaults.MaxMaterialsPerApplication,
            MaxDeclarationsPerApplication = configuration.GetInt(AppSettingNames.MaxDeclarationsPerApplication) ?? intakeDefaults.MaxDeclarationsPerApplication,
            MaxDeclaredBytesPerApplication = configuration.GetInt(AppSettingNames.MaxDeclaredMegabytesPerApplication) is { } megabytes
                ? megabytes * 1024L * 1024L
                : intakeDefaults.MaxDeclaredBytesPerApplication,
            ReadLinkLifetime = TimeSpan.FromMinutes(configuration.GetInt(AppSettingNames.ReadLinkLifetimeMinutes) ?? 5),
        });
        var retention = RetentionFrom(configuration);
        services.AddSingleton(retention);
        services.AddSingleton<RetentionSweeper>();
        var rateDefaults = new RateLimitSettings();
        services.AddSingleton(new RateLimitSettings
        {
            Window = TimeSpan.FromMinutes(configuration.GetInt(AppSettingNames.RateLimitWindowMinutes) ?? (int)rateDefaults.Window.TotalMinutes),
            OpenApplication = configuration.GetInt(AppSettingNames.RateLimitOpenApplication) ?? rateDefaults.OpenApplication,
            DeclareMaterial = configuration.GetInt(AppSettingNames.RateLimitDeclareMaterial) ?? rateDefaults.DeclareMaterial,
            SmsActions = configuration.GetInt(AppSettingNames.RateLimitSmsActions) ?? rateDefaults.SmsActions,
            StaffSmsActions = configuration.GetInt(AppSettingNames.RateLimitStaffSmsActions) ?? rateDefaults.StaffSmsActions,
        });
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<CatalogQueries>();
        services.AddSingleton<CatalogSeed>();
        services.AddSingleton<ApplicationIntake>();
        services.AddSingleton<MaterialReadLinks>();
        services.AddSingleton<SubmissionDispatcher>();
        AddCaseWorkflow(services, configuration);
        AddLicences(services, configuration, environment);
        AddNotifications(services, configuration, environment);
        AddStatistics(services);

        services.AddSingleton(AuthSettings.From(configuration, environment));
        services.AddSingleton(sp => new ValidatedTokens(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CallerAuthenticator>();
        services.AddSingleton<DevelopmentTokens>();
        services.AddSingleton<Api>();

        AddPersonalData(services, configuration, environment);
        AddStores(services, configuration, retention);
        services.AddCatalogCache();
        AddStorage(services, configuration);
        services.AddHostedService<StartupTasks>();
        // The cases-per-state gauge; it counts only when an exporter observes it (TelemetryRegistration).
        services.AddSingleton<CasesPerState>();
        services.AddAliTelemetry(configuration);
        return services;
    }

    /// <summary>Retention settings (decision 15): the draft lifetime, and the archive period of ended cases when one is set.</summary>
    public static RetentionOptions RetentionFrom(IConfiguration configuration) => new()
    {
        DraftLifetime = TimeSpan.FromDays(configuration.GetInt(AppSettingNames.RetentionDraftDays) ?? 30),
        CompletedCaseYears = configuration.GetInt(AppSettingNames.RetentionCompletedCaseYears),
    };

    public static void AddStores(IServiceCollection services, IConfiguration configuration, RetentionOptions? retention = null)
    {
        var provider = configuration.Get(AppSettingNames.StoreProvider) ?? "Sqlite";
        switch (provider)
        {
            case "Sqlite":
                var path = configuration.Get(AppSettingNames.SqlitePath) ?? "ali-serverless.db";
                services.AddSingleton(new SqliteDatabase(path));
                services.AddSingleton<ICatalogStore, SqliteCatalogStore>();
                services.AddSingleton<IApplicationStore, SqliteApplicationStore>();
                services.AddSingleton<ITaskStore, SqliteTaskStore>();
                // A case's index entry never changes, so each instance remembers the ones it read (decision 28).
                services.AddSingleton<ICaseIndex>(sp => new RememberedCaseIndex(new SqliteCaseIndex(sp.GetRequiredService<SqliteDatabase>())));
                services.AddSingleton<IWarningStore, SqliteWarningStore>();
                services.AddSingleton<INotificationStore, SqliteNotificationStore>();
                services.AddSingleton<IPreferenceStore, SqlitePreferenceStore>();
                services.AddSingleton<IAuditStore, SqliteAuditStore>();
                services.AddSingleton<ILicenceStore, SqliteLicenceStore>();
                services.AddSingleton<IRateLimitStore, SqliteRateLimitStore>();
                services.AddSingleton<IEvaluationStore, SqliteEvaluationStore>();
                services.AddSingleton<IEvaluationFacts>(sp => sp.GetRequiredService<IEvaluationStore>());
                services.AddSingleton<IStatisticsStore, SqliteStatisticsStore>();
                services.AddSingleton<ICaseCounts, SqliteCaseCounts>();
                break;
            case "Cosmos":
                var endpoint = configuration.Require(AppSettingNames.CosmosAccountEndpoint);
                var database = configuration.Get(AppSettingNames.CosmosDatabaseName) ?? StorageNames.Database;
                var key = configuration.Get(AppSettingNames.CosmosAccountKey);
                services.AddSingleton(sp => new CosmosStores(
                    CosmosClientFactory.Create(endpoint, key, configuration.Get(AppSettingNames.ManagedIdentityClientId)), database,
                    sp.GetRequiredService<IPersonalDataProtector>(), retention ?? RetentionFrom(configuration)));
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Catalog);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Applications);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Tasks);
                services.AddSingleton<ICaseIndex>(sp => new RememberedCaseIndex(sp.GetRequiredService<CosmosStores>().CaseIndex));
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Warnings);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Notifications);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Preferences);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Audit);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Licences);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().RateLimits);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Evaluations);
                services.AddSingleton<IEvaluationFacts>(sp => sp.GetRequiredService<IEvaluationStore>());
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().Statistics);
                services.AddSingleton(sp => sp.GetRequiredService<CosmosStores>().CaseCounts);
                break;
            default:
                throw new InvalidOperationException($"{AppSettingNames.StoreProvider} is 'Sqlite' or 'Cosmos', not '{provider}'.");
        }
    }

    /// <summary>
    /// Personal data at rest (decision 13): the KEK and index key from Key Vault secrets when a vault is
    /// named, else from key files (Development: <c>.local/keys</c>, created on first use); the protector
    /// the stores encrypt with; 一号 linking; audited reveals; rotation.
    /// </summary>
    public static void AddPersonalData(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration.Get(AppSettingNames.PersonalDataKeyVaultUri) is { } vault)
        {
            var kekSecret = configuration.Get(AppSettingNames.PersonalDataKekSecretName) ?? DefaultKekSecretName;
            var indexSecret = configuration.Get(AppSettingNames.PersonalDataIndexKeySecretName) ?? DefaultIndexKeySecretName;
            services.AddSingleton(sp => KeyVaultPersonalDataKeys.Create(
                new Uri(vault), AzureCredentials.For(configuration.Get(AppSettingNames.ManagedIdentityClientId)), kekSecret, indexSecret,
                sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IPersonalDataKeys>(sp => sp.GetRequiredService<KeyVaultPersonalDataKeys>());
            services.AddSingleton<IKeyEncryptionKeyRotation>(sp => sp.GetRequiredService<KeyVaultPersonalDataKeys>());
        }
        else
        {
            var directory = configuration.Get(AppSettingNames.PersonalDataKeyDirectory)
                ?? (environment.IsDevelopment() ? DevelopmentKeyDirectory
                    : throw new InvalidOperationException($"Set {AppSettingNames.PersonalDataKeyVaultUri} (or, for a local run, {AppSettingNames.PersonalDataKeyDirectory}): personal data is never stored unencrypted."));
            var files = new LocalKeyFiles(directory);
            services.AddSingleton<IPersonalDataKeys>(files);
            services.AddSingleton<IKeyEncryptionKeyRotation>(files);
        }
        services.AddSingleton<ApplicantKeys>();
        services.AddSingleton<IPersonalDataProtector, PersonalDataProtector>();
        services.AddSingleton<LinkedApplications>();
        services.AddSingleton<PersonalDataReveal>();
        services.AddSingleton<PersonalDataRotation>();
    }

    public const string DefaultKekSecretName = "personal-data-kek";
    public const string DefaultIndexKeySecretName = "personal-data-index-key";

    /// <summary>Git-ignored (.local/), relative to the working directory like the local SQLite file.</summary>
    public const string DevelopmentKeyDirectory = ".local/keys";

    private static void AddStorage(IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.Get(AppSettingNames.Storage);
        var storage = connectionString is not null
            ? AzureStorage.FromConnectionString(connectionString)
            : AzureStorage.FromIdentity(
                new Uri(configuration.Require(AppSettingNames.StorageBlobServiceUri)),
                new Uri(configuration.Require(AppSettingNames.StorageQueueServiceUri)),
                configuration.Get(AppSettingNames.StorageClientId) ?? configuration.Get(AppSettingNames.ManagedIdentityClientId));
        services.AddSingleton(storage);
        services.AddSingleton<IMaterialStorage>(sp => storage.Materials(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISubmissionQueue>(storage.SubmissionQueue());
        services.AddSingleton<IWorkQueue>(storage.WorkQueue());
        services.AddDepartmentSystems(configuration, storage);
        // Locally the department queues stand in for the topic, so operators see them too.
        var departmentQueues = configuration.Get(AppSettingNames.ServiceBusNamespace) is null;
        services.AddSingleton(sp => OperatedQueues.From(departmentQueues
            ? sp.GetRequiredService<DepartmentSystemOptions>().Departments.Order(StringComparer.Ordinal).Select(StorageNames.DepartmentTaskQueue)
            : []));
    }

    private static void AddCaseWorkflow(IServiceCollection services, IConfiguration configuration)
    {
        var regions = (configuration.Get(AppSettingNames.CalendarRegions) ?? DefaultCalendarRegions)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Loaded once at start: a typo in an operator's calendar file stops the app instead of shifting due dates.
        services.AddSingleton<IWorkingCalendar>(_ => WorkingCalendar.LoadDirectory(CalendarDirectory, regions));
        services.AddSingleton(new WorkflowOptions
        {
            RectificationWorkingDays = configuration.GetInt(AppSettingNames.RectificationWorkingDays) ?? new WorkflowOptions().RectificationWorkingDays,
        });
        services.AddSingleton<EvaluationQueries>();
        services.AddSingleton(new SupervisionOptions { NearDueWorkingDays = configuration.GetInt(AppSettingNames.NearDueWorkingDays) ?? 2 });
        services.AddSingleton<IAuditFailureLog, LoggedAuditFailures>();
        // Records of reads and refusals are written behind the answer unless an operator says not (decision 29);
        // state changes never are.
        services.AddSingleton(new AuditLogOptions { WriteReadsBehind = configuration.GetBool(AppSettingNames.AuditWriteReadsBehind) ?? true });
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddHostedService<AuditFlushAtStop>();
        services.AddSingleton<CaseWorkflow>();
        services.AddSingleton<CaseOutbox>();
        services.AddSingleton<WarningRaiser>();
        services.AddSingleton<Supervisor>();
    }

    /// <summary>
    /// Statistics (decision 18). The review figures come from whatever store registers <see cref="IEvaluationFacts"/>;
    /// without one they are reported as not counted, never as zero.
    /// </summary>
    private static void AddStatistics(IServiceCollection services) =>
        services.AddSingleton(sp => new StatisticsService(
            sp.GetRequiredService<ICatalogStore>(), sp.GetRequiredService<IApplicationStore>(),
            // The month's document kept a few seconds per instance, not read and deserialized on every request (decision 25).
            new RecentStatistics(sp.GetRequiredService<IStatisticsStore>(), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(5)),
            sp.GetRequiredService<IWorkingCalendar>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IEvaluationFacts>()));

    /// <summary>
    /// Licences (decision 16): keys from a Key Vault secret in Azure, from a git-ignored folder locally.
    /// Outside Development one of the two must be named, or the app does not start.
    /// </summary>
    private static void AddLicences(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var vault = configuration.Get(AppSettingNames.LicencesKeyVaultUri);
        var folder = configuration.Get(AppSettingNames.LicencesLocalKeyDirectory);
        if (vault is not null)
        {
            var secretName = configuration.Get(AppSettingNames.LicencesSigningKeySecretName) ?? DefaultSigningKeySecretName;
            var clientId = configuration.Get(AppSettingNames.ManagedIdentityClientId);
            services.AddSingleton<ILicenceKeyRing>(sp => KeyVaultLicenceKeyRing.Create(
                new Uri(vault), secretName, clientId, sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(10)));
        }
        else if (folder is not null || environment.IsDevelopment())
        {
            services.AddSingleton<ILicenceKeyRing>(sp => new FileLicenceKeyRing(folder ?? DefaultLocalKeyDirectory, sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            throw new InvalidOperationException($"The setting {AppSettingNames.LicencesKeyVaultUri} is required outside Development.");
        }
        services.AddSingleton(new LicencePageOptions(configuration.Get(AppSettingNames.LicencesPublicBaseUrl)));
        services.AddSingleton<LicenceService>();
    }

    public const string DefaultSigningKeySecretName = "licence-signing-key";
    public const string DefaultLocalKeyDirectory = ".local/licence-keys";

    private static void AddNotifications(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var phoneKey = configuration.Get(AppSettingNames.PhoneKeySecret)
            ?? (environment.IsDevelopment() ? DevelopmentPhoneKey : throw new InvalidOperationException($"The setting {AppSettingNames.PhoneKeySecret} is required outside Development."));
        services.AddSingleton(new NotificationOptions
        {
            QuietHoursStart = configuration.GetInt(AppSettingNames.QuietHoursStart) ?? 22,
            QuietHoursEnd = configuration.GetInt(AppSettingNames.QuietHoursEnd) ?? 8,
            MaxSmsPerPhonePerDay = configuration.GetInt(AppSettingNames.MaxSmsPerPhonePerDay) ?? 10,
            MaxAttempts = configuration.GetInt(AppSettingNames.SmsMaxAttempts) ?? 4,
            RetryBaseDelay = TimeSpan.FromSeconds(configuration.GetInt(AppSettingNames.SmsRetryBaseSeconds) ?? 2),
            ProviderSendsReceipts = string.Equals(configuration.Get(AppSettingNames.SmsReceiptsExpected), "true", StringComparison.OrdinalIgnoreCase),
            PhoneKeySecret = System.Text.Encoding.UTF8.GetBytes(phoneKey),
        });
        // Loaded once at start: a template with an unknown placeholder stops the app instead of a message going out broken.
        services.AddSingleton(_ => TemplateCatalog.Load(TemplatesPath));
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<NotificationService>();
        services.AddSms(configuration);
    }

    /// <summary>Only for Development, where no real phone numbers are kept.</summary>
    private const string DevelopmentPhoneKey = "development-phone-key-not-a-secret";

    public static string TemplatesPath => Path.Combine(AppContext.BaseDirectory, "Notifications", "templates.json");

    /// <summary>National arrangement, then the Tibet Autonomous Region, then Ali prefecture's own notices.</summary>
    public const string DefaultCalendarRegions = "cn,540000,542500";

    public static string CalendarDirectory => Path.Combine(AppContext.BaseDirectory, "Calendar");
}

/// <summary>Reads settings by their app-setting names (double underscore), as Azure and environment variables spell them.</summary>
public static class ConfigurationExtensions
{
    public static string? Get(this IConfiguration configuration, string appSettingName)
    {
        var value = configuration[appSettingName.Replace("__", ":", StringComparison.Ordinal)];
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    public static string Require(this IConfiguration configuration, string appSettingName) =>
        configuration.Get(appSettingName) ?? throw new InvalidOperationException($"The setting {appSettingName} is required.");

    public static bool? GetBool(this IConfiguration configuration, string appSettingName) =>
        configuration.Get(appSettingName) is { } text
            ? bool.TryParse(text.Trim(), out var value) ? value : throw new InvalidOperationException($"{appSettingName} is true or false.")
            : null;

    public static int? GetInt(this IConfiguration configuration, string appSettingName) =>
        configuration.Get(appSettingName) is { } text
            ? int.TryParse(text, out var value) && value > 0 ? value : throw new InvalidOperationException($"{appSettingName} is a positive whole number.")
            : null;
}

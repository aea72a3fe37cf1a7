using Ali.Serverless.Applications;
using Ali.Serverless.Limits;
using Ali.Serverless.Retention;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Licences;
using Ali.Serverless.Statistics;
using Ali.Serverless.Supervision;
using Ali.Serverless.Catalog;
using Ali.Serverless.Notifications;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Storage;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// The Cosmos DB stores over one client (one per process: it pools connections and caches the
/// account's routing). The database and containers come from the template; the app does not create them.
/// </summary>
public sealed class CosmosStores(CosmosClient client, string databaseName, IPersonalDataProtector protector, RetentionOptions? retention = null) : IDisposable
{
    public ICatalogStore Catalog { get; } = new CosmosCatalogStore(client.GetContainer(databaseName, StorageNames.CatalogContainer));

    public IApplicationStore Applications { get; } = new CosmosApplicationStore(
        client.GetContainer(databaseName, StorageNames.ApplicationsContainer), protector, (retention ?? new RetentionOptions()).DraftTimeToLiveSeconds);

    public IRateLimitStore RateLimits { get; } = new CosmosRateLimitStore(client.GetContainer(databaseName, StorageNames.RateLimitsContainer));

    public ITaskStore Tasks { get; } = new CosmosTaskStore(client.GetContainer(databaseName, StorageNames.TasksContainer));

    public ICaseIndex CaseIndex { get; } = new CosmosCaseIndex(client.GetContainer(databaseName, StorageNames.CasesContainer));

    public IWarningStore Warnings { get; } = new CosmosWarningStore(client.GetContainer(databaseName, StorageNames.WarningsContainer));

    public INotificationStore Notifications { get; } = new CosmosNotificationStore(client.GetContainer(databaseName, StorageNames.NotificationsContainer));

    public IPreferenceStore Preferences { get; } = new CosmosPreferenceStore(client.GetContainer(databaseName, StorageNames.PreferencesContainer));

    public IAuditStore Audit { get; } = new CosmosAuditStore(client.GetContainer(databaseName, StorageNames.AuditContainer));

    public ILicenceStore Licences { get; } = new CosmosLicenceStore(client.GetContainer(databaseName, StorageNames.LicencesContainer));

    public Evaluations.IEvaluationStore Evaluations { get; } = new CosmosEvaluationStore(client.GetContainer(databaseName, StorageNames.EvaluationsContainer));

    public IStatisticsStore Statistics { get; } = new CosmosStatisticsStore(client.GetContainer(databaseName, StorageNames.StatisticsContainer));

    /// <summary>Applications per state for the <c>ali.cases.current</c> gauge.</summary>
    public Operations.ICaseCounts CaseCounts { get; } = new CosmosCaseCounts(client.GetContainer(databaseName, StorageNames.ApplicationsContainer));

    public void Dispose() => client.Dispose();
}

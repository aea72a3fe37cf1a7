namespace Ali.Serverless.Storage;

/// <summary>
/// Names of the containers and queues the code uses. The Bicep template creates exactly these;
/// the infrastructure tests read them from here.
/// </summary>
public static class StorageNames
{
    /// <summary>Cosmos DB database.</summary>
    public const string Database = "ali-serverless";

    /// <summary>Cosmos container of service items. Partition key <see cref="CatalogPartitionKeyPath"/>.</summary>
    public const string CatalogContainer = "catalog";
    public const string CatalogPartitionKeyPath = "/partitionKey";

    /// <summary>Cosmos container of applications. Partition key <see cref="ApplicationsPartitionKeyPath"/>.
    /// Per-item TTL is on (default -1): abandoned drafts carry a ttl, submitted cases do not.</summary>
    public const string ApplicationsContainer = "applications";
    public const string ApplicationsPartitionKeyPath = "/ownerId";

    /// <summary>Cosmos container of tasks, one copy per task in its department's partition (worklists).</summary>
    public const string TasksContainer = "tasks";
    public const string TasksPartitionKeyPath = "/departmentCode";

    /// <summary>Cosmos container mapping a case number to its case document (written once per case).</summary>
    public const string CasesContainer = "cases";
    public const string CasesPartitionKeyPath = "/caseNumber";

    /// <summary>Cosmos container of supervision warnings, partitioned by the responsible department.</summary>
    public const string WarningsContainer = "warnings";
    public const string WarningsPartitionKeyPath = "/departmentCode";

    /// <summary>Blob container that receives materials uploaded straight from browsers and apps.</summary>
    public const string MaterialsContainer = "materials";

    /// <summary>Storage queue: submitted applications waiting for the review pipeline.</summary>
    public const string ApplicationSubmittedQueue = "application-submitted";

    /// <summary>Storage queue: case events (accepted, supplement requested, completed...) for the notifications step.</summary>
    public const string CaseEventsQueue = "case-events";

    /// <summary>Storage queue: supervision warnings (near-due, overdue, calendar-missing) for the notifications step.</summary>
    public const string SupervisionWarningsQueue = "supervision-warnings";

    /// <summary>All work queues; each has a "-poison" sibling created by the Functions host.</summary>
    public static readonly IReadOnlyList<string> Queues = [ApplicationSubmittedQueue, CaseEventsQueue, SupervisionWarningsQueue];
}

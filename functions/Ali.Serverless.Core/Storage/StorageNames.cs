using System.Text.RegularExpressions;

namespace Ali.Serverless.Storage;

/// <summary>
/// Names of the containers, queues and the topic the code uses. The Bicep template creates exactly
/// these (the department task queues excepted: they stand in for the topic locally); the
/// infrastructure tests read them from here.
/// </summary>
public static partial class StorageNames
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

    /// <summary>Cosmos container of notifications, partitioned by recipient (an inbox is one partition).</summary>
    public const string NotificationsContainer = "notifications";
    public const string NotificationsPartitionKeyPath = "/recipient";

    /// <summary>Cosmos container of people's preferences (language), one document per account.</summary>
    public const string PreferencesContainer = "preferences";
    public const string PreferencesPartitionKeyPath = "/subjectKey";

    /// <summary>
    /// Cosmos container of audit records (decision 11), one logical partition per chain (a case number or
    /// a day), id = the sequence zero-padded. The app only creates items in it; it never replaces or deletes.
    /// </summary>
    public const string AuditContainer = "audit";
    public const string AuditPartitionKeyPath = "/chain";

    /// <summary>
    /// Cosmos container of electronic licences (decision 16): the licence in its own partition (its id), a
    /// claim per number (<c>number:{number}</c>, keeps numbers unique) and an entry per holder's licence
    /// (<c>holder:{account}</c>, the holder's list). No TTL: licences are kept.
    /// </summary>
    public const string LicencesContainer = "licences";
    public const string LicencesPartitionKeyPath = "/partitionKey";

    /// <summary>
    /// Cosmos container of rate-limit counters (decision 15), one document per caller, bucket and window; per-item
    /// TTL on (default -1, each counter carries its own), so old windows disappear by themselves.
    /// </summary>
    public const string RateLimitsContainer = "rate-limits";
    public const string RateLimitsPartitionKeyPath = "/subject";

    /// <summary>
    /// Cosmos container of good and bad reviews (好差评, decision 17), partitioned by the item's department:
    /// copies of the reviews the case documents hold, without the typed text, for public lists and statistics.
    /// </summary>
    public const string EvaluationsContainer = "evaluations";
    public const string EvaluationsPartitionKeyPath = "/departmentCode";

    /// <summary>
    /// Cosmos container of monthly statistics (decision 18): one document per month (id and partition = the
    /// period, yyyy-MM), replaced whole each time the month is computed. Aggregates only, no personal data; kept.
    /// </summary>
    public const string StatisticsContainer = "statistics";
    public const string StatisticsPartitionKeyPath = "/period";

    /// <summary>Blob container that receives materials uploaded straight from browsers and apps.</summary>
    public const string MaterialsContainer = "materials";

    /// <summary>Storage queue: submitted applications waiting for the review pipeline.</summary>
    public const string ApplicationSubmittedQueue = "application-submitted";

    /// <summary>Storage queue: case events (accepted, supplement requested, completed...) for the notifications step.</summary>
    public const string CaseEventsQueue = "case-events";

    /// <summary>Storage queue: supervision warnings (near-due, overdue, calendar-missing) for the notifications step.</summary>
    public const string SupervisionWarningsQueue = "supervision-warnings";

    /// <summary>Storage queue: SMS notifications to send now.</summary>
    public const string NotificationDeliveriesQueue = "notification-deliveries";

    /// <summary>All work queues; each has a "-poison" sibling created by the Functions host.</summary>
    public static readonly IReadOnlyList<string> Queues = [ApplicationSubmittedQueue, CaseEventsQueue, SupervisionWarningsQueue, NotificationDeliveriesQueue];

    /// <summary>Where the failed messages of a queue go: the Functions host's own naming, which the template follows.</summary>
    public static string PoisonQueue(string queue) => $"{queue}-poison";

    /// <summary>Service Bus topic on which departments' own systems receive their tasks, one subscription per department.</summary>
    public const string DepartmentTasksTopic = "department-tasks";

    private const string DepartmentTaskQueuePrefix = DepartmentTasksTopic + "-";

    /// <summary>
    /// The local stand-in for a department's subscription: one Storage queue per department,
    /// "department-tasks-" and the department code in lower case (queue names allow no capitals).
    /// Not in <see cref="Queues"/>: Azure uses the topic, so the template creates no such queue.
    /// </summary>
    /// <exception cref="ArgumentException">The code cannot make a valid queue name: letters, digits and
    /// single hyphens inside, and at most 63 characters in all.</exception>
    public static string DepartmentTaskQueue(string departmentCode)
    {
        ArgumentNullException.ThrowIfNull(departmentCode);
        // Queue names: 3-63 characters of [a-z0-9-], starting and ending with a letter or digit, no "--".
        // The code is checked before lower-casing, so no non-ASCII letter (e.g. the Kelvin sign) folds into one.
        if (DepartmentTaskQueuePrefix.Length + departmentCode.Length > 63 || !QueueNameTail().IsMatch(departmentCode))
        {
            throw new ArgumentException(
                $"The department code '{departmentCode}' cannot name a queue: use letters, digits and single hyphens, at most {63 - DepartmentTaskQueuePrefix.Length} characters.",
                nameof(departmentCode));
        }
        return DepartmentTaskQueuePrefix + departmentCode.ToLowerInvariant();
    }

    // \z, not $: a $ also matches before a final "\n".
    [GeneratedRegex(@"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueNameTail();
}

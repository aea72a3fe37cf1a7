using Ali.Serverless.Applications;

namespace Ali.Serverless.Supervision;

/// <summary>Warning levels of electronic supervision (电子监察).</summary>
public static class WarningLevels
{
    /// <summary>A limit ends within the configured number of working days.</summary>
    public const string NearDue = "near-due";

    /// <summary>A limit has passed.</summary>
    public const string Overdue = "overdue";

    /// <summary>A limit was counted over a year with no calendar file: weekdays only, to be checked by a person.</summary>
    public const string CalendarMissing = "calendar-missing";

    public static readonly IReadOnlyList<string> All = [NearDue, Overdue, CalendarMissing];
}

/// <summary>
/// One warning, raised once per subject and level: its id is derived from both, so a second raise of
/// the same warning is recognised. <see cref="QueuedAt"/> null means not yet handed to notifications.
/// </summary>
public sealed record SupervisionWarning
{
    public required string Id { get; init; }
    public required string Level { get; init; }

    /// <summary><c>task</c> or <c>case</c>.</summary>
    public required string Subject { get; init; }

    public string? TaskId { get; init; }
    public required string CaseNumber { get; init; }
    public required string ApplicationId { get; init; }
    public required string OwnerId { get; init; }

    /// <summary>The department responsible for meeting the limit.</summary>
    public required string DepartmentCode { get; init; }

    /// <summary>Which limit: <c>task</c>, <c>promised</c> or <c>legal</c>.</summary>
    public required string Limit { get; init; }

    public DateTimeOffset? DueAt { get; init; }
    public string? Detail { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }

    /// <summary>
    /// The case's W3C traceparent (decision 20), so the warning's notifications join the case's trace; in
    /// the queued message, the span that raised it. Null for a case or warning from before tracing.
    /// </summary>
    public string? TraceParent { get; init; }
}

/// <summary>
/// A warning as supervisors see it: the case and the responsible department, not the applicant's
/// account (minimum necessary, PIPL art. 6); the case is one <c>GET /cases/{caseNumber}</c> away.
/// </summary>
public sealed record SupervisionWarningView(
    string Id, string Level, string Subject, string? TaskId, string CaseNumber, string DepartmentCode,
    string Limit, DateTimeOffset? DueAt, string? Detail, DateTimeOffset RaisedAt)
{
    public static SupervisionWarningView From(SupervisionWarning w) =>
        new(w.Id, w.Level, w.Subject, w.TaskId, w.CaseNumber, w.DepartmentCode, w.Limit, w.DueAt, w.Detail, w.RaisedAt);
}

/// <summary>Warnings partitioned by responsible department.</summary>
public interface IWarningStore
{
    /// <summary>Stores a new warning; false when one with the same id exists (already raised).</summary>
    Task<bool> CreateAsync(SupervisionWarning warning, CancellationToken cancellationToken);

    Task MarkQueuedAsync(SupervisionWarning warning, DateTimeOffset queuedAt, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="department"/> makes it a one-partition query.</summary>
    Task<Page<SupervisionWarning>> ListAsync(string? level, string? department, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Warnings raised but not yet queued (a crash in between). Timer only.</summary>
    Task<IReadOnlyList<SupervisionWarning>> ListUnqueuedAsync(int max, CancellationToken cancellationToken);
}

using Ali.Serverless.Applications;

namespace Ali.Serverless.Cases;

/// <summary>
/// Tasks partitioned by department: the worklist is one partition, soonest due first; a task is a
/// point read with the caller's department as partition key.
/// </summary>
public interface ITaskStore
{
    /// <summary>Creates or replaces the department's copy of a task (idempotent: the case holds the truth).</summary>
    Task UpsertAsync(CaseTask task, CancellationToken cancellationToken);

    Task<CaseTask?> GetAsync(string departmentCode, string taskId, CancellationToken cancellationToken);

    /// <summary>Open tasks of one department, soonest due first; <paramref name="kind"/> narrows them.</summary>
    Task<Page<CaseTask>> ListOpenAsync(string departmentCode, TaskKind? kind, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Open tasks of every department due before <paramref name="dueBefore"/>. Supervision timer only (cross-partition).</summary>
    Task<IReadOnlyList<CaseTask>> ListOpenDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken);
}

/// <summary>Where a case number leads: the case document's partition and id. Written once, never changed.</summary>
public sealed record CaseIndexEntry(string CaseNumber, string OwnerId, string ApplicationId, string DepartmentCode);

public interface ICaseIndex
{
    Task UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken);

    Task<CaseIndexEntry?> GetAsync(string caseNumber, CancellationToken cancellationToken);
}

/// <summary>Queues that carry messages to later steps (case events, supervision warnings), by name.</summary>
public interface IWorkQueue
{
    Task SendAsync(string queue, string messageText, CancellationToken cancellationToken);
}

using System.Text.Json.Serialization;

namespace Ali.Serverless.Cases;

/// <summary>The kinds of staff work on a case.</summary>
public enum TaskKind
{
    /// <summary>受理: the item's department accepts, asks to supplement, or refuses.</summary>
    [JsonStringEnumMemberName("acceptance")] Acceptance,
    /// <summary>审查: one per department involved, all created together (并联审批).</summary>
    [JsonStringEnumMemberName("review")] Review,
    /// <summary>决定: the item's department decides once every review is done.</summary>
    [JsonStringEnumMemberName("decision")] Decision,
    /// <summary>整改: after a bad review (好差评), the item's department verifies, rectifies and replies to the applicant.</summary>
    [JsonStringEnumMemberName("rectification")] Rectification,
}

public enum TaskState
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("done")] Done,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>
/// One department's piece of work on one case. The case document holds the authoritative copy; the
/// tasks container holds the same record partitioned by department, with <see cref="OwnerId"/> and
/// <see cref="ApplicationId"/> so the case is one point read away.
/// </summary>
public sealed record CaseTask
{
    public required string Id { get; init; }
    public required TaskKind Kind { get; init; }
    public required string CaseNumber { get; init; }
    public required string ApplicationId { get; init; }

    /// <summary>Partition of the case document.</summary>
    public required string OwnerId { get; init; }

    public required string ItemCode { get; init; }
    public required string DepartmentCode { get; init; }
    public required TaskState State { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public string? Outcome { get; init; }
    public string? Opinion { get; init; }

    /// <summary>The staff subject who completed it (never an applicant's personal data).</summary>
    public string? Handler { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>For an acceptance answered with supplement: everything to supplement (一次性告知).</summary>
    public IReadOnlyList<MissingMaterialNotice>? MissingMaterials { get; init; }

    /// <summary>
    /// Equal field by field, the missing materials item by item. A record's own equality compares the list by
    /// reference, so a copy read back from a store would never equal the case's task.
    /// </summary>
    public bool SameAs(CaseTask other) =>
        this with { MissingMaterials = null } == other with { MissingMaterials = null }
        && (MissingMaterials ?? []).SequenceEqual(other.MissingMaterials ?? []);
}

/// <summary>One material to supplement and why.</summary>
public sealed record MissingMaterialNotice(string Code, string Reason);

/// <summary>补齐补正通知: the whole list at once, with the reviewer's opinion.</summary>
public sealed record SupplementRequest(IReadOnlyList<MissingMaterialNotice> Materials, string? Opinion, DateTimeOffset RequestedAt);

public sealed record CaseDecision(string Outcome, string? Opinion, DateTimeOffset DecidedAt);

public sealed record Withdrawal(string? Reason, string By, DateTimeOffset WithdrawnAt);

/// <summary>特别程序 (GB/T 39046): kind, start, reason, requester, end, result.</summary>
public sealed record SpecialProcedure
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Reason { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Result { get; init; }

    /// <summary>Working days the clock was paused (pausing kinds), counted when it ended.</summary>
    public int? PausedWorkingDays { get; init; }

    public bool IsOpen => EndedAt is null;
}

/// <summary>GB/T 39046 办理环节 action: 通过, 退回, 其他.</summary>
public enum StepAction
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("return")] Return,
    [JsonStringEnumMemberName("other")] Other,
}

/// <summary>
/// One step of the case (办理环节): what happened, the exchange step type it maps to, who did it and
/// when. Handlers are staff subjects or "system"; applicants appear as "applicant", never by name or number.
/// </summary>
public sealed record TimelineStep
{
    public required string Step { get; init; }

    /// <summary>GB/T 39046 step type code for exchange: 1 收件, 2 受理, 3 审核, 4 办结, 11 补齐补正, 12 挂起, 99 其他.</summary>
    public required string StepType { get; init; }

    public required StepAction Action { get; init; }
    public string? DepartmentCode { get; init; }
    public required string Handler { get; init; }
    public string? Opinion { get; init; }
    public string? TaskId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
}

public enum OutboxKind
{
    /// <summary>Copy the task, as the case now has it, into its department's partition of the tasks container.</summary>
    [JsonStringEnumMemberName("save-task")] SaveTask,
    /// <summary>Publish the task to its department's own system, if it has one.</summary>
    [JsonStringEnumMemberName("publish-task")] PublishTask,
    /// <summary>Make the case findable by its case number.</summary>
    [JsonStringEnumMemberName("index-case")] IndexCase,
    /// <summary>Put a case event on the case-events queue (for notifications).</summary>
    [JsonStringEnumMemberName("case-event")] CaseEvent,
    /// <summary>Raise a supervision warning about the case (calendar-missing).</summary>
    [JsonStringEnumMemberName("warning")] Warning,
    /// <summary>Append the step's audit record to the case's chain (<see cref="OutboxEntry.Audit"/>).</summary>
    [JsonStringEnumMemberName("audit")] Audit,
    /// <summary>Issue the approved case's electronic licence (<see cref="OutboxEntry.Licence"/>); idempotent by the licence id.</summary>
    [JsonStringEnumMemberName("issue-licence")] IssueLicence,
    /// <summary>Delete a blob no longer referenced (<see cref="OutboxEntry.Detail"/> is its name): a replaced or unverified material's.</summary>
    [JsonStringEnumMemberName("delete-blob")] DeleteBlob,
    /// <summary>Copy the case's review, as the case now has it, into the evaluations store (never over a newer version).</summary>
    [JsonStringEnumMemberName("save-evaluation")] SaveEvaluation,
}

/// <summary>
/// One thing still to be done outside the case document. <see cref="Id"/> is deterministic, so doing it
/// twice is recognised downstream (task upserts, Service Bus duplicate detection, event ids).
/// </summary>
public sealed record OutboxEntry(string Id, OutboxKind Kind, DateTimeOffset CreatedAt, string? TaskId = null, string? EventType = null, string? Detail = null)
{
    /// <summary>For <see cref="OutboxKind.Audit"/>: the record to append, written with the change so a crash cannot lose it.</summary>
    public global::Ali.Serverless.Audit.AuditEntry? Audit { get; init; }

    /// <summary>For <see cref="OutboxKind.IssueLicence"/>: the licence to issue, fixed at the decision.</summary>
    public global::Ali.Serverless.Licences.LicenceOrder? Licence { get; init; }
}

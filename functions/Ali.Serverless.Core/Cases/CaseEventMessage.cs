namespace Ali.Serverless.Cases;

/// <summary>Event types put on the case-events queue.</summary>
public static class CaseEventTypes
{
    public const string Submitted = "submitted";
    public const string SupplementRequested = "supplement-requested";
    public const string Accepted = "accepted";
    public const string NotAccepted = "not-accepted";
    public const string SpecialProcedureStarted = "special-procedure-started";
    public const string SpecialProcedureEnded = "special-procedure-ended";
    public const string Withdrawn = "withdrawn";
    public const string Completed = "completed";
    public const string TaskAssigned = "task-assigned";
    public const string Resubmitted = "resubmitted";

    /// <summary>The department replied to a bad review: the applicant reads the reply.</summary>
    public const string RectificationReplied = "rectification-replied";
    /// <summary>The department appealed a review (申诉): the supervisors decide.</summary>
    public const string EvaluationAppealed = "evaluation-appealed";
    /// <summary>A supervisor decided an appeal: the department learns the outcome.</summary>
    public const string AppealDecided = "appeal-decided";
}

/// <summary>
/// A case event for the notifications step. <see cref="EventId"/> is stable across redeliveries, so a
/// consumer can tell a duplicate. It names the case, not the person: the consumer reads the case.
/// <see cref="TaskId"/> is the task created (task-assigned) or whose answer caused the event;
/// <see cref="ProcedureId"/> the special procedure started or ended.
/// </summary>
public sealed record CaseEventMessage(
    string EventId,
    string Type,
    string CaseNumber,
    string ApplicationId,
    string OwnerId,
    string Status,
    string? TaskId,
    string? DepartmentCode,
    DateTimeOffset OccurredAt,
    string? ProcedureId = null)
{
    /// <summary>The case's W3C traceparent (decision 20); absent in older messages.</summary>
    public string? TraceParent { get; init; }
}

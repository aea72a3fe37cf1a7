using Ali.Serverless.Applications;

namespace Ali.Serverless.Cases;

/// <summary>A task as staff and department systems see it.</summary>
public sealed record TaskView(
    string Id,
    string Kind,
    string CaseNumber,
    string ApplicationId,
    string ItemCode,
    string DepartmentCode,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string? Outcome,
    string? Opinion,
    string? Handler,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<MissingMaterialNotice>? MissingMaterials)
{
    public static TaskView From(CaseTask t) => new(
        t.Id, Wire(t.Kind), t.CaseNumber, t.ApplicationId, t.ItemCode, t.DepartmentCode, Wire(t.State),
        t.CreatedAt, t.DueAt, t.Outcome, t.Opinion, t.Handler, t.CompletedAt, t.MissingMaterials);

    public static string Wire(TaskKind kind) => kind switch
    {
        TaskKind.Acceptance => "acceptance",
        TaskKind.Review => "review",
        TaskKind.Rectification => "rectification",
        _ => "decision",
    };

    public static string Wire(TaskState state) => state switch { TaskState.Open => "open", TaskState.Done => "done", _ => "cancelled" };
}

/// <summary>
/// A case as department staff and supervisors see it: the applicant masked (PIPL art. 6), materials by
/// code without any link to their bytes, every task and the timeline.
/// </summary>
public sealed record CaseView(
    string CaseNumber,
    string ApplicationId,
    string ItemCode,
    string DepartmentCode,
    string DivisionCode,
    string Channel,
    string Status,
    ApplicantView Applicant,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<CaseMaterialView> Materials,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? PromisedDueAt,
    DateTimeOffset? LegalDueAt,
    SupplementRequest? Supplement,
    CaseDecision? Decision,
    IReadOnlyList<SpecialProcedureView> SpecialProcedures,
    Withdrawal? Withdrawal,
    IReadOnlyList<TaskView> Tasks,
    IReadOnlyList<TimelineStep> Timeline)
{
    public static CaseView From(Application a) => new(
        a.CaseNumber!, a.Id, a.ItemCode, a.DepartmentCode, a.DivisionCode, ChannelNames.ToWire(a.Channel), a.Status.ToWire(),
        ApplicationView.MaskApplicant(a.Applicant), a.Fields,
        a.Materials.Select(m => new CaseMaterialView(m.Id, m.Code, m.FileName, m.ContentType, m.SizeBytes, m.IsVerified ? "verified" : "awaiting-upload", m.VerifiedAt) { Licence = m.Licence }).ToList(),
        a.SubmittedAt, a.AcceptedAt, a.PromisedDueAt, a.LegalDueAt, a.Supplement, a.Decision,
        a.SpecialProcedures.Select(SpecialProcedureView.From).ToList(), a.Withdrawal,
        a.Tasks.Select(TaskView.From).ToList(), a.Timeline)
    {
        Evaluation = a.Evaluation is null ? null : Evaluations.EvaluationView.From(a.Evaluation),
    };

    /// <summary>The applicant's review of the case (好差评), once given: what a rectification or an appeal is about.</summary>
    public Evaluations.EvaluationView? Evaluation { get; init; }
}

/// <summary>A material as staff see it in a case; its bytes only through a read link (POST …/materials/{id}/read-link).</summary>
public sealed record CaseMaterialView(string Id, string MaterialCode, string FileName, string ContentType, long SizeBytes, string Status, DateTimeOffset? VerifiedAt)
{
    /// <summary>For a material given as a licence (减材料): the licence the platform verified, instead of a file.</summary>
    public LicenceReference? Licence { get; init; }
}

public sealed record SpecialProcedureView(string Id, string Kind, string Reason, string RequestedBy, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Result, int? PausedWorkingDays, string State)
{
    public static SpecialProcedureView From(SpecialProcedure p) =>
        new(p.Id, p.Kind, p.Reason, p.RequestedBy, p.StartedAt, p.EndedAt, p.Result, p.PausedWorkingDays, p.IsOpen ? "open" : "ended");
}

/// <summary>A task with the case it belongs to: what <c>GET /tasks/{taskId}</c> answers.</summary>
public sealed record CaseTaskView(TaskView Task, CaseView Case)
{
    public static CaseTaskView From(CaseTask task, Application application) => new(TaskView.From(task), CaseView.From(application));
}

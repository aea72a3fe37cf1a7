using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Evaluations;

/// <summary>
/// A review as the applicant (and the staff working on it) see it: the rating, the text, where the
/// rectification stands with the department's reply, and the appeal's outcome. Staff subjects are left out.
/// </summary>
public sealed record EvaluationView(
    string Id,
    string CaseNumber,
    string ItemCode,
    string DepartmentCode,
    string Channel,
    int Satisfaction,
    IReadOnlyDictionary<string, int> Indicators,
    string? Text,
    DateTimeOffset EvaluatedAt,
    string Status,
    RectificationView? Rectification,
    AppealView? Appeal)
{
    /// <summary><c>standing</c>; <c>appealed</c> while a supervisor decides; <c>voided</c> after an upheld appeal.</summary>
    public static string StatusOf(Evaluation e) =>
        e.Voided ? "voided" : e.Appeal?.State == AppealState.Pending ? "appealed" : "standing";

    public static EvaluationView From(Evaluation e) => new(
        e.Id, e.CaseNumber, e.ItemCode, e.DepartmentCode, e.Channel, e.Satisfaction, e.Indicators, e.Text, e.EvaluatedAt, StatusOf(e),
        e.Rectification is { } r ? new RectificationView(r.TaskId, Wire(r.State), r.DueAt, r.Reply, r.RepliedAt) : null,
        e.Appeal is { } a ? new AppealView(Wire(a.State), a.Reason, a.AppealedAt, a.Opinion, a.DecidedAt) : null);

    public static string Wire(RectificationState state) => state switch
    {
        RectificationState.Open => "open",
        RectificationState.Replied => "replied",
        _ => "cancelled",
    };

    public static string Wire(AppealState state) => state switch
    {
        AppealState.Pending => "pending",
        AppealState.Upheld => "upheld",
        _ => "rejected",
    };
}

public sealed record RectificationView(string TaskId, string State, DateTimeOffset DueAt, string? Reply, DateTimeOffset? RepliedAt);

public sealed record AppealView(string State, string Reason, DateTimeOffset AppealedAt, string? Opinion, DateTimeOffset? DecidedAt);

/// <summary>
/// A review as the public sees it: no applicant, no case number, no id that leads back to the case, the
/// day (China Standard Time) instead of the instant, and only the masked text.
/// </summary>
public sealed record PublicEvaluationView(
    string ItemCode,
    string DepartmentCode,
    string Channel,
    int Satisfaction,
    IReadOnlyDictionary<string, int> Indicators,
    string? Text,
    DateOnly EvaluatedOn,
    string? Rectification)
{
    public static PublicEvaluationView From(Evaluation e) => new(
        e.ItemCode, e.DepartmentCode, e.Channel, e.Satisfaction, e.Indicators, e.PublicText, ChinaTime.DateOf(e.EvaluatedAt),
        e.Rectification is { } r ? EvaluationView.Wire(r.State) : null);
}

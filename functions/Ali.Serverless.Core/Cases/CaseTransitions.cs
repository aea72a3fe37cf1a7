using Ali.Serverless.Applications;
using Ali.Serverless.Common;

namespace Ali.Serverless.Cases;

/// <summary>What happens to a case; each is one row of <see cref="CaseTransitions.Table"/>.</summary>
public enum CaseAction
{
    PreCheckPassed,
    PreCheckRefused,
    PreCheckIncomplete,
    Accept,
    RequestSupplement,
    NotAccept,
    AcceptAndApprove,
    Resubmit,
    Review,
    Decide,
    Suspend,
    Extend,
    Resume,
    Withdraw,
}

/// <summary>
/// One allowed move: from which states, to which (null: the state stays), and the GB/T 39046 step it is
/// recorded as when exchanged with the regional and national platforms.
/// </summary>
public sealed record Transition(IReadOnlySet<ApplicationStatus> From, ApplicationStatus? To, string StepType, string StepName);

/// <summary>The case lifecycle in one table. Nothing else decides whether a state change is allowed.</summary>
public static class CaseTransitions
{
    /// <summary>GB/T 39046 exchange step types (办理环节类型).</summary>
    public static class StepTypes
    {
        public const string Received = "1";      // 收件
        public const string Accepted = "2";      // 受理
        public const string Reviewed = "3";      // 审核
        public const string Completed = "4";     // 办结
        public const string Supplement = "11";   // 补齐补正
        public const string Suspended = "12";    // 挂起
        public const string Other = "99";        // 其他
    }

    private static readonly ApplicationStatus[] BeforeCompletion =
    [
        ApplicationStatus.Draft, ApplicationStatus.Submitted, ApplicationStatus.PendingAcceptance,
        ApplicationStatus.SupplementRequested, ApplicationStatus.UnderReview, ApplicationStatus.Suspended,
    ];

    public static readonly IReadOnlyDictionary<CaseAction, Transition> Table = new Dictionary<CaseAction, Transition>
    {
        [CaseAction.PreCheckPassed] = new(Set(ApplicationStatus.Submitted), ApplicationStatus.PendingAcceptance, StepTypes.Received, "pre-check"),
        [CaseAction.PreCheckRefused] = new(Set(ApplicationStatus.Submitted), ApplicationStatus.NotAccepted, StepTypes.Accepted, "pre-check"),
        [CaseAction.PreCheckIncomplete] = new(Set(ApplicationStatus.Submitted), ApplicationStatus.SupplementRequested, StepTypes.Supplement, "pre-check"),
        [CaseAction.Accept] = new(Set(ApplicationStatus.PendingAcceptance), ApplicationStatus.UnderReview, StepTypes.Accepted, "acceptance"),
        [CaseAction.RequestSupplement] = new(Set(ApplicationStatus.PendingAcceptance), ApplicationStatus.SupplementRequested, StepTypes.Supplement, "acceptance"),
        [CaseAction.NotAccept] = new(Set(ApplicationStatus.PendingAcceptance), ApplicationStatus.NotAccepted, StepTypes.Accepted, "acceptance"),
        [CaseAction.AcceptAndApprove] = new(Set(ApplicationStatus.PendingAcceptance), ApplicationStatus.Completed, StepTypes.Completed, "acceptance"),
        [CaseAction.Resubmit] = new(Set(ApplicationStatus.SupplementRequested), ApplicationStatus.PendingAcceptance, StepTypes.Received, "resubmission"),
        [CaseAction.Review] = new(Set(ApplicationStatus.UnderReview), null, StepTypes.Reviewed, "review"),
        [CaseAction.Decide] = new(Set(ApplicationStatus.UnderReview), ApplicationStatus.Completed, StepTypes.Completed, "decision"),
        [CaseAction.Suspend] = new(Set(ApplicationStatus.UnderReview), ApplicationStatus.Suspended, StepTypes.Suspended, "special-procedure"),
        [CaseAction.Extend] = new(Set(ApplicationStatus.UnderReview, ApplicationStatus.Suspended), null, StepTypes.Other, "extension"),
        [CaseAction.Resume] = new(Set(ApplicationStatus.Suspended), ApplicationStatus.UnderReview, StepTypes.Other, "special-procedure-end"),
        [CaseAction.Withdraw] = new(Set(BeforeCompletion), ApplicationStatus.Withdrawn, StepTypes.Other, "withdrawal"),
    };

    public static bool Allows(CaseAction action, ApplicationStatus status) => Table[action].From.Contains(status);

    /// <summary>The 409 for a move the current state does not allow, naming that state.</summary>
    public static Problem NotAllowed(CaseAction action, Application application) => Problem.Conflict(
        "invalid-transition",
        "Not allowed in the case's current state.",
        $"Application '{application.Id}' is {application.Status.ToWire()}; {Describe(action)} is allowed only when it is {string.Join(" or ", Table[action].From.Select(s => s.ToWire()))}.",
        new Dictionary<string, object?> { ["applicationStatus"] = application.Status.ToWire(), ["caseNumber"] = application.CaseNumber });

    private static string Describe(CaseAction action) => action switch
    {
        CaseAction.Resubmit => "resubmitting",
        CaseAction.Withdraw => "withdrawing",
        CaseAction.Suspend => "starting a pausing special procedure",
        CaseAction.Extend => "an extension",
        CaseAction.Resume => "ending a special procedure",
        _ => $"'{action}'",
    };

    private static HashSet<ApplicationStatus> Set(params ApplicationStatus[] states) => [.. states];
}

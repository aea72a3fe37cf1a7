using Ali.Serverless.Identity;
using Ali.Serverless.Limits;

namespace Ali.Serverless.Functions.Http;

/// <summary>How many requests of each limited kind one account may make per window (decision 15).</summary>
public sealed record RateLimitSettings
{
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);
    public int OpenApplication { get; init; } = 30;
    public int DeclareMaterial { get; init; } = 120;

    /// <summary>Submit and withdraw: each texts the applicant. For applicants and window clerks.</summary>
    public int SmsActions { get; init; } = 30;

    /// <summary>Task completions and special procedures, which text the applicant: department staff work in volume.</summary>
    public int StaffSmsActions { get; init; } = 600;
}

/// <summary>
/// Which functions are rate limited, per account (the token's subject: a clerk is limited per clerk, not
/// per hall or address). Besides opening applications and declaring materials, "anything that sends SMS"
/// is every route whose success makes a case event the applicant is texted about: submit (submitted),
/// withdraw (withdrawn), task completion (accepted, supplement requested, not accepted, completed) and
/// special procedures (started, ended). The per-number daily cap of the SMS step protects the recipient;
/// these limits stop one account from driving it.
/// </summary>
public sealed class RateLimits(RateLimiter limiter, RateLimitSettings settings)
{
    public const string OpenApplicationBucket = "open-application";
    public const string DeclareMaterialBucket = "declare-material";
    public const string SmsBucket = "sms-actions";

    public static readonly IReadOnlyDictionary<string, string> BucketByFunction = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OpenApplication"] = OpenApplicationBucket,
        ["DeclareMaterial"] = DeclareMaterialBucket,
        // A fresh upload URL is a new write credential, counted like a declaration.
        ["RenewUploadTarget"] = DeclareMaterialBucket,
        ["SubmitApplication"] = SmsBucket,
        ["WithdrawApplication"] = SmsBucket,
        ["CompleteTask"] = SmsBucket,
        ["StartSpecialProcedure"] = SmsBucket,
        ["EndSpecialProcedure"] = SmsBucket,
    };

    /// <summary>The rule for this caller on this function, or null when the function is not limited.</summary>
    public RateLimitRule? RuleFor(string function, Caller caller) =>
        BucketByFunction.TryGetValue(function, out var bucket)
            ? new RateLimitRule(bucket, bucket switch
            {
                OpenApplicationBucket => settings.OpenApplication,
                DeclareMaterialBucket => settings.DeclareMaterial,
                _ => caller.IsDepartmentStaff ? settings.StaffSmsActions : settings.SmsActions,
            }, settings.Window)
            : null;

    /// <summary>Allowed when the function is not limited; otherwise one request is counted if the window has room.</summary>
    public async Task<RateLimitDecision?> CheckAsync(string function, Caller caller, CancellationToken cancellationToken) =>
        RuleFor(function, caller) is { } rule
            ? await limiter.TryAcquireAsync($"{caller.Role}:{caller.Subject}", rule, cancellationToken)
            : null;
}

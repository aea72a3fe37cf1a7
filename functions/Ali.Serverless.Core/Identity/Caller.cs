namespace Ali.Serverless.Identity;

/// <summary>Roles a caller's token can carry.</summary>
public static class Roles
{
    /// <summary>A resident or enterprise applying online (portal or mobile app).</summary>
    public const string Applicant = "applicant";

    /// <summary>A window clerk (窗口人员) at a service hall, applying on someone's behalf.</summary>
    public const string WindowClerk = "window-clerk";

    public static readonly IReadOnlyList<string> All = [Applicant, WindowClerk];
}

/// <summary>
/// Who is calling, as established by a validated token. <see cref="Department"/> is the hall or
/// department a clerk works for.
/// </summary>
public sealed record Caller(string Subject, string Role, string? Department)
{
    public bool IsApplicant => Role == Roles.Applicant;
    public bool IsWindowClerk => Role == Roles.WindowClerk;

    /// <summary>
    /// The partition an application opened by this caller lives in: an applicant owns their own
    /// applications; a clerk's applications belong to the clerk's hall so colleagues can continue them.
    /// </summary>
    public string OwnerId => IsWindowClerk ? $"hall:{Department}" : $"applicant:{Subject}";
}

namespace Ali.Serverless.Identity;

/// <summary>Roles a caller's token can carry.</summary>
public static class Roles
{
    /// <summary>A resident or enterprise applying online (portal or mobile app).</summary>
    public const string Applicant = "applicant";

    /// <summary>A window clerk (窗口人员) at a service hall, applying on someone's behalf.</summary>
    public const string WindowClerk = "window-clerk";

    /// <summary>A department's reviewer (审查人员); the token names the department.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>A department's own business system signing in with client credentials; the token names the department.</summary>
    public const string DepartmentSystem = "department-system";

    /// <summary>电子监察: watches time limits across departments.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Runs the platform: queues, calendar, catalog.</summary>
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All = [Applicant, WindowClerk, Reviewer, DepartmentSystem, Supervisor, Operator];

    /// <summary>Roles whose token must name a department (the hall, for a clerk).</summary>
    public static readonly IReadOnlyList<string> WithDepartment = [WindowClerk, Reviewer, DepartmentSystem];

    /// <summary>
    /// People working for the administration: they must sign in with more than one factor (MLPS level 3).
    /// A department's system signs in with client credentials, not as a person, and is not among them.
    /// </summary>
    public static readonly IReadOnlyList<string> StaffPeople = [WindowClerk, Reviewer, Supervisor, Operator];

    /// <summary>Who applies: their applications live in their own (or their hall's) partition.</summary>
    public static readonly IReadOnlyList<string> ApplicantSide = [Applicant, WindowClerk];

    /// <summary>Who works a department's tasks.</summary>
    public static readonly IReadOnlyList<string> DepartmentStaff = [Reviewer, DepartmentSystem];
}

/// <summary>
/// Who is calling, as established by a validated token. <see cref="Department"/> is the hall or
/// department a clerk works for.
/// </summary>
public sealed record Caller(string Subject, string Role, string? Department)
{
    /// <summary>The language the request asked for (Accept-Language: <c>zh</c> or <c>bo</c>), null when it named neither.</summary>
    public string? Language { get; init; }

    /// <summary>Where the request came from (for the audit trail), when it came over HTTP.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The request's trace id (for the audit trail), when it came over HTTP.</summary>
    public string? TraceId { get; init; }

    /// <summary>
    /// The resident ID number the identity provider verified and put in the applicant's token (一号), when
    /// the claim is configured and present; normalised. Links the applicant to applications a window
    /// clerk opened for that number. Never logged, never stored.
    /// </summary>
    public string? IdentityNumber { get; init; }

    /// <summary>What a caller prints as (a record would print every property): never the identity number.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Subject = {Subject}, Role = {Role}, Department = {Department}");
        return true;
    }

    public bool IsApplicant => Role == Roles.Applicant;
    public bool IsWindowClerk => Role == Roles.WindowClerk;
    public bool IsSupervisor => Role == Roles.Supervisor;
    public bool IsDepartmentStaff => Roles.DepartmentStaff.Contains(Role);

    /// <summary>
    /// The partition an application opened by this caller lives in: an applicant owns their own
    /// applications; a clerk's applications belong to the clerk's hall so colleagues can continue them.
    /// </summary>
    public string OwnerId => IsWindowClerk ? $"hall:{Department}" : $"applicant:{Subject}";
}

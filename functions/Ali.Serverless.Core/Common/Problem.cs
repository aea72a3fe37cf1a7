namespace Ali.Serverless.Common;

/// <summary>What kind of refusal a problem is; the HTTP layer maps each kind to a status code.</summary>
public enum ProblemKind
{
    /// <summary>The request itself is malformed or a field is invalid.</summary>
    Invalid,
    /// <summary>The request is well formed but the rules of the case refuse it.</summary>
    Unprocessable,
    NotFound,
    Conflict,
    Forbidden,
    Unauthorized,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// <summary>The caller used up a rate limit; the HTTP layer adds Retry-After.</summary>
    TooManyRequests,
    /// <summary>A dependency the request cannot do without (the audit trail of a reveal) is down: retry later.</summary>
    Unavailable,
}

/// <summary>
/// An expected refusal, named precisely enough for a front end to show it next to the field.
/// <see cref="Errors"/> is keyed by the camelCase path of the offending field.
/// </summary>
public sealed record Problem(
    ProblemKind Kind,
    string Type,
    string Title,
    string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static Problem Invalid(string detail, IReadOnlyDictionary<string, string[]> errors) =>
        new(ProblemKind.Invalid, "invalid-request", "The request has invalid fields.", detail, errors);

    public static Problem InvalidField(string field, string message) =>
        Invalid(message, new Dictionary<string, string[]> { [field] = [message] });

    public static Problem NotFound(string what) =>
        new(ProblemKind.NotFound, "not-found", "Not found.", $"{what} was not found.");

    public static Problem Conflict(string type, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(ProblemKind.Conflict, type, title, detail, null, extensions);

    public static Problem Unprocessable(string type, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(ProblemKind.Unprocessable, type, title, detail, errors, extensions);

    public static Problem Forbidden(string detail) =>
        new(ProblemKind.Forbidden, "forbidden", "Not allowed.", detail);

    /// <summary>Another writer changed the document between our read and our write.</summary>
    public static Problem ConcurrentChange(string what) =>
        Conflict("concurrent-change", "Changed by someone else.", $"{what} was changed at the same time; read it again and retry.");
}

namespace Ali.Serverless.Common;

/// <summary>The ids this service issues (applications, materials, tasks, notifications): 32 lower-case hex characters.</summary>
public static class Ids
{
    /// <summary>Whether <paramref name="value"/> has the shape of an id we issue; anything else is never looked up.</summary>
    public static bool IsIssued(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);
}

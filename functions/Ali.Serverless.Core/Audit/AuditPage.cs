using System.Globalization;

namespace Ali.Serverless.Audit;

/// <summary>
/// One page of a chain, oldest first. <see cref="Verification"/> covers <see cref="FromSequence"/> to
/// <see cref="ToSequence"/> (none when the page is empty) and the link to the record before the page.
/// <see cref="AnchorFound"/> is false when the page starts past sequence 0 and the record before it does not exist.
/// <see cref="NextSequence"/> is where the next page starts, or null when this page reached the chain's end as read.
/// </summary>
public sealed record AuditPage(
    IReadOnlyList<AuditRecord> Records,
    AuditVerification Verification,
    long FromSequence,
    long? ToSequence,
    bool AnchorFound,
    long? NextSequence);

/// <summary>
/// How a trail is paged over HTTP: page sizes, and the continuation token, which is the next page's first
/// sequence in decimal. Clients treat the token as opaque; it is validated here like any input.
/// </summary>
public static class AuditPages
{
    /// <summary>
    /// What a plain GET reads: 20, as every other list of this API. Each record costs a read, a hash and its JSON, far
    /// more than the request around it (decision 27), so the default page is the small one.
    /// </summary>
    public const int DefaultPageSize = 20;

    /// <summary>The most records one answer holds, for verifiers walking a long chain in few requests; one read and one verification stay bounded.</summary>
    public const int MaxPageSize = 500;

    /// <summary>A long has at most 19 digits; anything longer is not a token this route issued.</summary>
    private const int MaxTokenLength = 19;

    public static string Token(long nextSequence) => nextSequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sequence a token names: ASCII digits only (no sign, space or invisible character), at most a long.</summary>
    public static bool TryReadToken(string token, out long fromSequence)
    {
        fromSequence = 0;
        return token.Length is > 0 and <= MaxTokenLength
            && token.All(char.IsAsciiDigit)
            && long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out fromSequence);
    }
}

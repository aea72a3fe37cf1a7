namespace Ali.Serverless.Common;

/// <summary>The two languages of every name and message: Chinese (zh) and Tibetan (bo).</summary>
public static class Language
{
    public const string Chinese = "zh";
    public const string Tibetan = "bo";

    public static bool IsSupported(string? code) => code is Chinese or Tibetan;

    /// <summary>The first of zh or bo an Accept-Language header names (in its order, ignoring weights), or null.</summary>
    public static string? FromAcceptLanguage(string? header)
    {
        foreach (var part in (header ?? "").Split(','))
        {
            var tag = part.Split(';')[0].Trim();
            if (tag.StartsWith(Tibetan, StringComparison.OrdinalIgnoreCase))
            {
                return Tibetan;
            }
            if (tag.StartsWith(Chinese, StringComparison.OrdinalIgnoreCase))
            {
                return Chinese;
            }
        }
        return null;
    }
}

/// <summary>
/// A text in Chinese and, where a translation exists, Tibetan. Chinese is always present and is
/// the fallback when the Tibetan text is missing.
/// </summary>
public sealed record LocalizedText(string Zh, string? Bo = null)
{
    /// <summary>The text in <paramref name="language"/>, and whether it fell back to Chinese.</summary>
    public (string Text, bool FellBack) In(string language) =>
        language == Language.Tibetan
            ? string.IsNullOrWhiteSpace(Bo) ? (Zh, true) : (Bo, false)
            : (Zh, false);

    public bool Contains(string keyword) =>
        Zh.Contains(keyword, StringComparison.OrdinalIgnoreCase)
        || (Bo?.Contains(keyword, StringComparison.OrdinalIgnoreCase) ?? false);
}

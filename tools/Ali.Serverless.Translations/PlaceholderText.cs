using System.Text.RegularExpressions;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Translations;

/// <summary>A text cut into plain runs and placeholders such as <c>{caseNumber}</c>, as Core's <see cref="Placeholders"/> reads them.</summary>
public static partial class PlaceholderText
{
    /// <summary>One run: plain text, or a placeholder (<see cref="IsPlaceholder"/>) written with its braces.</summary>
    public sealed record Run(string Text, bool IsPlaceholder);

    public static IReadOnlyList<Run> Split(string text)
    {
        var runs = new List<Run>();
        var at = 0;
        foreach (Match m in Pattern().Matches(text))
        {
            if (m.Index > at)
            {
                runs.Add(new Run(text[at..m.Index], false));
            }
            runs.Add(new Run(m.Value, true));
            at = m.Index + m.Length;
        }
        if (at < text.Length)
        {
            runs.Add(new Run(text[at..], false));
        }
        return runs;
    }

    /// <summary>
    /// Whether two texts use the same placeholders, each as many times; the order may differ, since a
    /// Tibetan sentence puts its words in another order than the Chinese one.
    /// </summary>
    public static bool SameSet(string a, string b) =>
        Placeholders.In(a).Order(StringComparer.Ordinal).SequenceEqual(Placeholders.In(b).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public static string Describe(string text) =>
        Placeholders.In(text) is { Count: > 0 } names ? string.Join(", ", names.Select(n => $"{{{n}}}")) : "none";

    // The same pattern as Core's Placeholders, which keeps its own private.
    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

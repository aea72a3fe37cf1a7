using System.Globalization;

namespace Ali.Serverless.Common;

/// <summary>The one rule for free text staff and applicants type (opinions, reasons, results).</summary>
public static class TextRules
{
    /// <summary>
    /// Control characters other than line breaks and tabs, and invisible format characters (such as
    /// U+202E or U+200B), which can hide or reorder what a reader sees in an official opinion.
    /// </summary>
    public static bool HasInvisibleCharacters(string text) =>
        text.Any(c => (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            || char.GetUnicodeCategory(c) == UnicodeCategory.Format);

    /// <summary>Validates optional free text: trimmed, at most <paramref name="maxLength"/>, no invisible characters. Null when blank.</summary>
    public static string? Optional(FieldErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength || HasInvisibleCharacters(trimmed))
        {
            errors.Add(field, $"{field} has at most {maxLength} characters and no control or invisible format characters.");
            return null;
        }
        return trimmed;
    }

    /// <summary>As <see cref="Optional"/>, and required.</summary>
    public static string? Required(FieldErrors errors, string field, string? value, int maxLength) =>
        errors.Require(field, value) ? Optional(errors, field, value, maxLength) : null;
}

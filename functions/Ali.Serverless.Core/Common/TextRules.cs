using System.Globalization;
using System.Text;

namespace Ali.Serverless.Common;

/// <summary>The kinds of free text the API takes; each kind has one rule (decision 10).</summary>
public enum TextKind
{
    /// <summary>One line naming someone: an applicant's name. No line breaks.</summary>
    Name,

    /// <summary>A material's file name: one line, and nothing that makes it look like a path or hides where it ends.</summary>
    FileName,

    /// <summary>Text typed into a box: opinions, reasons, results, form field values. CR and LF are allowed.</summary>
    MultiLine,
}

/// <summary>
/// The one rule for free text that staff (and applicants) are shown later: names, file names,
/// form field values, opinions, reasons, results. See docs/decisions/0010-free-text-rule.md.
/// </summary>
/// <remarks>
/// A value is refused when it holds a code point that is not a well-formed, assigned, visible
/// character or ordinary white space: control characters (C0 and C1; CR and LF are allowed in
/// <see cref="TextKind.MultiLine"/> only), format characters (category Cf: bidi controls such as
/// U+202E, zero-width characters such as U+200B and U+FEFF), line and paragraph separators
/// (U+2028, U+2029), private-use, surrogate (unpaired) and unassigned code points; and when nothing
/// is left of it but white space and fillers (U+3164 HANGUL FILLER, U+2800 BRAILLE PATTERN BLANK…).
/// What passes is normalised to NFC and trimmed, and that is the value to store.
/// </remarks>
public static class TextRules
{
    private static readonly char[] PathCharacters = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
    private static readonly string[] EscapedPathCharacters = ["%2F", "%5C", "%2E%2E", "%00"];

    /// <summary>
    /// Characters that are letters, marks or symbols to Unicode but show nothing on their own. A value
    /// made only of these and white space looks empty to the person who reads it.
    /// </summary>
    private static bool IsFiller(Rune rune) => rune.Value switch
    {
        0x115F or 0x1160 or 0x3164 or 0xFFA0 => true, // Hangul choseong, jungseong, (halfwidth) fillers
        0x2800 => true, // braille pattern blank
        0x034F => true, // combining grapheme joiner
        0x17B4 or 0x17B5 => true, // Khmer inherent vowels
        >= 0x180B and <= 0x180D or 0x180F => true, // Mongolian free variation selectors
        >= 0xFE00 and <= 0xFE0F => true, // variation selectors
        >= 0xE0100 and <= 0xE01EF => true, // variation selectors supplement
        _ => false,
    };

    /// <summary>
    /// Checks <paramref name="value"/> as text of <paramref name="kind"/>. Returns null when it passes, with
    /// <paramref name="normalized"/> the NFC, trimmed value to store ("" when it is blank: the caller decides
    /// whether blank means absent); else the reason it is refused, to follow the field's name.
    /// </summary>
    public static string? Validate(string value, TextKind kind, int maxLength, out string normalized)
    {
        normalized = "";
        if (RefusedCharacter(value, kind) is { } refused)
        {
            return refused;
        }
        // The same text can arrive composed or decomposed (é or e + ◌́, U+0F73 or U+0F71 U+0F72); NFC
        // makes it one sequence of code points, so equal names are stored equal. NFC only composes and
        // reorders assigned characters, so what passed above still passes.
        var composed = value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        var trimmed = composed.Trim();
        if (kind == TextKind.FileName && FileNameProblem(composed) is { } fileNameProblem)
        {
            return fileNameProblem;
        }
        if (trimmed.Length > 0 && trimmed.EnumerateRunes().All(r => Rune.IsWhiteSpace(r) || IsFiller(r)))
        {
            return "has only invisible characters (white space, or fillers such as U+3164 HANGUL FILLER): nothing of it would show.";
        }
        if (trimmed.Length > maxLength)
        {
            return $"has at most {maxLength} characters.";
        }
        normalized = trimmed;
        return null;
    }

    /// <summary>Validates optional text of <paramref name="kind"/>: the value to store, or null when absent, blank or refused (the error is added).</summary>
    public static string? Optional(FieldErrors errors, string field, string? value, TextKind kind, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (Validate(value, kind, maxLength, out var normalized) is { } error)
        {
            errors.Add(field, $"{field} {error}");
            return null;
        }
        return normalized.Length == 0 ? null : normalized;
    }

    /// <summary>As <see cref="Optional"/>, and required: absent or blank is an error too.</summary>
    public static string? Required(FieldErrors errors, string field, string? value, TextKind kind, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "This field is required.");
            return null;
        }
        if (Validate(value, kind, maxLength, out var normalized) is { } error)
        {
            errors.Add(field, $"{field} {error}");
            return null;
        }
        if (normalized.Length == 0)
        {
            errors.Add(field, "This field is required.");
            return null;
        }
        return normalized;
    }

    /// <summary>The first code point the rule refuses, described; null when there is none.</summary>
    private static string? RefusedCharacter(string value, TextKind kind)
    {
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return $"contains U+{(int)rest[0]:X4}, half of a surrogate pair without its other half: not text.";
            }
            rest = rest[consumed..];
            var what = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control when kind == TextKind.MultiLine && rune.Value is '\r' or '\n' => null,
                UnicodeCategory.Control when rune.Value is '\r' or '\n' => "a line break: this field is one line",
                UnicodeCategory.Control => "a control character",
                UnicodeCategory.Format => "an invisible format character (bidi controls and zero-width characters can hide or reorder what staff read)",
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line or paragraph separator (a line break is CR or LF, and only in multi-line text)",
                UnicodeCategory.PrivateUse => "a private-use character, which shows differently or not at all on other devices",
                UnicodeCategory.OtherNotAssigned => "a code point Unicode does not assign",
                _ => null,
            };
            if (what is not null)
            {
                return $"may not contain U+{rune.Value:X4}, {what}.";
            }
        }
        return null;
    }

    /// <summary>What a file name may not be, beyond the characters every text refuses.</summary>
    private static string? FileNameProblem(string fileName)
    {
        if (fileName.IndexOfAny(PathCharacters) >= 0 || fileName.Contains("..", StringComparison.Ordinal))
        {
            return "may not contain path characters (/ \\ : * ? \" < > | or '..').";
        }
        // Some browsers decode %-escapes in a download's file name: an escaped separator or NUL is a path too.
        if (EscapedPathCharacters.Any(e => fileName.Contains(e, StringComparison.OrdinalIgnoreCase)))
        {
            return "may not contain %-escaped path characters (%2F, %5C, %2E%2E or %00).";
        }
        if (fileName.Trim() != fileName)
        {
            return "may not start or end with white space.";
        }
        if (fileName.StartsWith('.'))
        {
            return "may not start with '.'.";
        }
        return null;
    }
}

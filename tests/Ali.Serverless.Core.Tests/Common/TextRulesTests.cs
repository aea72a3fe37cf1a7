using System.Globalization;
using Ali.Serverless.Common;

namespace Ali.Serverless.Core.Tests.Common;

/// <summary>The one rule for free text shown to staff (decision 10), for each kind of field.</summary>
public class TextRulesTests
{
    private const int Max = 200;

    private static string? Check(string value, TextKind kind) => TextRules.Validate(value, kind, Max, out _);

    private static string Passes(string value, TextKind kind)
    {
        var error = TextRules.Validate(value, kind, Max, out var normalized);
        Assert.True(error is null, $"{Describe(value)} as {kind}: {error}");
        return normalized;
    }

    private static void Refused(string value, TextKind kind) =>
        Assert.True(Check(value, kind) is not null, $"{Describe(value)} passed as {kind}");

    private static string Describe(string value) =>
        string.Join(" ", value.EnumerateRunes().Select(r => $"U+{r.Value:X4}"));

    // --- Tibetan and Chinese pass -------------------------------------------------------------

    /// <summary>Letters, marks and signs of the Tibetan block (U+0F00–U+0FFF), as code points.</summary>
    public static readonly TheoryData<string> TibetanSamples = new()
    {
        "\u0F40\u0F0B\u0F41\u0F0B\u0F42", // ཀ་ཁ་ག: KA, tsheg, KHA, tsheg, GA
        "\u0F40\u0F72",                  // ཀི: KA with vowel sign I (a combining mark, Mn)
        "\u0F42\u0F74",                  // གུ: GA with vowel sign U
        "\u0F44\u0F7A",                  // ངེ: NGA with vowel sign E
        "\u0F40\u0F7C",                  // ཀོ: KA with vowel sign O
        "\u0F40\u0FB1",                  // ཀྱ: KA with subjoined YA
        "\u0F41\u0FB2",                  // ཁྲ: KHA with subjoined RA
        "\u0F40\u0F0B\u0F0D",            // ཀ་།: KA, tsheg, shad
        "\u0F00",                        // ༀ: syllable OM
        "\u0F20\u0F21\u0F22\u0F29",      // ༠༡༢༩: Tibetan digits
    };

    [Theory]
    [MemberData(nameof(TibetanSamples))]
    public void Tibetan_PassesAsEveryKind_Unchanged(string value)
    {
        foreach (var kind in new[] { TextKind.Name, TextKind.FileName, TextKind.MultiLine })
        {
            Assert.Equal(value, Passes(value, kind));
        }
    }

    [Fact]
    public void EveryAssignedCodePointOfTheTibetanBlock_PassesAfterALetter()
    {
        var assigned = 0;
        for (var c = 0x0F00; c <= 0x0FFF; c++)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }
            assigned++;
            var value = "\u0F40" + char.ConvertFromUtf32(c);
            Passes(value, TextKind.Name);
            Passes(value, TextKind.MultiLine);
        }
        Assert.True(assigned > 200, $"only {assigned} assigned code points in the Tibetan block");
    }

    [Fact]
    public void TheTibetanBlocksUnassignedCodePoints_AreRefused()
    {
        // U+0F48 lies between NGA-LIKE JA (U+0F47) and NYA (U+0F49) and is not assigned.
        Refused("\u0F40\u0F48", TextKind.MultiLine);
    }

    [Theory]
    [InlineData("次仁卓玛")]
    [InlineData("王小明")]
    [InlineData("欧阳娜娜")]
    [InlineData("扎西·次仁")] // U+00B7 MIDDLE DOT between the parts of a transcribed name
    [InlineData("陈\u4DAE")]   // a CJK Extension A character
    [InlineData("\U00020BB7田")] // a CJK Extension B character: a surrogate pair in UTF-16
    [InlineData("阿里高原能源有限公司")]
    public void ChineseNames_Pass(string name)
    {
        Assert.Equal(name, Passes(name, TextKind.Name));
    }

    // --- NFC: what is stored ------------------------------------------------------------------

    [Theory]
    [InlineData("\u0F43", "\u0F42\u0FB7")]             // GHA decomposes to GA + subjoined HA and stays so in NFC
    [InlineData("\u0F40\u0F73", "\u0F40\u0F71\u0F72")] // vowel sign II is AA + I in NFC
    [InlineData("\u0F40\u0F72\u0F71", "\u0F40\u0F71\u0F72")] // marks put in canonical order
    [InlineData("\uF900", "\u8C48")]                   // a CJK compatibility ideograph becomes its unified one
    [InlineData("Jose\u0301", "José")]                 // base + combining acute composes
    public void Value_IsStoredInNfc(string value, string stored)
    {
        foreach (var kind in new[] { TextKind.Name, TextKind.MultiLine })
        {
            Assert.Equal(stored, Passes(value, kind));
        }
    }

    [Fact]
    public void Value_IsTrimmed()
    {
        Assert.Equal("次仁卓玛", Passes("  次仁卓玛\u3000", TextKind.Name));
        Assert.Equal("第一行\n第二行", Passes("\r\n第一行\n第二行\n", TextKind.MultiLine));
    }

    [Fact]
    public void LengthIsCountedAfterNormalisation()
    {
        // Three code points in, one out: fits a limit of 1 only once normalised.
        Assert.Null(TextRules.Validate("e\u0301", TextKind.Name, 1, out var normalized));
        Assert.Equal("é", normalized);
        Assert.NotNull(TextRules.Validate("ab", TextKind.Name, 1, out _));
    }

    // --- what every kind refuses --------------------------------------------------------------

    public static readonly TheoryData<string> RefusedEverywhere = new()
    {
        "a\u0000b",   // NUL
        "a\u0007b",   // BEL
        "a\u001Bb",   // ESC
        "a\u0009b",   // TAB: a control character too
        "a\u007Fb",   // DEL
        "a\u0085b",   // NEL, a C1 control
        "a\u009Bb",   // CSI, a C1 control
        "a\u202Eb",   // RIGHT-TO-LEFT OVERRIDE
        "a\u202Db",   // LEFT-TO-RIGHT OVERRIDE
        "a\u2066b",   // LEFT-TO-RIGHT ISOLATE
        "a\u200Fb",   // RIGHT-TO-LEFT MARK
        "a\u061Cb",   // ARABIC LETTER MARK
        "a\u200Bb",   // ZERO WIDTH SPACE
        "a\u200Cb",   // ZERO WIDTH NON-JOINER
        "a\u200Db",   // ZERO WIDTH JOINER
        "a\u2060b",   // WORD JOINER
        "a\uFEFFb",   // ZERO WIDTH NO-BREAK SPACE / BOM
        "a\u00ADb",   // SOFT HYPHEN
        "a\u180Eb",   // MONGOLIAN VOWEL SEPARATOR
        "a\U000E0001b", // LANGUAGE TAG
        "a\u2028b",   // LINE SEPARATOR
        "a\u2029b",   // PARAGRAPH SEPARATOR
        "a\uE000b",   // private use
        "a\uF8FFb",   // private use
        "a\U000F0000b", // supplementary private use
        "a\u0378b",   // unassigned
        "a\U0010FFFFb", // a noncharacter, unassigned
        "\u202E",
        "\u200B\u200C\u200D",
    };

    [Theory]
    [MemberData(nameof(RefusedEverywhere))]
    public void ControlFormatSeparatorPrivateUnassignedAndSurrogateCodePoints_AreRefusedInEveryKind(string value)
    {
        Refused(value, TextKind.Name);
        Refused(value, TextKind.FileName);
        Refused(value, TextKind.MultiLine);
    }

    [Fact]
    public void UnpairedSurrogates_AreRefusedInEveryKind()
    {
        // Built here, not in theory data: the test runner's serialisation would turn them into U+FFFD.
        foreach (var value in new[] { "a\uD800b", "a\uDC00b", "ab\uD83D", "\uDE00ab", "\uDC00\uD800" })
        {
            foreach (var kind in new[] { TextKind.Name, TextKind.FileName, TextKind.MultiLine })
            {
                Assert.Contains("surrogate", Check(value, kind), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("次仁\u2028")]   // a trailing separator is not trimmed away: it is refused
    [InlineData("次仁\n")]
    [InlineData("\u0000次仁")]
    public void ABadCharacterAtAnEnd_IsRefused_NotTrimmed(string value)
    {
        Refused(value, TextKind.Name);
        Refused(value, TextKind.FileName);
    }

    [Theory]
    [InlineData("第一行\n第二行")]
    [InlineData("第一行\r\n第二行")]
    [InlineData("第一行\r第二行")]
    public void LineBreaks_PassInMultiLineText_Only(string value)
    {
        Assert.Equal(value, Passes(value, TextKind.MultiLine));
        Refused(value, TextKind.Name);
        Refused(value, TextKind.FileName);
    }

    public static readonly TheoryData<string> OnlyInvisible = new()
    {
        "\u3164",             // HANGUL FILLER
        "\u115F",             // HANGUL CHOSEONG FILLER
        "\u1160",             // HANGUL JUNGSEONG FILLER
        "\uFFA0",             // HALFWIDTH HANGUL FILLER
        "\u2800",             // BRAILLE PATTERN BLANK
        "\u3164\u3164\u3164",
        "\u00A0\u3164",       // NBSP and a filler
        "\u3000\u2800\u3000",
        "\u034F",             // COMBINING GRAPHEME JOINER
        "\uFE0F",             // VARIATION SELECTOR-16
        "\u180B",             // MONGOLIAN FREE VARIATION SELECTOR ONE
        "\U000E0100",         // VARIATION SELECTOR-17
        "\u17B4",             // KHMER VOWEL INHERENT AQ
    };

    [Theory]
    [MemberData(nameof(OnlyInvisible))]
    public void OnlyWhiteSpaceAndFillers_IsRefusedInEveryKind(string value)
    {
        Refused(value, TextKind.Name);
        Refused(value, TextKind.FileName);
        Refused(value, TextKind.MultiLine);
        Assert.Contains("only invisible", Check(value, TextKind.Name), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u3164卓玛")]
    [InlineData("卓玛\uFE0F")]
    public void AFillerBesideVisibleText_Passes(string value)
    {
        Passes(value, TextKind.Name);
    }

    [Fact]
    public void TheMessageNamesTheCodePoint_NotTheCharacter()
    {
        var error = Check("次仁\u202E卓玛", TextKind.Name);

        Assert.Contains("U+202E", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", error, StringComparison.Ordinal);
    }

    // --- file names ---------------------------------------------------------------------------

    [Theory]
    [InlineData("../a.pdf")]
    [InlineData("a/b.pdf")]
    [InlineData("a\\b.pdf")]
    [InlineData("C:a.pdf")]
    [InlineData("a..pdf")]
    [InlineData("a|b.pdf")]
    [InlineData(".hidden.pdf")]
    [InlineData(" a.pdf")]
    [InlineData("a.pdf ")]
    [InlineData("a.pdf\u3000")]
    [InlineData("报告\u2028.pdf")]
    [InlineData("\u3164")]
    [InlineData("%2e%2e%2fetc.pdf")]
    [InlineData("a%5Cb.pdf")]
    [InlineData("a%00.pdf")]
    public void FileName_PathLikeHiddenOrPadded_IsRefused(string fileName)
    {
        Refused(fileName, TextKind.FileName);
    }

    [Theory]
    [InlineData("申请书.pdf")]
    [InlineData("ID card (front).jpg")]
    [InlineData("\u0F40\u0F0B\u0F41.pdf")]
    [InlineData("100%完成.pdf")]
    public void FileName_Ordinary_Passes(string fileName)
    {
        Assert.Equal(fileName, Passes(fileName, TextKind.FileName));
    }

    [Fact]
    public void FileName_IsStoredInNfc()
    {
        Assert.Equal("\u0F42\u0FB7.pdf", Passes("\u0F43.pdf", TextKind.FileName));
    }

    // --- the FieldErrors helpers ----------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n")]
    public void Optional_AbsentOrBlank_IsNull_WithoutError(string? value)
    {
        var errors = new FieldErrors();

        Assert.Null(TextRules.Optional(errors, "reason", value, TextKind.MultiLine, Max));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("\u2028")]
    [InlineData("\u3164")]
    [InlineData("\u200B")]
    public void Optional_InvisibleButNotBlank_IsAnErrorNamingTheField(string value)
    {
        var errors = new FieldErrors();

        Assert.Null(TextRules.Optional(errors, "reason", value, TextKind.MultiLine, Max));
        Assert.Equal(["reason"], errors.ToProblem().Errors!.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\u00A0")]
    [InlineData("\u3164")]
    [InlineData("a\u0000")]
    public void Required_MissingBlankOrRefused_IsAnErrorNamingTheField(string? value)
    {
        var errors = new FieldErrors();

        Assert.Null(TextRules.Required(errors, "applicant.name", value, TextKind.Name, Max));
        Assert.Equal(["applicant.name"], errors.ToProblem().Errors!.Keys);
    }

    [Fact]
    public void Required_ReturnsTheNormalisedValue()
    {
        var errors = new FieldErrors();

        Assert.Equal("\u0F42\u0FB7", TextRules.Required(errors, "applicant.name", " \u0F43 ", TextKind.Name, Max));
        Assert.False(errors.Any);
    }

    [Fact]
    public void EveryRefusalMessage_IsValidText_ItselfPassingTheRule()
    {
        foreach (var value in new[] { "a\u0000b", "a\u0009b", "a\u202Eb", "a\u200Bb", "a\u2028b", "a\uE000b", "a\u0378b", "a\uD800b", "\u3164", "\u00A0\u2800" })
        {
            var error = Check(value, TextKind.Name)!;
            Passes(error, TextKind.MultiLine);
        }
    }
}

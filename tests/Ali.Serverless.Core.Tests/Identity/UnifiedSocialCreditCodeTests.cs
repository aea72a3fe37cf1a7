using Ali.Serverless.Identity;

namespace Ali.Serverless.Core.Tests.Identity;

/// <summary>
/// GB 32100-2015 unified social credit codes. 91350100M000100Y43 is the example published with the
/// standard; its check character 3 was confirmed by hand with the standard's weights (3^i mod 31).
/// </summary>
public class UnifiedSocialCreditCodeTests
{
    private const string PublishedExample = "91350100M000100Y43";

    [Fact]
    public void Validate_PublishedExample_IsAccepted()
    {
        Assert.Null(UnifiedSocialCreditCode.Validate(PublishedExample));
    }

    [Fact]
    public void Validate_PublishedExampleInLowerCase_IsAccepted()
    {
        Assert.Null(UnifiedSocialCreditCode.Validate(PublishedExample.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("91350100M000100Y42")]
    [InlineData("91350100M000100Y4A")]
    [InlineData("91350100M000100Y40")]
    public void Validate_ChangedCheckCharacter_IsRejectedForTheCheck(string code)
    {
        var error = UnifiedSocialCreditCode.Validate(code);

        Assert.NotNull(error);
        Assert.Contains("check character", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChangedBodyCharacterWithOldCheckCharacter_IsRejected()
    {
        Assert.NotNull(UnifiedSocialCreditCode.Validate("91350100M000200Y43"));
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void Validate_ForbiddenLetter_IsRejectedNamingTheLetter(char letter)
    {
        var code = string.Concat(PublishedExample.AsSpan(0, 8), letter.ToString(), PublishedExample.AsSpan(9));

        var error = UnifiedSocialCreditCode.Validate(code);

        Assert.NotNull(error);
        Assert.Contains($"'{letter}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void Validate_ForbiddenLetterAsCheckCharacter_IsRejected(char letter)
    {
        Assert.NotNull(UnifiedSocialCreditCode.Validate(PublishedExample[..17] + letter));
    }

    [Theory]
    [InlineData("")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y433")]
    public void Validate_WrongLength_IsRejected(string code)
    {
        var error = UnifiedSocialCreditCode.Validate(code);

        Assert.NotNull(error);
        Assert.Contains("18 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Null_IsRejected()
    {
        Assert.NotNull(UnifiedSocialCreditCode.Validate(null));
    }

    [Fact]
    public void Validate_LetterInTheDivisionCode_IsRejectedForTheDivisionCode()
    {
        // A letter at position 4 with the check character recomputed, so only the division rule can refuse it.
        var code = WithCheckCharacter("913A0100M000100Y4");

        var error = UnifiedSocialCreditCode.Validate(code);

        Assert.NotNull(error);
        Assert.Contains("division code", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_UpperCasesAndTrims()
    {
        Assert.Equal(PublishedExample, UnifiedSocialCreditCode.Normalize(" 91350100m000100y43 "));
    }

    /// <summary>The standard's check: weights 3^i mod 31 over the 31-character alphabet.</summary>
    private static string WithCheckCharacter(string first17)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var sum = 0;
        var weight = 1;
        foreach (var c in first17)
        {
            sum += alphabet.IndexOf(c, StringComparison.Ordinal) * weight;
            weight = weight * 3 % 31;
        }
        return first17 + alphabet[(31 - sum % 31) % 31];
    }
}

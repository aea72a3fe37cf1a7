using Ali.Serverless.Identity;

namespace Ali.Serverless.Core.Tests.Identity;

/// <summary>GB 11643-1999 citizen identity numbers, with the examples of domain.md §8.</summary>
public class ResidentIdNumberTests
{
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("53010219200508011X")]
    [InlineData("110101199003070134")]
    public void Validate_PublishedValidExample_IsAccepted(string number)
    {
        var error = ResidentIdNumber.Validate(number);

        Assert.Null(error);
    }

    [Theory]
    [InlineData("11010519491231002x")]
    [InlineData("53010219200508011x")]
    public void Validate_LowerCaseCheckCharacterX_IsAccepted(string number)
    {
        var error = ResidentIdNumber.Validate(number);

        Assert.Null(error);
    }

    [Theory]
    [InlineData("110105194912310021")] // X changed to 1
    [InlineData("110101199003070135")] // 4 changed to 5
    [InlineData("11010119900307013X")] // 4 changed to X
    [InlineData("110101199003070144")] // a sequence digit changed, check character kept
    public void Validate_ChangedCheckCharacterOrDigit_IsRejectedForTheCheck(string number)
    {
        var error = ResidentIdNumber.Validate(number);

        Assert.NotNull(error);
        Assert.Contains("check character", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("110101199002300137")] // 30 February, with a correct check character
    [InlineData("110101199013010135")] // month 13, with a correct check character
    [InlineData("110101189001010139")] // 1890: before 1900
    public void Validate_ImpossibleBirthDate_IsRejectedForTheDate(string number)
    {
        var error = ResidentIdNumber.Validate(number);

        Assert.NotNull(error);
        Assert.Contains("birth date", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("11010519491231002")]   // 17
    [InlineData("11010519491231002X1")] // 19
    [InlineData("110105491231002")]     // old 15-digit form
    public void Validate_WrongLength_IsRejected(string number)
    {
        var error = ResidentIdNumber.Validate(number);

        Assert.NotNull(error);
        Assert.Contains("18 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Null_IsRejected()
    {
        Assert.NotNull(ResidentIdNumber.Validate(null));
    }

    [Theory]
    [InlineData("1101051949123100AX")]
    [InlineData("A1010519491231002X")]
    [InlineData("11010519491231 02X")]
    [InlineData("１1010519491231002X")] // full-width digits
    public void Validate_LettersOrOtherCharactersAmongTheDigits_AreRejected(string number)
    {
        var error = ResidentIdNumber.Validate(number);

        Assert.NotNull(error);
    }

    [Fact]
    public void Validate_LetterOtherThanXAsCheckCharacter_IsRejected()
    {
        Assert.NotNull(ResidentIdNumber.Validate("11010519491231002Y"));
    }

    [Fact]
    public void Normalize_UpperCasesTheCheckCharacterAndTrims()
    {
        Assert.Equal("11010519491231002X", ResidentIdNumber.Normalize(" 11010519491231002x "));
    }

    [Fact]
    public void Validate_BirthDateAfterToday_IsRefused_WhenTodayIsGiven()
    {
        // Valid structure and check character, born 2099-01-01.
        var number = "11010120990101001" + CheckFor("11010120990101001");
        Assert.Null(ResidentIdNumber.Validate(number));

        var error = ResidentIdNumber.Validate(number, new DateOnly(2026, 11, 28));

        Assert.NotNull(error);
        Assert.Contains("future", error, StringComparison.Ordinal);
    }

    private static char CheckFor(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return "10X98765432"[sum % 11];
    }
}

using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Functions.Tests.Auth;

/// <summary>The callers of validated tokens, kept until each token expires (decision 23).</summary>
public class ValidatedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);
    private static readonly Caller Citizen = new("user-1", Roles.Applicant, null);

    [Fact]
    public void Find_KeptToken_ReturnsItsCallerUntilItExpires()
    {
        var clock = new FakeTimeProvider(Start);
        var tokens = new ValidatedTokens(clock);
        tokens.Keep("token-a", Citizen, Start.AddMinutes(4));

        Assert.Equal(Citizen, tokens.Find("token-a"));
        clock.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromTicks(1));
        Assert.Equal(Citizen, tokens.Find("token-a"));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(tokens.Find("token-a"));
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public void Find_UnknownOrDifferentToken_ReturnsNothing()
    {
        var tokens = new ValidatedTokens(new FakeTimeProvider(Start));
        tokens.Keep("token-a", Citizen, Start.AddMinutes(10));

        Assert.Null(tokens.Find("token-b"));
        Assert.Null(tokens.Find("token-a "));
        Assert.Null(tokens.Find("TOKEN-A"));
    }

    [Fact]
    public void Keep_TokenAlreadyExpired_KeepsNothing()
    {
        var tokens = new ValidatedTokens(new FakeTimeProvider(Start));

        tokens.Keep("token-a", Citizen, Start);

        Assert.Equal(0, tokens.Count);
        Assert.Null(tokens.Find("token-a"));
    }

    [Fact]
    public void Keep_WhenFull_DropsExpiredEntriesFirst_ThenEverything()
    {
        var clock = new FakeTimeProvider(Start);
        var tokens = new ValidatedTokens(clock, capacity: 2);
        tokens.Keep("short", Citizen, Start.AddMinutes(1));
        tokens.Keep("long", Citizen, Start.AddHours(1));

        clock.Advance(TimeSpan.FromMinutes(2));
        tokens.Keep("third", Citizen, Start.AddHours(1));
        Assert.Equal(2, tokens.Count);
        Assert.NotNull(tokens.Find("long"));
        Assert.NotNull(tokens.Find("third"));

        // Full of live entries: all go, and the newest is kept (the others are validated again on their next use).
        tokens.Keep("fourth", Citizen, Start.AddHours(1));
        Assert.Equal(1, tokens.Count);
        Assert.NotNull(tokens.Find("fourth"));
        Assert.Null(tokens.Find("long"));
    }

    [Fact]
    public void Find_TokenValidForHours_IsValidatedAgainAfterFiveMinutes()
    {
        var clock = new FakeTimeProvider(Start);
        var tokens = new ValidatedTokens(clock);
        tokens.Keep("token-a", Citizen, Start.AddHours(8));

        clock.Advance(ValidatedTokens.MaxKept - TimeSpan.FromTicks(1));
        Assert.Equal(Citizen, tokens.Find("token-a"));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(tokens.Find("token-a"));
    }
}

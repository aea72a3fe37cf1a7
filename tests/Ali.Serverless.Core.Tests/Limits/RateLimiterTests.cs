using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Limits;
using Moq;

namespace Ali.Serverless.Core.Tests.Limits;

public sealed class RateLimiterTests
{
    private static readonly RateLimitRule Hourly = new("open-application", 3, TimeSpan.FromHours(1));

    [Fact]
    public void Windows_StartAtWholeMultiplesOfTheirLength_WhateverTheOffset()
    {
        var start = Hourly.WindowStart(new DateTimeOffset(2026, 3, 10, 10, 59, 59, TimeSpan.FromHours(8)));
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(start, Hourly.WindowStart(start));
        Assert.Equal(start.AddHours(1), Hourly.WindowStart(start.AddHours(1)));
    }

    [Fact]
    public async Task ARefusal_SaysWhenTheWindowEnds_AndNamesTheLimit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 2, 59, 30, 500, TimeSpan.Zero));
        var store = new Mock<IRateLimitStore>();
        store.Setup(s => s.TryCountAsync("applicant:u1", "open-application", new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero), Hourly.Window, 3, It.IsAny<CancellationToken>()))
            .ReturnsAsync(false);

        var decision = await new RateLimiter(store.Object, clock).TryAcquireAsync("applicant:u1", Hourly, CancellationToken.None);

        Assert.False(decision.Allowed);
        Assert.Equal(30, decision.RetryAfterSeconds); // 29.5 s rounded up
        var problem = decision.ToProblem();
        Assert.Equal(ProblemKind.TooManyRequests, problem.Kind);
        Assert.Equal("open-application", problem.Extensions!["limit"]);
        Assert.Equal(3, problem.Extensions["limitValue"]);
        Assert.Equal(30L, problem.Extensions["retryAfterSeconds"]);
        Assert.Contains("3", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAllowedRequest_IsCountedInTheCurrentWindow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero));
        var store = new Mock<IRateLimitStore>();
        store.Setup(s => s.TryCountAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<TimeSpan>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(true);

        var decision = await new RateLimiter(store.Object, clock).TryAcquireAsync("s", Hourly, CancellationToken.None);

        Assert.True(decision.Allowed);
        Assert.Equal(3600, decision.RetryAfterSeconds);
        store.Verify(s => s.TryCountAsync("s", "open-application", clock.Now, Hourly.Window, 3, It.IsAny<CancellationToken>()), Times.Once);
    }
}

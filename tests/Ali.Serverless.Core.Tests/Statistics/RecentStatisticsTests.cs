using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Statistics;
using Moq;

namespace Ali.Serverless.Core.Tests.Statistics;

public sealed class RecentStatisticsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private static MonthlyStatistics Month(string period, int minute) => new()
    {
        Period = period,
        ComputedAt = new DateTimeOffset(2026, 11, 29, 10, minute, 0, TimeSpan.Zero),
        Cells = [],
    };

    [Fact]
    public async Task A_month_read_again_within_the_lifetime_is_not_read_from_the_store_and_is_read_again_after_it()
    {
        var store = new Mock<IStatisticsStore>();
        store.SetupSequence(s => s.GetAsync("2026-11", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Month("2026-11", 0))
            .ReturnsAsync(Month("2026-11", 30));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 11, 0, 0, TimeSpan.Zero));
        var recent = new RecentStatistics(store.Object, clock, Lifetime);

        Assert.Equal(0, (await recent.GetAsync("2026-11", default))!.ComputedAt.Minute);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, (await recent.GetAsync("2026-11", default))!.ComputedAt.Minute);
        store.Verify(s => s.GetAsync("2026-11", It.IsAny<CancellationToken>()), Times.Once);

        // Recomputed by another instance meanwhile: seen once the kept copy is older than the lifetime.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(30, (await recent.GetAsync("2026-11", default))!.ComputedAt.Minute);
        store.Verify(s => s.GetAsync("2026-11", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_month_written_through_it_is_answered_at_once_and_a_missing_month_is_not_remembered()
    {
        var store = new Mock<IStatisticsStore>();
        store.Setup(s => s.GetAsync("2026-11", It.IsAny<CancellationToken>())).ReturnsAsync(Month("2026-11", 0));
        store.Setup(s => s.GetAsync("2026-10", It.IsAny<CancellationToken>())).ReturnsAsync((MonthlyStatistics?)null);
        var recent = new RecentStatistics(store.Object, new FakeTimeProvider(DateTimeOffset.UnixEpoch), Lifetime);

        await recent.GetAsync("2026-11", default);
        await recent.UpsertAsync(Month("2026-11", 45), default);
        Assert.Equal(45, (await recent.GetAsync("2026-11", default))!.ComputedAt.Minute);
        store.Verify(s => s.UpsertAsync(It.Is<MonthlyStatistics>(m => m.ComputedAt.Minute == 45), It.IsAny<CancellationToken>()), Times.Once);

        Assert.Null(await recent.GetAsync("2026-10", default));
        Assert.Null(await recent.GetAsync("2026-10", default));
        store.Verify(s => s.GetAsync("2026-10", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}

using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Statistics;
using Moq;
using static Ali.Serverless.Core.Tests.Statistics.StatisticsFixture;

namespace Ali.Serverless.Core.Tests.Statistics;

public sealed class StatisticsServiceTests
{
    private sealed class InMemoryStatisticsStore : IStatisticsStore
    {
        public Dictionary<string, MonthlyStatistics> Months { get; } = [];
        public int Writes { get; private set; }

        public Task UpsertAsync(MonthlyStatistics statistics, CancellationToken cancellationToken)
        {
            Months[statistics.Period] = statistics;
            Writes++;
            return Task.CompletedTask;
        }

        public Task<MonthlyStatistics?> GetAsync(string period, CancellationToken cancellationToken) => Task.FromResult(Months.GetValueOrDefault(period));
    }

    private readonly InMemoryStatisticsStore _store = new();
    private readonly InMemoryApplicationStore _applications = new();
    private readonly Mock<IEvaluationFacts> _reviews = new(MockBehavior.Strict);
    private readonly FakeTimeProvider _clock = new(Now);

    private StatisticsService Service(bool withReviews = true)
    {
        var catalog = new Mock<ICatalogStore>();
        catalog.Setup(c => c.ListAsync(null, null, It.IsAny<CancellationToken>())).ReturnsAsync(Items());
        return new StatisticsService(catalog.Object, _applications, _store, Calendar, _clock, withReviews ? _reviews.Object : null);
    }

    public StatisticsServiceTests()
    {
        foreach (var application in SeededCases())
        {
            _applications.CreateAsync(application, CancellationToken.None).GetAwaiter().GetResult();
        }
        // The review store answers for the month asked, as the contract says: [start, end) of the month in China.
        _reviews.Setup(r => r.ListEvaluatedBetweenAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DateTimeOffset from, DateTimeOffset to, CancellationToken _) => Reviews().Where(r => r.EvaluatedAt >= from && r.EvaluatedAt < to).ToList());
    }

    [Fact]
    public async Task Recompute_StoresTheMonth_WithReviewFiguresFromTheReviewStore()
    {
        var result = await Service().RecomputeAsync(new RecomputeStatisticsRequest("2026-02"), CancellationToken.None);

        Assert.True(result.IsSuccess);
        _reviews.Verify(r => r.ListEvaluatedBetweenAsync(At("2026-02-01T00:00"), At("2026-03-01T00:00"), It.IsAny<CancellationToken>()), Times.Once);
        var answer = await Service().ReadAsync("2026-02", Rsj, null, null, publicView: false, CancellationToken.None);
        var f = answer.Value!.Report.Total.Figures;
        Assert.Equal((7, 4, 0.5714), (f.Reviews, f.BadReviews, f.BadReviewRate));
        Assert.Equal((3, 1), (f.RectificationsDue, f.RectifiedOnTime));
        Assert.Equal(3, f.Completed);
    }

    [Fact]
    public async Task AtStart_TheCurrentMonth_IsComputedOnlyWhenItIsNotStoredYet()
    {
        var service = Service();
        var current = StatisticsPeriod.Of(_clock.GetUtcNow()).ToString();

        var first = await service.EnsureCurrentMonthAsync(CancellationToken.None);
        var readable = await service.ReadAsync(current, null, null, null, publicView: true, CancellationToken.None);
        var second = await service.EnsureCurrentMonthAsync(CancellationToken.None);

        Assert.Equal(current, first!.Period);
        Assert.True(readable.IsSuccess, readable.Problem?.Detail);
        Assert.Null(second);
        Assert.Equal(1, _store.Writes);
        Assert.Equal([current], _store.Months.Keys);
    }

    [Fact]
    public async Task RecomputingAMonth_IsIdempotent_OneDocumentWithTheSameFigures()
    {
        var service = Service();
        var first = (await service.RecomputeAsync(new RecomputeStatisticsRequest("2026-02"), CancellationToken.None)).Value!;
        _clock.Advance(TimeSpan.FromHours(1));
        var second = (await service.RecomputeAsync(new RecomputeStatisticsRequest("2026-02"), CancellationToken.None)).Value!;

        Assert.Single(_store.Months);
        Assert.Equal(first.Cells, second.Cells);
        Assert.Equal(second, _store.Months["2026-02"]);
        Assert.True(second.ComputedAt > first.ComputedAt);
    }

    [Fact]
    public async Task ALateChange_ToARecentMonth_IsPickedUpByTheNextRun()
    {
        var service = Service();
        await service.RunAsync(CancellationToken.None);
        var before = _store.Months["2026-02"].Cells.Single(c => c.DepartmentCode == Rsj);
        Assert.Equal(3, before.Received);

        // A case submitted on 27 February turns up after the first run (a submission relayed late).
        var late = SeededCases().Single(c => c.Id == "c2") with { Id = "late", OwnerId = "owner-late", SubmittedAt = At("2026-02-27T09:00"), CaseNumber = "542500-20260227-LATE", Decision = null, Status = Ali.Serverless.Applications.ApplicationStatus.PendingAcceptance, AcceptedAt = null };
        await _applications.CreateAsync(late, CancellationToken.None);
        await service.RunAsync(CancellationToken.None);

        Assert.Equal(4, _store.Months["2026-02"].Cells.Single(c => c.DepartmentCode == Rsj).Received);
    }

    [Fact]
    public async Task TheTimer_ComputesTheCurrentMonthAndTheTwoBefore()
    {
        var months = await Service().RunAsync(CancellationToken.None);

        Assert.Equal(["2026-03", "2026-02", "2026-01"], months.Select(m => m.Period));
        Assert.Equal(["2026-01", "2026-02", "2026-03"], _store.Months.Keys.Order());
    }

    [Fact]
    public async Task WithoutAReviewStore_TheMonthSaysReviewsWereNotCounted()
    {
        var service = Service(withReviews: false);
        Assert.False(service.ReviewsAvailable);

        var month = (await service.RecomputeAsync(new RecomputeStatisticsRequest("2026-02"), CancellationToken.None)).Value!;

        Assert.False(month.ReviewsCounted);
        Assert.All(month.Cells, c => Assert.Equal(0, c.Reviews));
    }

    [Theory]
    [InlineData(null, null, null, null, "period")]
    [InlineData("2026-13", null, null, null, "period")]
    [InlineData("2026-04", null, null, null, "period")]
    [InlineData("2026-02", "542500 RSJ", null, null, "department")]
    [InlineData("2026-02", null, "110105", null, "county")]
    [InlineData("2026-02", null, "542528", null, "county")]
    [InlineData("2026-02", null, null, "xlsx", "format")]
    public async Task Reading_RefusesEachBadParameter_ByName(string? period, string? department, string? county, string? format, string field)
    {
        var result = await Service().ReadAsync(period, department, county, format, publicView: true, CancellationToken.None);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.Contains(field, result.Problem.Errors!.Keys);
    }

    [Fact]
    public async Task Reading_AMonthNeverComputed_IsNotFound()
    {
        var result = await Service().ReadAsync("2025-06", null, null, null, publicView: false, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
    }

    [Fact]
    public async Task Recompute_RefusesABadPeriod_ByName()
    {
        var result = await Service().RecomputeAsync(new RecomputeStatisticsRequest("2026-04"), CancellationToken.None);

        Assert.Contains("period", result.Problem!.Errors!.Keys);
        Assert.Empty(_store.Months);
    }

    [Fact]
    public async Task Reading_AsCsv_IsFlagged()
    {
        await Service().RecomputeAsync(new RecomputeStatisticsRequest("2026-02"), CancellationToken.None);

        var answer = await Service().ReadAsync("2026-02", null, "542521", "csv", publicView: true, CancellationToken.None);

        Assert.True(answer.Value!.Csv);
        Assert.NotNull(answer.Value.Report.Suppression);
    }
}

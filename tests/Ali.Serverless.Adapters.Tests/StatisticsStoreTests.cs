using Ali.Serverless.Adapters.Azure.Cosmos;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Statistics;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>The statistics store and the timer's case query (decision 18), on SQLite and Cosmos DB.</summary>
public sealed class StatisticsStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 10, 2, 0, 0, TimeSpan.Zero);

    private static MonthlyStatistics Month(string period, int received) => new()
    {
        Period = period,
        ComputedAt = T0,
        Cells =
        [
            new StatisticsCell { DepartmentCode = "542500-RSJ", DivisionCode = "542500", DepartmentName = "阿里地区人力资源和社会保障局", Items = 10, OnlineCapableItems = 9, ReceivedWeb = received, SatisfactionSum = 12 },
            new StatisticsCell { DepartmentCode = "542521-GAJ", DivisionCode = "542521", Completed = 3, WithPromisedLimit = 3, OnTimePromised = 2 },
        ],
        ReviewsCounted = false,
        CalendarMissingYears = [2027],
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task AMonth_RoundTrips_AndComputingItAgainReplacesItWhole(string target)
    {
        var store = await StoreTargets.CreateStatisticsStoreAsync(target);

        await store.UpsertAsync(Month("2026-02", 5), default);
        var first = await store.GetAsync("2026-02", default);
        Assert.NotNull(first);
        Assert.Equal(Month("2026-02", 5).Cells, first.Cells);
        Assert.Equal((T0, false, 2027), (first.ComputedAt, first.ReviewsCounted, first.CalendarMissingYears.Single()));

        var again = Month("2026-02", 7) with { Cells = [Month("2026-02", 7).Cells[0]], ComputedAt = T0.AddHours(1) };
        await store.UpsertAsync(again, default);
        var second = await store.GetAsync("2026-02", default);
        Assert.Equal(again.Cells, second!.Cells);
        Assert.Equal(T0.AddHours(1), second.ComputedAt);

        await store.UpsertAsync(Month("2026-01", 1), default);
        Assert.Equal(7, (await store.GetAsync("2026-02", default))!.Cells.Single().ReceivedWeb);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task AMonthNeverComputed_IsNull(string target)
    {
        var store = await StoreTargets.CreateStatisticsStoreAsync(target);

        Assert.Null(await store.GetAsync("2001-01", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task CasesOpenDuring_FindsEveryCaseAMonthCanCount_AndNoDraft(string target)
    {
        var (_, applications) = await StoreTargets.CreateAsync(target);
        var from = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var to = from.AddMonths(1);
        Application Case(string owner, DateTimeOffset at, ApplicationStatus status) =>
            TestData.Application(owner, at) with { Status = status, CaseNumber = $"542500-20260201-{Guid.NewGuid():N}"[..26], SubmittedAt = at };
        var draft = TestData.Application("applicant:a", from.AddDays(2));
        var openSinceJanuary = Case("applicant:a", from.AddDays(-20), ApplicationStatus.UnderReview);
        var submittedInFebruary = Case("hall:542521", from.AddDays(3), ApplicationStatus.PendingAcceptance);
        var endedInJanuary = Case("applicant:b", from.AddDays(-10), ApplicationStatus.Completed);
        var endedInFebruary = Case("applicant:b", from.AddDays(-5), ApplicationStatus.Completed) with { UpdatedAt = from.AddDays(4) };
        foreach (var a in new[] { draft, openSinceJanuary, submittedInFebruary, endedInJanuary, endedInFebruary })
        {
            await applications.CreateAsync(a, default);
        }

        var found = await applications.ListCasesOpenDuringAsync(from, to, default);

        Assert.Equal(
            new[] { openSinceJanuary.Id, submittedInFebruary.Id, endedInFebruary.Id }.Order(),
            found.Select(a => a.Id).Order());
        // Decrypted as every read is: the statistics never see ciphertext where they expect a value.
        Assert.All(found, a => Assert.Equal(TestData.Application("x", T0).Applicant, a.Applicant));
    }

    [Fact]
    public void Cosmos_CasesOpenDuring_IsACrossPartitionQueryOnTheEndTicks_WithoutDrafts()
    {
        var from = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.FromHours(8));

        var query = CosmosApplicationStore.BuildCasesOpenDuringQuery(from, from.AddMonths(1));

        Assert.Equal(
            "SELECT * FROM c WHERE IS_STRING(c.caseNumber) AND (NOT IS_DEFINED(c.endedAtTicks) OR IS_NULL(c.endedAtTicks) OR c.endedAtTicks >= @from)",
            query.QueryText);
        Assert.Contains(("@from", (object)from.UtcTicks), query.GetQueryParameters());
    }

    [Fact]
    public void Cosmos_AMonthsDocument_IsIdentifiedAndPartitionedByItsPeriod()
    {
        var document = CosmosStatisticsStore.ToDocument(Month("2026-02", 5));

        Assert.Equal("2026-02", (string?)document["id"]);
        Assert.Equal("2026-02", (string?)document["period"]);
        Assert.Equal(2, document["cells"]!.AsArray().Count);
    }
}

/// <summary>
/// The statistics job over the real SQLite stores: cases through the application store (encrypted at rest), reviews
/// through the review store that implements <see cref="IEvaluationFacts"/>, the month into the statistics table.
/// </summary>
public sealed class StatisticsOverStoresTests
{
    private sealed class Weekdays : Ali.Serverless.WorkingDays.IWorkingCalendar
    {
        public bool Covers(int year) => true;

        public bool IsWorkingDay(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    private static DateTimeOffset At(int day, int hour) => new(2026, 2, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static Ali.Serverless.Evaluations.Evaluation Review(string id, int satisfaction, DateTimeOffset at) => new()
    {
        Id = id,
        ApplicationId = $"app-{id}",
        OwnerId = "applicant:a",
        CaseNumber = $"542500-20260202-{id}",
        ItemCode = "542500-RSJ-1",
        DepartmentCode = "542500-RSJ",
        DivisionCode = "542500",
        Channel = "online",
        Satisfaction = satisfaction,
        Indicators = new Dictionary<string, int> { ["efficiency"] = satisfaction },
        EvaluatedAt = at,
        RecordedBy = "citizen-1",
        RecordedByRole = "applicant",
    };

    [Fact]
    public async Task AMonth_ComputedFromTheStores_CountsCasesAndReviews_AndLeavesVoidedOnesOut()
    {
        var database = new Ali.Serverless.Adapters.Sqlite.SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-statistics-{Guid.NewGuid():N}.db"));
        var catalog = new Ali.Serverless.Adapters.Sqlite.SqliteCatalogStore(database);
        var applications = new Ali.Serverless.Adapters.Sqlite.SqliteApplicationStore(database, TestKeys.Protector);
        var reviews = new Ali.Serverless.Adapters.Sqlite.SqliteEvaluationStore(database);
        var statistics = new Ali.Serverless.Adapters.Sqlite.SqliteStatisticsStore(database);
        await catalog.UpsertAsync(TestData.Item("542500-RSJ-1"), default);

        // Accepted Monday 2 Feb, promised 3 working days (due 24:00 Thursday 5 Feb), decided Wednesday 4 Feb: 2 working days.
        var accepted = At(2, 10);
        var completed = TestData.Application("applicant:a", At(2, 9)) with
        {
            Status = ApplicationStatus.Completed,
            CaseNumber = "542500-20260202-0123456789",
            SubmittedAt = At(2, 9),
            AcceptedAt = accepted,
            PromisedDueAt = At(6, 0),
            LegalDueAt = At(13, 0),
            Decision = new CaseDecision("approve", null, At(4, 15)),
            UpdatedAt = At(4, 15),
        };
        await applications.CreateAsync(completed, default);

        await reviews.UpsertAsync(Review("good", 1, At(5, 10)), default);
        await reviews.UpsertAsync(Review("bad", 5, At(6, 10)) with
        {
            Rectification = new Ali.Serverless.Evaluations.Rectification { TaskId = "t1", State = Ali.Serverless.Evaluations.RectificationState.Replied, DueAt = At(27, 0), RepliedAt = At(12, 10), RepliedBy = "rsj-1" },
        }, default);
        await reviews.UpsertAsync(Review("voided", 5, At(9, 10)) with
        {
            Rectification = new Ali.Serverless.Evaluations.Rectification { TaskId = "t2", State = Ali.Serverless.Evaluations.RectificationState.Open, DueAt = At(28, 0) },
            Appeal = new Ali.Serverless.Evaluations.Appeal { Reason = "恶意评价", AppealedBy = "rsj-1", AppealedAt = At(10, 10), State = Ali.Serverless.Evaluations.AppealState.Upheld, DecidedBy = "sup-1", DecidedAt = At(11, 10) },
        }, default);

        var service = new StatisticsService(catalog, applications, statistics, new Weekdays(), new FixedClock(new DateTimeOffset(2026, 3, 10, 4, 0, 0, TimeSpan.Zero)), reviews);
        Assert.True((await service.RecomputeAsync(new RecomputeStatisticsRequest("2026-02"), default)).IsSuccess);

        var report = (await service.ReadAsync("2026-02", "542500-RSJ", null, null, publicView: false, default)).Value!.Report;
        var f = report.Total.Figures;
        Assert.True(report.ReviewsCounted);
        Assert.Equal((1, 1, 1, 1.0, 2.0), (f.Received, f.AcceptanceDecided, f.Completed, f.OnTimePromisedRate, f.AverageWorkingDaysToCompletion));
        Assert.Equal((2, 1, 0.5, 3.0), (f.Reviews, f.BadReviews, f.BadReviewRate, f.AverageSatisfaction));
        Assert.Equal((1, 1, 1.0), (f.RectificationsDue, f.RectifiedOnTime, f.RectifiedOnTimeRate));
    }
}

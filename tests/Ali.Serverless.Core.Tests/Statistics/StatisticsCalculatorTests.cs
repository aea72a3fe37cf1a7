using Ali.Serverless.Statistics;
using Ali.Serverless.WorkingDays;
using static Ali.Serverless.Core.Tests.Statistics.StatisticsFixture;

namespace Ali.Serverless.Core.Tests.Statistics;

/// <summary>February 2026 over the seeded cases and reviews, against figures worked out by hand (see the fixture's comments).</summary>
public sealed class StatisticsCalculatorTests
{
    private static MonthlyStatistics Computed() => StatisticsCalculator.Compute(February, Now, Items(), SeededCases(), Reviews(), Calendar);

    private static StatisticsFigures Department(StatisticsReport report, string code) => report.Departments.Single(r => r.DepartmentCode == code).Figures;

    [Fact]
    public void TheCalendar_CountsTheHolidayAsTheFixtureSays()
    {
        // 4 working days after Thursday 12 Feb: 13, 14 (worked), 27, 28 (worked): due at 24:00 on 28 Feb.
        Assert.Equal(At("2026-03-01T00:00"), Calendar.DueAfter(At("2026-02-12T10:00"), 4).Value);
        Assert.Equal(3, Calendar.CountWorkingDays(new DateOnly(2026, 2, 12), new DateOnly(2026, 2, 27)).Value);
    }

    [Fact]
    public void Department_FiguresMatchTheHandComputedOnes()
    {
        var f = Department(StatisticsReport.From(Computed(), null, null, publicView: false), Rsj);

        Assert.Equal(10, f.Items);
        Assert.Equal(8, f.OnlineCapableItems);
        Assert.Equal(0.8, f.OnlineCapableRate);
        Assert.False(f.OnlineCapableTargetMet);

        // Received in February: c1 web, c2 window, c3 mobile (c4 in January, c6 in March, c7 a draft).
        Assert.Equal((3, 1, 1, 1), (f.Received, f.ReceivedWindow, f.ReceivedWeb, f.ReceivedMobile));

        // Acceptance decided in February: c1, c2, c3 accepted, c4 not; c3 was asked to supplement first.
        Assert.Equal((4, 3, 0.75), (f.AcceptanceDecided, f.Accepted, f.AcceptanceRate));
        Assert.Equal((1, 0.25), (f.Supplemented, f.SupplementRate));

        // Completed in February: c1 (across the holiday, on time), c2 (late for the promise), c5 (on time after a pause).
        Assert.Equal(3, f.Completed);
        Assert.Equal((2, 0.6667), (f.OnTimePromised, f.OnTimePromisedRate));
        Assert.Equal((3, 1.0), (f.OnTimeLegal, f.OnTimeLegalRate));
        // 3 + 4 + (10 - 2 paused) working days over 3 cases; counted in calendar days c1 alone would be 15.
        Assert.Equal(5.0, f.AverageWorkingDaysToCompletion);

        // Reviews of February, r8 voided and r9 of January left out: 1, 2, 3, 5, 4, 4, 5.
        Assert.Equal((7, 3, 4), (f.Reviews, f.SatisfiedReviews, f.BadReviews));
        Assert.Equal((0.4286, 0.5714, 3.43), (f.SatisfactionRate, f.BadReviewRate, f.AverageSatisfaction));
        // r4 rectified in time, r5 late, r6 overdue and not done; r7 not yet due: pending.
        Assert.Equal((3, 1, 0.3333), (f.RectificationsDue, f.RectifiedOnTime, f.RectifiedOnTimeRate));
    }

    [Fact]
    public void ACountyDepartment_AndTheTotal_AddUp()
    {
        var report = StatisticsReport.From(Computed(), null, null, publicView: false);

        var gaj = Department(report, Gaj);
        Assert.Equal((2, 2, 1.0, true), (gaj.Items, gaj.OnlineCapableItems, gaj.OnlineCapableRate, gaj.OnlineCapableTargetMet));
        Assert.Equal((1, 1, 1, 1.0, 0.0), (gaj.Received, gaj.ReceivedWindow, gaj.Completed, gaj.OnTimePromisedRate, gaj.AverageWorkingDaysToCompletion));
        Assert.Null(gaj.SatisfactionRate);

        var total = report.Total.Figures;
        Assert.Equal((12, 10, 0.8333), (total.Items, total.OnlineCapableItems, total.OnlineCapableRate));
        Assert.Equal((4, 2, 1, 1), (total.Received, total.ReceivedWindow, total.ReceivedWeb, total.ReceivedMobile));
        Assert.Equal((5, 4, 0.8, 0.2), (total.AcceptanceDecided, total.Accepted, total.AcceptanceRate, total.SupplementRate));
        Assert.Equal((4, 3, 0.75, 1.0, 3.75), (total.Completed, total.OnTimePromised, total.OnTimePromisedRate, total.OnTimeLegalRate, total.AverageWorkingDaysToCompletion));

        Assert.Equal(["542500", "542521"], report.Counties.Select(c => c.DivisionCode));
        Assert.Equal(1, report.Counties.Single(c => c.DivisionCode == "542521").Figures.Received);
        Assert.Equal("普兰县公安局", report.Departments.Single(r => r.DepartmentCode == Gaj).DepartmentName);
    }

    [Fact]
    public void Filters_NarrowTheRowsAndTheTotal()
    {
        var byCounty = StatisticsReport.From(Computed(), null, "542521", publicView: false);
        Assert.Equal([Gaj], byCounty.Departments.Select(d => d.DepartmentCode));
        Assert.Equal(1, byCounty.Total.Figures.Received);

        var byDepartment = StatisticsReport.From(Computed(), Rsj, null, publicView: false);
        Assert.Equal(3, byDepartment.Total.Figures.Received);

        var none = StatisticsReport.From(Computed(), Rsj, "542521", publicView: false);
        Assert.Empty(none.Departments);
        Assert.Equal(0, none.Total.Figures.Received);
        Assert.Null(none.Total.Figures.AcceptanceRate);
    }

    [Fact]
    public void PublicView_WithholdsSmallCells_AndSaysSo()
    {
        var report = StatisticsReport.From(Computed(), null, null, publicView: true);

        Assert.NotNull(report.Suppression);
        Assert.Equal(5, report.Suppression!.MinimumCount);
        var total = report.Total.Figures;
        // Catalog figures are not about people: shown.
        Assert.Equal((12, 10, 0.8333), (total.Items, total.OnlineCapableItems, total.OnlineCapableRate));
        // 4 received, 2/1/1 per channel: all under 5.
        Assert.Equal(new int?[] { null, null, null, null }, [total.Received, total.ReceivedWindow, total.ReceivedWeb, total.ReceivedMobile]);
        // 5 acceptance decisions are shown, but 4 accepted (and 1 not) would single someone out, and so would the rates.
        Assert.Equal(5, total.AcceptanceDecided);
        Assert.Null(total.Accepted);
        Assert.Null(total.AcceptanceRate);
        Assert.Null(total.SupplementRate);
        // 4 completed: the count, its rates and its average are withheld.
        Assert.Null(total.Completed);
        Assert.Null(total.OnTimePromisedRate);
        Assert.Null(total.AverageWorkingDaysToCompletion);
        // 7 reviews: shown with their average; 3 satisfied and 4 bad are not, nor the rates made of them.
        Assert.Equal((7, 3.43), (total.Reviews, total.AverageSatisfaction));
        Assert.Null(total.SatisfiedReviews);
        Assert.Null(total.BadReviewRate);
        Assert.Null(total.RectificationsDue);

        var gaj = Department(report, Gaj);
        Assert.Null(gaj.Received);
        Assert.Null(gaj.OnTimePromisedRate);
    }

    [Fact]
    public void PublicView_ShowsLargeCells_AndHidesAPartWhoseRemainderIsSmall()
    {
        var cell = new StatisticsCell
        {
            DepartmentCode = Rsj,
            DivisionCode = "542500",
            ReceivedWindow = 18,
            ReceivedWeb = 7,
            ReceivedMobile = 0,
            AcceptanceDecided = 20,
            Accepted = 17,
            Supplemented = 5,
            Completed = 12,
            WithPromisedLimit = 12,
            OnTimePromised = 12,
            WithLegalLimit = 12,
            OnTimeLegal = 12,
            WorkingDaysToCompletion = 30,
        };
        var f = StatisticsReport.FiguresOf(cell, reviewsCounted: false, publicView: true);

        Assert.Equal((25, 18, 7), (f.Received, f.ReceivedWindow, f.ReceivedWeb));
        Assert.Null(f.ReceivedMobile);
        // 17 of 20 accepted leaves 3 refused: withheld with its rate; 5 of 20 supplemented is shown.
        Assert.Null(f.Accepted);
        Assert.Null(f.AcceptanceRate);
        Assert.Equal((5, 0.25), (f.Supplemented, f.SupplementRate));
        // All on time: nothing small to give away.
        Assert.Equal((12, 1.0, 2.5), (f.OnTimePromised, f.OnTimePromisedRate, f.AverageWorkingDaysToCompletion));
        // Without a review store the review figures are unknown, not zero.
        Assert.Null(f.Reviews);
    }

    [Fact]
    public void WithoutAReviewStore_TheReviewFiguresAreNotCounted()
    {
        var statistics = StatisticsCalculator.Compute(February, Now, Items(), SeededCases(), null, Calendar);
        var report = StatisticsReport.From(statistics, null, null, publicView: false);

        Assert.False(report.ReviewsCounted);
        Assert.Null(report.Total.Figures.Reviews);
        Assert.Null(report.Total.Figures.BadReviewRate);
        Assert.Equal(4, report.Total.Figures.Completed);
    }

    [Fact]
    public void ComputingTwice_GivesTheSameCells()
    {
        Assert.Equal(Computed().Cells, Computed().Cells);
    }

    [Theory]
    [InlineData("2026-01-31T16:00:00Z", 2026, 2)]   // 00:00 on 1 February in China
    [InlineData("2026-01-31T15:59:59Z", 2026, 1)]
    [InlineData("2025-12-31T16:00:00Z", 2026, 1)]
    public void TheMonth_IsTakenInChinaStandardTime(string instant, int year, int month)
    {
        Assert.Equal(new StatisticsPeriod(year, month), StatisticsPeriod.Of(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-02", true)]
    [InlineData("2026-03", true)]
    [InlineData("2026-04", false)]   // after the current month
    [InlineData("2026-13", false)]
    [InlineData("2026-00", false)]
    [InlineData("1999-12", false)]
    [InlineData("2026-2", false)]
    [InlineData("2026-02\n", false)]
    [InlineData("２０２６-02", false)]
    [InlineData(null, false)]
    public void APeriod_IsAMonthUpToTheCurrentOne(string? text, bool valid)
    {
        Assert.Equal(valid, StatisticsPeriod.TryParse(text, Now, out _));
    }
}

using System.Globalization;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Core.Tests.WorkingDays;

/// <summary>
/// Counting legal time limits on the shipped calendar (行政许可法 §42): the acceptance day is not counted,
/// and a limit of N working days ends at 24:00 China Standard Time of the Nth working day after it.
/// Every expected date below was counted by hand; the comment shows the count.
/// </summary>
public sealed class WorkingDayMathTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    [Fact]
    public void AddWorkingDays_AcrossSpringFestivalAndTibetanNewYear_SkipsTheRegionalHoliday()
    {
        // Thu 12 Feb accepted: 13 Fri (1), 14 Sat make-up (2), 15-26 off, 27 Fri (3), 28 Sat make-up (4), 1 Mar Sun, 2 Mon (5).
        var due = ShippedCalendar.Region.AddWorkingDays(D("2026-02-12"), 5);

        Assert.Equal(D("2026-03-02"), due.Value);
        Assert.Empty(due.MissingYears);
    }

    [Fact]
    public void AddWorkingDays_AcrossSpringFestival_NationalOnly_EndsBeforeTibetanNewYearIsOver()
    {
        // 13 Fri (1), 14 Sat make-up (2), 15-23 off, 24 Tue (3), 25 Wed (4), 26 Thu (5).
        var due = ShippedCalendar.National.AddWorkingDays(D("2026-02-12"), 5);

        Assert.Equal(D("2026-02-26"), due.Value);
    }

    [Fact]
    public void AddWorkingDays_AcrossLabourDay_CountsTheMakeUpSaturday()
    {
        // Thu 30 Apr accepted: 1-5 May off, 6 Wed (1), 7 Thu (2), 8 Fri (3), 9 Sat make-up (4), 10 Sun, 11 Mon (5).
        var due = ShippedCalendar.Prefecture.AddWorkingDays(D("2026-04-30"), 5);

        Assert.Equal(D("2026-05-11"), due.Value);
    }

    [Fact]
    public void AddWorkingDays_AcrossNationalDay_CanEndOnTheMakeUpSaturday()
    {
        // Wed 30 Sep accepted: 1-7 Oct off, 8 Thu (1), 9 Fri (2), 10 Sat make-up (3).
        var due = ShippedCalendar.Prefecture.AddWorkingDays(D("2026-09-30"), 3);

        Assert.Equal(D("2026-10-10"), due.Value);
    }

    [Fact]
    public void AddWorkingDays_ZeroDays_IsTheStartDayEvenOnAHoliday()
    {
        var due = ShippedCalendar.Region.AddWorkingDays(D("2026-02-18"), 0);

        Assert.Equal(D("2026-02-18"), due.Value);
        Assert.Empty(due.MissingYears);
    }

    [Fact]
    public void AddWorkingDays_NegativeDays_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShippedCalendar.Region.AddWorkingDays(D("2026-02-18"), -1));
    }

    [Fact]
    public void AddWorkingDays_IntoAYearWithoutCalendar_CountsWeekdaysAndReportsTheYear()
    {
        var calendar = WorkingCalendar.Parse([CalendarJson.National2026], ["cn", "540000"]);

        // Wed 30 Dec 2026: 31 Thu (1), Fri 1 Jan 2027 counted as a plain weekday (2), 2-3 weekend, 4 Mon (3).
        var due = calendar.AddWorkingDays(D("2026-12-30"), 3);

        Assert.Equal(D("2027-01-04"), due.Value);
        Assert.Equal([2027], due.MissingYears);
        Assert.True(due.CalendarMissing);
    }

    [Fact]
    public void AddWorkingDays_WithinAYearWithoutCalendar_IsMondayToFriday()
    {
        var calendar = WorkingCalendar.Parse([CalendarJson.National2026], ["cn"]);

        // Fri 5 Feb 2027 (whatever 2027's Spring Festival will be): 8-12 Feb, Monday to Friday.
        var due = calendar.AddWorkingDays(D("2027-02-05"), 5);

        Assert.Equal(D("2027-02-12"), due.Value);
        Assert.Equal([2027], due.MissingYears);
    }

    [Fact]
    public void AddWorkingDays_FromAShippedYearBackToAnUncoveredOne_ReportsTheStartYear()
    {
        // Mon 30 Dec 2024 (no 2024 file): 31 Tue (1), 1 Jan 2025 元旦 off, 2 Thu (2), 3 Fri (3).
        var due = ShippedCalendar.Prefecture.AddWorkingDays(D("2024-12-30"), 3);

        Assert.Equal(D("2025-01-03"), due.Value);
        Assert.Equal([2024], due.MissingYears);
    }

    [Fact]
    public void CountWorkingDays_AcrossTibetanNewYear_CountsOnlyWorkingDaysAfterTheFirstDay()
    {
        // (12 Feb, 2 Mar]: 13, 14 (make-up), 27, 28 (make-up), 2 Mar.
        var count = ShippedCalendar.Region.CountWorkingDays(D("2026-02-12"), D("2026-03-02"));

        Assert.Equal(5, count.Value);
        Assert.Empty(count.MissingYears);
    }

    [Fact]
    public void CountWorkingDays_SameSpan_NationalOnly_CountsTheDaysTibetTakesOff()
    {
        // 13, 14, 24, 25, 26, 27, 28, 2 Mar.
        var count = ShippedCalendar.National.CountWorkingDays(D("2026-02-12"), D("2026-03-02"));

        Assert.Equal(8, count.Value);
    }

    [Theory]
    [InlineData("2026-03-02", "2026-03-02")]
    [InlineData("2026-03-02", "2026-02-12")]
    public void CountWorkingDays_UntilNotAfterTheStart_IsZero(string after, string until)
    {
        var count = ShippedCalendar.Region.CountWorkingDays(D(after), D(until));

        Assert.Equal(0, count.Value);
    }

    [Fact]
    public void CountWorkingDays_IntoAYearWithoutCalendar_ReportsTheYear()
    {
        var calendar = WorkingCalendar.Parse([CalendarJson.National2026], ["cn"]);

        // (30 Dec 2026, 4 Jan 2027]: 31 Dec, 1 Jan (a plain Friday), 4 Jan.
        var count = calendar.CountWorkingDays(D("2026-12-30"), D("2027-01-04"));

        Assert.Equal(3, count.Value);
        Assert.Equal([2027], count.MissingYears);
    }

    [Fact]
    public void DueAfter_EndsAt2400ChinaStandardTimeOfTheNthWorkingDay()
    {
        var accepted = new DateTimeOffset(2026, 2, 12, 10, 0, 0, Cst);

        var due = ShippedCalendar.Region.DueAfter(accepted, 5);

        // 24:00 of Mon 2 Mar = 00:00 of Tue 3 Mar, +08:00.
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 0, 0, 0, Cst), due.Value);
        Assert.Equal(Cst, due.Value.Offset);
        Assert.Empty(due.MissingYears);
    }

    [Fact]
    public void DueAfter_AcceptedLateInTheUtcEvening_CountsFromTheChinaDate()
    {
        // 17:00 UTC on 12 Feb is 01:00 on 13 Feb in China: 14 (1), 27 (2), 28 (3), 2 Mar (4), 3 Mar (5).
        var accepted = new DateTimeOffset(2026, 2, 12, 17, 0, 0, TimeSpan.Zero);

        var due = ShippedCalendar.Region.DueAfter(accepted, 5);

        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, Cst), due.Value);
    }

    [Fact]
    public void MoveDue_ByWorkingDays_SkipsTheHolidayAndKeeps2400()
    {
        // Due at 24:00 of Fri 13 Feb; two more working days: 14 Sat make-up (1), 27 Fri (2).
        var due = new DateTimeOffset(2026, 2, 14, 0, 0, 0, Cst);

        var moved = ShippedCalendar.Region.MoveDue(due, 2);

        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, Cst), moved.Value);
        Assert.Empty(moved.MissingYears);
    }

    [Fact]
    public void MoveDue_SameInstantGivenInUtc_MovesTheSame()
    {
        var due = new DateTimeOffset(2026, 2, 13, 16, 0, 0, TimeSpan.Zero);

        var moved = ShippedCalendar.Region.MoveDue(due, 2);

        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, Cst), moved.Value);
    }

    [Fact]
    public void MoveDue_ByZero_LeavesTheDueInstant()
    {
        var due = new DateTimeOffset(2026, 3, 3, 0, 0, 0, Cst);

        var moved = ShippedCalendar.Region.MoveDue(due, 0);

        Assert.Equal(due, moved.Value);
    }

    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

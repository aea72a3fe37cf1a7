using System.Globalization;
using System.Text.Json;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Core.Tests.WorkingDays;

/// <summary>
/// The shipped calendar files against the published notices: the State Council's 2026 arrangement
/// (国务院办公厅, 2025-11-04) and Lhasa's Tibetan New Year notices for 2025 and 2026 (domain.md §3).
/// </summary>
public sealed class ShippedCalendarTests
{
    public static TheoryData<string> NationalHolidays2026 => Days(
        ("2026-01-01", "2026-01-03"), // 元旦
        ("2026-02-15", "2026-02-23"), // 春节
        ("2026-04-04", "2026-04-06"), // 清明节
        ("2026-05-01", "2026-05-05"), // 劳动节
        ("2026-06-19", "2026-06-21"), // 端午节
        ("2026-09-25", "2026-09-27"), // 中秋节
        ("2026-10-01", "2026-10-07")); // 国庆节

    public static TheoryData<string> NationalMakeUpDays2026 => ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"];

    public static TheoryData<string> TibetanNewYear2026 => Days(("2026-02-15", "2026-02-26"));

    public static TheoryData<string> TibetanNewYear2025 => Days(("2025-02-27", "2025-03-04"));

    [Theory]
    [MemberData(nameof(NationalHolidays2026))]
    public void National2026_EveryHolidayOfTheArrangement_IsNotAWorkingDay(string date)
    {
        Assert.False(ShippedCalendar.National.IsWorkingDay(D(date)));
    }

    [Theory]
    [MemberData(nameof(NationalMakeUpDays2026))]
    public void National2026_EveryMakeUpDay_IsAWorkingDayThoughAWeekend(string date)
    {
        var day = D(date);

        Assert.True(day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, $"{date} is a {day.DayOfWeek}");
        Assert.True(ShippedCalendar.National.IsWorkingDay(day));
    }

    [Theory]
    [MemberData(nameof(NationalHolidays2026))]
    public void Region2026_KeepsEveryNationalHoliday(string date)
    {
        Assert.False(ShippedCalendar.Region.IsWorkingDay(D(date)));
    }

    [Theory]
    [MemberData(nameof(NationalMakeUpDays2026))]
    public void Region2026_KeepsEveryNationalMakeUpDay(string date)
    {
        Assert.True(ShippedCalendar.Region.IsWorkingDay(D(date)));
    }

    [Theory]
    [MemberData(nameof(TibetanNewYear2026))]
    public void Region2026_SpringFestivalJoinedWithTibetanNewYear_IsNotAWorkingDay(string date)
    {
        Assert.False(ShippedCalendar.Region.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2026-02-24")]
    [InlineData("2026-02-25")]
    [InlineData("2026-02-26")]
    public void Region2026_DaysAfterTheNationalSpringFestival_AreWorkingDaysNationallyButNotInTibet(string date)
    {
        var day = D(date);

        Assert.True(ShippedCalendar.National.IsWorkingDay(day));
        Assert.False(ShippedCalendar.Region.IsWorkingDay(day));
    }

    [Theory]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    [InlineData("2026-02-27")] // the Friday between the holiday and the make-up Saturday
    public void Region2026_AroundTibetanNewYear_TheseAreWorkingDays(string date)
    {
        Assert.True(ShippedCalendar.Region.IsWorkingDay(D(date)));
    }

    [Theory]
    [MemberData(nameof(TibetanNewYear2025))]
    public void Region2025_TibetanNewYear_IsNotAWorkingDay(string date)
    {
        Assert.False(ShippedCalendar.Region.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2025-02-27")]
    [InlineData("2025-02-28")]
    [InlineData("2025-03-03")]
    [InlineData("2025-03-04")]
    public void Region2025_TibetanNewYearWeekdays_AreWorkingDaysNationally(string date)
    {
        Assert.True(ShippedCalendar.National.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2025-02-22")]
    [InlineData("2025-02-23")]
    [InlineData("2025-03-08")]
    [InlineData("2025-03-09")]
    public void Region2025_TibetanNewYearHasNoMakeUpDay_NeighbouringWeekendsStayRest(string date)
    {
        Assert.False(ShippedCalendar.Region.IsWorkingDay(D(date)));
    }

    [Fact]
    public void Shipped_CoversTheYearsWithANationalArrangement()
    {
        Assert.Contains(2025, ShippedCalendar.Prefecture.CoveredYears);
        Assert.Contains(2026, ShippedCalendar.Prefecture.CoveredYears);
        Assert.Equal(ShippedCalendar.Prefecture.CoveredYears.Order(), ShippedCalendar.Prefecture.CoveredYears);
    }

    [Fact]
    public void Shipped_PrefectureChain_LoadsAndKeepsTheRegionsTibetanNewYear()
    {
        // The app's chain names Ali (542500) though no Ali notice is filed yet: it must still load.
        Assert.False(ShippedCalendar.Prefecture.IsWorkingDay(D("2026-02-25")));
        Assert.False(ShippedCalendar.Prefecture.IsWorkingDay(D("2025-03-03")));
    }

    [Fact]
    public void Shipped_EveryFileParses_WithEveryRegionInTheChain()
    {
        var files = Directory.GetFiles(ShippedCalendar.Folder, "*.json");
        var regions = files.Select(f => Path.GetFileNameWithoutExtension(f).Split('-', 2)[1]).Distinct().ToList();
        var chain = regions.Where(r => r != "cn").Order(StringComparer.Ordinal).Prepend("cn").ToList();

        Assert.NotEmpty(files);
        var calendar = WorkingCalendar.LoadDirectory(ShippedCalendar.Folder, chain);
        Assert.NotEmpty(calendar.CoveredYears);
    }

    [Fact]
    public void Shipped_EveryFileAndEveryEntry_HasASource()
    {
        foreach (var file in Directory.GetFiles(ShippedCalendar.Folder, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            Assert.False(string.IsNullOrWhiteSpace(document.RootElement.GetProperty("source").GetString()), name);
            var entries = document.RootElement.GetProperty("entries").EnumerateArray().ToList();
            Assert.NotEmpty(entries);
            Assert.All(entries, e => Assert.False(
                string.IsNullOrWhiteSpace(e.TryGetProperty("source", out var source) ? source.GetString() : null),
                $"{name}: {e}"));
        }
    }

    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TheoryData<string> Days(params (string From, string To)[] spans)
    {
        var data = new TheoryData<string>();
        foreach (var (from, to) in spans)
        {
            for (var day = D(from); day <= D(to); day = day.AddDays(1))
            {
                data.Add(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }
        return data;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Statistics;

/// <summary>
/// The counts of one department in one administrative division for one month: numerators and denominators only,
/// so cells add up to any total and every rate is derived when read (decision 18 defines each figure).
/// </summary>
public sealed record StatisticsCell
{
    public required string DepartmentCode { get; init; }

    /// <summary>GB/T 2260 division of the department's items and cases: a county, or 542500 for the prefecture.</summary>
    public required string DivisionCode { get; init; }

    /// <summary>The department's name as the catalog gives it (Chinese), when it has items.</summary>
    public string? DepartmentName { get; init; }

    public int Items { get; init; }
    public int OnlineCapableItems { get; init; }

    public int ReceivedWindow { get; init; }
    public int ReceivedWeb { get; init; }
    public int ReceivedMobile { get; init; }

    public int AcceptanceDecided { get; init; }
    public int Accepted { get; init; }
    public int Supplemented { get; init; }

    public int Completed { get; init; }
    public int WithPromisedLimit { get; init; }
    public int OnTimePromised { get; init; }
    public int WithLegalLimit { get; init; }
    public int OnTimeLegal { get; init; }

    /// <summary>Sum over completed cases of the working days from acceptance to decision, pauses left out.</summary>
    public long WorkingDaysToCompletion { get; init; }

    public int Reviews { get; init; }
    public int SatisfiedReviews { get; init; }
    public int BadReviews { get; init; }

    /// <summary>Sum of the satisfaction codes (1 very satisfied … 5 very dissatisfied) of the counted reviews.</summary>
    public long SatisfactionSum { get; init; }

    public int RectificationsDue { get; init; }
    public int RectifiedOnTime { get; init; }

    public int Received => ReceivedWindow + ReceivedWeb + ReceivedMobile;

    /// <summary>Adds two cells' counts (names and codes from this one).</summary>
    public StatisticsCell Plus(StatisticsCell other) => this with
    {
        Items = Items + other.Items,
        OnlineCapableItems = OnlineCapableItems + other.OnlineCapableItems,
        ReceivedWindow = ReceivedWindow + other.ReceivedWindow,
        ReceivedWeb = ReceivedWeb + other.ReceivedWeb,
        ReceivedMobile = ReceivedMobile + other.ReceivedMobile,
        AcceptanceDecided = AcceptanceDecided + other.AcceptanceDecided,
        Accepted = Accepted + other.Accepted,
        Supplemented = Supplemented + other.Supplemented,
        Completed = Completed + other.Completed,
        WithPromisedLimit = WithPromisedLimit + other.WithPromisedLimit,
        OnTimePromised = OnTimePromised + other.OnTimePromised,
        WithLegalLimit = WithLegalLimit + other.WithLegalLimit,
        OnTimeLegal = OnTimeLegal + other.OnTimeLegal,
        WorkingDaysToCompletion = WorkingDaysToCompletion + other.WorkingDaysToCompletion,
        Reviews = Reviews + other.Reviews,
        SatisfiedReviews = SatisfiedReviews + other.SatisfiedReviews,
        BadReviews = BadReviews + other.BadReviews,
        SatisfactionSum = SatisfactionSum + other.SatisfactionSum,
        RectificationsDue = RectificationsDue + other.RectificationsDue,
        RectifiedOnTime = RectifiedOnTime + other.RectifiedOnTime,
    };
}

/// <summary>
/// One month's statistics, as the timer (or an operator) last computed them. Stored whole, one document per
/// month: recomputing a month replaces it, so doing it twice gives the same figures.
/// </summary>
public sealed record MonthlyStatistics
{
    /// <summary>The month, <c>yyyy-MM</c>, in China Standard Time.</summary>
    public required string Period { get; init; }

    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>Cells ordered by department code, then division code.</summary>
    public required IReadOnlyList<StatisticsCell> Cells { get; init; }

    /// <summary>False when no review store was registered: the review figures are then unknown, not zero.</summary>
    public bool ReviewsCounted { get; init; } = true;

    /// <summary>Years the working-day count had no calendar file for (weekdays only): figures may be off by a holiday.</summary>
    public IReadOnlyList<int> CalendarMissingYears { get; init; } = [];
}

/// <summary>Where computed months are kept (Cosmos container <c>statistics</c>, SQLite table <c>statistics</c>).</summary>
public interface IStatisticsStore
{
    /// <summary>Creates or replaces the month's document.</summary>
    Task UpsertAsync(MonthlyStatistics statistics, CancellationToken cancellationToken);

    /// <summary>A point read; null when the month was never computed.</summary>
    Task<MonthlyStatistics?> GetAsync(string period, CancellationToken cancellationToken);
}

/// <summary>A calendar month in China Standard Time, the unit every figure is counted in.</summary>
public readonly partial record struct StatisticsPeriod(int Year, int Month)
{
    public const string Rule = "period is a month written yyyy-MM (for example 2026-02), from 2000-01 up to the current month.";

    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, ChinaTime.Offset);

    public DateTimeOffset End => Start.AddMonths(1);

    public StatisticsPeriod Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    public bool Contains(DateTimeOffset? instant) => instant is { } at && at >= Start && at < End;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public static StatisticsPeriod Of(DateTimeOffset instant)
    {
        var local = instant.ToOffset(ChinaTime.Offset);
        return new(local.Year, local.Month);
    }

    /// <summary>The month named by <paramref name="text"/> if it is well formed and not after the month of <paramref name="now"/>.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, out StatisticsPeriod period)
    {
        period = default;
        if (text is null || !Shape().IsMatch(text))
        {
            return false;
        }
        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = int.Parse(text.AsSpan(5, 2), CultureInfo.InvariantCulture);
        if (year < 2000 || month is < 1 or > 12)
        {
            return false;
        }
        var current = Of(now);
        if (year > current.Year || (year == current.Year && month > current.Month))
        {
            return false;
        }
        period = new(year, month);
        return true;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}

/// <summary>The divisions the platform serves (GB/T 2260): the prefecture and its seven counties.</summary>
public static class AliDivisions
{
    public const string Prefecture = "542500";

    public static readonly IReadOnlyList<string> All = [Prefecture, "542521", "542522", "542523", "542524", "542525", "542526", "542527"];

    public const string Rule = "county is a division code of Ali: 542500 (the prefecture) or 542521 to 542527.";
}

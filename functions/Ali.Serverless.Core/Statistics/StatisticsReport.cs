using System.Globalization;
using System.Text;

namespace Ali.Serverless.Statistics;

/// <summary>
/// The figures of one row. A null is a figure that is unknown (no review store), has no denominator, or was
/// withheld from the public view (small cells).
/// </summary>
public sealed record StatisticsFigures
{
    public int? Items { get; init; }
    public int? OnlineCapableItems { get; init; }
    public double? OnlineCapableRate { get; init; }

    /// <summary>网上可办率 ≥ 90%, the plan's target.</summary>
    public bool? OnlineCapableTargetMet { get; init; }

    public int? Received { get; init; }
    public int? ReceivedWindow { get; init; }
    public int? ReceivedWeb { get; init; }
    public int? ReceivedMobile { get; init; }

    public int? AcceptanceDecided { get; init; }
    public int? Accepted { get; init; }
    public double? AcceptanceRate { get; init; }
    public int? Supplemented { get; init; }
    public double? SupplementRate { get; init; }

    public int? Completed { get; init; }
    public int? OnTimePromised { get; init; }
    public double? OnTimePromisedRate { get; init; }
    public int? OnTimeLegal { get; init; }
    public double? OnTimeLegalRate { get; init; }
    public double? AverageWorkingDaysToCompletion { get; init; }

    public int? Reviews { get; init; }
    public int? SatisfiedReviews { get; init; }
    public int? BadReviews { get; init; }
    public double? SatisfactionRate { get; init; }
    public double? BadReviewRate { get; init; }
    public double? AverageSatisfaction { get; init; }
    public int? RectificationsDue { get; init; }
    public int? RectifiedOnTime { get; init; }
    public double? RectifiedOnTimeRate { get; init; }
}

/// <summary>One row: the whole selection (<c>total</c>), a county, or a department in a division.</summary>
public sealed record StatisticsRow(string Scope, string? DepartmentCode, string? DepartmentName, string? DivisionCode, StatisticsFigures Figures);

/// <summary>What the public view withholds, said in the answer itself.</summary>
public sealed record SuppressionNote(int MinimumCount, string Rule);

public sealed record StatisticsReport
{
    public const double OnlineCapableTarget = 0.9;

    /// <summary>The smallest count the public view shows: fewer cases or reviews could point at a person.</summary>
    public const int MinimumPublicCount = 5;

    public required string Period { get; init; }
    public required DateTimeOffset ComputedAt { get; init; }
    public string? Department { get; init; }
    public string? County { get; init; }
    public required bool ReviewsCounted { get; init; }
    public required IReadOnlyList<int> CalendarMissingYears { get; init; }
    public SuppressionNote? Suppression { get; init; }
    public required StatisticsRow Total { get; init; }
    public required IReadOnlyList<StatisticsRow> Counties { get; init; }
    public required IReadOnlyList<StatisticsRow> Departments { get; init; }

    /// <summary>The month's cells narrowed to <paramref name="department"/> and <paramref name="county"/>, as supervisors or (suppressed) the public see them.</summary>
    public static StatisticsReport From(MonthlyStatistics statistics, string? department, string? county, bool publicView)
    {
        var cells = statistics.Cells
            .Where(c => department is null || c.DepartmentCode == department)
            .Where(c => county is null || c.DivisionCode == county)
            .ToList();
        StatisticsFigures Figures(StatisticsCell cell) => FiguresOf(cell, statistics.ReviewsCounted, publicView);
        var total = cells.Aggregate(Empty("total", "total"), (sum, c) => sum.Plus(c));
        return new StatisticsReport
        {
            Period = statistics.Period,
            ComputedAt = statistics.ComputedAt,
            Department = department,
            County = county,
            ReviewsCounted = statistics.ReviewsCounted,
            CalendarMissingYears = statistics.CalendarMissingYears,
            Suppression = publicView
                ? new SuppressionNote(MinimumPublicCount, $"Counts of cases and reviews under {MinimumPublicCount} are withheld (null), and so are a count whose remainder of its total is under {MinimumPublicCount}, every rate over fewer than {MinimumPublicCount} or that would give a withheld count away, and every average over fewer than {MinimumPublicCount} cases or reviews, so that no person can be singled out.")
                : null,
            Total = new StatisticsRow("total", null, null, null, Figures(total)),
            Counties = cells.GroupBy(c => c.DivisionCode).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new StatisticsRow("county", null, null, g.Key, Figures(g.Aggregate(Empty("county", g.Key), (sum, c) => sum.Plus(c)))))
                .ToList(),
            Departments = cells.Select(c => new StatisticsRow("department", c.DepartmentCode, c.DepartmentName, c.DivisionCode, Figures(c))).ToList(),
        };
    }

    private static StatisticsCell Empty(string department, string division) => new() { DepartmentCode = department, DivisionCode = division };

    internal static StatisticsFigures FiguresOf(StatisticsCell c, bool reviewsCounted, bool publicView)
    {
        // Public: a count under the minimum is withheld, and so is a part whose remainder of its whole is (the
        // whole minus the part would give the small count away), with the rate that would give either away.
        bool Small(long value) => publicView && value < MinimumPublicCount;
        bool Hidden(long part, long whole) => Small(part) || (publicView && whole - part is > 0 and < MinimumPublicCount);
        int? Count(int value) => Small(value) ? null : value;
        int? Part(int part, int whole) => Hidden(part, whole) ? null : part;
        double? Ratio(long numerator, long denominator, int digits = 4) =>
            denominator == 0 ? null : Math.Round((double)numerator / denominator, digits, MidpointRounding.AwayFromZero);
        double? Rate(int part, int whole) => Small(whole) || Hidden(part, whole) ? null : Ratio(part, whole);
        // An average over at least the minimum number of cases or reviews names nobody.
        double? Average(long sum, int count) => Small(count) ? null : Ratio(sum, count, 2);

        // Catalog figures are about service items, which the catalog publishes one by one: nothing to withhold.
        var onlineRate = Ratio(c.OnlineCapableItems, c.Items);
        var figures = new StatisticsFigures
        {
            Items = c.Items,
            OnlineCapableItems = c.OnlineCapableItems,
            OnlineCapableRate = onlineRate,
            OnlineCapableTargetMet = onlineRate is null ? null : (double)c.OnlineCapableItems / c.Items >= OnlineCapableTarget,
            Received = Count(c.Received),
            ReceivedWindow = Part(c.ReceivedWindow, c.Received),
            ReceivedWeb = Part(c.ReceivedWeb, c.Received),
            ReceivedMobile = Part(c.ReceivedMobile, c.Received),
            AcceptanceDecided = Count(c.AcceptanceDecided),
            Accepted = Part(c.Accepted, c.AcceptanceDecided),
            AcceptanceRate = Rate(c.Accepted, c.AcceptanceDecided),
            Supplemented = Part(c.Supplemented, c.AcceptanceDecided),
            SupplementRate = Rate(c.Supplemented, c.AcceptanceDecided),
            Completed = Count(c.Completed),
            OnTimePromised = Part(c.OnTimePromised, c.WithPromisedLimit),
            OnTimePromisedRate = Rate(c.OnTimePromised, c.WithPromisedLimit),
            OnTimeLegal = Part(c.OnTimeLegal, c.WithLegalLimit),
            OnTimeLegalRate = Rate(c.OnTimeLegal, c.WithLegalLimit),
            AverageWorkingDaysToCompletion = Average(c.WorkingDaysToCompletion, c.Completed),
        };
        return !reviewsCounted ? figures : figures with
        {
            Reviews = Count(c.Reviews),
            SatisfiedReviews = Part(c.SatisfiedReviews, c.Reviews),
            BadReviews = Part(c.BadReviews, c.Reviews),
            SatisfactionRate = Rate(c.SatisfiedReviews, c.Reviews),
            BadReviewRate = Rate(c.BadReviews, c.Reviews),
            AverageSatisfaction = Average(c.SatisfactionSum, c.Reviews),
            RectificationsDue = Count(c.RectificationsDue),
            RectifiedOnTime = Part(c.RectifiedOnTime, c.RectificationsDue),
            RectifiedOnTimeRate = Rate(c.RectifiedOnTime, c.RectificationsDue),
        };
    }
}

/// <summary>
/// The report as CSV (RFC 4180, UTF-8): one line per row, total first. Text cells that a spreadsheet would take
/// for a formula (=, +, -, @, tab, carriage return first) get a leading apostrophe, so opening the file runs nothing.
/// </summary>
public static class StatisticsCsv
{
    private static readonly (string Name, Func<StatisticsFigures, object?> Value)[] Columns =
    [
        ("items", f => f.Items), ("onlineCapableItems", f => f.OnlineCapableItems), ("onlineCapableRate", f => f.OnlineCapableRate),
        ("onlineCapableTargetMet", f => f.OnlineCapableTargetMet),
        ("received", f => f.Received), ("receivedWindow", f => f.ReceivedWindow), ("receivedWeb", f => f.ReceivedWeb), ("receivedMobile", f => f.ReceivedMobile),
        ("acceptanceDecided", f => f.AcceptanceDecided), ("accepted", f => f.Accepted), ("acceptanceRate", f => f.AcceptanceRate),
        ("supplemented", f => f.Supplemented), ("supplementRate", f => f.SupplementRate),
        ("completed", f => f.Completed), ("onTimePromised", f => f.OnTimePromised), ("onTimePromisedRate", f => f.OnTimePromisedRate),
        ("onTimeLegal", f => f.OnTimeLegal), ("onTimeLegalRate", f => f.OnTimeLegalRate), ("averageWorkingDaysToCompletion", f => f.AverageWorkingDaysToCompletion),
        ("reviews", f => f.Reviews), ("satisfiedReviews", f => f.SatisfiedReviews), ("badReviews", f => f.BadReviews),
        ("satisfactionRate", f => f.SatisfactionRate), ("badReviewRate", f => f.BadReviewRate), ("averageSatisfaction", f => f.AverageSatisfaction),
        ("rectificationsDue", f => f.RectificationsDue), ("rectifiedOnTime", f => f.RectifiedOnTime), ("rectifiedOnTimeRate", f => f.RectifiedOnTimeRate),
    ];

    public static string Write(StatisticsReport report)
    {
        var text = new StringBuilder();
        Line(text, ["period", "scope", "departmentCode", "departmentName", "divisionCode", .. Columns.Select(c => c.Name)]);
        foreach (var row in (IEnumerable<StatisticsRow>)[report.Total, .. report.Counties, .. report.Departments])
        {
            Line(text, [report.Period, row.Scope, row.DepartmentCode, row.DepartmentName, row.DivisionCode, .. Columns.Select(c => Format(c.Value(row.Figures)))]);
        }
        return text.ToString();
    }

    public static string FileName(StatisticsReport report, bool publicView) =>
        publicView ? $"ali-statistics-public-{report.Period}.csv" : $"ali-statistics-{report.Period}.csv";

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static void Line(StringBuilder text, IEnumerable<string?> cells)
    {
        text.AppendJoin(',', cells.Select(Cell));
        text.Append("\r\n");
    }

    /// <summary>One cell: neutralised if it could start a formula, quoted if it holds a comma, quote or line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        // Numbers are written by us and may start with '-' only when negative, which no figure is; any text
        // that starts like a formula is made plain text.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' or '＝' or '＋' or '－' or '＠')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

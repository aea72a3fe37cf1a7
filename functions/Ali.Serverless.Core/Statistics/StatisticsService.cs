using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Statistics;

/// <summary>An operator's request to compute a month again.</summary>
public sealed record RecomputeStatisticsRequest(string? Period);

/// <summary>A report and whether it was asked for as CSV.</summary>
public sealed record StatisticsAnswer(StatisticsReport Report, bool Csv);

/// <summary>
/// 绩效考核: computes each month's figures into the statistics store (timer, or an operator), and answers
/// supervisors and the public from that store only, never by scanning cases on a request.
/// </summary>
public sealed class StatisticsService(
    ICatalogStore catalog,
    IApplicationStore applications,
    IStatisticsStore store,
    IWorkingCalendar calendar,
    TimeProvider clock,
    IEvaluationFacts? evaluations = null)
{
    /// <summary>
    /// Months each timer run computes: the current one and the two before it. Late changes (a decision, a
    /// rectification falling due some 15 working days after its review, across a long holiday) land in those.
    /// </summary>
    public const int MonthsRecomputed = 3;

    public bool ReviewsAvailable => evaluations is not null;

    /// <summary>Computes one month from the catalog, the cases and the reviews, and replaces its stored document.</summary>
    public async Task<MonthlyStatistics> ComputeAsync(StatisticsPeriod period, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var items = await catalog.ListAsync(null, null, cancellationToken);
        var cases = await applications.ListCasesOpenDuringAsync(period.Start, period.End, cancellationToken);
        var reviews = evaluations is null ? null : await evaluations.ListEvaluatedBetweenAsync(period.Start, period.End, cancellationToken);
        var statistics = StatisticsCalculator.Compute(period, now, items, cases, reviews, calendar);
        await store.UpsertAsync(statistics, cancellationToken);
        return statistics;
    }

    /// <summary>The timer's run: the current month and the ones before it that may still change.</summary>
    public async Task<IReadOnlyList<MonthlyStatistics>> RunAsync(CancellationToken cancellationToken)
    {
        var period = StatisticsPeriod.Of(clock.GetUtcNow());
        var computed = new List<MonthlyStatistics>();
        for (var i = 0; i < MonthsRecomputed; i++, period = period.Previous)
        {
            computed.Add(await ComputeAsync(period, cancellationToken));
        }
        return computed;
    }

    /// <summary>
    /// At an instance's start: computes the current month when the store has none yet (a fresh deployment, or the
    /// first hour of a month), so the public figures are not 404 until the hourly timer runs. One point read when
    /// it exists; computing it twice (two instances starting) writes the same figures. Returns what it computed.
    /// </summary>
    public async Task<MonthlyStatistics?> EnsureCurrentMonthAsync(CancellationToken cancellationToken)
    {
        var period = StatisticsPeriod.Of(clock.GetUtcNow());
        return await store.GetAsync(period.ToString(), cancellationToken) is null ? await ComputeAsync(period, cancellationToken) : null;
    }

    public async Task<Result<MonthlyStatistics>> RecomputeAsync(RecomputeStatisticsRequest request, CancellationToken cancellationToken)
    {
        if (!StatisticsPeriod.TryParse(request.Period, clock.GetUtcNow(), out var period))
        {
            return Problem.InvalidField("period", StatisticsPeriod.Rule);
        }
        return await ComputeAsync(period, cancellationToken);
    }

    /// <summary>The stored month narrowed by department and county; public answers are suppressed (small cells).</summary>
    public async Task<Result<StatisticsAnswer>> ReadAsync(string? period, string? department, string? county, string? format, bool publicView, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!StatisticsPeriod.TryParse(period, clock.GetUtcNow(), out var month))
        {
            errors.Add("period", StatisticsPeriod.Rule);
        }
        if (department is not null && !DepartmentCodes.IsWellFormed(department))
        {
            errors.Add("department", DepartmentCodes.Rule);
        }
        if (county is not null && !AliDivisions.All.Contains(county))
        {
            errors.Add("county", AliDivisions.Rule);
        }
        if (format is not null and not ("json" or "csv"))
        {
            errors.Add("format", "format is json (the default) or csv.");
        }
        if (errors.Any)
        {
            return Result<StatisticsAnswer>.Fail(errors.ToProblem());
        }
        var statistics = await store.GetAsync(month.ToString(), cancellationToken);
        if (statistics is null)
        {
            return Problem.NotFound($"Statistics for {month} (they are computed every hour for recent months; an operator can compute a month with POST /api/statistics/recompute)");
        }
        return new StatisticsAnswer(StatisticsReport.From(statistics, department, county, publicView), format == "csv");
    }
}

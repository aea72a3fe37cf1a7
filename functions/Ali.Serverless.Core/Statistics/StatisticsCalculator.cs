using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Statistics;

/// <summary>
/// Turns the catalog, the cases and the reviews into one month's counts. Pure: the same inputs give the same
/// cells, which is what makes recomputing a month idempotent. Each figure's definition is in decision 18.
/// </summary>
public static class StatisticsCalculator
{
    public static MonthlyStatistics Compute(
        StatisticsPeriod period,
        DateTimeOffset now,
        IEnumerable<ServiceItem> items,
        IEnumerable<Application> cases,
        IEnumerable<EvaluationFact>? evaluations,
        IWorkingCalendar calendar)
    {
        var cells = new SortedDictionary<(string Department, string Division), StatisticsCell>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var missingYears = new SortedSet<int>();

        StatisticsCell Cell(string department, string division) =>
            cells.TryGetValue((department, division), out var cell) ? cell : new StatisticsCell { DepartmentCode = department, DivisionCode = division };

        void Add(string department, string division, Func<StatisticsCell, StatisticsCell> change) =>
            cells[(department, division)] = change(Cell(department, division));

        // The catalog as it is when the month is computed: a month no longer recomputed keeps what it said then.
        foreach (var item in items)
        {
            names.TryAdd(item.DepartmentCode, item.DepartmentName.Zh);
            var online = IsOnlineCapable(item);
            Add(item.DepartmentCode, item.DivisionCode, c => c with { Items = c.Items + 1, OnlineCapableItems = c.OnlineCapableItems + (online ? 1 : 0) });
        }

        foreach (var application in cases)
        {
            if (application.CaseNumber is null || application.SubmittedAt is null)
            {
                continue;
            }
            var department = application.DepartmentCode;
            var division = application.DivisionCode;

            if (period.Contains(application.SubmittedAt))
            {
                Add(department, division, c => application.Channel switch
                {
                    Channel.Window => c with { ReceivedWindow = c.ReceivedWindow + 1 },
                    Channel.Web => c with { ReceivedWeb = c.ReceivedWeb + 1 },
                    _ => c with { ReceivedMobile = c.ReceivedMobile + 1 },
                });
            }

            if (period.Contains(AcceptanceDecidedAt(application)))
            {
                var accepted = application.AcceptedAt is not null;
                var supplemented = application.Timeline.Any(s => s.StepType == CaseTransitions.StepTypes.Supplement);
                Add(department, division, c => c with
                {
                    AcceptanceDecided = c.AcceptanceDecided + 1,
                    Accepted = c.Accepted + (accepted ? 1 : 0),
                    Supplemented = c.Supplemented + (supplemented ? 1 : 0),
                });
            }

            if (application is { Status: ApplicationStatus.Completed, Decision: { } decision, AcceptedAt: { } acceptedAt } && period.Contains(decision.DecidedAt))
            {
                var decidedAt = decision.DecidedAt;
                var counted = calendar.CountWorkingDays(ChinaTime.DateOf(acceptedAt), ChinaTime.DateOf(decidedAt));
                foreach (var year in counted.MissingYears)
                {
                    missingYears.Add(year);
                }
                // Paused working days (行政许可法 §45) are not the department's time.
                var paused = application.SpecialProcedures.Sum(p => p.PausedWorkingDays ?? 0);
                var days = Math.Max(0, counted.Value - paused);
                var promised = application.PromisedDueAt;
                var legal = application.LegalDueAt;
                Add(department, division, c => c with
                {
                    Completed = c.Completed + 1,
                    WorkingDaysToCompletion = c.WorkingDaysToCompletion + days,
                    WithPromisedLimit = c.WithPromisedLimit + (promised is null ? 0 : 1),
                    OnTimePromised = c.OnTimePromised + (promised is { } p && decidedAt <= p ? 1 : 0),
                    WithLegalLimit = c.WithLegalLimit + (legal is null ? 0 : 1),
                    OnTimeLegal = c.OnTimeLegal + (legal is { } l && decidedAt <= l ? 1 : 0),
                });
            }
        }

        foreach (var review in evaluations ?? [])
        {
            // A voided review (upheld appeal) counts nowhere; a review is counted in the month it was given.
            if (review.Voided || !period.Contains(review.EvaluatedAt))
            {
                continue;
            }
            var bad = review.IsBad;
            // A rectification is judged once it has fallen due, or once it was done: until then it is pending.
            var judged = bad && review.RectificationDueAt is { } due && (review.RectifiedAt is not null || due <= now);
            var onTime = judged && review.RectifiedAt is { } done && done <= review.RectificationDueAt;
            Add(review.DepartmentCode, review.DivisionCode, c => c with
            {
                Reviews = c.Reviews + 1,
                SatisfiedReviews = c.SatisfiedReviews + (bad ? 0 : 1),
                BadReviews = c.BadReviews + (bad ? 1 : 0),
                SatisfactionSum = c.SatisfactionSum + review.Satisfaction,
                RectificationsDue = c.RectificationsDue + (judged ? 1 : 0),
                RectifiedOnTime = c.RectifiedOnTime + (onTime ? 1 : 0),
            });
        }

        return new MonthlyStatistics
        {
            Period = period.ToString(),
            ComputedAt = now,
            Cells = cells.Values.Select(c => c with { DepartmentName = names.GetValueOrDefault(c.DepartmentCode) }).ToList(),
            ReviewsCounted = evaluations is not null,
            CalendarMissingYears = missingYears.ToList(),
        };
    }

    /// <summary>网上可办: the item says the whole matter can be handled online and offers a web or mobile channel.</summary>
    public static bool IsOnlineCapable(ServiceItem item) =>
        item.OnlineCapable && item.Channels.Any(c => c is Channel.Web or Channel.Mobile);

    /// <summary>
    /// When the acceptance question was answered: the acceptance (受理, also of a 即办件), or the refusal (不予受理, at
    /// acceptance or by the pre-check), which is the last 受理-type step of a case that was not accepted.
    /// </summary>
    public static DateTimeOffset? AcceptanceDecidedAt(Application application) =>
        application.AcceptedAt
        ?? (application.Status == ApplicationStatus.NotAccepted
            ? application.Timeline.LastOrDefault(s => s.StepType == CaseTransitions.StepTypes.Accepted)?.EndedAt
            : null);
}

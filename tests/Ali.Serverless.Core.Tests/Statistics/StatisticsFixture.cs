using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Core.Tests.WorkingDays;
using Ali.Serverless.Statistics;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Core.Tests.Statistics;

/// <summary>
/// A small seeded month (February 2026, with the Spring Festival and Tibetan New Year off from 15 to 26 February
/// and 14 and 28 February worked) whose every figure was computed by hand; see <see cref="StatisticsCalculatorTests"/>.
/// </summary>
internal static class StatisticsFixture
{
    public const string Rsj = "542500-RSJ";
    public const string Gaj = "542521-GAJ";
    public static readonly StatisticsPeriod February = new(2026, 2);

    /// <summary>Computed on 10 March 2026: February is over, some rectifications have fallen due and one has not.</summary>
    public static readonly DateTimeOffset Now = At("2026-03-10T12:00");

    public static IWorkingCalendar Calendar => ShippedCalendar.Prefecture;

    public static DateTimeOffset At(string chinaTime) => DateTimeOffset.Parse(chinaTime + ":00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<ServiceItem> Items()
    {
        var items = new List<ServiceItem>();
        // 人社局: 10 items; 8 online, one says online but offers only the window, one is not online at all.
        for (var i = 0; i < 8; i++)
        {
            items.Add(Item($"{Rsj}-2000{i}", Rsj, "542500", online: true, [Channel.Window, Channel.Web]));
        }
        items.Add(Item($"{Rsj}-20008", Rsj, "542500", online: true, [Channel.Window]));
        items.Add(Item($"{Rsj}-20009", Rsj, "542500", online: false, [Channel.Window, Channel.Web]));
        // 普兰县公安局: 2 items, both online.
        items.Add(Item($"{Gaj}-30001", Gaj, "542521", online: true, [Channel.Mobile]));
        items.Add(Item($"{Gaj}-30002", Gaj, "542521", online: true, [Channel.Web, Channel.Mobile]));
        return items;
    }

    private static ServiceItem Item(string code, string department, string division, bool online, IReadOnlyList<Channel> channels) =>
        TestCatalog.Item(code, ["1"], channels) with
        {
            DepartmentCode = department,
            DepartmentName = new Ali.Serverless.Common.LocalizedText(department == Rsj ? "阿里地区人力资源和社会保障局" : "普兰县公安局"),
            DivisionCode = division,
            OnlineCapable = online,
        };

    public static IReadOnlyList<Application> SeededCases()
    {
        var calendar = Calendar;
        DateTimeOffset Due(DateTimeOffset accepted, int days) => calendar.DueAfter(accepted, days).Value;

        var c1Accepted = At("2026-02-12T10:00");
        var c2Accepted = At("2026-02-03T09:00");
        var c5Accepted = At("2026-01-21T10:00");
        var c8At = At("2026-02-05T11:00");
        return
        [
            // C1: accepted the Thursday before the holiday, promised 4 working days (13, 14, 27, 28 Feb), decided
            // 27 Feb: 15 calendar days, 3 working days, on time for both limits.
            Case("c1", Rsj, "542500", Channel.Web, At("2026-02-10T09:00")) with
            {
                Status = ApplicationStatus.Completed,
                AcceptedAt = c1Accepted,
                PromisedDueAt = Due(c1Accepted, 4),
                LegalDueAt = Due(c1Accepted, 20),
                Decision = new CaseDecision("approve", null, At("2026-02-27T16:00")),
            },
            // C2: promised 2 working days (4, 5 Feb), decided Monday 9 Feb: late for the promise, on time for the law; 4 working days.
            Case("c2", Rsj, "542500", Channel.Window, At("2026-02-02T15:00")) with
            {
                Status = ApplicationStatus.Completed,
                AcceptedAt = c2Accepted,
                PromisedDueAt = Due(c2Accepted, 2),
                LegalDueAt = Due(c2Accepted, 20),
                Decision = new CaseDecision("reject", "材料不实", At("2026-02-09T11:00")),
            },
            // C3: received during the holiday, asked to supplement, accepted 27 Feb, still under review.
            Case("c3", Rsj, "542500", Channel.Mobile, At("2026-02-20T08:00")) with
            {
                Status = ApplicationStatus.UnderReview,
                AcceptedAt = At("2026-02-27T10:00"),
                PromisedDueAt = Due(At("2026-02-27T10:00"), 10),
                LegalDueAt = Due(At("2026-02-27T10:00"), 20),
                Timeline = [Step(CaseTransitions.StepTypes.Received, "2026-02-20T08:00"), Step(CaseTransitions.StepTypes.Supplement, "2026-02-24T10:00"), Step(CaseTransitions.StepTypes.Accepted, "2026-02-27T10:00")],
            },
            // C4: received in January, not accepted on 2 Feb.
            Case("c4", Rsj, "542500", Channel.Web, At("2026-01-28T10:00")) with
            {
                Status = ApplicationStatus.NotAccepted,
                Timeline = [Step(CaseTransitions.StepTypes.Received, "2026-01-28T10:00"), Step(CaseTransitions.StepTypes.Accepted, "2026-02-02T10:00")],
            },
            // C5: accepted in January, paused 2 working days by an inspection, decided 4 Feb on the day its promise
            // (10 working days, moved by 2) allowed; 10 working days elapsed, 8 counted.
            Case("c5", Rsj, "542500", Channel.Web, At("2026-01-20T10:00")) with
            {
                Status = ApplicationStatus.Completed,
                AcceptedAt = c5Accepted,
                PromisedDueAt = calendar.MoveDue(Due(c5Accepted, 10), 2).Value,
                LegalDueAt = calendar.MoveDue(Due(c5Accepted, 20), 2).Value,
                SpecialProcedures = [new SpecialProcedure { Id = "p1", Kind = "inspection", Reason = "检验", RequestedBy = "rsj-1", StartedAt = At("2026-01-26T09:00"), EndedAt = At("2026-01-28T17:00"), PausedWorkingDays = 2 }],
                Decision = new CaseDecision("approve", null, At("2026-02-04T15:00")),
            },
            // C6: received in March: not February's.
            Case("c6", Rsj, "542500", Channel.Window, At("2026-03-02T10:00")),
            // C7: a draft, never submitted: no case.
            Case("c7", Rsj, "542500", Channel.Web, null) with { Status = ApplicationStatus.Draft, CaseNumber = null },
            // C8: 即办件 at a county window: accepted and decided in the same moment, 0 working days.
            Case("c8", Gaj, "542521", Channel.Window, c8At) with
            {
                Status = ApplicationStatus.Completed,
                AcceptedAt = c8At,
                PromisedDueAt = ChinaTime.EndOfDay(ChinaTime.DateOf(c8At)),
                LegalDueAt = ChinaTime.EndOfDay(ChinaTime.DateOf(c8At)),
                Decision = new CaseDecision("approve", null, c8At),
            },
        ];
    }

    /// <summary>人社局's reviews given in February (and one on 31 January, and one voided).</summary>
    public static IReadOnlyList<EvaluationFact> Reviews() =>
    [
        Review("r1", 1, "2026-02-03T10:00"),
        Review("r2", 2, "2026-02-05T10:00"),
        Review("r3", 3, "2026-02-10T10:00"),
        Review("r4", 5, "2026-02-04T10:00", due: "2026-02-25T00:00", rectified: "2026-02-20T10:00"),
        Review("r5", 4, "2026-02-05T10:00", due: "2026-02-26T00:00", rectified: "2026-03-02T10:00"),
        Review("r6", 4, "2026-02-09T10:00", due: "2026-03-05T00:00"),
        Review("r7", 5, "2026-02-27T10:00", due: "2026-03-20T00:00"),
        Review("r8", 5, "2026-02-11T10:00", due: "2026-03-04T00:00") with { Voided = true },
        Review("r9", 1, "2026-01-31T23:00"),
    ];

    private static EvaluationFact Review(string id, int satisfaction, string at, string? due = null, string? rectified = null) =>
        new(id, $"case-{id}", $"{Rsj}-20001", Rsj, "542500", "web", satisfaction, false, At(at),
            due is null ? null : At(due), rectified is null ? null : At(rectified));

    private static TimelineStep Step(string type, string at) => new()
    {
        Step = "step",
        StepType = type,
        Action = StepAction.Pass,
        Handler = "system",
        StartedAt = At(at),
        EndedAt = At(at),
    };

    private static Application Case(string id, string department, string division, Channel channel, DateTimeOffset? submittedAt) => new()
    {
        Id = id,
        OwnerId = $"owner-{id}",
        ItemCode = $"{department}-20001",
        DepartmentCode = department,
        DivisionCode = division,
        Channel = channel,
        Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, "11010519491231002X", "次仁卓玛", null),
        OpenedBy = $"owner-{id}",
        OpenedByRole = "applicant",
        Status = ApplicationStatus.PendingAcceptance,
        CreatedAt = submittedAt ?? At("2026-02-01T00:00"),
        UpdatedAt = submittedAt ?? At("2026-02-01T00:00"),
        SubmittedAt = submittedAt,
        CaseNumber = submittedAt is null ? null : $"542500-20260201-{id.ToUpperInvariant()}",
    };
}

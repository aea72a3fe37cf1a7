using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;

namespace Ali.Serverless.Core.Tests.Cases;

/// <summary>电子监察: near-due and overdue warnings, once per subject and level; calendar-missing never silent.</summary>
public sealed class SupervisionTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private readonly CaseHarness _h = new();

    [Fact]
    public async Task AcceptanceTask_WarnsNearDueOnce_ThenOverdueOnce()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var task = CaseHarness.OpenTask(pending, TaskKind.Acceptance);

        // Due at 24:00 of Tuesday 03-17. On Monday 03-16 two working days (16, 17) are left: near due.
        _h.Clock.Now = new DateTimeOffset(2026, 3, 16, 10, 0, 0, Cst);
        Assert.Equal(1, (await _h.Supervisor.RunAsync(CancellationToken.None)).Raised);
        Assert.Equal(0, (await _h.Supervisor.RunAsync(CancellationToken.None)).Raised);

        _h.Clock.Now = new DateTimeOffset(2026, 3, 18, 9, 0, 0, Cst);
        Assert.Equal(1, (await _h.Supervisor.RunAsync(CancellationToken.None)).Raised);

        var levels = _h.Warnings.Warnings.Values.Where(w => w.TaskId == task.Id).Select(w => w.Level).Order();
        Assert.Equal([WarningLevels.NearDue, WarningLevels.Overdue], levels);
        Assert.All(_h.Warnings.Warnings.Values, w => Assert.Equal(CaseHarness.ItemDepartment, w.DepartmentCode));
        Assert.Equal(2, _h.Queue.Sent.Count(s => s.Queue == StorageNames.SupervisionWarningsQueue));
    }

    [Fact]
    public async Task FarFromDue_RaisesNothing()
    {
        await _h.PendingAcceptanceAsync();

        var run = await _h.Supervisor.RunAsync(CancellationToken.None);

        Assert.Equal(0, run.Raised);
        Assert.Empty(_h.Warnings.Warnings);
    }

    [Fact]
    public async Task CaseUnderReview_WarnsOnThePromisedLimit()
    {
        await _h.UnderReviewAsync();

        // Promised limit ends 24:00 of Tuesday 03-24; reviews end a working day earlier.
        _h.Clock.Now = new DateTimeOffset(2026, 3, 23, 10, 0, 0, Cst);
        await _h.Supervisor.RunAsync(CancellationToken.None);

        Assert.Contains(_h.Warnings.Warnings.Values, w => w is { Subject: "case", Limit: "promised", Level: WarningLevels.NearDue });
        Assert.DoesNotContain(_h.Warnings.Warnings.Values, w => w.Limit == "legal");
    }

    [Fact]
    public async Task LimitCountedIntoAYearWithoutCalendar_RaisesCalendarMissing()
    {
        _h.Clock.Now = new DateTimeOffset(2026, 12, 28, 10, 0, 0, Cst);

        var pending = await _h.PendingAcceptanceAsync();

        var warning = Assert.Single(_h.Warnings.Warnings.Values);
        Assert.Equal((WarningLevels.CalendarMissing, pending.CaseNumber), (warning.Level, warning.CaseNumber));
        Assert.Contains("2027", warning.Detail);
        Assert.NotNull(warning.QueuedAt);
    }

    [Fact]
    public async Task WarningStoredButNotQueued_IsQueuedByTheNextRun()
    {
        await _h.PendingAcceptanceAsync();
        _h.Clock.Now = new DateTimeOffset(2026, 3, 16, 10, 0, 0, Cst);
        _h.Queue.Fail = true;
        await Assert.ThrowsAsync<IOException>(() => _h.Supervisor.RunAsync(CancellationToken.None));
        Assert.Null(Assert.Single(_h.Warnings.Warnings.Values).QueuedAt);

        _h.Queue.Fail = false;
        var run = await _h.Supervisor.RunAsync(CancellationToken.None);

        Assert.Equal((0, 1), (run.Raised, run.Requeued));
        Assert.NotNull(Assert.Single(_h.Warnings.Warnings.Values).QueuedAt);
    }
}

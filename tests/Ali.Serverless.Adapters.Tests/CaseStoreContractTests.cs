using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Supervision;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>What the task, case-index and warning stores must do, on SQLite and on Cosmos DB.</summary>
public sealed class CaseStoreContractTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);

    private static CaseTask Task(string id, string department, DateTimeOffset due, TaskKind kind = TaskKind.Review, TaskState state = TaskState.Open) => new()
    {
        Id = id,
        Kind = kind,
        CaseNumber = "542500-20260310-ABCDEF0123",
        ApplicationId = "0192a7b3c4d5e6f70192a7b3c4d5e6f1",
        OwnerId = "applicant:citizen-1",
        ItemCode = "542500-FGW-01001",
        DepartmentCode = department,
        State = state,
        CreatedAt = T0,
        DueAt = due,
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Task_UpsertTwice_IsOneTask_ReadByItsDepartmentOnly(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        var task = Task("t1", "542500-FGW", new DateTimeOffset(2026, 3, 25, 0, 0, 0, Cst));

        await stores.Tasks.UpsertAsync(task, default);
        await stores.Tasks.UpsertAsync(task with { State = TaskState.Done, Outcome = "approve", Handler = "reviewer-1" }, default);

        var read = await stores.Tasks.GetAsync("542500-FGW", "t1", default);
        Assert.Equal(task with { State = TaskState.Done, Outcome = "approve", Handler = "reviewer-1" }, read);
        Assert.Equal(task.DueAt, read!.DueAt);
        Assert.Equal(Cst, read.DueAt.Offset);
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Task_OfAnotherDepartment_IsNotFound(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        await stores.Tasks.UpsertAsync(Task("t1", "542500-FGW", T0), default);

        Assert.Null(await stores.Tasks.GetAsync("542500-JYJ", "t1", default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Worklist_IsOneDepartmentsOpenTasks_SoonestDueFirst_Paged(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        // Due instants in two offsets: ordering must follow the instant, not the text.
        await stores.Tasks.UpsertAsync(Task("late", "542500-FGW", new DateTimeOffset(2026, 3, 26, 0, 0, 0, Cst)), default);
        await stores.Tasks.UpsertAsync(Task("early", "542500-FGW", new DateTimeOffset(2026, 3, 24, 17, 0, 0, TimeSpan.Zero)), default);
        await stores.Tasks.UpsertAsync(Task("middle", "542500-FGW", new DateTimeOffset(2026, 3, 25, 12, 0, 0, Cst), TaskKind.Acceptance), default);
        await stores.Tasks.UpsertAsync(Task("done", "542500-FGW", T0, state: TaskState.Done), default);
        await stores.Tasks.UpsertAsync(Task("other", "542500-JYJ", T0), default);

        var first = await stores.Tasks.ListOpenAsync("542500-FGW", null, 2, null, default);
        var second = await stores.Tasks.ListOpenAsync("542500-FGW", null, 2, first.ContinuationToken, default);
        var reviews = await stores.Tasks.ListOpenAsync("542500-FGW", TaskKind.Review, 10, null, default);

        Assert.Equal(["early", "middle"], first.Items.Select(t => t.Id));
        Assert.Equal(["late"], second.Items.Select(t => t.Id));
        Assert.Null(second.ContinuationToken);
        Assert.Equal(["early", "late"], reviews.Items.Select(t => t.Id));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task OpenTasksDueBefore_AreFoundAcrossDepartments(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        await stores.Tasks.UpsertAsync(Task("soon", "542500-FGW", new DateTimeOffset(2026, 3, 12, 0, 0, 0, Cst)), default);
        await stores.Tasks.UpsertAsync(Task("soon-elsewhere", "542500-JYJ", new DateTimeOffset(2026, 3, 11, 0, 0, 0, Cst)), default);
        await stores.Tasks.UpsertAsync(Task("later", "542500-FGW", new DateTimeOffset(2026, 4, 1, 0, 0, 0, Cst)), default);
        await stores.Tasks.UpsertAsync(Task("closed", "542500-FGW", T0, state: TaskState.Cancelled), default);

        var due = await stores.Tasks.ListOpenDueBeforeAsync(new DateTimeOffset(2026, 3, 13, 0, 0, 0, Cst), 10, default);

        Assert.Equal(["soon", "soon-elsewhere"], due.Select(t => t.Id).Order());
    }

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task CaseIndex_LeadsFromTheCaseNumberToTheCase(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        var entry = new CaseIndexEntry("542500-20260310-ABCDEF0123", "hall:542521", "0192a7b3c4d5e6f70192a7b3c4d5e6f1", "542500-FGW");

        await stores.CaseIndex.UpsertAsync(entry, default);
        await stores.CaseIndex.UpsertAsync(entry, default);

        Assert.Equal(entry, await stores.CaseIndex.GetAsync(entry.CaseNumber, default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task CaseIndex_UnknownNumber_IsNull(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);

        Assert.Null(await stores.CaseIndex.GetAsync("542500-20260310-0000000000", default));
    }

    private static SupervisionWarning Warning(string id, string level, string department, DateTimeOffset raisedAt) => new()
    {
        Id = id,
        Level = level,
        Subject = "task",
        TaskId = "t1",
        CaseNumber = "542500-20260310-ABCDEF0123",
        ApplicationId = "0192a7b3c4d5e6f70192a7b3c4d5e6f1",
        OwnerId = "applicant:citizen-1",
        DepartmentCode = department,
        Limit = "task",
        DueAt = raisedAt.AddDays(1),
        RaisedAt = raisedAt,
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task Warning_IsCreatedOnce(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        var warning = Warning("near-due.task.t1", WarningLevels.NearDue, "542500-FGW", T0);

        Assert.True(await stores.Warnings.CreateAsync(warning, default));
        Assert.False(await stores.Warnings.CreateAsync(warning with { RaisedAt = T0.AddMinutes(5) }, default));
    }

    // Cross-partition queries (timers only) are beyond the local Cosmos test server.
    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Warning_Unqueued_UntilMarkedQueued(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        var warning = Warning("near-due.task.t1", WarningLevels.NearDue, "542500-FGW", T0);
        await stores.Warnings.CreateAsync(warning, default);

        Assert.Equal([warning.Id], (await stores.Warnings.ListUnqueuedAsync(10, default)).Select(w => w.Id));

        await stores.Warnings.MarkQueuedAsync(warning, T0.AddSeconds(1), default);

        Assert.Empty(await stores.Warnings.ListUnqueuedAsync(10, default));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Warnings_ListNewestFirst_ByLevelAndDepartment(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        await stores.Warnings.CreateAsync(Warning("a", WarningLevels.NearDue, "542500-FGW", T0), default);
        await stores.Warnings.CreateAsync(Warning("b", WarningLevels.Overdue, "542500-FGW", T0.AddHours(1)), default);
        await stores.Warnings.CreateAsync(Warning("c", WarningLevels.NearDue, "542500-JYJ", T0.AddHours(2)), default);

        Assert.Equal(["c", "b", "a"], (await stores.Warnings.ListAsync(null, null, 10, null, default)).Items.Select(w => w.Id));
        Assert.Equal(["c", "a"], (await stores.Warnings.ListAsync(WarningLevels.NearDue, null, 10, null, default)).Items.Select(w => w.Id));
        Assert.Equal(["b", "a"], (await stores.Warnings.ListAsync(null, "542500-FGW", 10, null, default)).Items.Select(w => w.Id));
        var page = await stores.Warnings.ListAsync(null, null, 2, null, default);
        Assert.Equal(["a"], (await stores.Warnings.ListAsync(null, null, 2, page.ContinuationToken, default)).Items.Select(w => w.Id));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Applications_WithPendingOutbox_AndUnderReviewNearDue_AreFoundByTheTimers(string target)
    {
        var stores = await StoreTargets.CreateCaseStoresAsync(target);
        var promised = new DateTimeOffset(2026, 3, 25, 0, 0, 0, Cst);
        var pending = TestData.Application("applicant:a", T0) with
        {
            Status = ApplicationStatus.UnderReview,
            PromisedDueAt = promised,
            LegalDueAt = promised.AddDays(20),
            Outbox = [new OutboxEntry("e1", OutboxKind.CaseEvent, T0, EventType: "accepted")],
        };
        var quiet = TestData.Application("applicant:b", T0) with { Status = ApplicationStatus.Completed, PromisedDueAt = promised };
        await stores.Applications.CreateAsync(pending, default);
        await stores.Applications.CreateAsync(quiet, default);

        Assert.Equal([pending.Id], (await stores.Applications.ListWithPendingOutboxAsync(T0.AddMinutes(1), 10, default)).Select(a => a.Id));
        Assert.Empty(await stores.Applications.ListWithPendingOutboxAsync(T0, 10, default));
        Assert.Equal([pending.Id], (await stores.Applications.ListUnderReviewDueBeforeAsync(promised, 10, default)).Select(a => a.Id));
        Assert.Empty(await stores.Applications.ListUnderReviewDueBeforeAsync(promised.AddTicks(-1), 10, default));
    }
}

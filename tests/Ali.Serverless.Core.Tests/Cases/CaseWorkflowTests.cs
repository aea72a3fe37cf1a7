using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Cases;

/// <summary>The case lifecycle: pre-check, acceptance, supplement, parallel review, decision, withdrawal.</summary>
public sealed class CaseWorkflowTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private readonly CaseHarness _h = new();

    [Fact]
    public async Task PreCheck_CompleteSubmission_MakesAnAcceptanceTaskDueFiveWorkingDaysLater()
    {
        var pending = await _h.PendingAcceptanceAsync();

        // Submitted Tuesday 2026-03-10; five working days after it is Tuesday 03-17, due at its 24:00 CST.
        var task = OpenTask(pending, TaskKind.Acceptance);
        Assert.Equal(new DateTimeOffset(2026, 3, 18, 0, 0, 0, Cst), task.DueAt);
        Assert.Equal(ItemDepartment, task.DepartmentCode);
        Assert.Equal(task, _h.Tasks.Tasks[(ItemDepartment, task.Id)]);
        Assert.Equal(pending.Id, _h.Index.Entries[pending.CaseNumber!].ApplicationId);
        Assert.Empty(pending.Outbox);
        var step = Assert.Single(pending.Timeline);
        Assert.Equal(("1", StepAction.Pass, CaseWorkflow.SystemHandler), (step.StepType, step.Action, step.Handler));
        Assert.Equal(["submitted", "task-assigned"], _h.EventTypes());
    }

    [Fact]
    public async Task PreCheck_SameMessageTwice_ChangesNothingTheSecondTime()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var sentBefore = _h.Queue.Sent.Count;

        var again = await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], CancellationToken.None);

        Assert.True(again.IsSuccess);
        Assert.Equal(pending, _h.Current(pending));
        Assert.Single(_h.Current(pending).Tasks);
        Assert.Equal(sentBefore, _h.Queue.Sent.Count);
    }

    [Fact]
    public async Task PreCheck_ItemWithdrawnSinceSubmission_IsNotAccepted()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        await _h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, CancellationToken.None);
        _h.Items.Clear();

        var result = await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], CancellationToken.None);

        Assert.Equal(ApplicationStatus.NotAccepted, result.Value!.Status);
        Assert.Empty(result.Value.Tasks);
        Assert.Equal(StepAction.Return, result.Value.Timeline.Single().Action);
    }

    [Fact]
    public async Task Accept_StartsParallelReviewsAndSetsBothLimits()
    {
        var review = await _h.UnderReviewAsync();

        Assert.Equal(ApplicationStatus.UnderReview, review.Status);
        Assert.Equal(IntakeHarness.Start, review.AcceptedAt);
        // Accepted Tuesday 2026-03-10. Promised 10 working days: Tuesday 03-24. Legal 20: Qingming (04-04 to 04-06) is skipped, Wednesday 04-08.
        Assert.Equal(new DateTimeOffset(2026, 3, 25, 0, 0, 0, Cst), review.PromisedDueAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 9, 0, 0, 0, Cst), review.LegalDueAt);
        var reviews = review.Tasks.Where(t => t.Kind == TaskKind.Review).ToList();
        Assert.Equal([CoDepartment, ItemDepartment], reviews.Select(t => t.DepartmentCode).Order());
        // Reviews leave the last promised working day for the decision.
        Assert.All(reviews, t => Assert.Equal(new DateTimeOffset(2026, 3, 24, 0, 0, 0, Cst), t.DueAt));
        Assert.All(reviews, t => Assert.Equal(t, _h.Tasks.Tasks[(t.DepartmentCode, t.Id)]));
        Assert.Contains("accepted", _h.EventTypes());
    }

    [Fact]
    public async Task Reviews_LastOneCreatesTheDecisionTask_DecisionCompletesTheCase()
    {
        var review = await _h.UnderReviewAsync();

        await _h.CompleteAsync(CoSystem, OpenTask(review, TaskKind.Review, CoDepartment), new CompleteTaskRequest("approve", "无异议", null));
        Assert.DoesNotContain(_h.Current(review).Tasks, t => t.Kind == TaskKind.Decision);

        await _h.CompleteAsync(Reviewer, OpenTask(_h.Current(review), TaskKind.Review), new CompleteTaskRequest("approve", null, null));
        var decision = OpenTask(_h.Current(review), TaskKind.Decision);
        Assert.Equal(review.PromisedDueAt, decision.DueAt);

        var done = await _h.CompleteAsync(Reviewer, decision, new CompleteTaskRequest("approve", "准予许可", null));

        var completed = _h.Current(review);
        Assert.Equal("completed", done.Case.Status);
        Assert.Equal(ApplicationStatus.Completed, completed.Status);
        Assert.Equal(("approve", "准予许可"), (completed.Decision!.Outcome, completed.Decision.Opinion));
        Assert.Equal(["1", "2", "3", "3", "4"], completed.Timeline.Select(s => s.StepType));
        Assert.Equal(CoSystem.Subject, completed.Timeline[2].Handler);
        Assert.All(completed.Tasks, t => Assert.Equal(TaskState.Done, t.State));
    }

    [Fact]
    public async Task Reading_a_task_that_listed_missing_materials_does_not_rewrite_the_departments_copy()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var acceptance = OpenTask(pending, TaskKind.Acceptance);
        await _h.CompleteAsync(Reviewer, acceptance, new CompleteTaskRequest("supplement", "请补正", [new("M01", "签名缺失")]));
        var upserts = _h.Tasks.Upserts;

        var read = await _h.Workflow.GetTaskAsync(Reviewer, acceptance.Id, CancellationToken.None);
        await _h.Workflow.GetTaskAsync(Reviewer, acceptance.Id, CancellationToken.None);

        Assert.Equal(["M01"], read.Value!.Task.MissingMaterials!.Select(m => m.Code));
        // The copy equals the case's task field by field; a list compared by reference would make every read a write.
        Assert.Equal(upserts, _h.Tasks.Upserts);
    }

    [Fact]
    public async Task Supplement_ListsEverythingAtOnce_ResubmitNeedsEachNamedMaterialAgain()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var missing = new MissingMaterialRequest[] { new("M01", "签名缺失"), new("M02", "照片不清晰") };

        await _h.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("supplement", "请补正", missing));

        var requested = _h.Current(pending);
        Assert.Equal(ApplicationStatus.SupplementRequested, requested.Status);
        Assert.Equal(["M01", "M02"], requested.Supplement!.Materials.Select(m => m.Code));
        Assert.Equal("11", requested.Timeline[^1].StepType);
        _h.Clock.Advance(TimeSpan.FromHours(1));

        var tooEarly = await _h.Workflow.ResubmitAsync(IntakeHarness.Applicant, pending.Id, CancellationToken.None);
        Assert.Equal("materials-missing", tooEarly.Problem!.Type);
        Assert.Equal(["materials.M01", "materials.M02"], tooEarly.Problem.Errors!.Keys.Order());

        // A material the request did not name stays closed.
        var other = await _h.Intake.Intake.DeclareMaterialAsync(IntakeHarness.Applicant, pending.Id, IntakeHarness.Declaration("M03"), CancellationToken.None);
        Assert.Equal("material-not-requested", other.Problem!.Type);

        foreach (var code in new[] { "M01", "M02" })
        {
            var pdf = IntakeHarness.Pdf();
            var id = await _h.Intake.DeclareAsync(pending, IntakeHarness.Declaration(code, $"{code}-new.pdf", "application/pdf", pdf.Length, IntakeHarness.Sha256Hex(pdf)));
            _h.Intake.Uploaded(IntakeHarness.SealedBlob(pdf));
            Assert.True((await _h.Intake.Intake.CompleteMaterialAsync(IntakeHarness.Applicant, pending.Id, id, CancellationToken.None)).IsSuccess);
        }
        var resubmitted = await _h.Workflow.ResubmitAsync(IntakeHarness.Applicant, pending.Id, CancellationToken.None);

        Assert.Equal(ApplicationStatus.PendingAcceptance, resubmitted.Value!.Status);
        Assert.Null(resubmitted.Value.Supplement);
        Assert.Equal(2, resubmitted.Value.Tasks.Count(t => t.Kind == TaskKind.Acceptance));
        Assert.Single(resubmitted.Value.Tasks, t => t is { Kind: TaskKind.Acceptance, State: TaskState.Open });
    }

    [Fact]
    public async Task NotAccept_NeedsAnOpinion_AndEndsTheCase()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var task = OpenTask(pending, TaskKind.Acceptance);

        var bare = await _h.Workflow.CompleteTaskAsync(Reviewer, task.Id, new CompleteTaskRequest("not-accept", " ", null), CancellationToken.None);
        Assert.Equal(ProblemKind.Invalid, bare.Problem!.Kind);
        Assert.Contains("opinion", bare.Problem.Errors!.Keys);

        await _h.CompleteAsync(Reviewer, task, new CompleteTaskRequest("not-accept", "不属于本部门职权范围", null));
        Assert.Equal(ApplicationStatus.NotAccepted, _h.Current(pending).Status);
        var withdraw = await _h.Workflow.WithdrawAsync(IntakeHarness.Applicant, pending.Id, new WithdrawRequest(null), CancellationToken.None);
        Assert.Equal("invalid-transition", withdraw.Problem!.Type);
        Assert.Contains("not-accepted", withdraw.Problem.Detail);
    }

    [Theory]
    [InlineData("approve", null, "outcome")]
    [InlineData("", null, "outcome")]
    [InlineData("supplement", null, "missingMaterials")]
    [InlineData("accept-and-approve", null, "outcome")]
    [InlineData("accept", "\u202eevil", "opinion")]
    [InlineData("not-accept", "\u3164", "opinion")]       // only a HANGUL FILLER
    [InlineData("not-accept", "材料\u0000不全", "opinion")]
    [InlineData("not-accept", "材料\u2028不全", "opinion")]
    [InlineData("not-accept", "材料\u200B不全", "opinion")]
    public async Task CompleteAcceptance_OutcomeThatDoesNotFit_IsInvalidAndChangesNothing(string outcome, string? opinion, string field)
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance).Id, new CompleteTaskRequest(outcome, opinion, null), CancellationToken.None);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.Contains(field, result.Problem.Errors!.Keys);
        Assert.Equal(pending, _h.Current(pending));
    }

    [Fact]
    public async Task Opinion_IsStoredInNfc_WithItsLineBreaks()
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance).Id,
            new CompleteTaskRequest("not-accept", "不符合条件\n\u0F40\u0F73", null), CancellationToken.None);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        Assert.Equal("不符合条件\n\u0F40\u0F71\u0F72", _h.Current(pending).Timeline[^1].Opinion);
    }

    [Fact]
    public async Task Supplement_WithAReasonOfInvisibleCharacters_NamesIt_AndChangesNothing()
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance).Id,
            new CompleteTaskRequest("supplement", null, [new("M01", "\u200B\u200B"), new("M02", "请\u202E补正")]), CancellationToken.None);

        Assert.Equal(["missingMaterials[0].reason", "missingMaterials[1].reason"], result.Problem!.Errors!.Keys.Order());
        Assert.Equal(pending, _h.Current(pending));
    }

    [Theory]
    [InlineData("不再\u0007需要")]
    [InlineData("\u3164")]
    [InlineData("\u2029")]
    [InlineData("\u202E")]
    public async Task Withdraw_WithAReasonOfControlOrInvisibleCharacters_IsInvalidNamingReason_AndChangesNothing(string reason)
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.WithdrawAsync(IntakeHarness.Applicant, pending.Id, new WithdrawRequest(reason), CancellationToken.None);

        Assert.Equal(["reason"], result.Problem!.Errors!.Keys);
        Assert.Equal(pending, _h.Current(pending));
    }

    [Fact]
    public async Task Supplement_WithAMaterialTheItemDoesNotAskFor_NamesIt()
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance).Id,
            new CompleteTaskRequest("supplement", null, [new("M99", "?"), new("M01", "")]), CancellationToken.None);

        Assert.Equal(["missingMaterials[0].code", "missingMaterials[1].reason"], result.Problem!.Errors!.Keys.Order());
    }

    [Fact]
    public async Task TaskOfAnotherDepartment_IsNotFound_AndATaskDoneIsConflict()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var task = OpenTask(pending, TaskKind.Acceptance);

        var stranger = await _h.Workflow.CompleteTaskAsync(Stranger, task.Id, new CompleteTaskRequest("accept", null, null), CancellationToken.None);
        Assert.Equal(ProblemKind.NotFound, stranger.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, (await _h.Workflow.GetTaskAsync(Stranger, task.Id, CancellationToken.None)).Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, (await _h.Workflow.GetCaseAsync(Stranger, pending.CaseNumber!, CancellationToken.None)).Problem!.Kind);

        await _h.CompleteAsync(Reviewer, task, new CompleteTaskRequest("accept", null, null));
        var again = await _h.Workflow.CompleteTaskAsync(Reviewer, task.Id, new CompleteTaskRequest("accept", null, null), CancellationToken.None);

        Assert.Equal("task-not-open", again.Problem!.Type);
        Assert.Equal("accept", again.Problem.Extensions!["outcome"]);
        Assert.Equal(2, _h.Current(pending).Tasks.Count(t => t.Kind == TaskKind.Review));
    }

    [Fact]
    public async Task AcceptAndApprove_OnlyForOnTheSpotItems_EndsTheCaseAtOnce()
    {
        var draft = await _h.Intake.Intake.OpenAsync(IntakeHarness.Applicant,
            new OpenApplicationRequest(OnTheSpotItemCode, "web", new ApplicantRequest("natural-person", IntakeHarness.ValidResidentId, "卓玛", null), null), null, "fp", CancellationToken.None);
        var pdf = IntakeHarness.Pdf();
        var id = await _h.Intake.DeclareAsync(draft.Value!.Application, IntakeHarness.Declaration("M01", "a.pdf", "application/pdf", pdf.Length, IntakeHarness.Sha256Hex(pdf)));
        _h.Intake.Uploaded(IntakeHarness.SealedBlob(pdf));
        await _h.Intake.Intake.CompleteMaterialAsync(IntakeHarness.Applicant, draft.Value.Application.Id, id, CancellationToken.None);
        await _h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Value.Application.Id, CancellationToken.None);
        var pending = (await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], CancellationToken.None)).Value!;

        await _h.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("accept-and-approve", null, null));

        var completed = _h.Current(pending);
        Assert.Equal(ApplicationStatus.Completed, completed.Status);
        Assert.Equal("approve", completed.Decision!.Outcome);
        Assert.Equal("4", completed.Timeline[^1].StepType);
    }

    [Fact]
    public async Task Withdraw_CancelsOpenTasksAndTellsTheirDepartments()
    {
        var review = await _h.UnderReviewAsync();
        _h.Publisher.Published.Clear();

        var withdrawn = await _h.Workflow.WithdrawAsync(IntakeHarness.Applicant, review.Id, new WithdrawRequest("不再需要"), CancellationToken.None);

        Assert.Equal(ApplicationStatus.Withdrawn, withdrawn.Value!.Status);
        Assert.All(withdrawn.Value.Tasks.Where(t => t.Kind == TaskKind.Review), t => Assert.Equal(TaskState.Cancelled, t.State));
        Assert.All(_h.Tasks.Tasks.Values.Where(t => t.Kind == TaskKind.Review), t => Assert.Equal(TaskState.Cancelled, t.State));
        var told = Assert.Single(_h.Publisher.Published);
        Assert.Equal((CoDepartment, "cancelled"), (told.DepartmentCode, told.State));
        Assert.Equal("不再需要", withdrawn.Value.Withdrawal!.Reason);

        var again = await _h.Workflow.WithdrawAsync(IntakeHarness.Applicant, review.Id, new WithdrawRequest(null), CancellationToken.None);
        Assert.True(again.IsSuccess);
        Assert.Equal(withdrawn.Value.Timeline.Count, again.Value!.Timeline.Count);
    }

    [Fact]
    public async Task Withdraw_ByAnotherApplicant_IsNotFound()
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.WithdrawAsync(IntakeHarness.OtherApplicant, pending.Id, new WithdrawRequest(null), CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        Assert.Equal(ApplicationStatus.PendingAcceptance, _h.Current(pending).Status);
    }

    [Fact]
    public async Task DepartmentSystem_ReceivesItsTasksWithALinkAndNoPersonalData()
    {
        await _h.UnderReviewAsync();

        var message = Assert.Single(_h.Publisher.Published);
        Assert.Equal((CoDepartment, "review", "open"), (message.DepartmentCode, message.Kind, message.State));
        Assert.Equal($"https://api.example/api/tasks/{message.TaskId}", message.TaskUrl);
        var text = System.Text.Json.JsonSerializer.Serialize(message);
        Assert.DoesNotContain(IntakeHarness.ValidResidentId, text);
        Assert.DoesNotContain("卓玛", text);
    }

    [Fact]
    public async Task CrashBetweenTheCaseWriteAndItsSends_LosesNothing_TheRelayFinishesIt()
    {
        var pending = await _h.PendingAcceptanceAsync();
        _h.Queue.Fail = true;
        // Operators see outboxes left to the relay, by the failure's type (metric ali.cases.outbox.deferred).
        var deferred = new System.Collections.Concurrent.ConcurrentBag<string?>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "ali.cases.outbox.deferred")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "error")
                {
                    deferred.Add(tag.Value as string);
                }
            }
        });
        listener.Start();

        var accepted = await _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance).Id, new CompleteTaskRequest("accept", null, null), CancellationToken.None);

        Assert.True(accepted.IsSuccess);
        Assert.Contains(nameof(IOException), deferred);
        var saved = _h.Current(pending);
        Assert.Equal(ApplicationStatus.UnderReview, saved.Status);
        Assert.NotEmpty(saved.Outbox);
        Assert.DoesNotContain(_h.Tasks.Tasks.Values, t => t.Kind == TaskKind.Review);

        _h.Queue.Fail = false;
        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _h.Outbox.RelayAsync(10, CancellationToken.None));

        Assert.Empty(_h.Current(pending).Outbox);
        Assert.Equal(2, _h.Tasks.Tasks.Values.Count(t => t.Kind == TaskKind.Review));
        Assert.Contains("accepted", _h.EventTypes());
        Assert.Equal(0, await _h.Outbox.RelayAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentWriterBetweenReadAndWrite_IsRetriedFromAFreshRead()
    {
        var pending = await _h.PendingAcceptanceAsync();
        _h.Store.BeforeReplace = a => { _h.Store.BeforeReplace = null; _h.Store.Touch(a.OwnerId, a.Id); };

        await _h.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));

        Assert.Equal(ApplicationStatus.UnderReview, _h.Current(pending).Status);
        Assert.Equal(2, _h.Current(pending).Tasks.Count(t => t.Kind == TaskKind.Review));
    }

    [Fact]
    public async Task Worklist_IsTheCallersDepartmentsOpenTasks_SoonestDueFirst()
    {
        await _h.UnderReviewAsync();
        _h.Clock.Advance(TimeSpan.FromDays(1));
        await _h.PendingAcceptanceAsync();

        var list = await _h.Workflow.WorklistAsync(Reviewer, null, null, null, CancellationToken.None);
        var reviews = await _h.Workflow.WorklistAsync(Reviewer, "review", null, null, CancellationToken.None);
        var bad = await _h.Workflow.WorklistAsync(Reviewer, "other", 0, null, CancellationToken.None);

        Assert.Equal([TaskKind.Acceptance, TaskKind.Review], list.Value!.Items.Select(t => t.Kind));
        Assert.True(list.Value.Items[0].DueAt <= list.Value.Items[1].DueAt);
        Assert.All(list.Value.Items, t => Assert.Equal(ItemDepartment, t.DepartmentCode));
        Assert.Single(reviews.Value!.Items);
        Assert.Equal(["kind", "pageSize"], bad.Problem!.Errors!.Keys.Order());
    }

    [Fact]
    public async Task GetCase_ForASupervisorAndForADepartmentWithATask()
    {
        var review = await _h.UnderReviewAsync();

        Assert.True((await _h.Workflow.GetCaseAsync(SupervisorCaller, review.CaseNumber!, CancellationToken.None)).IsSuccess);
        Assert.True((await _h.Workflow.GetCaseAsync(CoReviewer, review.CaseNumber!, CancellationToken.None)).IsSuccess);
        Assert.Equal(ProblemKind.NotFound, (await _h.Workflow.GetCaseAsync(SupervisorCaller, "no-such-case", CancellationToken.None)).Problem!.Kind);
        var view = CaseView.From(review);
        Assert.DoesNotContain(IntakeHarness.ValidResidentId, System.Text.Json.JsonSerializer.Serialize(view));
    }

    [Fact]
    public void EveryTransition_MapsToAGbT39046StepType()
    {
        var known = new[] { "1", "2", "3", "4", "11", "12", "99" };
        Assert.All(CaseTransitions.Table.Values, t => Assert.Contains(t.StepType, known));
        Assert.Equal(Enum.GetValues<CaseAction>().Order(), CaseTransitions.Table.Keys.Order());
        Assert.DoesNotContain(ApplicationStatus.Completed, CaseTransitions.Table[CaseAction.Withdraw].From);
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Core.Tests.WorkingDays;
using Ali.Serverless.Evaluations;
using Ali.Serverless.Supervision;
using Ali.Serverless.WorkingDays;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Cases;

/// <summary>
/// Good and bad reviews (好差评): once per ended case, a bad one opens a rectification task due after the
/// configured working days, the department replies and the applicant reads it; appeals void or keep a
/// review; crashes and repeated outbox runs open one task; overdue rectifications raise warnings.
/// </summary>
public sealed class EvaluationTests
{
    private readonly CaseHarness _h = new();

    private static readonly Dictionary<string, int?> Online = new() { ["efficiency"] = 5, ["guideAccuracy"] = 4, ["convenience"] = 5, ["operability"] = 3 };

    private static EvaluateRequest Bad(string? text = "等了很久，电话13900000000没人接") => new(5, Online, text);

    private static EvaluateRequest Good() => new(1, Online.ToDictionary(p => p.Key, _ => (int?)1), null);

    private async Task<Application> CompletedAsync()
    {
        var subject = await _h.UnderReviewAsync();
        await _h.CompleteAsync(CoSystem, OpenTask(subject, TaskKind.Review, CoDepartment), new CompleteTaskRequest("approve", null, null));
        await _h.CompleteAsync(Reviewer, OpenTask(_h.Current(subject), TaskKind.Review), new CompleteTaskRequest("approve", null, null));
        await _h.CompleteAsync(Reviewer, OpenTask(_h.Current(subject), TaskKind.Decision), new CompleteTaskRequest("approve", "准予", null));
        return _h.Current(subject);
    }

    private async Task<Evaluation> EvaluateAsync(Application application, EvaluateRequest request)
    {
        var result = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, application.Id, request, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value!;
    }

    [Fact]
    public async Task A_bad_review_opens_a_rectification_task_whose_reply_the_applicant_reads()
    {
        var completed = await CompletedAsync();
        _h.Clock.Advance(TimeSpan.FromHours(1));

        var review = await EvaluateAsync(completed, Bad());

        Assert.Equal(EvaluationChannels.Online, review.Channel);
        Assert.Equal("等了很久，电话139****0000没人接", review.PublicText);
        var task = Assert.Single(_h.Tasks.Tasks.Values, t => t.Kind == TaskKind.Rectification);
        Assert.Equal(ItemDepartment, task.DepartmentCode);
        Assert.Equal(TaskState.Open, task.State);
        // 15 working days on the shipped calendar, ending at 24:00 China Standard Time.
        Assert.Equal(ShippedCalendar.Prefecture.DueAfter(_h.Clock.GetUtcNow(), 15).Value, task.DueAt);
        Assert.Equal(task.DueAt, review.Rectification!.DueAt);
        var worklist = await _h.Workflow.WorklistAsync(Reviewer, "rectification", null, null, CancellationToken.None);
        Assert.Equal(task.Id, Assert.Single(worklist.Value!.Items).Id);
        Assert.Contains(CaseEventTypes.TaskAssigned, _h.EventTypes());

        // The department sees the review with its task, and replies.
        var seen = await _h.Workflow.GetTaskAsync(Reviewer, task.Id, CancellationToken.None);
        Assert.Equal(5, seen.Value!.Case.Evaluation!.Satisfaction);
        var missingReply = await _h.Workflow.CompleteTaskAsync(Reviewer, task.Id, new CompleteTaskRequest("rectified", null, null), CancellationToken.None);
        Assert.Contains("opinion", missingReply.Problem!.Errors!.Keys);
        var wrongOutcome = await _h.Workflow.CompleteTaskAsync(Reviewer, task.Id, new CompleteTaskRequest("approve", "x", null), CancellationToken.None);
        Assert.Contains("outcome", wrongOutcome.Problem!.Errors!.Keys);
        await _h.CompleteAsync(Reviewer, task, new CompleteTaskRequest("rectified", "已核实，窗口已增加接听人员，向您致歉。", null));

        var after = _h.Current(completed).Evaluation!;
        Assert.Equal(RectificationState.Replied, after.Rectification!.State);
        Assert.Equal("已核实，窗口已增加接听人员，向您致歉。", after.Rectification.Reply);
        Assert.Equal(EvaluationView.From(after).Rectification!.Reply, after.Rectification.Reply);
        Assert.Contains(CaseEventTypes.RectificationReplied, _h.EventTypes());
        Assert.Equal(TaskState.Done, _h.Tasks.Tasks[(ItemDepartment, task.Id)].State);
        var copy = _h.Evaluations.Copies.Values.Single();
        Assert.Null(copy.Text);
        Assert.Equal(RectificationState.Replied, copy.Rectification!.State);
        Assert.NotNull(copy.ToFact().RectifiedAt);
        // The case stays completed and its timeline untouched: reviews are not handling steps.
        Assert.Equal(ApplicationStatus.Completed, _h.Current(completed).Status);
        Assert.Equal(completed.Timeline, _h.Current(completed).Timeline);
        var actions = _h.AuditStore.Chain(completed.CaseNumber!).Select(r => r.Action).ToList();
        Assert.Contains(EvaluationActions.Give, actions);
        Assert.Contains(EvaluationActions.Reply, actions);

        // Answered once: again is task-not-open.
        var again = await _h.Workflow.CompleteTaskAsync(Reviewer, task.Id, new CompleteTaskRequest("rectified", "再次", null), CancellationToken.None);
        Assert.Equal("task-not-open", again.Problem!.Type);
    }

    [Fact]
    public async Task A_case_is_rated_once_and_a_good_review_opens_no_task()
    {
        var completed = await CompletedAsync();

        var review = await EvaluateAsync(completed, Good());
        var second = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, Bad(), CancellationToken.None);

        Assert.False(review.IsBad);
        Assert.Null(review.Rectification);
        Assert.Equal("already-evaluated", second.Problem!.Type);
        Assert.DoesNotContain(_h.Tasks.Tasks.Values, t => t.Kind == TaskKind.Rectification);
        Assert.Single(_h.Evaluations.Copies);
    }

    [Fact]
    public async Task Two_reviews_racing_for_one_case_leave_the_first_written_and_refuse_the_other()
    {
        var completed = await CompletedAsync();
        // A good review from another device lands between the bad review's read and its write.
        Ali.Serverless.Common.Result<Evaluation>? rival = null;
        _h.Store.BeforeReplace = _ =>
        {
            _h.Store.BeforeReplace = null;
            rival = _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, Good(), CancellationToken.None).GetAwaiter().GetResult();
        };

        var late = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, Bad(), CancellationToken.None);

        var raced = rival ?? throw new InvalidOperationException("The rival review never ran.");
        Assert.True(raced.IsSuccess, raced.Problem?.Detail);
        Assert.Equal("already-evaluated", late.Problem!.Type);
        Assert.Equal(1, _h.Current(completed).Evaluation!.Satisfaction);
        Assert.DoesNotContain(_h.Tasks.Tasks.Values, t => t.Kind == TaskKind.Rectification);
        Assert.Single(_h.Evaluations.Copies);
    }

    [Fact]
    public async Task Only_an_ended_case_is_rated_and_only_by_its_owner()
    {
        var running = await _h.UnderReviewAsync();
        var early = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, running.Id, Good(), CancellationToken.None);
        Assert.Equal("evaluation-not-open", early.Problem!.Type);

        await _h.Workflow.WithdrawAsync(IntakeHarness.Applicant, running.Id, new WithdrawRequest(null), CancellationToken.None);
        var withdrawn = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, running.Id, Good(), CancellationToken.None);
        Assert.Equal("evaluation-not-open", withdrawn.Problem!.Type);

        var refused = await _h.PendingAcceptanceAsync();
        await _h.CompleteAsync(Reviewer, OpenTask(refused, TaskKind.Acceptance), new CompleteTaskRequest("not-accept", "不属于本部门职责", null));
        var stranger = await _h.Workflow.EvaluateAsync(IntakeHarness.OtherApplicant, refused.Id, Good(), CancellationToken.None);
        Assert.Equal(global::Ali.Serverless.Common.ProblemKind.NotFound, stranger.Problem!.Kind);
        Assert.True((await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, refused.Id, Good(), CancellationToken.None)).IsSuccess);
    }

    [Theory]
    [InlineData(0, "satisfaction")]
    [InlineData(6, "satisfaction")]
    [InlineData(null, "satisfaction")]
    public async Task Satisfaction_is_one_to_five(int? satisfaction, string field)
    {
        var completed = await CompletedAsync();

        var result = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, new EvaluateRequest(satisfaction, Online, null), CancellationToken.None);

        Assert.Contains(field, result.Problem!.Errors!.Keys);
        Assert.Null(_h.Current(completed).Evaluation);
    }

    [Fact]
    public async Task Indicators_are_the_channels_each_one_to_five_and_the_text_follows_the_free_text_rule()
    {
        var completed = await CompletedAsync();
        var indicators = new Dictionary<string, int?>(Online) { ["attitude"] = 2, ["efficiency"] = 9 };
        indicators.Remove("operability");

        var result = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, new EvaluateRequest(3, indicators, "bad\u202Etext"), CancellationToken.None);
        var none = await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, new EvaluateRequest(3, null, null), CancellationToken.None);

        var errors = result.Problem!.Errors!;
        Assert.Contains("indicators.attitude", errors.Keys);
        Assert.Contains("indicators.efficiency", errors.Keys);
        Assert.Contains("indicators.operability", errors.Keys);
        Assert.Contains("text", errors.Keys);
        Assert.Contains("indicators", none.Problem!.Errors!.Keys);
        Assert.Null(_h.Current(completed).Evaluation);
    }

    [Fact]
    public async Task The_hall_clerk_records_a_window_applications_rating_on_the_hall_indicators()
    {
        var draft = await _h.Intake.ReadyDraftAsync(IntakeHarness.Clerk);
        await _h.Intake.Intake.SubmitAsync(IntakeHarness.Clerk, draft.Id, CancellationToken.None);
        var pending = (await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], CancellationToken.None)).Value!;
        await _h.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("not-accept", "材料不属于本事项", null));
        if (_h.Current(pending).Channel != global::Ali.Serverless.Catalog.Channel.Window)
        {
            Assert.Fail("The clerk's draft is expected to be a window application.");
        }

        var online = await _h.Workflow.EvaluateAsync(IntakeHarness.Clerk, pending.Id, Good(), CancellationToken.None);
        Assert.Contains("indicators.guideAccuracy", online.Problem!.Errors!.Keys);
        var hall = await _h.Workflow.EvaluateAsync(IntakeHarness.Clerk, pending.Id,
            new EvaluateRequest(2, new Dictionary<string, int?> { ["efficiency"] = 2, ["competence"] = 1, ["attitude"] = 1 }, null), CancellationToken.None);

        Assert.True(hall.IsSuccess, hall.Problem?.Detail);
        Assert.Equal(EvaluationChannels.Hall, hall.Value!.Channel);
        Assert.Equal(IntakeHarness.Clerk.Subject, hall.Value.RecordedBy);
    }

    [Fact]
    public async Task An_upheld_appeal_voids_the_review_and_cancels_its_rectification()
    {
        var completed = await CompletedAsync();
        await EvaluateAsync(completed, Bad());
        var caseNumber = completed.CaseNumber!;

        var stranger = await _h.Workflow.AppealEvaluationAsync(Stranger, caseNumber, new AppealEvaluationRequest("恶意差评"), CancellationToken.None);
        Assert.Equal(global::Ali.Serverless.Common.ProblemKind.NotFound, stranger.Problem!.Kind);
        var noReason = await _h.Workflow.AppealEvaluationAsync(Reviewer, caseNumber, new AppealEvaluationRequest(" "), CancellationToken.None);
        Assert.Contains("reason", noReason.Problem!.Errors!.Keys);
        var appealed = await _h.Workflow.AppealEvaluationAsync(Reviewer, caseNumber, new AppealEvaluationRequest("申请人评价的是另一部门的服务"), CancellationToken.None);
        Assert.Equal("appealed", EvaluationView.StatusOf(appealed.Value!));
        var waiting = await new EvaluationQueries(_h.Evaluations, _h.Intake.Catalog.Object).PendingAppealsAsync(null, null, CancellationToken.None);
        Assert.Equal(caseNumber, Assert.Single(waiting.Value!.Items).CaseNumber);
        Assert.Contains(CaseEventTypes.EvaluationAppealed, _h.EventTypes());
        var twice = await _h.Workflow.AppealEvaluationAsync(Reviewer, caseNumber, new AppealEvaluationRequest("再次申诉"), CancellationToken.None);
        Assert.Equal("appeal-exists", twice.Problem!.Type);

        var byReviewer = await _h.Workflow.DecideAppealAsync(Reviewer, caseNumber, new DecideAppealRequest("upheld", "x"), CancellationToken.None);
        Assert.Equal(global::Ali.Serverless.Common.ProblemKind.NotFound, byReviewer.Problem!.Kind);
        var badOutcome = await _h.Workflow.DecideAppealAsync(SupervisorCaller, caseNumber, new DecideAppealRequest("void", "x"), CancellationToken.None);
        Assert.Contains("outcome", badOutcome.Problem!.Errors!.Keys);
        var decided = await _h.Workflow.DecideAppealAsync(SupervisorCaller, caseNumber, new DecideAppealRequest("upheld", "经核实，评价对象有误"), CancellationToken.None);

        Assert.True(decided.Value!.Voided);
        Assert.Equal(RectificationState.Cancelled, decided.Value.Rectification!.State);
        var task = _h.Tasks.Tasks.Values.Single(t => t.Kind == TaskKind.Rectification);
        Assert.Equal(TaskState.Cancelled, task.State);
        var facts = await _h.Evaluations.ListEvaluatedBetweenAsync(IntakeHarness.Start, _h.Clock.GetUtcNow().AddDays(1), CancellationToken.None);
        Assert.True(Assert.Single(facts).Voided);
        Assert.Empty((await _h.Evaluations.ListPublishedAsync(ItemDepartment, null, 10, null, CancellationToken.None)).Items);
        var again = await _h.Workflow.DecideAppealAsync(SupervisorCaller, caseNumber, new DecideAppealRequest("rejected", "x"), CancellationToken.None);
        Assert.Equal("appeal-decided", again.Problem!.Type);
        Assert.Contains(EvaluationActions.Decide, _h.AuditStore.Chain(caseNumber).Select(r => r.Action));
        // A cancelled rectification raises no warning, however late.
        _h.Clock.Advance(TimeSpan.FromDays(60));
        await _h.Supervisor.RunAsync(CancellationToken.None);
        Assert.DoesNotContain(_h.Warnings.Warnings.Values, w => w.TaskId == task.Id);
    }

    [Fact]
    public async Task A_rejected_appeal_leaves_the_review_standing()
    {
        var completed = await CompletedAsync();
        await EvaluateAsync(completed, Bad());
        await _h.Workflow.AppealEvaluationAsync(Reviewer, completed.CaseNumber!, new AppealEvaluationRequest("恶意差评"), CancellationToken.None);

        var decided = await _h.Workflow.DecideAppealAsync(SupervisorCaller, completed.CaseNumber!, new DecideAppealRequest("rejected", "评价属实"), CancellationToken.None);

        Assert.False(decided.Value!.Voided);
        Assert.Equal("standing", EvaluationView.StatusOf(decided.Value));
        Assert.Equal(RectificationState.Open, decided.Value.Rectification!.State);
        Assert.Single((await _h.Evaluations.ListPublishedAsync(ItemDepartment, completed.ItemCode, 10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task A_good_review_cannot_be_appealed()
    {
        var completed = await CompletedAsync();
        await EvaluateAsync(completed, Good());

        var appeal = await _h.Workflow.AppealEvaluationAsync(Reviewer, completed.CaseNumber!, new AppealEvaluationRequest("误评"), CancellationToken.None);

        Assert.Equal("evaluation-not-bad", appeal.Problem!.Type);
    }

    [Fact]
    public async Task A_crash_after_the_write_is_finished_by_the_relay_and_repeated_effects_open_one_task()
    {
        var completed = await CompletedAsync();
        _h.Queue.Fail = _h.Publisher.Fail = true;
        await _h.Workflow.EvaluateAsync(IntakeHarness.Applicant, completed.Id, Bad(), CancellationToken.None);
        _h.Queue.Fail = _h.Publisher.Fail = false;
        var saved = _h.Current(completed);
        Assert.NotNull(saved.Evaluation);
        Assert.Contains(saved.Outbox, e => e.Kind == OutboxKind.CaseEvent);

        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        await _h.Outbox.RelayAsync(10, CancellationToken.None);
        // The same outbox done once more (a relay racing the writer): nothing new.
        var stale = saved;
        await _h.Outbox.DispatchAsync(new Stored<Application>(stale, "stale"), CancellationToken.None);

        Assert.Empty(_h.Current(completed).Outbox);
        Assert.Single(_h.Tasks.Tasks.Values, t => t.Kind == TaskKind.Rectification);
        Assert.Single(_h.Evaluations.Copies);
        var events = _h.Queue.Sent.Where(s => s.Queue == global::Ali.Serverless.Storage.StorageNames.CaseEventsQueue).Select(s => System.Text.Json.JsonDocument.Parse(s.Text).RootElement)
            .Where(e => e.GetProperty("type").GetString() == CaseEventTypes.TaskAssigned && e.GetProperty("taskId").GetString() == saved.Evaluation!.Rectification!.TaskId)
            .Select(e => e.GetProperty("eventId").GetString()).ToList();
        Assert.NotEmpty(events);
        Assert.Single(events.Distinct());
        Assert.Single(_h.AuditStore.Chain(completed.CaseNumber!), r => r.Action == EvaluationActions.Give);
    }

    [Fact]
    public async Task An_overdue_rectification_raises_a_supervision_warning()
    {
        var completed = await CompletedAsync();
        var review = await EvaluateAsync(completed, Bad());

        _h.Clock.Now = review.Rectification!.DueAt.AddMinutes(1);
        await _h.Supervisor.RunAsync(CancellationToken.None);

        var warning = Assert.Single(_h.Warnings.Warnings.Values, w => w.TaskId == review.Rectification.TaskId && w.Level == WarningLevels.Overdue);
        Assert.Equal(ItemDepartment, warning.DepartmentCode);
        Assert.Equal("rectification", warning.Limit);
    }

    [Theory]
    [InlineData("电话13900000000", "电话139****0000")]
    [InlineData("身份证11010519491231002X办的", "身份证110***********002X办的")]
    [InlineData("打了139 0000 0000", "打了139****0000")]
    [InlineData("号码1234567", "号码*******")]
    [InlineData("等了123456天", "等了123456天")]
    [InlineData("２０２６年等了３天", "２０２６年等了３天")]
    [InlineData(null, null)]
    public void Public_text_masks_runs_that_could_be_a_phone_or_an_identity_number(string? typed, string? published)
    {
        Assert.Equal(published, EvaluationText.Mask(typed));
    }
}

using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Notifications;
using Ali.Serverless.Storage;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Notifications;

/// <summary>Case events become inbox entries and SMS for the right people, in their language, once.</summary>
public sealed class NotificationTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private readonly NotificationHarness _n = new();
    private CaseHarness H => _n.Cases;

    private async Task<Application> WholeLifecycleAsync()
    {
        var pending = await H.PendingAcceptanceAsync();
        await H.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("supplement", "请补正", [new("M02", "照片不清晰")]));
        H.Clock.Advance(TimeSpan.FromMinutes(5));
        var pdf = IntakeHarness.Pdf();
        var id = await H.Intake.DeclareAsync(pending, IntakeHarness.Declaration("M02", "M02.pdf", "application/pdf", pdf.Length, IntakeHarness.Sha256Hex(pdf)));
        await H.Intake.Intake.CompleteMaterialAsync(IntakeHarness.Applicant, pending.Id, id, CancellationToken.None);
        await H.Workflow.ResubmitAsync(IntakeHarness.Applicant, pending.Id, CancellationToken.None);
        await H.CompleteAsync(Reviewer, OpenTask(H.Current(pending), TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));
        await H.CompleteAsync(CoSystem, OpenTask(H.Current(pending), TaskKind.Review, CoDepartment), new CompleteTaskRequest("approve", null, null));
        await H.CompleteAsync(Reviewer, OpenTask(H.Current(pending), TaskKind.Review), new CompleteTaskRequest("approve", null, null));
        await H.CompleteAsync(Reviewer, OpenTask(H.Current(pending), TaskKind.Decision), new CompleteTaskRequest("approve", "准予许可", null));
        await _n.NotifyQueuedEventsAsync();
        return H.Current(pending);
    }

    [Fact]
    public async Task WholeLifecycle_TellsTheApplicantEachStepInOrder_AndEachDepartmentItsTasks()
    {
        var completed = await WholeLifecycleAsync();

        Assert.Equal(
            ["submitted.applicant", "supplement-requested.applicant", "resubmitted.applicant", "accepted.applicant", "completed.applicant"],
            _n.Inbox(completed.OwnerId).Select(n => n.TemplateId));
        Assert.Equal(4, _n.Inbox(NotificationPlanner.DepartmentRecipient(ItemDepartment)).Count(n => n.Event == "task-assigned"));
        Assert.Equal(["task-assigned.department"], _n.Inbox(NotificationPlanner.DepartmentRecipient(CoDepartment)).Select(n => n.TemplateId));

        var supplement = _n.Inbox(completed.OwnerId)[1];
        Assert.Contains("居民身份证（M02）：照片不清晰", supplement.Body);
        var accepted = _n.Inbox(completed.OwnerId)[3];
        Assert.Contains(completed.CaseNumber!, accepted.Body);
        // Promised limit ends 24:00 of the 10th working day after acceptance, written as a Chinese reader writes dates.
        Assert.Contains(NotificationPlanner.Date(completed.PromisedDueAt!.Value, Language.Chinese), accepted.Body);
        Assert.Matches(@"\d{4}年\d{1,2}月\d{1,2}日", accepted.Body);
        Assert.Contains("准予", _n.Inbox(completed.OwnerId)[4].Body);
        Assert.All(_n.Store.All, n => Assert.DoesNotContain("{", n.Body));
        Assert.All(_n.Store.All, n => Assert.Equal(1, n.TemplateVersion));
    }

    [Fact]
    public async Task SameEventTwice_NotifiesOnce_AndSendsOneSms()
    {
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();
        var before = _n.Store.All.Count();
        var submitted = H.Queue.Sent.First(s => s.Queue == global::Ali.Serverless.Storage.StorageNames.CaseEventsQueue);

        var again = await _n.Service.HandleCaseEventAsync(JsonSerializer.Deserialize<CaseEventMessage>(submitted.Text, DocumentJson.Options)!, CancellationToken.None);
        await _n.DeliverQueuedAsync();
        await _n.DeliverQueuedAsync();

        Assert.Equal(0, again);
        Assert.Equal(before, _n.Store.All.Count());
        Assert.Single(_n.Gateway.Sent);
        Assert.Equal(NotificationStatuses.Delivered, Assert.Single(_n.Sms()).Status);
    }

    [Fact]
    public async Task TibetanPreference_WithoutATibetanTemplate_FallsBackToChinese_AndIsCounted()
    {
        _n.Preferences.Items["applicant:user-7f3a"] = new Preferences("applicant:user-7f3a", Language.Tibetan, IntakeHarness.Start);

        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();

        var inbox = Assert.Single(_n.Inbox("applicant:user-7f3a"));
        Assert.Equal((Language.Chinese, true), (inbox.Language, inbox.FellBack));
        Assert.Contains(await _n.Service.CountsAsync(CancellationToken.None), c => c.FellBack && c.Count >= 1);
    }

    [Fact]
    public async Task TibetanPreference_WithATibetanTemplate_GetsIt()
    {
        // Marked test data, not Tibetan: the mechanism is what is tested.
        var json = File.ReadAllText(NotificationHarness.TemplatesPath).Replace(
            "\"body\": {\n        \"zh\": \"您申请的“{itemName}”已提交", "\"body\": {\n        \"bo\": \"[TEST-BO] {caseNumber} {itemName}\",\n        \"zh\": \"您申请的“{itemName}”已提交", StringComparison.Ordinal);
        var n = new NotificationHarness(TemplateCatalog.Parse(json));
        n.Preferences.Items["applicant:user-7f3a"] = new Preferences("applicant:user-7f3a", Language.Tibetan, IntakeHarness.Start);

        var pending = await n.Cases.PendingAcceptanceAsync();
        await n.NotifyQueuedEventsAsync();

        var inbox = Assert.Single(n.Inbox("applicant:user-7f3a"));
        Assert.Equal((Language.Tibetan, false), (inbox.Language, inbox.FellBack));
        Assert.StartsWith($"[TEST-BO] {pending.CaseNumber} ཚོང་པ", inbox.Body);
    }

    [Fact]
    public async Task AcceptLanguageOfTheApplicantsRequests_IsUsedWithoutAPreference()
    {
        var draft = await H.Intake.ReadyDraftAsync(IntakeHarness.Applicant with { Language = Language.Tibetan });

        Assert.Equal(Language.Tibetan, draft.Language);
    }

    [Fact]
    public async Task Sms_IsMaskedInTheRecord_AndNeverHoldsTheNumber()
    {
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();
        await _n.DeliverQueuedAsync();

        var sms = Assert.Single(_n.Sms());
        Assert.Equal("1380***0000", sms.PhoneMasked);
        Assert.DoesNotContain("13800000000", JsonSerializer.Serialize(sms, DocumentJson.Options));
        Assert.Equal("13800000000", Assert.Single(_n.Gateway.Sent).PhoneNumber);
        Assert.DoesNotContain(H.Queue.Sent, s => s.Text.Contains("13800000000"));
    }

    [Fact]
    public async Task GatewayFailingOnceThenAccepting_EndsDeliveredAfterARetry()
    {
        _n.Gateway.Script.Enqueue(SmsSendOutcome.Retryable);
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();

        await _n.DeliverQueuedAsync();

        var sms = Assert.Single(_n.Sms());
        Assert.Equal(NotificationStatuses.Delivered, sms.Status);
        Assert.Equal(["retryable", "accepted"], sms.Attempts.Select(a => a.Outcome));
        Assert.Equal("sid-2", sms.ProviderMessageId);
    }

    [Fact]
    public async Task GatewayAlwaysFailing_EndsPermanentFailure_AndLeavesTheCaseAlone()
    {
        _n.Gateway.Always = SmsSendOutcome.Retryable;
        var pending = await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();
        var caseBefore = H.Current(pending);

        await _n.DeliverQueuedAsync();

        var sms = Assert.Single(_n.Sms());
        Assert.Equal(NotificationStatuses.PermanentFailure, sms.Status);
        Assert.Equal(_n.Options.MaxAttempts, sms.Attempts.Count);
        Assert.Equal(caseBefore, H.Current(pending));
    }

    [Fact]
    public async Task RefusedByTheProvider_IsAPermanentFailureWithoutRetry()
    {
        _n.Gateway.Always = SmsSendOutcome.Refused;
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();

        await _n.DeliverQueuedAsync();

        Assert.Single(_n.Gateway.Sent);
        Assert.Equal(NotificationStatuses.PermanentFailure, Assert.Single(_n.Sms()).Status);
    }

    [Fact]
    public async Task DuringQuietHours_TheSmsWaitsUntilMorning()
    {
        H.Clock.Now = new DateTimeOffset(2026, 3, 10, 23, 30, 0, Cst);
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();

        await _n.DeliverQueuedAsync();

        var held = Assert.Single(_n.Sms());
        Assert.Equal((NotificationStatuses.Created, new DateTimeOffset(2026, 3, 11, 8, 0, 0, Cst)), (held.Status, held.NotBefore));
        Assert.Empty(_n.Gateway.Sent);
        Assert.Equal(0, await _n.Service.RelayAsync(10, CancellationToken.None));

        H.Clock.Now = new DateTimeOffset(2026, 3, 11, 8, 1, 0, Cst);
        Assert.Equal(1, await _n.Service.RelayAsync(10, CancellationToken.None));
        await _n.DeliverQueuedAsync();

        Assert.Equal(NotificationStatuses.Delivered, Assert.Single(_n.Sms()).Status);
    }

    /// <summary>Plays a crash after the claim: the SMS left 'sending', its delivery message gone.</summary>
    private async Task<Notification> ClaimedThenCrashedAsync(Func<Notification, Notification> claim)
    {
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();
        H.Queue.Sent.RemoveAll(m => m.Queue == StorageNames.NotificationDeliveriesQueue);
        var sms = Assert.Single(_n.Sms());
        var stored = await _n.Store.GetAsync(sms.Recipient, sms.Id, CancellationToken.None);
        return (await _n.Store.ReplaceAsync(claim(stored!.Value with { Status = NotificationStatuses.Sending, UpdatedAt = H.Clock.GetUtcNow() }), stored.ETag, CancellationToken.None))!.Value;
    }

    [Fact]
    public async Task ADeliveryInterruptedAfterItsClaim_IsSentAgain_OnceTheClaimIsLongPast()
    {
        await ClaimedThenCrashedAsync(n => n);

        H.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await _n.Service.RelayAsync(10, CancellationToken.None));
        Assert.Equal(NotificationStatuses.Sending, Assert.Single(_n.Sms()).Status);

        H.Clock.Advance(_n.Options.InterruptedAfter);
        Assert.Equal(1, await _n.Service.RelayAsync(10, CancellationToken.None));
        await _n.DeliverQueuedAsync();

        var sms = Assert.Single(_n.Sms());
        Assert.Equal(NotificationStatuses.Delivered, sms.Status);
        Assert.Single(_n.Gateway.Sent);
        Assert.Equal(["interrupted", "accepted"], sms.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task AnSmsTheProviderAccepted_AwaitingItsReceipt_IsNeverSentAgain()
    {
        await ClaimedThenCrashedAsync(n => n with { SentAt = H.Clock.GetUtcNow(), ProviderMessageId = "provider-1" });

        H.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _n.Service.RelayAsync(10, CancellationToken.None));

        Assert.Equal(NotificationStatuses.Sending, Assert.Single(_n.Sms()).Status);
        Assert.Empty(_n.Gateway.Sent);
    }

    [Fact]
    public void QuietHours_CoverLateEveningAndEarlyMorning_InChinaStandardTime()
    {
        var options = _n.Options;
        Assert.Null(options.QuietUntil(new DateTimeOffset(2026, 3, 10, 21, 59, 0, Cst)));
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 8, 0, 0, Cst), options.QuietUntil(new DateTimeOffset(2026, 3, 10, 22, 0, 0, Cst)));
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 8, 0, 0, Cst), options.QuietUntil(new DateTimeOffset(2026, 3, 10, 18, 30, 0, TimeSpan.Zero)));
        Assert.Null(options.QuietUntil(new DateTimeOffset(2026, 3, 11, 8, 0, 0, Cst)));
    }

    [Fact]
    public async Task DailyLimitPerPhone_HoldsFurtherSmsUntilTomorrowMorning()
    {
        for (var i = 0; i < 4; i++)
        {
            await H.PendingAcceptanceAsync();
        }
        await _n.NotifyQueuedEventsAsync();

        await _n.DeliverQueuedAsync();

        Assert.Equal(3, _n.Gateway.Sent.Count);
        var held = Assert.Single(_n.Sms(), s => s.Status == NotificationStatuses.Created);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 8, 0, 0, Cst), held.NotBefore);
    }

    [Fact]
    public async Task DeliveryReceipts_MoveSendingToDeliveredOrTemporaryFailure()
    {
        var withReceipts = _n.Options with { ProviderSendsReceipts = true };
        var service = new NotificationService(_n.Store, _n.Preferences, H.Store, H.Intake.Catalog.Object, _n.Planner, _n.Gateway, H.Queue, H.Clock, withReceipts, H.Intake.Linked);
        await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();
        var request = JsonSerializer.Deserialize<DeliveryRequest>(H.Queue.Sent.Last(s => s.Queue == global::Ali.Serverless.Storage.StorageNames.NotificationDeliveriesQueue).Text, DocumentJson.Options)!;

        var sent = await service.DeliverAsync(request, CancellationToken.None);
        Assert.Equal(NotificationStatuses.Sending, sent!.Status);

        Assert.Equal(1, await service.ApplyReceiptsAsync([new DeliveryReceipt(sent.ProviderMessageId!, false, null, "handset off")], CancellationToken.None));
        Assert.Equal(NotificationStatuses.TemporaryFailure, Assert.Single(_n.Sms()).Status);
        Assert.Equal(0, await service.ApplyReceiptsAsync([new DeliveryReceipt("unknown", true, null, null)], CancellationToken.None));
    }

    [Fact]
    public async Task Warnings_GoToTheResponsibleDepartmentAndToSupervisors()
    {
        var pending = await H.PendingAcceptanceAsync();
        H.Clock.Now = new DateTimeOffset(2026, 3, 16, 10, 0, 0, Cst);
        await H.Supervisor.RunAsync(CancellationToken.None);
        var warning = JsonSerializer.Deserialize<global::Ali.Serverless.Supervision.SupervisionWarning>(
            H.Queue.Sent.Single(s => s.Queue == global::Ali.Serverless.Storage.StorageNames.SupervisionWarningsQueue).Text, DocumentJson.Options)!;

        await _n.Service.HandleWarningAsync(warning, CancellationToken.None);
        await _n.Service.HandleWarningAsync(warning, CancellationToken.None);

        var department = Assert.Single(_n.Inbox(NotificationPlanner.DepartmentRecipient(ItemDepartment)));
        Assert.Equal("near-due.department", department.TemplateId);
        Assert.Contains("受理", department.Body);
        Assert.Contains("2026年3月17日", department.Body);
        Assert.Equal("near-due.supervisor", Assert.Single(_n.Inbox(NotificationPlanner.Supervisors)).TemplateId);
        Assert.Equal(pending.CaseNumber, department.CaseNumber);
    }

    [Fact]
    public async Task Inbox_UnreadFilter_AndMarkingRead()
    {
        var pending = await H.PendingAcceptanceAsync();
        await _n.NotifyQueuedEventsAsync();
        var inbox = await _n.Service.InboxAsync(IntakeHarness.Applicant, "true", null, null, CancellationToken.None);
        var entry = Assert.Single(inbox.Value!.Items);

        var read = await _n.Service.MarkReadAsync(IntakeHarness.Applicant, entry.Id, CancellationToken.None);
        var other = await _n.Service.MarkReadAsync(IntakeHarness.OtherApplicant, entry.Id, CancellationToken.None);

        Assert.NotNull(read.Value!.ReadAt);
        Assert.Equal(ProblemKind.NotFound, other.Problem!.Kind);
        Assert.Empty((await _n.Service.InboxAsync(IntakeHarness.Applicant, "true", null, null, CancellationToken.None)).Value!.Items);
        Assert.Equal("unread", Assert.Single((await _n.Service.InboxAsync(IntakeHarness.Applicant, "yes", null, null, CancellationToken.None)).Problem!.Errors!.Keys));
        var forCase = await _n.Service.ForApplicationAsync(IntakeHarness.Applicant, pending.Id, null, null, CancellationToken.None);
        Assert.Equal(2, forCase.Value!.Items.Count);
        Assert.Equal(ProblemKind.NotFound, (await _n.Service.ForApplicationAsync(IntakeHarness.OtherApplicant, pending.Id, null, null, CancellationToken.None)).Problem!.Kind);
    }
}

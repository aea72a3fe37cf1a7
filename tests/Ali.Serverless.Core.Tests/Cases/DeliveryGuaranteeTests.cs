using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Cases;

/// <summary>
/// At-least-once delivery and crashes: a step whose sends fail after its write is finished by the relay
/// with nothing lost, and doing an outbox twice changes nothing more.
/// </summary>
public sealed class DeliveryGuaranteeTests
{
    private readonly CaseHarness _h = new();

    public static TheoryData<string> Steps => new() { "pre-check", "accept", "supplement", "review", "decision", "withdraw", "suspend", "resume" };

    /// <summary>Brings a case to just before <paramref name="step"/>, then runs the step with every send failing.</summary>
    private async Task<Application> RunStepWithSendsFailingAsync(string step)
    {
        Application subject;
        Func<Task> act;
        switch (step)
        {
            case "pre-check":
                var draft = await _h.Intake.ReadyDraftAsync();
                await _h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, CancellationToken.None);
                subject = draft;
                act = () => _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], CancellationToken.None);
                break;
            case "accept":
            case "supplement":
                subject = await _h.PendingAcceptanceAsync();
                var request = step == "accept" ? new CompleteTaskRequest("accept", null, null) : new CompleteTaskRequest("supplement", null, [new("M01", "不清晰")]);
                act = () => _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(subject, TaskKind.Acceptance).Id, request, CancellationToken.None);
                break;
            case "review":
                subject = await _h.UnderReviewAsync();
                act = () => _h.Workflow.CompleteTaskAsync(CoSystem, OpenTask(subject, TaskKind.Review, CoDepartment).Id, new CompleteTaskRequest("approve", null, null), CancellationToken.None);
                break;
            case "decision":
                subject = await _h.UnderReviewAsync();
                await _h.CompleteAsync(CoSystem, OpenTask(subject, TaskKind.Review, CoDepartment), new CompleteTaskRequest("approve", null, null));
                await _h.CompleteAsync(Reviewer, OpenTask(_h.Current(subject), TaskKind.Review), new CompleteTaskRequest("approve", null, null));
                act = () => _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(_h.Current(subject), TaskKind.Decision).Id, new CompleteTaskRequest("reject", "不符合条件", null), CancellationToken.None);
                break;
            case "withdraw":
                subject = await _h.UnderReviewAsync();
                act = () => _h.Workflow.WithdrawAsync(IntakeHarness.Applicant, subject.Id, new WithdrawRequest(null), CancellationToken.None);
                break;
            case "suspend":
                subject = await _h.UnderReviewAsync();
                act = () => _h.Workflow.StartSpecialProcedureAsync(Reviewer, subject.CaseNumber!, new StartSpecialProcedureRequest("testing", "检测"), CancellationToken.None);
                break;
            default:
                subject = await _h.UnderReviewAsync();
                var started = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, subject.CaseNumber!, new StartSpecialProcedureRequest("testing", "检测"), CancellationToken.None);
                _h.Clock.Advance(TimeSpan.FromDays(2));
                act = () => _h.Workflow.EndSpecialProcedureAsync(Reviewer, subject.CaseNumber!, started.Value!.Id, new EndSpecialProcedureRequest("合格"), CancellationToken.None);
                break;
        }
        _h.Queue.Fail = _h.Publisher.Fail = true;
        await act();
        _h.Queue.Fail = _h.Publisher.Fail = false;
        return subject;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task CrashBetweenTheWriteAndItsSends_TheRelayDeliversEverything(string step)
    {
        var subject = await RunStepWithSendsFailingAsync(step);
        var saved = _h.Current(subject);
        Assert.NotEmpty(saved.Outbox);
        var expectedEvents = saved.Outbox.Where(e => e.Kind == OutboxKind.CaseEvent).Select(e => e.Id).ToHashSet();

        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        await _h.Outbox.RelayAsync(10, CancellationToken.None);

        var finished = _h.Current(subject);
        Assert.Empty(finished.Outbox);
        Assert.All(finished.Tasks, t => Assert.True(t.SameAs(_h.Tasks.Tasks[(t.DepartmentCode, t.Id)]), $"The department's copy of {t.Id} differs."));
        var sentEvents = _h.Queue.Sent.Select(s => System.Text.Json.JsonDocument.Parse(s.Text).RootElement)
            .Where(e => e.TryGetProperty("eventId", out _)).Select(e => e.GetProperty("eventId").GetString()!).ToHashSet();
        Assert.Subset(sentEvents, expectedEvents);
        Assert.Equal(0, await _h.Outbox.RelayAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task SameOutboxDoneTwice_ChangesNothingMore_AndRepeatsEventIds()
    {
        var pending = await _h.PendingAcceptanceAsync();
        _h.Queue.Fail = true;
        await _h.Workflow.CompleteTaskAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance).Id, new CompleteTaskRequest("accept", null, null), CancellationToken.None);
        _h.Queue.Fail = false;
        var stale = await _h.Store.GetAsync(pending.OwnerId, pending.Id, CancellationToken.None);

        // Two relays race on the same outbox: both do every effect.
        await _h.Outbox.DispatchAsync(stale!, CancellationToken.None);
        var tasksAfterFirst = _h.Tasks.Tasks.ToDictionary();
        var sentAfterFirst = _h.Queue.Sent.Count;
        await _h.Outbox.DispatchAsync(stale!, CancellationToken.None);

        Assert.Equal(tasksAfterFirst, _h.Tasks.Tasks);
        Assert.Empty(_h.Current(pending).Outbox);
        var duplicates = _h.Queue.Sent.Skip(sentAfterFirst).Select(s => s.Text).ToList();
        Assert.All(duplicates, d => Assert.Contains(d, _h.Queue.Sent.Take(sentAfterFirst).Select(s => s.Text)));
        // A department's system gets the same message id again, which Service Bus drops as a duplicate.
        Assert.Equal(_h.Publisher.Published.Count / 2, _h.Publisher.Published.Distinct().Count());
    }
}

using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Notifications;

/// <summary>A whole case, notified and texted: no queue message, task message or notification record carries the person's ID or phone number.</summary>
public sealed class PersonalDataTests
{
    [Fact]
    public async Task AWholeCase_PutsNoIdentityOrPhoneNumberOnAnyQueueOrRecord()
    {
        var n = new NotificationHarness();
        var h = n.Cases;
        var pending = await h.PendingAcceptanceAsync();
        await h.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));
        await h.CompleteAsync(CoSystem, OpenTask(h.Current(pending), TaskKind.Review, CoDepartment), new CompleteTaskRequest("approve", null, null));
        await h.CompleteAsync(Reviewer, OpenTask(h.Current(pending), TaskKind.Review), new CompleteTaskRequest("approve", null, null));
        await h.CompleteAsync(Reviewer, OpenTask(h.Current(pending), TaskKind.Decision), new CompleteTaskRequest("approve", null, null));
        await n.NotifyQueuedEventsAsync();
        await n.DeliverQueuedAsync();

        var everything = h.Queue.Sent.Select(s => s.Text)
            .Concat(h.Publisher.Published.Select(m => System.Text.Json.JsonSerializer.Serialize(m)))
            .Concat(n.Store.All.Select(r => System.Text.Json.JsonSerializer.Serialize(r)))
            .Concat(h.Tasks.Tasks.Values.Select(t => System.Text.Json.JsonSerializer.Serialize(t)))
            .ToList();
        Assert.NotEmpty(n.Gateway.Sent);
        Assert.All(everything, text =>
        {
            Assert.DoesNotContain(IntakeHarness.ValidResidentId, text);
            Assert.DoesNotContain("13800000000", text);
        });
    }
}

using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Notifications;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Core.Tests.Applications;

/// <summary>
/// The ownership check of what was sent about an application: the same callers pass as for reading the
/// application itself, and the caller's own document is not read (nor decrypted) for it.
/// </summary>
public sealed class ReadableOwnerTests
{
    private readonly CaseHarness _h = new();

    private static Caller Verified => IntakeHarness.Applicant with { IdentityNumber = IntakeHarness.ValidResidentId };

    [Fact]
    public async Task TheOwner_Passes_WithoutAPointRead()
    {
        var own = await _h.Intake.OpenDraftAsync(IntakeHarness.Applicant);
        var reads = _h.Store.GetCalls;

        var owner = await _h.Intake.Linked.FindReadableOwnerAsync(IntakeHarness.Applicant, own.Id, default);

        Assert.Equal(own.OwnerId, owner);
        Assert.Equal(reads, _h.Store.GetCalls);
    }

    [Fact]
    public async Task EveryCaller_GetsTheSameAnswerAsTheFullRead()
    {
        var own = await _h.Intake.OpenDraftAsync(IntakeHarness.Applicant);
        var atWindow = await _h.Intake.OpenDraftAsync(IntakeHarness.Clerk);
        var colleague = IntakeHarness.Clerk with { Subject = "clerk-43" };
        var callers = new[] { IntakeHarness.Applicant, IntakeHarness.OtherApplicant, Verified, IntakeHarness.Clerk, colleague };
        var ids = new[] { own.Id, atWindow.Id, "0192a7b3c4d5e6f70192a7b3c4d5e6f7", "not-an-id" };

        foreach (var caller in callers)
        {
            foreach (var id in ids)
            {
                var full = await _h.Intake.Linked.FindReadableAsync(caller, id, default);
                var owner = await _h.Intake.Linked.FindReadableOwnerAsync(caller, id, default);
                Assert.Equal(full?.Value.OwnerId, owner);
            }
        }
        Assert.Equal("hall:542523-ZWFWZX", await _h.Intake.Linked.FindReadableOwnerAsync(Verified, atWindow.Id, default));
        Assert.Null(await _h.Intake.Linked.FindReadableOwnerAsync(IntakeHarness.Applicant, atWindow.Id, default));
    }

    [Fact]
    public async Task TheNotificationsOfAnApplication_AreListedWithoutReadingIt()
    {
        var n = new NotificationHarness();
        var pending = await n.Cases.PendingAcceptanceAsync();
        await n.NotifyQueuedEventsAsync();
        var reads = n.Cases.Store.GetCalls;

        var page = await n.Service.ForApplicationAsync(IntakeHarness.Applicant, pending.Id, null, null, default);

        Assert.Equal(2, page.Value!.Items.Count);
        Assert.All(page.Value.Items, item => Assert.Equal(pending.Id, item.ApplicationId));
        Assert.Equal(reads, n.Cases.Store.GetCalls);
        Assert.Equal(ProblemKind.NotFound, (await n.Service.ForApplicationAsync(IntakeHarness.OtherApplicant, pending.Id, null, null, default)).Problem!.Kind);
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Retention;
using Moq;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Retention;

/// <summary>Retention (decision 15): what is deleted when, and that a crash or a race never loses what must stay.</summary>
public sealed class RetentionTests
{
    private readonly CaseHarness _h = new();
    private readonly List<string> _deleted = [];

    public RetentionTests() =>
        _h.Intake.MaterialStorage.Setup(s => s.DiscardAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string name, CancellationToken _) => _deleted.Add(name))
            .Returns(Task.CompletedTask);

    private RetentionSweeper Sweeper(int? years = null) =>
        new(_h.Store, _h.Intake.MaterialStorage.Object, new RetentionOptions { CompletedCaseYears = years }, _h.Clock);

    [Fact]
    public async Task ReDeclaringAMaterial_DeletesTheReplacedFilesBlobs_RightAfterTheWrite()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        var old = draft.Materials.Single(m => m.Code == "M01");

        await _h.Intake.DeclareAsync(draft, Declaration("M01"));

        var saved = _h.Current(draft);
        Assert.Equal([old.BlobName, old.VerifiedBlobName!], _deleted);
        Assert.DoesNotContain(saved.Outbox, e => e.Kind == OutboxKind.DeleteBlob);
        Assert.DoesNotContain(saved.Materials, m => m.Id == old.Id);
    }

    [Fact]
    public async Task ADeletionThatFails_StaysInTheOutboxWrittenWithTheChange_AndTheRelayDoesItOnce()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        var old = draft.Materials.Single(m => m.Code == "M01");
        _h.Intake.MaterialStorage.Setup(s => s.DiscardAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("storage unavailable"));

        await _h.Intake.DeclareAsync(draft, Declaration("M01"));

        // Recorded in the same write as the replacement, so the failure loses nothing.
        var deletions = _h.Current(draft).Outbox.Where(e => e.Kind == OutboxKind.DeleteBlob).Select(e => e.Detail).ToList();
        Assert.Equal([old.BlobName, old.VerifiedBlobName], deletions);

        _h.Intake.MaterialStorage.Setup(s => s.DiscardAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string name, CancellationToken _) => _deleted.Add(name))
            .Returns(Task.CompletedTask);
        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _h.Outbox.RelayAsync(10, CancellationToken.None));
        Assert.Equal(0, await _h.Outbox.RelayAsync(10, CancellationToken.None));

        Assert.Equal([old.BlobName, old.VerifiedBlobName!], _deleted);
        Assert.Empty(_h.Current(draft).Outbox);
        Assert.Contains(_h.Current(draft).Materials, m => m.Code == "M01");
    }

    [Fact]
    public async Task Submission_DropsUnverifiedMaterials_AndDeletesEveryUploadBlob_KeepingTheSealedCopies()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        var optional = await _h.Intake.DeclareAsync(draft, Declaration("M03"));
        var before = _h.Current(draft);

        var submitted = await _h.Intake.Intake.SubmitAsync(Applicant, draft.Id, CancellationToken.None);

        Assert.True(submitted.IsSuccess, submitted.Problem?.Detail);
        var saved = _h.Current(draft);
        Assert.DoesNotContain(saved.Materials, m => m.Id == optional);
        Assert.All(saved.Materials, m => Assert.True(m.IsVerified));
        Assert.Equal(before.Materials.Select(m => m.BlobName).Order().ToList(), _deleted.Order().ToList());
        Assert.DoesNotContain(_deleted, d => d.StartsWith("verified/", StringComparison.Ordinal));
        Assert.DoesNotContain(saved.Outbox, e => e.Kind == OutboxKind.DeleteBlob);

        // The pre-check deletes nothing more: the sealed copies stay with the case.
        var checkedCase = await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], CancellationToken.None);
        Assert.True(checkedCase.IsSuccess);
        Assert.Equal(before.Materials.Count, _deleted.Count);
    }

    [Fact]
    public async Task Sweep_DeletesADraftUntouchedPastItsLifetime_WithEveryBlob()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        var blobs = draft.Materials.SelectMany(RetentionRules.BlobsOf).ToList();
        _h.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));

        var sweep = await Sweeper().RunAsync(100, CancellationToken.None);

        Assert.Equal(new RetentionSweep(1, 0), sweep);
        Assert.Empty(_h.Store.All);
        Assert.Equal(blobs.Order(), _deleted.Order());
    }

    [Fact]
    public async Task Sweep_KeepsADraftTouchedWithinItsLifetime_AndEverySubmittedCase()
    {
        var live = await _h.Intake.ReadyDraftAsync();
        var submitted = await _h.PendingAcceptanceAsync();
        _h.Clock.Advance(TimeSpan.FromDays(29));
        await _h.Intake.DeclareAsync(live, Declaration("M03"));
        _h.Clock.Advance(TimeSpan.FromDays(2));
        _deleted.Clear(); // the submitted case's upload blobs, deleted at its pre-check

        var sweep = await Sweeper().RunAsync(100, CancellationToken.None);

        Assert.Equal(new RetentionSweep(0, 0), sweep);
        Assert.NotNull(_h.Current(live));
        Assert.NotNull(_h.Current(submitted));
        Assert.Empty(_deleted);
    }

    [Fact]
    public async Task Sweep_LeavesADraftChangedBetweenListingAndMarking()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        _h.Clock.Advance(TimeSpan.FromDays(31));
        // Another writer saves the draft just as the sweep marks it: the mark loses the race.
        _h.Store.BeforeReplace = a => { if (a.ExpiredAt is not null) { _h.Store.BeforeReplace = null; _h.Store.Touch(a.OwnerId, a.Id); } };

        var sweep = await Sweeper().RunAsync(100, CancellationToken.None);

        Assert.Equal(0, sweep.ExpiredDrafts);
        Assert.Null(_h.Current(draft).ExpiredAt);
        Assert.Empty(_deleted);
    }

    [Fact]
    public async Task Sweep_ACrashAfterTheMark_IsFinishedByTheNextSweep_AndTheDraftIsGoneForItsOwnerMeanwhile()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        _h.Clock.Advance(TimeSpan.FromDays(31));
        _h.Store.BeforeDelete = _ => throw new IOException("the process died");

        await Assert.ThrowsAsync<IOException>(() => Sweeper().RunAsync(100, CancellationToken.None));

        Assert.NotNull(_h.Current(draft).ExpiredAt);
        Assert.False((await _h.Intake.Intake.GetAsync(Applicant, draft.Id, CancellationToken.None)).IsSuccess);
        Assert.Empty((await _h.Intake.Intake.ListAsync(Applicant, null, null, CancellationToken.None)).Value!.Items);
        Assert.False((await _h.Intake.Intake.SubmitAsync(Applicant, draft.Id, CancellationToken.None)).IsSuccess);
        Assert.False((await _h.Intake.Intake.DeclareMaterialAsync(Applicant, draft.Id, Declaration("M03"), CancellationToken.None)).IsSuccess);
        var withdraw = await _h.Workflow.WithdrawAsync(Applicant, draft.Id, new WithdrawRequest(null), CancellationToken.None);
        Assert.Equal(Ali.Serverless.Common.ProblemKind.NotFound, withdraw.Problem!.Kind);

        _h.Store.BeforeDelete = null;
        _deleted.Clear();
        var sweep = await Sweeper().RunAsync(100, CancellationToken.None);

        Assert.Equal(1, sweep.ExpiredDrafts);
        Assert.Empty(_h.Store.All);
        Assert.Equal(draft.Materials.SelectMany(RetentionRules.BlobsOf).Order(), _deleted.Order());
    }

    [Fact]
    public async Task Sweep_DeletesADraftWithdrawnBeforeSubmission_AsADraft()
    {
        var draft = await _h.Intake.OpenDraftAsync();
        var withdrawn = await _h.Workflow.WithdrawAsync(Applicant, draft.Id, new WithdrawRequest(null), CancellationToken.None);
        Assert.True(withdrawn.IsSuccess, withdrawn.Problem?.Detail);
        _h.Clock.Advance(TimeSpan.FromDays(31));
        // Its outbox (the withdrawn event) is finished first, as the relay would.
        await _h.Outbox.RelayAsync(10, CancellationToken.None);

        Assert.Equal(1, (await Sweeper().RunAsync(100, CancellationToken.None)).ExpiredDrafts);
        Assert.Empty(_h.Store.All);
    }

    [Fact]
    public async Task EndedCases_AreKept_UntilAnArchivePeriodIsSet_ThenDeletedWithTheirBlobsAfterIt()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var notAccepted = await _h.Workflow.CompleteTaskAsync(CaseHarness.Reviewer, CaseHarness.OpenTask(pending, TaskKind.Acceptance).Id,
            new CompleteTaskRequest("not-accept", "不属于受理范围", null), CancellationToken.None);
        Assert.True(notAccepted.IsSuccess, notAccepted.Problem?.Detail);
        await _h.Outbox.RelayAsync(10, CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromDays(366 * 11));
        _deleted.Clear();

        Assert.Equal(new RetentionSweep(0, 0), await Sweeper().RunAsync(100, CancellationToken.None));
        Assert.Equal(new RetentionSweep(0, 0), await Sweeper(years: 30).RunAsync(100, CancellationToken.None));
        Assert.NotNull(_h.Current(pending));

        Assert.Equal(new RetentionSweep(0, 1), await Sweeper(years: 10).RunAsync(100, CancellationToken.None));
        Assert.Empty(_h.Store.All);
        Assert.Equal(pending.Materials.Select(m => m.VerifiedBlobName!).Order(), _deleted.Where(d => d.StartsWith("verified/", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void DraftTimeToLive_IsTheLifetimePlusTheBackstopMargin()
    {
        Assert.Equal((30 + 7) * 24 * 3600, new RetentionOptions().DraftTimeToLiveSeconds);
        Assert.Equal((10 + 7) * 24 * 3600, new RetentionOptions { DraftLifetime = TimeSpan.FromDays(10) }.DraftTimeToLiveSeconds);
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Audit;

/// <summary>Intake steps (open, declare, verify, submit) are audited through the application's outbox, as workflow steps are.</summary>
public sealed class IntakeAuditTests
{
    private readonly IntakeHarness _h = new();

    private string DayChain(Ali.Serverless.Identity.Caller caller) => AuditActions.DayChain(_h.Clock.GetUtcNow(), caller.Subject);

    [Fact]
    public async Task A_drafts_steps_go_to_the_actors_day_chain_and_the_submission_opens_the_case_chain()
    {
        var ready = await _h.ReadyDraftAsync();
        var submitted = await _h.Intake.SubmitAsync(Applicant, ready.Id, default);

        var day = _h.AuditStore.Chain(DayChain(Applicant));
        Assert.Equal(["application.open", "material.declare", "material.verify", "material.declare", "material.verify"], day.Select(r => r.Action));
        Assert.Equal($"application:{ready.Id}", day[0].Object);
        Assert.Equal(ready.Materials.SelectMany(m => new[] { $"material:{m.Id}", $"material:{m.Id}" }), day.Skip(1).Select(r => r.Object));
        Assert.All(day, r => Assert.Equal((Applicant.Subject, "applicant", AuditActions.Success), (r.Actor, r.Role, r.Outcome)));
        Assert.True(AuditVerifier.Verify(day).Valid);

        var chain = _h.AuditStore.Chain(submitted.Value!.CaseNumber!);
        var record = Assert.Single(chain);
        Assert.Equal(("application.submit", $"application:{ready.Id}", 0L), (record.Action, record.Object, record.Sequence));
        // Done: nothing is left waiting in the outbox.
        Assert.Empty(_h.Store.Single(ready.OwnerId, ready.Id).Outbox);
    }

    [Fact]
    public async Task A_clerks_steps_name_the_clerk_and_the_hall()
    {
        await _h.OpenDraftAsync(Clerk);

        var record = Assert.Single(_h.AuditStore.Chain(DayChain(Clerk)));
        Assert.Equal(("application.open", Clerk.Subject, "window-clerk", Clerk.Department), (record.Action, record.Actor, record.Role, record.Department));
    }

    [Fact]
    public async Task A_refused_change_writes_no_record()
    {
        var draft = await _h.OpenDraftAsync();
        var before = _h.AuditStore.All.Count;

        var refused = await _h.Intake.DeclareMaterialAsync(Applicant, draft.Id, Declaration(code: "M99"), default);
        var submit = await _h.Intake.SubmitAsync(Applicant, draft.Id, default);

        Assert.False(refused.IsSuccess);
        Assert.False(submit.IsSuccess);
        Assert.Equal(before, _h.AuditStore.All.Count);
    }

    [Fact]
    public async Task When_the_audit_store_is_down_the_change_is_saved_with_its_record_in_the_outbox_and_the_relay_writes_it_once()
    {
        var draft = await _h.OpenDraftAsync();
        _h.AuditStore.FailAll = true;

        var declared = await _h.Intake.DeclareMaterialAsync(Applicant, draft.Id, Declaration(), default);

        Assert.True(declared.IsSuccess);
        var pending = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Outbox);
        Assert.Equal((OutboxKind.Audit, "material.declare"), (pending.Kind, pending.Audit!.Action));

        _h.AuditStore.FailAll = false;
        _h.Clock.Advance(CaseOutbox.RelayGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _h.Outbox.RelayAsync(10, default));
        Assert.Equal(0, await _h.Outbox.RelayAsync(10, default));

        Assert.Empty(_h.Store.Single(draft.OwnerId, draft.Id).Outbox);
        var day = _h.AuditStore.All.Where(r => r.Action == "material.declare").ToList();
        Assert.Equal($"material:{declared.Value!.Material.Id}", Assert.Single(day).Object);
    }

    [Fact]
    public async Task An_outbox_entry_done_twice_writes_one_record()
    {
        var draft = await _h.OpenDraftAsync();
        _h.AuditStore.FailAll = true;
        await _h.Intake.DeclareMaterialAsync(Applicant, draft.Id, Declaration(), default);
        _h.AuditStore.FailAll = false;
        var stored = await _h.Store.GetAsync(draft.OwnerId, draft.Id, default);

        // Two dispatchers of the same saved change (the writer after a slow start, and the relay).
        await _h.Outbox.DispatchAsync(stored!, default);
        await _h.Outbox.DispatchAsync(stored!, default);

        Assert.Single(_h.AuditStore.All, r => r.Action == "material.declare");
        Assert.True(AuditVerifier.Verify(_h.AuditStore.Chain(DayChain(Applicant))).Valid);
    }

    [Fact]
    public async Task Opening_again_with_the_same_idempotency_key_writes_no_second_record()
    {
        var first = await _h.Intake.OpenAsync(Applicant, PersonRequest(), "key-1", "fp", default);
        var again = await _h.Intake.OpenAsync(Applicant, PersonRequest(), "key-1", "fp", default);

        Assert.True(again.Value!.Replayed);
        Assert.Single(_h.AuditStore.All, r => r.Action == "application.open" && r.Object == $"application:{first.Value!.Application.Id}");
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Audit;

public sealed class CaseAuditTests
{
    private readonly CaseHarness _h = new();

    private async Task<Application> CompletedCaseAsync()
    {
        var review = await _h.UnderReviewAsync();
        await _h.CompleteAsync(CoSystem, OpenTask(review, TaskKind.Review, CoDepartment), new CompleteTaskRequest("approve", "无异议", null));
        await _h.CompleteAsync(Reviewer, OpenTask(_h.Current(review), TaskKind.Review), new CompleteTaskRequest("approve", null, null));
        await _h.CompleteAsync(Reviewer, OpenTask(_h.Current(review), TaskKind.Decision), new CompleteTaskRequest("approve", "准予许可", null));
        return _h.Current(review);
    }

    [Fact]
    public async Task Every_step_of_a_whole_case_is_in_its_chain_in_order_with_who_did_it()
    {
        var completed = await CompletedCaseAsync();

        var chain = await _h.Audit.ReadChainAsync(completed.CaseNumber!, default);
        // The submission opens the chain; the workflow's steps follow.
        Assert.Equal(["application.submit", "case.pre-check", "case.acceptance", "case.review", "case.review", "case.decision"], chain.Select(r => r.Action));
        Assert.Equal([IntakeHarness.Applicant.Subject, "system", Reviewer.Subject, CoSystem.Subject, Reviewer.Subject, Reviewer.Subject], chain.Select(r => r.Actor));
        Assert.Equal(["applicant", "system", "reviewer", "department-system", "reviewer", "reviewer"], chain.Select(r => r.Role));
        Assert.Equal([$"application:{completed.Id}", .. completed.Timeline.Select(s => s.TaskId ?? $"application:{completed.Id}")], chain.Select(r => r.Object));
        Assert.All(chain, r => Assert.Equal(AuditActions.Success, r.Outcome));
        Assert.True(AuditVerifier.Verify(chain).Valid);
        // Done and removed from the outbox: the effect ran.
        Assert.DoesNotContain(completed.Outbox, e => e.Kind == OutboxKind.Audit);
    }

    [Fact]
    public async Task No_personal_data_of_the_applicant_reaches_the_records()
    {
        var completed = await CompletedCaseAsync();
        var text = System.Text.Json.JsonSerializer.Serialize(_h.AuditStore.All);
        Assert.DoesNotContain(completed.Applicant.DocumentNumber, text);
        Assert.DoesNotContain(completed.Applicant.Name, text);
    }

    [Fact]
    public async Task A_step_whose_audit_write_failed_keeps_its_outbox_entry_and_the_relay_writes_it_once()
    {
        var pending = await _h.PendingAcceptanceAsync();
        _h.AuditStore.FailAll = true;
        await _h.CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));
        Assert.Contains(_h.Current(pending).Outbox, e => e.Kind == OutboxKind.Audit);

        _h.AuditStore.FailAll = false;
        _h.Clock.Advance(CaseOutbox.RelayGrace + TimeSpan.FromSeconds(1));
        await _h.Outbox.RelayAsync(10, default);
        await _h.Outbox.RelayAsync(10, default);

        Assert.Empty(_h.Current(pending).Outbox);
        var chain = _h.AuditStore.Chain(pending.CaseNumber!);
        Assert.Equal(["application.submit", "case.pre-check", "case.acceptance"], chain.Select(r => r.Action));
        Assert.True(AuditVerifier.Verify(chain).Valid);
    }

    [Fact]
    public async Task Staff_reads_of_cases_and_tasks_are_audited_with_their_outcome()
    {
        var review = await _h.UnderReviewAsync();
        var task = OpenTask(review, TaskKind.Review);

        Assert.True((await _h.Workflow.GetCaseAsync(SupervisorCaller, review.CaseNumber!, default)).IsSuccess);
        Assert.True((await _h.Workflow.GetTaskAsync(Reviewer, task.Id, default)).IsSuccess);
        Assert.False((await _h.Workflow.GetCaseAsync(Stranger, review.CaseNumber!, default)).IsSuccess);

        var chain = _h.AuditStore.Chain(review.CaseNumber!);
        Assert.Equal(("case.read", SupervisorCaller.Subject, $"case:{review.CaseNumber}"), (chain[^2].Action, chain[^2].Actor, chain[^2].Object));
        Assert.Equal(("task.read", Reviewer.Subject, $"task:{task.Id}"), (chain[^1].Action, chain[^1].Actor, chain[^1].Object));
        // The stranger's refusal is not on the case (that would confirm the number exists) but on the day's chain.
        var refused = _h.AuditStore.All.Single(r => r.Outcome == AuditActions.Refused);
        Assert.Equal((AuditActions.DayChain(_h.Clock.GetUtcNow(), Stranger.Subject), Stranger.Subject, "case.read"), (refused.Chain, refused.Actor, refused.Action));
    }

    [Fact]
    public async Task A_read_answers_even_when_its_audit_record_cannot_be_written()
    {
        var review = await _h.UnderReviewAsync();
        _h.AuditStore.FailAll = true;

        Assert.True((await _h.Workflow.GetCaseAsync(SupervisorCaller, review.CaseNumber!, default)).IsSuccess);
        Assert.Equal("case.read", _h.AuditFailures.Entries.Single().Action);
    }

    [Fact]
    public async Task Supervisors_read_the_chain_with_its_verification_and_the_read_is_audited_after()
    {
        var completed = await CompletedCaseAsync();

        var audit = await _h.Workflow.GetAuditAsync(SupervisorCaller, completed.CaseNumber!, null, null, default);
        Assert.True(audit.Value!.Verification.Valid);
        Assert.Equal(6, audit.Value.Records.Count);
        Assert.Equal("audit.read", _h.AuditStore.Chain(completed.CaseNumber!)[^1].Action);

        var tampered = _h.AuditStore.Chain(completed.CaseNumber!)[1];
        _h.AuditStore.Put(tampered with { Actor = "someone-else" });
        var verified = (await _h.Workflow.GetAuditAsync(SupervisorCaller, completed.CaseNumber!, null, null, default)).Value!.Verification;
        Assert.Equal((false, 1L), (verified.Valid, verified.FirstBrokenSequence));

        Assert.False((await _h.Workflow.GetAuditAsync(Reviewer, completed.CaseNumber!, null, null, default)).IsSuccess);
    }

    [Fact]
    public async Task A_case_trail_stays_readable_after_retention_removed_the_application()
    {
        var completed = await CompletedCaseAsync();
        await _h.Store.DeleteAsync(completed.OwnerId, completed.Id, default);

        var audit = await _h.Workflow.GetAuditAsync(SupervisorCaller, completed.CaseNumber!, null, null, default);

        Assert.True(audit.Value!.Verification.Valid);
        Assert.Equal(6, audit.Value.Records.Count);
        // A number that was never a case is still 404, like any case read.
        Assert.False((await _h.Workflow.GetAuditAsync(SupervisorCaller, "542500-20260101-9999999999", null, null, default)).IsSuccess);
    }

    [Fact]
    public async Task Supervisors_walk_a_long_chain_in_pages_each_verified_and_together_the_whole_chain_once()
    {
        var completed = await CompletedCaseAsync();
        var caseNumber = completed.CaseNumber!;
        var walked = new List<AuditRecord>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await _h.Workflow.GetAuditAsync(SupervisorCaller, caseNumber, 4, token, default)).Value!;
            Assert.True(page.Verification.Valid);
            Assert.Equal(walked.Count, page.FromSequence);
            Assert.Equal(page.Records[^1].Sequence, page.ToSequence);
            walked.AddRange(page.Records);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 100);

        // Each page read appends its audit.read after reading, so the walk ends on the last record it could see.
        var chain = _h.AuditStore.Chain(caseNumber);
        Assert.Equal(chain.Take(walked.Count), walked);
        Assert.Equal(chain.Count - 1, walked.Count);
        Assert.Equal("audit.read", chain[^1].Action);
        Assert.True(AuditVerifier.Verify(walked).Valid);
    }

    [Fact]
    public async Task A_page_after_a_tampered_record_before_it_is_reported_broken_at_its_first_sequence()
    {
        var completed = await CompletedCaseAsync();
        var caseNumber = completed.CaseNumber!;
        var record = _h.AuditStore.Chain(caseNumber)[2];
        var forged = record with { Actor = "someone-else" };
        _h.AuditStore.Put(forged with { Hash = AuditRecord.ComputeHash(forged) });

        var page = (await _h.Workflow.GetAuditAsync(SupervisorCaller, caseNumber, 2, "3", default)).Value!;

        Assert.Equal((false, 3L, 3L, 4L), (page.Verification.Valid, page.Verification.FirstBrokenSequence, page.FromSequence, page.ToSequence));
    }

    [Theory]
    [InlineData(0, null, "pageSize")]
    [InlineData(501, null, "pageSize")]
    [InlineData(-1, null, "pageSize")]
    [InlineData(null, "-3", "continuationToken")]
    [InlineData(null, "abc", "continuationToken")]
    [InlineData(null, "\u200B3", "continuationToken")]
    [InlineData(null, "900", "continuationToken")]
    public async Task A_bad_page_size_or_token_is_refused_by_name(int? pageSize, string? token, string field)
    {
        var completed = await CompletedCaseAsync();
        var before = _h.AuditStore.Chain(completed.CaseNumber!).Count;

        var result = await _h.Workflow.GetAuditAsync(SupervisorCaller, completed.CaseNumber!, pageSize, token, default);

        Assert.Equal(Ali.Serverless.Common.ProblemKind.Invalid, result.Problem!.Kind);
        Assert.Equal(field, Assert.Single(result.Problem.Errors!.Keys));
        Assert.Equal(before, _h.AuditStore.Chain(completed.CaseNumber!).Count);
    }
}

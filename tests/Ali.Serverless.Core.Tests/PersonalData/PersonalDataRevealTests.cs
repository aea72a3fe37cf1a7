using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Identity;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Core.Tests.PersonalData;

public sealed class PersonalDataRevealTests
{
    private readonly CaseHarness _h = new();
    private readonly PersonalDataReveal _reveal;

    public PersonalDataRevealTests() =>
        _reveal = new PersonalDataReveal(_h.Intake.Linked, _h.Store, _h.Tasks, _h.Audit, _h.Clock);

    private IEnumerable<AuditRecord> Reveals => _h.AuditStore.All.Where(r => r.Action == PersonalDataReveal.Action);

    [Fact]
    public async Task TheApplicant_GetsTheirOwnInFull_AndTheReadIsAudited()
    {
        var draft = await _h.Intake.OpenDraftAsync();

        var result = await _reveal.ForApplicationAsync(IntakeHarness.Applicant, draft.Id, default);

        Assert.Equal(IntakeHarness.ValidResidentId, result.Value!.DocumentNumber);
        Assert.Equal("13800000000", result.Value.Phone);
        var record = Assert.Single(Reveals);
        Assert.Equal((IntakeHarness.Applicant.Subject, AuditActions.Success, $"application:{draft.Id}"), (record.Actor, record.Outcome, record.Object));
        Assert.DoesNotContain(IntakeHarness.ValidResidentId, System.Text.Json.JsonSerializer.Serialize(record));
    }

    [Fact]
    public async Task TheHallsClerks_GetTheHallsApplications_AnotherHallGets404_AndIsRecordedAsRefused()
    {
        var atWindow = await _h.Intake.OpenDraftAsync(IntakeHarness.Clerk);
        var colleague = IntakeHarness.Clerk with { Subject = "clerk-43" };
        var otherHall = new Caller("clerk-9", Roles.WindowClerk, "542521-ZWFWZX");

        Assert.True((await _reveal.ForApplicationAsync(colleague, atWindow.Id, default)).IsSuccess);
        Assert.Equal(ProblemKind.NotFound, (await _reveal.ForApplicationAsync(otherHall, atWindow.Id, default)).Problem!.Kind);

        Assert.Equal([AuditActions.Success, AuditActions.Refused], Reveals.OrderBy(r => r.Time).ThenBy(r => r.Actor == "clerk-9").Select(r => r.Outcome));
    }

    [Fact]
    public async Task AVerifiedApplicant_GetsTheLinkedWindowApplication()
    {
        var atWindow = await _h.Intake.OpenDraftAsync(IntakeHarness.Clerk);

        var result = await _reveal.ForApplicationAsync(IntakeHarness.Applicant with { IdentityNumber = IntakeHarness.ValidResidentId }, atWindow.Id, default);

        Assert.Equal(IntakeHarness.ValidResidentId, result.Value!.DocumentNumber);
    }

    [Fact]
    public async Task ADepartmentWithATask_GetsItThroughTheTask_OnTheCasesChain()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var task = CaseHarness.OpenTask(pending, TaskKind.Acceptance);

        var result = await _reveal.ForTaskAsync(CaseHarness.Reviewer, task.Id, default);

        Assert.Equal(IntakeHarness.ValidResidentId, result.Value!.DocumentNumber);
        Assert.Equal(pending.CaseNumber, result.Value.CaseNumber);
        var record = Assert.Single(_h.AuditStore.Chain(pending.CaseNumber!), r => r.Action == PersonalDataReveal.Action);
        Assert.Equal($"task:{task.Id}", record.Object);
    }

    [Fact]
    public async Task AnotherDepartment_Gets404_ForTheSameTask()
    {
        var pending = await _h.PendingAcceptanceAsync();
        var task = CaseHarness.OpenTask(pending, TaskKind.Acceptance);

        var result = await _reveal.ForTaskAsync(CaseHarness.Stranger, task.Id, default);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        Assert.Equal(AuditActions.Refused, Assert.Single(Reveals).Outcome);
        Assert.DoesNotContain(_h.AuditStore.Chain(pending.CaseNumber!), r => r.Action == PersonalDataReveal.Action);
    }

    [Fact]
    public async Task WhenTheAuditTrailIsDown_NothingIsRevealed()
    {
        var draft = await _h.Intake.OpenDraftAsync();
        _h.AuditStore.FailAll = true;

        var result = await _reveal.ForApplicationAsync(IntakeHarness.Applicant, draft.Id, default);

        Assert.Equal(ProblemKind.Unavailable, result.Problem!.Kind);
        Assert.Equal("audit-unavailable", result.Problem.Type);
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("../0192a7b3c4d5e6f70192a7b3c4d5e6f7")]
    public async Task MalformedIds_Are404(string id)
    {
        Assert.Equal(ProblemKind.NotFound, (await _reveal.ForApplicationAsync(IntakeHarness.Applicant, id, default)).Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, (await _reveal.ForTaskAsync(CaseHarness.Reviewer, id, default)).Problem!.Kind);
    }
}

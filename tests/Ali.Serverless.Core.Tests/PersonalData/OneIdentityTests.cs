using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Core.Tests.PersonalData;

/// <summary>一号: an applicant with a verified identity number reads the window applications opened for it, and only reads them.</summary>
public sealed class OneIdentityTests
{
    private readonly CaseHarness _h = new();

    private static Caller Verified(string number = IntakeHarness.ValidResidentId) =>
        IntakeHarness.Applicant with { IdentityNumber = number };

    private Task<Application> OpenedAtWindowAsync() => _h.Intake.OpenDraftAsync(IntakeHarness.Clerk);

    [Fact]
    public async Task WithTheClaim_TheListAndTheReadIncludeTheWindowApplication()
    {
        var own = await _h.Intake.OpenDraftAsync(IntakeHarness.Applicant);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        var atWindow = await OpenedAtWindowAsync();

        var list = await _h.Intake.Intake.ListAsync(Verified(), null, null, default);
        var read = await _h.Intake.Intake.GetAsync(Verified(), atWindow.Id, default);

        Assert.Equal([atWindow.Id, own.Id], list.Value!.Items.Select(a => a.Id));
        Assert.True(read.IsSuccess);
        Assert.Equal("hall:542523-ZWFWZX", read.Value!.OwnerId);
        Assert.True((await _h.Intake.Intake.GetMaterialAsync(Verified(), atWindow.Id, "0192a7b3c4d5e6f70192a7b3c4d5e6f7", default)).Problem!.Kind == ProblemKind.NotFound);
    }

    [Fact]
    public async Task WithoutTheClaim_NothingChanges()
    {
        var atWindow = await OpenedAtWindowAsync();

        var list = await _h.Intake.Intake.ListAsync(IntakeHarness.Applicant, null, null, default);
        var read = await _h.Intake.Intake.GetAsync(IntakeHarness.Applicant, atWindow.Id, default);

        Assert.Empty(list.Value!.Items);
        Assert.Equal(ProblemKind.NotFound, read.Problem!.Kind);
    }

    [Fact]
    public async Task AnotherNumber_LinksNothing()
    {
        var atWindow = await OpenedAtWindowAsync();
        var other = Verified("540102199001011234");

        Assert.Empty((await _h.Intake.Intake.ListAsync(other, null, null, default)).Value!.Items);
        Assert.Equal(ProblemKind.NotFound, (await _h.Intake.Intake.GetAsync(other, atWindow.Id, default)).Problem!.Kind);
    }

    [Fact]
    public async Task AnotherApplicantsOnlineApplication_OfTheSameNumber_IsNotLinked()
    {
        var someoneElses = await _h.Intake.OpenDraftAsync(IntakeHarness.OtherApplicant);

        Assert.Empty((await _h.Intake.Intake.ListAsync(Verified(), null, null, default)).Value!.Items);
        Assert.Equal(ProblemKind.NotFound, (await _h.Intake.Intake.GetAsync(Verified(), someoneElses.Id, default)).Problem!.Kind);
    }

    [Fact]
    public async Task AWindowClerk_IsNeverLinked_ByANumber()
    {
        await OpenedAtWindowAsync();
        var otherHall = new Caller("clerk-7", Roles.WindowClerk, "542521-ZWFWZX") { IdentityNumber = IntakeHarness.ValidResidentId };

        Assert.Empty((await _h.Intake.Intake.ListAsync(otherHall, null, null, default)).Value!.Items);
    }

    [Fact]
    public async Task LaterPages_HoldOnlyTheOwnPartition()
    {
        await OpenedAtWindowAsync();

        var later = await _h.Intake.Intake.ListAsync(Verified(), null, "next-page", default);

        Assert.Empty(later.Value!.Items);
    }

    [Fact]
    public async Task TheLinkedApplicant_CannotActOnIt_TheHallKeepsActing()
    {
        var atWindow = await OpenedAtWindowAsync();

        var declare = await _h.Intake.Intake.DeclareMaterialAsync(Verified(), atWindow.Id, IntakeHarness.Declaration(), default);
        var submit = await _h.Intake.Intake.SubmitAsync(Verified(), atWindow.Id, default);
        var withdraw = await _h.Workflow.WithdrawAsync(Verified(), atWindow.Id, new WithdrawRequest(null), default);

        Assert.Equal(ProblemKind.NotFound, declare.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, submit.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, withdraw.Problem!.Kind);
        Assert.Equal(ApplicationStatus.Draft, _h.Current(atWindow).Status);
    }

    [Fact]
    public async Task TheWindowApplication_CarriesTheKeyedHash_NotASecondCopyOfTheNumber()
    {
        var atWindow = await OpenedAtWindowAsync();

        Assert.Equal(await _h.Intake.ApplicantKeys.ForAsync(ApplicantKind.NaturalPerson, IntakeHarness.ValidResidentId, default), atWindow.ApplicantKey);
    }
}

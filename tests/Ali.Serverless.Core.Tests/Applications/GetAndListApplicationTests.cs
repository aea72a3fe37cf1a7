using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Moq;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Applications;

public class GetAndListApplicationTests
{
    private readonly IntakeHarness _h = new();

    [Fact]
    public async Task Get_OwnApplication_ReturnsIt()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await _h.Intake.GetAsync(Applicant, draft.Id, CancellationToken.None);

        Assert.Equal(draft, result.Value);
    }

    [Fact]
    public async Task Get_AnotherOwnersApplication_IsNotFound()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await _h.Intake.GetAsync(OtherApplicant, draft.Id, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
    }

    [Fact]
    public async Task Get_ByAClerkOfTheSameHall_ReturnsTheHallsApplication()
    {
        var draft = await _h.OpenDraftAsync(Clerk);
        var colleague = Clerk with { Subject = "clerk-43" };

        var result = await _h.Intake.GetAsync(colleague, draft.Id, CancellationToken.None);

        Assert.Equal(draft.Id, result.Value!.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-id")]
    [InlineData("0192A7B3C4D5E6F70192A7B3C4D5E6F7")] // upper case
    [InlineData("0192a7b3c4d5e6f70192a7b3c4d5e6f")]  // 31 characters
    [InlineData("0192a7b3-c4d5-e6f7-0192-a7b3c4d5e6f7")]
    public async Task Get_MalformedId_IsNotFoundWithoutReadingTheStore(string id)
    {
        var store = new Mock<IApplicationStore>(MockBehavior.Strict);
        var intake = _h.IntakeOver(store.Object);

        var result = await intake.GetAsync(Applicant, id, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        store.Verify(s => s.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task List_WithPageSizeOutOfRange_IsInvalidNamingPageSize(int pageSize)
    {
        var result = await _h.Intake.ListAsync(Applicant, pageSize, null, CancellationToken.None);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.True(result.Problem.Errors!.ContainsKey("pageSize"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task List_WithPageSizeAtTheLimits_IsAccepted(int pageSize)
    {
        var result = await _h.Intake.ListAsync(Applicant, pageSize, null, CancellationToken.None);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task List_WithoutPageSize_AsksTheStoreForTheDefaultPageOfTheCallersPartition()
    {
        var store = new Mock<IApplicationStore>();
        store.Setup(s => s.ListByOwnerAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<Application>([], null));
        var intake = _h.IntakeOver(store.Object);

        await intake.ListAsync(Applicant, null, "token-1", CancellationToken.None);

        store.Verify(s => s.ListByOwnerAsync("applicant:user-7f3a", ApplicationIntake.DefaultPageSize, "token-1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task List_ReturnsOnlyTheCallersApplications()
    {
        var mine = await _h.OpenDraftAsync(Applicant);
        await _h.OpenDraftAsync(OtherApplicant);

        var result = await _h.Intake.ListAsync(Applicant, null, null, CancellationToken.None);

        Assert.Equal(mine.Id, Assert.Single(result.Value!.Items).Id);
    }

    [Fact]
    public async Task List_WhenTheStoreRejectsTheContinuationToken_IsInvalidNamingContinuationToken()
    {
        _h.Store.ListFailure = new InvalidContinuationTokenException("forged");

        var result = await _h.Intake.ListAsync(Applicant, 10, "forged", CancellationToken.None);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.True(result.Problem.Errors!.ContainsKey("continuationToken"));
    }

    [Fact]
    public async Task GetMaterial_Declared_ReturnsIt_AndUnknownOrForeign_IsNotFound()
    {
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration());

        var own = await _h.Intake.GetMaterialAsync(Applicant, draft.Id, id, CancellationToken.None);
        var unknown = await _h.Intake.GetMaterialAsync(Applicant, draft.Id, "nope", CancellationToken.None);
        var foreign = await _h.Intake.GetMaterialAsync(OtherApplicant, draft.Id, id, CancellationToken.None);

        Assert.Equal(id, own.Value!.Id);
        Assert.Equal(ProblemKind.NotFound, unknown.Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, foreign.Problem!.Kind);
    }
}

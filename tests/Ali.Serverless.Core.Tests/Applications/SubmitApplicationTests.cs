using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Materials;
using Ali.Serverless.Pipeline;
using Moq;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Applications;

public class SubmitApplicationTests
{
    private readonly IntakeHarness _h = new();

    private Task<Result<Application>> Submit(Application application) =>
        _h.Intake.SubmitAsync(Applicant, application.Id, CancellationToken.None);

    [Fact]
    public async Task Submit_WithRequiredMaterialsMissing_NamesEveryMissingOneAtOnce()
    {
        var draft = await _h.OpenDraftAsync();
        await _h.DeclareAsync(draft, Declaration("M01"));   // declared, never verified
        // M02 (required) never declared; M03 is optional.

        var result = await Submit(draft);

        Assert.Equal(ProblemKind.Unprocessable, result.Problem!.Kind);
        Assert.Equal("materials-missing", result.Problem.Type);
        Assert.Equal(["materials.M01", "materials.M02"], result.Problem.Errors!.Keys.Order(StringComparer.Ordinal));
        var listed = Assert.IsAssignableFrom<IEnumerable<MissingMaterial>>(result.Problem.Extensions!["missingMaterials"]);
        Assert.Equal(["M01", "M02"], listed.Select(m => m.Code));
        Assert.Equal(ApplicationStatus.Draft, _h.Store.Single(draft.OwnerId, draft.Id).Status);
        Assert.Empty(_h.Sent);
    }

    [Fact]
    public async Task Submit_WithNothingDeclared_NamesEveryRequiredMaterialButNoOptionalOne()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Submit(draft);

        Assert.Equal("materials-missing", result.Problem!.Type);
        Assert.Equal(["materials.M01", "materials.M02"], result.Problem.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("materials.M03", result.Problem.Errors.Keys);
    }

    [Fact]
    public async Task Submit_WithEveryRequiredMaterialVerified_SubmitsWithoutTheOptionalOne()
    {
        var ready = await _h.ReadyDraftAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(5));

        var result = await Submit(ready);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var stored = _h.Store.Single(ready.OwnerId, ready.Id);
        Assert.Equal(ApplicationStatus.Submitted, stored.Status);
        Assert.Equal(Start.AddMinutes(5), stored.SubmittedAt);
        Assert.Equal(Start.AddMinutes(5), stored.SubmissionQueuedAt);
        Assert.Equal(result.Value, stored);
    }

    [Fact]
    public async Task Submit_GivesACaseNumberOfDivisionChinaDateAndTenHexCharacters()
    {
        var ready = await _h.ReadyDraftAsync();

        var result = await Submit(ready);

        // Start is 2026-03-10T02:30Z, 10:30 in China.
        Assert.Matches("^542500-20260310-[0-9A-Fa-f]{10}$", result.Value!.CaseNumber);
    }

    [Fact]
    public async Task Submit_LateInTheUtcEvening_IsDatedTheNextDayInChina()
    {
        var ready = await _h.ReadyDraftAsync();
        _h.Clock.Now = new DateTimeOffset(2026, 11, 28, 17, 0, 0, TimeSpan.Zero);

        var result = await Submit(ready);

        Assert.StartsWith("542500-20261129-", result.Value!.CaseNumber, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_JustBeforeMidnightInChina_IsDatedThatDay()
    {
        var ready = await _h.ReadyDraftAsync();
        _h.Clock.Now = new DateTimeOffset(2026, 11, 28, 15, 59, 59, TimeSpan.Zero);

        var result = await Submit(ready);

        Assert.StartsWith("542500-20261128-", result.Value!.CaseNumber, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseNumbers_SameApplication_GetsTheSameNumberAndOthersADifferentOne()
    {
        var at = new DateTimeOffset(2026, 5, 1, 4, 0, 0, TimeSpan.Zero);
        var a = new Application
        {
            Id = "0192a7b3c4d5e6f70192a7b3c4d5e6f7", OwnerId = "applicant:x", ItemCode = "I", DepartmentCode = "D", DivisionCode = "542521",
            Channel = Ali.Serverless.Catalog.Channel.Web, Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, ValidResidentId, "卓玛", null),
            OpenedBy = "x", OpenedByRole = "applicant", Status = ApplicationStatus.Draft, CreatedAt = at, UpdatedAt = at,
        };
        var b = a with { Id = "0192a7b3c4d5e6f70192a7b3c4d5e6f8" };

        Assert.Equal(CaseNumbers.For(a, at), CaseNumbers.For(a, at));
        Assert.NotEqual(CaseNumbers.For(a, at), CaseNumbers.For(b, at));
        Assert.StartsWith("542521-20260501-", CaseNumbers.For(a, at), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_EnqueuesOneMessageWithOwnerIdAndCaseNumber()
    {
        var ready = await _h.ReadyDraftAsync();

        var result = await Submit(ready);

        var message = Assert.Single(_h.Sent);
        Assert.Equal(ready.Id, message.ApplicationId);
        Assert.Equal("applicant:user-7f3a", message.OwnerId);
        Assert.Equal(result.Value!.CaseNumber, message.CaseNumber);
        Assert.Equal(TestCatalog.PersonItemCode, message.ItemCode);
        Assert.Equal("542500-SCJGJ", message.DepartmentCode);
        Assert.Equal(result.Value.SubmittedAt, message.SubmittedAt);
    }

    [Fact]
    public async Task Submit_Twice_IsConflictAlreadySubmittedWithTheCaseNumberAndSendsOnce()
    {
        var ready = await _h.ReadyDraftAsync();
        var first = await Submit(ready);

        var second = await Submit(ready);

        Assert.Equal(ProblemKind.Conflict, second.Problem!.Kind);
        Assert.Equal("already-submitted", second.Problem.Type);
        Assert.Equal(first.Value!.CaseNumber, second.Problem.Extensions!["caseNumber"]);
        Assert.Single(_h.Sent);
    }

    [Fact]
    public async Task Submit_AnotherOwnersApplication_IsNotFound()
    {
        var ready = await _h.ReadyDraftAsync();

        var result = await _h.Intake.SubmitAsync(OtherApplicant, ready.Id, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        Assert.Equal(ApplicationStatus.Draft, _h.Store.Single(ready.OwnerId, ready.Id).Status);
    }

    [Fact]
    public async Task Submit_WhenSomeoneElseWroteMeanwhile_IsConcurrentChangeAndSendsNothing()
    {
        var ready = await _h.ReadyDraftAsync();
        _h.Store.BeforeReplace = a => { _h.Store.BeforeReplace = null; _h.Store.Touch(a.OwnerId, a.Id); };

        var result = await Submit(ready);

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
        Assert.Equal("concurrent-change", result.Problem.Type);
        Assert.Equal(ApplicationStatus.Draft, _h.Store.Single(ready.OwnerId, ready.Id).Status);
        Assert.Empty(_h.Sent);
    }

    [Fact]
    public async Task Submit_WhenTheQueueFails_IsStillAccepted_StaysUnsent_AndTheRelaySendsItOnceLater()
    {
        var ready = await _h.ReadyDraftAsync();
        _h.Queue.SetupSequence(q => q.EnqueueAsync(It.IsAny<ApplicationSubmitted>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("queue unreachable"))
            .Returns(Task.CompletedTask)
            .Returns(Task.CompletedTask);

        var accepted = await Submit(ready);

        Assert.True(accepted.IsSuccess, accepted.Problem?.Detail);
        Assert.Equal(ApplicationStatus.Submitted, accepted.Value!.Status);
        Assert.Null(accepted.Value.SubmissionQueuedAt);
        var saved = _h.Store.Single(ready.OwnerId, ready.Id);
        Assert.Equal(ApplicationStatus.Submitted, saved.Status);
        Assert.NotNull(saved.CaseNumber);
        Assert.Null(saved.SubmissionQueuedAt);

        var tooEarly = await _h.Dispatcher.RelayAsync(10, CancellationToken.None);
        Assert.Equal(0, tooEarly);

        _h.Clock.Advance(SubmissionDispatcher.RelayGrace + TimeSpan.FromSeconds(1));
        var relayed = await _h.Dispatcher.RelayAsync(10, CancellationToken.None);
        var again = await _h.Dispatcher.RelayAsync(10, CancellationToken.None);

        Assert.Equal(1, relayed);
        Assert.Equal(0, again);
        // One failed attempt, then exactly one successful send.
        _h.Queue.Verify(q => q.EnqueueAsync(It.Is<ApplicationSubmitted>(m => m.ApplicationId == ready.Id && m.CaseNumber == saved.CaseNumber && m.OwnerId == ready.OwnerId), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal(_h.Clock.Now, _h.Store.Single(ready.OwnerId, ready.Id).SubmissionQueuedAt);
    }
}

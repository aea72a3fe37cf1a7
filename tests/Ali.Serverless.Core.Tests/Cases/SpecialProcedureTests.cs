using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Cases;

/// <summary>特别程序: pausing procedures move both limits by the working days they lasted; an extension adds ten, once.</summary>
public sealed class SpecialProcedureTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private readonly CaseHarness _h = new();

    [Fact]
    public async Task PausingProcedure_SuspendsTheCase_AndMovesBothLimitsAndOpenTasksByItsWorkingDays()
    {
        var review = await _h.UnderReviewAsync();

        var started = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, review.CaseNumber!, new StartSpecialProcedureRequest("inspection", "现场检验"), CancellationToken.None);
        Assert.True(started.IsSuccess, started.Problem?.Detail);
        Assert.Equal(ApplicationStatus.Suspended, _h.Current(review).Status);

        // Work waits while suspended.
        var blocked = await _h.Workflow.CompleteTaskAsync(CoSystem, OpenTask(review, TaskKind.Review, CoDepartment).Id, new CompleteTaskRequest("approve", null, null), CancellationToken.None);
        Assert.Equal("invalid-transition", blocked.Problem!.Type);
        Assert.Contains("suspended", blocked.Problem.Detail);

        // Started Tuesday 2026-03-10, ended Friday 03-13: three working days (11, 12, 13) not counted.
        _h.Clock.Advance(TimeSpan.FromDays(3));
        var ended = await _h.Workflow.EndSpecialProcedureAsync(Reviewer, review.CaseNumber!, started.Value!.Id, new EndSpecialProcedureRequest("检验合格"), CancellationToken.None);

        Assert.Equal(3, ended.Value!.PausedWorkingDays);
        var resumed = _h.Current(review);
        Assert.Equal(ApplicationStatus.UnderReview, resumed.Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 0, 0, 0, Cst), resumed.PromisedDueAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 14, 0, 0, 0, Cst), resumed.LegalDueAt);
        Assert.All(resumed.Tasks.Where(t => t.State == TaskState.Open), t => Assert.Equal(new DateTimeOffset(2026, 3, 27, 0, 0, 0, Cst), t.DueAt));
        Assert.All(_h.Tasks.Tasks.Values.Where(t => t.State == TaskState.Open), t => Assert.Equal(new DateTimeOffset(2026, 3, 27, 0, 0, 0, Cst), t.DueAt));

        var twice = await _h.Workflow.EndSpecialProcedureAsync(Reviewer, review.CaseNumber!, started.Value.Id, new EndSpecialProcedureRequest("again"), CancellationToken.None);
        Assert.Equal("procedure-ended", twice.Problem!.Type);
    }

    [Fact]
    public async Task Extension_AddsTenWorkingDaysToTheLegalLimitOnce()
    {
        var review = await _h.UnderReviewAsync();

        var extended = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, review.CaseNumber!, new StartSpecialProcedureRequest("extension", "情况复杂"), CancellationToken.None);

        Assert.False(extended.Value!.IsOpen);
        Assert.Equal(ApplicationStatus.UnderReview, _h.Current(review).Status);
        Assert.Equal(new DateTimeOffset(2026, 4, 23, 0, 0, 0, Cst), _h.Current(review).LegalDueAt);
        Assert.Equal(review.PromisedDueAt, _h.Current(review).PromisedDueAt);

        var second = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, review.CaseNumber!, new StartSpecialProcedureRequest("extension", "再次"), CancellationToken.None);
        Assert.Equal("extension-already-granted", second.Problem!.Type);
    }

    [Fact]
    public async Task OnlyTheItemsDepartment_StartsProcedures_AndOnlyKnownKinds()
    {
        var review = await _h.UnderReviewAsync();

        var co = await _h.Workflow.StartSpecialProcedureAsync(CoReviewer, review.CaseNumber!, new StartSpecialProcedureRequest("hearing", "听证"), CancellationToken.None);
        var unknown = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, review.CaseNumber!, new StartSpecialProcedureRequest("holiday", ""), CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, co.Problem!.Kind);
        Assert.Equal(["kind", "reason"], unknown.Problem!.Errors!.Keys.Order());
        Assert.Equal(ApplicationStatus.UnderReview, _h.Current(review).Status);
    }

    [Theory]
    [InlineData("现场\u001B检验")]
    [InlineData("\u2800")]      // BRAILLE PATTERN BLANK only
    [InlineData("现场检验\u202E")]
    public async Task Procedure_WithAReasonOfControlOrInvisibleCharacters_IsInvalidNamingReason(string reason)
    {
        var review = await _h.UnderReviewAsync();

        var result = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, review.CaseNumber!, new StartSpecialProcedureRequest("inspection", reason), CancellationToken.None);

        Assert.Equal(["reason"], result.Problem!.Errors!.Keys);
        Assert.Equal(review, _h.Current(review));
    }

    [Theory]
    [InlineData("检验\u0000合格")]
    [InlineData("\u3164\u3164")]
    [InlineData("检验\u2028合格")]
    public async Task EndingAProcedure_WithAResultOfControlOrInvisibleCharacters_IsInvalidNamingResult(string outcome)
    {
        var review = await _h.UnderReviewAsync();
        var started = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, review.CaseNumber!, new StartSpecialProcedureRequest("inspection", "现场检验"), CancellationToken.None);
        var suspended = _h.Current(review);

        var result = await _h.Workflow.EndSpecialProcedureAsync(Reviewer, review.CaseNumber!, started.Value!.Id, new EndSpecialProcedureRequest(outcome), CancellationToken.None);

        Assert.Equal(["result"], result.Problem!.Errors!.Keys);
        Assert.Equal(suspended, _h.Current(review));
    }

    [Fact]
    public async Task PausingProcedure_BeforeAcceptance_IsNotAllowed()
    {
        var pending = await _h.PendingAcceptanceAsync();

        var result = await _h.Workflow.StartSpecialProcedureAsync(Reviewer, pending.CaseNumber!, new StartSpecialProcedureRequest("site-check", "核查"), CancellationToken.None);

        Assert.Equal("invalid-transition", result.Problem!.Type);
        Assert.Equal("pending-acceptance", result.Problem.Extensions!["applicationStatus"]);
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Limits;

/// <summary>Per-application limits: each refusal is a 422 naming the limit, and nothing is written.</summary>
public sealed class ApplicationLimitsTests
{
    private static IntakeHarness Harness(int materials = 20, int declarations = 50, long bytes = 100 * TestCatalog.MiB) =>
        new(options: new IntakeOptions { MaxMaterialsPerApplication = materials, MaxDeclarationsPerApplication = declarations, MaxDeclaredBytesPerApplication = bytes });

    private static async Task AssertRefusedAsync(IntakeHarness h, Application draft, DeclareMaterialRequest request, string limit, long value)
    {
        var before = h.Store.Single(draft.OwnerId, draft.Id);
        var replaces = h.Store.ReplaceCalls;

        var result = await h.Intake.DeclareMaterialAsync(Applicant, draft.Id, request, CancellationToken.None);

        Assert.Equal(ProblemKind.Unprocessable, result.Problem!.Kind);
        Assert.Equal("application-limit-reached", result.Problem.Type);
        Assert.Equal(limit, result.Problem.Extensions!["limit"]);
        Assert.Equal(value, result.Problem.Extensions["limitValue"]);
        Assert.Equal(replaces, h.Store.ReplaceCalls);
        Assert.Equal(before, h.Store.Single(draft.OwnerId, draft.Id));
    }

    [Fact]
    public async Task MaterialsPerApplication_ANewCodeBeyondTheLimitIsRefused_ReplacingOneIsNot()
    {
        var h = Harness(materials: 1);
        var draft = await h.OpenDraftAsync();
        await h.DeclareAsync(draft, Declaration("M01"));

        await AssertRefusedAsync(h, draft, Declaration("M02"), "materials-per-application", 1);
        await h.DeclareAsync(draft, Declaration("M01", fileName: "改正.pdf"));
        Assert.Equal("改正.pdf", h.Store.Single(draft.OwnerId, draft.Id).Materials.Single().FileName);
    }

    [Fact]
    public async Task DeclarationsPerApplication_CountReplacements()
    {
        var h = Harness(declarations: 2);
        var draft = await h.OpenDraftAsync();
        await h.DeclareAsync(draft, Declaration("M01"));
        await h.DeclareAsync(draft, Declaration("M01"));
        Assert.Equal(2, h.Store.Single(draft.OwnerId, draft.Id).DeclarationCount);

        await AssertRefusedAsync(h, draft, Declaration("M01"), "declarations-per-application", 2);
    }

    [Fact]
    public async Task DeclaredBytesPerApplication_CountTheMaterialsHeld_NotTheOneBeingReplaced()
    {
        var h = Harness(bytes: 1500);
        var draft = await h.OpenDraftAsync();
        await h.DeclareAsync(draft, Declaration("M01", size: 1000));

        await AssertRefusedAsync(h, draft, Declaration("M02", size: 501), "declared-bytes-per-application", 1500);
        await h.DeclareAsync(draft, Declaration("M02", size: 500));
        // Replacing M01 by a smaller file frees room: 400 + 500 + 600 fits.
        await h.DeclareAsync(draft, Declaration("M01", size: 400));
        await h.DeclareAsync(draft, Declaration("M03", size: 600));
        await AssertRefusedAsync(h, draft, Declaration("M03", size: 601), "declared-bytes-per-application", 1500);
    }

    [Fact]
    public async Task Defaults_LeaveRoomForTheLargestCatalogItem()
    {
        var options = new IntakeOptions();
        // The shipped catalog's largest item asks for 5 materials of at most 55 MiB together.
        Assert.True(options.MaxMaterialsPerApplication >= 5);
        Assert.True(options.MaxDeclaredBytesPerApplication >= 55 * TestCatalog.MiB);
        Assert.True(options.MaxDeclarationsPerApplication >= 5 * 5);
    }
}

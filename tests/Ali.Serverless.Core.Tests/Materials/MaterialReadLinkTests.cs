using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Moq;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Materials;

/// <summary>Who gets a link to a material's bytes, to which blob, for how long, and what the trail records.</summary>
public sealed class MaterialReadLinkTests
{
    private readonly CaseHarness _h = new();
    private readonly MaterialReadLinks _links;
    private readonly List<(string Blob, string Type, string Disposition, DateTimeOffset Expires)> _issued = [];

    public MaterialReadLinkTests()
    {
        _h.Intake.MaterialStorage
            .Setup(s => s.CreateReadLinkAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string blob, string type, string disposition, DateTimeOffset expires, CancellationToken _) =>
            {
                _issued.Add((blob, type, disposition, expires));
                return new ReadLink(new Uri($"https://blobs.example/materials/{blob}?sp=r"), expires);
            });
        _links = new MaterialReadLinks(_h.Store, _h.Index, _h.Intake.MaterialStorage.Object, _h.Audit, _h.Clock,
            new IntakeOptions { ReadLinkLifetime = TimeSpan.FromMinutes(5) });
    }

    private string DayChain(Caller caller) => AuditActions.DayChain(_h.Clock.GetUtcNow(), caller.Subject);

    [Fact]
    public async Task The_applicant_gets_a_five_minute_link_to_the_sealed_copy_of_their_own_material()
    {
        var draft = await _h.Intake.ReadyDraftAsync();
        var material = draft.Materials[0];

        var link = await _links.ForApplicationAsync(IntakeHarness.Applicant, draft.Id, material.Id, default);

        Assert.True(link.IsSuccess, link.Problem?.Detail);
        var issued = Assert.Single(_issued);
        Assert.Equal($"verified/{material.BlobName}", issued.Blob);
        Assert.NotEqual(material.BlobName, issued.Blob);
        Assert.Equal("application/pdf", issued.Type);
        Assert.StartsWith("attachment;", issued.Disposition, StringComparison.Ordinal);
        Assert.Equal(_h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), link.Value!.ExpiresAt);
        Assert.Equal((material.Id, material.Sha256, "GET"), (link.Value.MaterialId, link.Value.Sha256, link.Value.Method));
        var record = _h.AuditStore.Chain(DayChain(IntakeHarness.Applicant))[^1];
        Assert.Equal(("material.read-link", $"material:{material.Id}", AuditActions.Success), (record.Action, record.Object, record.Outcome));
    }

    [Fact]
    public async Task A_clerk_reads_the_halls_window_application()
    {
        var draft = await _h.Intake.ReadyDraftAsync(IntakeHarness.Clerk);

        var link = await _links.ForApplicationAsync(IntakeHarness.Clerk with { Subject = "clerk-43" }, draft.Id, draft.Materials[0].Id, default);

        Assert.True(link.IsSuccess, link.Problem?.Detail);
    }

    [Fact]
    public async Task Another_applicant_gets_404_and_the_refusal_is_on_their_day_chain_only()
    {
        var draft = await _h.Intake.ReadyDraftAsync();

        var link = await _links.ForApplicationAsync(IntakeHarness.OtherApplicant, draft.Id, draft.Materials[0].Id, default);

        Assert.Equal(ProblemKind.NotFound, link.Problem!.Kind);
        Assert.Empty(_issued);
        var record = Assert.Single(_h.AuditStore.Chain(DayChain(IntakeHarness.OtherApplicant)));
        Assert.Equal(("material.read-link", AuditActions.Refused), (record.Action, record.Outcome));
    }

    [Fact]
    public async Task An_unverified_material_is_409_and_no_link_is_made()
    {
        var draft = await _h.Intake.OpenDraftAsync();
        var id = await _h.Intake.DeclareAsync(draft, IntakeHarness.Declaration());

        var link = await _links.ForApplicationAsync(IntakeHarness.Applicant, draft.Id, id, default);

        Assert.Equal((ProblemKind.Conflict, "material-not-verified"), (link.Problem!.Kind, link.Problem.Type));
        Assert.Empty(_issued);
        Assert.Equal(AuditActions.Refused, _h.AuditStore.Chain(DayChain(IntakeHarness.Applicant))[^1].Outcome);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../verified")]
    public async Task A_material_that_is_not_on_the_application_is_404(string materialId)
    {
        var draft = await _h.Intake.ReadyDraftAsync();

        var link = await _links.ForApplicationAsync(IntakeHarness.Applicant, draft.Id, materialId, default);

        Assert.Equal(ProblemKind.NotFound, link.Problem!.Kind);
        Assert.Empty(_issued);
    }

    [Fact]
    public async Task Staff_of_a_department_with_a_task_on_the_case_get_a_link_and_it_is_on_the_cases_chain()
    {
        var review = await _h.UnderReviewAsync();
        var material = review.Materials[1];

        var reviewer = await _links.ForCaseAsync(Reviewer, review.CaseNumber!, material.Id, default);
        var coSystem = await _links.ForCaseAsync(CoSystem, review.CaseNumber!, material.Id, default);

        Assert.True(reviewer.IsSuccess, reviewer.Problem?.Detail);
        Assert.True(coSystem.IsSuccess, coSystem.Problem?.Detail);
        Assert.All(_issued, i => Assert.Equal(material.VerifiedBlobName, i.Blob));
        var chain = _h.AuditStore.Chain(review.CaseNumber!);
        Assert.Equal([(Reviewer.Subject, "material.read-link"), (CoSystem.Subject, "material.read-link")], chain.TakeLast(2).Select(r => (r.Actor, r.Action)));
        Assert.All(chain.TakeLast(2), r => Assert.Equal($"material:{material.Id}", r.Object));
        Assert.True(AuditVerifier.Verify(chain).Valid);
    }

    [Fact]
    public async Task Staff_of_another_department_and_supervisors_get_404_off_the_cases_chain()
    {
        var review = await _h.UnderReviewAsync();
        var before = _h.AuditStore.Chain(review.CaseNumber!).Count;

        var stranger = await _links.ForCaseAsync(Stranger, review.CaseNumber!, review.Materials[0].Id, default);
        var supervisor = await _links.ForCaseAsync(SupervisorCaller, review.CaseNumber!, review.Materials[0].Id, default);
        var applicant = await _links.ForCaseAsync(IntakeHarness.Applicant, review.CaseNumber!, review.Materials[0].Id, default);

        Assert.All(new[] { stranger, supervisor, applicant }, r => Assert.Equal(ProblemKind.NotFound, r.Problem!.Kind));
        Assert.Empty(_issued);
        Assert.Equal(before, _h.AuditStore.Chain(review.CaseNumber!).Count);
        Assert.Equal(AuditActions.Refused, Assert.Single(_h.AuditStore.Chain(DayChain(Stranger))).Outcome);
    }

    [Theory]
    [InlineData("no-such-case")]
    [InlineData("../../x")]
    [InlineData("")]
    public async Task A_case_that_does_not_exist_is_404(string caseNumber)
    {
        var link = await _links.ForCaseAsync(Reviewer, caseNumber, "0123456789abcdef0123456789abcdef", default);

        Assert.Equal(ProblemKind.NotFound, link.Problem!.Kind);
    }

    [Fact]
    public async Task The_link_is_issued_even_when_its_record_cannot_be_written_and_the_failure_is_reported()
    {
        var review = await _h.UnderReviewAsync();
        _h.AuditStore.FailAll = true;

        var link = await _links.ForCaseAsync(Reviewer, review.CaseNumber!, review.Materials[0].Id, default);

        Assert.True(link.IsSuccess);
        Assert.Equal("material.read-link", _h.AuditFailures.Entries.Single().Action);
    }
}

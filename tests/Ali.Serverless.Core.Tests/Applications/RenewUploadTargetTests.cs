using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Materials;
using Moq;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Applications;

public class RenewUploadTargetTests
{
    private readonly IntakeHarness _h = new();

    [Fact]
    public async Task Renew_DeclaredMaterial_GivesANewUrlForTheSameBlob_LaterExpiry_AndWritesNothing()
    {
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration());
        var blobName = _h.Store.Single(draft.OwnerId, draft.Id).Materials.Single().BlobName;
        var writesBefore = _h.Store.ReplaceCalls;
        _h.Clock.Advance(TimeSpan.FromMinutes(30));

        var renewed = await _h.Intake.RenewUploadTargetAsync(Applicant, draft.Id, id, CancellationToken.None);

        Assert.True(renewed.IsSuccess, renewed.Problem?.Detail);
        Assert.Equal(Start.AddMinutes(30) + _h.Options.UploadTargetLifetime, renewed.Value!.Upload.ExpiresAt);
        Assert.Equal(id, renewed.Value.Material.Id);
        _h.MaterialStorage.Verify(s => s.CreateUploadTargetAsync(blobName, "application/pdf", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal(writesBefore, _h.Store.ReplaceCalls);
    }

    [Fact]
    public async Task Renew_VerifiedMaterial_IsAConflict()
    {
        var draft = await _h.OpenDraftAsync();
        var pdf = Pdf();
        var id = await _h.DeclareAsync(draft, Declaration(size: pdf.Length, sha: Sha256Hex(pdf)));
        _h.Uploaded(IntakeHarness.SealedBlob(pdf));
        await _h.Intake.CompleteMaterialAsync(Applicant, draft.Id, id, CancellationToken.None);

        var renewed = await _h.Intake.RenewUploadTargetAsync(Applicant, draft.Id, id, CancellationToken.None);

        Assert.Equal(ProblemKind.Conflict, renewed.Problem?.Kind);
        Assert.Equal("material-verified", renewed.Problem!.Type);
    }

    [Fact]
    public async Task Renew_UnknownMaterial_OrSomeoneElsesApplication_IsNotFound()
    {
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration());

        var unknown = await _h.Intake.RenewUploadTargetAsync(Applicant, draft.Id, "nope", CancellationToken.None);
        var foreign = await _h.Intake.RenewUploadTargetAsync(OtherApplicant, draft.Id, id, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, unknown.Problem?.Kind);
        Assert.Equal(ProblemKind.NotFound, foreign.Problem?.Kind);
    }

    [Fact]
    public async Task Renew_OnASubmittedApplication_IsAConflict()
    {
        var ready = await _h.ReadyDraftAsync();
        await _h.Intake.SubmitAsync(Applicant, ready.Id, CancellationToken.None);

        var renewed = await _h.Intake.RenewUploadTargetAsync(Applicant, ready.Id, ready.Materials[0].Id, CancellationToken.None);

        Assert.Equal("already-submitted", renewed.Problem?.Type);
    }
}

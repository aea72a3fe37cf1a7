using Ali.Serverless.Audit;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Materials;
using Moq;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Applications;

public class CompleteMaterialTests
{
    private static readonly byte[] PdfBytes = Pdf();
    private static readonly string FileSha = Sha256Hex(PdfBytes);

    private readonly IntakeHarness _h = new();

    /// <summary>A draft with M01 declared as <see cref="PdfBytes"/> (application/pdf).</summary>
    private async Task<(Application Draft, string MaterialId)> DeclaredAsync()
    {
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration("M01", "申请书.pdf", "application/pdf", PdfBytes.Length, FileSha));
        return (_h.Store.Single(draft.OwnerId, draft.Id), id);
    }

    private Task<Result<Application>> Complete(Application draft, string materialId) =>
        _h.Intake.CompleteMaterialAsync(Applicant, draft.Id, materialId, CancellationToken.None);

    private static UploadedBlob Blob(long? size = null, string contentType = "application/pdf", string? sha = null, byte[]? head = null) =>
        new(size ?? PdfBytes.Length, contentType, sha ?? FileSha, head ?? PdfBytes[..MaterialRules.HeadLength]);

    [Fact]
    public async Task Complete_WhenTheBlobMatchesTheDeclaration_MarksTheMaterialVerified()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob());
        _h.Clock.Advance(TimeSpan.FromMinutes(2));

        var result = await Complete(draft, id);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        Assert.Equal(Start.AddMinutes(2), material.VerifiedAt);
        Assert.Equal(result.Value, _h.Store.Single(draft.OwnerId, draft.Id));
        _h.MaterialStorage.Verify(s => s.InspectAsync(material.BlobName, PdfBytes.Length, $"verified/{material.BlobName}", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Complete_ContentTypeReportedInOtherCase_StillMatches()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob(contentType: "Application/PDF"));

        var result = await Complete(draft, id);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
    }

    [Fact]
    public async Task Complete_WhenNothingWasUploaded_IsUnprocessableNotUploadedAndWritesNothing()
    {
        var (draft, id) = await DeclaredAsync();
        var replaces = _h.Store.ReplaceCalls;
        _h.Uploaded(null);

        var result = await Complete(draft, id);

        Assert.Equal(ProblemKind.Unprocessable, result.Problem!.Kind);
        Assert.Equal("material-not-uploaded", result.Problem.Type);
        Assert.Equal(replaces, _h.Store.ReplaceCalls);
        Assert.False(Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).IsVerified);
    }

    public static TheoryData<string, UploadedBlob> Mismatches => new()
    {
        // When the size differs the store does not hash, so the digest is absent.
        { "sizeBytes", new UploadedBlob(PdfBytes.Length + 1, "application/pdf", null, PdfBytes[..MaterialRules.HeadLength]) },
        { "contentType", Blob(contentType: "image/png") },
        { "contentType", Blob(head: Png()[..MaterialRules.HeadLength]) },
        { "sha256", Blob(sha: new string('0', 64)) },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task Complete_WhenTheBlobDiffersFromTheDeclaration_IsUnprocessableMismatchNamingTheFieldAndWritesNothing(string field, UploadedBlob blob)
    {
        var (draft, id) = await DeclaredAsync();
        var replaces = _h.Store.ReplaceCalls;
        _h.Uploaded(blob);

        var result = await Complete(draft, id);

        Assert.Equal(ProblemKind.Unprocessable, result.Problem!.Kind);
        Assert.Equal("material-mismatch", result.Problem.Type);
        Assert.True(result.Problem.Errors!.ContainsKey(field), $"'{field}' is not named; named: {string.Join(", ", result.Problem.Errors.Keys)}");
        Assert.Equal(replaces, _h.Store.ReplaceCalls);
        Assert.False(Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).IsVerified);
    }

    [Fact]
    public async Task Complete_PngBytesUnderADeclaredPdf_IsRefusedEvenWithMatchingHashAndType()
    {
        var png = Png();
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration("M01", "a.pdf", "application/pdf", png.Length, Sha256Hex(png)));
        _h.Uploaded(new UploadedBlob(png.Length, "application/pdf", Sha256Hex(png), png[..MaterialRules.HeadLength]));

        var result = await Complete(draft, id);

        Assert.Equal("material-mismatch", result.Problem!.Type);
        Assert.Equal(["contentType"], result.Problem.Errors!.Keys);
    }

    [Fact]
    public async Task Complete_UnknownMaterialId_IsNotFound()
    {
        var (draft, _) = await DeclaredAsync();

        var result = await Complete(draft, "0192a7b3c4d5e6f70192a7b3c4d5e6f7");

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
    }

    [Fact]
    public async Task Complete_AlreadyVerifiedMaterial_ReturnsTheApplicationWithoutInspectingAgain()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob());
        await Complete(draft, id);
        var replaces = _h.Store.ReplaceCalls;

        var again = await Complete(draft, id);

        Assert.True(again.IsSuccess);
        Assert.Equal(replaces, _h.Store.ReplaceCalls);
        _h.MaterialStorage.Verify(s => s.InspectAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Complete_WhenSomeoneElseWroteMeanwhile_IsConcurrentChangeAndLeavesItUnverified()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob());
        _h.Store.BeforeReplace = a => { _h.Store.BeforeReplace = null; _h.Store.Touch(a.OwnerId, a.Id); };

        var result = await Complete(draft, id);

        Assert.Equal("concurrent-change", result.Problem!.Type);
        Assert.False(Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).IsVerified);
    }

    [Fact]
    public async Task Complete_WhenTheStorageGivesNoHashForAMatchingSize_IsRefusedForSha256()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(new UploadedBlob(PdfBytes.Length, "application/pdf", null, PdfBytes[..MaterialRules.HeadLength]));

        var result = await Complete(draft, id);

        Assert.Equal(ProblemKind.Unprocessable, result.Problem?.Kind);
        Assert.Contains("sha256", result.Problem!.Errors!.Keys);
    }

    [Fact]
    public async Task Complete_RecordsTheSealedCopy_TheOnlyBytesStaffWillRead()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob());

        await Complete(draft, id);

        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        Assert.Equal($"verified/{material.BlobName}", material.VerifiedBlobName);
    }

    [Fact]
    public async Task Complete_WhenTheHashDiffers_DiscardsTheSealedCopy()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob(sha: new string('0', 64)));

        var result = await Complete(draft, id);

        Assert.Equal("material-mismatch", result.Problem!.Type);
        _h.MaterialStorage.Verify(s => s.DiscardAsync(It.Is<string>(n => n.StartsWith("verified/", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Complete_WhenTheBlobChangesWhileRead_IsConflictAndWritesNothing()
    {
        var (draft, id) = await DeclaredAsync();
        _h.MaterialStorage.Setup(s => s.InspectAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new MaterialChangedException("changed"));
        var before = _h.Store.ReplaceCalls;

        var result = await Complete(draft, id);

        Assert.Equal((ProblemKind.Conflict, "material-changed"), (result.Problem!.Kind, result.Problem.Type));
        Assert.Equal(before, _h.Store.ReplaceCalls);
        Assert.False(_h.Store.Single(draft.OwnerId, draft.Id).Materials.Single(m => m.Id == id).IsVerified);
        // A partial sealed copy is not the verified file: it is removed.
        _h.MaterialStorage.Verify(s => s.DiscardAsync($"verified/{draft.Id}/{id}", It.IsAny<CancellationToken>()), Times.Once);
        Assert.DoesNotContain(_h.AuditStore.All, r => r.Action == AuditActions.MaterialVerify);
    }
}

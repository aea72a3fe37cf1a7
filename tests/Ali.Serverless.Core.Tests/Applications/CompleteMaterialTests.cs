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
    private static readonly string FileMd5 = Md5Base64(PdfBytes);

    private readonly IntakeHarness _h = new();

    /// <summary>A draft with M01 declared as <see cref="PdfBytes"/> (application/pdf).</summary>
    private async Task<(Application Draft, string MaterialId)> DeclaredAsync(string? contentMd5 = null)
    {
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration("M01", "申请书.pdf", "application/pdf", PdfBytes.Length, FileSha) with { ContentMd5 = contentMd5 });
        return (_h.Store.Single(draft.OwnerId, draft.Id), id);
    }

    private Task<Result<Application>> Complete(Application draft, string materialId) =>
        _h.Intake.CompleteMaterialAsync(Applicant, draft.Id, materialId, CancellationToken.None);

    private static UploadedBlob Blob(long? size = null, string contentType = "application/pdf", string? md5 = null, byte[]? head = null) =>
        new(size ?? PdfBytes.Length, contentType, head ?? PdfBytes[..MaterialRules.HeadLength], new SealedCopy("\"0x8DSEALED\"", md5 ?? FileMd5));

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
        // When the size differs the store copies nothing, so there is no sealed copy.
        { "sizeBytes", new UploadedBlob(PdfBytes.Length + 1, "application/pdf", PdfBytes[..MaterialRules.HeadLength], null) },
        { "contentType", Blob(contentType: "image/png") },
        { "contentType", Blob(head: Png()[..MaterialRules.HeadLength]) },
        { "contentMd5", Blob(md5: Md5Base64(Png())) },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task Complete_WhenTheBlobDiffersFromTheDeclaration_IsUnprocessableMismatchNamingTheFieldAndWritesNothing(string field, UploadedBlob blob)
    {
        var (draft, id) = await DeclaredAsync(FileMd5);
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
    public async Task Complete_WithoutADeclaredMd5_TakesTheSha256AsDeclared_AndRecordsTheServicesMd5()
    {
        // Decision 21: the function no longer reads the file, so with no MD5 declared nothing compares the content.
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(Blob(md5: Md5Base64(Png())));

        var result = await Complete(draft, id);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        Assert.Equal(Md5Base64(Png()), material.VerifiedContentMd5);
        Assert.Equal(FileSha, material.Sha256);
    }

    [Fact]
    public async Task Complete_WhenTheServiceHoldsNoMd5_ADeclaredOneCannotBeCompared_AndTheMaterialIsVerified()
    {
        // Blocks committed without x-ms-blob-content-md5 leave the blob without an MD5; each block's was checked on its way in.
        var (draft, id) = await DeclaredAsync(FileMd5);
        _h.Uploaded(Blob() with { Sealed = new SealedCopy("\"0x8DSEALED\"", null) });

        var result = await Complete(draft, id);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        Assert.Null(material.VerifiedContentMd5);
        Assert.Equal(FileMd5, material.ContentMd5);
    }

    [Fact]
    public async Task Complete_WithTheDeclaredMd5_RecordsTheServicesMd5AndTheSealedCopysETag()
    {
        var (draft, id) = await DeclaredAsync(FileMd5);
        _h.Uploaded(Blob());

        var result = await Complete(draft, id);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        Assert.Equal((FileMd5, "\"0x8DSEALED\""), (material.VerifiedContentMd5, material.VerifiedETag));
    }

    [Fact]
    public async Task Complete_PngBytesUnderADeclaredPdf_IsRefusedEvenWithMatchingMd5AndType()
    {
        var png = Png();
        var draft = await _h.OpenDraftAsync();
        var id = await _h.DeclareAsync(draft, Declaration("M01", "a.pdf", "application/pdf", png.Length, Sha256Hex(png)) with { ContentMd5 = Md5Base64(png) });
        _h.Uploaded(SealedBlob(png));

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
    public async Task Complete_WhenTheStorageSealedNothingForAMatchingSize_IsRefused()
    {
        var (draft, id) = await DeclaredAsync();
        _h.Uploaded(new UploadedBlob(PdfBytes.Length, "application/pdf", PdfBytes[..MaterialRules.HeadLength], null));

        var result = await Complete(draft, id);

        Assert.Equal(ProblemKind.Unprocessable, result.Problem?.Kind);
        Assert.Contains("sizeBytes", result.Problem!.Errors!.Keys);
        Assert.False(Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).IsVerified);
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
    public async Task Complete_WhenTheMd5Differs_DiscardsTheSealedCopy()
    {
        var (draft, id) = await DeclaredAsync(FileMd5);
        _h.Uploaded(Blob(md5: Md5Base64(Png())));

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

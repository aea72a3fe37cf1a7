using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Moq;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Applications;

public class DeclareMaterialTests
{
    private readonly IntakeHarness _h = new();

    private Task<Result<MaterialUploadView>> Declare(Application application, DeclareMaterialRequest request) =>
        _h.Intake.DeclareMaterialAsync(Applicant, application.Id, request, CancellationToken.None);

    public static TheoryData<string, DeclareMaterialRequest> InvalidDeclarations => new()
    {
        { "materialCode", Declaration(code: "M99") },
        { "materialCode", Declaration(code: "") },
        { "fileName", Declaration(fileName: "../a.pdf") },
        { "fileName", Declaration(fileName: "a/b.pdf") },
        { "fileName", Declaration(fileName: "a\\b.pdf") },
        { "fileName", Declaration(fileName: " ") },
        { "fileName", Declaration(fileName: "报告\u2028.pdf") },        // LINE SEPARATOR
        { "fileName", Declaration(fileName: "\u3164") },                // only a HANGUL FILLER
        { "fileName", Declaration(fileName: "\u3164\u3164\u3164") },
        { "fileName", Declaration(fileName: "\u2800") },                // BRAILLE PATTERN BLANK
        { "fileName", Declaration(fileName: "invoice\u202Efdp.exe") },  // shows as "invoiceexe.pdf"
        { "fileName", Declaration(fileName: "a\u0000.pdf") },
        { "fileName", Declaration(fileName: "a.pdf\n") },
        { "contentType", Declaration(contentType: "image/png") },            // M01 takes pdf and ofd only
        { "contentType", Declaration(contentType: "application/x-msdownload") },
        { "sizeBytes", Declaration(size: 5 * TestCatalog.MiB + 1) },
        { "sizeBytes", Declaration(size: 0) },
        { "sizeBytes", Declaration(size: -1) },
        { "sizeBytes", Declaration() with { SizeBytes = null } },
        { "sha256", Declaration(sha: "abc") },
        { "sha256", Declaration(sha: new string('g', 64)) },
        { "sha256", Declaration(sha: new string('a', 63)) },
        { "contentMd5", Declaration() with { ContentMd5 = "" } },
        { "contentMd5", Declaration() with { ContentMd5 = "1B2M2Y8AsgTpgAmY7PhCfg" } },        // no padding
        { "contentMd5", Declaration() with { ContentMd5 = "1B2M2Y8AsgTpgAmY7PhCfg==AA" } },
        { "contentMd5", Declaration() with { ContentMd5 = "1B2M2Y8AsgTpgAmY7PhC!g==" } },       // not base64
        { "contentMd5", Declaration() with { ContentMd5 = "d41d8cd98f00b204e9800998ecf8427e" } }, // hex, not base64
        { "contentMd5", Declaration() with { ContentMd5 = Convert.ToBase64String(new byte[17])[..24] } }, // 24 chars, not 16 bytes
    };

    [Theory]
    [MemberData(nameof(InvalidDeclarations))]
    public async Task Declare_WithInvalidField_IsInvalidNamingTheFieldAndChangesNothing(string field, DeclareMaterialRequest request)
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, request);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.True(result.Problem.Errors!.ContainsKey(field), $"'{field}' is not named; named: {string.Join(", ", result.Problem.Errors.Keys)}");
        Assert.Equal(1, _h.Store.ReplaceCalls); // only the open's own (its audit record leaving the outbox)
        Assert.Equal(draft, _h.Store.Single(draft.OwnerId, draft.Id));
        _h.MaterialStorage.Verify(s => s.CreateUploadTargetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("\u0F43.pdf", "\u0F42\u0FB7.pdf")] // Tibetan GHA is GA + subjoined HA in NFC
    [InlineData("\uF900.pdf", "\u8C48.pdf")]       // a CJK compatibility ideograph becomes its unified one
    [InlineData("申请书.pdf", "申请书.pdf")]
    public async Task Declare_StoresTheFileNameInNfc(string fileName, string stored)
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, Declaration(fileName: fileName));

        Assert.Equal(stored, result.Value!.Material.FileName);
        Assert.Equal(stored, Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).FileName);
    }

    [Fact]
    public async Task Declare_WithSeveralInvalidFields_NamesEachOfThem()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, new DeclareMaterialRequest("M01", "../x.pdf", "text/html", 0, "zz"));

        Assert.Equal(["contentType", "fileName", "sha256", "sizeBytes"], result.Problem!.Errors!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Declare_ValidMaterial_AppendsItUnverified()
    {
        var draft = await _h.OpenDraftAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(3));

        var result = await Declare(draft, Declaration("M01", "申请书.pdf", "Application/PDF", 1234, new string('A', 64)));

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var stored = _h.Store.Single(draft.OwnerId, draft.Id);
        var material = Assert.Single(stored.Materials);
        Assert.Equal(result.Value!.Material.Id, material.Id);
        Assert.Equal("M01", material.Code);
        Assert.Equal("申请书.pdf", material.FileName);
        Assert.Equal("application/pdf", material.ContentType);
        Assert.Equal(1234, material.SizeBytes);
        Assert.Equal(new string('a', 64), material.Sha256);
        Assert.Equal(Start.AddMinutes(3), material.DeclaredAt);
        Assert.False(material.IsVerified);
        Assert.Equal("awaiting-upload", result.Value.Material.Status);
        Assert.Equal(Start.AddMinutes(3), stored.UpdatedAt);
    }

    [Fact]
    public async Task Declare_WithAnMd5_StoresIt_AndTheSinglePutCarriesItAsContentMd5()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, Declaration() with { ContentMd5 = "1B2M2Y8AsgTpgAmY7PhCfg==" });

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        Assert.Equal("1B2M2Y8AsgTpgAmY7PhCfg==", Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).ContentMd5);
        Assert.Equal("1B2M2Y8AsgTpgAmY7PhCfg==", result.Value!.Upload.Headers["Content-MD5"]);
    }

    [Fact]
    public async Task Declare_WithoutAnMd5_AsExistingClientsDo_IsAccepted_AndThePutCarriesNone()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, Declaration());

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        Assert.Null(Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials).ContentMd5);
        Assert.False(result.Value!.Upload.Headers.ContainsKey("Content-MD5"));
    }

    [Fact]
    public async Task Declare_NamesTheBlobAfterApplicationAndMaterialIdNeverTheFileName()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, Declaration(fileName: "my-secret-name.pdf"));

        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        Assert.Equal($"{draft.Id}/{material.Id}", material.BlobName);
        Assert.DoesNotContain("my-secret-name", material.BlobName, StringComparison.Ordinal);
        Assert.Equal(result.Value!.Material.Id, material.Id);
    }

    [Fact]
    public async Task Declare_HandsOutTheUploadTargetOfThatBlobExpiringAfterTheConfiguredLifetime()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await Declare(draft, Declaration(contentType: "application/ofd"));

        var material = Assert.Single(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        var expiry = Start + _h.Options.UploadTargetLifetime;
        _h.MaterialStorage.Verify(s => s.CreateUploadTargetAsync(material.BlobName, "application/ofd", expiry, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(expiry, result.Value!.Upload.ExpiresAt);
        Assert.Equal("PUT", result.Value.Upload.Method);
        Assert.EndsWith($"/{material.BlobName}?sig=test", result.Value.Upload.Url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declare_SameCodeAgain_ReplacesTheEarlierMaterialAndKeepsOthers()
    {
        var draft = await _h.OpenDraftAsync();
        await _h.DeclareAsync(draft, Declaration("M01", "first.pdf"));
        var m02 = await _h.DeclareAsync(draft, Declaration("M02", "id.jpg", "image/jpeg"));

        var second = await _h.DeclareAsync(draft, Declaration("M01", "second.pdf"));

        var materials = _h.Store.Single(draft.OwnerId, draft.Id).Materials;
        Assert.Equal(2, materials.Count);
        Assert.Equal("second.pdf", Assert.Single(materials, m => m.Code == "M01").FileName);
        Assert.Equal(second, Assert.Single(materials, m => m.Code == "M01").Id);
        Assert.Equal(m02, Assert.Single(materials, m => m.Code == "M02").Id);
    }

    [Fact]
    public async Task Declare_OnASubmittedApplication_IsConflictAndChangesNothing()
    {
        var ready = await _h.ReadyDraftAsync();
        var submitted = await _h.Intake.SubmitAsync(Applicant, ready.Id, CancellationToken.None);
        var replaces = _h.Store.ReplaceCalls;

        var result = await Declare(ready, Declaration("M03"));

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
        Assert.Equal("already-submitted", result.Problem.Type);
        Assert.Equal(replaces, _h.Store.ReplaceCalls);
        Assert.Equal(submitted.Value, _h.Store.Single(ready.OwnerId, ready.Id));
    }

    [Fact]
    public async Task Declare_OnAnotherOwnersApplication_IsNotFound()
    {
        var draft = await _h.OpenDraftAsync();

        var result = await _h.Intake.DeclareMaterialAsync(OtherApplicant, draft.Id, Declaration(), CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        Assert.Equal(1, _h.Store.ReplaceCalls); // only the open's own (its audit record leaving the outbox)
    }

    [Fact]
    public async Task Declare_WhenSomeoneElseWroteMeanwhile_IsConcurrentChangeWithoutUploadTarget()
    {
        var draft = await _h.OpenDraftAsync();
        _h.Store.BeforeReplace = a => { _h.Store.BeforeReplace = null; _h.Store.Touch(a.OwnerId, a.Id); };

        var result = await Declare(draft, Declaration());

        Assert.Equal(ProblemKind.Conflict, result.Problem!.Kind);
        Assert.Equal("concurrent-change", result.Problem.Type);
        Assert.Empty(_h.Store.Single(draft.OwnerId, draft.Id).Materials);
        _h.MaterialStorage.Verify(s => s.CreateUploadTargetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

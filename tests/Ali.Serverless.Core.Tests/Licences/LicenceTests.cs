using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Identity;
using Ali.Serverless.Licences;
using Ali.Serverless.Materials;

namespace Ali.Serverless.Core.Tests.Licences;

/// <summary>
/// Licences through the workflow: issued once at approval (even when the outbox runs twice), verified,
/// tampered, revoked, expired, rotated; given as a material instead of an upload, and refused when it may not be.
/// </summary>
public class LicenceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly CaseHarness _h = new();

    internal static LicenceContent Content(string keyId) => new()
    {
        Id = "0192a7b3c4d5e6f70192a7b3c4d5e6f1",
        TypeCode = "GTGSHYYZZ",
        TypeName = "个体工商户营业执照",
        Number = "GTGSHYYZZ-542500-2026-01234567",
        Holder = new LicenceHolder("natural-person", "次仁卓玛", "1101**********002X"),
        IssuerDepartmentCode = "542500-SCJGJ",
        IssuerDepartmentName = "阿里地区市场监督管理局",
        DivisionCode = "542500",
        IssuedOn = new DateOnly(2026, 3, 10),
        ValidFrom = new DateOnly(2026, 3, 10),
        ValidUntil = null,
        CaseNumber = "542500-20260310-ABCDEF0123",
        ItemCode = "542500-SCJGJ-01001",
        Data = new Dictionary<string, string> { ["名称"] = "阿里高原牧家小卖部" },
        KeyId = keyId,
    };

    private async Task<Application> ApprovedAsync(Caller? applicant = null, string itemCode = CaseHarness.LicensedItemCode, bool approve = true)
    {
        var draft = await DraftAsync(applicant ?? IntakeHarness.Applicant, itemCode, ["M01", "M02"]);
        return await DecideAsync(applicant ?? IntakeHarness.Applicant, draft, approve);
    }

    private async Task<Application> DraftAsync(Caller applicant, string itemCode, IReadOnlyList<string> uploads)
    {
        var channel = applicant.IsWindowClerk ? "window" : "web";
        var opened = await _h.Intake.Intake.OpenAsync(applicant,
            new OpenApplicationRequest(itemCode, channel, new ApplicantRequest("natural-person", IntakeHarness.ValidResidentId, "次仁卓玛", "13800000000"),
                new Dictionary<string, string> { ["名称"] = "阿里高原牧家小卖部", ["经营场所"] = "狮泉河镇" }),
            null, "fp", None);
        Assert.True(opened.IsSuccess, opened.Problem?.Detail);
        var draft = opened.Value!.Application;
        var pdf = IntakeHarness.Pdf();
        foreach (var code in uploads)
        {
            var id = await _h.Intake.DeclareAsync(draft, IntakeHarness.Declaration(code, $"{code}.pdf", "application/pdf", pdf.Length, IntakeHarness.Sha256Hex(pdf)), applicant);
            _h.Intake.Uploaded(IntakeHarness.SealedBlob(pdf));
            Assert.True((await _h.Intake.Intake.CompleteMaterialAsync(applicant, draft.Id, id, None)).IsSuccess);
        }
        return _h.Store.Single(applicant.OwnerId, draft.Id);
    }

    private async Task<Application> DecideAsync(Caller applicant, Application draft, bool approve)
    {
        var submitted = await _h.Intake.Intake.SubmitAsync(applicant, draft.Id, None);
        Assert.True(submitted.IsSuccess, submitted.Problem?.Detail);
        var pending = (await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], None)).Value!;
        await _h.CompleteAsync(CaseHarness.Reviewer, CaseHarness.OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));
        var accepted = _h.Current(pending);
        await _h.CompleteAsync(CaseHarness.Reviewer, CaseHarness.OpenTask(accepted, TaskKind.Review), new CompleteTaskRequest("approve", null, null));
        await _h.CompleteAsync(CaseHarness.CoReviewer, CaseHarness.OpenTask(accepted, TaskKind.Review, CaseHarness.CoDepartment), new CompleteTaskRequest("approve", null, null));
        var deciding = _h.Current(pending);
        await _h.CompleteAsync(CaseHarness.Reviewer, CaseHarness.OpenTask(deciding, TaskKind.Decision),
            approve ? new CompleteTaskRequest("approve", "准予登记", null) : new CompleteTaskRequest("reject", "经营场所不符合要求", null));
        return _h.Current(pending);
    }

    private Licence Issued(Application application) => _h.Intake.LicenceStore.All.Single(l => l.ApplicationId == application.Id);

    [Fact]
    public async Task AnApprovedCase_IssuesOneSignedLicence_WithTheCasesData()
    {
        var approved = await ApprovedAsync();

        var licence = Issued(approved);
        var c = licence.Content;
        Assert.Equal(LicenceNumbers.IdFor(approved.Id), approved.LicenceId);
        Assert.Equal(approved.LicenceId, licence.Id);
        Assert.Equal((CaseHarness.LicenceType, "个体工商户营业执照"), (c.TypeCode, c.TypeName));
        Assert.Matches($@"^{CaseHarness.LicenceType}-542500-2026-\d{{8}}$", c.Number);
        Assert.Equal(new LicenceHolder("natural-person", "次仁卓玛", "1101**********002X"), c.Holder);
        Assert.Equal(("542500-SCJGJ", "阿里地区市场监督管理局"), (c.IssuerDepartmentCode, c.IssuerDepartmentName));
        Assert.Equal(approved.CaseNumber, c.CaseNumber);
        Assert.Equal(new DateOnly(2026, 3, 10), c.IssuedOn);
        Assert.Equal(new DateOnly(2028, 3, 9), c.ValidUntil);
        Assert.Equal("阿里高原牧家小卖部", c.Data["名称"]);
        Assert.Equal(IntakeHarness.Applicant.Subject, licence.HolderAccountId);
        Assert.Equal(_h.Intake.LicenceKeys.Newest.KeyId, c.KeyId);
        Assert.True(LicenceSignatures.IsAuthentic(licence, await _h.Intake.LicenceKeys.GetKeysAsync(None)));
        Assert.DoesNotContain(IntakeHarness.ValidResidentId, System.Text.Json.JsonSerializer.Serialize(licence, DocumentJson.Options));
        Assert.Empty(approved.Outbox);
        // Issuing is in the case's audit trail.
        Assert.Single(_h.AuditStore.Chain(approved.CaseNumber!), r => r.Action == LicenceService.IssueAction);
    }

    [Fact]
    public async Task TheIssuingEffect_RunTwice_StoresOneLicence_AndOneAuditRecord()
    {
        var approved = await ApprovedAsync();
        var first = Issued(approved);
        var order = new LicenceOrder(CaseHarness.LicenceType, "个体工商户营业执照", 2, "阿里地区市场监督管理局");

        // A crash after the effect and before the outbox entry was removed: the relay does it again.
        var again = await _h.Intake.Licences.IssueAsync(approved, order, approved.Decision!.DecidedAt, None);

        Assert.Equal(first, again);
        Assert.Single(_h.Intake.LicenceStore.All);
        Assert.Single(_h.AuditStore.Chain(approved.CaseNumber!), r => r.Action == LicenceService.IssueAction);
    }

    [Fact]
    public async Task AnOutboxLeftByACrash_IsFinishedByTheRelay_WithTheSameLicence()
    {
        var approved = await ApprovedAsync();
        var issued = Issued(approved);
        // Put the issuing entry back, as if the process died before removing it, then let the relay run.
        var entry = new OutboxEntry("f".PadLeft(32, 'f'), OutboxKind.IssueLicence, approved.Decision!.DecidedAt)
        {
            Licence = new LicenceOrder(CaseHarness.LicenceType, "个体工商户营业执照", 2, "阿里地区市场监督管理局"),
        };
        var stored = _h.Store.Seed(approved with { Outbox = [entry] });
        _h.Clock.Advance(TimeSpan.FromMinutes(5));

        await _h.Outbox.DispatchAsync(stored, None);

        Assert.Equal(issued, Assert.Single(_h.Intake.LicenceStore.All));
        Assert.Empty(_h.Current(approved).Outbox);
    }

    [Fact]
    public async Task ARejectedCase_OrAnItemWithoutResultLicence_IssuesNone()
    {
        var rejected = await ApprovedAsync(approve: false);
        var plain = await ApprovedAsync(itemCode: Support.TestCatalog.PersonItemCode);

        Assert.Null(rejected.LicenceId);
        Assert.Null(plain.LicenceId);
        Assert.Empty(_h.Intake.LicenceStore.All);
    }

    [Fact]
    public async Task ANumberAlreadyTaken_MovesToTheNextCandidate()
    {
        var draft = await DraftAsync(IntakeHarness.Applicant, CaseHarness.LicensedItemCode, ["M01", "M02"]);
        var id = LicenceNumbers.IdFor(draft.Id);
        var taken = LicenceNumbers.NumberFor(CaseHarness.LicenceType, "542500", 2026, id, 0);
        _h.Intake.LicenceStore.Put(new Licence
        {
            Content = Content("kid") with { Id = "00000000000000000000000000000001", Number = taken },
            Signature = "x",
            ApplicationId = "other",
            OwnerId = "applicant:other",
            IssuedAt = IntakeHarness.Start,
        });

        var approved = await DecideAsync(IntakeHarness.Applicant, draft, approve: true);

        Assert.Equal(LicenceNumbers.NumberFor(CaseHarness.LicenceType, "542500", 2026, id, 1), Issued(approved).Content.Number);
    }

    [Fact]
    public async Task Verification_Valid_ThenTampered_ThenRevoked_ThenExpired()
    {
        var licence = Issued(await ApprovedAsync());
        var digest = licence.Content.Digest();

        var valid = await _h.Intake.Licences.VerifyAsync(licence.Id, digest, None);
        Assert.Equal("valid", valid.Value!.Status);
        Assert.Equal("次**玛", valid.Value.Licence!.HolderName);
        Assert.Equal("1101**********002X", valid.Value.Licence.HolderIdentityNumber);

        // A QR code made for other content: the digest no longer matches.
        var wrongDigest = await _h.Intake.Licences.VerifyAsync(licence.Id, Content("k").Digest(), None);
        Assert.Equal("tampered", wrongDigest.Value!.Status);
        Assert.Null(wrongDigest.Value.Licence);

        // One field changed in the store: the signature no longer matches, whatever the QR code says.
        var original = licence;
        _h.Intake.LicenceStore.Put(licence with { Content = licence.Content with { ValidUntil = new DateOnly(2099, 1, 1) } });
        Assert.Equal("tampered", (await _h.Intake.Licences.VerifyAsync(licence.Id, digest, None)).Value!.Status);
        _h.Intake.LicenceStore.Put(original);

        var revoked = await _h.Intake.Licences.RevokeAsync(CaseHarness.Reviewer, licence.Id, new RevokeLicenceRequest("营业执照被吊销"), None);
        Assert.True(revoked.IsSuccess, revoked.Problem?.Detail);
        var afterRevoke = await _h.Intake.Licences.VerifyAsync(licence.Id, digest, None);
        Assert.Equal("revoked", afterRevoke.Value!.Status);
        Assert.NotNull(afterRevoke.Value.RevokedAt);

        _h.Intake.LicenceStore.Put(original);
        _h.Clock.Advance(TimeSpan.FromDays(3 * 365));
        Assert.Equal("expired", (await _h.Intake.Licences.VerifyAsync(licence.Id, digest, None)).Value!.Status);
    }

    [Fact]
    public async Task Verification_NamesBadQueries_AndAnUnknownLicenceIsNotFound()
    {
        var bad = await _h.Intake.Licences.VerifyAsync("../etc", "short", None);
        Assert.Equal(ProblemKind.Invalid, bad.Problem!.Kind);
        Assert.Equal(["d", "id"], bad.Problem.Errors!.Keys.Order());

        var unknown = await _h.Intake.Licences.VerifyAsync("0192a7b3c4d5e6f70192a7b3c4d5e6f1", Content("k").Digest(), None);
        Assert.Equal(ProblemKind.NotFound, unknown.Problem!.Kind);
    }

    [Fact]
    public async Task Rotation_NewLicencesUseTheNewKey_AndOldOnesStillVerify()
    {
        var old = Issued(await ApprovedAsync());
        var newKey = _h.Intake.LicenceKeys.Rotate(IntakeHarness.Start);

        var fresh = Issued(await ApprovedAsync(IntakeHarness.OtherApplicant));

        Assert.Equal(newKey.KeyId, fresh.Content.KeyId);
        Assert.NotEqual(old.Content.KeyId, fresh.Content.KeyId);
        Assert.Equal("valid", (await _h.Intake.Licences.VerifyAsync(old.Id, old.Content.Digest(), None)).Value!.Status);
        Assert.Equal("valid", (await _h.Intake.Licences.VerifyAsync(fresh.Id, fresh.Content.Digest(), None)).Value!.Status);
        var published = await _h.Intake.Licences.PublicKeysAsync(None);
        Assert.Equal([newKey.KeyId, old.Content.KeyId], published.Select(k => k.Kid));

        // A key that is withdrawn (compromised) no longer vouches for what it signed.
        _h.Intake.LicenceKeys.Remove(old.Content.KeyId);
        Assert.Equal("tampered", (await _h.Intake.Licences.VerifyAsync(old.Id, old.Content.Digest(), None)).Value!.Status);
    }

    [Fact]
    public async Task Reading_IsForTheHolderAndTheIssuingDepartment_OthersFindNothing()
    {
        var licence = Issued(await ApprovedAsync());

        Assert.True((await _h.Intake.Licences.GetAsync(IntakeHarness.Applicant, licence.Id, None)).IsSuccess);
        Assert.True((await _h.Intake.Licences.GetAsync(CaseHarness.Reviewer, licence.Id, None)).IsSuccess);
        Assert.Equal(ProblemKind.NotFound, (await _h.Intake.Licences.GetAsync(IntakeHarness.OtherApplicant, licence.Id, None)).Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, (await _h.Intake.Licences.GetAsync(CaseHarness.Stranger, licence.Id, None)).Problem!.Kind);
        Assert.Equal(ProblemKind.NotFound, (await _h.Intake.Licences.GetAsync(CaseHarness.CoReviewer, licence.Id, None)).Problem!.Kind);
        Assert.Equal([licence.Id], (await _h.Intake.Licences.ListMineAsync(IntakeHarness.Applicant, None)).Select(l => l.Licence.Id));
        Assert.Empty(await _h.Intake.Licences.ListMineAsync(IntakeHarness.OtherApplicant, None));
    }

    [Fact]
    public async Task Revocation_NeedsAReason_OnlyTheIssuingDepartment_Once_AndIsAudited()
    {
        var approved = await ApprovedAsync();
        var licence = Issued(approved);

        var noReason = await _h.Intake.Licences.RevokeAsync(CaseHarness.Reviewer, licence.Id, new RevokeLicenceRequest(" \u3164 "), None);
        Assert.Equal(["reason"], noReason.Problem!.Errors!.Keys);
        var other = await _h.Intake.Licences.RevokeAsync(CaseHarness.CoReviewer, licence.Id, new RevokeLicenceRequest("错误"), None);
        Assert.Equal(ProblemKind.NotFound, other.Problem!.Kind);
        Assert.Null(Issued(approved).Revocation);

        var revoked = await _h.Intake.Licences.RevokeAsync(CaseHarness.Reviewer, licence.Id, new RevokeLicenceRequest("经营者申请注销"), None);
        var twice = await _h.Intake.Licences.RevokeAsync(CaseHarness.Reviewer, licence.Id, new RevokeLicenceRequest("再次"), None);

        Assert.Equal(LicenceStatus.Revoked, revoked.Value.Status);
        Assert.Equal(("经营者申请注销", CaseHarness.Reviewer.Subject), (Issued(approved).Revocation!.Reason, Issued(approved).Revocation!.By));
        Assert.Equal("licence-revoked", twice.Problem!.Type);
        var record = Assert.Single(_h.AuditStore.Chain(approved.CaseNumber!), r => r.Action == LicenceService.RevokeAction);
        Assert.Equal((CaseHarness.Reviewer.Subject, $"licence:{licence.Id}"), (record.Actor, record.Object));
    }

    [Fact]
    public async Task ALicence_GivenAsAMaterial_CountsAsVerified_AndTheReviewerSeesIt()
    {
        var licence = Issued(await ApprovedAsync());
        var draft = await DraftAsync(IntakeHarness.Applicant, CaseHarness.ReusingItemCode, ["M01"]);

        var given = await _h.Intake.Intake.GiveLicenceAsync(IntakeHarness.Applicant, draft.Id, new DeclareMaterialRequest("M02", null, null, null, null, licence.Id), None);

        Assert.True(given.IsSuccess, given.Problem?.Detail);
        Assert.Equal("verified", given.Value!.Status);
        Assert.Equal(licence.Content.Number, given.Value.Licence!.Number);
        var submitted = await _h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, None);
        Assert.True(submitted.IsSuccess, submitted.Problem?.Detail);
        var pending = (await _h.Workflow.PreCheckAsync(_h.Intake.Sent[^1], None)).Value!;
        var task = await _h.Workflow.GetTaskAsync(CaseHarness.Reviewer, CaseHarness.OpenTask(pending, TaskKind.Acceptance).Id, None);
        var m02 = task.Value!.Case.Materials.Single(m => m.MaterialCode == "M02");
        Assert.Equal((licence.Id, licence.Content.Digest()), (m02.Licence!.LicenceId, m02.Licence.Digest));
        Assert.Equal("verified", m02.Status);
    }

    [Fact]
    public async Task ARevokedExpiredForeignWrongTypeOrUnknownLicence_IsRefusedWith422NamingIt()
    {
        var mine = Issued(await ApprovedAsync());
        var theirs = Issued(await ApprovedAsync(IntakeHarness.OtherApplicant));
        var draft = await DraftAsync(IntakeHarness.Applicant, CaseHarness.ReusingItemCode, ["M01"]);

        async Task<Problem> Give(string code, string licenceId) =>
            (await _h.Intake.Intake.GiveLicenceAsync(IntakeHarness.Applicant, draft.Id, new DeclareMaterialRequest(code, null, null, null, null, licenceId), None)).Problem!;

        Assert.Equal("licence-not-found", (await Give("M02", theirs.Id)).Type);
        Assert.Equal("licence-not-found", (await Give("M02", "0192a7b3c4d5e6f70192a7b3c4d5e6f1")).Type);
        Assert.Equal("licence-not-accepted", (await Give("M01", mine.Id)).Type);
        _h.Intake.LicenceStore.Put(mine with { Content = mine.Content with { TypeCode = "OTHER" } });
        Assert.Equal("licence-wrong-type", (await Give("M02", mine.Id)).Type);
        _h.Intake.LicenceStore.Put(mine);
        await _h.Intake.Licences.RevokeAsync(CaseHarness.Reviewer, mine.Id, new RevokeLicenceRequest("吊销"), None);
        var revoked = await Give("M02", mine.Id);
        Assert.Equal((ProblemKind.Unprocessable, "licence-revoked"), (revoked.Kind, revoked.Type));
        Assert.Equal(["licenceId"], revoked.Errors!.Keys);
        Assert.Contains(mine.Id, revoked.Detail, StringComparison.Ordinal);
        _h.Intake.LicenceStore.Put(mine);
        _h.Clock.Advance(TimeSpan.FromDays(3 * 365));
        Assert.Equal("licence-expired", (await Give("M02", mine.Id)).Type);
        Assert.DoesNotContain(_h.Store.Single(IntakeHarness.Applicant.OwnerId, draft.Id).Materials, m => m.Code == "M02");
    }

    [Fact]
    public async Task ALicenceAndFileFieldsTogether_IsABadRequest()
    {
        var mine = Issued(await ApprovedAsync());
        var draft = await DraftAsync(IntakeHarness.Applicant, CaseHarness.ReusingItemCode, ["M01"]);

        var both = await _h.Intake.Intake.GiveLicenceAsync(IntakeHarness.Applicant, draft.Id, new DeclareMaterialRequest("M02", "x.pdf", null, 12, null, mine.Id), None);

        Assert.Equal(ProblemKind.Invalid, both.Problem!.Kind);
        Assert.Equal(["fileName", "sizeBytes"], both.Problem.Errors!.Keys.Order());
    }

    [Fact]
    public async Task ALicenceRevokedAfterItWasGiven_StopsTheSubmission_NamingTheMaterial()
    {
        var mine = Issued(await ApprovedAsync());
        var draft = await DraftAsync(IntakeHarness.Applicant, CaseHarness.ReusingItemCode, ["M01"]);
        Assert.True((await _h.Intake.Intake.GiveLicenceAsync(IntakeHarness.Applicant, draft.Id, new DeclareMaterialRequest("M02", null, null, null, null, mine.Id), None)).IsSuccess);
        await _h.Intake.Licences.RevokeAsync(CaseHarness.Reviewer, mine.Id, new RevokeLicenceRequest("吊销"), None);

        var submitted = await _h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, None);

        Assert.Equal("materials-missing", submitted.Problem!.Type);
        Assert.Contains("revoked", Assert.Single(submitted.Problem.Errors!["materials.M02"]), StringComparison.Ordinal);
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Identity;
using Ali.Serverless.Materials;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Supervision;
using Moq;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>
/// An <see cref="ApplicationIntake"/> wired to an in-memory application store, a mocked catalog,
/// material storage and queue, and a clock fixed at <see cref="Start"/>. The case outbox (which writes
/// the intake's audit records) runs over in-memory task, case-index, warning and audit stores.
/// </summary>
internal sealed class IntakeHarness
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);

    public const string ValidResidentId = "11010519491231002X";
    public const string ValidCreditCode = "91350100M000100Y43";

    public static readonly Caller Applicant = new("user-7f3a", Roles.Applicant, null);
    public static readonly Caller OtherApplicant = new("user-0b21", Roles.Applicant, null);
    public static readonly Caller Clerk = new("clerk-42", Roles.WindowClerk, "542523-ZWFWZX");

    public IntakeHarness(IReadOnlyList<ServiceItem>? items = null, IReadOnlyList<string>? departmentsWithSystems = null, IntakeOptions? options = null)
    {
        Options = options ?? new() { UploadTargetLifetime = TimeSpan.FromMinutes(10) };
        var catalog = items ?? TestCatalog.All();
        Catalog.Setup(c => c.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string code, CancellationToken _) => catalog.FirstOrDefault(i => i.ItemCode == code));
        MaterialStorage.Setup(s => s.CreateUploadTargetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string blob, string type, DateTimeOffset expires, CancellationToken _) =>
                new UploadTarget(new Uri($"https://blobs.example/materials/{blob}?sig=test"), "PUT",
                    new Dictionary<string, string> { ["Content-Type"] = type }, expires));
        Queue.Setup(q => q.EnqueueAsync(It.IsAny<ApplicationSubmitted>(), It.IsAny<CancellationToken>()))
            .Callback((ApplicationSubmitted m, CancellationToken _) => Sent.Add(m))
            .Returns(Task.CompletedTask);
        Dispatcher = new SubmissionDispatcher(Store, Queue.Object, Clock);
        Systems = new DepartmentSystemOptions((departmentsWithSystems ?? ["542500-GAJ"]).ToHashSet(), new Uri("https://api.example/"));
        Raiser = new WarningRaiser(Warnings, WorkQueue, Clock);
        Audit = new AuditLog(AuditStore, AuditFailures);
        LicenceKeys = new TestKeyRing(Start.AddYears(-1));
        Licences = new global::Ali.Serverless.Licences.LicenceService(LicenceStore, LicenceKeys, Audit, Clock);
        Outbox = new CaseOutbox(Store, Tasks, Index, Publisher, Systems, WorkQueue, Raiser, Audit, Licences, Clock, MaterialStorage.Object, Evaluations);
        ApplicantKeys = new ApplicantKeys(Keys);
        Linked = new LinkedApplications(Store, ApplicantKeys);
        Intake = new ApplicationIntake(Catalog.Object, Store, MaterialStorage.Object, Dispatcher, Outbox, Clock, Options, ApplicantKeys, Linked, Licences);
    }

    public InMemoryTaskStore Tasks { get; } = new();
    public InMemoryEvaluationStore Evaluations { get; } = new();
    public InMemoryCaseIndex Index { get; } = new();
    public InMemoryWarningStore Warnings { get; } = new();
    public RecordingWorkQueue WorkQueue { get; } = new();
    public RecordingPublisher Publisher { get; } = new();
    public InMemoryAuditStore AuditStore { get; } = new();
    public RecordingAuditFailures AuditFailures { get; } = new();
    public AuditLog Audit { get; }
    public DepartmentSystemOptions Systems { get; }
    public WarningRaiser Raiser { get; }
    public CaseOutbox Outbox { get; }

    public TestPersonalDataKeys Keys { get; } = new();

    public InMemoryLicenceStore LicenceStore { get; } = new();
    public TestKeyRing LicenceKeys { get; }
    public global::Ali.Serverless.Licences.LicenceService Licences { get; }
    public ApplicantKeys ApplicantKeys { get; }
    public LinkedApplications Linked { get; }

    /// <summary>An intake over another store, with this harness's keys.</summary>
    public ApplicationIntake IntakeOver(IApplicationStore store) =>
        new(Catalog.Object, store, MaterialStorage.Object, Dispatcher, Outbox, Clock, Options, ApplicantKeys, new LinkedApplications(store, ApplicantKeys), Licences);

    public FakeTimeProvider Clock { get; } = new(Start);
    public InMemoryApplicationStore Store { get; } = new();
    public Mock<ICatalogStore> Catalog { get; } = new(MockBehavior.Strict);
    public Mock<IMaterialStorage> MaterialStorage { get; } = new();
    public Mock<ISubmissionQueue> Queue { get; } = new();
    public List<ApplicationSubmitted> Sent { get; } = [];
    public IntakeOptions Options { get; }
    public SubmissionDispatcher Dispatcher { get; }
    public ApplicationIntake Intake { get; }

    public static OpenApplicationRequest PersonRequest(string channel = "web", string document = ValidResidentId) =>
        new(TestCatalog.PersonItemCode, channel, new ApplicantRequest("natural-person", document, "卓玛", "13800000000"), null);

    public static DeclareMaterialRequest Declaration(string code = "M01", string fileName = "申请书.pdf", string contentType = "application/pdf", long size = 1000, string? sha = null) =>
        new(code, fileName, contentType, size, sha ?? new string('a', 64));

    /// <summary>Opens a draft of the person item through the intake itself.</summary>
    public async Task<Application> OpenDraftAsync(Caller? caller = null)
    {
        caller ??= Applicant;
        var request = caller.IsWindowClerk ? PersonRequest("window") : PersonRequest();
        var opened = await Intake.OpenAsync(caller, request, null, "fp", CancellationToken.None);
        Assert.True(opened.IsSuccess, opened.Problem?.Detail);
        return opened.Value!.Application;
    }

    /// <summary>Declares a material through the intake and returns its id.</summary>
    public async Task<string> DeclareAsync(Application application, DeclareMaterialRequest request, Caller? caller = null)
    {
        var declared = await Intake.DeclareMaterialAsync(caller ?? Applicant, application.Id, request, CancellationToken.None);
        Assert.True(declared.IsSuccess, declared.Problem?.Detail);
        return declared.Value!.Material.Id;
    }

    /// <summary>Makes material storage report <paramref name="blob"/> for every inspected blob.</summary>
    public void Uploaded(UploadedBlob? blob) =>
        MaterialStorage.Setup(s => s.InspectAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(blob);

    /// <summary>Opens a draft with both required materials of the person item declared and verified.</summary>
    public async Task<Application> ReadyDraftAsync(Caller? caller = null)
    {
        caller ??= Applicant;
        var draft = await OpenDraftAsync(caller);
        var pdf = Pdf();
        foreach (var code in new[] { "M01", "M02" })
        {
            var id = await DeclareAsync(draft, Declaration(code, $"{code}.pdf", "application/pdf", pdf.Length, Sha256Hex(pdf)), caller);
            Uploaded(SealedBlob(pdf));
            var completed = await Intake.CompleteMaterialAsync(caller, draft.Id, id, CancellationToken.None);
            Assert.True(completed.IsSuccess, completed.Problem?.Detail);
        }
        return Store.Single(caller.OwnerId, draft.Id);
    }

    public static byte[] Pdf() => "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"u8.ToArray();

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0];

    /// <summary>What material storage reports for <paramref name="bytes"/> uploaded and sealed by a copy: size, type, first bytes, the service's MD5.</summary>
    public static UploadedBlob SealedBlob(byte[] bytes, string contentType = "application/pdf") =>
        new(bytes.Length, contentType, bytes[..Math.Min(bytes.Length, MaterialRules.HeadLength)], new SealedCopy("\"0x8DSEALED\"", Md5Base64(bytes)));

    public static string Md5Base64(byte[] bytes) => Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(bytes));

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}

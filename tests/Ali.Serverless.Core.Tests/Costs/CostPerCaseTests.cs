using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Core.Tests.WorkingDays;
using Ali.Serverless.Identity;
using Ali.Serverless.Licences;
using Ali.Serverless.Materials;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using Moq;
using Xunit.Abstractions;

namespace Ali.Serverless.Core.Tests.Costs;

/// <summary>
/// What one standard case costs (counts, not times): 3 materials, the item's department plus 2
/// co-implementing departments (one with its own business system), approved. Every port the rules use is
/// wrapped in a counting decorator; the budget below is exact, so a change that adds a store write or a
/// message fails here and the new number shows up in review. docs/performance.md turns the counts into
/// Azure cost.
/// </summary>
public sealed class CostPerCaseTests(ITestOutputHelper output)
{
    private const string ItemCode = "542500-TEST-07007";
    private const string Lead = "542500-SCJGJ";
    private const string CoReviewed = "542500-GAJ";
    private const string CoSystem = "542500-ZRZYJ";

    private static readonly Caller Applicant = new("user-cost", Roles.Applicant, null);
    private static readonly Caller LeadReviewer = new("scjgj-1", Roles.Reviewer, Lead);
    private static readonly Caller CoReviewer = new("gaj-1", Roles.Reviewer, CoReviewed);
    private static readonly Caller CoSystemCaller = new("zrzyj-system", Roles.DepartmentSystem, CoSystem);

    /// <summary>The budget of one standard case. Change it only with the reason in the commit message.</summary>
    public static class Budget
    {
        /// <summary>13 HTTP requests, the pre-check, and one notification trigger per case-events message.</summary>
        public const int FunctionExecutions = 22;
        /// <summary>
        /// One instance runs the whole case here, so it reads each audit chain's last record once and then remembers it
        /// (decision 26); on Azure each further instance that appends to the case's chain reads it once more.
        /// </summary>
        public const int StoreReads = 34;
        public const int StoreWrites = 54;
        public const int QueueMessages = 9;
        public const int ServiceBusMessages = 2;

        /// <summary>The catalog is served from memory (decision 20).</summary>
        public const int CatalogStoreReads = 0;

        /// <summary>
        /// The issue's target: no file body passes through a function. Blob Storage seals each material by a copy of
        /// its own and keeps its MD5 (decision 21); the adapter test against Azurite counts the same on the wire.
        /// </summary>
        public const long MaterialBytesThroughFunctions = 0;

        /// <summary>The first bytes read to check each file's type signature, counted apart: 3 materials x 16.</summary>
        public const long SignatureBytesThroughFunctions = 3 * MaterialRules.HeadLength;
    }

    private const int MaterialSize = 200_000;

    private static readonly string[] StorePorts =
        [nameof(IApplicationStore), nameof(ITaskStore), nameof(ICaseIndex), nameof(IWarningStore), nameof(IAuditStore), nameof(ILicenceStore), nameof(ICatalogStore)];

    private static bool IsRead(string call) =>
        call.Split('.')[1] is var method && (method.StartsWith("Get", StringComparison.Ordinal) || method.StartsWith("List", StringComparison.Ordinal)
            || method.StartsWith("Find", StringComparison.Ordinal) || method.StartsWith("Read", StringComparison.Ordinal)
            || method.StartsWith("Count", StringComparison.Ordinal) || method.StartsWith("Last", StringComparison.Ordinal));

    private static bool IsStore(string call) => StorePorts.Contains(call.Split('.')[0]);

    [Fact]
    public async Task OneStandardCase_StaysWithinItsBudget()
    {
        var run = new Wiring();
        await run.WarmCatalogAsync();
        run.Calls.Clear();

        var executions = await run.StandardCaseAsync();

        var calls = run.Calls;
        var reads = calls.Count(c => IsStore(c) && IsRead(c));
        var writes = calls.Count(c => IsStore(c) && !IsRead(c));
        var queueMessages = calls.Count(c => c is "ISubmissionQueue.EnqueueAsync" or "IWorkQueue.SendAsync");
        var serviceBus = calls.Count(c => c == "IDepartmentTaskPublisher.PublishAsync");
        var triggered = run.TriggeredExecutions;
        output.WriteLine(calls.Table());
        output.WriteLine($"executions {executions} + {triggered} triggered; reads {reads}; writes {writes}; queue {queueMessages}; service bus {serviceBus}; material bytes {run.MaterialBytes}; signature bytes {run.SignatureBytes}");
        output.WriteLine($"queues: {run.QueueTable}");
        output.WriteLine($"application document {run.ApplicationDocumentBytes} bytes; task documents {string.Join(", ", run.TaskDocumentBytes)} bytes");

        var counted = (executions + triggered, reads, writes, queueMessages, serviceBus, calls.Count(c => c.StartsWith("ICatalogStore.", StringComparison.Ordinal)), run.MaterialBytes, run.SignatureBytes);
        Assert.True(
            counted == (Budget.FunctionExecutions, Budget.StoreReads, Budget.StoreWrites, Budget.QueueMessages, Budget.ServiceBusMessages, Budget.CatalogStoreReads, Budget.MaterialBytesThroughFunctions, Budget.SignatureBytesThroughFunctions),
            $"counted {counted}\n{calls.Table()}");
        Assert.Equal(ApplicationStatus.Completed, run.Final.Status);
    }

    /// <summary>The case's ports over in-memory stores, each behind a counting decorator.</summary>
    private sealed class Wiring
    {
        private static readonly DateTimeOffset Start = new(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);

        public PortCalls Calls { get; } = new();
        public InMemoryCatalogStore CatalogStore { get; } = new();
        public long MaterialBytes { get; private set; }
        public long SignatureBytes { get; private set; }
        public int TriggeredExecutions => _queue.Sent.Count(m => TriggeredQueues.Contains(m.Queue)) + _submitted.Count;
        public Application Final { get; private set; } = null!;
        public string QueueTable => string.Join(", ", _queue.Sent.GroupBy(m => m.Queue).Select(g => $"{g.Key} {g.Count()}"));
        public int ApplicationDocumentBytes { get; private set; }
        public List<int> TaskDocumentBytes { get; } = [];

        /// <summary>Queues read by a queue-triggered function: each message is one execution.</summary>
        private static readonly string[] TriggeredQueues = [StorageNames.CaseEventsQueue, StorageNames.SupervisionWarningsQueue, StorageNames.NotificationDeliveriesQueue];

        private readonly FakeTimeProvider _clock = new(Start);
        private readonly InMemoryApplicationStore _applications = new();
        private readonly InMemoryTaskStore _tasks = new();
        private readonly RecordingWorkQueue _queue = new();
        private readonly List<ApplicationSubmitted> _submitted = [];
        private readonly CatalogCache _catalog;
        private readonly ApplicationIntake _intake;
        private readonly CaseWorkflow _workflow;
        private readonly IApplicationStore _countedApplications;

        public Wiring()
        {
            var pdf = IntakeHarness.Pdf();
            var material = new Mock<IMaterialStorage>();
            material.Setup(s => s.CreateUploadTargetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync((string blob, string type, DateTimeOffset expires, CancellationToken _) =>
                    new UploadTarget(new Uri($"https://blobs.example/materials/{blob}?sig=test"), "PUT", new Dictionary<string, string>(), expires));
            // What the blob adapter reports after Blob Storage sealed the copy: the first 16 bytes, the service's MD5.
            material.Setup(s => s.InspectAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(new UploadedBlob(MaterialSize, "application/pdf", pdf[..MaterialRules.HeadLength], new SealedCopy("\"0x8DSEALED\"", IntakeHarness.Md5Base64(pdf))));
            var submissions = new Mock<ISubmissionQueue>();
            submissions.Setup(q => q.EnqueueAsync(It.IsAny<ApplicationSubmitted>(), It.IsAny<CancellationToken>()))
                .Callback((ApplicationSubmitted m, CancellationToken _) => _submitted.Add(m)).Returns(Task.CompletedTask);

            T Count<T>(T inner) where T : class => CountingProxy<T>.Wrap(inner, Calls);
            // Bytes of a material a port call carries through the function: the head read for the signature check, and
            // anything longer than that (a body), which the port has no way to return any more.
            var materials = CountingProxy<IMaterialStorage>.Wrap(material.Object, Calls, (method, _, result) =>
            {
                if (method.Name == nameof(IMaterialStorage.InspectAsync) && result is Task<UploadedBlob?> { Result: { } blob })
                {
                    SignatureBytes += Math.Min(blob.Head.Length, MaterialRules.HeadLength);
                    MaterialBytes += Math.Max(0, blob.Head.Length - MaterialRules.HeadLength);
                }
            });
            _countedApplications = Count<IApplicationStore>(_applications);
            var tasks = Count<ITaskStore>(_tasks);
            var index = Count<ICaseIndex>(new InMemoryCaseIndex());
            var warnings = Count<IWarningStore>(new InMemoryWarningStore());
            var queue = Count<IWorkQueue>(_queue);
            var publisher = Count<IDepartmentTaskPublisher>(new RecordingPublisher());
            var audit = new AuditLog(Count<IAuditStore>(new InMemoryAuditStore()), new RecordingAuditFailures());
            var licences = new LicenceService(Count<ILicenceStore>(new InMemoryLicenceStore()), new TestKeyRing(Start.AddYears(-1)), audit, _clock);
            var systems = new DepartmentSystemOptions(new HashSet<string> { CoSystem }, new Uri("https://api.example/"));
            var raiser = new WarningRaiser(warnings, queue, _clock);
            var outbox = new CaseOutbox(_countedApplications, tasks, index, publisher, systems, queue, raiser, audit, licences, _clock, materials);
            var keys = new ApplicantKeys(new TestPersonalDataKeys());
            var linked = new LinkedApplications(_countedApplications, keys);
            _catalog = new CatalogCache(Count<ICatalogStore>(CatalogStore), _clock, new CatalogCacheOptions { VersionCheckInterval = TimeSpan.FromDays(1) });
            var dispatcher = new SubmissionDispatcher(_countedApplications, Count<ISubmissionQueue>(submissions.Object), _clock);
            _intake = new ApplicationIntake(_catalog, _countedApplications, materials, dispatcher, outbox, _clock,
                new IntakeOptions { UploadTargetLifetime = TimeSpan.FromMinutes(10) }, keys, linked, licences);
            _workflow = new CaseWorkflow(_countedApplications, _catalog, tasks, index, ShippedCalendar.Prefecture, outbox, audit, _clock, new WorkflowOptions());
        }

        public async Task WarmCatalogAsync()
        {
            var item = TestCatalog.Item(ItemCode, ["1"], [Channel.Web, Channel.Window]) with
            {
                DepartmentCode = Lead,
                CoImplementingDepartments = [CoReviewed, CoSystem],
                LegalTimeLimitDays = 20,
                PromisedTimeLimitDays = 10,
                Materials =
                [
                    TestCatalog.Material("M01", "申请书", required: true, ["application/pdf"], 5 * TestCatalog.MiB),
                    TestCatalog.Material("M02", "身份证明", required: true, ["application/pdf"], 5 * TestCatalog.MiB),
                    TestCatalog.Material("M03", "场地证明", required: true, ["application/pdf"], 5 * TestCatalog.MiB),
                ],
            };
            await CatalogStore.UpsertAsync(item, default);
            // Each instance reads the catalog once and serves it from memory (decision 20): not a per-case cost.
            Assert.NotNull(await _catalog.GetAsync(ItemCode, default));
        }

        /// <summary>The HTTP requests and queue messages of one case; returns the HTTP function executions.</summary>
        public async Task<int> StandardCaseAsync()
        {
            var http = 0;
            T Ok<T>(Result<T> result)
            {
                http++;
                Assert.True(result.IsSuccess, result.Problem?.Detail);
                return result.Value!;
            }
            var ct = CancellationToken.None;
            var opened = Ok(await _intake.OpenAsync(Applicant,
                new OpenApplicationRequest(ItemCode, "web", new ApplicantRequest("natural-person", IntakeHarness.ValidResidentId, "卓玛", "13800000000"), null),
                null, "fp", ct)).Application;
            foreach (var code in new[] { "M01", "M02", "M03" })
            {
                var declared = Ok(await _intake.DeclareMaterialAsync(Applicant, opened.Id,
                    new DeclareMaterialRequest(code, $"{code}.pdf", "application/pdf", MaterialSize, new string('a', 64), ContentMd5: IntakeHarness.Md5Base64(IntakeHarness.Pdf())), ct));
                Ok(await _intake.CompleteMaterialAsync(Applicant, opened.Id, declared.Material.Id, ct));
            }
            Ok(await _intake.SubmitAsync(Applicant, opened.Id, ct));
            // The queue-triggered pre-check (counted with the triggered executions).
            var checkedCase = await _workflow.PreCheckAsync(_submitted.Single(), ct);
            Assert.True(checkedCase.IsSuccess, checkedCase.Problem?.Detail);

            Application Current() => _applications.Single(Applicant.OwnerId, opened.Id);
            CaseTask Open(TaskKind kind, string department) =>
                Current().Tasks.Single(t => t.Kind == kind && t.DepartmentCode == department && t.State == TaskState.Open);
            async Task CompleteAsync(Caller caller, TaskKind kind, string outcome) =>
                Ok(await _workflow.CompleteTaskAsync(caller, Open(kind, caller.Department!).Id, new CompleteTaskRequest(outcome, null, null), ct));

            await CompleteAsync(LeadReviewer, TaskKind.Acceptance, "accept");
            await CompleteAsync(LeadReviewer, TaskKind.Review, "approve");
            await CompleteAsync(CoReviewer, TaskKind.Review, "approve");
            await CompleteAsync(CoSystemCaller, TaskKind.Review, "approve");
            await CompleteAsync(LeadReviewer, TaskKind.Decision, "approve");

            Final = Current();
            ApplicationDocumentBytes = JsonSerializer.SerializeToUtf8Bytes(Final, DocumentJson.Options).Length;
            foreach (var task in Final.Tasks)
            {
                TaskDocumentBytes.Add(JsonSerializer.SerializeToUtf8Bytes(task, DocumentJson.Options).Length);
            }
            return http;
        }
    }
}

using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Core.Tests.WorkingDays;
using Ali.Serverless.Identity;
using Ali.Serverless.Supervision;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>
/// The intake harness plus the case workflow over in-memory task, case-index and warning stores, a
/// recording queue and publisher, and the shipped calendar (national + Tibet + Ali).
/// </summary>
internal sealed class CaseHarness
{
    public const string ItemDepartment = "542500-SCJGJ";
    public const string CoDepartment = "542500-GAJ";
    public const string OnTheSpotItemCode = "542500-TEST-01009";

    public static readonly Caller Reviewer = new("reviewer-1", Roles.Reviewer, ItemDepartment);
    public static readonly Caller CoReviewer = new("reviewer-2", Roles.Reviewer, CoDepartment);
    public static readonly Caller CoSystem = new("gaj-system", Roles.DepartmentSystem, CoDepartment);
    public static readonly Caller Stranger = new("reviewer-9", Roles.Reviewer, "542500-JYJ");
    public static readonly Caller SupervisorCaller = new("supervisor-1", Roles.Supervisor, null);

    /// <summary>Legal limit 20 working days, promised 10; reviewed by the item's department and the public security bureau.</summary>
    public static ServiceItem PersonItem() => TestCatalog.PersonItem() with
    {
        LegalTimeLimitDays = 20,
        PromisedTimeLimitDays = 10,
        CoImplementingDepartments = [CoDepartment],
    };

    /// <summary>即办件 (case type 1), one required material.</summary>
    public static ServiceItem OnTheSpotItem() => TestCatalog.Item(OnTheSpotItemCode, ["1"], [Channel.Window, Channel.Web]) with
    {
        CaseType = "1",
        LegalTimeLimitDays = 1,
        PromisedTimeLimitDays = 0,
    };

    public const string LicensedItemCode = "542500-TEST-01010";
    public const string ReusingItemCode = "542500-TEST-01011";
    public const string LicenceType = "TESTYYZZ";

    /// <summary>The person item, whose approval issues a licence valid for two years.</summary>
    public static ServiceItem LicensedItem() => PersonItem() with
    {
        ItemCode = LicensedItemCode,
        ResultLicence = new ResultLicence { TypeCode = LicenceType, Name = new global::Ali.Serverless.Common.LocalizedText("个体工商户营业执照"), ValidityYears = 2 },
    };

    /// <summary>The person item whose M02 may be given as a licence of <see cref="LicenceType"/> (减材料).</summary>
    public static ServiceItem ReusingItem() => PersonItem() with
    {
        ItemCode = ReusingItemCode,
        Materials =
        [
            TestCatalog.Material("M01", "申请书", required: true, ["application/pdf"], 5 * TestCatalog.MiB),
            TestCatalog.Material("M02", "营业执照", required: true, ["application/pdf"], 5 * TestCatalog.MiB) with { LicenceType = LicenceType },
        ],
    };

    public CaseHarness(IReadOnlyList<string>? departmentsWithSystems = null)
    {
        Items = [PersonItem(), OnTheSpotItem(), TestCatalog.EnterpriseItem(), LicensedItem(), ReusingItem()];
        Intake = new IntakeHarness(Items, departmentsWithSystems ?? [CoDepartment]);
        Workflow = new CaseWorkflow(Store, Intake.Catalog.Object, Tasks, Index, ShippedCalendar.Prefecture, Outbox, Audit, Clock, new WorkflowOptions());
        Supervisor = new Supervisor(Tasks, Store, Warnings, Raiser, ShippedCalendar.Prefecture, Clock, new SupervisionOptions());
    }

    public List<ServiceItem> Items { get; }
    public IntakeHarness Intake { get; }
    public FakeTimeProvider Clock => Intake.Clock;
    public InMemoryApplicationStore Store => Intake.Store;
    public InMemoryTaskStore Tasks => Intake.Tasks;
    public InMemoryEvaluationStore Evaluations => Intake.Evaluations;
    public InMemoryCaseIndex Index => Intake.Index;
    public InMemoryWarningStore Warnings => Intake.Warnings;
    public RecordingWorkQueue Queue => Intake.WorkQueue;
    public RecordingPublisher Publisher => Intake.Publisher;
    public InMemoryAuditStore AuditStore => Intake.AuditStore;
    public RecordingAuditFailures AuditFailures => Intake.AuditFailures;
    public AuditLog Audit => Intake.Audit;
    public DepartmentSystemOptions Systems => Intake.Systems;
    public WarningRaiser Raiser => Intake.Raiser;
    public CaseOutbox Outbox => Intake.Outbox;
    public CaseWorkflow Workflow { get; }
    public Supervision.Supervisor Supervisor { get; }

    public Application Current(Application application) => Store.Single(application.OwnerId, application.Id);

    /// <summary>Submits a complete application and runs the pre-check on its queue message.</summary>
    public async Task<Application> PendingAcceptanceAsync(Caller? applicant = null)
    {
        var draft = await Intake.ReadyDraftAsync(applicant);
        var submitted = await Intake.Intake.SubmitAsync(applicant ?? IntakeHarness.Applicant, draft.Id, CancellationToken.None);
        Assert.True(submitted.IsSuccess, submitted.Problem?.Detail);
        var checkedCase = await Workflow.PreCheckAsync(Intake.Sent[^1], CancellationToken.None);
        Assert.True(checkedCase.IsSuccess, checkedCase.Problem?.Detail);
        Assert.Equal(ApplicationStatus.PendingAcceptance, checkedCase.Value!.Status);
        return checkedCase.Value;
    }

    public async Task<Application> UnderReviewAsync()
    {
        var pending = await PendingAcceptanceAsync();
        await CompleteAsync(Reviewer, OpenTask(pending, TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));
        return Current(pending);
    }

    public static CaseTask OpenTask(Application application, TaskKind kind, string department = ItemDepartment) =>
        application.Tasks.Single(t => t.Kind == kind && t.DepartmentCode == department && t.State == TaskState.Open);

    public async Task<CaseTaskView> CompleteAsync(Caller caller, CaseTask task, CompleteTaskRequest request)
    {
        var result = await Workflow.CompleteTaskAsync(caller, task.Id, request, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value!;
    }

    public IEnumerable<string> EventTypes() =>
        Queue.Sent.Where(s => s.Queue == global::Ali.Serverless.Storage.StorageNames.CaseEventsQueue)
            .Select(s => System.Text.Json.JsonDocument.Parse(s.Text).RootElement.GetProperty("type").GetString()!);
}

/// <summary>Reads whose audit record could not be written.</summary>
internal sealed class RecordingAuditFailures : IAuditFailureLog
{
    public List<AuditEntry> Entries { get; } = [];

    public void NotAudited(AuditEntry entry, Exception exception)
    {
        // Written behind the answer (decision 29), failures are reported from the writer's threads.
        lock (Entries)
        {
            Entries.Add(entry);
        }
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.Operations;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Cases;

/// <summary>Time limits and sizes of the case workflow that operators may tune.</summary>
public sealed record WorkflowOptions
{
    /// <summary>行政许可法 §32: acceptance (or the supplement notice) within five working days of receipt.</summary>
    public int AcceptanceWorkingDays { get; init; } = 5;

    public int MaxOpinionLength { get; init; } = 2000;
    public int MaxReasonLength { get; init; } = 500;

    /// <summary>How long a department has to rectify and reply after a bad review (好差评), in working days (provinces' practice: 15).</summary>
    public int RectificationWorkingDays { get; init; } = 15;

    /// <summary>The longest review text an applicant may write.</summary>
    public int MaxEvaluationTextLength { get; init; } = 500;
}

/// <summary>
/// Moves a case (办件) through its life: pre-check, acceptance, supplement, parallel review, decision,
/// special procedures, withdrawal. Every change is one conditional write of the case document carrying
/// its state, tasks, timeline and outbox; the outbox is then done. A lost race re-reads and decides again.
/// </summary>
public sealed partial class CaseWorkflow(
    IApplicationStore applications,
    ICatalogStore catalog,
    ITaskStore tasks,
    ICaseIndex caseIndex,
    IWorkingCalendar calendar,
    CaseOutbox outbox,
    IAuditLog audit,
    TimeProvider clock,
    WorkflowOptions options)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    private const int WriteAttempts = 5;
    public const string SystemHandler = "system";
    public const string ApplicantHandler = "applicant";

    /// <summary>
    /// Reads the case, lets <paramref name="decide"/> compute the new document (or refuse), writes it if
    /// it is unchanged since the read, and retries from a fresh read when another writer got there first.
    /// Each new timeline step gets an audit record in the same write's outbox, as done by
    /// <paramref name="actor"/> (null: the platform itself), so no saved change can go unaudited.
    /// </summary>
    private async Task<Result<Application>> ChangeAsync(
        string ownerId, string applicationId, Caller? actor, Func<Application, Task<Result<Application>>> decide, CancellationToken cancellationToken,
        [CallerMemberName] string step = "")
    {
        var started = Stopwatch.GetTimestamp();
        Activity? span = null;
        try
        {
            for (var attempt = 0; attempt < WriteAttempts; attempt++)
            {
                var stored = await applications.GetAsync(ownerId, applicationId, cancellationToken);
                // A draft the retention sweep is deleting is gone already (decision 15).
                if (stored is null || stored.Value.ExpiredAt is not null)
                {
                    return Problem.NotFound($"Application '{applicationId}'");
                }
                // The step joins the case's trace once the case (and with it its trace) is read.
                span ??= StartStepSpan(step, stored.Value, actor);
                var decided = await decide(stored.Value);
                if (!decided.IsSuccess || ReferenceEquals(decided.Value, stored.Value))
                {
                    span?.SetTag("ali.outcome", decided.IsSuccess ? "unchanged" : decided.Problem!.Kind.ToString());
                    return decided;
                }
                var changed = WithAuditEntries(stored.Value, decided.Value!, actor) with { UpdatedAt = clock.GetUtcNow() };
                var saved = await applications.ReplaceAsync(changed, stored.ETag, cancellationToken);
                if (saved is not null)
                {
                    if (saved.Value.Status != stored.Value.Status)
                    {
                        CaseTelemetry.CasesEnteringState.Add(1, new KeyValuePair<string, object?>("state", saved.Value.Status.ToWire()));
                    }
                    span?.SetTag(CaseTelemetry.StateTag, saved.Value.Status.ToWire());
                    return await DispatchQuietlyAsync(saved, cancellationToken);
                }
            }
            return Problem.ConcurrentChange($"Application '{applicationId}'");
        }
        finally
        {
            CaseTelemetry.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step));
            span?.Dispose();
        }
    }

    /// <summary>As above, for a decision that needs nothing more than the case itself.</summary>
    private Task<Result<Application>> ChangeAsync(
        string ownerId, string applicationId, Caller? actor, Func<Application, Result<Application>> decide, CancellationToken cancellationToken,
        [CallerMemberName] string step = "") =>
        ChangeAsync(ownerId, applicationId, actor, application => Task.FromResult(decide(application)), cancellationToken, step);

    /// <summary>A span for one step, tagged with codes only: no applicant, no subject (decision 20).</summary>
    private static Activity? StartStepSpan(string step, Application application, Caller? actor)
    {
        var span = CaseTelemetry.StartCaseSpan($"case {step.Replace("Async", "", StringComparison.Ordinal)}", application.TraceParent);
        span?.SetTag(CaseTelemetry.CaseNumberTag, application.CaseNumber);
        span?.SetTag(CaseTelemetry.ItemCodeTag, application.ItemCode);
        span?.SetTag(CaseTelemetry.DepartmentTag, actor?.Department ?? application.DepartmentCode);
        span?.SetTag(CaseTelemetry.RoleTag, actor?.Role ?? SystemHandler);
        return span;
    }

    /// <summary>One <see cref="OutboxKind.Audit"/> entry per timeline step the change added, with an id derived from the step's place.</summary>
    private static Application WithAuditEntries(Application before, Application after, Caller? actor)
    {
        var entries = after.Timeline.Skip(before.Timeline.Count).Select((step, i) =>
        {
            var index = before.Timeline.Count + i;
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{after.Id}\naudit\n{index}")).AsSpan(0, 16));
            var entry = new AuditEntry
            {
                Id = id,
                // A draft has no case number yet: its withdrawal goes to the day's chain.
                Chain = after.CaseNumber ?? AuditActions.DayChain(step.EndedAt, actor?.Subject ?? AuditActions.SystemActor),
                Time = step.EndedAt,
                Actor = actor?.Subject ?? AuditActions.SystemActor,
                Role = actor?.Role ?? AuditActions.SystemActor,
                Department = actor is null ? step.DepartmentCode : actor.Department,
                Action = AuditActions.CaseStep(step.Step),
                Object = step.TaskId ?? $"application:{after.Id}",
                Outcome = AuditActions.Success,
                ClientAddress = actor?.ClientAddress,
                TraceId = actor?.TraceId,
            };
            return new OutboxEntry(id, OutboxKind.Audit, step.EndedAt) { Audit = entry };
        }).ToList();
        return entries.Count == 0 ? after : after with { Outbox = [.. after.Outbox, .. entries] };
    }

    private async Task<Application> DispatchQuietlyAsync(Stored<Application> saved, CancellationToken cancellationToken)
    {
        try
        {
            return await outbox.DispatchAsync(saved, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The change is saved with its outbox; the relay finishes it within minutes. Only the exception's
            // type is recorded: messages from stores can quote document contents.
            var error = e.GetType().Name;
            CaseTelemetry.OutboxDeferred.Add(1, new KeyValuePair<string, object?>("error", error));
            Activity.Current?.SetTag("ali.outbox.deferred", error);
            return saved.Value;
        }
    }

    /// <summary>A task id derived from the case, the kind, the department and how many tasks came before: a retry makes the same id.</summary>
    internal static string TaskId(Application application, TaskKind kind, string departmentCode, int sequence) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{application.Id}\n{kind}\n{departmentCode}\n{sequence}")).AsSpan(0, 16));

    /// <summary>A new open task; <paramref name="offset"/> numbers tasks created together (parallel reviews).</summary>
    private static CaseTask NewTask(Application application, TaskKind kind, string departmentCode, DateTimeOffset now, DateTimeOffset dueAt, int offset = 0) => new()
    {
        Id = TaskId(application, kind, departmentCode, application.Tasks.Count + offset),
        Kind = kind,
        CaseNumber = application.CaseNumber!,
        ApplicationId = application.Id,
        OwnerId = application.OwnerId,
        ItemCode = application.ItemCode,
        DepartmentCode = departmentCode,
        State = TaskState.Open,
        CreatedAt = now,
        DueAt = dueAt,
    };

    private static OutboxEntry Entry(Application application, OutboxKind kind, DateTimeOffset now, string? taskId = null, string? eventType = null, string? detail = null)
    {
        var key = $"{application.Id}\n{kind}\n{taskId}\n{eventType}\n{application.Timeline.Count}\n{application.Tasks.Count}";
        return new OutboxEntry(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)), kind, now, taskId, eventType, detail);
    }

    /// <summary>Outbox entries that copy and publish each task whose state changed or that is new.</summary>
    private static IEnumerable<OutboxEntry> TaskEntries(Application application, IEnumerable<CaseTask> changed, DateTimeOffset now, bool announce)
    {
        foreach (var task in changed)
        {
            yield return Entry(application, OutboxKind.SaveTask, now, task.Id, detail: task.State.ToString());
            yield return Entry(application, OutboxKind.PublishTask, now, task.Id, detail: task.State.ToString());
            if (announce && task.State == TaskState.Open)
            {
                yield return Entry(application, OutboxKind.CaseEvent, now, task.Id, CaseEventTypes.TaskAssigned);
            }
        }
    }

    /// <summary>A case event; <paramref name="taskId"/> names the task whose answer caused it, <paramref name="procedureId"/> the special procedure.</summary>
    private static OutboxEntry Event(Application application, string type, DateTimeOffset now, string? taskId = null, string? procedureId = null) =>
        Entry(application, OutboxKind.CaseEvent, now, taskId, type, procedureId);

    private static IEnumerable<OutboxEntry> CalendarWarning(Application application, DateTimeOffset now, params Counted<DateTimeOffset>[] counted)
    {
        var years = counted.SelectMany(c => c.MissingYears).Distinct().Order().ToList();
        if (years.Count > 0)
        {
            yield return Entry(application, OutboxKind.Warning, now, detail: $"No working-day calendar for {string.Join(", ", years)}: counted Monday to Friday only.");
        }
    }

    private static TimelineStep Step(CaseAction action, StepAction stepAction, string? department, string handler, string? opinion, DateTimeOffset started, DateTimeOffset ended, string? taskId = null) => new()
    {
        Step = CaseTransitions.Table[action].StepName,
        StepType = CaseTransitions.Table[action].StepType,
        Action = stepAction,
        DepartmentCode = department,
        Handler = handler,
        Opinion = opinion,
        TaskId = taskId,
        StartedAt = started,
        EndedAt = ended,
    };

    private static Application Move(Application application, CaseAction action) =>
        CaseTransitions.Table[action].To is { } to ? application with { Status = to } : application;

    private static IReadOnlyList<CaseTask> Replace(IReadOnlyList<CaseTask> all, IEnumerable<CaseTask> changed)
    {
        var byId = changed.ToDictionary(t => t.Id);
        return all.Select(t => byId.GetValueOrDefault(t.Id, t)).Concat(byId.Values.Where(c => all.All(t => t.Id != c.Id))).ToList();
    }

    private async Task<ServiceItem?> ItemAsync(Application application, CancellationToken cancellationToken) =>
        await catalog.GetAsync(application.ItemCode, cancellationToken);

    private static Problem ItemWithdrawn(Application application) =>
        Problem.Conflict("item-withdrawn", "Service item withdrawn.", $"The service item '{application.ItemCode}' is no longer in the catalog.");

    internal static bool IsId(string value) => Ids.IsIssued(value);
}

using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Ali.Serverless.Evaluations;
using Ali.Serverless.Licences;
using Ali.Serverless.Materials;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;

namespace Ali.Serverless.Cases;

/// <summary>
/// Does what a case change left in its outbox (a transactional outbox on the case document): copies
/// tasks to their department's partition, publishes them to departments' own systems, indexes the case
/// number, queues case events and warnings; then removes the entries done. Each effect is idempotent,
/// so doing one twice (a crash before the removal, the relay racing the writer) changes nothing.
/// </summary>
public sealed class CaseOutbox(
    IApplicationStore applications,
    ITaskStore tasks,
    ICaseIndex caseIndex,
    IDepartmentTaskPublisher publisher,
    DepartmentSystemOptions systems,
    IWorkQueue queues,
    WarningRaiser warnings,
    IAuditLog audit,
    LicenceService licences,
    TimeProvider clock,
    IMaterialStorage? materials = null,
    IEvaluationStore? evaluations = null)
{
    /// <summary>How long an outbox may wait before the relay assumes its writer died.</summary>
    public static readonly TimeSpan RelayGrace = TimeSpan.FromMinutes(1);

    public async Task<Application> DispatchAsync(Stored<Application> stored, CancellationToken cancellationToken) =>
        (await DispatchStoredAsync(stored, cancellationToken)).Value;

    /// <summary>As <see cref="DispatchAsync"/>, keeping the document's ETag for a writer that goes on writing it.</summary>
    public async Task<Stored<Application>> DispatchStoredAsync(Stored<Application> stored, CancellationToken cancellationToken)
    {
        var application = stored.Value;
        if (application.Outbox.Count == 0)
        {
            return stored;
        }
        foreach (var entry in application.Outbox)
        {
            await PerformAsync(application, entry, cancellationToken);
        }
        return await RemoveDoneAsync(stored, application.Outbox.Select(e => e.Id).ToHashSet(), cancellationToken);
    }

    /// <summary>Finishes every outbox whose writer died. Returns how many cases it finished.</summary>
    public async Task<int> RelayAsync(int max, CancellationToken cancellationToken)
    {
        var pending = await applications.ListWithPendingOutboxAsync(clock.GetUtcNow() - RelayGrace, max, cancellationToken);
        var done = 0;
        foreach (var candidate in pending)
        {
            var stored = await applications.GetAsync(candidate.OwnerId, candidate.Id, cancellationToken);
            if (stored is { Value.Outbox.Count: > 0 })
            {
                await DispatchAsync(stored, cancellationToken);
                done++;
            }
        }
        return done;
    }

    private async Task PerformAsync(Application application, OutboxEntry entry, CancellationToken cancellationToken)
    {
        switch (entry.Kind)
        {
            case OutboxKind.SaveTask:
                if (FindTask(application, entry) is { } saved)
                {
                    await tasks.UpsertAsync(saved, cancellationToken);
                }
                break;
            case OutboxKind.PublishTask:
                if (FindTask(application, entry) is { } task && systems.HasOwnSystem(task.DepartmentCode))
                {
                    await publisher.PublishAsync(
                        ToMessage(task, systems) with { TraceParent = Operations.CaseTelemetry.TraceParentFor(application.TraceParent) }, cancellationToken);
                }
                break;
            case OutboxKind.IndexCase:
                await caseIndex.UpsertAsync(new CaseIndexEntry(application.CaseNumber!, application.OwnerId, application.Id, application.DepartmentCode), cancellationToken);
                break;
            case OutboxKind.CaseEvent:
                var task0 = entry.TaskId is null ? null : application.Tasks.FirstOrDefault(t => t.Id == entry.TaskId);
                var message = new CaseEventMessage(entry.Id, entry.EventType!, application.CaseNumber!, application.Id, application.OwnerId,
                    application.Status.ToWire(), entry.TaskId, task0?.DepartmentCode ?? application.DepartmentCode, entry.CreatedAt, entry.Detail)
                {
                    TraceParent = Operations.CaseTelemetry.TraceParentFor(application.TraceParent),
                };
                await queues.SendAsync(StorageNames.CaseEventsQueue, JsonSerializer.Serialize(message, DocumentJson.Options), cancellationToken);
                break;
            case OutboxKind.Warning:
                await warnings.RaiseAsync(new SupervisionWarning
                {
                    Id = WarningRaiser.IdFor(WarningLevels.CalendarMissing, "case", application.CaseNumber!),
                    Level = WarningLevels.CalendarMissing,
                    Subject = "case",
                    CaseNumber = application.CaseNumber!,
                    ApplicationId = application.Id,
                    OwnerId = application.OwnerId,
                    DepartmentCode = application.DepartmentCode,
                    Limit = "calendar",
                    Detail = entry.Detail,
                    RaisedAt = entry.CreatedAt,
                    TraceParent = application.TraceParent,
                }, cancellationToken);
                break;
            case OutboxKind.Audit when entry.Audit is not null:
                // Idempotent: the record's id is the entry's, so a second run finds it written.
                await audit.AppendAsync(entry.Audit with { Id = entry.Id }, cancellationToken);
                break;
            case OutboxKind.IssueLicence when entry.Licence is not null:
                // Idempotent: the licence id comes from the application, so a second run stores nothing.
                await licences.IssueAsync(application, entry.Licence, entry.CreatedAt, cancellationToken);
                break;
            case OutboxKind.SaveEvaluation when application.Evaluation is not null && evaluations is not null:
                // Idempotent: the store keeps the newest version, so a repeat or a late relay changes nothing.
                await evaluations.UpsertAsync(application.Evaluation, cancellationToken);
                break;
            case OutboxKind.DeleteBlob when entry.Detail is not null && materials is not null:
                // Idempotent: deleting a blob that is gone does nothing. (No storage: a composition without blobs, in tests.)
                await materials.DiscardAsync(entry.Detail, cancellationToken);
                break;
        }
    }

    public static DepartmentTaskMessage ToMessage(CaseTask task, DepartmentSystemOptions systems) => new(
        task.Id,
        TaskView.Wire(task.Kind),
        TaskView.Wire(task.State),
        task.CaseNumber,
        task.ItemCode,
        task.DepartmentCode,
        task.CreatedAt,
        task.DueAt,
        systems.TaskUrl(task.Id));

    private static CaseTask? FindTask(Application application, OutboxEntry entry) =>
        application.Tasks.FirstOrDefault(t => t.Id == entry.TaskId);

    private async Task<Stored<Application>> RemoveDoneAsync(Stored<Application> stored, HashSet<string> done, CancellationToken cancellationToken)
    {
        // Effects are done; someone may have written the case meanwhile, so re-read and remove only ours.
        var current = stored;
        for (var attempt = 0; attempt < 5 && current is not null; attempt++)
        {
            var remaining = current.Value.Outbox.Where(e => !done.Contains(e.Id)).ToList();
            if (remaining.Count == current.Value.Outbox.Count)
            {
                return current;
            }
            var replaced = await applications.ReplaceAsync(current.Value with { Outbox = remaining }, current.ETag, cancellationToken);
            if (replaced is not null)
            {
                return replaced;
            }
            current = await applications.GetAsync(stored.Value.OwnerId, stored.Value.Id, cancellationToken);
        }
        return current ?? stored;
    }
}

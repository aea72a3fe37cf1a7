using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Supervision;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>Tasks by (department, id), as the real stores key them.</summary>
internal sealed class InMemoryTaskStore : ITaskStore
{
    public Dictionary<(string Department, string Id), CaseTask> Tasks { get; } = [];

    public int Upserts { get; private set; }

    public Task UpsertAsync(CaseTask task, CancellationToken cancellationToken)
    {
        Upserts++;
        // Stored as the real stores keep it: a copy, not the caller's instance (its lists included).
        task = System.Text.Json.JsonSerializer.Deserialize<CaseTask>(System.Text.Json.JsonSerializer.Serialize(task))!;
        Tasks[(task.DepartmentCode, task.Id)] = task;
        return Task.CompletedTask;
    }

    public Task<CaseTask?> GetAsync(string departmentCode, string taskId, CancellationToken cancellationToken) =>
        Task.FromResult(Tasks.GetValueOrDefault((departmentCode, taskId)));

    public Task<Page<CaseTask>> ListOpenAsync(string departmentCode, TaskKind? kind, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var open = Tasks.Values.Where(t => t.DepartmentCode == departmentCode && t.State == TaskState.Open && (kind is null || t.Kind == kind))
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(pageSize).ToList();
        return Task.FromResult(new Page<CaseTask>(open, null));
    }

    public Task<IReadOnlyList<CaseTask>> ListOpenDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<CaseTask> due = Tasks.Values.Where(t => t.State == TaskState.Open && t.DueAt <= dueBefore).Take(max).ToList();
        return Task.FromResult(due);
    }
}

internal sealed class InMemoryCaseIndex : ICaseIndex
{
    public Dictionary<string, CaseIndexEntry> Entries { get; } = [];

    public Task UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        Entries[entry.CaseNumber] = entry;
        return Task.CompletedTask;
    }

    public Task<CaseIndexEntry?> GetAsync(string caseNumber, CancellationToken cancellationToken) =>
        Task.FromResult(Entries.GetValueOrDefault(caseNumber));
}

internal sealed class InMemoryWarningStore : IWarningStore
{
    public Dictionary<string, SupervisionWarning> Warnings { get; } = [];

    public Task<bool> CreateAsync(SupervisionWarning warning, CancellationToken cancellationToken) =>
        Task.FromResult(Warnings.TryAdd(warning.Id, warning));

    public Task MarkQueuedAsync(SupervisionWarning warning, DateTimeOffset queuedAt, CancellationToken cancellationToken)
    {
        Warnings[warning.Id] = warning with { QueuedAt = queuedAt };
        return Task.CompletedTask;
    }

    public Task<Page<SupervisionWarning>> ListAsync(string? level, string? department, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        Task.FromResult(new Page<SupervisionWarning>(Warnings.Values
            .Where(w => (level is null || w.Level == level) && (department is null || w.DepartmentCode == department))
            .OrderByDescending(w => w.RaisedAt).Take(pageSize).ToList(), null));

    public Task<IReadOnlyList<SupervisionWarning>> ListUnqueuedAsync(int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<SupervisionWarning> unqueued = Warnings.Values.Where(w => w.QueuedAt is null).Take(max).ToList();
        return Task.FromResult(unqueued);
    }
}

/// <summary>Records what was sent to each queue; can be told to fail, to play a crash after the case write.</summary>
internal sealed class RecordingWorkQueue : IWorkQueue
{
    public List<(string Queue, string Text)> Sent { get; } = [];
    public bool Fail { get; set; }

    public Task SendAsync(string queue, string messageText, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new IOException("queue unreachable");
        }
        Sent.Add((queue, messageText));
        return Task.CompletedTask;
    }
}

internal sealed class RecordingPublisher : IDepartmentTaskPublisher
{
    public List<DepartmentTaskMessage> Published { get; } = [];
    public bool Fail { get; set; }

    public Task PublishAsync(DepartmentTaskMessage message, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new IOException("Service Bus unreachable");
        }
        Published.Add(message);
        return Task.CompletedTask;
    }
}

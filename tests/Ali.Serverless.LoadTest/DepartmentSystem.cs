using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

/// <summary>What the soak wants done with a case's tasks, decided when the case was planned.</summary>
internal enum CasePlan { Approve, NotAccept, Withdraw }

/// <summary>The soak's cases as the scripted departments look them up: by case number, once submitted.</summary>
internal sealed class SoakCases
{
    private readonly ConcurrentDictionary<string, SoakCase> _byNumber = new(StringComparer.Ordinal);

    public void Add(SoakCase soakCase) => _byNumber[soakCase.CaseNumber] = soakCase;

    public SoakCase? Find(string caseNumber) => _byNumber.GetValueOrDefault(caseNumber);

    public ICollection<SoakCase> All => _byNumber.Values;
}

internal sealed class SoakCase(string applicationId, string caseNumber, string applicantToken, CasePlan plan)
{
    public string ApplicationId { get; } = applicationId;
    public string CaseNumber { get; } = caseNumber;
    public string ApplicantToken { get; } = applicantToken;
    public CasePlan Plan { get; } = plan;

    /// <summary>The final state an answer of the API reported (completed, not-accepted, withdrawn), or null.</summary>
    public volatile string? FinalState;

    public void Saw(JsonElement caseOrApplication)
    {
        if (caseOrApplication.ValueKind == JsonValueKind.Object && caseOrApplication.TryGetProperty("status", out var status)
            && status.GetString() is "completed" or "not-accepted" or "withdrawn")
        {
            FinalState = status.GetString();
        }
    }
}

/// <summary>
/// The departments' side of the soak, scripted. A department without its own system is a reviewer working
/// through its worklist over HTTP; a department with one (locally: its Azurite queue
/// <c>department-tasks-&lt;code&gt;</c>, standing in for its Service Bus subscription) receives each task
/// message, answers it through <c>POST /api/tasks/{taskId}/complete</c> and only then deletes the message,
/// as docs/department-integration.md tells an integrator to. Both answer the soak's plan for the case.
/// </summary>
internal static class ScriptedDepartments
{
    /// <summary>How many tasks one department answers at once.</summary>
    private const int AtOnce = 4;

    public static async Task ReviewerAsync(LifecycleApi api, string token, SoakCases cases, CancellationToken stop)
    {
        var taken = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            // Every page: the worklist also holds tasks of cases this run does not answer (an earlier scenario's).
            var tasks = new List<(string Id, string Kind, string Case)>();
            string? continuation = null;
            do
            {
                var path = "/api/worklist?pageSize=100" + (continuation is null ? "" : $"&continuationToken={Uri.EscapeDataString(continuation)}");
                var (status, page) = await SafeAsync(() => api.SendAsync(HttpMethod.Get, path, token, null, stop), stop);
                if (status != HttpStatusCode.OK)
                {
                    break;
                }
                tasks.AddRange(page.GetProperty("items").EnumerateArray()
                    .Select(t => (Id: t.GetProperty("id").GetString()!, Kind: t.GetProperty("kind").GetString()!, Case: t.GetProperty("caseNumber").GetString()!))
                    .Where(t => !taken.ContainsKey(t.Id) && Answer(t.Kind, cases.Find(t.Case)) is not null));
                continuation = page.TryGetProperty("continuationToken", out var more) && more.ValueKind == JsonValueKind.String ? more.GetString() : null;
            }
            while (continuation is not null);
            if (tasks.Count == 0)
            {
                await Pause(TimeSpan.FromMilliseconds(200), stop);
                continue;
            }
            await Parallel.ForEachAsync(tasks, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = stop }, async (task, ct) =>
            {
                taken[task.Id] = true;
                if (!await CompleteAsync(api, token, task.Id, task.Kind, cases.Find(task.Case)!, ct))
                {
                    taken.TryRemove(task.Id, out _); // not answered: the next round of the worklist tries again
                }
            });
        }
    }

    public static async Task SystemAsync(LifecycleApi api, string token, QueueClient queue, SoakCases cases, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60), stop)).Value;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                messages = []; // the queue appears with the department's first task
            }
            if (messages.Length == 0)
            {
                await Pause(TimeSpan.FromMilliseconds(200), stop);
                continue;
            }
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = AtOnce }, async (message, _) =>
            {
                var body = JsonDocument.Parse(message.MessageText).RootElement;
                var taskId = body.GetProperty("taskId").GetString()!;
                var kind = body.GetProperty("kind").GetString()!;
                var soakCase = cases.Find(body.GetProperty("caseNumber").GetString()!);
                if (body.GetProperty("state").GetString() == "open" && soakCase is not null && Answer(kind, soakCase) is not null)
                {
                    if (!await CompleteAsync(api, token, taskId, kind, soakCase, stop))
                    {
                        // Not answered: the message comes back in a few seconds rather than after its whole lock.
                        try
                        {
                            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(2), cancellationToken: CancellationToken.None);
                        }
                        catch (RequestFailedException)
                        {
                            // It comes back when its lock expires anyway.
                        }
                        return;
                    }
                }
                else if (soakCase is null)
                {
                    return; // a case this run has not recorded yet (its submit answer still on the way): later
                }
                // Answered, already answered (a message delivered twice), or not a task to answer (cancelled, done).
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            });
        }
    }

    /// <summary>The body to answer a task with under the case's plan; null to leave it (a case the applicant withdraws).</summary>
    private static object? Answer(string kind, SoakCase? soakCase) => (kind, soakCase?.Plan) switch
    {
        (_, null) => null,
        ("acceptance", CasePlan.Withdraw) => null,
        ("acceptance", CasePlan.NotAccept) => new { outcome = "not-accept", opinion = "不属于本部门受理范围" },
        ("acceptance", _) => new { outcome = "accept" },
        ("review", _) => new { outcome = "approve", opinion = "审查通过" },
        ("decision", _) => new { outcome = "approve", opinion = "准予许可" },
        _ => null,
    };

    /// <summary>
    /// True when the task is now done, by this answer or an earlier one (409 task-not-open). Any other 409
    /// (concurrent-change: another step of the case won the write several times over) is answered again later.
    /// </summary>
    private static async Task<bool> CompleteAsync(LifecycleApi api, string token, string taskId, string kind, SoakCase soakCase, CancellationToken stop)
    {
        var (status, body) = await SafeAsync(() => api.SendAsync(HttpMethod.Post, $"/api/tasks/{taskId}/complete", token, Answer(kind, soakCase), stop, HttpStatusCode.Conflict), stop);
        if (status == HttpStatusCode.OK && body.TryGetProperty("case", out var caseView))
        {
            soakCase.Saw(caseView);
        }
        if (status == HttpStatusCode.Conflict && LifecycleApi.ProblemType(body) != TaskNotOpen)
        {
            api.Retried();
            return false;
        }
        return status is HttpStatusCode.OK or HttpStatusCode.Conflict;
    }

    private const string TaskNotOpen = "urn:ali-serverless:problem:task-not-open";

    /// <summary>A request that failed to connect or timed out counts as not answered; the next round tries again.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SafeAsync(Func<Task<(HttpStatusCode, JsonElement)>> call, CancellationToken stop)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            return (0, default);
        }
    }

    private static async Task Pause(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

using Ali.Serverless.Identity;
using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ali.Serverless.Functions.Http;

/// <summary>电子监察 for supervisors, and the queues' health for operators.</summary>
public sealed class SupervisionApi(Api api, Supervisor supervisor, IQueueMonitor queues, OperatedQueues operated)
{
    [Function("ListSupervisionWarnings")]
    public Task<IResult> Warnings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "supervision/warnings")] HttpRequest request) =>
        api.RunAsync(request, "ListSupervisionWarnings", async (caller, cancellationToken) =>
        {
            var result = await supervisor.ListAsync(QueryValues.Text(request, "level"), QueryValues.Text(request, "department"),
                QueryValues.PageSize(request), QueryValues.ContinuationToken(request), cancellationToken);
            return Api.Reply(request, result, page => new { items = page.Items.Select(SupervisionWarningView.From).ToList(), continuationToken = page.ContinuationToken });
        });

    [Function("GetQueueHealth")]
    public Task<IResult> Queues([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/queues")] HttpRequest request) =>
        api.RunAsync(request, "GetQueueHealth", async (caller, cancellationToken) =>
        {
            var health = await queues.ReadAsync(operated.Names, cancellationToken);
            return Results.Json(new
            {
                queues = health.Select(q => new
                {
                    queue = q.Queue,
                    depth = q.Depth,
                    poisonQueue = $"{q.Queue}-poison",
                    poisonDepth = q.PoisonDepth,
                    oldestMessageAgeSeconds = q.OldestMessageAge is { } age ? (long?)Math.Round(age.TotalSeconds) : null,
                }).ToList(),
            }, ApiJson.Options);
        });
}

/// <summary>The queues operators watch: the work queues, and locally the department stand-in queues.</summary>
public sealed record OperatedQueues(IReadOnlyList<string> Names)
{
    public static OperatedQueues From(IEnumerable<string> departmentQueues) => new([.. StorageNames.Queues, .. departmentQueues]);
}

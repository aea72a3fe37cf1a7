using System.Text.Json;
using Ali.Serverless.LocalHost.Triggers;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// The local host must serve exactly what the Functions host would: the same function names,
/// triggers, routes, methods and queues as the functions.metadata the Functions build writes.
/// </summary>
public sealed class FunctionMetadataDriftTests
{
    [Fact]
    public void LocalHostFunctionTable_MatchesFunctionsMetadata()
    {
        var metadataPath = Path.Combine(RepoPaths.OutputOf("Ali.Serverless.Functions"), "functions.metadata");
        using var metadata = JsonDocument.Parse(File.ReadAllText(metadataPath));
        var fromBuild = metadata.RootElement.EnumerateArray().Select(Describe).Order().ToList();

        var fromLocalHost = FunctionTable.Discover(typeof(Ali.Serverless.Functions.Http.ApplicationsApi).Assembly).Select(f => f.Trigger switch
        {
            TriggerKind.Http => $"{f.Name} http {string.Join(",", f.HttpMethods.Select(m => m.ToLowerInvariant()).Order())} {f.Route}",
            TriggerKind.Queue => $"{f.Name} queue {f.QueueName}",
            _ => $"{f.Name} timer {f.Schedule}",
        }).Order().ToList();

        Assert.NotEmpty(fromBuild);
        Assert.Equal(fromBuild, fromLocalHost);
    }

    private static string Describe(JsonElement function)
    {
        var name = function.GetProperty("name").GetString();
        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        return trigger.GetProperty("type").GetString() switch
        {
            "httpTrigger" => $"{name} http {string.Join(",", trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order())} {trigger.GetProperty("route").GetString()}",
            "queueTrigger" => $"{name} queue {trigger.GetProperty("queueName").GetString()}",
            "timerTrigger" => $"{name} timer {trigger.GetProperty("schedule").GetString()}",
            var other => throw new InvalidOperationException($"Unexpected trigger {other}"),
        };
    }
}

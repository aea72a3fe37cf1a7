using System.Text.Json.Nodes;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>The extensions.queues settings of host.json, read from the same file the Functions host uses.</summary>
public sealed record QueueSettings(int BatchSize, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int MaxDequeueCount)
{
    public static QueueSettings Read(string hostJsonPath)
    {
        var queues = JsonNode.Parse(File.ReadAllText(hostJsonPath))?["extensions"]?["queues"];
        return new QueueSettings(
            queues?["batchSize"]?.GetValue<int>() ?? 16,
            TimeSpan.Parse(queues?["maxPollingInterval"]?.GetValue<string>() ?? "00:00:02", System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.Parse(queues?["visibilityTimeout"]?.GetValue<string>() ?? "00:00:30", System.Globalization.CultureInfo.InvariantCulture),
            queues?["maxDequeueCount"]?.GetValue<int>() ?? 5);
    }
}

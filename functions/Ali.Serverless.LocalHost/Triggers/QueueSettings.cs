using System.Text.Json.Nodes;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>
/// The extensions.queues settings of host.json, read from the same file the Functions host uses.
/// <paramref name="NewBatchThreshold"/> defaults to half the batch size, as the Functions host's does;
/// <paramref name="MinPollingInterval"/> is where the idle back-off starts (100 ms unless a test says otherwise).
/// </summary>
public sealed record QueueSettings(
    int BatchSize, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int MaxDequeueCount, int? NewBatchThreshold = null, TimeSpan? MinPollingInterval = null)
{
    /// <summary>A new batch is fetched once the messages in hand drop to this many.</summary>
    public int FetchBelow => NewBatchThreshold ?? BatchSize / 2;

    public TimeSpan FirstBackOff => MinPollingInterval ?? TimeSpan.FromMilliseconds(100);

    public static QueueSettings Read(string hostJsonPath)
    {
        var queues = JsonNode.Parse(File.ReadAllText(hostJsonPath))?["extensions"]?["queues"];
        return new QueueSettings(
            queues?["batchSize"]?.GetValue<int>() ?? 16,
            TimeSpan.Parse(queues?["maxPollingInterval"]?.GetValue<string>() ?? "00:00:02", System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.Parse(queues?["visibilityTimeout"]?.GetValue<string>() ?? "00:00:30", System.Globalization.CultureInfo.InvariantCulture),
            queues?["maxDequeueCount"]?.GetValue<int>() ?? 5,
            queues?["newBatchThreshold"]?.GetValue<int>());
    }
}

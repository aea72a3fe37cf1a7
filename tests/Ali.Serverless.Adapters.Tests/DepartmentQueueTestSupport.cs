using System.Text;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>A clock standing still at a given instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Reads and writes queues on Azurite without the adapters, to see what they really stored.</summary>
internal static class RawQueues
{
    public static QueueServiceClient Plain => new(TestEnvironment.Storage);

    public static QueueServiceClient Base64 => new(TestEnvironment.Storage, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Receives every message's stored text, Base64-decoded as the Functions queue trigger would.</summary>
    public static async Task<IReadOnlyList<string>> DecodedMessagesAsync(string queue)
    {
        var raw = (await Plain.GetQueueClient(queue).ReceiveMessagesAsync(maxMessages: 32)).Value;
        return raw.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.MessageText))).ToList();
    }
}

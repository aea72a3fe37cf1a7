using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Pipeline;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Azure.Queues;

/// <summary>
/// The review queue on Azure Storage. The client must use Base64 message encoding, which is what the
/// Functions queue trigger expects.
/// </summary>
public sealed class StorageSubmissionQueue(QueueClient queue) : ISubmissionQueue
{
    public async Task EnqueueAsync(ApplicationSubmitted message, CancellationToken cancellationToken) =>
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, DocumentJson.Options), cancellationToken);
}

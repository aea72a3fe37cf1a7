using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Azure;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Azure.Queues;

/// <summary>
/// Moves a malformed message to "&lt;queue&gt;-poison", the queue the Functions host itself moves a message to
/// after its last attempt, so operators find every failed message in one place and count it the same way.
/// </summary>
/// <param name="queues">Queue clients with Base64 message encoding, as the host writes poison messages.</param>
public sealed class StoragePoisonQueue(QueueServiceClient queues) : IPoisonQueue
{
    /// <summary>A malformed message is evidence for an operator: it stays until someone deletes it.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task MoveAsideAsync(string queue, string messageText, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(messageText);
        var poison = queues.GetQueueClient(StorageNames.PoisonQueue(queue));
        try
        {
            await poison.SendMessageAsync(messageText, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The host creates a poison queue on first use too; the template creates those of the work queues.
            await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await poison.SendMessageAsync(messageText, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        }
    }
}

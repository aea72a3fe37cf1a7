using Ali.Serverless.Cases;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Azure.Queues;

/// <summary>Sends to a named Storage queue (Base64, as the Functions queue trigger expects).</summary>
public sealed class StorageWorkQueue(QueueServiceClient queues) : IWorkQueue
{
    public async Task SendAsync(string queue, string messageText, CancellationToken cancellationToken) =>
        await queues.GetQueueClient(queue).SendMessageAsync(messageText, cancellationToken);
}

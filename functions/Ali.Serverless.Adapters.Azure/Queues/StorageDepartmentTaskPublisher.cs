using System.Text.Json;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Storage;
using Azure;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Azure.Queues;

/// <summary>
/// The local stand-in for the <c>department-tasks</c> topic: one Storage queue per department
/// (<see cref="StorageNames.DepartmentTaskQueue"/>), holding the same JSON body the topic would carry.
/// A department's system under development reads its queue on Azurite instead of its subscription.
/// Storage queues have no duplicate detection: a re-publish makes a second message, which the receiving
/// side takes once by its task id and state, as it must on Service Bus after the 10-minute window too.
/// </summary>
/// <param name="queues">Queue clients with Base64 message encoding, like every other queue of the app.</param>
public sealed class StorageDepartmentTaskPublisher(QueueServiceClient queues) : IDepartmentTaskPublisher
{
    public async Task PublishAsync(DepartmentTaskMessage message, CancellationToken cancellationToken)
    {
        var queue = queues.GetQueueClient(StorageNames.DepartmentTaskQueue(message.DepartmentCode));
        var text = JsonSerializer.Serialize(message, DocumentJson.Options);
        try
        {
            await queue.SendMessageAsync(text, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A department's queue appears with its first task; nothing has to list departments beforehand.
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(text, cancellationToken);
        }
    }
}

using Ali.Serverless.Operations;
using Ali.Serverless.Storage;
using Azure;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Azure.Queues;

/// <summary>
/// Reads the work queues as an operator sees them: the approximate count of each queue and of its
/// "-poison" sibling, and how long the oldest visible message has waited. A queue that does not exist
/// (yet) reads as empty: a poison queue, for one, only appears with its first message.
/// </summary>
/// <param name="queues">Queue clients without message encoding: only counts and insertion times are read,
/// so a malformed (non-Base64) message, the very kind that ends up in a poison queue, cannot break a read.</param>
public sealed class StorageQueueMonitor(QueueServiceClient queues, TimeProvider clock) : IQueueMonitor
{
    /// <summary>Most messages one peek returns; the oldest of them stands for the queue's oldest.</summary>
    private const int PeekLimit = 32;

    public async Task<IReadOnlyList<QueueHealth>> ReadAsync(IReadOnlyList<string> queueNames, CancellationToken cancellationToken)
    {
        var health = new List<QueueHealth>(queueNames.Count);
        // One queue after the other: a handful of queues, read now and then.
        foreach (var name in queueNames)
        {
            var queue = queues.GetQueueClient(name);
            var depth = await ApproximateCountAsync(queue, cancellationToken);
            var poisonDepth = await ApproximateCountAsync(queues.GetQueueClient(StorageNames.PoisonQueue(name)), cancellationToken);
            var oldest = await OldestInsertedAsync(queue, cancellationToken);
            var age = oldest is { } insertedOn ? Max(clock.GetUtcNow() - insertedOn, TimeSpan.Zero) : (TimeSpan?)null;
            health.Add(new QueueHealth(name, depth, poisonDepth, age));
        }
        return health;
    }

    private static async Task<long> ApproximateCountAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Peek sees only visible messages, in roughly the order they were added (Storage queues promise no
    /// strict order), so the earliest of a full peek is taken. A message being processed right now is not seen.
    /// </summary>
    private static async Task<DateTimeOffset?> OldestInsertedAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            var peeked = (await queue.PeekMessagesAsync(PeekLimit, cancellationToken)).Value;
            return peeked.Select(m => m.InsertedOn).Where(t => t is not null).Min();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

namespace Ali.Serverless.Operations;

/// <summary>One work queue as an operator sees it: how much waits, how much failed, how old the oldest waiting message is.</summary>
public sealed record QueueHealth(string Queue, long Depth, long PoisonDepth, TimeSpan? OldestMessageAge);

/// <summary>Reads the state of work queues and their "-poison" siblings.</summary>
public interface IQueueMonitor
{
    Task<IReadOnlyList<QueueHealth>> ReadAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken);
}

/// <summary>
/// Moves a message that can never succeed (malformed) to "&lt;queue&gt;-poison" at once, where operators
/// see and count it, instead of retrying it or deleting it.
/// </summary>
public interface IPoisonQueue
{
    Task MoveAsideAsync(string queue, string messageText, CancellationToken cancellationToken);
}

using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Operations;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Queues;

/// <summary>Reading a queue message the one way every trigger does.</summary>
public static class QueueMessages
{
    /// <summary>
    /// The message as <typeparamref name="T"/> when it parses and <paramref name="isComplete"/> accepts it;
    /// otherwise it is moved to the queue's poison queue (retrying cannot fix it; it is never deleted) and
    /// null is returned. The text is not logged: it may hold anything.
    /// </summary>
    public static async Task<T?> ReadOrMoveAsideAsync<T>(
        string message, string queue, Func<T, bool> isComplete, IPoisonQueue poison, ILogger logger, CancellationToken cancellationToken)
        where T : class
    {
        T? value = null;
        try
        {
            value = JsonSerializer.Deserialize<T>(message, DocumentJson.Options);
        }
        catch (JsonException)
        {
            // Handled below as malformed.
        }
        if (value is not null && isComplete(value))
        {
            return value;
        }
        await poison.MoveAsideAsync(queue, message, cancellationToken);
        CaseTelemetry.Poisoned(queue);
        logger.LogError("Moved a malformed {Queue} message to its poison queue", queue);
        return null;
    }

    public static bool IsId(string? value) => Ids.IsIssued(value);
}

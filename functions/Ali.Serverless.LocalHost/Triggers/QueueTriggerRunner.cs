using Ali.Serverless.Adapters.Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>
/// Runs the queue-triggered functions against Azurite the way the Functions host does: polls, hands
/// the message text to the function, deletes it on success, lets it reappear on failure, and moves it
/// to "&lt;queue&gt;-poison" after maxDequeueCount tries. Like the host it handles a batch's messages
/// concurrently and fetches the next batch once the messages in hand drop to newBatchThreshold. Unlike
/// it, an idle poller is woken at once when this process itself sends to its queue (decision 22).
/// </summary>
public sealed class QueueTriggerRunner(
    IReadOnlyList<FunctionEntry> functions, AzureStorage storage, QueueSettings settings, QueueTap tap, QueueWakeups wakeups,
    IServiceScopeFactory scopes, ILogger<QueueTriggerRunner> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger == TriggerKind.Queue).Select(f => PollAsync(f, stoppingToken)));

    private async Task PollAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        var queue = storage.Queues.GetQueueClient(function.QueueName);
        var poison = storage.Queues.GetQueueClient($"{function.QueueName}-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var inHand = new List<Task>();
        var delay = settings.FirstBackOff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inHand.RemoveAll(handling => handling.IsCompleted);
                if (inHand.Count > settings.FetchBelow)
                {
                    await Task.WhenAny(inHand);
                    continue;
                }
                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, settings.VisibilityTimeout, stoppingToken)).Value;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Polling {Queue} failed; retrying", function.QueueName);
                    messages = [];
                }
                inHand.AddRange(messages.Select(message => Task.Run(() => HandleAsync(function, queue, poison, message, stoppingToken), CancellationToken.None)));
                if (messages.Length > 0)
                {
                    delay = settings.FirstBackOff;
                    continue;
                }
                // Back off while idle, up to the host's maxPollingInterval, as the Functions host does; a send
                // from this process cuts the wait short.
                try
                {
                    await wakeups.WaitAsync(function.QueueName!, delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
            }
        }
        finally
        {
            // Messages in hand finish (or are cancelled) before the host stops; none is abandoned half-handled.
            try
            {
                await Task.WhenAll(inHand);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task HandleAsync(FunctionEntry function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        tap.Record(function.QueueName!, message.MessageText);
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                await poison.SendMessageAsync(message.MessageText, stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                logger.LogError("Message {MessageId} moved to {Queue}-poison after {Count} tries", message.MessageId, function.QueueName, message.DequeueCount - 1);
                return;
            }
            await using var scope = scopes.CreateAsyncScope();
            var bindingData = new Dictionary<string, object?> { ["id"] = message.MessageId, ["dequeueCount"] = message.DequeueCount };
            await FunctionInvoker.InvokeAsync(scope.ServiceProvider, function, message.MessageText, bindingData, stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Not deleted: the message reappears after the visibility timeout, and the next try (or the poison move) takes it.
            logger.LogError(e, "{Function} failed on message {MessageId} (try {Count})", function.Name, message.MessageId, message.DequeueCount);
        }
    }
}

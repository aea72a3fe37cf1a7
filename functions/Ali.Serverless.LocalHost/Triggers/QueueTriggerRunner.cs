using Ali.Serverless.Adapters.Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Ali.Serverless.LocalHost.Triggers;

/// <summary>
/// Runs the queue-triggered functions against Azurite the way the Functions host does: polls, hands
/// the message text to the function, deletes it on success, lets it reappear on failure, and moves it
/// to "&lt;queue&gt;-poison" after maxDequeueCount tries.
/// </summary>
public sealed class QueueTriggerRunner(
    IReadOnlyList<FunctionEntry> functions, AzureStorage storage, QueueSettings settings, QueueTap tap, IServiceScopeFactory scopes, ILogger<QueueTriggerRunner> logger)
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
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
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
            foreach (var message in messages)
            {
                await HandleAsync(function, queue, poison, message, stoppingToken);
            }
            // Back off while idle, up to the host's maxPollingInterval, as the Functions host does.
            delay = messages.Length > 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
            try
            {
                await Task.Delay(messages.Length > 0 ? TimeSpan.Zero : delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task HandleAsync(FunctionEntry function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        tap.Record(function.QueueName!, message.MessageText);
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await poison.SendMessageAsync(message.MessageText, stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            logger.LogError("Message {MessageId} moved to {Queue}-poison after {Count} tries", message.MessageId, function.QueueName, message.DequeueCount - 1);
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var bindingData = new Dictionary<string, object?> { ["id"] = message.MessageId, ["dequeueCount"] = message.DequeueCount };
            await FunctionInvoker.InvokeAsync(scope.ServiceProvider, function, message.MessageText, bindingData, stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "{Function} failed on message {MessageId} (try {Count})", function.Name, message.MessageId, message.DequeueCount);
        }
    }
}

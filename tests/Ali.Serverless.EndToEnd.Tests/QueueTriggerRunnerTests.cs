using System.Collections.Concurrent;
using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.LocalHost.Triggers;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// The local host's queue trigger behaves like the Functions host's: a message is handed to the
/// function and deleted on success, comes back after a failure, and after maxDequeueCount failures
/// moves to the "-poison" queue. Runs against Azurite.
/// </summary>
public sealed class QueueTriggerRunnerTests : IAsyncLifetime
{
    private static readonly string Storage = Environment.GetEnvironmentVariable("ALI_TEST_STORAGE") ?? "UseDevelopmentStorage=true";
    private readonly string _queue = $"runner-{Guid.NewGuid():N}"[..20];
    private readonly AzureStorage _storage = AzureStorage.FromConnectionString(Storage);
    private readonly string _tap = Path.Combine(Path.GetTempPath(), $"runner-tap-{Guid.NewGuid():N}.log");
    private QueueServiceClient Queues => _storage.Queues;

    // The runner creates its queue as it starts polling; a send right after StartAsync could come first.
    public async Task InitializeAsync()
    {
        await Queues.GetQueueClient(_queue).CreateIfNotExistsAsync();
        await Queues.GetQueueClient($"{_queue}-poison").CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        File.Delete(_tap);
        await Queues.GetQueueClient(_queue).DeleteIfExistsAsync();
        await Queues.GetQueueClient($"{_queue}-poison").DeleteIfExistsAsync();
    }

    [Fact]
    public async Task SuccessfulMessage_IsHandedOver_AndDeleted()
    {
        Recorder.Received.Clear();
        await using var runner = await StartAsync(nameof(Recorder.Record));
        await Queues.GetQueueClient(_queue).SendMessageAsync("hello");

        await WaitUntilAsync(() => Recorder.Received.Contains("hello"));
        await WaitUntilAsync(async () => (await Queues.GetQueueClient(_queue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
        Assert.Equal($"{_queue}\thello\n", await File.ReadAllTextAsync(_tap));
    }

    [Fact]
    public async Task FailingMessage_IsRetried_ThenMovedToPoison()
    {
        Recorder.Attempts.Clear();
        await using var runner = await StartAsync(nameof(Recorder.AlwaysFail));
        await Queues.GetQueueClient(_queue).SendMessageAsync("broken");

        await WaitUntilAsync(async () => (await Queues.GetQueueClient($"{_queue}-poison").PeekMessageAsync()).Value?.MessageText == "broken");
        Assert.Equal(2, Recorder.Attempts.Count(a => a == "broken"));
    }

    private async Task<RunningRunner> StartAsync(string methodName)
    {
        var method = typeof(Recorder).GetMethod(methodName)!;
        var entry = new FunctionEntry(methodName, typeof(Recorder), method, TriggerKind.Queue, null, [], _queue, "AzureWebJobsStorage", null);
        var services = new ServiceCollection().BuildServiceProvider();
        var settings = new QueueSettings(BatchSize: 4, MaxPollingInterval: TimeSpan.FromMilliseconds(200), VisibilityTimeout: TimeSpan.FromSeconds(1), MaxDequeueCount: 2);
        var runner = new QueueTriggerRunner(
            [entry], _storage, settings, new QueueTap(_tap),
            services.GetRequiredService<IServiceScopeFactory>(), NullLogger<QueueTriggerRunner>.Instance);
        await runner.StartAsync(default);
        return new RunningRunner(runner);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 30 s.");
            await Task.Delay(100);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private sealed class RunningRunner(QueueTriggerRunner runner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await runner.StopAsync(default);
    }

    public sealed class Recorder
    {
        public static readonly ConcurrentBag<string> Received = [];
        public static readonly ConcurrentBag<string> Attempts = [];

        public Task Record([QueueTrigger("any")] string message)
        {
            Received.Add(message);
            return Task.CompletedTask;
        }

        public Task AlwaysFail([QueueTrigger("any")] string message)
        {
            Attempts.Add(message);
            throw new InvalidOperationException("fails on purpose");
        }
    }
}

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
/// moves to the "-poison" queue; a batch is handled concurrently, each message still deleted or poisoned
/// once; and a send from the host's own process wakes an idle poller at once (decision 22). Runs against Azurite.
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

    [Fact]
    public async Task SendFromThisProcess_WakesTheIdlePoller_WithoutWaitingForTheBackOff()
    {
        var marker = Guid.NewGuid().ToString("N");
        var wakeups = new QueueWakeups();
        // Backed off for an hour after its first empty poll: only a wake-up can make it poll again within the test.
        var idleForAnHour = Settings with { MinPollingInterval = TimeSpan.FromHours(1), MaxPollingInterval = TimeSpan.FromHours(1) };
        await using var runner = await StartAsync(nameof(Recorder.Record), idleForAnHour, wakeups);
        await WaitUntilAsync(() => wakeups.IdleWaits(_queue) >= 1);

        // Another process's send (no signal) waits for the next poll...
        await Queues.GetQueueClient(_queue).SendMessageAsync($"{marker}-unsignalled");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain($"{marker}-unsignalled", Recorder.Received);

        // ...a send through the local composition's sender wakes the poller, which takes both.
        await new WakingWorkQueue(_storage.WorkQueue(), wakeups).SendAsync(_queue, $"{marker}-signalled", default);
        await WaitUntilAsync(() => Recorder.Received.Contains($"{marker}-signalled") && Recorder.Received.Contains($"{marker}-unsignalled"));
    }

    [Fact]
    public async Task Batch_IsHandledConcurrently_EachMessageOnce_AndDeleted()
    {
        var marker = Guid.NewGuid().ToString("N");
        var texts = Enumerable.Range(0, 8).Select(i => $"{marker}-{i}").ToList();
        foreach (var text in texts)
        {
            await Queues.GetQueueClient(_queue).SendMessageAsync(text);
        }
        Recorder.ResetConcurrency();
        // Visible for a minute after it is taken: a second delivery here could only be a message taken twice.
        await using var runner = await StartAsync(nameof(Recorder.Slowly), Settings with { VisibilityTimeout = TimeSpan.FromMinutes(1) });

        await WaitUntilAsync(() => texts.All(Recorder.Received.Contains));
        await WaitUntilAsync(async () => (await Queues.GetQueueClient(_queue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
        Assert.All(texts, text => Assert.Equal(1, Recorder.Received.Count(r => r == text)));
        Assert.True(Recorder.MostAtOnce > 1, $"At most {Recorder.MostAtOnce} message(s) were handled at once.");
        // Batch size 4 plus newBatchThreshold 2: never more than 6 in hand.
        Assert.True(Recorder.MostAtOnce <= 6, $"{Recorder.MostAtOnce} messages were handled at once.");
    }

    [Fact]
    public async Task FailingMessages_HandledConcurrently_AreEachTriedMaxTimes_AndPoisonedOnce()
    {
        var marker = Guid.NewGuid().ToString("N");
        var texts = Enumerable.Range(0, 3).Select(i => $"{marker}-broken-{i}").ToList();
        foreach (var text in texts)
        {
            await Queues.GetQueueClient(_queue).SendMessageAsync(text);
        }
        await using var runner = await StartAsync(nameof(Recorder.AlwaysFail));

        var poison = Queues.GetQueueClient($"{_queue}-poison");
        await WaitUntilAsync(async () => (await poison.PeekMessagesAsync(32)).Value.Length == texts.Count);
        await WaitUntilAsync(async () => (await Queues.GetQueueClient(_queue).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0);
        var poisoned = (await poison.PeekMessagesAsync(32)).Value.Select(m => m.MessageText).Order().ToList();
        Assert.Equal(texts, poisoned);
        Assert.All(texts, text => Assert.Equal(2, Recorder.Attempts.Count(a => a == text)));
    }

    private static readonly QueueSettings Settings =
        new(BatchSize: 4, MaxPollingInterval: TimeSpan.FromMilliseconds(200), VisibilityTimeout: TimeSpan.FromSeconds(1), MaxDequeueCount: 2);

    private async Task<RunningRunner> StartAsync(string methodName, QueueSettings? settings = null, QueueWakeups? wakeups = null)
    {
        var method = typeof(Recorder).GetMethod(methodName)!;
        var entry = new FunctionEntry(methodName, typeof(Recorder), method, TriggerKind.Queue, null, [], _queue, "AzureWebJobsStorage", null);
        var services = new ServiceCollection().BuildServiceProvider();
        var runner = new QueueTriggerRunner(
            [entry], _storage, settings ?? Settings, new QueueTap(_tap), wakeups ?? new QueueWakeups(),
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

        private static int _atOnce;
        private static int _mostAtOnce;

        public static int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public static void ResetConcurrency() => Volatile.Write(ref _mostAtOnce, 0);

        public async Task Slowly([QueueTrigger("any")] string message)
        {
            var now = Interlocked.Increment(ref _atOnce);
            int most;
            while (now > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most)
            {
            }
            await Task.Delay(300);
            Received.Add(message);
            Interlocked.Decrement(ref _atOnce);
        }

        public Task AlwaysFail([QueueTrigger("any")] string message)
        {
            Attempts.Add(message);
            throw new InvalidOperationException("fails on purpose");
        }
    }
}

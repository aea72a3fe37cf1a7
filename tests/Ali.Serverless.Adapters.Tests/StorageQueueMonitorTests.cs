using Ali.Serverless.Adapters.Azure.Queues;
using Ali.Serverless.Operations;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>Queue depth, poison depth and the oldest message's age, against Azurite.</summary>
public sealed class StorageQueueMonitorTests : IAsyncLifetime
{
    private readonly string _queue = TestEnvironment.UniqueName("work-");
    private readonly string _other = TestEnvironment.UniqueName("other-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var name in new[] { _queue, $"{_queue}-poison", _other, $"{_other}-poison" })
        {
            await RawQueues.Plain.GetQueueClient(name).DeleteIfExistsAsync();
        }
    }

    private static Task<IReadOnlyList<QueueHealth>> ReadAsync(TimeProvider clock, params string[] queues) =>
        new StorageQueueMonitor(RawQueues.Plain, clock).ReadAsync(queues, default);

    [Fact]
    public async Task Read_CountsWaitingAndPoisonMessages_AndAgesTheOldest()
    {
        var queue = RawQueues.Base64.GetQueueClient(_queue);
        await queue.CreateAsync();
        await queue.SendMessageAsync("{\"n\":1}");
        await queue.SendMessageAsync("{\"n\":2}");
        await RawQueues.Base64.GetQueueClient($"{_queue}-poison").CreateAsync();
        await RawQueues.Base64.GetQueueClient($"{_queue}-poison").SendMessageAsync("{\"n\":0}");
        var fiveMinutesLater = DateTimeOffset.UtcNow.AddMinutes(5);

        var health = Assert.Single(await ReadAsync(new FixedClock(fiveMinutesLater), _queue));

        Assert.Equal(_queue, health.Queue);
        Assert.Equal(2, health.Depth);
        Assert.Equal(1, health.PoisonDepth);
        Assert.NotNull(health.OldestMessageAge);
        // Storage keeps insertion times to the second.
        Assert.InRange(health.OldestMessageAge.Value, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Read_QueuesThatDoNotExist_AreEmpty_NotAnError()
    {
        var health = await ReadAsync(TimeProvider.System, _queue, _other);

        Assert.Equal([new QueueHealth(_queue, 0, 0, null), new QueueHealth(_other, 0, 0, null)], health);
    }

    [Fact]
    public async Task Read_AnEmptyQueue_HasNoOldestMessage()
    {
        await RawQueues.Plain.GetQueueClient(_queue).CreateAsync();

        Assert.Equal(new QueueHealth(_queue, 0, 0, null), Assert.Single(await ReadAsync(TimeProvider.System, _queue)));
    }

    [Fact]
    public async Task Read_IsNotBrokenByAMessageThatIsNotBase64()
    {
        var queue = RawQueues.Plain.GetQueueClient(_queue);
        await queue.CreateAsync();
        await queue.SendMessageAsync("not base64 at all: {");

        var health = Assert.Single(await ReadAsync(TimeProvider.System, _queue));

        Assert.Equal(1, health.Depth);
        Assert.NotNull(health.OldestMessageAge);
    }

    [Fact]
    public async Task Read_AnOldestMessageFromTheFuture_IsZeroOld()
    {
        var queue = RawQueues.Plain.GetQueueClient(_queue);
        await queue.CreateAsync();
        await queue.SendMessageAsync("e30=");

        var health = Assert.Single(await ReadAsync(new FixedClock(DateTimeOffset.UtcNow.AddMinutes(-10)), _queue));

        Assert.Equal(TimeSpan.Zero, health.OldestMessageAge);
    }
}

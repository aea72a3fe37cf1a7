using Ali.Serverless.Adapters.Azure.Queues;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>Moving a malformed message aside, against Azurite.</summary>
public sealed class StoragePoisonQueueTests : IAsyncLifetime
{
    private readonly string _queue = TestEnvironment.UniqueName("work-");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await RawQueues.Plain.GetQueueClient($"{_queue}-poison").DeleteIfExistsAsync();

    [Fact]
    public async Task MoveAside_PutsTheTextUnchanged_OnThePoisonQueue_CreatingItIfNeeded()
    {
        const string malformed = "{\"applicationId\": 42, 未闭合 ";

        await new StoragePoisonQueue(RawQueues.Base64).MoveAsideAsync(_queue, malformed, default);

        Assert.Equal([malformed], await RawQueues.DecodedMessagesAsync($"{_queue}-poison"));
        Assert.False((await RawQueues.Plain.GetQueueClient(_queue).ExistsAsync()).Value);
    }

    [Fact]
    public async Task MoveAside_KeepsTheMessage_UntilAnOperatorDeletesIt()
    {
        await RawQueues.Plain.GetQueueClient($"{_queue}-poison").CreateAsync();

        await new StoragePoisonQueue(RawQueues.Base64).MoveAsideAsync(_queue, "not json", default);

        var peeked = Assert.Single((await RawQueues.Plain.GetQueueClient($"{_queue}-poison").PeekMessagesAsync(32)).Value);
        // Not the 7 days a Storage message lives by default.
        Assert.True(peeked.ExpiresOn > DateTimeOffset.UtcNow.AddYears(1), $"expires on {peeked.ExpiresOn}");
    }
}

using System.Text.Json;
using Ali.Serverless.Adapters.Azure.Queues;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Storage;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>The local stand-in for the topic, against Azurite: a Base64 JSON message on the department's own queue.</summary>
public sealed class StorageDepartmentTaskPublisherTests : IAsyncLifetime
{
    // A department code of its own per run, so the queue is this test's alone.
    private readonly string _department = "T" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    private string Queue => StorageNames.DepartmentTaskQueue(_department);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await RawQueues.Plain.GetQueueClient(Queue).DeleteIfExistsAsync();

    private DepartmentTaskMessage Message(string taskId) => new(
        taskId, "review", "open", "542500-20261128-0123456789", "542500-ZRZYJ-00101", _department,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(3), $"http://127.0.0.1:7071/api/tasks/{taskId}");

    [Fact]
    public async Task Publish_CreatesTheDepartmentsQueue_AndWritesTheTaskAsBase64Json()
    {
        Assert.False((await RawQueues.Plain.GetQueueClient(Queue).ExistsAsync()).Value);
        var message = Message("task-1");

        await new StorageDepartmentTaskPublisher(RawQueues.Base64).PublishAsync(message, default);

        Assert.StartsWith("department-tasks-t", Queue, StringComparison.Ordinal);
        var json = Assert.Single(await RawQueues.DecodedMessagesAsync(Queue));
        Assert.Equal(message, JsonSerializer.Deserialize<DepartmentTaskMessage>(json, DocumentJson.Options));
        Assert.Contains("\"taskId\":\"task-1\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ToAnExistingQueue_AddsBehindWhatWaits()
    {
        var publisher = new StorageDepartmentTaskPublisher(RawQueues.Base64);

        await publisher.PublishAsync(Message("task-1"), default);
        await publisher.PublishAsync(Message("task-2"), default);

        var ids = (await RawQueues.DecodedMessagesAsync(Queue))
            .Select(json => JsonSerializer.Deserialize<DepartmentTaskMessage>(json, DocumentJson.Options)!.TaskId);
        Assert.Equal(["task-1", "task-2"], ids.Order());
    }

    [Fact]
    public async Task Publish_ForACodeThatCannotNameAQueue_Throws_AndWritesNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            new StorageDepartmentTaskPublisher(RawQueues.Base64).PublishAsync(Message("task-1") with { DepartmentCode = "542500_ZRZYJ" }, default));
    }
}

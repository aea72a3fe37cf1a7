using System.Text;
using System.Text.Json;
using Ali.Serverless.Adapters.Azure.Queues;
using Ali.Serverless.Common;
using Ali.Serverless.Pipeline;
using Azure.Storage.Queues;

namespace Ali.Serverless.Adapters.Tests;

public sealed class StorageSubmissionQueueTests : IAsyncLifetime
{
    private readonly string _name = TestEnvironment.UniqueName("submitted-");
    private QueueClient Client(QueueMessageEncoding encoding) =>
        new(TestEnvironment.Storage, _name, new QueueClientOptions { MessageEncoding = encoding });

    public async Task InitializeAsync() => await Client(QueueMessageEncoding.None).CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await Client(QueueMessageEncoding.None).DeleteIfExistsAsync();

    [Fact]
    public async Task Enqueue_WritesBase64Json_AsTheFunctionsQueueTriggerExpects()
    {
        var message = new ApplicationSubmitted("a1", "applicant:x", "542500-20261128-0123456789", "ITEM", "542500-RSJ", DateTimeOffset.UnixEpoch);

        await new StorageSubmissionQueue(Client(QueueMessageEncoding.Base64)).EnqueueAsync(message, default);
        var raw = (await Client(QueueMessageEncoding.None).ReceiveMessageAsync()).Value;

        var json = Encoding.UTF8.GetString(Convert.FromBase64String(raw.MessageText));
        Assert.Equal(message, JsonSerializer.Deserialize<ApplicationSubmitted>(json, DocumentJson.Options));
    }
}

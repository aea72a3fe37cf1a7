using System.Diagnostics;
using System.Text.Json;
using Ali.Serverless.Adapters.Azure.ServiceBus;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Azure.Core;
using Azure.Messaging.ServiceBus;
using Moq;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>The message a department's system receives from the topic, captured from a mocked sender.</summary>
public sealed class ServiceBusDepartmentTaskPublisherTests
{
    private static readonly DepartmentTaskMessage Task1 = new(
        TaskId: "task-0001",
        Kind: "acceptance",
        State: "open",
        CaseNumber: "542500-20261128-0123456789",
        ItemCode: "542500-ZRZYJ-00101",
        DepartmentCode: "542500-ZRZYJ",
        CreatedAt: new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(8)),
        DueAt: new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.FromHours(8)),
        TaskUrl: "https://api.example.test/api/tasks/task-0001");

    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<ServiceBusMessage> _sent = [];

    public ServiceBusDepartmentTaskPublisherTests() =>
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => _sent.Add(m))
            .Returns(Task.CompletedTask);

    private async Task<ServiceBusMessage> PublishAsync(DepartmentTaskMessage message)
    {
        await new ServiceBusDepartmentTaskPublisher(_sender.Object).PublishAsync(message, CancellationToken.None);
        return _sent[^1];
    }

    [Fact]
    public async Task Publish_SendsOneMessage_NamedForDuplicateDetection_RoutedByDepartment()
    {
        var sent = await PublishAsync(Task1);

        _sender.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("task-0001:open", sent.MessageId);
        Assert.Equal("542500-20261128-0123456789", sent.CorrelationId);
        Assert.Equal("acceptance", sent.Subject);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("542500-ZRZYJ", sent.ApplicationProperties["department"]);
    }

    [Fact]
    public async Task Publish_BodyIsTheTaskInCamelCaseJson_WithExactlyItsFields()
    {
        var sent = await PublishAsync(Task1);

        using var body = JsonDocument.Parse(sent.Body.ToMemory());
        // Written out on purpose: a field added to the message (personal data, say) must change this test.
        Assert.Equal(
            // traceParent: the case's W3C trace context (decision 20), no personal data.
            new[] { "caseNumber", "createdAt", "departmentCode", "dueAt", "itemCode", "kind", "state", "taskId", "taskUrl", "traceParent" },
            body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("task-0001", body.RootElement.GetProperty("taskId").GetString());
        Assert.Equal("https://api.example.test/api/tasks/task-0001", body.RootElement.GetProperty("taskUrl").GetString());
        Assert.Equal(Task1, JsonSerializer.Deserialize<DepartmentTaskMessage>(sent.Body.ToMemory().Span, DocumentJson.Options));
    }

    [Fact]
    public async Task Publish_OutsideAnyTrace_SetsOnlyTheDepartmentProperty()
    {
        Assert.Null(Activity.Current);

        var sent = await PublishAsync(Task1);

        Assert.Equal(["department"], sent.ApplicationProperties.Keys);
    }

    [Fact]
    public async Task Publish_InsideATrace_CarriesItsW3CTraceContext()
    {
        using var activity = new Activity("HandOverTask").SetIdFormat(ActivityIdFormat.W3C);
        activity.TraceStateString = "ali=1";
        activity.Start();

        var sent = await PublishAsync(Task1);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", activity.Id);
        Assert.Equal(activity.Id, sent.ApplicationProperties["Diagnostic-Id"]);
        Assert.Equal(activity.Id, sent.ApplicationProperties["traceparent"]);
        Assert.Equal("ali=1", sent.ApplicationProperties["tracestate"]);
        Assert.Equal(
            new[] { "Diagnostic-Id", "department", "traceparent", "tracestate" },
            sent.ApplicationProperties.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_SameTaskAndState_HasTheSameMessageId_ALaterStateADifferentOne()
    {
        var first = await PublishAsync(Task1);
        var again = await PublishAsync(Task1 with { DueAt = Task1.DueAt.AddDays(1) });
        var cancelled = await PublishAsync(Task1 with { State = "cancelled" });

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, cancelled.MessageId);
    }

    [Fact]
    public async Task Publish_PassesTheCallersCancellationToken_AndItsFailure()
    {
        using var cancellation = new CancellationTokenSource();
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), cancellation.Token))
            .ThrowsAsync(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));

        var error = await Assert.ThrowsAsync<ServiceBusException>(() =>
            new ServiceBusDepartmentTaskPublisher(_sender.Object).PublishAsync(Task1, cancellation.Token));

        Assert.Equal(ServiceBusFailureReason.ServiceBusy, error.Reason);
    }

    [Theory]
    [InlineData("sb-ali-prod-abc.servicebus.chinacloudapi.cn")]
    [InlineData("https://sb-ali-prod-abc.servicebus.chinacloudapi.cn:443/")]
    [InlineData(" sb-ali-prod-abc.servicebus.chinacloudapi.cn ")]
    public async Task Connect_TakesTheNamespaceHost_OrTheResourcesEndpointUrl(string setting)
    {
        // Nothing connects until the first send, so no network is needed here.
        await using var tasks = ServiceBusDepartmentTasks.Connect(setting, Mock.Of<TokenCredential>());

        Assert.Equal("sb-ali-prod-abc.servicebus.chinacloudapi.cn", tasks.FullyQualifiedNamespace);
        Assert.IsType<ServiceBusDepartmentTaskPublisher>(tasks.Publisher);
    }
}

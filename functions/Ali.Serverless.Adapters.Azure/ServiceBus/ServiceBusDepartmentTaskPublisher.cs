using System.Diagnostics;
using System.Text.Json;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Azure.Messaging.ServiceBus;

namespace Ali.Serverless.Adapters.Azure.ServiceBus;

/// <summary>
/// Hands a task to its department's own system through the Service Bus topic <c>department-tasks</c>;
/// each department's subscription keeps the messages whose <c>department</c> property is its code.
/// </summary>
/// <remarks>
/// The message id is the task id and the task state (<see cref="MessageIdOf"/>): the topic's duplicate
/// detection (10 minutes) drops a re-publish of the same task in the same state, as after a retried
/// send, while a later state of the same task still goes through. Duplicate detection is a short window
/// only; departments' systems treat the pair as the key of what they have already taken.
/// The message carries no personal data (the port's message has none): a system reads the case
/// through the task URL with its own token.
/// </remarks>
public sealed class ServiceBusDepartmentTaskPublisher(ServiceBusSender sender) : IDepartmentTaskPublisher
{
    /// <summary>Application property the subscriptions' SQL filters select on (<c>department = '&lt;code&gt;'</c>).</summary>
    public const string DepartmentProperty = "department";

    /// <summary>W3C trace context of the publishing operation, under the names the Service Bus SDKs read.</summary>
    public const string DiagnosticIdProperty = "Diagnostic-Id";
    public const string TraceParentProperty = "traceparent";
    public const string TraceStateProperty = "tracestate";

    public Task PublishAsync(DepartmentTaskMessage message, CancellationToken cancellationToken) =>
        sender.SendMessageAsync(ToServiceBusMessage(message, Activity.Current), cancellationToken);

    public static string MessageIdOf(DepartmentTaskMessage message) => $"{message.TaskId}:{message.State}";

    internal static ServiceBusMessage ToServiceBusMessage(DepartmentTaskMessage message, Activity? activity)
    {
        var busMessage = new ServiceBusMessage(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(message, DocumentJson.Options)))
        {
            ContentType = "application/json",
            MessageId = MessageIdOf(message),
            CorrelationId = message.CaseNumber,
            Subject = message.Kind,
        };
        busMessage.ApplicationProperties[DepartmentProperty] = message.DepartmentCode;
        if (activity?.Id is { } id)
        {
            // Set here rather than left to the SDK's own instrumentation, which only runs when its
            // diagnostics are on: the department's system can join its work to this case's trace.
            busMessage.ApplicationProperties[DiagnosticIdProperty] = id;
            if (activity.IdFormat == ActivityIdFormat.W3C)
            {
                busMessage.ApplicationProperties[TraceParentProperty] = id;
                if (activity.TraceStateString is { Length: > 0 } traceState)
                {
                    busMessage.ApplicationProperties[TraceStateProperty] = traceState;
                }
            }
        }
        return busMessage;
    }
}

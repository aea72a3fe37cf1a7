using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ali.Serverless.Operations;

/// <summary>
/// One trace per case (decision 20). The submission's HTTP request starts the case's trace; its W3C
/// <c>traceparent</c> is kept on the application and carried in every queue and Service Bus message, and
/// every later step of the case (a queue trigger, or a reviewer's request in a trace of its own) runs in a
/// span whose parent is the case's context, linked to the request that caused it. Spans and metrics carry
/// case numbers, item and department codes, states and roles: never a name, an identity number, a phone
/// number or a subject.
/// </summary>
public static class CaseTelemetry
{
    public const string SourceName = "Ali.Serverless.Cases";

    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(SourceName);

    /// <summary>Cases entering each state (tag <c>state</c>): summed per state, the cases per state over time.</summary>
    public static readonly Counter<long> CasesEnteringState = Meter.CreateCounter<long>("ali.cases.entered_state", "{case}", "Cases that entered a state");

    /// <summary>How long one step of a case took, from its read to its written outbox (tag <c>step</c>).</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("ali.cases.step.duration", "s", "Duration of one step of a case");

    /// <summary>How long a message waited on its queue before its trigger took it (tag <c>queue</c>).</summary>
    public static readonly Histogram<double> QueueAge = Meter.CreateHistogram<double>("ali.queue.message.age", "s", "Age of a queue message when its trigger took it");

    /// <summary>Messages the app moved to a poison queue (tag <c>queue</c>); the host's own moves show in GET /api/ops/queues.</summary>
    public static readonly Counter<long> PoisonedMessages = Meter.CreateCounter<long>("ali.queue.poisoned", "{message}", "Messages moved to a poison queue by the app");

    /// <summary>
    /// Outboxes a writing step could not finish itself and left to the relay (tag <c>error</c>: the exception's
    /// type), so a rise in work finished minutes late is seen and its cause named.
    /// </summary>
    public static readonly Counter<long> OutboxDeferred = Meter.CreateCounter<long>("ali.cases.outbox.deferred", "{outbox}", "Case outboxes left to the relay after a failed dispatch");

    public const string CaseNumberTag = "ali.case.number";
    public const string ItemCodeTag = "ali.item.code";
    public const string DepartmentTag = "ali.department";
    public const string StateTag = "ali.case.state";
    public const string RoleTag = "ali.actor.role";
    public const string NotificationEventTag = "ali.notification.event";
    public const string TemplateTag = "ali.notification.template";
    public const string DeliveryStatusTag = "ali.notification.status";
    public const string AttemptsTag = "ali.notification.attempts";
    public const string WarningLevelTag = "ali.warning.level";
    public const string WarningLimitTag = "ali.warning.limit";

    /// <summary>The current span's W3C traceparent, or null when nothing is traced.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;

    /// <summary>
    /// What an outgoing message of a case carries: the current span when it belongs to the case's trace
    /// (or the case has none), else the case's own context (a relay timer finishing a case's outbox).
    /// </summary>
    public static string? TraceParentFor(string? caseTraceParent)
    {
        var current = CurrentTraceParent();
        if (caseTraceParent is null || !ActivityContext.TryParse(caseTraceParent, null, out var context))
        {
            return current;
        }
        return Activity.Current?.TraceId == context.TraceId ? current : caseTraceParent;
    }

    /// <summary>
    /// A span in the case's trace: a child of <paramref name="traceParent"/> when it is a valid traceparent,
    /// with a link to the span that was current (the request or trigger that caused it); else a child of
    /// the current span, as before any case had a trace (messages and documents from before this change).
    /// </summary>
    public static Activity? StartCaseSpan(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal)
    {
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            var current = Activity.Current;
            if (current is not null && current.TraceId == parent.TraceId)
            {
                return Source.StartActivity(name, kind);
            }
            ActivityLink[]? links = current is null ? null : [new ActivityLink(current.Context)];
            return Source.StartActivity(name, kind, parent, links: links);
        }
        return Source.StartActivity(name, kind);
    }

    /// <summary>The span of a queue trigger taking one message, and the message's age on its queue.</summary>
    public static Activity? StartConsumer(string function, string queue, string? traceParent, TimeSpan? age, string? caseNumber)
    {
        if (age is { } waited && waited >= TimeSpan.Zero)
        {
            QueueAge.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("queue", queue));
        }
        var activity = StartCaseSpan(function, traceParent, ActivityKind.Consumer);
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.system", "azure_queue");
        activity?.SetTag(CaseNumberTag, caseNumber);
        return activity;
    }

    public static void Poisoned(string queue) => PoisonedMessages.Add(1, new KeyValuePair<string, object?>("queue", queue));
}

using System.Diagnostics;
using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Notifications;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Notifications;
using Ali.Serverless.Operations;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using Ali.Serverless.Supervision;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Operations;

/// <summary>
/// One trace per case (decision 20), seen through OpenTelemetry's in-memory exporter: the submitting
/// request starts it, the queue hop carries it in the message text alone, and a reviewer's later request
/// (a trace of its own) still adds its step to the case's trace, linked to that request.
/// </summary>
[Collection(CaseTraceTests.Collection)]
public sealed class CaseTraceTests : IDisposable
{
    /// <summary>Stands in for ASP.NET Core's request spans (the local host and the worker make the real ones).</summary>
    private static readonly ActivitySource Requests = new("Ali.Serverless.Tests.Requests");

    public const string Collection = "case traces, alone";

    private readonly List<Activity> _exported = [];
    private readonly List<Metric> _metrics = [];
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metering;

    public CaseTraceTests()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(CaseTelemetry.SourceName, Requests.Name)
            .AddInMemoryExporter(_exported)
            .Build();
        _metering = Sdk.CreateMeterProviderBuilder()
            .AddMeter(CaseTelemetry.SourceName)
            .AddInMemoryExporter(_metrics)
            .Build();
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _metering.Dispose();
    }

    /// <summary>The test applicant's personal data: none of it may appear in a span's or a metric's tags.</summary>
    private static readonly string[] Personal = [IntakeHarness.ValidResidentId, "卓玛", "13800000000", IntakeHarness.Applicant.Subject];

    /// <summary>Submits a ready draft inside a server span, as the HTTP trigger does; the span's trace is the case's.</summary>
    private static async Task<(Application Draft, ActivityTraceId CaseTrace)> SubmitUnderARequestAsync(CaseHarness h)
    {
        var draft = await h.Intake.ReadyDraftAsync();
        using var submit = Requests.StartActivity("POST /api/applications/{id}/submit", ActivityKind.Server);
        Assert.True((await h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, CancellationToken.None)).IsSuccess);
        return (draft, submit!.TraceId);
    }

    [Fact]
    public async Task OneCase_ItsNotificationsAndTheirSms_AndASupervisionWarning_ShareTheCasesTrace_WithoutPersonalData()
    {
        var n = new NotificationHarness();
        var h = n.Cases;
        var (draft, caseTrace) = await SubmitUnderARequestAsync(h);
        var submitted = RoundTrip<ApplicationSubmitted>(JsonSerializer.Serialize(h.Intake.Sent.Single(), DocumentJson.Options));
        using (CaseTelemetry.StartConsumer("PreCheckSubmission", StorageNames.ApplicationSubmittedQueue, submitted.TraceParent, TimeSpan.FromSeconds(1), submitted.CaseNumber))
        {
            Assert.True((await h.Workflow.PreCheckAsync(submitted, CancellationToken.None)).IsSuccess);
        }

        // The case events, then the SMS they queued, each taken by its trigger from nothing but the message text.
        foreach (var (_, text) in h.Queue.Sent.Where(m => m.Queue == StorageNames.CaseEventsQueue).ToList())
        {
            var caseEvent = RoundTrip<CaseEventMessage>(text);
            using (CaseTelemetry.StartConsumer("NotifyCaseEvent", StorageNames.CaseEventsQueue, caseEvent.TraceParent, TimeSpan.Zero, caseEvent.CaseNumber))
            {
                await n.Service.HandleCaseEventAsync(caseEvent, CancellationToken.None);
            }
        }
        await DeliverQueuedAsync(n);
        Assert.NotEmpty(n.Gateway.Sent);

        // Supervision runs in a timer's own trace; the warning and its notifications still join the case's.
        h.Clock.Now = new DateTimeOffset(2026, 3, 16, 10, 0, 0, TimeSpan.FromHours(8));
        ActivityTraceId timerTrace;
        using (var timer = Requests.StartActivity("SuperviseTimeLimits"))
        {
            timerTrace = timer!.TraceId;
            Assert.Equal(1, (await h.Supervisor.RunAsync(CancellationToken.None)).Raised);
        }
        var warning = RoundTrip<SupervisionWarning>(h.Queue.Sent.Single(m => m.Queue == StorageNames.SupervisionWarningsQueue).Text);
        using (CaseTelemetry.StartConsumer("NotifySupervisionWarning", StorageNames.SupervisionWarningsQueue, warning.TraceParent, TimeSpan.Zero, warning.CaseNumber))
        {
            Assert.True(await n.Service.HandleWarningAsync(warning, CancellationToken.None) > 0);
        }

        var caseNumber = h.Current(draft).CaseNumber!;
        var spans = _exported.Where(a => a.TraceId == caseTrace).ToList();
        var names = spans.Select(s => s.DisplayName).ToHashSet();
        foreach (var expected in new[] { "PreCheckSubmission", "case PreCheck", "NotifyCaseEvent", "DeliverNotification", "notification SendSms", "case RaiseWarning", "NotifySupervisionWarning" })
        {
            Assert.Contains(expected, names);
        }
        // Each SMS send is a child of the delivery trigger that took its message, and names the case.
        var deliveries = spans.Where(s => s.DisplayName == "DeliverNotification").Select(s => s.SpanId).ToHashSet();
        var sends = spans.Where(s => s.DisplayName == "notification SendSms").ToList();
        Assert.Equal(n.Gateway.Sent.Count, sends.Count);
        Assert.All(sends, s => Assert.Contains(s.ParentSpanId, deliveries));
        Assert.All(sends, s => Assert.Equal(caseNumber, s.GetTagItem(CaseTelemetry.CaseNumberTag)));
        Assert.All(sends, s => Assert.Equal(NotificationStatuses.Delivered, s.GetTagItem(CaseTelemetry.DeliveryStatusTag)));
        // The warning's span is the case's, linked to the supervision run that found it.
        var raise = spans.Single(s => s.DisplayName == "case RaiseWarning");
        Assert.Contains(raise.Links, l => l.Context.TraceId == timerTrace);
        Assert.Equal(raise.SpanId, spans.Single(s => s.DisplayName == "NotifySupervisionWarning").ParentSpanId);

        _metering.ForceFlush();
        Assert.NotEmpty(_metrics);
        AssertNoPersonalData(_exported.SelectMany(a => a.TagObjects.Select(t => t.Value?.ToString() ?? "")
            .Concat(a.Links.SelectMany(l => l.Tags ?? []).Select(t => t.Value?.ToString() ?? ""))
            .Append(a.DisplayName)));
        AssertNoPersonalData(_metrics.SelectMany(MetricTagValues));
    }

    [Fact]
    public async Task AnSmsQueuedByTheRelay_LaterAndInTheTimersTrace_IsStillSentInTheCasesTrace()
    {
        var n = new NotificationHarness();
        var h = n.Cases;
        var (draft, caseTrace) = await SubmitUnderARequestAsync(h);
        Assert.True((await h.Workflow.PreCheckAsync(h.Intake.Sent.Single(), CancellationToken.None)).IsSuccess);
        var caseEvent = RoundTrip<CaseEventMessage>(h.Queue.Sent.First(m => m.Queue == StorageNames.CaseEventsQueue).Text);
        await n.Service.HandleCaseEventAsync(caseEvent, CancellationToken.None);
        // The delivery message was lost (a crash after the notification's write): the relay queues it again.
        h.Queue.Sent.RemoveAll(m => m.Queue == StorageNames.NotificationDeliveriesQueue);
        h.Clock.Advance(NotificationService.RelayGrace + TimeSpan.FromSeconds(1));
        using (Requests.StartActivity("RelayNotifications"))
        {
            Assert.Equal(1, await n.Service.RelayAsync(10, CancellationToken.None));
        }

        await DeliverQueuedAsync(n);

        var send = _exported.Single(a => a.DisplayName == "notification SendSms" && a.GetTagItem(CaseTelemetry.CaseNumberTag) as string == h.Current(draft).CaseNumber);
        Assert.Equal(caseTrace, send.TraceId);
    }

    private static T RoundTrip<T>(string text) => JsonSerializer.Deserialize<T>(text, DocumentJson.Options)!;

    private static async Task DeliverQueuedAsync(NotificationHarness n)
    {
        var requests = n.Cases.Queue.Sent.Where(m => m.Queue == StorageNames.NotificationDeliveriesQueue).ToList();
        n.Cases.Queue.Sent.RemoveAll(m => m.Queue == StorageNames.NotificationDeliveriesQueue);
        foreach (var (_, text) in requests)
        {
            var request = RoundTrip<DeliveryRequest>(text);
            using (CaseTelemetry.StartConsumer("DeliverNotification", StorageNames.NotificationDeliveriesQueue, request.TraceParent, null, null))
            {
                await n.Service.DeliverAsync(request, CancellationToken.None);
            }
        }
    }

    private static List<string> MetricTagValues(Metric metric)
    {
        var values = new List<string>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                values.Add(tag.Value?.ToString() ?? "");
            }
        }
        return values;
    }

    private static void AssertNoPersonalData(IEnumerable<string> values)
    {
        var all = values.ToList();
        Assert.NotEmpty(all);
        foreach (var personal in Personal)
        {
            Assert.DoesNotContain(all, v => v.Contains(personal, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task OneCase_SharesOneTraceId_AcrossTheQueueHop_AndALaterRequest()
    {
        var h = new CaseHarness();
        var draft = await h.Intake.ReadyDraftAsync();
        ActivityTraceId caseTrace;
        using (var submit = Requests.StartActivity("POST /api/applications/{id}/submit", ActivityKind.Server))
        {
            caseTrace = submit!.TraceId;
            Assert.True((await h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, CancellationToken.None)).IsSuccess);
        }

        // The queue hop: nothing but the message text crosses it.
        Assert.Null(Activity.Current);
        var text = JsonSerializer.Serialize(h.Intake.Sent.Single(), DocumentJson.Options);
        var message = JsonSerializer.Deserialize<ApplicationSubmitted>(text, DocumentJson.Options)!;
        using (CaseTelemetry.StartConsumer("PreCheckSubmission", StorageNames.ApplicationSubmittedQueue, message.TraceParent, TimeSpan.FromSeconds(1), message.CaseNumber))
        {
            Assert.True((await h.Workflow.PreCheckAsync(message, CancellationToken.None)).IsSuccess);
        }

        ActivityTraceId reviewerTrace;
        using (var review = Requests.StartActivity("POST /api/tasks/{id}/complete", ActivityKind.Server))
        {
            reviewerTrace = review!.TraceId;
            await h.CompleteAsync(Reviewer, OpenTask(h.Current(draft), TaskKind.Acceptance), new CompleteTaskRequest("accept", null, null));
        }
        Assert.NotEqual(caseTrace, reviewerTrace);

        var caseNumber = h.Current(draft).CaseNumber!;
        var spans = _exported.Where(a => a.GetTagItem(CaseTelemetry.CaseNumberTag) as string == caseNumber).ToList();
        Assert.Equal(["PreCheckSubmission", "case CompleteTask", "case PreCheck"], spans.Select(s => s.DisplayName).Order(StringComparer.Ordinal));
        Assert.All(spans, s => Assert.Equal(caseTrace, s.TraceId));
        Assert.Equal(spans.Single(s => s.DisplayName == "PreCheckSubmission").SpanId, spans.Single(s => s.DisplayName == "case PreCheck").ParentSpanId);
        Assert.Contains(spans.Single(s => s.DisplayName == "case CompleteTask").Links, l => l.Context.TraceId == reviewerTrace);

        // Every message the case sent carries its trace: case events, and the department system's task.
        var events = h.Queue.Sent.Where(m => m.Queue == StorageNames.CaseEventsQueue)
            .Select(m => JsonSerializer.Deserialize<CaseEventMessage>(m.Text, DocumentJson.Options)!).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(caseTrace, ActivityContext.Parse(e.TraceParent!, null).TraceId));
        var published = h.Publisher.Published.Where(p => p.CaseNumber == caseNumber).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, p => Assert.Equal(caseTrace, ActivityContext.Parse(p.TraceParent!, null).TraceId));

        // No personal data in any span of the case.
        var values = spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? "").ToList();
        foreach (var personal in new[] { IntakeHarness.ValidResidentId, "卓玛", "13800000000", IntakeHarness.Applicant.Subject })
        {
            Assert.DoesNotContain(values, v => v.Contains(personal, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AMessageWithoutTraceParent_FromBeforeTracing_IsHandledTheSame()
    {
        var h = new CaseHarness();
        var draft = await h.Intake.ReadyDraftAsync();
        // Submitted with nothing traced: the case and its message have no traceparent, as before this change.
        Assert.True((await h.Intake.Intake.SubmitAsync(IntakeHarness.Applicant, draft.Id, CancellationToken.None)).IsSuccess);
        var old = h.Intake.Sent.Single();
        Assert.Null(old.TraceParent);
        var text = JsonSerializer.Serialize(old, DocumentJson.Options).Replace(",\"traceParent\":null", "", StringComparison.Ordinal);
        Assert.DoesNotContain("traceParent", text);

        var checkedCase = await h.Workflow.PreCheckAsync(JsonSerializer.Deserialize<ApplicationSubmitted>(text, DocumentJson.Options)!, CancellationToken.None);

        Assert.True(checkedCase.IsSuccess, checkedCase.Problem?.Detail);
        Assert.Equal(ApplicationStatus.PendingAcceptance, checkedCase.Value!.Status);
        Assert.Null(checkedCase.Value.TraceParent);
        var spans = _exported.Where(a => a.GetTagItem(CaseTelemetry.CaseNumberTag) as string == checkedCase.Value.CaseNumber).ToList();
        Assert.Equal(["case PreCheck"], spans.Select(s => s.DisplayName));
    }

    [Fact]
    public void TraceParentFor_KeepsTheCasesTrace_WhenARelayRunsInAnotherTrace()
    {
        const string caseParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using var timer = Requests.StartActivity("RelayCaseOutboxes");

        Assert.Equal(caseParent, CaseTelemetry.TraceParentFor(caseParent));
        Assert.Equal(timer!.Id, CaseTelemetry.TraceParentFor(null));
        using var step = CaseTelemetry.StartCaseSpan("case step", caseParent);
        Assert.Equal(step!.Id, CaseTelemetry.TraceParentFor(caseParent));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", step.TraceId.ToHexString());
    }
}

/// <summary>
/// The exporter listens to the project's activity source, which every other test class uses too: run in parallel,
/// their spans were added to the exported list while this class enumerated it ("Collection was modified").
/// </summary>
[CollectionDefinition(CaseTraceTests.Collection, DisableParallelization = true)]
public sealed class CaseTraceCollection;

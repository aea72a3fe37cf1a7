using System.Diagnostics;
using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Operations;
using Ali.Serverless.Pipeline;
using Ali.Serverless.Storage;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static Ali.Serverless.Core.Tests.Support.CaseHarness;

namespace Ali.Serverless.Core.Tests.Operations;

/// <summary>
/// One trace per case (decision 20), seen through OpenTelemetry's in-memory exporter: the submitting
/// request starts it, the queue hop carries it in the message text alone, and a reviewer's later request
/// (a trace of its own) still adds its step to the case's trace, linked to that request.
/// </summary>
public sealed class CaseTraceTests : IDisposable
{
    /// <summary>Stands in for ASP.NET Core's request spans (the local host and the worker make the real ones).</summary>
    private static readonly ActivitySource Requests = new("Ali.Serverless.Tests.Requests");

    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _tracing;

    public CaseTraceTests()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(CaseTelemetry.SourceName, Requests.Name)
            .AddInMemoryExporter(_exported)
            .Build();
    }

    public void Dispose() => _tracing.Dispose();

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

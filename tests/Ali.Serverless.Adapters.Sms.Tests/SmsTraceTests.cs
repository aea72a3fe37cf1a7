using System.Diagnostics;
using System.Net;
using Ali.Serverless.Operations;

namespace Ali.Serverless.Adapters.Sms.Tests;

/// <summary>
/// The provider call is a client span under the notification's send, so a case's trace shows its SMS going out
/// (decision 20), and none of its tags holds the number or the text.
/// </summary>
public sealed class SmsTraceTests : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public SmsTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CaseTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (_stopped) { _stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Send_IsAClientSpan_ChildOfTheCurrentSend_WithoutTheNumberOrTheText()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));
        const string caseParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var message = Sms.Accepted(phone: "13800138000", notificationId: "ntf-trace-1");

        ActivitySpanId sendSpan;
        using (var send = CaseTelemetry.StartCaseSpan("notification SendSms", caseParent))
        {
            sendSpan = send!.SpanId;
            await Sms.Gateway(handler).SendAsync(message, CancellationToken.None);
        }

        Activity call;
        lock (_stopped)
        {
            call = Assert.Single(_stopped, a => a.DisplayName == "POST SendSms" && a.TraceId.ToHexString() == "4bf92f3577b34da6a3ce929d0e0e4736");
        }
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(sendSpan, call.ParentSpanId);
        Assert.Equal(200, call.GetTagItem("http.response.status_code"));
        Assert.Equal("sms.tencentcloudapi.com", call.GetTagItem("server.address"));
        var values = call.TagObjects.Select(t => t.Value?.ToString() ?? "").ToList();
        Assert.DoesNotContain(values, v => v.Contains("13800138000", StringComparison.Ordinal) || v.Contains(message.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnreachableProvider_MarksTheSpanFailed()
    {
        var handler = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        using (CaseTelemetry.StartCaseSpan("notification SendSms", "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        {
            var result = await Sms.Gateway(handler).SendAsync(Sms.Accepted(), CancellationToken.None);
            Assert.Equal(Notifications.SmsSendOutcome.Retryable, result.Outcome);
        }

        lock (_stopped)
        {
            var call = Assert.Single(_stopped, a => a.DisplayName == "POST SendSms" && a.TraceId.ToHexString() == "5bf92f3577b34da6a3ce929d0e0e4736");
            Assert.Equal(ActivityStatusCode.Error, call.Status);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Ali.Serverless.Notifications;
using Ali.Serverless.Operations;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// Sends one SMS with the SendSms action of Tencent Cloud SMS (API 3.0, version 2021-01-11) and says
/// what the answer means for the message (<see cref="TencentSmsCodes"/>). One attempt per call: when to
/// try again is Core's decision. The phone number goes into the request body and nowhere else; a
/// detail names it masked at most.
/// </summary>
public sealed class TencentCloudSmsGateway(HttpClient http, TencentSmsOptions options, TencentTemplateMap templates, TimeProvider time) : ISmsGateway
{
    public const string Service = "sms";
    public const string Action = "SendSms";
    public const string Version = "2021-01-11";
    public const string ContentType = "application/json; charset=utf-8";

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        if (templates.Find(message.TemplateId, message.Language) is not { } template)
        {
            return Refused($"no Tencent template is configured for {message.TemplateId} in '{message.Language}' (Sms:Tencent:Templates:{message.TemplateId}:{message.Language})");
        }
        var missing = template.ParameterNames.Where(name => !message.Parameters.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            return Refused($"the message lacks the parameter(s) {string.Join(", ", missing)} that Tencent template {template.Id} needs");
        }
        if (PhoneNumbers.ToMainlandE164(message.PhoneNumber) is not { } phone)
        {
            return Refused($"{PhoneNumbers.Mask(message.PhoneNumber)} is not a mainland mobile number");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new SendSmsRequest(
            [phone],
            options.SdkAppId,
            options.SignName,
            template.Id,
            // Tencent's parameters are numbered; ours are named. The map gives the order.
            template.ParameterNames.Select(name => message.Parameters[name]).ToList(),
            message.NotificationId));

        using var request = Request(payload);
        // The outgoing call as a client span of the send (a dependency in Application Insights): the endpoint,
        // the action and the status; the number and the text are in the body only, never in a tag.
        using var span = CaseTelemetry.Source.StartActivity($"POST {Action}", ActivityKind.Client);
        span?.SetTag("http.request.method", "POST");
        span?.SetTag("server.address", options.Endpoint.Host);
        span?.SetTag("server.port", options.Endpoint.Port);
        span?.SetTag("url.full", request.RequestUri!.GetLeftPart(UriPartial.Path));
        span?.SetTag("rpc.method", Action);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller stops (shutdown): not an answer from the provider.
            throw;
        }
        catch (OperationCanceledException)
        {
            return Retryable($"no answer within {http.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.HttpRequestError.ToString());
            // The kind of failure, not its message: that names hosts and addresses, and nothing of it helps Core.
            return Retryable($"could not reach the provider ({e.HttpRequestError})");
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return Retryable($"the answer broke off (HTTP {(int)response.StatusCode})");
            }
            return Classify(response.StatusCode, body);
        }
    }

    private HttpRequestMessage Request(byte[] payload)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        // The Host header is signed, so it is set to exactly what is signed (with the port, if not the default).
        var host = options.Endpoint.Authority;
        var signature = options.Signer.Sign(new Tc3Request(Service, host, ContentType, payload, timestamp));

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Endpoint, "/"))
        {
            Content = new ByteArrayContent(payload),
        };
        // Set without validation: the signed Content-Type must go out byte for byte, and the Authorization
        // value is not of the "scheme token" shape the typed header expects.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        request.Headers.TryAddWithoutValidation("X-TC-Action", Action);
        request.Headers.TryAddWithoutValidation("X-TC-Version", Version);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Region", options.Region);
        return request;
    }

    /// <summary>The HTTP status first (Tencent answers its own errors with 200), then the code in the body.</summary>
    internal static SmsSendResult Classify(HttpStatusCode status, string body)
    {
        var code = (int)status;
        if (code is >= 500 or 408 or 429)
        {
            return Retryable($"HTTP {code} from the provider");
        }
        if (code is >= 400 and < 500)
        {
            return Refused($"HTTP {code} from the provider");
        }
        if (code is < 200 or >= 300)
        {
            return Retryable($"unexpected HTTP {code} from the provider");
        }

        string? answerCode, answerMessage, serialNo = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var answer = document.RootElement.GetProperty("Response");
            if (answer.TryGetProperty("Error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                answerCode = Text(error, "Code");
                answerMessage = Text(error, "Message");
            }
            else
            {
                var first = answer.GetProperty("SendStatusSet").EnumerateArray().First();
                answerCode = Text(first, "Code");
                answerMessage = Text(first, "Message");
                serialNo = Text(first, "SerialNo");
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Retryable("the provider's answer could not be read");
        }

        var rule = TencentSmsCodes.Classify(answerCode);
        var detail = PhoneNumbers.Scrub($"Tencent {answerCode ?? "(no code)"}: {answerMessage ?? rule.Why} ({rule.Why})");
        return rule.Outcome == SmsSendOutcome.Accepted
            ? new SmsSendResult(SmsSendOutcome.Accepted, string.IsNullOrEmpty(serialNo) ? null : serialNo, string.IsNullOrEmpty(serialNo) ? "Tencent Ok, but without a SerialNo: no receipt can be matched" : null)
            : new SmsSendResult(rule.Outcome, null, detail);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static SmsSendResult Retryable(string detail) => new(SmsSendOutcome.Retryable, null, detail);

    private static SmsSendResult Refused(string detail) => new(SmsSendOutcome.Refused, null, detail);

    /// <summary>The SendSms body, with Tencent's property names.</summary>
    private sealed record SendSmsRequest(
        IReadOnlyList<string> PhoneNumberSet,
        string SmsSdkAppId,
        string SignName,
        string TemplateId,
        IReadOnlyList<string> TemplateParamSet,
        string SessionContext);
}

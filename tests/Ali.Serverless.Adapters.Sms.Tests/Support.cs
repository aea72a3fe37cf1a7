using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sms.Tests;

/// <summary>An HTTP handler that keeps what it was sent and answers as told, or throws.</summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _answer;

    public StubHandler(HttpStatusCode status, string body)
        : this((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") }))
    {
    }

    public StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answer = answer;

    public List<SentRequest> Sent { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Sent.Add(new SentRequest(request.Method, request.RequestUri!, headers, body));
        return await _answer(request, cancellationToken);
    }
}

public sealed record SentRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>What every gateway test sends, and the gateway it sends it with.</summary>
public static class Sms
{
    public const string Phone = "13800138000";
    public const string SecretId = "AKIDtestsecretid";
    public const string SecretKey = "test-secret-key-not-a-secret";
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 1, 30, 0, TimeSpan.Zero);

    public static TencentTemplateMap Templates { get; } = new(
    [
        new(("accepted.applicant", "zh"), new TencentTemplate("2100004", ["caseNumber", "dueDate"])),
        new(("withdrawn.applicant", "zh"), new TencentTemplate("2100008", ["caseNumber"])),
    ]);

    public static SmsMessage Accepted(string phone = Phone, string notificationId = "ntf-0001") => new(
        notificationId,
        phone,
        "accepted.applicant",
        "zh",
        "办件A5425002025000123已受理，承诺2025年3月10日前办结。",
        // Deliberately not in the template's order: the map decides the order.
        new Dictionary<string, string> { ["dueDate"] = "2025年3月10日", ["caseNumber"] = "A5425002025000123" });

    public static TencentCloudSmsGateway Gateway(HttpMessageHandler handler, string endpoint = TencentSmsOptions.DefaultEndpoint, TimeSpan? timeout = null) =>
        new(
            new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(10) },
            new TencentSmsOptions(new Uri(endpoint), "ap-guangzhou", "1400006666", "阿里政务", SecretId, SecretKey),
            Templates,
            new FixedTime(Now));

    public static string Answer(string code, string serialNo = "2640:123456789012345678", string message = "send success") => $$$"""
        {"Response":{"SendStatusSet":[{"SerialNo":"{{{serialNo}}}","PhoneNumber":"+8613800138000","Fee":1,"SessionContext":"ntf-0001","Code":"{{{code}}}","Message":"{{{message}}}","IsoCode":"CN"}],"RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}}
        """;

    public static string Error(string code, string message = "failed") => $$$"""
        {"Response":{"Error":{"Code":"{{{code}}}","Message":"{{{message}}}"},"RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}}
        """;
}

/// <summary>
/// TC3-HMAC-SHA256 written out again, step by step, apart from the code under test: the gateway's
/// Authorization must be what this makes of the bytes it actually sent.
/// </summary>
public static class IndependentTc3
{
    public static string Authorization(string secretId, string secretKey, string host, string contentType, byte[] body, long timestamp)
    {
        static string Hex(byte[] b) => string.Concat(b.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));
        static byte[] Mac(byte[] key, string text) { using var h = new HMACSHA256(key); return h.ComputeHash(Encoding.UTF8.GetBytes(text)); }

        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var canonical = "POST\n/\n\n" + "content-type:" + contentType + "\n" + "host:" + host + "\n" + "\n" + "content-type;host\n" + Hex(SHA256.HashData(body));
        var toSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date + "/sms/tc3_request\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var key = Mac(Mac(Mac(Encoding.UTF8.GetBytes("TC3" + secretKey), date), "sms"), "tc3_request");
        return $"TC3-HMAC-SHA256 Credential={secretId}/{date}/sms/tc3_request, SignedHeaders=content-type;host, Signature={Hex(Mac(key, toSign))}";
    }
}

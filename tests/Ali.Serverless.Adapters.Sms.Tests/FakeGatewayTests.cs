using System.Net.Http.Json;
using System.Text.Json;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sms.Tests;

/// <summary>The real gateway against the fake one over HTTP: the local stand-in speaks the same API.</summary>
public sealed class FakeGatewayTests
{
    /// <summary>The fake gateway scripts/test.sh starts (like Azurite for the other adapter tests, it must be running).</summary>
    public static string Endpoint => Environment.GetEnvironmentVariable("ALI_TEST_SMS") ?? "http://127.0.0.1:17081";

    [Fact]
    public async Task ASend_IsAccepted_AndRecorded_WithTheNumberMasked()
    {
        var notificationId = $"ntf-{Guid.NewGuid():N}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var result = await Gateway(http).SendAsync(Sms.Accepted(notificationId: notificationId), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.ProviderMessageId));
        var recorded = await RecordedAsync(http, notificationId);
        Assert.Equal("138****8000", recorded.GetProperty("phone").GetString());
        Assert.Equal("2100004", recorded.GetProperty("templateId").GetString());
        Assert.Equal(["A5425002025000123", "2025年3月10日"], recorded.GetProperty("params").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(result.ProviderMessageId, recorded.GetProperty("serialNo").GetString());
    }

    [Fact]
    public async Task AFailureTheFakeIsToldToGive_IsRetryable_AndTheNextSendGoesThrough()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        (await http.PostAsJsonAsync(new Uri(new Uri(Endpoint), "/_control/fail"), new { count = 1, status = 500 })).EnsureSuccessStatusCode();

        var failed = await Gateway(http).SendAsync(Sms.Accepted(notificationId: $"ntf-{Guid.NewGuid():N}"), CancellationToken.None);
        var next = await Gateway(http).SendAsync(Sms.Accepted(notificationId: $"ntf-{Guid.NewGuid():N}"), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retryable, failed.Outcome);
        Assert.Contains("500", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(SmsSendOutcome.Accepted, next.Outcome);
    }

    [Fact]
    public async Task ATencentCodeTheFakeIsToldToGive_IsClassifiedByTheTable()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        (await http.PostAsJsonAsync(new Uri(new Uri(Endpoint), "/_control/fail"), new { count = 1, code = "FailedOperation.PhoneNumberInBlacklist" })).EnsureSuccessStatusCode();

        var refused = await Gateway(http).SendAsync(Sms.Accepted(notificationId: $"ntf-{Guid.NewGuid():N}"), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Refused, refused.Outcome);
        Assert.Contains("FailedOperation.PhoneNumberInBlacklist", refused.Detail, StringComparison.Ordinal);
    }

    private static TencentCloudSmsGateway Gateway(HttpClient http) => new(
        http,
        new TencentSmsOptions(new Uri(Endpoint), "ap-guangzhou", "1400006666", "阿里政务", Sms.SecretId, Sms.SecretKey),
        Sms.Templates,
        TimeProvider.System);

    private static async Task<JsonElement> RecordedAsync(HttpClient http, string notificationId)
    {
        using var messages = JsonDocument.Parse(await http.GetStringAsync(new Uri(new Uri(Endpoint), "/_control/messages")));
        return messages.RootElement.EnumerateArray().Single(m => m.GetProperty("sessionContext").GetString() == notificationId).Clone();
    }
}

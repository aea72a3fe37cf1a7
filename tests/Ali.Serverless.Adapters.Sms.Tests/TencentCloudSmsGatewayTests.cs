using System.Globalization;
using System.Net;
using System.Text.Json;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sms.Tests;

public sealed class TencentCloudSmsGatewayTests
{
    [Fact]
    public async Task Send_PostsSendSms_WithTheTencentHeaders_SignedOverTheBytesSent()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));

        await Sms.Gateway(handler).SendAsync(Sms.Accepted(), CancellationToken.None);

        var sent = Assert.Single(handler.Sent);
        var timestamp = Sms.Now.ToUnixTimeSeconds();
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://sms.tencentcloudapi.com/", sent.Uri.ToString());
        Assert.Equal("application/json; charset=utf-8", sent.Headers["Content-Type"]);
        Assert.Equal("sms.tencentcloudapi.com", sent.Headers["Host"]);
        Assert.Equal("SendSms", sent.Headers["X-TC-Action"]);
        Assert.Equal("2021-01-11", sent.Headers["X-TC-Version"]);
        Assert.Equal("ap-guangzhou", sent.Headers["X-TC-Region"]);
        Assert.Equal(timestamp.ToString(CultureInfo.InvariantCulture), sent.Headers["X-TC-Timestamp"]);
        Assert.StartsWith("TC3-HMAC-SHA256 Credential=AKIDtestsecretid/2025-03-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=", sent.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(
            IndependentTc3.Authorization(Sms.SecretId, Sms.SecretKey, "sms.tencentcloudapi.com", "application/json; charset=utf-8", sent.Body, timestamp),
            sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task Send_Body_CarriesTheNumber_App_Signature_Template_ParametersInTheMapsOrder_AndTheNotificationId()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));

        await Sms.Gateway(handler).SendAsync(Sms.Accepted(phone: "+86 138-0013-8000", notificationId: "ntf-42"), CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(handler.Sent).Body);
        var root = body.RootElement;
        Assert.Equal(["+8613800138000"], root.GetProperty("PhoneNumberSet").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("1400006666", root.GetProperty("SmsSdkAppId").GetString());
        Assert.Equal("阿里政务", root.GetProperty("SignName").GetString());
        Assert.Equal("2100004", root.GetProperty("TemplateId").GetString());
        Assert.Equal(["A5425002025000123", "2025年3月10日"], root.GetProperty("TemplateParamSet").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ntf-42", root.GetProperty("SessionContext").GetString());
    }

    [Fact]
    public async Task Send_ToALocalEndpoint_SignsTheHostWithItsPort()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));

        await Sms.Gateway(handler, endpoint: "http://127.0.0.1:7081").SendAsync(Sms.Accepted(), CancellationToken.None);

        var sent = Assert.Single(handler.Sent);
        Assert.Equal("http://127.0.0.1:7081/", sent.Uri.ToString());
        Assert.Equal("127.0.0.1:7081", sent.Headers["Host"]);
        Assert.Equal(
            IndependentTc3.Authorization(Sms.SecretId, Sms.SecretKey, "127.0.0.1:7081", "application/json; charset=utf-8", sent.Body, Sms.Now.ToUnixTimeSeconds()),
            sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task Ok_IsAccepted_WithTheSerialNo()
    {
        var result = await Sms.Gateway(new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok", serialNo: "2640:9876543210"))).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(new SmsSendResult(SmsSendOutcome.Accepted, "2640:9876543210", null), result);
    }

    /// <summary>Every row of the table, with a code of its own or a member of its family.</summary>
    public static TheoryData<string, SmsSendOutcome> TableRows()
    {
        var rows = new TheoryData<string, SmsSendOutcome>();
        foreach (var rule in TencentSmsCodes.Table.Where(r => r.Code != TencentSmsCodes.Ok))
        {
            rows.Add(rule.IsFamily ? rule.Code[..^1] + "SomethingNew" : rule.Code, rule.Outcome);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(TableRows))]
    public async Task SendStatusCode_IsClassifiedByItsRow(string code, SmsSendOutcome expected)
    {
        var result = await Sms.Gateway(new StubHandler(HttpStatusCode.OK, Sms.Answer(code, message: "+8613800138000 failed"))).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Null(result.ProviderMessageId);
        Assert.Contains(code, result.Detail, StringComparison.Ordinal);
        AssertNoPhoneNumber(result.Detail);
    }

    [Theory]
    [MemberData(nameof(TableRows))]
    public async Task ErrorCode_IsClassifiedByTheSameRow(string code, SmsSendOutcome expected)
    {
        var result = await Sms.Gateway(new StubHandler(HttpStatusCode.OK, Sms.Error(code))).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(code, result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LimitExceeded.PhoneNumberDailyLimit", SmsSendOutcome.Retryable)]
    [InlineData("LimitExceeded.PhoneNumberThirtySecondLimit", SmsSendOutcome.Retryable)]
    [InlineData("RequestLimitExceeded", SmsSendOutcome.Retryable)]
    [InlineData("InternalError.Timeout", SmsSendOutcome.Retryable)]
    [InlineData("FailedOperation.MarketingSendTimeConstraint", SmsSendOutcome.Retryable)]
    [InlineData("FailedOperation.PhoneNumberInBlacklist", SmsSendOutcome.Refused)]
    [InlineData("FailedOperation.TemplateIncorrectOrUnapproved", SmsSendOutcome.Refused)]
    [InlineData("FailedOperation.SignatureIncorrectOrUnapproved", SmsSendOutcome.Refused)]
    [InlineData("InvalidParameterValue.IncorrectPhoneNumber", SmsSendOutcome.Refused)]
    [InlineData("InvalidParameterValue.TemplateParameterLengthLimit", SmsSendOutcome.Refused)]
    [InlineData("UnauthorizedOperation.SmsSdkAppIdVerifyFail", SmsSendOutcome.Refused)]
    [InlineData("AuthFailure.SignatureFailure", SmsSendOutcome.Refused)]
    [InlineData("AuthFailure.SignatureExpire", SmsSendOutcome.Retryable)]
    [InlineData("SomethingTencentAddsLater", SmsSendOutcome.Retryable)]
    public void KnownCodes_FallWhereTencentsDescriptionsPutThem(string code, SmsSendOutcome expected)
    {
        Assert.Equal(expected, TencentSmsCodes.Classify(code).Outcome);
    }

    [Fact]
    public void TheTable_HasEachCodeOnce_AndFamiliesEndInDotStar()
    {
        Assert.Equal(TencentSmsCodes.Table.Count, TencentSmsCodes.Table.Select(r => r.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(TencentSmsCodes.Table.Where(r => r.Code.Contains('*', StringComparison.Ordinal)), r => Assert.EndsWith(".*", r.Code, StringComparison.Ordinal));
        Assert.All(TencentSmsCodes.Table, r => Assert.False(string.IsNullOrWhiteSpace(r.Why)));
    }

    [Theory]
    [InlineData(500, SmsSendOutcome.Retryable)]
    [InlineData(502, SmsSendOutcome.Retryable)]
    [InlineData(503, SmsSendOutcome.Retryable)]
    [InlineData(504, SmsSendOutcome.Retryable)]
    [InlineData(408, SmsSendOutcome.Retryable)]
    [InlineData(429, SmsSendOutcome.Retryable)]
    [InlineData(400, SmsSendOutcome.Refused)]
    [InlineData(401, SmsSendOutcome.Refused)]
    [InlineData(403, SmsSendOutcome.Refused)]
    [InlineData(404, SmsSendOutcome.Refused)]
    [InlineData(413, SmsSendOutcome.Refused)]
    public async Task HttpStatus_OtherThan200_IsClassifiedByItself(int status, SmsSendOutcome expected)
    {
        // A body that would say Ok must not count: the status decides first.
        var result = await Sms.Gateway(new StubHandler((HttpStatusCode)status, Sms.Answer("Ok"))).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"Response":{"SendStatusSet":[]}}""")]
    [InlineData("""{"Response":{"SendStatusSet":"Ok"}}""")]
    [InlineData("[1,2,3]")]
    public async Task AnUnreadableAnswer_IsRetryable(string body)
    {
        var result = await Sms.Gateway(new StubHandler(HttpStatusCode.OK, body)).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retryable, result.Outcome);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeout_IsRetryable()
    {
        var handler = new StubHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var result = await Sms.Gateway(handler, timeout: TimeSpan.FromMilliseconds(100)).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retryable, result.Outcome);
        Assert.Contains("no answer", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANetworkFailure_IsRetryable_AndItsMessageIsNotPassedOn()
    {
        var handler = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (sms.tencentcloudapi.com:443) for +8613800138000"));

        var result = await Sms.Gateway(handler).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Retryable, result.Outcome);
        Assert.Contains("ConnectionError", result.Detail, StringComparison.Ordinal);
        AssertNoPhoneNumber(result.Detail);
    }

    [Fact]
    public async Task TheCallerStopping_IsNotAnAnswer_ButACancellation()
    {
        using var stop = new CancellationTokenSource();
        var handler = new StubHandler(async (_, token) =>
        {
            await stop.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sms.Gateway(handler).SendAsync(Sms.Accepted(), stop.Token));
        AssertNoPhoneNumber(thrown.ToString());
    }

    [Fact]
    public async Task NoTemplateForTheTemplateAndLanguage_IsRefused_WithoutCallingTheProvider()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));

        var result = await Sms.Gateway(handler).SendAsync(Sms.Accepted() with { Language = "bo" }, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Refused, result.Outcome);
        Assert.Contains("accepted.applicant", result.Detail, StringComparison.Ordinal);
        Assert.Contains("'bo'", result.Detail, StringComparison.Ordinal);
        Assert.Empty(handler.Sent);
    }

    [Fact]
    public async Task AParameterTheTemplateNeeds_Missing_IsRefused()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));
        var message = Sms.Accepted() with { Parameters = new Dictionary<string, string> { ["caseNumber"] = "A5425002025000123" } };

        var result = await Sms.Gateway(handler).SendAsync(message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Refused, result.Outcome);
        Assert.Contains("dueDate", result.Detail, StringComparison.Ordinal);
        Assert.Empty(handler.Sent);
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("+1 415 555 0100")]
    [InlineData("1380013800")]
    [InlineData("")]
    public async Task ANumberThatIsNotAMainlandMobile_IsRefused_AndNamedMaskedOnly(string phone)
    {
        var handler = new StubHandler(HttpStatusCode.OK, Sms.Answer("Ok"));

        var result = await Sms.Gateway(handler).SendAsync(Sms.Accepted(phone: phone), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Refused, result.Outcome);
        Assert.Contains("****", result.Detail, StringComparison.Ordinal);
        if (phone.Length > 0)
        {
            Assert.DoesNotContain(phone, result.Detail, StringComparison.Ordinal);
        }
        Assert.Empty(handler.Sent);
    }

    [Fact]
    public async Task AProviderMessageThatEchoesTheNumber_ReachesTheDetailMasked()
    {
        var result = await Sms.Gateway(new StubHandler(HttpStatusCode.OK, Sms.Answer("FailedOperation.PhoneNumberInBlacklist", message: "+8613800138000 is in the blacklist"))).SendAsync(Sms.Accepted(), CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Refused, result.Outcome);
        Assert.Contains("138****8000", result.Detail, StringComparison.Ordinal);
        AssertNoPhoneNumber(result.Detail);
    }

    [Fact]
    public void TheOptions_PrintNoSecret()
    {
        var options = new TencentSmsOptions(new Uri(TencentSmsOptions.DefaultEndpoint), "ap-guangzhou", "1400006666", "阿里政务", Sms.SecretId, Sms.SecretKey);

        Assert.DoesNotContain(Sms.SecretKey, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Sms.SecretKey, options.Signer.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNoPhoneNumber(string? text)
    {
        Assert.DoesNotContain("13800138000", text ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("00138000", text ?? "", StringComparison.Ordinal);
    }
}

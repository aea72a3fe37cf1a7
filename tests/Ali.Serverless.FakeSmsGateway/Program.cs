using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Ali.Serverless.FakeSmsGateway;

// The fake Tencent Cloud SMS: run by scripts/run-local.sh (port 7081) and scripts/test.sh, e.g.
//   dotnet Ali.Serverless.FakeSmsGateway.dll --urls http://127.0.0.1:7081 --FakeSms:LogFile .local/sms/messages.log
var builder = WebApplication.CreateBuilder(args);
var logFile = builder.Configuration["FakeSms:LogFile"];
if (!string.IsNullOrEmpty(logFile))
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
}
builder.Services.AddSingleton(new FakeSmsCenter(logFile));
builder.Services.AddHttpClient();
var app = builder.Build();

var center = app.Services.GetRequiredService<FakeSmsCenter>();
var receiptUrl = app.Configuration["FakeSms:ReceiptUrl"];
var receiptDelay = TimeSpan.FromMilliseconds(app.Configuration.GetValue("FakeSms:ReceiptDelayMilliseconds", 1000));
// Tencent's answer has Tencent's property names; the control endpoints use camelCase.
var tencentJson = new JsonSerializerOptions { PropertyNamingPolicy = null };
var authorizationShape = new Regex(@"^TC3-HMAC-SHA256 Credential=[^/\s]+/\d{4}-\d{2}-\d{2}/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$", RegexOptions.CultureInvariant);

IResult TencentError(string code, string message) =>
    Results.Json(new { Response = new { Error = new { Code = code, Message = message }, RequestId = Guid.NewGuid().ToString() } }, tencentJson);

// SendSms, as Tencent Cloud SMS API 3.0 (2021-01-11) speaks it: errors come back with HTTP 200 too.
app.MapPost("/", async (HttpRequest request, IHttpClientFactory clients, ILogger<FakeSmsCenter> log) =>
{
    if (request.Headers["X-TC-Action"] != "SendSms")
    {
        return TencentError("InvalidAction", $"The fake knows only SendSms, not '{request.Headers["X-TC-Action"]}'.");
    }
    if (request.Headers["X-TC-Version"] != "2021-01-11")
    {
        return TencentError("NoSuchVersion", $"The fake speaks 2021-01-11, not '{request.Headers["X-TC-Version"]}'.");
    }
    if (!authorizationShape.IsMatch(request.Headers.Authorization.ToString()))
    {
        // The shape only: the fake holds no key to check the signature with (the adapter's tests do that).
        return TencentError("AuthFailure.InvalidAuthorization", "Authorization is not of the TC3-HMAC-SHA256 shape for service sms.");
    }

    JsonNode? body;
    try
    {
        body = await JsonNode.ParseAsync(request.Body);
    }
    catch (JsonException)
    {
        return TencentError("FailedOperation.FailResolvePacket", "The body is not JSON.");
    }
    List<string> phones, parameters;
    string? templateId, appId, signName, sessionContext;
    try
    {
        phones = body?["PhoneNumberSet"] is JsonArray set ? set.Select(p => p?.GetValue<string>() ?? "").ToList() : [];
        templateId = (string?)body?["TemplateId"];
        appId = (string?)body?["SmsSdkAppId"];
        signName = (string?)body?["SignName"];
        parameters = body?["TemplateParamSet"] is JsonArray values ? values.Select(v => v?.GetValue<string>() ?? "").ToList() : [];
        sessionContext = (string?)body?["SessionContext"];
    }
    catch (Exception e) when (e is InvalidOperationException or FormatException)
    {
        return TencentError("InvalidParameter", "A field has the wrong type: every SendSms field is a string or an array of strings.");
    }
    if (phones.Count == 0)
    {
        return TencentError("MissingParameter.EmptyPhoneNumberSet", "PhoneNumberSet is empty.");
    }
    if (string.IsNullOrEmpty(templateId) || string.IsNullOrEmpty(appId))
    {
        return TencentError("MissingParameter", "TemplateId and SmsSdkAppId are required.");
    }

    var failure = center.TakeFailure();
    var now = DateTimeOffset.UtcNow;
    if (failure is { Status: { } status })
    {
        phones.ForEach(p => center.Record(new RecordedSms(now, FakeSmsCenter.Mask(p), signName, templateId, parameters, sessionContext, null, $"HTTP {status}")));
        return Results.Text($"fake failure: HTTP {status}", "text/plain", Encoding.UTF8, status);
    }
    if (failure is { Code: { } code, AsRequestError: true })
    {
        phones.ForEach(p => center.Record(new RecordedSms(now, FakeSmsCenter.Mask(p), signName, templateId, parameters, sessionContext, null, code)));
        return TencentError(code, "fake failure");
    }

    var statuses = new List<object>();
    foreach (var phone in phones)
    {
        var result = failure?.Code ?? "Ok";
        var serialNo = result == "Ok" ? center.NextSerialNo() : null;
        center.Record(new RecordedSms(now, FakeSmsCenter.Mask(phone), signName, templateId, parameters, sessionContext, serialNo, result));
        statuses.Add(new
        {
            SerialNo = serialNo ?? "",
            PhoneNumber = phone,
            Fee = serialNo is null ? 0 : 1,
            SessionContext = sessionContext ?? "",
            Code = result,
            Message = result == "Ok" ? "send success" : "fake failure",
            IsoCode = "CN",
        });
        if (serialNo is not null && !string.IsNullOrEmpty(receiptUrl))
        {
            _ = SendReceiptAsync(clients.CreateClient(), log, receiptUrl, receiptDelay, serialNo, phone);
        }
    }
    return Results.Json(new { Response = new { SendStatusSet = statuses, RequestId = Guid.NewGuid().ToString() } }, tencentJson);
});

// Control: fail the next sends, forget everything, list what was sent.
app.MapPost("/_control/fail", async (HttpRequest request) =>
{
    var body = await JsonNode.ParseAsync(request.Body);
    var count = (int?)body?["count"] ?? 1;
    var status = (int?)body?["status"];
    var code = (string?)body?["code"];
    if (count < 1 || (status is null) == (code is null) || status is < 400 or > 599)
    {
        return Results.BadRequest(new { error = "{count, status} with an HTTP status 400-599, or {count, code[, in: \"error\"]} with a Tencent code" });
    }
    center.FailNext(new Failure(count, status, code, (string?)body?["in"] == "error"));
    return Results.NoContent();
});
app.MapPost("/_control/reset", () =>
{
    center.Reset();
    return Results.NoContent();
});
app.MapGet("/_control/messages", () => Results.Json(center.Messages));

// What a developer opens to see the SMS of a local run.
var html = HtmlEncoder.Create(UnicodeRanges.All);
app.MapGet("/", () =>
{
    var page = new StringBuilder("""
        <!doctype html>
        <html lang="zh"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
        <title>Fake SMS gateway</title>
        <style>body{font-family:sans-serif;margin:1.5rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}.fail{color:#a00}</style>
        </head><body>
        <h1>Fake SMS gateway</h1>
        <p>Messages sent to this stand-in for Tencent Cloud SMS, newest first; numbers are masked, nothing was texted. The page refreshes every 5 s.</p>
        <table><tr><th>Time (UTC+8)</th><th>Number</th><th>Signature</th><th>Template</th><th>Parameters</th><th>Notification</th><th>Result</th><th>SerialNo</th></tr>
        """);
    foreach (var m in center.Messages.Reverse())
    {
        page.Append(CultureInfo.InvariantCulture, $"<tr class=\"{(m.Result == "Ok" ? "" : "fail")}\"><td>{m.Time.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss}</td><td>{html.Encode(m.Phone)}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td>【{html.Encode(m.SignName ?? "")}】</td><td>{html.Encode(m.TemplateId)}</td><td>{string.Join("<br>", m.Params.Select(html.Encode))}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td>{html.Encode(m.SessionContext ?? "")}</td><td>{html.Encode(m.Result)}</td><td>{html.Encode(m.SerialNo ?? "")}</td></tr>\n");
    }
    page.Append("</table></body></html>\n");
    return Results.Content(page.ToString(), "text/html; charset=utf-8");
});

app.Run();

// A SUCCESS report for one accepted message, in the shape of Tencent's delivery-status callback (which
// carries the full number, as the real one does), a little after the send.
static async Task SendReceiptAsync(HttpClient client, ILogger log, string url, TimeSpan delay, string serialNo, string phone)
{
    try
    {
        await Task.Delay(delay);
        var mobile = phone.StartsWith("+86", StringComparison.Ordinal) ? phone[3..] : phone;
        var report = new JsonArray(new JsonObject
        {
            ["user_receive_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["nationcode"] = "86",
            ["mobile"] = mobile,
            ["report_status"] = "SUCCESS",
            ["errmsg"] = "DELIVRD",
            ["description"] = "用户短信送达成功",
            ["sid"] = serialNo,
        });
        using var response = await client.PostAsync(url, new StringContent(report.ToJsonString(), Encoding.UTF8, "application/json"));
        log.LogInformation("Receipt for {SerialNo} posted: HTTP {Status}", serialNo, (int)response.StatusCode);
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        log.LogWarning("Receipt for {SerialNo} could not be posted: {Error}", serialNo, e.GetType().Name);
    }
}

using System.Globalization;
using System.Text.Json;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// Reads Tencent's delivery-status callback (短信下发状态通知): a JSON array, one object per message,
/// with <c>sid</c> (the SerialNo SendSms answered), <c>report_status</c> SUCCESS or FAIL,
/// <c>user_receive_time</c> in Beijing time, <c>errmsg</c> (the carrier's status code, e.g. DELIVRD) and
/// <c>description</c>. The callback also carries <c>mobile</c>; it is never read into a receipt.
/// </summary>
public sealed class TencentSmsReceiptParser : IDeliveryReceiptParser
{
    /// <summary>What the callback endpoint answers so that Tencent does not send the batch again.</summary>
    public const string AcknowledgementJson = """{"result":0,"errmsg":"OK"}""";

    public string Acknowledgement => AcknowledgementJson;

    // Tencent writes the time without an offset; it is China Standard Time, which has no daylight saving.
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public IReadOnlyList<DeliveryReceipt> Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body ?? "");
        }
        catch (JsonException)
        {
            throw new FormatException("The delivery-status callback is not JSON.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The delivery-status callback is a JSON array of reports.");
            }
            return document.RootElement.EnumerateArray().Select((report, index) => Read(report, index)).ToList();
        }
    }

    private static DeliveryReceipt Read(JsonElement report, int index)
    {
        if (report.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Report {index} of the delivery-status callback is not an object.");
        }
        var sid = Text(report, "sid");
        if (string.IsNullOrWhiteSpace(sid))
        {
            throw new FormatException($"Report {index} of the delivery-status callback has no sid.");
        }
        var delivered = Text(report, "report_status") switch
        {
            "SUCCESS" => true,
            "FAIL" => false,
            var other => throw new FormatException($"Report {index} has report_status '{other}', not SUCCESS or FAIL."),
        };

        DateTimeOffset? reportedAt = null;
        if (Text(report, "user_receive_time") is { Length: > 0 } time)
        {
            if (!DateTime.TryParseExact(time, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                throw new FormatException($"Report {index} has user_receive_time '{time}', not yyyy-MM-dd HH:mm:ss.");
            }
            reportedAt = new DateTimeOffset(local, ChinaStandardTime);
        }

        // The carrier's code and Tencent's words for it, scrubbed: a description is free text.
        var detail = string.Join(": ", new[] { Text(report, "errmsg"), Text(report, "description") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return new DeliveryReceipt(sid, delivered, reportedAt, detail.Length == 0 ? null : PhoneNumbers.Scrub(detail));
    }

    private static string? Text(JsonElement report, string property) =>
        report.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

namespace Ali.Serverless.Notifications;

/// <summary>
/// One SMS to send. <see cref="Parameters"/> are the template's placeholder values by name; providers
/// that send pre-approved templates (Tencent Cloud SMS) map them to their template's numbered
/// parameters, others send <see cref="Text"/>. The phone number lives only in this object, in memory.
/// </summary>
public sealed record SmsMessage(
    string NotificationId,
    string PhoneNumber,
    string TemplateId,
    string Language,
    string Text,
    IReadOnlyDictionary<string, string> Parameters);

/// <summary>How the provider answered one send.</summary>
public enum SmsSendOutcome
{
    /// <summary>The provider took it; delivery to the handset is reported later by a receipt, if the provider sends one.</summary>
    Accepted,
    /// <summary>Worth another try later: throttled, the provider busy or unreachable, a 5xx.</summary>
    Retryable,
    /// <summary>Will never succeed as it stands: a number the provider refuses, a template it does not know.</summary>
    Refused,
}

public sealed record SmsSendResult(SmsSendOutcome Outcome, string? ProviderMessageId, string? Detail);

/// <summary>An SMS provider's HTTP API.</summary>
public interface ISmsGateway
{
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

/// <summary>A provider's report that a message reached the handset, or did not.</summary>
public sealed record DeliveryReceipt(string ProviderMessageId, bool Delivered, DateTimeOffset? ReportedAt, string? Detail);

/// <summary>Reads the body of a provider's delivery-receipt callback.</summary>
public interface IDeliveryReceiptParser
{
    /// <summary>The receipts in the body; a body it cannot read throws <see cref="FormatException"/>.</summary>
    IReadOnlyList<DeliveryReceipt> Parse(string body);

    /// <summary>The JSON body the provider expects back when the receipts were taken.</summary>
    string Acknowledgement { get; }
}

using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// The gateway when Sms__Provider is None (or unset): environments that must not text anyone, such as
/// the global-cloud development environment. Every message is refused with the reason.
/// </summary>
public sealed class SwitchedOffSmsGateway : ISmsGateway
{
    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(new SmsSendResult(SmsSendOutcome.Refused, null, "SMS is switched off in this environment (Sms__Provider is None)"));
}

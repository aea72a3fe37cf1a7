using Ali.Serverless.Notifications;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>One row of the table: a Tencent code, or a family of codes written <c>Family.*</c>.</summary>
public sealed record TencentCodeRule(string Code, SmsSendOutcome Outcome, string Why)
{
    public bool IsFamily => Code.EndsWith(".*", StringComparison.Ordinal);
}

/// <summary>
/// What each answer code of SendSms (in <c>SendStatusSet[].Code</c> or <c>Response.Error.Code</c>) means
/// for the message: taken (<c>Ok</c>), worth another attempt later (limits that lift with time, the
/// provider busy or failing), or refused as it stands (the number, template, signature, content or
/// account). The most specific row wins; a code on no row is tried again, so that a code Tencent adds
/// later costs a retry, never a lost message. Codes from Tencent's SMS API 3.0 error-code list.
/// </summary>
public static class TencentSmsCodes
{
    public const string Ok = "Ok";

    public static IReadOnlyList<TencentCodeRule> Table { get; } =
    [
        new(Ok, SmsSendOutcome.Accepted, "taken by the provider"),

        // Limits: they lift with time (the next minute, hour or day) or when an operator raises them.
        new("LimitExceeded", SmsSendOutcome.Retryable, "a sending limit was reached"),
        new("LimitExceeded.*", SmsSendOutcome.Retryable, "a sending limit (frequency, per number, per day) was reached"),
        new("LimitExceeded.PhoneNumberCountLimit", SmsSendOutcome.Refused, "more numbers in one request than the provider takes"),
        new("LimitExceeded.AppCountryOrRegionInBlacklist", SmsSendOutcome.Refused, "the application may not send to this country or region"),
        new("RequestLimitExceeded", SmsSendOutcome.Retryable, "the API's request rate limit"),
        new("RequestLimitExceeded.*", SmsSendOutcome.Retryable, "the API's request rate limit"),

        // The provider failing or busy.
        new("InternalError", SmsSendOutcome.Retryable, "the provider failed internally"),
        new("InternalError.*", SmsSendOutcome.Retryable, "the provider failed internally or timed out towards the carrier"),
        new("InternalError.JsonParseFail", SmsSendOutcome.Refused, "the provider could not read the request"),
        new("InternalError.RestApiInterfaceNotExist", SmsSendOutcome.Refused, "the provider does not know this API"),
        new("ServiceUnavailable", SmsSendOutcome.Retryable, "the provider is unavailable for now"),
        new("ResourceUnavailable", SmsSendOutcome.Retryable, "the provider is unavailable for now"),
        new("FailedOperation", SmsSendOutcome.Retryable, "the provider failed without saying why"),
        new("FailedOperation.*", SmsSendOutcome.Retryable, "the provider failed for a passing reason"),

        // The message as it stands: number, template, signature, content.
        new("FailedOperation.PhoneNumberInBlacklist", SmsSendOutcome.Refused, "the number is on the do-not-disturb list (unsubscribed, or the carrier's list)"),
        new("FailedOperation.PhoneNumberParseFail", SmsSendOutcome.Refused, "the provider cannot read the number"),
        new("FailedOperation.TemplateIncorrectOrUnapproved", SmsSendOutcome.Refused, "the template is not approved, or the text does not match it"),
        new("FailedOperation.TemplateUnapprovedOrNotExist", SmsSendOutcome.Refused, "the template is not approved or does not exist"),
        new("FailedOperation.TemplateIdNotExist", SmsSendOutcome.Refused, "the template id does not exist"),
        new("FailedOperation.TemplateParamSetNotMatchApprovedTemplate", SmsSendOutcome.Refused, "the parameters do not match the approved template"),
        new("FailedOperation.SignatureIncorrectOrUnapproved", SmsSendOutcome.Refused, "the signature (签名) is not approved or malformed"),
        new("FailedOperation.ContainSensitiveWord", SmsSendOutcome.Refused, "the content contains a word the provider blocks"),
        new("FailedOperation.FailResolvePacket", SmsSendOutcome.Refused, "the provider could not read the request"),
        new("FailedOperation.JsonParseFail", SmsSendOutcome.Refused, "the provider could not read the request"),
        new("FailedOperation.OtherError", SmsSendOutcome.Refused, "the provider found the request's parameters unacceptable"),
        new("FailedOperation.InsufficientBalanceInSmsPackage", SmsSendOutcome.Refused, "the SMS package is used up: an operator must buy more"),
        new("InvalidParameter", SmsSendOutcome.Refused, "a parameter the provider refuses"),
        new("InvalidParameter.*", SmsSendOutcome.Refused, "a parameter the provider refuses"),
        new("InvalidParameterValue", SmsSendOutcome.Refused, "a parameter value the provider refuses"),
        new("InvalidParameterValue.*", SmsSendOutcome.Refused, "a number, template parameter or content the provider refuses"),
        new("MissingParameter", SmsSendOutcome.Refused, "a required parameter is missing"),
        new("MissingParameter.*", SmsSendOutcome.Refused, "a required parameter is missing"),
        new("UnknownParameter", SmsSendOutcome.Refused, "a parameter the provider does not know"),
        new("UnsupportedOperation", SmsSendOutcome.Refused, "the provider does not support this send"),
        new("UnsupportedOperation.*", SmsSendOutcome.Refused, "the provider does not support this send (region, template kind)"),
        new("RequestSizeLimitExceeded", SmsSendOutcome.Refused, "the request is too large"),

        // The account and its configuration: no later attempt of the same request can succeed.
        new("UnauthorizedOperation", SmsSendOutcome.Refused, "the account may not do this"),
        new("UnauthorizedOperation.*", SmsSendOutcome.Refused, "the account may not send this (application id, IP allowlist, arrears, permission)"),
        new("AuthFailure.*", SmsSendOutcome.Refused, "the provider refused the credentials: check Sms__SecretId and Sms__SecretKey"),
        new("AuthFailure.SignatureExpire", SmsSendOutcome.Retryable, "the request's time was more than five minutes off; the next attempt is signed afresh"),
        new("InvalidAction", SmsSendOutcome.Refused, "the provider does not know the action"),
        new("ActionOffline", SmsSendOutcome.Refused, "the action is no longer offered"),
        new("NoSuchProduct", SmsSendOutcome.Refused, "the product is unknown at this endpoint"),
        new("NoSuchVersion", SmsSendOutcome.Refused, "the API version is unknown"),
        new("UnsupportedRegion", SmsSendOutcome.Refused, "the region does not offer SMS: check Sms__Region"),
        new("InvalidRequest", SmsSendOutcome.Refused, "the request's format is wrong"),
        new("IpInBlacklist", SmsSendOutcome.Refused, "the app's address is blocked by the provider"),
        new("IpNotInWhitelist", SmsSendOutcome.Refused, "the app's address is not on the account's allowlist"),
    ];

    /// <summary>For a code on no row.</summary>
    public static TencentCodeRule Unknown { get; } = new("*", SmsSendOutcome.Retryable, "a code this adapter does not know; tried again rather than lost");

    private static readonly Dictionary<string, TencentCodeRule> Exact =
        Table.Where(r => !r.IsFamily).ToDictionary(r => r.Code, StringComparer.Ordinal);

    private static readonly IReadOnlyList<TencentCodeRule> FamiliesLongestFirst =
        Table.Where(r => r.IsFamily).OrderByDescending(r => r.Code.Length).ToList();

    /// <summary>The row that decides <paramref name="code"/>: its own, else its family's, else <see cref="Unknown"/>.</summary>
    public static TencentCodeRule Classify(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return Unknown;
        }
        if (Exact.TryGetValue(code, out var rule))
        {
            return rule;
        }
        return FamiliesLongestFirst.FirstOrDefault(r => code.StartsWith(r.Code[..^1], StringComparison.Ordinal)) ?? Unknown;
    }
}

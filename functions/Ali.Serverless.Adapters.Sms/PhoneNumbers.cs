using System.Text.RegularExpressions;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// Mainland mobile numbers: the form Tencent wants (+86 and eleven digits), and the masked form
/// (first three, last four) that is the only one allowed into a detail, a log line or an exception.
/// </summary>
public static partial class PhoneNumbers
{
    /// <summary>+86 and the eleven-digit mobile number, or null when the text is not a mainland mobile number.</summary>
    public static string? ToMainlandE164(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var digits = Separators().Replace(text.Trim(), "");
        var match = MainlandMobile().Match(digits);
        return match.Success ? "+86" + match.Groups["mobile"].Value : null;
    }

    /// <summary>138****8000: the first three and last four digits of the national number; short or odd text is masked whole.</summary>
    public static string Mask(string? text)
    {
        var digits = new string((text ?? "").Where(char.IsAsciiDigit).ToArray());
        if (MainlandMobile().Match(digits) is { Success: true } mobile)
        {
            digits = mobile.Groups["mobile"].Value;
        }
        return digits.Length >= 8 ? $"{digits[..3]}****{digits[^4..]}" : "****";
    }

    /// <summary>The text with every mainland mobile number in it masked: for provider messages we pass on.</summary>
    public static string Scrub(string text) =>
        MobileInText().Replace(text, m => Mask(m.Value));

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^(?:\+86|0086|86)?(?<mobile>1[3-9]\d{9})$")]
    private static partial Regex MainlandMobile();

    [GeneratedRegex(@"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")]
    private static partial Regex MobileInText();
}

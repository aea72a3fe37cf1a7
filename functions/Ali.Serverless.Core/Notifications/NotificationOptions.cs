using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Notifications;

/// <summary>What operators may tune about notifications.</summary>
public sealed record NotificationOptions
{
    /// <summary>No SMS from this hour (China Standard Time)...</summary>
    public int QuietHoursStart { get; init; } = 22;

    /// <summary>...until this hour; held messages go out then.</summary>
    public int QuietHoursEnd { get; init; } = 8;

    /// <summary>At most this many SMS to one phone number in one day (CST).</summary>
    public int MaxSmsPerPhonePerDay { get; init; } = 10;

    /// <summary>Tries to hand one SMS to the provider before it is given up as a permanent failure.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the second try; doubled for each further try, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An SMS claimed for sending (status sending) that the provider never accepted after this long was
    /// interrupted (the process died mid-delivery): the relay makes it 'created' again. Far longer than a
    /// whole delivery with its retries and the provider's timeouts, so a delivery still under way is never taken.
    /// </summary>
    public TimeSpan InterruptedAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether the provider sends delivery receipts; without them an accepted SMS counts as delivered.</summary>
    public bool ProviderSendsReceipts { get; init; }

    /// <summary>Key of the phone-number hash that counts SMS per number without storing the number.</summary>
    public required byte[] PhoneKeySecret { get; init; }

    /// <summary>Whether <paramref name="instant"/> falls in quiet hours, and if so when they end.</summary>
    public DateTimeOffset? QuietUntil(DateTimeOffset instant)
    {
        var local = instant.ToOffset(ChinaTime.Offset);
        var hour = local.Hour;
        var quiet = QuietHoursStart > QuietHoursEnd
            ? hour >= QuietHoursStart || hour < QuietHoursEnd
            : hour >= QuietHoursStart && hour < QuietHoursEnd;
        if (!quiet)
        {
            return null;
        }
        var day = DateOnly.FromDateTime(local.DateTime);
        var endDay = hour >= QuietHoursEnd ? day.AddDays(1) : day;
        return new DateTimeOffset(endDay.ToDateTime(new TimeOnly(QuietHoursEnd, 0)), ChinaTime.Offset);
    }

    /// <summary>The wait before try number <paramref name="attempt"/> + 1: base × 2^(attempt-1), plus up to 20% jitter.</summary>
    public TimeSpan Backoff(int attempt, double jitter) =>
        TimeSpan.FromTicks((long)(RetryBaseDelay.Ticks * Math.Pow(2, attempt - 1) * (1 + (0.2 * Math.Clamp(jitter, 0, 1)))));

    public string PhoneKey(string phone) => Convert.ToHexStringLower(HMACSHA256.HashData(PhoneKeySecret, Encoding.UTF8.GetBytes(phone)));

    /// <summary>The same rule as every answer: first and last four characters.</summary>
    public static string MaskPhone(string phone) => PersonalData.PersonalDataMask.Mask(phone);
}

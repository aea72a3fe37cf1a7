using System.Globalization;
using System.Text.RegularExpressions;

namespace Ali.Serverless.FakeSmsGateway;

/// <summary>One SendSms message as the fake saw it. The number is kept masked only.</summary>
public sealed record RecordedSms(
    DateTimeOffset Time,
    string Phone,
    string? SignName,
    string TemplateId,
    IReadOnlyList<string> Params,
    string? SessionContext,
    string? SerialNo,
    string Result);

/// <summary>An instruction to fail the next sends: with an HTTP status, or with a Tencent code.</summary>
public sealed record Failure(int Count, int? Status, string? Code, bool AsRequestError);

/// <summary>What the fake remembers: the messages, the failures it was told to give, the log file.</summary>
public sealed partial class FakeSmsCenter(string? logFile)
{
    private readonly Lock _gate = new();
    private readonly List<RecordedSms> _messages = [];
    private readonly List<Failure> _failures = [];
    private long _serial;

    public IReadOnlyList<RecordedSms> Messages
    {
        get { lock (_gate) { return _messages.ToList(); } }
    }

    public void FailNext(Failure failure)
    {
        lock (_gate) { _failures.Add(failure); }
    }

    /// <summary>The failure this send must give, if one is pending; each takes one send from its count.</summary>
    public Failure? TakeFailure()
    {
        lock (_gate)
        {
            if (_failures.Count == 0)
            {
                return null;
            }
            var next = _failures[0];
            if (next.Count > 1)
            {
                _failures[0] = next with { Count = next.Count - 1 };
            }
            else
            {
                _failures.RemoveAt(0);
            }
            return next;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _messages.Clear();
            _failures.Clear();
        }
    }

    /// <summary>A SerialNo of Tencent's shape (a prefix, a colon, digits), unique within this run.</summary>
    public string NextSerialNo() =>
        string.Create(CultureInfo.InvariantCulture, $"2640:{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}{Interlocked.Increment(ref _serial):D6}");

    public void Record(RecordedSms message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            if (!string.IsNullOrEmpty(logFile))
            {
                // One line per message, tab-separated, for `tail -f`.
                File.AppendAllText(logFile, string.Join('\t',
                    message.Time.ToString("O", CultureInfo.InvariantCulture),
                    message.Result,
                    message.Phone,
                    $"【{message.SignName}】",
                    message.TemplateId,
                    string.Join('|', message.Params),
                    message.SessionContext ?? "",
                    message.SerialNo ?? "") + Environment.NewLine);
            }
        }
    }

    /// <summary>138****8000: the first three and last four digits of the national number.</summary>
    public static string Mask(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (Mainland().Match(digits) is { Success: true } match)
        {
            digits = match.Groups[1].Value;
        }
        return digits.Length >= 8 ? $"{digits[..3]}****{digits[^4..]}" : "****";
    }

    [GeneratedRegex(@"^(?:0086|86)?(1\d{10})$")]
    private static partial Regex Mainland();
}

using System.Security.Cryptography;
using System.Text;

namespace Ali.Serverless.Applications;

/// <summary>
/// 办件编号: division code, the submission date in China Standard Time, and ten characters derived
/// from the application id. Derived rather than counted, so no shared counter becomes a hot spot and
/// a retried submission gets the same number.
/// </summary>
public static class CaseNumbers
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static string For(Application application, DateTimeOffset submittedAt)
    {
        var date = submittedAt.ToOffset(ChinaStandardTime).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(application.Id));
        return $"{application.DivisionCode}-{date}-{Convert.ToHexString(hash.AsSpan(0, 5))}";
    }
}

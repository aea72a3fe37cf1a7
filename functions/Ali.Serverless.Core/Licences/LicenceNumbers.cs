using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ali.Serverless.Licences;

/// <summary>Licence ids and numbers, derived from the case so that issuing again makes the same ones.</summary>
public static class LicenceNumbers
{
    /// <summary>The licence of an application: one per application, known when the decision is written.</summary>
    public static string IdFor(string applicationId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{applicationId}\nlicence")).AsSpan(0, 16));

    /// <summary>
    /// <c>{typeCode}-{divisionCode}-{yyyy}-{8 digits}</c>, e.g. <c>GTGSHYYZZ-542500-2026-04718263</c>. The digits
    /// come from the licence id and <paramref name="attempt"/>: not guessable in sequence, the same on a retry,
    /// and a different candidate when the store says the number is taken.
    /// </summary>
    public static string NumberFor(string typeCode, string divisionCode, int year, string licenceId, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{licenceId}\n{attempt}"));
        var digits = BinaryPrimitives.ReadUInt64BigEndian(hash) % 100_000_000UL;
        return string.Create(CultureInfo.InvariantCulture, $"{typeCode}-{divisionCode}-{year:D4}-{digits:D8}");
    }
}

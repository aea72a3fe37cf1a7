using System.Globalization;

namespace Ali.Serverless.Identity;

/// <summary>
/// Citizen identity number (公民身份号码) per GB 11643-1999: 6-digit division code, 8-digit birth
/// date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character.
/// </summary>
public static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Null when valid, otherwise why not. With <paramref name="today"/>, a birth date after it is refused too.</summary>
    public static string? Validate(string? value, DateOnly? today = null)
    {
        if (value is null || value.Length != 18)
        {
            return "A resident ID number has 18 characters.";
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return "The first 17 characters of a resident ID number are digits.";
            }
            sum += (value[i] - '0') * Weights[i];
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900)
        {
            return "The birth date in the resident ID number is not a real date.";
        }
        if (birth > today)
        {
            return "The birth date in the resident ID number is in the future.";
        }
        var expected = CheckCharacters[sum % 11];
        return char.ToUpperInvariant(value[17]) == expected
            ? null
            : "The check character of the resident ID number does not match (GB 11643).";
    }

    /// <summary>Upper-cases the check character so the same person is always stored the same way.</summary>
    public static string Normalize(string value) => value.Trim().ToUpperInvariant();
}

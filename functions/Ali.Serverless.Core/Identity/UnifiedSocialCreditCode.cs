namespace Ali.Serverless.Identity;

/// <summary>
/// Unified social credit code (统一社会信用代码) of a legal person or organisation per GB 32100-2015:
/// 18 characters from a 31-character alphabet (no I, O, Z, S, V), the last one a check character.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Null when valid, otherwise why not.</summary>
    public static string? Validate(string? value)
    {
        if (value is null || value.Length != 18)
        {
            return "A unified social credit code has 18 characters.";
        }
        var upper = value.ToUpperInvariant();
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var index = Alphabet.IndexOf(upper[i], StringComparison.Ordinal);
            if (index < 0)
            {
                return $"'{value[i]}' is not allowed in a unified social credit code.";
            }
            sum += index * Weights[i];
        }
        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(upper[i]))
            {
                return "Characters 3 to 8 of a unified social credit code are the division code.";
            }
        }
        var check = (31 - (sum % 31)) % 31;
        return upper[17] == Alphabet[check]
            ? null
            : "The check character of the unified social credit code does not match (GB 32100).";
    }

    public static string Normalize(string value) => value.Trim().ToUpperInvariant();
}

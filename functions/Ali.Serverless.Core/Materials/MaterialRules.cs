using System.Text;
using Ali.Serverless.Common;

namespace Ali.Serverless.Materials;

/// <summary>Checks on material files that do not depend on the store.</summary>
public static class MaterialRules
{
    /// <summary>
    /// Bytes of the file read for signature checks: the longest signature (PNG) has 8, so 16 is enough. The only
    /// part of a material that passes through a function (decision 21).
    /// </summary>
    public const int HeadLength = 16;

    /// <summary>The longest file name, in UTF-16 code units after NFC normalisation.</summary>
    public const int MaxFileNameLength = 200;

    /// <summary>
    /// Null when the file name is acceptable, else why not. File names are shown to staff and must not
    /// look like paths; the rule is <see cref="TextKind.FileName"/> of <see cref="TextRules"/>.
    /// </summary>
    public static string? ValidateFileName(string fileName) =>
        TextRules.Validate(fileName, TextKind.FileName, MaxFileNameLength, out var normalized) is { } error ? $"The file name {error}"
        : normalized.Length == 0 ? "A file name is required."
        : null;

    /// <summary>Whether <paramref name="value"/> is a SHA-256 digest in hex.</summary>
    public static bool IsSha256Hex(string value) =>
        value.Length == 64 && value.All(char.IsAsciiHexDigit);

    /// <summary>
    /// Whether <paramref name="value"/> is an MD5 digest as the Content-MD5 header carries it: 24 base64
    /// characters that decode to 16 bytes.
    /// </summary>
    public static bool IsContentMd5(string value)
    {
        Span<byte> digest = stackalloc byte[18];
        return value.Length == 24 && Convert.TryFromBase64String(value, digest, out var written) && written == 16;
    }

    /// <summary>Whether two base64 MD5 digests are the same 16 bytes.</summary>
    public static bool SameMd5(string a, string b) =>
        IsContentMd5(a) && IsContentMd5(b) && Convert.FromBase64String(a).AsSpan().SequenceEqual(Convert.FromBase64String(b));

    /// <summary>
    /// Whether the first bytes of a file are what its declared type says. Types without a known
    /// signature pass; the catalog lists the types an item accepts.
    /// </summary>
    public static bool HeadMatches(string contentType, ReadOnlySpan<byte> head) => contentType switch
    {
        "application/pdf" => head.StartsWith("%PDF-"u8),
        "image/jpeg" => head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "image/png" => head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        // OFD (GB/T 33190), the national layout document format, is a ZIP container.
        "application/ofd" => head.StartsWith("PK\u0003\u0004"u8),
        _ => true,
    };

    /// <summary>
    /// The Content-Disposition a material is served with: always an attachment, so a browser saves the
    /// file instead of rendering it (an "image" holding HTML cannot run in our origin or the storage's).
    /// The name goes twice (RFC 6266): an ASCII fallback in quotes with every other character replaced
    /// by '_', and the exact UTF-8 name percent-encoded (RFC 8187), so Chinese and Tibetan names survive
    /// and nothing in a name can end the header's quoting or add a parameter.
    /// </summary>
    public static string ContentDisposition(string fileName)
    {
        var fallback = new StringBuilder(fileName.Length);
        foreach (var c in fileName)
        {
            fallback.Append(c is >= ' ' and <= '~' and not ('"' or '\\' or '%' or '/' or ';') ? c : '_');
        }
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(fileName))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "!#$&+-.^_`|~".Contains(c))
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return $"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}";
    }
}

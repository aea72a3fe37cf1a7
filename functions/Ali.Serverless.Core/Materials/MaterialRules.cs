using Ali.Serverless.Common;

namespace Ali.Serverless.Materials;

/// <summary>Checks on material files that do not depend on the store.</summary>
public static class MaterialRules
{
    /// <summary>Bytes of the file kept for signature checks.</summary>
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
}

using Ali.Serverless.Materials;

namespace Ali.Serverless.Core.Tests.Materials;

public class MaterialRulesTests
{
    private static readonly byte[] PdfHead = "%PDF-1.7\n%\u00e2\u00e3"u8.ToArray();
    private static readonly byte[] JpegHead = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46];
    private static readonly byte[] PngHead = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];
    private static readonly byte[] OfdHead = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00];

    public static TheoryData<string, byte[]> Matching => new()
    {
        { "application/pdf", PdfHead },
        { "image/jpeg", JpegHead },
        { "image/png", PngHead },
        { "application/ofd", OfdHead },
    };

    public static TheoryData<string, byte[]> Mismatching => new()
    {
        { "application/pdf", PngHead },
        { "application/pdf", "<html><body>"u8.ToArray() },
        { "image/jpeg", PngHead },
        { "image/jpeg", [0xFF, 0xD8] },
        { "image/png", JpegHead },
        { "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0B] },
        { "application/ofd", PdfHead },
        { "application/ofd", [0x50, 0x4B, 0x05, 0x06] },
        { "application/pdf", [] },
    };

    [Theory]
    [MemberData(nameof(Matching))]
    public void HeadMatches_KnownTypeWithItsSignature_Matches(string contentType, byte[] head)
    {
        Assert.True(MaterialRules.HeadMatches(contentType, head));
    }

    [Theory]
    [MemberData(nameof(Mismatching))]
    public void HeadMatches_KnownTypeWithAnotherSignature_DoesNotMatch(string contentType, byte[] head)
    {
        Assert.False(MaterialRules.HeadMatches(contentType, head));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public void HeadMatches_TypeWithoutKnownSignature_Passes(string contentType)
    {
        Assert.True(MaterialRules.HeadMatches(contentType, PngHead));
        Assert.True(MaterialRules.HeadMatches(contentType, []));
    }

    [Theory]
    [InlineData("../a.pdf")]
    [InlineData("a/b.pdf")]
    [InlineData("a\\b.pdf")]
    [InlineData("C:a.pdf")]
    [InlineData("a..pdf")]
    [InlineData("a|b.pdf")]
    [InlineData(".hidden.pdf")]
    [InlineData(" a.pdf")]
    [InlineData("a.pdf ")]
    [InlineData("a\u0000.pdf")]
    [InlineData("invoice\u202Efdp.exe")]
    [InlineData("a\u200Bb.pdf")]
    [InlineData("a\u2028b.pdf")]
    [InlineData("\u3164")]
    [InlineData("\u3164\u3164")]
    public void ValidateFileName_PathLikeOrHiddenName_IsRefused(string fileName)
    {
        Assert.NotNull(MaterialRules.ValidateFileName(fileName));
    }

    [Theory]
    [InlineData("申请书.pdf")]
    [InlineData("ID card (front).jpg")]
    [InlineData("a.b.c.ofd")]
    [InlineData("\u0F40\u0F0B\u0F41\u0F0B\u0F42.pdf")] // ཀ་ཁ་ག.pdf
    public void ValidateFileName_OrdinaryName_IsAccepted(string fileName)
    {
        Assert.Null(MaterialRules.ValidateFileName(fileName));
    }

    [Fact]
    public void ValidateFileName_Over200Characters_IsRefused()
    {
        Assert.NotNull(MaterialRules.ValidateFileName(new string('a', 197) + ".pdf"));
        Assert.Null(MaterialRules.ValidateFileName(new string('a', 196) + ".pdf"));
    }

    [Theory]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", true)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", false)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555", false)]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData("", false)]
    public void IsSha256Hex_Accepts64HexCharactersOnly(string value, bool expected)
    {
        Assert.Equal(expected, MaterialRules.IsSha256Hex(value));
    }
}

using Ali.Serverless.Materials;

namespace Ali.Serverless.Core.Tests.Materials;

public sealed class ContentDispositionTests
{
    [Theory]
    [InlineData("report.pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf")]
    [InlineData("营业执照.pdf", "attachment; filename=\"____.pdf\"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf")]
    [InlineData("a\"; filename=evil.html", "attachment; filename=\"a__ filename=evil.html\"; filename*=UTF-8''a%22%3B%20filename%3Devil.html")]
    [InlineData("50% off.pdf", "attachment; filename=\"50_ off.pdf\"; filename*=UTF-8''50%25%20off.pdf")]
    public void Is_always_an_attachment_whose_name_cannot_break_out_of_the_header(string fileName, string expected)
    {
        Assert.Equal(expected, MaterialRules.ContentDisposition(fileName));
    }

    [Fact]
    public void Carries_no_control_characters_or_non_ascii_whatever_the_name()
    {
        var header = MaterialRules.ContentDisposition("ཞིབ་\r\n\t\u202E.pdf");

        Assert.All(header, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("attachment; ", header, StringComparison.Ordinal);
    }
}

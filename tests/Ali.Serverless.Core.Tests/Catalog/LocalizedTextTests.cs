using Ali.Serverless.Common;

namespace Ali.Serverless.Core.Tests.Catalog;

public class LocalizedTextTests
{
    [Fact]
    public void In_Tibetan_WithTranslation_GivesTibetanWithoutFallback()
    {
        var text = new LocalizedText("结婚登记", "གཉེན་སྒྲིག་ཐོ་འགོད།");

        var (value, fellBack) = text.In(Language.Tibetan);

        Assert.Equal("གཉེན་སྒྲིག་ཐོ་འགོད།", value);
        Assert.False(fellBack);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void In_Tibetan_WithoutTranslation_FallsBackToChinese(string? bo)
    {
        var text = new LocalizedText("结婚登记", bo);

        var (value, fellBack) = text.In(Language.Tibetan);

        Assert.Equal("结婚登记", value);
        Assert.True(fellBack);
    }

    [Fact]
    public void In_Chinese_GivesChineseWithoutFallback()
    {
        var text = new LocalizedText("结婚登记", "གཉེན་སྒྲིག་ཐོ་འགོད།");

        var (value, fellBack) = text.In(Language.Chinese);

        Assert.Equal("结婚登记", value);
        Assert.False(fellBack);
    }

    [Fact]
    public void Contains_MatchesChineseAndTibetan()
    {
        var text = new LocalizedText("个体工商户设立登记", "ཚོང་པ་སྒེར་གྱི་ཐོ་འགོད།");

        Assert.True(text.Contains("工商户"));
        Assert.True(text.Contains("ཚོང་པ"));
        Assert.False(text.Contains("结婚"));
    }

    [Theory]
    [InlineData("zh", true)]
    [InlineData("bo", true)]
    [InlineData("en", false)]
    [InlineData("ZH", false)]
    [InlineData(null, false)]
    public void Language_IsSupported_OnlyForZhAndBo(string? code, bool supported)
    {
        Assert.Equal(supported, Language.IsSupported(code));
    }
}

using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Moq;

namespace Ali.Serverless.Core.Tests.Catalog;

public class CatalogQueriesTests
{
    private readonly Mock<ICatalogStore> _store = new(MockBehavior.Strict);
    private readonly CatalogQueries _queries;

    public CatalogQueriesTests()
    {
        var items = new List<ServiceItem>
        {
            TestCatalog.PersonItem() with { Name = new LocalizedText("个体工商户设立登记") },
            TestCatalog.EnterpriseItem() with { Name = new LocalizedText("食品经营许可") },
            TestCatalog.NoWebItem() with { Name = new LocalizedText("结婚登记", "གཉེན་སྒྲིག་ཐོ་འགོད།") },
        };
        _store.Setup(s => s.ListAsync(It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(items);
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string code, CancellationToken _) => items.FirstOrDefault(i => i.ItemCode == code));
        _queries = new CatalogQueries(_store.Object);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    [InlineData("")]
    public async Task Search_WithUnsupportedLanguage_IsInvalidNamingLang(string lang)
    {
        var result = await _queries.SearchAsync(null, null, null, lang, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.True(result.Problem.Errors!.ContainsKey("lang"));
        _store.Verify(s => s.ListAsync(It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("../..", null, null, "department")]
    [InlineData("542500 RSJ", null, null, "department")]
    [InlineData(null, "licence", null, "itemType")]
    [InlineData(null, "1", null, "itemType")]
    [InlineData(null, null, "\u001B[2J", "keyword")]
    [InlineData(null, null, "婚\u202E", "keyword")]
    [InlineData(null, null, "\u200B\u200B", "keyword")]
    [InlineData(null, null, "\u3164", "keyword")]
    public async Task Search_WithMalformedFilter_IsInvalidNamingIt_AndReadsNothing(string? department, string? itemType, string? keyword, string field)
    {
        var result = await _queries.SearchAsync(department, itemType, keyword, null, CancellationToken.None);

        Assert.Equal([field], result.Problem!.Errors!.Keys);
        _store.Verify(s => s.ListAsync(It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Search_WithAKeywordOverTheLimit_IsInvalid_AndAtTheLimitPasses()
    {
        var over = await _queries.SearchAsync(null, null, new string('婚', CatalogQueries.MaxKeywordLength + 1), null, CancellationToken.None);
        var at = await _queries.SearchAsync(null, null, new string('婚', CatalogQueries.MaxKeywordLength), null, CancellationToken.None);

        Assert.True(over.Problem!.Errors!.ContainsKey("keyword"));
        Assert.True(at.IsSuccess);
    }

    [Fact]
    public async Task Get_WithUnsupportedLanguage_IsInvalidNamingLang()
    {
        var result = await _queries.GetAsync(TestCatalog.PersonItemCode, "en", CancellationToken.None);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.True(result.Problem.Errors!.ContainsKey("lang"));
    }

    [Fact]
    public async Task Search_WithChineseKeyword_MatchesChineseName()
    {
        var result = await _queries.SearchAsync(null, null, "登记", "zh", CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal([TestCatalog.PersonItemCode, TestCatalog.NoWebItemCode], result.Value!.Select(i => i.ItemCode));
    }

    [Fact]
    public async Task Search_WithKeywordSurroundedBySpaces_IgnoresTheSpaces()
    {
        var result = await _queries.SearchAsync(null, null, "  食品  ", null, CancellationToken.None);

        Assert.Equal(TestCatalog.EnterpriseItemCode, Assert.Single(result.Value!).ItemCode);
    }

    [Fact]
    public async Task Search_WithTibetanKeyword_MatchesTibetanName()
    {
        var result = await _queries.SearchAsync(null, null, "གཉེན", "bo", CancellationToken.None);

        Assert.Equal(TestCatalog.NoWebItemCode, Assert.Single(result.Value!).ItemCode);
    }

    [Fact]
    public async Task Search_WithPartOfItemCodeInAnyCase_MatchesItemCode()
    {
        var result = await _queries.SearchAsync(null, null, "test-01002", null, CancellationToken.None);

        Assert.Equal(TestCatalog.EnterpriseItemCode, Assert.Single(result.Value!).ItemCode);
    }

    [Fact]
    public async Task Search_WithKeywordMatchingNothing_IsEmpty()
    {
        var result = await _queries.SearchAsync(null, null, "护照", null, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Value!);
    }

    [Fact]
    public async Task Search_PassesStructuredFiltersToTheStoreAndBlankOnesAsNull()
    {
        await _queries.SearchAsync("542500-SCJGJ", "  ", null, null, CancellationToken.None);

        _store.Verify(s => s.ListAsync("542500-SCJGJ", null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Get_ExistingItem_ReturnsIt()
    {
        var result = await _queries.GetAsync(TestCatalog.PersonItemCode, "bo", CancellationToken.None);

        Assert.Equal(TestCatalog.PersonItemCode, result.Value!.ItemCode);
    }

    [Fact]
    public async Task Get_UnknownWellFormedCode_IsNotFound()
    {
        var result = await _queries.GetAsync("542500-NOPE-99999", null, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../542500-SCJGJ-01001")]
    [InlineData("542500 SCJGJ 01001")]
    [InlineData("542500-SCJGJ-01001-TOO-LONG")] // 27 characters
    [InlineData("542500_SCJGJ")]
    [InlineData("个体工商户")]
    public async Task Get_MalformedItemCode_IsNotFoundWithoutTouchingTheStore(string code)
    {
        var result = await _queries.GetAsync(code, null, CancellationToken.None);

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        _store.Verify(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("542500-SCJGJ-01001", true)]
    [InlineData("A", true)]
    [InlineData("123456789012345678901234", true)]
    [InlineData("1234567890123456789012345", false)]
    [InlineData(null, false)]
    public void ItemCodes_IsWellFormed_AllowsUpTo24LettersDigitsAndDashes(string? code, bool wellFormed)
    {
        Assert.Equal(wellFormed, ItemCodes.IsWellFormed(code));
    }
}

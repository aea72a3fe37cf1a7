using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Tests.Support;

namespace Ali.Serverless.Functions.Tests.Composition;

public class ConfigurationExtensionsTests
{
    [Fact]
    public void Get_AppSettingName_ReadsTheColonSeparatedKey()
    {
        var configuration = TestAuth.Configuration(("Store:Provider", "Cosmos"));

        Assert.Equal("Cosmos", configuration.Get(AppSettingNames.StoreProvider));
    }

    [Fact]
    public void Get_NameWithoutSeparator_ReadsItAsIs()
    {
        var configuration = TestAuth.Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        Assert.Equal("UseDevelopmentStorage=true", configuration.Get(AppSettingNames.Storage));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Get_BlankOrMissingValue_IsNull(string? value)
    {
        var configuration = TestAuth.Configuration(("Store:Provider", value));

        Assert.Null(configuration.Get(AppSettingNames.StoreProvider));
    }

    [Fact]
    public void Require_Missing_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestAuth.Configuration().Require(AppSettingNames.CosmosAccountEndpoint));

        Assert.Contains("Cosmos__AccountEndpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetInt_PositiveNumber_IsThatNumber()
    {
        var configuration = TestAuth.Configuration(("Materials:UploadTargetMinutes", "30"));

        Assert.Equal(30, configuration.GetInt(AppSettingNames.UploadTargetLifetimeMinutes));
    }

    [Fact]
    public void GetInt_Missing_IsNull()
    {
        Assert.Null(TestAuth.Configuration().GetInt(AppSettingNames.UploadTargetLifetimeMinutes));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public void GetInt_ZeroNegativeOrNotANumber_ThrowsNamingTheSetting(string value)
    {
        var configuration = TestAuth.Configuration(("Materials:UploadTargetMinutes", value));

        var error = Assert.Throws<InvalidOperationException>(() => configuration.GetInt(AppSettingNames.UploadTargetLifetimeMinutes));

        Assert.Contains("Materials__UploadTargetMinutes", error.Message, StringComparison.Ordinal);
    }
}

public class AppSettingNamesTests
{
    [Fact]
    public void All_HasNoDuplicates()
    {
        var duplicates = AppSettingNames.All.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void All_ContainsEveryLocalOnlyName()
    {
        Assert.Empty(AppSettingNames.LocalOnly.Except(AppSettingNames.All, StringComparer.Ordinal));
    }

    [Fact]
    public void All_ContainsEveryPublicConstant()
    {
        var constants = typeof(AppSettingNames)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.Empty(constants.Except(AppSettingNames.All, StringComparer.Ordinal));
    }
}

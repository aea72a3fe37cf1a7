using Ali.Serverless.Adapters.Azure.KeyVault;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Licences;
using Ali.Serverless.Functions.Tests.Auth;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Licences;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Tests.Licences;

/// <summary>Which key ring the composition chooses: the vault when named, the local folder in Development, else no start.</summary>
public sealed class LicenceCompositionTests
{
    private static readonly (string Key, string? Value)[] Local =
    [
        ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
        ("Auth:DevelopmentSigningKey", TestAuth.SigningKey),
        ("Notifications:PhoneKey", "test-phone-key"),
        ("Store:SqlitePath", Path.Combine(Path.GetTempPath(), $"licences-{Guid.NewGuid():N}.db")),
    ];

    [Fact]
    public void OutsideDevelopment_WithoutAVault_TheAppDoesNotStart_AndNamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddAliServerless(TestAuth.Configuration(Local), new FakeHostEnvironment("Production")));

        Assert.Contains(AppSettingNames.LicencesKeyVaultUri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVault_MeansTheKeyVaultRing_EvenInDevelopment_AndOtherwiseTheLocalFolder()
    {
        using var vault = new ServiceCollection().AddLogging().AddAliServerless(
            TestAuth.Configuration([.. Local, ("Licences:KeyVaultUri", "https://kv-ali.vault.azure.cn/")]), new FakeHostEnvironment("Development")).BuildServiceProvider();
        using var local = new ServiceCollection().AddLogging().AddAliServerless(
            TestAuth.Configuration(Local), new FakeHostEnvironment("Development")).BuildServiceProvider();

        Assert.IsType<KeyVaultLicenceKeyRing>(vault.GetRequiredService<ILicenceKeyRing>());
        var folder = Assert.IsType<FileLicenceKeyRing>(local.GetRequiredService<ILicenceKeyRing>());
        Assert.EndsWith(Path.Combine(".local", "licence-keys"), folder.Directory, StringComparison.Ordinal);
    }
}

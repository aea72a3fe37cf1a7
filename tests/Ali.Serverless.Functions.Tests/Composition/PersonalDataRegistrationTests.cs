using Ali.Serverless.Adapters.Azure.KeyVault;
using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.PersonalData;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Tests.Composition;

public sealed class PersonalDataRegistrationTests
{
    private static ServiceProvider Build(string environment, params (string, string?)[] settings)
    {
        var services = new ServiceCollection().AddSingleton(TimeProvider.System);
        ServiceRegistration.AddPersonalData(services, TestAuth.Configuration(settings), new FakeHostEnvironment(environment));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void WithAVault_TheKeysComeFromItsSecrets()
    {
        using var services = Build("Production", ("PersonalData:KeyVaultUri", "https://ali-kv.vault.azure.cn/"));

        Assert.IsType<KeyVaultPersonalDataKeys>(services.GetRequiredService<IPersonalDataKeys>());
        Assert.IsType<KeyVaultPersonalDataKeys>(services.GetRequiredService<IKeyEncryptionKeyRotation>());
        Assert.IsType<PersonalDataProtector>(services.GetRequiredService<IPersonalDataProtector>());
    }

    [Fact]
    public void InDevelopment_KeyFilesInTheGitIgnoredFolder()
    {
        using var services = Build("Development");

        var files = Assert.IsType<LocalKeyFiles>(services.GetRequiredService<IPersonalDataKeys>());
        Assert.Equal(Path.GetFullPath(".local/keys"), files.Directory);
    }

    [Fact]
    public void OutsideDevelopment_NeitherVaultNorFolder_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("Production"));

        Assert.Contains("PersonalData__KeyVaultUri", error.Message, StringComparison.Ordinal);
    }
}

using System.Globalization;
using Ali.Serverless.Applications;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.PersonalData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ali.Serverless.KeyRotation;

/// <summary>
/// <c>status</c>: the current KEK version and how many applications are still under another (or none);
/// <c>new-key</c>: adds a KEK version, which new writes use at once (in Azure: within five minutes on every instance);
/// <c>rewrap [--batch N]</c>: re-encrypts every application under an older version, in batches. Safe to stop and
/// run again: each document is one conditional write, and what is done is not found again.
/// </summary>
public static class KeyRotationCli
{
    public const string Usage = """
        usage: dotnet run --project tools/Ali.Serverless.KeyRotation -- <command>
          status              current key version; applications still under an older one
          new-key             add a key-encryption key version (Key Vault: needs Key Vault Secrets Officer)
          rewrap [--batch N]  re-encrypt applications under older versions (default batch 100); restartable
        Settings are the app's, from environment variables (Store__Provider, Cosmos__AccountEndpoint,
        PersonalData__KeyVaultUri...). Without them: the local SQLite file and key folder under .local/.
        """;

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        switch (args)
        {
            case ["status"]:
            {
                var current = await services.GetRequiredService<IPersonalDataProtector>().CurrentKeyIdAsync(cancellationToken);
                var behind = await services.GetRequiredService<IApplicationStore>().ListUnderOtherKeyAsync(current, StatusLimit, cancellationToken);
                output.WriteLine($"current key version: {current}");
                output.WriteLine($"applications under an older key or none: {(behind.Count >= StatusLimit ? $"{StatusLimit}+" : behind.Count.ToString(CultureInfo.InvariantCulture))}");
                return 0;
            }
            case ["new-key"]:
            {
                var id = await services.GetRequiredService<IKeyEncryptionKeyRotation>().AddVersionAsync(cancellationToken);
                output.WriteLine($"new key version: {id}");
                output.WriteLine("New writes use it now. Run 'rewrap' to re-encrypt what older versions protect; keep those versions until it reports nothing left.");
                return 0;
            }
            case ["rewrap"]:
            case ["rewrap", "--batch", _]:
            {
                var batch = args.Length == 3 ? int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000 ? n : 0 : 100;
                if (batch == 0)
                {
                    error.WriteLine("--batch is a whole number from 1 to 1000.");
                    return 2;
                }
                var report = await services.GetRequiredService<PersonalDataRotation>().RewrapAsync(batch, cancellationToken);
                output.WriteLine($"current key version: {report.CurrentKeyId}");
                output.WriteLine($"re-encrypted: {report.Rewritten}; left for the next run (changed twice meanwhile): {report.Skipped}");
                return report.Skipped == 0 ? 0 : 1;
            }
            default:
                error.WriteLine(Usage);
                return 2;
        }
    }

    /// <summary>The stores and key source exactly as the app composes them, from the app's settings.</summary>
    public static ServiceProvider Compose(IConfiguration configuration, IHostEnvironment environment)
    {
        var services = new ServiceCollection().AddSingleton(TimeProvider.System);
        ServiceRegistration.AddPersonalData(services, configuration, environment);
        ServiceRegistration.AddStores(services, configuration);
        return services.BuildServiceProvider();
    }

    private const int StatusLimit = 1000;
}

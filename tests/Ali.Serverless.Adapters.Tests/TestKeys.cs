using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>The keys of personal data for the store tests: real key files in a temporary folder, made on first use.</summary>
public static class TestKeys
{
    public static LocalKeyFiles Files { get; } = new(Path.Combine(Path.GetTempPath(), $"ali-keys-{Guid.NewGuid():N}"));

    public static IPersonalDataProtector Protector { get; } = new PersonalDataProtector(Files, new ApplicantKeys(Files));

    public static ApplicantKeys ApplicantKeys { get; } = new(Files);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Adapters.Sms.Tests;

/// <summary>AddSms: which gateway the settings give, what it refuses to start with, the template map in both forms.</summary>
public sealed partial class SmsRegistrationTests
{
    private static readonly Dictionary<string, string?> Tencent = new()
    {
        ["Sms:Provider"] = "Tencent",
        ["Sms:Endpoint"] = "http://127.0.0.1:7081",
        ["Sms:SdkAppId"] = "1400000000",
        ["Sms:SignName"] = "阿里政务",
        ["Sms:SecretId"] = "test-secret-id",
        ["Sms:SecretKey"] = "test-secret-key",
        ["Sms:ReceiptToken"] = "test-receipt-token",
        ["Sms:Tencent:Templates:accepted.applicant:zh:Id"] = "2100003",
        ["Sms:Tencent:Templates:accepted.applicant:zh:Params"] = "caseNumber, dueDate",
    };

    [Fact]
    public void Tencent_GivesTheTencentGateway_WithATenSecondTimeout_AndTheMap()
    {
        using var provider = Provider(Tencent);

        Assert.IsType<TencentCloudSmsGateway>(provider.GetRequiredService<ISmsGateway>());
        Assert.IsType<TencentSmsReceiptParser>(provider.GetRequiredService<IDeliveryReceiptParser>());
        Assert.True(provider.GetRequiredService<ReceiptCallbackToken>().Accepts("test-receipt-token"));
        Assert.Equal(TimeSpan.FromSeconds(10), SmsRegistration.SendTimeout);
        var options = provider.GetRequiredService<TencentSmsOptions>();
        Assert.Equal("ap-guangzhou", options.Region);
        Assert.Equal(new Uri("http://127.0.0.1:7081"), options.Endpoint);
        Assert.Equal(new TencentTemplate("2100003", ["caseNumber", "dueDate"]), provider.GetRequiredService<TencentTemplateMap>().Find("accepted.applicant", "zh"), TemplateComparer.Instance);
    }

    [Fact]
    public void TheEndpoint_DefaultsToTencents()
    {
        var options = SmsRegistration.TencentOptions(Configuration(With(Tencent, ("Sms:Endpoint", null))));

        Assert.Equal(new Uri("https://sms.tencentcloudapi.com"), options.Endpoint);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("None")]
    public void NoneOrUnset_GivesTheSwitchedOffGateway(string? value)
    {
        using var provider = Provider(new() { ["Sms:Provider"] = value });

        Assert.IsType<SwitchedOffSmsGateway>(provider.GetRequiredService<ISmsGateway>());
        Assert.IsType<TencentSmsReceiptParser>(provider.GetRequiredService<IDeliveryReceiptParser>());
        Assert.False(provider.GetRequiredService<ReceiptCallbackToken>().IsConfigured);
    }

    [Fact]
    public void AnUnknownProvider_StopsTheStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSms(Configuration(new() { ["Sms:Provider"] = "Aliyun" })));

        Assert.Contains("Sms__Provider", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sms:SdkAppId", "Sms__SdkAppId")]
    [InlineData("Sms:SignName", "Sms__SignName")]
    [InlineData("Sms:SecretId", "Sms__SecretId")]
    [InlineData("Sms:SecretKey", "Sms__SecretKey")]
    public void AMissingSetting_IsNamed_WhenTheGatewayIsFirstNeeded(string key, string name)
    {
        using var provider = Provider(With(Tencent, (key, null)));

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ISmsGateway>());
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sms:SecretKey", "Sms__SecretKey")]
    [InlineData("Sms:ReceiptToken", "Sms__ReceiptToken")]
    public void AnUnresolvedKeyVaultReference_IsNamed_NotUsedAsTheSecret(string key, string name)
    {
        using var provider = Provider(With(Tencent, (key, "@Microsoft.KeyVault(SecretUri=https://kv.example.test/secrets/sms-secret-key)")));

        var error = Assert.Throws<InvalidOperationException>(() => key.EndsWith("ReceiptToken", StringComparison.Ordinal)
            ? provider.GetRequiredService<ReceiptCallbackToken>()
            : (object)provider.GetRequiredService<ISmsGateway>());
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplateMap_AsJsonText_AsAzureAppSettingsCarryIt()
    {
        var map = SmsRegistration.TencentTemplates(Configuration(new()
        {
            ["Sms:Tencent:Templates"] = """{"accepted.applicant":{"zh":{"Id":2100003,"Params":"caseNumber,dueDate"}},"withdrawn.applicant":{"zh":{"Id":"2100007","Params":["caseNumber"]}}}""",
        }));

        Assert.Equal(2, map.Count);
        Assert.Equal(["caseNumber", "dueDate"], map.Find("accepted.applicant", "zh")!.ParameterNames);
        Assert.Equal("2100003", map.Find("accepted.applicant", "zh")!.Id);
        Assert.Equal(["caseNumber"], map.Find("withdrawn.applicant", "zh")!.ParameterNames);
    }

    [Theory]
    [InlineData("""{"accepted.applicant":{"zh":{"Id":"accepted","Params":"caseNumber"}}}""", "digits")]
    [InlineData("""{"accepted.applicant":{"zh":{"Id":"2100003","Params":"case number"}}}""", "case number")]
    [InlineData("""not json""", "Sms__Tencent__Templates")]
    [InlineData("""["accepted.applicant"]""", "Sms__Tencent__Templates")]
    public void AMalformedTemplateMap_IsRefused_NamingWhatIsWrong(string json, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmsRegistration.TencentTemplates(Configuration(new() { ["Sms:Tencent:Templates"] = json })));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The local defaults map every template that has an SMS text, with the placeholders its Chinese text
    /// uses in the order they appear: that order fills Tencent's {1}, {2}, …
    /// </summary>
    [Fact]
    public void TheLocalDefaults_MapEveryTemplateWithAnSmsText_InTheOrderOfItsPlaceholders()
    {
        var root = RepositoryRoot();
        using var templates = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "functions/Ali.Serverless.Functions/Notifications/templates.json")));
        var expected = templates.RootElement.GetProperty("templates").EnumerateArray()
            .Where(t => t.TryGetProperty("sms", out var sms) && sms.TryGetProperty("zh", out _))
            .ToDictionary(t => t.GetProperty("id").GetString()!, t => Placeholder().Matches(t.GetProperty("sms").GetProperty("zh").GetString()!).Select(m => m.Groups[1].Value).ToList());
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "functions/Ali.Serverless.LocalHost/appsettings.Development.json")).Build();

        var map = SmsRegistration.TencentTemplates(configuration);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(), map.Entries.Select(e => e.TemplateId).Order());
        Assert.All(expected, e => Assert.Equal(e.Value, map.Find(e.Key, "zh")!.ParameterNames));
        Assert.Equal(map.Count, map.Entries.Select(e => e.Template.Id).Distinct().Count());
        // The fake gateway's address, which run-local.sh starts it on, and the same map in local.settings.json.
        Assert.Equal("http://127.0.0.1:7081", configuration["Sms:Endpoint"]);
        var localSettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "functions/Ali.Serverless.Functions/local.settings.json")).Build().GetSection("Values");
        var fromLocalSettings = SmsRegistration.TencentTemplates(new ConfigurationBuilder()
            .AddInMemoryCollection(localSettings.GetChildren().Select(c => new KeyValuePair<string, string?>(c.Key.Replace("__", ":", StringComparison.Ordinal), c.Value)))
            .Build());
        Assert.Equal(map.Entries.OrderBy(e => e.TemplateId).Select(e => (e.TemplateId, e.Template.Id, string.Join(',', e.Template.ParameterNames))),
            fromLocalSettings.Entries.OrderBy(e => e.TemplateId).Select(e => (e.TemplateId, e.Template.Id, string.Join(',', e.Template.ParameterNames))));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> values) =>
        new ServiceCollection().AddLogging().AddSms(Configuration(values)).BuildServiceProvider();

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Dictionary<string, string?> With(Dictionary<string, string?> values, (string Key, string? Value) change) =>
        new(values) { [change.Key] = change.Value };

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ali.Serverless.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Ali.Serverless.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    private sealed class TemplateComparer : IEqualityComparer<TencentTemplate?>
    {
        public static readonly TemplateComparer Instance = new();

        public bool Equals(TencentTemplate? x, TencentTemplate? y) =>
            x?.Id == y?.Id && (x?.ParameterNames ?? []).SequenceEqual(y?.ParameterNames ?? []);

        public int GetHashCode(TencentTemplate? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}

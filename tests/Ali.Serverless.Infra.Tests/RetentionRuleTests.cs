using System.Text.Json.Nodes;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Retention;

namespace Ali.Serverless.Infra.Tests;

/// <summary>
/// The Blob lifecycle rule of retention (decision 15): it deletes upload blobs by age, a week after a draft's
/// lifetime, and can never reach a sealed copy, which submitted cases keep.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class RetentionRuleTests(InfraFixture infra)
{
    private JsonObject Storage => ArmTemplate.ModuleTemplate(infra.Main, "storage");

    private JsonObject Rule(string name)
    {
        var policy = Assert.Single(ArmTemplate.OfType(Storage, "Microsoft.Storage/storageAccounts/managementPolicies"));
        return policy.Get("properties.policy.rules")!.AsArray().OfType<JsonObject>().Single(r => (string?)r["name"] == name);
    }

    /// <summary>The prefixes the upload rule matches, as ARM expands them: "{container}/{digit}".</summary>
    private List<string> UploadPrefixes()
    {
        var copy = Assert.Single(Rule("delete-upload-blobs")["definition"]!["filters"]!["copy"]!.AsArray().OfType<JsonObject>());
        Assert.Equal("prefixMatch", (string?)copy["name"]);
        Assert.Equal("[format('{0}/{1}', parameters('materialsContainerName'), variables('hexDigits')[copyIndex('prefixMatch')])]", (string?)copy["input"]);
        var digits = Storage["variables"]!["hexDigits"]!.AsArray().Select(d => (string)d!).ToList();
        return digits.Select(d => $"materials/{d}").ToList();
    }

    [Fact]
    public void UploadRule_MatchesEveryUploadBlobName_AndNoSealedCopy()
    {
        var prefixes = UploadPrefixes();
        Assert.Equal(16, prefixes.Count);

        foreach (var first in "0123456789abcdef")
        {
            var applicationId = first + new string('0', 31);
            Assert.True(Ids.IsIssued(applicationId));
            var uploadBlob = $"materials/{applicationId}/{Guid.CreateVersion7():N}";
            var sealedCopy = $"materials/{Material.SealedNameFor($"{applicationId}/m1")}";

            Assert.Contains(prefixes, p => uploadBlob.StartsWith(p, StringComparison.Ordinal));
            Assert.DoesNotContain(prefixes, p => sealedCopy.StartsWith(p, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void UploadRule_DeletesBlockBlobsUnchangedForTheDraftLifetimePlusAWeek()
    {
        var rule = Rule("delete-upload-blobs");
        Assert.True(rule["enabled"]!.GetValue<bool>());
        Assert.Equal(["blockBlob"], rule["definition"]!["filters"]!["blobTypes"]!.AsArray().Select(t => (string)t!));
        var actions = rule["definition"]!["actions"]!.AsObject();
        Assert.Equal(["baseBlob"], actions.Select(a => a.Key));
        Assert.Equal("[parameters('uploadBlobLifetimeDays')]", (string?)actions["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]);

        var defaults = new RetentionOptions();
        Assert.Equal($"[add(parameters('retention').draftDays, {defaults.BackstopMargin.Days})]",
            (string?)ArmTemplate.ModuleParameter(infra.Main, "storage", "uploadBlobLifetimeDays"));
        var retention = infra.Main["parameters"]!["retention"]!["defaultValue"]!;
        Assert.Equal(defaults.DraftLifetime.Days, retention["draftDays"]!.GetValue<int>());
        // 0: ended cases are kept until an operator sets the archive period.
        Assert.Equal(0, retention["completedCaseYears"]!.GetValue<int>());
    }

    [Fact]
    public void PreviousVersionsOfMaterials_GoOnceTheRestoreWindowHasPassed()
    {
        var rule = Rule("delete-previous-versions-of-materials");
        Assert.Equal(["[format('{0}/', parameters('materialsContainerName'))]"], rule["definition"]!["filters"]!["prefixMatch"]!.AsArray().Select(p => (string)p!));
        var actions = rule["definition"]!["actions"]!.AsObject();
        Assert.Equal(["version"], actions.Select(a => a.Key));
        Assert.Equal("[parameters('softDeleteRetentionDays')]", (string?)actions["version"]!["delete"]!["daysAfterCreationGreaterThan"]);
    }
}

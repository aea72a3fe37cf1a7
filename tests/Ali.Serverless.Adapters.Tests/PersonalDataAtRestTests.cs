using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Applications;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// Personal data at rest (decision 13), on every store: what the row or document holds is ciphertext,
/// the keyed hash finds it, and rotation re-encrypts documents under older keys (or none) in place.
/// </summary>
public sealed class PersonalDataAtRestTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private const string IdNumber = "11010519491231002X";
    private const string Phone = "13800000000";
    private const string Address = "西藏阿里地区噶尔县狮泉河镇";

    private static Application WithPersonalData(string owner, DateTimeOffset created) => TestData.Application(owner, created) with
    {
        Fields = new Dictionary<string, string> { ["address"] = Address, ["reason"] = "新办" },
    };

    [Theory]
    [MemberData(nameof(StoreTargets.All), MemberType = typeof(StoreTargets))]
    public async Task TheStoredDocument_HoldsNoIdentityNumberPhoneOrFieldValue_AndReadsBackInClear(string target)
    {
        var raw = await StoreTargets.CreateRawApplicationsAsync(target, TestKeys.Protector);
        var application = WithPersonalData("hall:542521-ZWFWZX", T0);

        await raw.Store.CreateAsync(application, default);
        var stored = await raw.Store.GetAsync(application.OwnerId, application.Id, default);
        await raw.Store.ReplaceAsync(stored!.Value with { Status = ApplicationStatus.Withdrawn }, stored.ETag, default);

        var text = await raw.ReadRawAsync(application.OwnerId, application.Id);
        Assert.DoesNotContain(IdNumber, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(IdNumber[..17], text);
        Assert.DoesNotContain(Phone, text);
        Assert.DoesNotContain(Address, text);
        Assert.DoesNotContain("新办", text);
        Assert.Contains("pd1.", text);
        Assert.Contains(await TestKeys.ApplicantKeys.ForAsync(ApplicantKind.NaturalPerson, IdNumber, default), text);
        Assert.Contains((await TestKeys.Files.GetCurrentAsync(default)).Id, text);

        var read = (await raw.Store.GetAsync(application.OwnerId, application.Id, default))!.Value;
        Assert.Equal(IdNumber, read.Applicant.DocumentNumber);
        Assert.Equal(Phone, read.Applicant.Phone);
        Assert.Equal(Address, read.Fields["address"]);
        Assert.Null(read.DataKey);
        Assert.Equal(ApplicationStatus.Withdrawn, read.Status);
    }

    // The Cosmos test server cannot run these two cross-partition queries (it answers 400 "missing partition
    // keys" to the first; the SDK gets no query plan for the second): CosmosQueryTests pin their Cosmos text,
    // and against a real account (ALI_TEST_COSMOS_ENDPOINT) they run here too.
    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task ListByApplicantKey_FindsEveryOwnersApplicationsOfThatNumber_AndNoOther(string target)
    {
        var raw = await StoreTargets.CreateRawApplicationsAsync(target, TestKeys.Protector);
        var atWindow = WithPersonalData("hall:542521-ZWFWZX", T0);
        var online = WithPersonalData("applicant:citizen-1", T0.AddMinutes(1));
        var someoneElse = WithPersonalData("hall:542521-ZWFWZX", T0.AddMinutes(2)) with
        {
            Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, "540102199001011234", "次仁", null),
        };
        foreach (var a in new[] { atWindow, online, someoneElse })
        {
            await raw.Store.CreateAsync(a, default);
        }

        var key = await TestKeys.ApplicantKeys.ForAsync(ApplicantKind.NaturalPerson, IdNumber.ToLowerInvariant() + " ", default);
        var found = await raw.Store.ListByApplicantKeyAsync(key, 10, default);

        Assert.Equal(new[] { atWindow.Id, online.Id }.Order(), found.Select(a => a.Id).Order());
        Assert.All(found, a => Assert.Equal(IdNumber, a.Applicant.DocumentNumber));
    }

    [Theory]
    [MemberData(nameof(StoreTargets.BeyondTestServer), MemberType = typeof(StoreTargets))]
    public async Task Rotation_ReencryptsOldAndUnencryptedDocuments_UnderTheNewKey_AndCanRunAgain(string target)
    {
        var files = new LocalKeyFiles(Path.Combine(Path.GetTempPath(), $"ali-keys-{Guid.NewGuid():N}"));
        var protector = new PersonalDataProtector(files, new ApplicantKeys(files));
        var raw = await StoreTargets.CreateRawApplicationsAsync(target, protector);
        var underFirstKey = WithPersonalData("applicant:a", T0);
        var legacy = WithPersonalData("applicant:b", T0.AddMinutes(1));
        await raw.Store.CreateAsync(underFirstKey, default);
        await raw.InsertRawAsync(legacy);
        var first = (await files.GetCurrentAsync(default)).Id;

        Assert.Contains(IdNumber, await raw.ReadRawAsync(legacy.OwnerId, legacy.Id));
        Assert.Equal(IdNumber, (await raw.Store.GetAsync(legacy.OwnerId, legacy.Id, default))!.Value.Applicant.DocumentNumber);

        var second = await files.AddVersionAsync(default);
        Assert.NotEqual(first, second);
        Assert.Equal(new[] { underFirstKey.Id, legacy.Id }.Order(), (await raw.Store.ListUnderOtherKeyAsync(second, 10, default)).Select(a => a.Id).Order());

        var report = await new PersonalDataRotation(raw.Store, protector).RewrapAsync(1, default);

        Assert.Equal(new RotationReport(second, 2, 0), report);
        Assert.Empty(await raw.Store.ListUnderOtherKeyAsync(second, 10, default));
        foreach (var a in new[] { underFirstKey, legacy })
        {
            var text = await raw.ReadRawAsync(a.OwnerId, a.Id);
            Assert.DoesNotContain(IdNumber, text);
            Assert.DoesNotContain(Phone, text);
            Assert.Contains($"dk1.{second}.", text);
            Assert.Equal(Address, (await raw.Store.GetAsync(a.OwnerId, a.Id, default))!.Value.Fields["address"]);
        }
        Assert.Equal(new RotationReport(second, 0, 0), await new PersonalDataRotation(raw.Store, protector).RewrapAsync(10, default));
    }
}

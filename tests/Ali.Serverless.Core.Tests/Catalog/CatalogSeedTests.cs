using System.Text.Json;
using Ali.Serverless.Catalog;
using Ali.Serverless.Core.Tests.Support;

namespace Ali.Serverless.Core.Tests.Catalog;

/// <summary>The seeded catalog as shipped in functions/Ali.Serverless.Functions/Catalog, and the reader's refusals.</summary>
public sealed class CatalogSeedTests : IDisposable
{
    private static readonly Lazy<IReadOnlyList<ServiceItem>> Shipped = new(() =>
        CatalogSeed.Read(Path.Combine(RepositoryRoot.Find(), "functions", "Ali.Serverless.Functions", "Catalog")));

    private readonly string _temp = Directory.CreateTempSubdirectory("ali-catalog-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void ShippedCatalog_HasAtLeast25Items()
    {
        Assert.True(Shipped.Value.Count >= 25, $"{Shipped.Value.Count} items");
    }

    [Fact]
    public void ShippedCatalog_HasAtLeast10Departments()
    {
        var departments = Shipped.Value.Select(i => i.DepartmentCode).Distinct().Count();

        Assert.True(departments >= 10, $"{departments} departments");
    }

    [Fact]
    public void ShippedCatalog_HasCountyLevelItems()
    {
        Assert.Contains(Shipped.Value, i => i.Level == "4");
    }

    [Fact]
    public void ShippedCatalog_EveryItemAsksForAtLeastOneRequiredMaterial()
    {
        var without = Shipped.Value.Where(i => !i.Materials.Any(m => m.Required)).Select(i => i.ItemCode).ToList();

        Assert.Empty(without);
    }

    [Fact]
    public void ShippedCatalog_ItemCodesAreUniqueAndWellFormed()
    {
        var codes = Shipped.Value.Select(i => i.ItemCode).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.True(ItemCodes.IsWellFormed(c), c));
    }

    [Fact]
    public void ShippedCatalog_EveryItemOffersTheWindowChannel()
    {
        Assert.All(Shipped.Value, i => Assert.Contains(Channel.Window, i.Channels));
    }

    [Fact]
    public void ShippedCatalog_PromisedLimitIsNeverLongerThanTheLegalOne()
    {
        Assert.All(Shipped.Value, i => Assert.True(i.PromisedTimeLimitDays <= i.LegalTimeLimitDays, i.ItemCode));
    }

    [Fact]
    public void ShippedCatalog_AtLeastAThirdOfTheOnlineItemsForNaturalPersons_IssueALicence()
    {
        var online = Shipped.Value.Where(i => i.ApplicantKinds.Contains("1") && i.OnlineCapable).ToList();
        var issuing = online.Count(i => i.ResultLicence is not null);

        Assert.True(issuing * 3 >= online.Count, $"{issuing} of {online.Count} online items for natural persons issue a licence");
    }

    [Fact]
    public void ShippedCatalog_ResultLicences_AreWellFormed_AndChineseOnlyUntilTranslated()
    {
        var licences = Shipped.Value.Where(i => i.ResultLicence is not null).ToList();

        Assert.NotEmpty(licences);
        Assert.All(licences, i =>
        {
            var licence = i.ResultLicence!;
            // The type code goes into licence numbers: capitals and digits only.
            Assert.Matches("^[A-Z0-9]{2,16}$", licence.TypeCode);
            Assert.False(string.IsNullOrWhiteSpace(licence.Name.Zh), i.ItemCode);
            Assert.Null(licence.Name.Bo);
            Assert.True(licence.ValidityYears is null or > 0 and <= 30, i.ItemCode);
        });
        // One type, one name: two items issuing the same licence call it the same.
        Assert.All(licences.GroupBy(i => i.ResultLicence!.TypeCode), g => Assert.Single(g.Select(i => i.ResultLicence!.Name.Zh).Distinct()));
    }

    [Fact]
    public void ShippedCatalog_MaterialsGivenAsLicences_NameATypeTheCatalogIssues()
    {
        var issued = Shipped.Value.Where(i => i.ResultLicence is not null).Select(i => i.ResultLicence!.TypeCode).ToHashSet();
        var reusable = Shipped.Value.SelectMany(i => i.Materials.Where(m => m.LicenceType is not null).Select(m => (i.ItemCode, m.Code, m.LicenceType))).ToList();

        Assert.NotEmpty(reusable);
        Assert.All(reusable, r => Assert.True(issued.Contains(r.LicenceType!), $"{r.ItemCode} {r.Code}: no item issues {r.LicenceType}"));
    }

    [Fact]
    public void Read_ValidFile_ReadsItsItems()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01")));

        var items = CatalogSeed.Read(_temp);

        var item = Assert.Single(items);
        Assert.Equal("542500-A-01", item.ItemCode);
        Assert.Equal([Channel.Window, Channel.Web], item.Channels);
        Assert.True(Assert.Single(item.Materials).Required);
    }

    [Fact]
    public void Read_FileWithTypoInAPropertyName_Throws()
    {
        var typo = ItemJson("542500-A-01").Replace("\"description\"", "\"descripton\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(typo));

        Assert.Throws<JsonException>(() => CatalogSeed.Read(_temp));
    }

    [Fact]
    public void Read_FileWithTypoInANestedMaterialProperty_Throws()
    {
        var typo = ItemJson("542500-A-01").Replace("\"issuingBody\"", "\"issuingbody_\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(typo));

        Assert.Throws<JsonException>(() => CatalogSeed.Read(_temp));
    }

    [Fact]
    public void Read_DuplicateItemCodeAcrossFiles_ThrowsNamingTheCode()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01")));
        File.WriteAllText(Path.Combine(_temp, "542500-b.json"), CatalogJson(ItemJson("542500-A-01")));

        var error = Assert.Throws<InvalidDataException>(() => CatalogSeed.Read(_temp));

        Assert.Contains("542500-A-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateItemCodeWithinOneFile_Throws()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01"), ItemJson("542500-A-01")));

        Assert.Throws<InvalidDataException>(() => CatalogSeed.Read(_temp));
    }

    [Fact]
    public async Task LoadAsync_FirstStart_UpsertsEveryItem_ThenWritesTheVersionLast()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01"), ItemJson("542500-A-02")));
        var store = new InMemoryCatalogStore();

        var load = await Seed(store).LoadAsync(_temp, CancellationToken.None);

        Assert.Equal(new CatalogLoad(2, 2, 0, load.Version), load);
        Assert.Equal(["upsert 542500-A-01", "upsert 542500-A-02", "save-version"], store.Writes);
        Assert.Equal(load.Version, store.Version!.Hash);
        Assert.Equal(["542500-a.json"], store.Version.Files.Keys);
    }

    [Fact]
    public async Task LoadAsync_SameFilesAgain_WritesNothing()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01")));
        File.WriteAllText(Path.Combine(_temp, "542500-b.json"), CatalogJson(ItemJson("542500-B-01")));
        var store = new InMemoryCatalogStore();
        var first = await Seed(store).LoadAsync(_temp, CancellationToken.None);
        store.Writes.Clear();

        var again = await Seed(store).LoadAsync(_temp, CancellationToken.None);

        Assert.Empty(store.Writes);
        Assert.Equal(new CatalogLoad(2, 0, 2, first.Version), again);
    }

    [Fact]
    public async Task LoadAsync_OneFileChanged_UpsertsOnlyItsItems_AndANewVersion()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01")));
        File.WriteAllText(Path.Combine(_temp, "542500-b.json"), CatalogJson(ItemJson("542500-B-01")));
        var store = new InMemoryCatalogStore();
        var first = await Seed(store).LoadAsync(_temp, CancellationToken.None);
        store.Writes.Clear();
        File.WriteAllText(Path.Combine(_temp, "542500-b.json"), CatalogJson(ItemJson("542500-B-01"), ItemJson("542500-B-02")));

        var load = await Seed(store).LoadAsync(_temp, CancellationToken.None);

        Assert.Equal(["upsert 542500-B-01", "upsert 542500-B-02", "save-version"], store.Writes);
        Assert.Equal(1, load.UnchangedFiles);
        Assert.NotEqual(first.Version, load.Version);
    }

    [Fact]
    public async Task LoadAsync_CrashBeforeTheVersion_IsRedoneAtTheNextStart()
    {
        File.WriteAllText(Path.Combine(_temp, "542500-a.json"), CatalogJson(ItemJson("542500-A-01")));
        var store = new InMemoryCatalogStore { FailSaveVersion = true };
        await Assert.ThrowsAsync<IOException>(() => Seed(store).LoadAsync(_temp, CancellationToken.None));
        store.FailSaveVersion = false;
        store.Writes.Clear();

        await Seed(store).LoadAsync(_temp, CancellationToken.None);

        Assert.Equal(["upsert 542500-A-01", "save-version"], store.Writes);
    }

    [Fact]
    public void VersionHash_DependsOnNamesAndHashes_NotOnOrder()
    {
        var one = CatalogSeed.VersionHash([new("a.json", "1"), new("b.json", "2")]);

        Assert.Equal(one, CatalogSeed.VersionHash([new("b.json", "2"), new("a.json", "1")]));
        Assert.NotEqual(one, CatalogSeed.VersionHash([new("a.json", "1"), new("b.json", "3")]));
        Assert.NotEqual(one, CatalogSeed.VersionHash([new("a.json", "1"), new("c.json", "2")]));
    }

    private static CatalogSeed Seed(ICatalogStore store) => new(store, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero)));

    private static string CatalogJson(params string[] items) => $$"""{ "items": [ {{string.Join(", ", items)}} ] }""";

    private static string ItemJson(string code) => $$"""
        {
          "itemCode": "{{code}}",
          "basicCode": "B-{{code}}",
          "name": { "zh": "测试事项" },
          "description": { "zh": "说明" },
          "itemType": "20",
          "level": "3",
          "departmentCode": "542500-TEST",
          "departmentName": { "zh": "测试局" },
          "divisionCode": "542500",
          "coImplementingDepartments": [],
          "legalTimeLimitDays": 20,
          "promisedTimeLimitDays": 10,
          "caseType": "2",
          "applicantKinds": ["1"],
          "channels": ["window", "web"],
          "fee": { "charged": false },
          "onlineCapable": true,
          "materials": [
            {
              "code": "M01",
              "name": { "zh": "申请表" },
              "issuingBody": { "zh": "公安机关" },
              "required": true,
              "acceptedContentTypes": ["application/pdf"],
              "maxSizeBytes": 5242880
            }
          ]
        }
        """;
}

using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;

namespace Ali.Serverless.Core.Tests.Catalog;

public class ServiceItemViewTests
{
    /// <summary>Name translated; description, department, legal basis, fee basis and the materials not.</summary>
    private static ServiceItem PartlyTranslated() => TestCatalog.PersonItem() with
    {
        Name = new LocalizedText("个体工商户设立登记", "ཚོང་པ་སྒེར་གྱི་ཐོ་འགོད།"),
        Description = new LocalizedText("说明"),
        DepartmentName = new LocalizedText("阿里地区市场监督管理局"),
        LegalBasis = new LocalizedText("《促进个体工商户发展条例》"),
        Fee = new Fee(true, new LocalizedText("收费依据")),
        Materials =
        [
            TestCatalog.Material("M01", "申请书", true, ["application/pdf"], TestCatalog.MiB) with
            {
                Name = new LocalizedText("申请书", "རེ་ཞུ།"),
                IssuingBody = new LocalizedText("公安机关"),
            },
            TestCatalog.Material("M02", "居民身份证", true, ["image/jpeg"], TestCatalog.MiB),
        ],
    };

    [Fact]
    public void From_Tibetan_ListsEveryUntranslatedFieldByPath()
    {
        var view = ServiceItemView.From(PartlyTranslated(), Language.Tibetan);

        Assert.NotNull(view.Untranslated);
        Assert.Equal(
            ["departmentName", "description", "feeBasis", "legalBasis", "materials[0].issuingBody", "materials[1].name"],
            view.Untranslated.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void From_Tibetan_ShowsTheResultLicenceInChinese_AndListsIt_AndTheReusableLicenceType()
    {
        var item = TestCatalog.PersonItem() with
        {
            Name = new LocalizedText("个体工商户设立登记", "ཚོང་པ་སྒེར་གྱི་ཐོ་འགོད།"),
            DepartmentName = new LocalizedText("阿里地区市场监督管理局", "མངའ་རིས།"),
            Description = null,
            Materials = [TestCatalog.Material("M01", "营业执照", true, ["application/pdf"], TestCatalog.MiB) with { Name = new LocalizedText("营业执照", "ལག་ཁྱེར།"), LicenceType = "GTGSHYYZZ" }],
            ResultLicence = new ResultLicence { TypeCode = "GTGSHYYZZ", Name = new LocalizedText("个体工商户营业执照"), ValidityYears = 5 },
        };

        var view = ServiceItemView.From(item, Language.Tibetan);

        Assert.Equal(new ResultLicenceView("GTGSHYYZZ", "个体工商户营业执照", 5), view.ResultLicence);
        Assert.Equal(["resultLicence.name"], view.Untranslated!);
        Assert.Equal("GTGSHYYZZ", view.Materials.Single().LicenceType);
        Assert.Null(ServiceItemView.From(TestCatalog.PersonItem(), Language.Chinese).ResultLicence);
    }

    [Fact]
    public void From_Tibetan_ShowsTibetanWhereTranslatedAndChineseElsewhere()
    {
        var view = ServiceItemView.From(PartlyTranslated(), Language.Tibetan);

        Assert.Equal("bo", view.Language);
        Assert.Equal("ཚོང་པ་སྒེར་གྱི་ཐོ་འགོད།", view.Name);
        Assert.Equal("阿里地区市场监督管理局", view.DepartmentName);
        Assert.Equal("རེ་ཞུ།", view.Materials[0].Name);
        Assert.Equal("居民身份证", view.Materials[1].Name);
    }

    [Fact]
    public void From_Chinese_ListsNoUntranslatedField()
    {
        var view = ServiceItemView.From(PartlyTranslated(), Language.Chinese);

        Assert.True(view.Untranslated is null || view.Untranslated.Count == 0);
        Assert.Equal("个体工商户设立登记", view.Name);
    }

    [Fact]
    public void From_Tibetan_FullyTranslated_ListsNoUntranslatedField()
    {
        var item = TestCatalog.PersonItem() with
        {
            Name = new LocalizedText("名称", "མིང་།"),
            Description = null,
            DepartmentName = new LocalizedText("部门", "སྡེ་ཚན།"),
            Materials = [TestCatalog.Material("M01", "申请书", true, ["application/pdf"], TestCatalog.MiB) with { Name = new LocalizedText("申请书", "རེ་ཞུ།") }],
        };

        var view = ServiceItemView.From(item, Language.Tibetan);

        Assert.True(view.Untranslated is null || view.Untranslated.Count == 0);
    }

    [Fact]
    public void From_GivesChannelsInTheirWireNames()
    {
        var view = ServiceItemView.From(TestCatalog.NoWebItem(), Language.Chinese);

        Assert.Equal(["window", "mobile"], view.Channels);
    }

    [Fact]
    public void Summary_Tibetan_WithUntranslatedDepartment_IsMarkedUntranslated()
    {
        var summary = ServiceItemSummary.From(PartlyTranslated(), Language.Tibetan);

        Assert.True(summary.TranslationMissing);
        Assert.Equal("ཚོང་པ་སྒེར་གྱི་ཐོ་འགོད།", summary.Name);
        Assert.Equal("阿里地区市场监督管理局", summary.DepartmentName);
    }

    [Fact]
    public void Summary_Tibetan_WithUntranslatedName_IsMarkedUntranslated()
    {
        var item = PartlyTranslated() with
        {
            Name = new LocalizedText("个体工商户设立登记"),
            DepartmentName = new LocalizedText("部门", "སྡེ་ཚན།"),
        };

        Assert.True(ServiceItemSummary.From(item, Language.Tibetan).TranslationMissing);
    }

    [Fact]
    public void Summary_Tibetan_WithNameAndDepartmentTranslated_IsNotMarked()
    {
        var item = PartlyTranslated() with { DepartmentName = new LocalizedText("部门", "སྡེ་ཚན།") };

        Assert.False(ServiceItemSummary.From(item, Language.Tibetan).TranslationMissing);
    }

    [Fact]
    public void Summary_Chinese_IsNeverMarkedUntranslated()
    {
        Assert.False(ServiceItemSummary.From(PartlyTranslated(), Language.Chinese).TranslationMissing);
    }
}

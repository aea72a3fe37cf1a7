using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Translations;

/// <summary>
/// One kind of translatable data: a JSON file (or a folder of them) holding a list of entries, each named by
/// a key, with <c>{"zh", "bo"}</c> texts at known field paths. A text's unit id is
/// <c>{Name}:{key}:{field path}</c>, so it says where the text lives and does not change when entries are
/// reordered or other fields are edited.
/// </summary>
/// <param name="Name">The source's name, first part of every unit id and a line of the report.</param>
/// <param name="Location">Repository-relative path of the file, or of the folder when <paramref name="FilePattern"/> is set.</param>
/// <param name="FilePattern">Which files of the folder belong to the source, e.g. <c>*.json</c>.</param>
/// <param name="ListProperty">The root property holding the entries.</param>
/// <param name="KeyProperty">The entry property that names it uniquely (item code, template id).</param>
/// <param name="Fields">
/// Where an entry's texts are, as property paths separated by <c>/</c>. <c>materials[code]/name</c> means: in
/// each element of the array <c>materials</c>, named by its <c>code</c>, the property <c>name</c>. A field that
/// is absent is a text the entry does not have, not a missing translation. A source with a single field leaves
/// it out of the id (<c>terms:outcome.approve</c>).
/// </param>
/// <param name="FieldLabels">What each field is, for the translator's note.</param>
/// <param name="DescribeEntry">The entry's context for the translator's note: its code and Chinese name.</param>
/// <param name="VersionProperty">An entry property raised by one when any of its texts changes (templates).</param>
/// <param name="CheckLoads">Loads an edited file the way the app does; throws if the edit broke it.</param>
/// <param name="TibetanLocation">
/// For texts kept one file per language (the web front ends' UI strings): the Tibetan file, a flat
/// <c>{"key": "text"}</c> object like the Chinese one at <paramref name="Location"/>. The key alone is the unit
/// id's second part, and the import writes into this file.
/// </param>
public sealed record TextSource(
    string Name,
    string Location,
    string? FilePattern,
    string ListProperty,
    string KeyProperty,
    IReadOnlyList<string> Fields,
    IReadOnlyDictionary<string, string> FieldLabels,
    Func<JsonObject, string> DescribeEntry,
    string? VersionProperty = null,
    Action<string>? CheckLoads = null,
    string? TibetanLocation = null)
{
    /// <summary>The source's files as repository-relative paths with <c>/</c>, in a stable order.</summary>
    public IReadOnlyList<string> FilesIn(string repositoryRoot)
    {
        var location = Path.Combine(repositoryRoot, Location);
        if (FilePattern is null)
        {
            return File.Exists(location)
                ? [Location]
                : throw new TranslationDataException($"Source '{Name}': the file {Location} does not exist under {repositoryRoot}.");
        }
        if (!Directory.Exists(location))
        {
            throw new TranslationDataException($"Source '{Name}': the folder {Location} does not exist under {repositoryRoot}.");
        }
        return Directory.EnumerateFiles(location, FilePattern)
            .Select(f => Path.GetRelativePath(repositoryRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>
/// Every source of texts that should exist in Tibetan. To translate another JSON file of the same
/// <c>{zh, bo}</c> shape (the web front ends' UI strings, say <c>{"strings": [{"id": ..., "text": {"zh": ...}}]}</c>),
/// add one line here; export, import and report pick it up.
/// </summary>
public static class TextSources
{
    public const string CatalogFolder = "functions/Ali.Serverless.Functions/Catalog";
    public const string TemplatesFile = "functions/Ali.Serverless.Functions/Notifications/templates.json";

    public static readonly TextSource Catalog = new(
        Name: "catalog",
        Location: CatalogFolder,
        FilePattern: "*.json",
        ListProperty: "items",
        KeyProperty: "itemCode",
        // Every LocalizedText of ServiceItem, Fee, MaterialRequirement and ResultLicence.
        Fields: ["name", "description", "departmentName", "legalBasis", "fee/basis", "materials[code]/name", "materials[code]/issuingBody", "resultLicence/name"],
        FieldLabels: new Dictionary<string, string>
        {
            ["name"] = "事项名称 item name",
            ["description"] = "事项描述 item description",
            ["departmentName"] = "实施主体 implementing department",
            ["legalBasis"] = "设定依据 legal basis",
            ["fee/basis"] = "收费依据 basis of the fee",
            ["materials[code]/name"] = "材料名称 material name",
            ["materials[code]/issuingBody"] = "出具机构 body that issues the material",
            ["resultLicence/name"] = "证照名称 name of the licence the item issues",
        },
        DescribeEntry: item => $"服务事项 service item {Key(item, "itemCode")}「{ChineseOf(item["name"])}」, {ChineseOf(item["departmentName"])}",
        CheckLoads: json => JsonSerializer.Deserialize<CatalogFile>(json, CatalogJson));

    public static readonly TextSource Templates = new(
        Name: "templates",
        Location: TemplatesFile,
        FilePattern: null,
        ListProperty: "templates",
        KeyProperty: "id",
        Fields: ["title", "body", "sms"],
        FieldLabels: new Dictionary<string, string>
        {
            ["title"] = "标题 title",
            ["body"] = "正文 body",
            ["sms"] = "短信 SMS text: keep it short, one or two SMS segments once the placeholders are filled",
        },
        DescribeEntry: t => $"通知模板 notification template {Key(t, "id")}: event {t["event"]}, audience {t["audience"]}",
        VersionProperty: "version",
        CheckLoads: json => TemplateCatalog.Parse(json));

    public static readonly TextSource Terms = new(
        Name: "terms",
        Location: TemplatesFile,
        FilePattern: null,
        ListProperty: "terms",
        KeyProperty: "id",
        Fields: ["text"],
        FieldLabels: new Dictionary<string, string> { ["text"] = "词语 the word, filled into notification texts through a placeholder" },
        DescribeEntry: t => $"术语 term {Key(t, "id")}",
        CheckLoads: json => TemplateCatalog.Parse(json));

    /// <summary>The web front ends' UI strings: every string in zh.json, the Tibetan ones in bo.json.</summary>
    public static readonly TextSource Ui = new(
        Name: "ui",
        Location: "web/src/i18n/zh.json",
        FilePattern: null,
        ListProperty: "",
        KeyProperty: "",
        Fields: ["text"],
        FieldLabels: new Dictionary<string, string> { ["text"] = "界面文字 UI text of the portal and the workbench; {name} is a placeholder" },
        DescribeEntry: _ => "",
        TibetanLocation: "web/src/i18n/bo.json");

    /// <summary>The sources in report order.</summary>
    public static readonly IReadOnlyList<TextSource> All = [Catalog, Templates, Terms, Ui];

    private static readonly JsonSerializerOptions CatalogJson = new(DocumentJson.Options)
    {
        // As CatalogSeed reads the files: a field it does not know stops the start.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record CatalogFile(IReadOnlyList<ServiceItem> Items);

    private static string Key(JsonObject entry, string property) => entry[property]?.ToString() ?? "?";

    private static string ChineseOf(JsonNode? text) => text is JsonObject o ? o[Language.Chinese]?.ToString() ?? "" : "";
}

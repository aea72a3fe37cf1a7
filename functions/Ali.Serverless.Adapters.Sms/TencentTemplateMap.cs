using System.Text.RegularExpressions;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// One of our templates in one language as Tencent knows it: the id Tencent gave the approved template,
/// and which of our placeholders fill its numbered parameters {1}, {2}, … in that order.
/// </summary>
public sealed record TencentTemplate(string Id, IReadOnlyList<string> ParameterNames);

/// <summary>
/// Our template id and language → Tencent's template. Tencent sends only texts it approved beforehand,
/// so every template with an SMS text needs an entry per language once its Tencent template is approved.
/// </summary>
public sealed partial class TencentTemplateMap
{
    private readonly Dictionary<(string TemplateId, string Language), TencentTemplate> _entries;

    public TencentTemplateMap(IEnumerable<KeyValuePair<(string TemplateId, string Language), TencentTemplate>> entries)
    {
        _entries = new Dictionary<(string, string), TencentTemplate>();
        foreach (var ((templateId, language), template) in entries)
        {
            // Tencent's template ids are numbers; a name here means the map was filled in wrongly.
            if (!TencentId().IsMatch(template.Id))
            {
                throw new ArgumentException($"The Tencent template for {templateId} ({language}) has id '{template.Id}'; Tencent's template ids are digits.", nameof(entries));
            }
            if (template.ParameterNames.FirstOrDefault(name => !PlaceholderName().IsMatch(name)) is { } bad)
            {
                throw new ArgumentException($"The Tencent template for {templateId} ({language}) names the parameter '{bad}'; parameters are our placeholder names, e.g. caseNumber.", nameof(entries));
            }
            if (!_entries.TryAdd((templateId, language), template))
            {
                throw new ArgumentException($"{templateId} ({language}) is mapped twice.", nameof(entries));
            }
        }
    }

    public static TencentTemplateMap Empty { get; } = new([]);

    public int Count => _entries.Count;

    public IEnumerable<(string TemplateId, string Language, TencentTemplate Template)> Entries =>
        _entries.Select(e => (e.Key.TemplateId, e.Key.Language, e.Value));

    public TencentTemplate? Find(string templateId, string language) =>
        _entries.GetValueOrDefault((templateId, language));

    [GeneratedRegex(@"^\d{1,20}$")]
    private static partial Regex TencentId();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex PlaceholderName();
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Ali.Serverless.Common;

namespace Ali.Serverless.Notifications;

/// <summary>
/// One message template: a title and body for the inbox and, for applicants, a short SMS text, each in
/// Chinese and, once translators supply it, Tibetan. Placeholders are named in braces ({caseNumber}).
/// <see cref="Version"/> goes up whenever any of its texts changes; each notification records it.
/// </summary>
public sealed record NotificationTemplate
{
    /// <summary>{event}.{audience}, e.g. <c>accepted.applicant</c>.</summary>
    public required string Id { get; init; }

    public required string Event { get; init; }

    /// <summary><c>applicant</c>, <c>department</c> or <c>supervisor</c>.</summary>
    public required string Audience { get; init; }

    public required int Version { get; init; }
    public required LocalizedText Title { get; init; }
    public required LocalizedText Body { get; init; }

    /// <summary>Short text for SMS (applicants only): one or two segments once filled.</summary>
    public LocalizedText? Sms { get; init; }
}

/// <summary>Who a template speaks to.</summary>
public static class Audiences
{
    public const string Applicant = "applicant";
    public const string Department = "department";
    public const string Supervisor = "supervisor";

    public static readonly IReadOnlyList<string> All = [Applicant, Department, Supervisor];
}

/// <summary>The placeholders templates may use; a template naming any other fails to load.</summary>
public static partial class Placeholders
{
    public const string CaseNumber = "caseNumber";
    public const string ItemName = "itemName";
    public const string DueDate = "dueDate";
    public const string LegalDueDate = "legalDueDate";
    public const string Materials = "materials";
    public const string Opinion = "opinion";
    public const string Outcome = "outcome";
    public const string Procedure = "procedure";
    public const string TaskKind = "taskKind";
    public const string Level = "level";
    public const string Department = "department";

    public static readonly IReadOnlyList<string> All =
        [CaseNumber, ItemName, DueDate, LegalDueDate, Materials, Opinion, Outcome, Procedure, TaskKind, Level, Department];

    /// <summary>The placeholder names a text uses, in order of appearance.</summary>
    public static IReadOnlyList<string> In(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Fills every placeholder; a name without a value throws, so a text never goes out with braces in it.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Pattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new KeyNotFoundException($"No value for the placeholder {{{m.Groups[1].Value}}}."));

    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>The templates, loaded from their data file and checked once at start.</summary>
public sealed class TemplateCatalog
{
    private readonly Dictionary<string, NotificationTemplate> _byId;

    private readonly Dictionary<string, LocalizedText> _terms;

    private TemplateCatalog(IEnumerable<NotificationTemplate> templates, IEnumerable<Term> terms)
    {
        _byId = templates.ToDictionary(t => t.Id, StringComparer.Ordinal);
        _terms = terms.ToDictionary(t => t.Id, t => t.Text, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<NotificationTemplate> All => _byId.Values;

    /// <summary>Words filled into placeholders (outcomes, task kinds, procedures), by id such as <c>outcome.approve</c>.</summary>
    public IReadOnlyDictionary<string, LocalizedText> Terms => _terms;

    public NotificationTemplate? Find(string eventType, string audience) => _byId.GetValueOrDefault($"{eventType}.{audience}");

    /// <summary>
    /// Parses <c>{"templates": [...]}</c>. Refuses, naming the template: a duplicate id, an id that is not
    /// {event}.{audience}, an unknown audience, a version below 1, a missing Chinese text, and an unknown placeholder.
    /// </summary>
    public static TemplateCatalog Parse(string json)
    {
        var file = JsonSerializer.Deserialize<TemplateFile>(json, DocumentJson.Options) ?? throw new FormatException("The template file is empty.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in file.Templates)
        {
            var where = $"Template '{t.Id}'";
            if (!seen.Add(t.Id))
            {
                throw new FormatException($"{where} is defined twice.");
            }
            if (t.Id != $"{t.Event}.{t.Audience}" || !Audiences.All.Contains(t.Audience))
            {
                throw new FormatException($"{where}: the id is {{event}}.{{audience}} with audience one of {string.Join(", ", Audiences.All)}.");
            }
            if (t.Version < 1)
            {
                throw new FormatException($"{where}: version starts at 1.");
            }
            foreach (var (field, text) in new[] { ("title", t.Title), ("body", t.Body), ("sms", t.Sms) })
            {
                if (text is null)
                {
                    continue;
                }
                if (string.IsNullOrWhiteSpace(text.Zh))
                {
                    throw new FormatException($"{where}: {field} has no Chinese text.");
                }
                foreach (var name in Placeholders.In(text.Zh).Concat(text.Bo is null ? [] : Placeholders.In(text.Bo)))
                {
                    if (!Placeholders.All.Contains(name))
                    {
                        throw new FormatException($"{where}: {field} uses the unknown placeholder {{{name}}}; known: {string.Join(", ", Placeholders.All)}.");
                    }
                }
            }
        }
        var terms = file.Terms ?? [];
        if (terms.FirstOrDefault(t => string.IsNullOrWhiteSpace(t.Text?.Zh)) is { } bare)
        {
            throw new FormatException($"Term '{bare.Id}' has no Chinese text.");
        }
        if (terms.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FormatException($"Term '{twice.Key}' is defined twice.");
        }
        return new TemplateCatalog(file.Templates, terms);
    }

    public static TemplateCatalog Load(string path) => Parse(File.ReadAllText(path));

    private sealed record TemplateFile(IReadOnlyList<NotificationTemplate> Templates, IReadOnlyList<Term>? Terms);

    /// <summary>A word or phrase filled into templates, translated like them.</summary>
    public sealed record Term(string Id, LocalizedText Text);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ali.Serverless.WorkingDays;

/// <summary>
/// The working-day calendar (工作日历) read from the operators' data files, one per year and region
/// (<c>2026-cn.json</c>, <c>2026-540000.json</c>, ...). Layers apply in the order of the region chain,
/// national first: a later layer's entry for a date replaces an earlier one. Days without an entry
/// follow the week: Monday to Friday work, Saturday and Sunday rest. A year is covered when the
/// first layer of the chain (the national arrangement) has a file for it.
/// </summary>
public sealed class WorkingCalendar : IWorkingCalendar
{
    private const string Holiday = "holiday";
    private const string Workday = "workday";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field ("form" for "from") must stop the start, not be skipped.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    private readonly IReadOnlyDictionary<DateOnly, bool> _days;
    private readonly HashSet<int> _covered;

    private WorkingCalendar(IReadOnlyDictionary<DateOnly, bool> days, HashSet<int> covered)
    {
        _days = days;
        _covered = covered;
        CoveredYears = [.. covered.Order()];
    }

    /// <summary>The years whose national arrangement is loaded, ascending.</summary>
    public IReadOnlyList<int> CoveredYears { get; }

    public bool Covers(int year) => _covered.Contains(year);

    public bool IsWorkingDay(DateOnly date)
    {
        // Entries exist only for covered years: a regional file without its national year is refused.
        if (_days.TryGetValue(date, out var working))
        {
            return working;
        }
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// Reads calendar documents (JSON text). <paramref name="regionChain"/> names the layers in order,
    /// e.g. ["cn", "540000", "542500"]; documents of other regions are validated, then ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">A document is malformed; the message names it and the entry.</exception>
    public static WorkingCalendar Parse(IEnumerable<string> jsonDocuments, IReadOnlyList<string> regionChain)
    {
        ArgumentNullException.ThrowIfNull(jsonDocuments);
        return Build(jsonDocuments.Select((json, i) => ($"calendar document {i + 1}", json, (string?)null)), regionChain);
    }

    /// <summary>
    /// Reads every <c>*.json</c> file of <paramref name="directory"/>. Each file must be named
    /// <c>{year}-{region}.json</c> after its own content, so that a copied file whose year was not
    /// changed fails instead of loading last year's holidays twice.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed; the message names the file and the entry.</exception>
    public static WorkingCalendar LoadDirectory(string directory, IReadOnlyList<string> regionChain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The working-day calendar folder {directory} does not exist.");
        }
        var files = Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path), (string?)Path.GetFileName(path)))
            .ToList();
        return Build(files, regionChain);
    }

    private static WorkingCalendar Build(IEnumerable<(string Name, string Json, string? FileName)> documents, IReadOnlyList<string> regionChain)
    {
        ArgumentNullException.ThrowIfNull(regionChain);
        if (regionChain.Count == 0 || regionChain.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The region chain needs at least the national layer and no blank region.", nameof(regionChain));
        }
        if (regionChain.Distinct(StringComparer.Ordinal).Count() != regionChain.Count)
        {
            throw new ArgumentException($"The region chain [{string.Join(", ", regionChain)}] names a region twice.", nameof(regionChain));
        }

        var files = new Dictionary<(int Year, string Region), CalendarFile>();
        foreach (var (name, json, fileName) in documents)
        {
            var file = Read(name, json);
            if (fileName is not null && fileName != $"{file.Year}-{file.Region}.json")
            {
                throw new InvalidDataException($"{name}: holds year {file.Year}, region \"{file.Region}\", so it must be named {file.Year}-{file.Region}.json.");
            }
            if (!files.TryAdd((file.Year, file.Region), file))
            {
                throw new InvalidDataException($"{name}: a second calendar for year {file.Year}, region \"{file.Region}\" (the first is {files[(file.Year, file.Region)].Name}).");
            }
        }

        var national = regionChain[0];
        var covered = files.Keys.Where(k => k.Region == national).Select(k => k.Year).ToHashSet();
        var days = new Dictionary<DateOnly, bool>();
        foreach (var region in regionChain)
        {
            foreach (var file in files.Values.Where(f => f.Region == region).OrderBy(f => f.Year))
            {
                // A regional notice only adjusts the national arrangement; without it the year would count as weekdays.
                if (!covered.Contains(file.Year))
                {
                    throw new InvalidDataException($"{file.Name}: there is no {file.Year}-{national}.json for this {file.Year} calendar of region \"{region}\" to adjust.");
                }
                foreach (var (date, working) in file.Days)
                {
                    days[date] = working;
                }
            }
        }
        return new WorkingCalendar(days, covered);
    }

    private static CalendarFile Read(string name, string json)
    {
        CalendarDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CalendarDocument>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: not a calendar file: {e.Message}", e);
        }
        if (document is null)
        {
            throw new InvalidDataException($"{name}: is empty.");
        }
        // A four-digit year in this century: "20026" or a missing year (0) is a typo, not a calendar.
        if (document.Year is < 2000 or > 2099)
        {
            throw new InvalidDataException($"{name}: year {document.Year} is missing or not a year of this century.");
        }
        if (string.IsNullOrWhiteSpace(document.Region))
        {
            throw new InvalidDataException($"{name}: has no region (\"cn\" for the national arrangement, or a division code such as \"540000\").");
        }
        if (string.IsNullOrWhiteSpace(document.Source))
        {
            throw new InvalidDataException($"{name}: has no source (issuer, document, date).");
        }
        if (document.Entries is null || document.Entries.Count == 0)
        {
            throw new InvalidDataException($"{name}: has no entries.");
        }

        var days = new Dictionary<DateOnly, bool>();
        for (var i = 0; i < document.Entries.Count; i++)
        {
            var entry = document.Entries[i];
            var where = $"{name}: entry {i + 1}" + (string.IsNullOrWhiteSpace(entry?.Name) ? "" : $" (\"{entry.Name}\")");
            if (entry is null)
            {
                throw new InvalidDataException($"{where} is null.");
            }
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new InvalidDataException($"{where} has no name.");
            }
            if (string.IsNullOrWhiteSpace(entry.Source))
            {
                throw new InvalidDataException($"{where} has no source (issuer, document, date).");
            }
            var working = entry.Kind switch
            {
                Holiday => false,
                Workday => true,
                _ => throw new InvalidDataException($"{where} has kind \"{entry.Kind}\"; it must be \"{Holiday}\" or \"{Workday}\"."),
            };
            var (from, to) = Span(entry, where);
            if (to < from)
            {
                throw new InvalidDataException($"{where}: \"to\" {to:yyyy-MM-dd} is before \"from\" {from:yyyy-MM-dd}.");
            }
            if (from.Year != document.Year || to.Year != document.Year)
            {
                throw new InvalidDataException($"{where}: {from:yyyy-MM-dd}..{to:yyyy-MM-dd} is outside the file's year {document.Year}.");
            }
            for (var date = from; date <= to; date = date.AddDays(1))
            {
                if (!days.TryAdd(date, working))
                {
                    throw new InvalidDataException($"{where}: {date:yyyy-MM-dd} is already given by an earlier entry of this file.");
                }
            }
        }
        return new CalendarFile(name, document.Year, document.Region, days);
    }

    private static (DateOnly From, DateOnly To) Span(CalendarEntry entry, string where)
    {
        if (entry.Date is not null)
        {
            if (entry.From is not null || entry.To is not null)
            {
                throw new InvalidDataException($"{where} has both \"date\" and \"from\"/\"to\"; give one day or one span.");
            }
            var day = ParseDate(entry.Date, "date", where);
            return (day, day);
        }
        if (entry.From is null || entry.To is null)
        {
            throw new InvalidDataException($"{where} needs \"date\", or both \"from\" and \"to\".");
        }
        return (ParseDate(entry.From, "from", where), ParseDate(entry.To, "to", where));
    }

    private static DateOnly ParseDate(string text, string field, string where) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidDataException($"{where}: \"{field}\" \"{text}\" is not a date (yyyy-MM-dd).");

    private sealed record CalendarFile(string Name, int Year, string Region, IReadOnlyDictionary<DateOnly, bool> Days);

    private sealed record CalendarDocument(int Year, string? Region, string? Source, IReadOnlyList<CalendarEntry?>? Entries);

    private sealed record CalendarEntry(string? Date, string? From, string? To, string? Kind, string? Name, string? Source);
}

namespace Ali.Serverless.Core.Tests.WorkingDays;

/// <summary>Small calendar documents written in a test, and the shipped national 2026 file as text.</summary>
internal static class CalendarJson
{
    public static string National2026 => File.ReadAllText(Path.Combine(ShippedCalendar.Folder, "2026-cn.json"));

    public static string Document(int year, string region, params string[] entries) =>
        $$"""{ "year": {{year}}, "region": "{{region}}", "source": "test notice", "entries": [ {{string.Join(", ", entries)}} ] }""";

    public static string Day(string date, string kind, string name = "test day", string source = "test notice") =>
        $$"""{ "date": "{{date}}", "kind": "{{kind}}", "name": "{{name}}", "source": "{{source}}" }""";

    public static string Span(string from, string to, string kind, string name = "test span", string source = "test notice") =>
        $$"""{ "from": "{{from}}", "to": "{{to}}", "kind": "{{kind}}", "name": "{{name}}", "source": "{{source}}" }""";
}

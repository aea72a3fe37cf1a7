using System.Globalization;
using Ali.Serverless.WorkingDays;
using static Ali.Serverless.Core.Tests.WorkingDays.CalendarJson;

namespace Ali.Serverless.Core.Tests.WorkingDays;

/// <summary>
/// The loader: layering of national, regional and prefecture files, and its refusals. An operator's typo
/// must stop the start with the file and entry named, never shift a due date quietly.
/// </summary>
public sealed class WorkingCalendarTests : IDisposable
{
    private static readonly string[] Tibet = ["cn", "540000"];
    private static readonly string[] Ali = ["cn", "540000", "542500"];

    private readonly string _temp = Directory.CreateTempSubdirectory("ali-calendar-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    // ---- layering ----

    [Fact]
    public void Parse_NoEntryForADate_MondayToFridayWorkWeekendsRest()
    {
        var calendar = WorkingCalendar.Parse([Document(2030, "cn", Day("2030-01-01", "holiday"))], ["cn"]);

        Assert.True(calendar.IsWorkingDay(D("2030-01-04"))); // Friday
        Assert.False(calendar.IsWorkingDay(D("2030-01-05"))); // Saturday
        Assert.False(calendar.IsWorkingDay(D("2030-01-06"))); // Sunday
        Assert.True(calendar.IsWorkingDay(D("2030-01-07"))); // Monday
    }

    [Fact]
    public void Parse_RegionalWorkday_ReplacesTheNationalHoliday()
    {
        var calendar = WorkingCalendar.Parse(
            [Document(2030, "cn", Day("2030-02-04", "holiday")), Document(2030, "540000", Day("2030-02-04", "workday"))],
            Tibet);

        Assert.True(calendar.IsWorkingDay(D("2030-02-04")));
    }

    [Fact]
    public void Parse_PrefectureEntry_ReplacesTheRegionalOne()
    {
        var calendar = WorkingCalendar.Parse(
            [
                Document(2030, "542500", Day("2030-02-05", "workday")),
                Document(2030, "540000", Day("2030-02-05", "holiday")),
                Document(2030, "cn", Day("2030-01-01", "holiday")),
            ],
            Ali);

        Assert.True(calendar.IsWorkingDay(D("2030-02-05")));
    }

    [Fact]
    public void Parse_LayerOrder_IsTheChainsNotTheDocumentsOrder()
    {
        var documents = new[] { Document(2030, "540000", Day("2030-02-05", "holiday")), Document(2030, "cn", Day("2030-02-05", "workday")) };

        Assert.False(WorkingCalendar.Parse(documents, Tibet).IsWorkingDay(D("2030-02-05")));
        Assert.False(WorkingCalendar.Parse(documents.Reverse(), Tibet).IsWorkingDay(D("2030-02-05")));
        Assert.True(WorkingCalendar.Parse(documents, ["540000", "cn"]).IsWorkingDay(D("2030-02-05")));
    }

    [Fact]
    public void Parse_RegionOutsideTheChain_IsIgnored()
    {
        var calendar = WorkingCalendar.Parse(
            [Document(2030, "cn", Day("2030-01-01", "holiday")), Document(2030, "540000", Day("2030-02-05", "holiday"))],
            ["cn"]);

        Assert.True(calendar.IsWorkingDay(D("2030-02-05")));
    }

    [Fact]
    public void Parse_RegionOutsideTheChain_IsStillValidated()
    {
        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.Parse(
            [Document(2030, "cn", Day("2030-01-01", "holiday")), Document(2030, "530000", Day("2030-02-30", "holiday"))],
            ["cn"]));

        Assert.Contains("calendar document 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CoveredYears_AreTheYearsOfTheNationalLayer()
    {
        var calendar = WorkingCalendar.Parse(
            [Document(2031, "cn", Day("2031-01-01", "holiday")), Document(2030, "cn", Day("2030-01-01", "holiday"))],
            Tibet);

        Assert.Equal([2030, 2031], calendar.CoveredYears);
        Assert.True(calendar.Covers(2030));
        Assert.False(calendar.Covers(2032));
    }

    [Fact]
    public void Parse_SpanEntry_CoversEveryDayFromTo()
    {
        var calendar = WorkingCalendar.Parse([Document(2030, "cn", Span("2030-10-01", "2030-10-07", "holiday"))], ["cn"]);

        for (var day = D("2030-10-01"); day <= D("2030-10-07"); day = day.AddDays(1))
        {
            Assert.False(calendar.IsWorkingDay(day), day.ToString("O", CultureInfo.InvariantCulture));
        }
        Assert.True(calendar.IsWorkingDay(D("2030-10-08")));
    }

    [Fact]
    public void LoadDirectory_ReadsTheFilesOfTheFolder()
    {
        Write("2030-cn.json", Document(2030, "cn", Day("2030-01-01", "holiday")));
        Write("2030-540000.json", Document(2030, "540000", Day("2030-02-05", "holiday")));
        Write("README.md", "not a calendar");

        var calendar = WorkingCalendar.LoadDirectory(_temp, Tibet);

        Assert.False(calendar.IsWorkingDay(D("2030-02-05")));
        Assert.Equal([2030], calendar.CoveredYears);
    }

    // ---- refusals ----

    [Theory]
    [InlineData("2030-02-30")]
    [InlineData("2030/02/14")]
    [InlineData("2030-2-14")]
    [InlineData("")]
    public void Parse_BadDate_IsRefusedNamingTheEntry(string date)
    {
        var error = Refused(Document(2030, "cn", Day("2030-01-01", "holiday"), Day(date, "holiday", name: "bad")));

        Assert.Contains("calendar document 1: entry 2 (\"bad\")", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{date}\" is not a date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ToBeforeFrom_IsRefused()
    {
        var error = Refused(Document(2030, "cn", Span("2030-02-10", "2030-02-04", "holiday", name: "春节")));

        Assert.Contains("entry 1 (\"春节\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"to\" 2030-02-04 is before \"from\" 2030-02-10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2029-12-31", "2029-12-31")]
    [InlineData("2030-12-31", "2031-01-02")]
    public void Parse_DateOutsideTheFilesYear_IsRefused(string from, string to)
    {
        var error = Refused(Document(2030, "cn", Span(from, to, "holiday")));

        Assert.Contains("entry 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the file's year 2030", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("holliday")]
    [InlineData("Holiday")]
    [InlineData("rest")]
    [InlineData("")]
    public void Parse_UnknownKind_IsRefused(string kind)
    {
        var error = Refused(Document(2030, "cn", Day("2030-01-01", kind)));

        Assert.Contains("entry 1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"kind \"{kind}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EntryWithoutSource_IsRefused()
    {
        var error = Refused(Document(2030, "cn", Day("2030-01-01", "holiday"), """{ "date": "2030-01-02", "kind": "holiday", "name": "元旦" }"""));

        Assert.Contains("entry 2 (\"元旦\") has no source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EntryWithBlankSource_IsRefused()
    {
        var error = Refused(Document(2030, "cn", Day("2030-01-01", "holiday", source: "  ")));

        Assert.Contains("entry 1 (\"test day\") has no source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileWithoutSource_IsRefused()
    {
        var error = Refused("""{ "year": 2030, "region": "cn", "entries": [ { "date": "2030-01-01", "kind": "holiday", "name": "元旦", "source": "x" } ] }""");

        Assert.Contains("calendar document 1: has no source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameDateTwiceInOneFile_IsRefused()
    {
        var error = Refused(Document(2030, "cn", Day("2030-05-01", "holiday"), Day("2030-05-01", "workday", name: "again")));

        Assert.Contains("entry 2 (\"again\"): 2030-05-01 is already given", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverlappingSpansInOneFile_AreRefused()
    {
        var error = Refused(Document(2030, "cn", Span("2030-10-01", "2030-10-07", "holiday"), Span("2030-10-07", "2030-10-08", "holiday", name: "overlap")));

        Assert.Contains("entry 2 (\"overlap\"): 2030-10-07 is already given", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DateAndSpanInOneEntry_IsRefused()
    {
        var error = Refused(Document(2030, "cn", """{ "date": "2030-01-01", "from": "2030-01-01", "to": "2030-01-02", "kind": "holiday", "name": "x", "source": "y" }"""));

        Assert.Contains("entry 1 (\"x\") has both \"date\" and \"from\"/\"to\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SpanWithoutTo_IsRefused()
    {
        var error = Refused(Document(2030, "cn", """{ "from": "2030-01-01", "kind": "holiday", "name": "x", "source": "y" }"""));

        Assert.Contains("entry 1 (\"x\") needs \"date\", or both \"from\" and \"to\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MisspeltField_IsRefused()
    {
        var error = Refused(Document(2030, "cn", """{ "form": "2030-01-01", "to": "2030-01-02", "kind": "holiday", "name": "x", "source": "y" }"""));

        Assert.Contains("calendar document 1: not a calendar file", error.Message, StringComparison.Ordinal);
        Assert.Contains("form", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_IsRefused()
    {
        var error = Refused("{ \"year\": 2030, ");

        Assert.Contains("calendar document 1: not a calendar file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "region": "cn", "source": "s", "entries": [ { "date": "2030-01-01", "kind": "holiday", "name": "x", "source": "y" } ] }""")]
    [InlineData("""{ "year": 20030, "region": "cn", "source": "s", "entries": [ { "date": "2030-01-01", "kind": "holiday", "name": "x", "source": "y" } ] }""")]
    public void Parse_MissingOrImplausibleYear_IsRefused(string json)
    {
        var error = Refused(json);

        Assert.Contains("is missing or not a year of this century", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRegion_IsRefused()
    {
        var error = Refused("""{ "year": 2030, "source": "s", "entries": [ { "date": "2030-01-01", "kind": "holiday", "name": "x", "source": "y" } ] }""");

        Assert.Contains("has no region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoEntries_IsRefused()
    {
        var error = Refused(Document(2030, "cn"));

        Assert.Contains("has no entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EntryWithoutName_IsRefused()
    {
        var error = Refused(Document(2030, "cn", """{ "date": "2030-01-01", "kind": "holiday", "source": "y" }"""));

        Assert.Contains("entry 1 has no name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoFilesForOneYearAndRegion_AreRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.Parse(
            [Document(2030, "cn", Day("2030-01-01", "holiday")), Document(2030, "cn", Day("2030-01-02", "holiday"))],
            ["cn"]));

        Assert.Contains("calendar document 2: a second calendar for year 2030", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RegionalFileWithoutTheNationalYear_IsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.Parse(
            [Document(2030, "cn", Day("2030-01-01", "holiday")), Document(2031, "540000", Day("2031-02-05", "holiday"))],
            Tibet));

        Assert.Contains("calendar document 2: there is no 2031-cn.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cn,540000,cn")]
    [InlineData("cn, ")]
    public void Parse_BadRegionChain_IsRefused(string chain)
    {
        var regions = chain.Length == 0 ? [] : chain.Split(',');

        Assert.Throws<ArgumentException>(() => WorkingCalendar.Parse([Document(2030, "cn", Day("2030-01-01", "holiday"))], regions));
    }

    [Fact]
    public void LoadDirectory_BadEntry_NamesTheFile()
    {
        Write("2030-cn.json", Document(2030, "cn", Day("2030-01-01", "holiday")));
        Write("2030-540000.json", Document(2030, "540000", Span("2030-02-10", "2030-02-04", "holiday", name: "藏历新年")));

        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.LoadDirectory(_temp, Tibet));

        Assert.StartsWith("2030-540000.json: entry 1 (\"藏历新年\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectory_FileNamedForAnotherYear_IsRefused()
    {
        // Last year's file copied for next year, its content not yet changed.
        Write("2030-cn.json", Document(2030, "cn", Day("2030-01-01", "holiday")));
        Write("2031-cn.json", Document(2030, "cn", Day("2030-01-01", "holiday")));

        var error = Assert.Throws<InvalidDataException>(() => WorkingCalendar.LoadDirectory(_temp, ["cn"]));

        Assert.Contains("2031-cn.json: holds year 2030, region \"cn\", so it must be named 2030-cn.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectory_MissingFolder_IsRefused()
    {
        Assert.Throws<DirectoryNotFoundException>(() => WorkingCalendar.LoadDirectory(Path.Combine(_temp, "absent"), ["cn"]));
    }

    private static InvalidDataException Refused(string json) =>
        Assert.Throws<InvalidDataException>(() => WorkingCalendar.Parse([json], ["cn"]));

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_temp, name), text);

    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

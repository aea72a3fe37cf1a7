using Ali.Serverless.Statistics;
using static Ali.Serverless.Core.Tests.Statistics.StatisticsFixture;

namespace Ali.Serverless.Core.Tests.Statistics;

public sealed class StatisticsCsvTests
{
    private static string[][] Parse(string csv) =>
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToArray();

    [Fact]
    public void TheCsv_HasAHeader_ThenTheTotal_TheCounties_AndTheDepartments()
    {
        var report = StatisticsReport.From(StatisticsCalculator.Compute(February, Now, Items(), SeededCases(), Reviews(), Calendar), null, null, publicView: false);

        var rows = Parse(StatisticsCsv.Write(report));

        Assert.Equal(["period", "scope", "departmentCode", "departmentName", "divisionCode", "items", "onlineCapableItems", "onlineCapableRate"], rows[0][..8]);
        Assert.Equal(["total", "county", "county", "department", "department"], rows[1..].Select(r => r[1]));
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        var received = Array.IndexOf(rows[0], "received");
        var rate = Array.IndexOf(rows[0], "onTimePromisedRate");
        var rsj = rows.Single(r => r[2] == Rsj);
        Assert.Equal(("2026-02", "3", "0.6667", "阿里地区人力资源和社会保障局"), (rsj[0], rsj[received], rsj[rate], rsj[3]));
    }

    [Fact]
    public void AWithheldFigure_IsAnEmptyCell()
    {
        var report = StatisticsReport.From(StatisticsCalculator.Compute(February, Now, Items(), SeededCases(), Reviews(), Calendar), null, null, publicView: true);

        var rows = Parse(StatisticsCsv.Write(report));

        Assert.Equal("", rows[1][Array.IndexOf(rows[0], "received")]);
        Assert.Equal("12", rows[1][Array.IndexOf(rows[0], "items")]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("普兰县公安局", "普兰县公安局")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData(null, "")]
    public void ATextCell_CannotStartAFormula_AndIsQuotedWhenItMustBe(string? value, string expected)
    {
        Assert.Equal(expected, StatisticsCsv.Cell(value));
    }

    [Fact]
    public void ADepartmentNameThatLooksLikeAFormula_IsWrittenAsText()
    {
        var statistics = new MonthlyStatistics
        {
            Period = "2026-02",
            ComputedAt = Now,
            Cells = [new StatisticsCell { DepartmentCode = Rsj, DivisionCode = "542500", DepartmentName = "=cmd|' /C calc'!A0", Items = 1 }],
        };

        var csv = StatisticsCsv.Write(StatisticsReport.From(statistics, null, null, publicView: false));

        Assert.Contains(",'=cmd|' /C calc'!A0,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=cmd", csv, StringComparison.Ordinal);
    }
}

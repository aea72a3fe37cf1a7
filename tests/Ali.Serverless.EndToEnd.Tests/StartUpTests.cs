using System.Globalization;
using System.Net;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// What a fresh instance has ready when it first answers (decision 24): its start computed the current month's
/// statistics, which the hourly timer (off here) would otherwise compute up to an hour later, answering 404 meanwhile.
/// </summary>
public sealed class StartUpTests(FreshLocalHostProcess host) : IClassFixture<FreshLocalHostProcess>
{
    [Fact]
    public async Task AFreshHost_AnswersTheCurrentMonthsPublicStatistics_AtOnce()
    {
        var period = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var response = await host.Http.GetAsync($"/api/statistics/public?period={period}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(period, (await response.JsonAsync()).GetProperty("period").GetString());
    }

    [Fact]
    public async Task AFreshHost_StillAnswers404_ForAMonthNeverComputed()
    {
        var response = await host.Http.GetAsync("/api/statistics/public?period=2001-01");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

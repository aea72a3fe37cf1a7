using System.Net;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// A case's trail read whole, as a supervisor. The records of reads, requests and refusals are written behind the
/// answer (decision 29), so a test that has just made them waits until they are on the chain; each read of the trail
/// is itself such a record.
/// </summary>
internal static class AuditTrails
{
    /// <summary>The whole trail in one page (verification included), once <paramref name="until"/> holds for its records; at most 10 s.</summary>
    public static async Task<JsonElement> EventuallyAsync(HttpClient supervisor, string caseNumber, Func<IReadOnlyList<JsonElement>, bool> until, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var trail = await WholeAsync(supervisor, caseNumber);
            if (until(trail.GetProperty("records").EnumerateArray().ToList()))
            {
                return trail;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Not on the trail within 10 s: {what}");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonElement> WholeAsync(HttpClient supervisor, string caseNumber)
    {
        var response = await supervisor.GetAsync($"/api/cases/{caseNumber}/audit?pageSize=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.JsonAsync();
        Assert.False(page.TryGetProperty("continuationToken", out _));
        return page;
    }

    public static int Count(IReadOnlyList<JsonElement> records, string action) =>
        records.Count(r => r.GetProperty("action").GetString() == action);
}

using System.Net;

namespace Ali.Serverless.LoadTest.Bench;

/// <summary>
/// Opening, declaring, completing and submitting over HTTP, each beside its floor (<see cref="Floors"/>). Every worker is
/// its own applicant (its own partition, audit chain and rate-limit counter, as real applicants are), and the routes that
/// need prepared applications take them from a pool made before anything is timed: opened ones to declare on, declared
/// and uploaded ones to complete, ready ones to submit. The floors get pools of their own made the same way, so they
/// change documents of the same size. A pool bounds its scenario: the timed loop ends when it is used up.
/// </summary>
internal static class WriteRoutes
{
    public static async Task<List<Scenario>> PrepareAsync(BenchHttp api, Floors floors, int workers, int poolSize)
    {
        Console.WriteLine($"preparing the write routes' pools: {3 * poolSize} drafts to declare on, {poolSize} applications each to complete and to submit, and as many for the floors");
        var tokens = new Dictionary<string, string[]>();
        foreach (var family in new[] { "open", "declare", "complete", "submit", "floor-open", "floor-declare", "floor-complete", "floor-submit" })
        {
            tokens[family] = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => api.TokenAsync("applicant", Subject(family, w))));
        }

        async Task<Pool<(string Id, string? MaterialId)>> PoolAsync(string family, int stage, int size)
        {
            var pool = new Pool<(string Id, string? MaterialId)>(workers);
            await BenchHttp.PrepareAsync(size, workers, async i =>
            {
                var worker = i % workers;
                var token = tokens[family][worker];
                var id = await api.OpenAsync(token);
                string? materialId = null;
                if (stage >= 1)
                {
                    (materialId, var upload) = await api.DeclareAsync(token, id);
                    await api.UploadAsync(upload);
                    if (stage >= 2)
                    {
                        await api.CompleteAsync(token, id, materialId);
                    }
                }
                pool.Add(worker, (id, materialId));
            });
            return pool;
        }

        // Declaring is several times faster than completing or submitting, and its pool (opened drafts) the cheapest to make.
        var declarePool = 3 * poolSize;
        var declare = await PoolAsync("declare", 0, declarePool);
        var floorDeclare = await PoolAsync("floor-declare", 0, declarePool);
        var complete = await PoolAsync("complete", 1, poolSize);
        var floorComplete = await PoolAsync("floor-complete", 1, poolSize);
        var submit = await PoolAsync("submit", 2, poolSize);
        var floorSubmit = await PoolAsync("floor-submit", 2, poolSize);
        // The open floor copies an application the route opened: the same document, under the floor worker's owner.
        var templateId = await api.OpenAsync(tokens["open"][0]);
        var template = await floors.ReadAsync(Subject("open", 0), templateId);

        async Task<bool> Posted(HttpResponseMessage response, HttpStatusCode expected)
        {
            using (response)
            {
                if (response.StatusCode != expected)
                {
                    Console.Error.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                return response.StatusCode == expected;
            }
        }

        return
        [
            new("floor-open", "floor of opening", (w, ct) => floors.OpenAsync(Subject("floor-open", w), template, ct)) { IsFloor = true },
            new("open", "POST /api/applications", async (w, ct) =>
                await Posted(await api.SendAsync(HttpMethod.Post, "/api/applications", tokens["open"][w], BenchHttp.Application, ct), HttpStatusCode.Created)) { Floor = "floor-open" },
            new("floor-declare", "floor of declaring", (w, ct) => floors.DeclareAsync(Subject("floor-declare", w), floorDeclare.Take(w).Id, ct)) { IsFloor = true, Capacity = declarePool },
            new("declare", "POST /api/applications/{id}/materials", async (w, ct) =>
                await Posted(await api.SendAsync(HttpMethod.Post, $"/api/applications/{declare.Take(w).Id}/materials", tokens["declare"][w], BenchHttp.Declaration, ct), HttpStatusCode.Created))
                { Floor = "floor-declare", Capacity = declarePool },
            new("floor-complete", "floor of completing", (w, ct) => floors.CompleteAsync(Subject("floor-complete", w), floorComplete.Take(w).Id, ct)) { IsFloor = true, Capacity = poolSize },
            new("complete", "POST /api/applications/{id}/materials/{materialId}/complete", async (w, ct) =>
            {
                var (id, materialId) = complete.Take(w);
                return await Posted(await api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/materials/{materialId}/complete", tokens["complete"][w], null, ct), HttpStatusCode.OK);
            }) { Floor = "floor-complete", Capacity = poolSize },
            new("floor-submit", "floor of submitting", (w, ct) => floors.SubmitAsync(Subject("floor-submit", w), floorSubmit.Take(w).Id, ct)) { IsFloor = true, Capacity = poolSize },
            new("submit", "POST /api/applications/{id}/submit", async (w, ct) =>
                await Posted(await api.SendAsync(HttpMethod.Post, $"/api/applications/{submit.Take(w).Id}/submit", tokens["submit"][w], null, ct), HttpStatusCode.Accepted))
                { Floor = "floor-submit", Capacity = poolSize },
        ];
    }

    private static string Subject(string family, int worker) => $"bench-{family}-{worker}";
}

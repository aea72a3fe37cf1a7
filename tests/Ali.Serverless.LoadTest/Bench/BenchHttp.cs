using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ali.Serverless.LoadTest.Bench;

/// <summary>
/// The portal's and workbench's side of the API, as the benchmark needs it: development tokens of each role,
/// and the intake steps (open, declare, upload, complete, submit) used to prepare state before anything is timed.
/// </summary>
internal sealed class BenchHttp(HttpClient http)
{
    /// <summary>社会保障卡补领 (RSJ): web, natural person, one required material (M01, PDF/JPEG/PNG).</summary>
    public const string Item = "542500-RSJ-20002";
    public const string Department = "542500-RSJ";
    public const int MaterialBytes = 2048;

    public static readonly object Application = new
    {
        itemCode = Item,
        channel = "web",
        applicant = new { kind = "natural-person", documentNumber = "11010519491231002X", name = "次仁卓玛", phone = "13900000000" },
        fields = new Dictionary<string, string> { ["reason"] = "补领" },
    };

    /// <summary>A small PDF, the same for every material (its hash is declared with it).</summary>
    public static readonly byte[] Pdf = UploadTarget.Pdf(MaterialBytes, new Random(11));

    public static readonly string PdfSha256 = Convert.ToHexStringLower(SHA256.HashData(Pdf));

    public static readonly object Declaration = new { materialCode = "M01", fileName = "申请表.pdf", contentType = "application/pdf", sizeBytes = (long)MaterialBytes, sha256 = PdfSha256 };

    public HttpClient Client => http;

    public Task<string> TokenAsync(string role, string subject, string? department = null) => LifecycleApi.TokenAsync(http, role, subject, department);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return http.SendAsync(request, cancellationToken);
    }

    /// <summary>A GET as a scenario call: success is any 2xx.</summary>
    public async Task<bool> GetOkAsync(string path, string? token, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token, null, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public async Task<string> OpenAsync(string token)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/applications", token, Application);
        await EnsureAsync(response, HttpStatusCode.Created, "open an application");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Declares M01; returns the material id and where to upload it.</summary>
    public async Task<(string MaterialId, JsonElement Upload)> DeclareAsync(string token, string applicationId)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/materials", token, Declaration);
        await EnsureAsync(response, HttpStatusCode.Created, "declare a material");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("material").GetProperty("id").GetString()!, body.GetProperty("upload").Clone());
    }

    /// <summary>PUTs the PDF to the upload target with only the headers it names, as a browser does.</summary>
    public async Task UploadAsync(JsonElement upload)
    {
        using var request = UploadTarget.Put(upload, Pdf);
        using var response = await http.SendAsync(request);
        await EnsureAsync(response, HttpStatusCode.Created, "upload a material to Azurite");
    }

    public async Task CompleteAsync(string token, string applicationId, string materialId)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/materials/{materialId}/complete", token);
        await EnsureAsync(response, HttpStatusCode.OK, "complete a material");
    }

    public async Task<string> SubmitAsync(string token, string applicationId)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/submit", token);
        await EnsureAsync(response, HttpStatusCode.Accepted, "submit an application");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumber").GetString()!;
    }

    public async Task<JsonElement> GetJsonAsync(string path, string? token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        await EnsureAsync(response, HttpStatusCode.OK, $"read {path}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>Runs <paramref name="count"/> preparation steps on <paramref name="concurrency"/> workers (untimed).</summary>
    public static async Task PrepareAsync(int count, int concurrency, Func<int, Task> step)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await step(i);
            }
        }));
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

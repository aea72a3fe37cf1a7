using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// The API as the pipeline and soak scenarios speak it: tokens per role, and every call counted, so a
/// run can say how many answers were 5xx (there must be none) and how many were other refusals.
/// </summary>
internal sealed class LifecycleApi(HttpClient http)
{
    private int _serverErrors;
    private int _otherErrors;
    private int _requests;
    private int _retried;

    public int ServerErrors => _serverErrors;
    public int OtherErrors => _otherErrors;
    public int Requests => _requests;

    /// <summary>Answers refused as a transient conflict (409 other than task-not-open) and sent again later.</summary>
    public int RetriedConflicts => _retried;

    public void Retried() => Interlocked.Increment(ref _retried);

    /// <summary>What went wrong most recently, for the report when something did (never personal data: routes and problem types only).</summary>
    public string? LastError { get; private set; }

    public Uri BaseAddress => http.BaseAddress!;

    public static async Task<string> TokenAsync(HttpClient http, string role, string subject, string? department = null)
    {
        using var response = await http.PostAsJsonAsync("/api/dev/token", new { role, subject, department });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// Sends one request as the holder of <paramref name="token"/>. <paramref name="expected"/> lists refusals
    /// that are part of the scenario (a task already done when its message comes twice); they are not errors.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string token, object? body = null,
        CancellationToken cancellationToken = default, params HttpStatusCode[] expected)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        Interlocked.Increment(ref _requests);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
            LastError = $"{method} {Shape(path)}: {status} {ProblemType(json)}";
        }
        else if (status >= 400 && !expected.Contains(response.StatusCode))
        {
            Interlocked.Increment(ref _otherErrors);
            LastError = $"{method} {Shape(path)}: {status} {ProblemType(json)}";
        }
        return (response.StatusCode, json);
    }

    /// <summary>Opens an application, declares, uploads and completes its materials (small files): ready to submit.</summary>
    public async Task<string?> PrepareAsync(string token, object application, IReadOnlyList<string> materialCodes, CancellationToken cancellationToken)
    {
        var (status, opened) = await SendAsync(HttpMethod.Post, "/api/applications", token, application, cancellationToken);
        if (status != HttpStatusCode.Created)
        {
            return null;
        }
        var id = opened.GetProperty("id").GetString()!;
        foreach (var code in materialCodes)
        {
            if (!await ProvideAsync(token, id, code, cancellationToken))
            {
                return null;
            }
        }
        return id;
    }

    private async Task<bool> ProvideAsync(string token, string applicationId, string materialCode, CancellationToken cancellationToken)
    {
        var bytes = SmallPdf();
        var (status, declared) = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/materials", token, new
        {
            materialCode,
            fileName = $"{materialCode}.pdf",
            contentType = "application/pdf",
            sizeBytes = bytes.LongLength,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        }, cancellationToken);
        if (status != HttpStatusCode.Created)
        {
            return false;
        }
        // The bytes go straight to Blob Storage with exactly the headers the API named, as a browser sends them.
        var upload = declared.GetProperty("upload");
        using var put = UploadTarget.Put(upload, bytes);
        using var stored = await http.SendAsync(put, cancellationToken);
        if (!stored.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _otherErrors);
            LastError = $"PUT upload target: {(int)stored.StatusCode}";
            return false;
        }
        var materialId = declared.GetProperty("material").GetProperty("id").GetString();
        var (completed, _) = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/materials/{materialId}/complete", token, null, cancellationToken);
        return completed == HttpStatusCode.OK;
    }

    /// <summary>A few hundred bytes that pass the PDF signature check: the seeding cost is the requests, not the bytes.</summary>
    private static byte[] SmallPdf() => UploadTarget.Pdf(256, Random.Shared);

    public static string ProblemType(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("type", out var type) ? type.GetString() ?? "" : "";

    /// <summary>The route without ids, so errors group by route.</summary>
    private static string Shape(string path) =>
        string.Join('/', path.Split('?')[0].Split('/').Select(part => part.Length >= 16 && part.Any(char.IsDigit) ? "{id}" : part));

    public static object NaturalPerson(string itemCode) => new
    {
        itemCode,
        channel = "web",
        applicant = new { kind = "natural-person", documentNumber = "11010519491231002X", name = "次仁卓玛" },
    };

    public static object LegalPerson(string itemCode) => new
    {
        itemCode,
        channel = "web",
        applicant = new { kind = "legal-person", documentNumber = "91350100M000100Y43", name = "阿里高原能源有限公司" },
    };
}

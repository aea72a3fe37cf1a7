using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Small helpers that speak the API the way a portal or app would.</summary>
public static class Api
{
    /// <summary>社会保障卡申领: a natural-person item with a required PDF/JPEG/PNG identity card copy.</summary>
    public const string SocialSecurityCardItem = "542500-RSJ-20001";

    public const string ValidIdNumber = "11010519491231002X";

    public static object Application(string itemCode = SocialSecurityCardItem, string channel = "web", string idNumber = ValidIdNumber) => new
    {
        itemCode,
        channel,
        applicant = new { kind = "natural-person", documentNumber = idNumber, name = "次仁卓玛", phone = "13900000000" },
        fields = new Dictionary<string, string> { ["reason"] = "首次申领" },
    };

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> OpenAsync(this HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync("/api/applications", body ?? Application());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> ItemAsync(this HttpClient client, string itemCode) =>
        await (await client.GetAsync($"/api/catalog/items/{itemCode}")).JsonAsync();

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static byte[] Pdf(int size = 2048)
    {
        var bytes = new byte[size];
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(bytes, 0);
        RandomNumberGenerator.Fill(bytes.AsSpan(16));
        return bytes;
    }

    public static byte[] Jpeg(int size = 1024)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }.CopyTo(bytes, 0);
        return bytes;
    }

    public static byte[] Png(int size = 1024)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }

    public static async Task<HttpResponseMessage> DeclareAsync(this HttpClient client, string applicationId, string materialCode, byte[] bytes, string contentType = "application/pdf", string fileName = "身份证.pdf", string? sha256 = null) =>
        await client.PostAsJsonAsync($"/api/applications/{applicationId}/materials",
            new { materialCode, fileName, contentType, sizeBytes = bytes.LongLength, sha256 = sha256 ?? Sha256(bytes) });

    /// <summary>Declares <paramref name="bytes"/> with their MD5 too, as an up-to-date client does (decision 21).</summary>
    public static async Task<HttpResponseMessage> DeclareWithMd5Async(this HttpClient client, string applicationId, string materialCode, byte[] bytes, string contentType = "application/pdf") =>
        await client.PostAsJsonAsync($"/api/applications/{applicationId}/materials",
            new { materialCode, fileName = "身份证.pdf", contentType, sizeBytes = bytes.LongLength, sha256 = Sha256(bytes), contentMd5 = Md5(bytes) });

    public static string Md5(byte[] bytes) => Convert.ToBase64String(MD5.HashData(bytes));

    /// <summary>PUTs the bytes to the upload target exactly as a browser would: only the headers it was given.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(JsonElement declared, byte[] bytes)
    {
        var upload = declared.GetProperty("upload");
        using var request = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("url").GetString()) { Content = new ByteArrayContent(bytes) };
        foreach (var header in upload.GetProperty("headers").EnumerateObject())
        {
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }
        }
        using var plain = new HttpClient();
        return await plain.SendAsync(request);
    }

    /// <summary>Declares, uploads and completes one material; returns the completion response.</summary>
    public static async Task<HttpResponseMessage> ProvideAsync(this HttpClient client, string applicationId, string materialCode, byte[] bytes, string contentType = "application/pdf")
    {
        var declared = await client.DeclareAsync(applicationId, materialCode, bytes, contentType);
        Assert.True(declared.StatusCode == HttpStatusCode.Created, await declared.Content.ReadAsStringAsync());
        var body = await declared.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(body, bytes)).StatusCode);
        var materialId = body.GetProperty("material").GetProperty("id").GetString();
        return await client.PostAsync($"/api/applications/{applicationId}/materials/{materialId}/complete", null);
    }

    public static string[] ErrorFields(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(e => e.Name).ToArray() : [];
}

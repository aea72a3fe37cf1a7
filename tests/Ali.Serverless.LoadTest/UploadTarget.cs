using System.Text;
using System.Text.Json;

/// <summary>What the benchmark and the lifecycle scenarios both do with a material: make PDF bytes, and send them to
/// the upload target a declaration named, with exactly its headers, as a browser does.</summary>
internal static class UploadTarget
{
    /// <summary><paramref name="size"/> bytes that pass the PDF signature check; the rest is random from <paramref name="random"/>.</summary>
    public static byte[] Pdf(int size, Random random)
    {
        var bytes = new byte[size];
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(bytes, 0);
        random.NextBytes(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>The PUT of <paramref name="bytes"/> to a declaration's <c>upload</c> (<c>url</c> and <c>headers</c>).</summary>
    public static HttpRequestMessage Put(JsonElement upload, byte[] bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("url").GetString()) { Content = new ByteArrayContent(bytes) };
        foreach (var header in upload.GetProperty("headers").EnumerateObject())
        {
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }
        }
        return request;
    }
}

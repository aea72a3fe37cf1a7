using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Who may see what, and a clear 4xx problem for every kind of bad input, with nothing stored.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class AccessAndBadInputTests(LocalHostProcess host)
{
    [Fact]
    public async Task AnApplicant_CannotReadOrChange_AnotherApplicantsApplication()
    {
        var owner = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var stranger = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await owner.OpenAsync()).GetProperty("id").GetString();

        var read = await stranger.GetAsync($"/api/applications/{id}");
        var declare = await stranger.DeclareAsync(id!, "M01", Api.Pdf());
        var submit = await stranger.PostAsync($"/api/applications/{id}/submit", null);
        var list = await (await stranger.GetAsync("/api/applications")).JsonAsync();

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, declare.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, submit.StatusCode);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/applications/{id}")).StatusCode);
    }

    [Fact]
    public async Task NoToken_Is401Problem_WithBearerChallenge()
    {
        var response = await host.Http.GetAsync("/api/applications");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ForgedToken_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/applications");
        request.Headers.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFwcGxpY2FudCJ9.c2lnbmF0dXJl");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("{\"itemCode\": ", "body")]
    [InlineData("{\"itemCode\": 12, \"channel\": \"web\"}", "itemCode")]
    [InlineData("{\"itemCode\": \"542500-RSJ-20001\", \"channel\": \"web\", \"applicant\": {\"kind\": \"natural-person\", \"documentNumber\": \"110105194912310021\", \"name\": \"a\"}}", "applicant.documentNumber")]
    [InlineData("{\"itemCode\": \"542500-SCJGJ-01003\", \"channel\": \"web\", \"applicant\": {\"kind\": \"legal-person\", \"documentNumber\": \"91350100M000100Y44\", \"name\": \"a\"}}", "applicant.documentNumber")]
    [InlineData("{\"itemCode\": \"NO-SUCH-ITEM\", \"channel\": \"web\", \"applicant\": {\"kind\": \"natural-person\", \"documentNumber\": \"11010519491231002X\", \"name\": \"a\"}}", "itemCode")]
    [InlineData("{\"itemCode\": \"542500-GAC-20001\", \"channel\": \"web\", \"applicant\": {\"kind\": \"natural-person\", \"documentNumber\": \"11010519491231002X\", \"name\": \"a\"}}", "channel")]
    [InlineData("{\"channel\": \"web\"}", "itemCode")]
    public async Task Open_WithBadInput_Is400_NamingTheField_AndStoresNothing(string body, string field)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await citizen.PostAsync("/api/applications", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, problem.ErrorFields());
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Open_MissingEverything_NamesEveryMissingField()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await citizen.PostAsJsonAsync("/api/applications", new { applicant = new { } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["applicant.documentNumber", "applicant.kind", "applicant.name", "channel", "itemCode"],
            (await response.JsonAsync()).ErrorFields().Order());
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var huge = new { itemCode = "542500-RSJ-20001", padding = new string('x', 100_000) };

        var response = await citizen.PostAsJsonAsync("/api/applications", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("../etc/passwd.pdf")]
    [InlineData("a/b.pdf")]
    [InlineData("a\\b.pdf")]
    [InlineData("报告\u2028.pdf")]   // LINE SEPARATOR
    [InlineData("\u3164")]           // only a HANGUL FILLER
    [InlineData("\u3164\u3164\u3164")]
    [InlineData("\u2800")]           // BRAILLE PATTERN BLANK
    [InlineData("invoice\u202Efdp.exe")]
    [InlineData("a\u0000.pdf")]
    public async Task Declare_FileNameWithPathSeparatorFillerOrFormatCharacters_Is400_AndNothingIsDeclared(string fileName)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;

        var response = await citizen.DeclareAsync(id, "M01", Api.Pdf(), fileName: fileName);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["fileName"], (await response.JsonAsync()).ErrorFields());
        Assert.Empty((await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("materials").EnumerateArray());
    }

    [Fact]
    public async Task Declare_UnknownMaterialCode_AndWrongContentType_AreBothNamed()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;

        var unknown = await citizen.DeclareAsync(id, "M99", Api.Pdf());
        var wrongType = await citizen.DeclareAsync(id, "M02", Api.Pdf(), "application/pdf", "photo.pdf");

        Assert.Equal(["materialCode"], (await unknown.JsonAsync()).ErrorFields());
        Assert.Equal(["contentType"], (await wrongType.JsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task WrongMethod_Is405Problem()
    {
        var response = await host.Http.DeleteAsync("/api/catalog/items");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        var response = await host.Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    // --- found by a hostile probe of the intake routes (issue 8) ---------------------------------

    /// <summary>Chunked bodies whose framing is broken, as raw bytes after the headers.</summary>
    public static TheoryData<string, string> BrokenChunkedBodies => new()
    {
        { "chunk size is not hex", "zz\r\n{}\r\n0\r\n\r\n" },
        { "chunk longer than declared", "5\r\n{\"itemCode\":1}\r\n0\r\n\r\n" },
        // Declared 0x40 bytes, sent fewer: the size runs over the terminator into what follows.
        { "chunk shorter than declared", "40\r\n{\"itemCode\":\"542500-RSJ-20001\"}\r\n0\r\n\r\n" + new string('x', 40) },
    };

    [Theory]
    [MemberData(nameof(BrokenChunkedBodies))]
    public async Task Open_WithBrokenChunkedFraming_Is400_NeverA500_AndStoresNothing(string what, string framing)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await RawHttp.SendAsync(host.Http.BaseAddress!, "POST", "/api/applications",
            [("Authorization", citizen.DefaultRequestHeaders.Authorization!.ToString()), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
            Encoding.Latin1.GetBytes(framing));

        Assert.True(response.Status == 400, $"{what}: {response.Status} {response.Body}");
        if (response.ContentType == "application/problem+json")
        {
            Assert.Equal(["body"], response.Json().ErrorFields());
        }
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Open_WithABodyThatEndsInsideAChunk_IsNeverA500_AndStoresNothing()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        // Declares 0x40 bytes, sends a few and ends its side of the connection.
        var response = await RawHttp.SendAsync(host.Http.BaseAddress!, "POST", "/api/applications",
            [("Authorization", citizen.DefaultRequestHeaders.Authorization!.ToString()), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
            "40\r\n{\"itemCode\":"u8.ToArray(), endEarly: true);

        // The client is gone, so the host may close without an answer; if it answers, it is a 400.
        Assert.True(response is null || response.Status == 400, $"{response?.Status} {response?.Body}");
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Open_WithBrokenChunkedFraming_IsTheApisOwnProblem_NamingTheBody()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await RawHttp.SendAsync(host.Http.BaseAddress!, "POST", "/api/applications",
            [("Authorization", citizen.DefaultRequestHeaders.Authorization!.ToString()), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
            "zz\r\n{}\r\n0\r\n\r\n"u8.ToArray());

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        var problem = response.Json();
        Assert.Equal(["body"], problem.ErrorFields());
        Assert.Contains("could not be read", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiptCallback_WithBrokenChunkedFraming_Is400_NotA500()
    {
        var response = await RawHttp.SendAsync(host.Http.BaseAddress!, "POST", "/api/notifications/receipts?token=local-fake-sms-receipt-token-not-a-secret",
            [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
            "zz\r\n[]\r\n0\r\n\r\n"u8.ToArray());

        Assert.Equal(400, response.Status);
        if (response.ContentType == "application/problem+json")
        {
            Assert.Equal(["body"], response.Json().ErrorFields());
        }
    }

    public static TheoryData<string> RefusedNames => new()
    {
        "卓\u0000玛",        // NUL
        "卓\u0007玛",        // BEL
        "卓\u001B[2J玛",     // ESC, clearing a terminal
        "卓玛\r",            // CR
        "卓玛\n",            // LF
        "卓玛\u202Egnp.exe", // RIGHT-TO-LEFT OVERRIDE
        "\u200B",            // only a zero-width space
        "\u200B\u200C\u200D\u2060\uFEFF",
        "\u3164",            // only a HANGUL FILLER
        "\u2800\u2800",     // only BRAILLE PATTERN BLANKs
        "\u00A0",            // NBSP alone
        "卓玛\u2028",        // LINE SEPARATOR
        "卓玛\uE000",        // private use
    };

    /// <summary>Opening with <paramref name="body"/> is a 400 naming exactly <paramref name="field"/>, and nothing is stored.</summary>
    private async Task OpenIsRefusedAsync(object body, string field)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        var response = await citizen.PostAsJsonAsync("/api/applications", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.JsonAsync()).ErrorFields());
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task Open_WithControlFormatOrInvisibleName_Is400_NamingApplicantName_AndStoresNothing(string name)
    {
        await OpenIsRefusedAsync(new
        {
            itemCode = Api.SocialSecurityCardItem,
            channel = "web",
            applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name },
        }, "applicant.name");
    }

    [Theory]
    [InlineData("13900000000\n")]
    [InlineData("13900000000\r\n")]
    public async Task Open_WithPhoneEndingInANewline_Is400_NamingApplicantPhone(string phone)
    {
        await OpenIsRefusedAsync(new
        {
            itemCode = Api.SocialSecurityCardItem,
            channel = "web",
            applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛", phone },
        }, "applicant.phone");
    }

    [Theory]
    [InlineData("首次\u0000申领")]
    [InlineData("首次\u202E申领")]
    [InlineData("\u3164")]
    public async Task Open_WithFormFieldOfControlOrInvisibleCharacters_Is400_NamingThatField(string value)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var body = new
        {
            itemCode = Api.SocialSecurityCardItem,
            channel = "web",
            applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛" },
            fields = new Dictionary<string, string> { ["reason"] = value },
        };

        var response = await citizen.PostAsJsonAsync("/api/applications", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["fields.reason"], (await response.JsonAsync()).ErrorFields());
    }

    [Theory]
    [InlineData("次仁卓玛", "次仁卓玛")]
    [InlineData("扎西·次仁", "扎西·次仁")]
    [InlineData("\u0F40\u0F0B\u0F41\u0F0B\u0F42", "\u0F40\u0F0B\u0F41\u0F0B\u0F42")] // ཀ་ཁ་ག
    [InlineData("\u0F43\u0F72", "\u0F42\u0FB7\u0F72")] // GHA + vowel I: stored as GA + subjoined HA + I (NFC)
    public async Task Open_WithTibetanOrChineseName_IsCreated_AndTheNameIsStoredInNfc(string name, string stored)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var body = new
        {
            itemCode = Api.SocialSecurityCardItem,
            channel = "web",
            applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name },
        };

        var opened = await citizen.OpenAsync(body);

        var read = await (await citizen.GetAsync($"/api/applications/{opened.GetProperty("id").GetString()}")).JsonAsync();
        Assert.Equal(stored, read.GetProperty("applicant").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("\"113\"")]
    [InlineData("\"0x71\"")]
    [InlineData("113.0")]
    public async Task Declare_SizeSentAsAString_Is400_NamingSizeBytes_AndNothingIsDeclared(string sizeBytes)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;
        var json = $$"""{"materialCode":"M01","fileName":"a.pdf","contentType":"application/pdf","sizeBytes":{{sizeBytes}},"sha256":"{{new string('a', 64)}}"}""";

        var response = await citizen.PostAsync($"/api/applications/{id}/materials", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["sizeBytes"], (await response.JsonAsync()).ErrorFields());
        Assert.Empty((await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("materials").EnumerateArray());
    }

    [Fact]
    public async Task Open_JsonBodyWithoutContentType_Is415_AndStoresNothing()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(Api.Application()));
        Assert.Null(content.Headers.ContentType);

        var response = await citizen.PostAsync("/api/applications", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Open_ChunkedJsonBodyWithoutContentType_Is415()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var json = JsonSerializer.SerializeToUtf8Bytes(Api.Application());
        var framed = Encoding.ASCII.GetBytes($"{json.Length:x}\r\n").Concat(json).Concat("\r\n0\r\n\r\n"u8.ToArray()).ToArray();

        var response = await RawHttp.SendAsync(host.Http.BaseAddress!, "POST", "/api/applications",
            [("Authorization", citizen.DefaultRequestHeaders.Authorization!.ToString()), ("Transfer-Encoding", "chunked")], framed);

        Assert.Equal(415, response.Status);
        Assert.Empty((await (await citizen.GetAsync("/api/applications")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Withdraw_WithNoBodyAndNoContentType_Works_ButABodyWithoutContentTypeIs415()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var first = (await citizen.OpenAsync()).GetProperty("id").GetString()!;
        var second = (await citizen.OpenAsync()).GetProperty("id").GetString()!;
        using var untyped = new ByteArrayContent("""{"reason":"不再需要"}"""u8.ToArray());

        var refused = await citizen.PostAsync($"/api/applications/{second}/withdraw", untyped);
        var withdrawn = await citizen.PostAsync($"/api/applications/{first}/withdraw", null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("draft", (await (await citizen.GetAsync($"/api/applications/{second}")).JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.JsonAsync()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("不再\u202E需要")]
    [InlineData("\u3164")]
    [InlineData("不再\u0000需要")]
    public async Task Withdraw_WithAReasonOfControlOrInvisibleCharacters_Is400_NamingReason_AndChangesNothing(string reason)
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var id = (await citizen.OpenAsync()).GetProperty("id").GetString()!;

        var response = await citizen.PostAsJsonAsync($"/api/applications/{id}/withdraw", new { reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["reason"], (await response.JsonAsync()).ErrorFields());
        Assert.Equal("draft", (await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("status").GetString());
    }
}

/// <summary>
/// HTTP/1.1 written by hand over a socket: for requests no well-behaved client sends, such as a
/// chunked body with broken framing.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, string? ContentType, string Body)
    {
        public JsonElement Json()
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public static async Task<Response> SendAsync(Uri baseAddress, string method, string target, IEnumerable<(string Name, string Value)> headers, byte[] body) =>
        await SendAsync(baseAddress, method, target, headers, body, endEarly: false)
        ?? throw new Xunit.Sdk.XunitException($"{method} {target}: the server closed the connection without an answer.");

    /// <summary>Sends the request; with <paramref name="endEarly"/>, ends the sending side right after the body. Null when no answer came.</summary>
    public static async Task<Response?> SendAsync(Uri baseAddress, string method, string target, IEnumerable<(string Name, string Value)> headers, byte[] body, bool endEarly)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var stream = tcp.GetStream();
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        await stream.FlushAsync(timeout.Token);
        if (endEarly)
        {
            tcp.Client.Shutdown(SocketShutdown.Send);
        }

        // The server closes the connection after its answer (Connection: close, or broken framing).
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset: after the answer, or instead of one.
        }
        return received.Length == 0 ? null : Parse(received.ToArray());
    }

    private static Response Parse(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"No HTTP answer: '{text}'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var fields = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = text[(end + 4)..];
        if (fields.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }
        var contentType = fields.TryGetValue("Content-Type", out var type) ? MediaTypeHeaderValue.Parse(type).MediaType : null;
        return new Response(status, contentType, body);
    }

    private static string Unchunk(string chunked)
    {
        var result = new StringBuilder();
        var rest = chunked;
        while (true)
        {
            var lineEnd = rest.IndexOf("\r\n", StringComparison.Ordinal);
            var size = Convert.ToInt32(rest[..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToString();
            }
            // Sizes count bytes; the problem bodies checked here are ASCII-safe JSON escapes or UTF-8 text.
            var data = Encoding.UTF8.GetBytes(rest[(lineEnd + 2)..]);
            result.Append(Encoding.UTF8.GetString(data, 0, size));
            rest = Encoding.UTF8.GetString(data, size + 2, data.Length - size - 2);
        }
    }
}

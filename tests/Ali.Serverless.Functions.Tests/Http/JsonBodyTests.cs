using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Functions.Http;
using Ali.Serverless.Functions.Tests.Support;

namespace Ali.Serverless.Functions.Tests.Http;

public class JsonBodyTests
{
    private const string Declaration =
        """{"materialCode":"ID-CARD","fileName":"身份证.pdf","contentType":"application/pdf","sizeBytes":20480,"sha256":"ab"}""";

    private static Task<JsonBody<DeclareMaterialRequest>> Read(Microsoft.AspNetCore.Http.HttpRequest request) =>
        JsonBody.ReadAsync<DeclareMaterialRequest>(request, CancellationToken.None);

    /// <summary>A JSON object padded with spaces to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] PaddedObject(int size)
    {
        var bytes = Encoding.UTF8.GetBytes("{}".PadRight(size));
        Assert.Equal(size, bytes.Length);
        return bytes;
    }

    private static void AssertInvalidField<T>(JsonBody<T> body, string field)
    {
        Assert.Null(body.Value);
        Assert.Equal(ProblemKind.Invalid, body.Problem!.Kind);
        Assert.Equal([field], body.Problem.Errors!.Keys);
    }

    [Fact]
    public async Task Read_ValidJson_ReturnsTheValueAndNoProblem()
    {
        var body = await Read(HttpTest.WithBody(Declaration));

        Assert.Null(body.Problem);
        Assert.Equal(new DeclareMaterialRequest("ID-CARD", "身份证.pdf", "application/pdf", 20480, "ab"), body.Value);
        Assert.Matches("^[0-9a-f]{64}$", body.Fingerprint);
    }

    [Fact]
    public async Task Read_ContentLengthOverLimit_IsPayloadTooLargeWithoutReadingTheBody()
    {
        var request = HttpTest.WithBody("{}"u8.ToArray());
        request.ContentLength = JsonBody.MaxBytes + 1;
        var untouched = request.Body;

        var body = await Read(request);

        Assert.Equal(ProblemKind.PayloadTooLarge, body.Problem!.Kind);
        Assert.Equal(0, untouched.Position);
    }

    [Fact]
    public async Task Read_ChunkedBodyOverLimit_IsPayloadTooLarge()
    {
        var request = HttpTest.WithBody(PaddedObject(JsonBody.MaxBytes + 1), sendLength: false);
        Assert.Null(request.ContentLength);

        var body = await Read(request);

        Assert.Equal(ProblemKind.PayloadTooLarge, body.Problem!.Kind);
        Assert.Null(body.Value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Read_BodyOfExactlyTheLimit_IsAccepted(bool sendLength)
    {
        var request = HttpTest.WithBody(PaddedObject(JsonBody.MaxBytes), sendLength: sendLength);

        var body = await JsonBody.ReadAsync<Dictionary<string, string>>(request, CancellationToken.None);

        Assert.Null(body.Problem);
        Assert.NotNull(body.Value);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Read_NonJsonContentType_IsUnsupportedMediaType(string contentType)
    {
        var body = await Read(HttpTest.WithBody(Declaration, contentType));

        Assert.Equal(ProblemKind.UnsupportedMediaType, body.Problem!.Kind);
        Assert.Null(body.Value);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/merge-patch+json")]
    [InlineData(null)]
    public async Task Read_JsonOrNoContentType_IsAccepted(string? contentType)
    {
        var body = await Read(HttpTest.WithBody(Declaration, contentType));

        Assert.Null(body.Problem);
        Assert.NotNull(body.Value);
    }

    [Fact]
    public async Task Read_EmptyBody_IsInvalidNamingBody()
    {
        var body = await Read(HttpTest.WithBody(""));

        AssertInvalidField(body, "body");
    }

    [Fact]
    public async Task Read_JsonNull_IsInvalidNamingBody()
    {
        var body = await Read(HttpTest.WithBody("null"));

        AssertInvalidField(body, "body");
    }

    [Fact]
    public async Task Read_TruncatedJson_IsInvalidNamingBody()
    {
        var body = await Read(HttpTest.WithBody(Declaration[..^12]));

        AssertInvalidField(body, "body");
        Assert.Contains("not valid JSON", body.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ArrayInsteadOfObject_IsInvalidNamingBody()
    {
        var body = await Read(HttpTest.WithBody("[1,2]"));

        AssertInvalidField(body, "body");
    }

    [Fact]
    public async Task Read_FieldOfTheWrongType_IsInvalidNamingThatField()
    {
        var body = await Read(HttpTest.WithBody("""{"sizeBytes":"abc"}"""));

        AssertInvalidField(body, "sizeBytes");
    }

    [Fact]
    public async Task Read_NestedFieldOfTheWrongType_IsInvalidNamingItsPath()
    {
        var body = await JsonBody.ReadAsync<OpenApplicationRequest>(
            HttpTest.WithBody("""{"applicant":{"documentNumber":42}}"""), CancellationToken.None);

        AssertInvalidField(body, "applicant.documentNumber");
    }

    [Fact]
    public async Task Read_SameBytesTwice_GiveTheSameFingerprint()
    {
        var first = await Read(HttpTest.WithBody(Declaration));
        var second = await Read(HttpTest.WithBody(Declaration));

        Assert.Equal(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public async Task Read_DifferentBytes_GiveDifferentFingerprints()
    {
        var first = await Read(HttpTest.WithBody(Declaration));
        var second = await Read(HttpTest.WithBody(Declaration.Replace("20480", "20481", StringComparison.Ordinal)));

        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
    }
}

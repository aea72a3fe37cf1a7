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
    public async Task Read_JsonContentType_IsAccepted(string contentType)
    {
        var body = await Read(HttpTest.WithBody(Declaration, contentType));

        Assert.Null(body.Problem);
        Assert.NotNull(body.Value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Read_BodyWithoutContentType_IsUnsupportedMediaType(bool sendLength)
    {
        var request = HttpTest.WithBody(Encoding.UTF8.GetBytes(Declaration), contentType: null, sendLength: sendLength);

        var body = await Read(request);

        Assert.Equal(ProblemKind.UnsupportedMediaType, body.Problem!.Kind);
        Assert.Null(body.Value);
    }

    [Fact]
    public async Task ReadOptional_BodyWithoutContentType_IsUnsupportedMediaType()
    {
        var request = HttpTest.WithBody(Encoding.UTF8.GetBytes("""{"reason":"x"}"""), contentType: null, sendLength: false);

        var body = await JsonBody.ReadOptionalAsync(request, new Dictionary<string, string>(), CancellationToken.None);

        Assert.Equal(ProblemKind.UnsupportedMediaType, body.Problem!.Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadOptional_NoBodyAndNoContentType_IsTheDefault(bool sendLength)
    {
        var whenEmpty = new Dictionary<string, string>();
        var request = HttpTest.WithBody([], contentType: null, sendLength: sendLength);

        var body = await JsonBody.ReadOptionalAsync(request, whenEmpty, CancellationToken.None);

        Assert.Null(body.Problem);
        Assert.Same(whenEmpty, body.Value);
    }

    [Fact]
    public async Task Read_NoBodyAndNoContentType_IsInvalidNamingBody()
    {
        var body = await Read(HttpTest.WithBody([], contentType: null));

        AssertInvalidField(body, "body");
    }

    [Theory]
    [InlineData("""{"sizeBytes":"113"}""", "sizeBytes")]
    [InlineData("""{"sizeBytes":"0x71"}""", "sizeBytes")]
    [InlineData("""{"sizeBytes":"NaN"}""", "sizeBytes")]
    [InlineData("""{"sizeBytes":113.5}""", "sizeBytes")]
    public async Task Read_NumberSentAsString_IsInvalidNamingThatField(string json, string field)
    {
        var body = await Read(HttpTest.WithBody(json));

        AssertInvalidField(body, field);
        Assert.Contains("wrong type", body.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NumberSentAsNumber_IsAccepted()
    {
        var body = await Read(HttpTest.WithBody("""{"sizeBytes":113}"""));

        Assert.Equal(113, body.Value!.SizeBytes);
    }

    public static TheoryData<Exception> UnreadableBodies => new()
    {
        // What Kestrel throws to the reader for a chunk size of "zz" or a chunk cut short.
        new Microsoft.AspNetCore.Http.BadHttpRequestException("Invalid request chunked data.", 400),
        new Microsoft.AspNetCore.Http.BadHttpRequestException("Unexpected end of request content.", 400),
        new IOException("The connection was reset."),
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task Read_BodyThatCannotBeRead_IsInvalidNamingBody(Exception failure)
    {
        var request = HttpTest.WithBody(new ThrowingStream("""{"materialCode":"""u8.ToArray(), failure), sendLength: false);

        var body = await Read(request);

        AssertInvalidField(body, "body");
        Assert.Contains("could not be read", body.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBytes_BodyThatCannotBeRead_IsInvalidNamingBody()
    {
        var request = HttpTest.WithBody(new ThrowingStream([], new Microsoft.AspNetCore.Http.BadHttpRequestException("Bad chunk size data.", 400)), sendLength: false);

        var (bytes, problem) = await JsonBody.ReadBytesAsync(request, CancellationToken.None);

        Assert.Null(bytes);
        Assert.Equal(ProblemKind.Invalid, problem!.Kind);
        Assert.Equal(["body"], problem.Errors!.Keys);
    }

    [Fact]
    public async Task Read_HostRefusesTheBodyAsTooLarge_IsPayloadTooLarge()
    {
        var request = HttpTest.WithBody(new ThrowingStream([], new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large.", 413)), sendLength: false);

        var body = await Read(request);

        Assert.Equal(ProblemKind.PayloadTooLarge, body.Problem!.Kind);
    }

    [Fact]
    public async Task Read_CancelledWhileReading_IsNotTurnedIntoAProblem()
    {
        var request = HttpTest.WithBody(new ThrowingStream([], new OperationCanceledException()), sendLength: false);

        await Assert.ThrowsAsync<OperationCanceledException>(() => Read(request));
    }

    [Fact]
    public async Task ReadBytes_ChunkedBodyOverLimit_IsPayloadTooLarge()
    {
        var (bytes, problem) = await JsonBody.ReadBytesAsync(HttpTest.WithBody(PaddedObject(JsonBody.MaxBytes + 1), sendLength: false), CancellationToken.None);

        Assert.Null(bytes);
        Assert.Equal(ProblemKind.PayloadTooLarge, problem!.Kind);
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

/// <summary>A body that gives some bytes, then fails the way a broken request body does.</summary>
internal sealed class ThrowingStream(byte[] first, Exception failure) : Stream
{
    private bool _gave;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_gave || first.Length == 0)
        {
            throw failure;
        }
        _gave = true;
        first.CopyTo(buffer, offset);
        return first.Length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_gave || first.Length == 0)
        {
            return ValueTask.FromException<int>(failure);
        }
        _gave = true;
        first.CopyTo(buffer);
        return ValueTask.FromResult(first.Length);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

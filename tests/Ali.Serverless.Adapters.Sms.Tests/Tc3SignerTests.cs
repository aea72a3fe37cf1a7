using System.Text;

namespace Ali.Serverless.Adapters.Sms.Tests;

/// <summary>
/// The signer against the worked example in Tencent Cloud's API 3.0 signature documentation ("签名方法 v3"
/// / "Signature v3", e.g. https://cloud.tencent.com/document/api/213/30654; every product carries a copy
/// of the page): CVM DescribeInstances in ap-guangzhou. The inputs and every expected value below are the
/// published ones, asserted byte for byte. The page has had editions with different example keys; each
/// edition's keys reproduce that edition's published signature.
/// </summary>
public sealed class Tc3SignerTests
{
    // The example's body, with the JSON escapes (\u672a…) as literal text: the bytes are what is hashed.
    private const string ExamplePayload = """{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}""";

    private static Tc3Request PostExample => new(
        Service: "cvm",
        Host: "cvm.tencentcloudapi.com",
        ContentType: "application/json; charset=utf-8",
        Payload: Encoding.UTF8.GetBytes(ExamplePayload),
        Timestamp: 1551113065);

    [Fact]
    public void PostExample_CanonicalRequest_AndStringToSign_AreThePublishedOnes()
    {
        var signature = new Tc3Signer("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE").Sign(PostExample);

        Assert.Equal(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
            + "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
            signature.CanonicalRequest);
        // 1551113065 is 2019-02-26 00:44:25 in Beijing: the scope's date is UTC's, the day before.
        Assert.Equal("2019-02-25/cvm/tc3_request", signature.CredentialScope);
        Assert.Equal(
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            signature.StringToSign);
    }

    [Theory]
    // Edition with the EXAMPLE keys (SecretKey given as Gu5t9xGARNpq86cd98joQYCN3EXAMPLE in its key-derivation pseudocode).
    [InlineData("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")]
    // Edition whose keys end in seven literal asterisks.
    [InlineData("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******", "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c")]
    public void PostExample_Signature_AndAuthorization_AreThePublishedOnes(string secretId, string secretKey, string published)
    {
        var signature = new Tc3Signer(secretId, secretKey).Sign(PostExample);

        Assert.Equal(published, signature.Signature);
        Assert.Equal(
            $"TC3-HMAC-SHA256 Credential={secretId}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={published}",
            signature.Authorization);
    }

    [Fact]
    public void GetExample_OfTheEarlierEdition_GivesThePublishedHashAndSignature()
    {
        // The GET edition of the example: query Limit=10&Offset=0, empty body, timestamp 1539084154.
        var request = new Tc3Request(
            Service: "cvm",
            Host: "cvm.tencentcloudapi.com",
            ContentType: "application/x-www-form-urlencoded",
            Payload: [],
            Timestamp: 1539084154,
            Method: "GET",
            CanonicalQueryString: "Limit=10&Offset=0");

        var signature = new Tc3Signer("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE").Sign(request);

        Assert.Equal(
            "TC3-HMAC-SHA256\n1539084154\n2018-10-09/cvm/tc3_request\n91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7",
            signature.StringToSign);
        Assert.Equal("5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474", signature.Signature);
    }

    [Fact]
    public void TheSecretKey_IsInNoOutput()
    {
        var signer = new Tc3Signer("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
        var signature = signer.Sign(PostExample);

        Assert.DoesNotContain("Gu5t9x", signer.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Gu5t9x", signature.ToString(), StringComparison.Ordinal);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ali.Serverless.Licences;

namespace Ali.Serverless.Core.Tests.Licences;

/// <summary>The bytes a licence signature covers (RFC 8785 for the JSON licences use) and the ES256 signature over them.</summary>
public class CanonicalFormTests
{
    [Fact]
    public void Members_AreSortedByCodeUnit_WithoutWhiteSpace_AndOnlyRequiredEscapes()
    {
        var node = new JsonObject
        {
            ["b"] = 1,
            ["a"] = "次仁 \"卓玛\"\n\\ tab\t",
            ["B"] = new JsonObject { ["z"] = true, ["y"] = null },
            ["c"] = new JsonArray("x", 2),
            ["ctl"] = "\u0001",
        };

        var text = Encoding.UTF8.GetString(CanonicalJson.Encode(node));

        Assert.Equal("{\"B\":{\"y\":null,\"z\":true},\"a\":\"次仁 \\\"卓玛\\\"\\n\\\\ tab\\t\",\"b\":1,\"c\":[\"x\",2],\"ctl\":\"\\u0001\"}", text);
    }

    [Fact]
    public void NonAsciiText_IsWrittenAsItself_InUtf8()
    {
        var bytes = CanonicalJson.Encode(new JsonObject { ["name"] = "ཚེ་རིང་" });

        Assert.Equal(Encoding.UTF8.GetBytes("{\"name\":\"ཚེ་རིང་\"}"), bytes);
    }

    [Fact]
    public void Fractions_AreRefused_BecauseTheyHaveSeveralSpellings()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Encode(new JsonObject { ["x"] = 1.5 }));
    }

    [Fact]
    public void TheSameContent_GivesTheSameBytes_WhateverTheOrderItWasBuiltIn()
    {
        var one = new JsonObject { ["x"] = "1", ["y"] = "2" };
        var two = new JsonObject { ["y"] = "2", ["x"] = "1" };

        Assert.Equal(CanonicalJson.Encode(one), CanonicalJson.Encode(two));
    }

    [Fact]
    public void ASignature_Verifies_AndFailsWhenAnyByteOfTheContentChanges()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var content = LicenceTests.Content("kid-1");
        var bytes = content.CanonicalBytes();
        var signature = LicenceSignatures.Sign(key, bytes);

        Assert.True(LicenceSignatures.Verify(key, bytes, signature));
        Assert.Equal(64, LicenceSignatures.FromBase64Url(signature)!.Length);
        for (var i = 0; i < bytes.Length; i += 7)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 0x01;
            Assert.False(LicenceSignatures.Verify(key, changed, signature), $"byte {i} changed and the signature still verified");
        }
        Assert.False(LicenceSignatures.Verify(key, (content with { Number = content.Number + "1" }).CanonicalBytes(), signature));
        Assert.False(LicenceSignatures.Verify(key, bytes, "not-a-signature"));
    }

    [Fact]
    public void KeyIds_AreThumbprints_StableForAKey_AndDifferentBetweenKeys()
    {
        using var one = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var two = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = one.ExportPkcs8PrivateKeyPem();

        var reloaded = LicenceSignatures.FromPem(pem, DateTimeOffset.UnixEpoch);

        Assert.Equal(LicenceSignatures.KeyIdOf(one), reloaded.KeyId);
        Assert.NotEqual(LicenceSignatures.KeyIdOf(one), LicenceSignatures.KeyIdOf(two));
        Assert.Equal(43, reloaded.KeyId.Length);
        var jwk = LicenceSignatures.ToJwk(reloaded);
        Assert.Equal(("EC", "P-256", "ES256", "sig"), (jwk.Kty, jwk.Crv, jwk.Alg, jwk.Use));
        // The public JWK alone verifies what the private key signed.
        using var fromJwk = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = LicenceSignatures.FromBase64Url(jwk.X), Y = LicenceSignatures.FromBase64Url(jwk.Y) },
        });
        var data = Encoding.UTF8.GetBytes("licence");
        Assert.True(LicenceSignatures.Verify(fromJwk, data, LicenceSignatures.Sign(one, data)));
    }

    [Fact]
    public void AKeyThatIsNotP256_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.ThrowsAny<CryptographicException>(() => LicenceSignatures.FromPem(p384.ExportPkcs8PrivateKeyPem(), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Numbers_FollowThePattern_AndAreTheSameOnARetry()
    {
        var id = LicenceNumbers.IdFor("0192a7b3c4d5e6f70192a7b3c4d5e6f1");

        var number = LicenceNumbers.NumberFor("GTGSHYYZZ", "542500", 2026, id, 0);

        Assert.Matches(@"^GTGSHYYZZ-542500-2026-\d{8}$", number);
        Assert.Equal(number, LicenceNumbers.NumberFor("GTGSHYYZZ", "542500", 2026, id, 0));
        Assert.NotEqual(number, LicenceNumbers.NumberFor("GTGSHYYZZ", "542500", 2026, id, 1));
        Assert.Equal(id, LicenceNumbers.IdFor("0192a7b3c4d5e6f70192a7b3c4d5e6f1"));
    }

    [Theory]
    [InlineData("次仁卓玛", "次**玛")]
    [InlineData("卓玛", "卓*")]
    [InlineData("王", "*")]
    [InlineData("ཚེ་རིང་", "ཚེ***་")]
    public void HolderNames_AreMaskedForVerifiers(string name, string masked)
    {
        Assert.Equal(masked, VerifiedLicence.MaskName(name));
    }
}

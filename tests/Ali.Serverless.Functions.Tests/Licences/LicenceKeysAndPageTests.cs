using Ali.Serverless.Functions.Licences;
using Ali.Serverless.Licences;

namespace Ali.Serverless.Functions.Tests.Licences;

/// <summary>The local key folder (first key on first use, rotation by a newer file) and the printable page.</summary>
public sealed class LicenceKeysAndPageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ali-licence-keys-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheFirstUse_MakesOneKey_OnlyItsOwnerCanRead_AndTheSameKeyIsFoundAgain()
    {
        var ring = new FileLicenceKeyRing(_folder, TimeProvider.System);

        var first = await ring.GetKeysAsync(default);
        var again = await new FileLicenceKeyRing(_folder, TimeProvider.System).GetKeysAsync(default);

        var file = Assert.Single(Directory.GetFiles(_folder));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(Assert.Single(first).KeyId, Assert.Single(again).KeyId);
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewerFile_SignsFromNowOn_AndTheOlderStillVerifies()
    {
        var ring = new FileLicenceKeyRing(_folder, TimeProvider.System);
        var old = Assert.Single(await ring.GetKeysAsync(default));
        var data = "licence"u8.ToArray();
        var signature = LicenceSignatures.Sign(old.Key, data);

        ring.AddKey(DateTimeOffset.UtcNow.AddDays(1));
        var keys = await ring.GetKeysAsync(default);

        Assert.Equal(2, keys.Count);
        Assert.NotEqual(old.KeyId, keys[0].KeyId);
        Assert.True(LicenceSignatures.Verify(keys.Single(k => k.KeyId == old.KeyId).Key, data, signature));
    }

    [Fact]
    public void ThePage_EncodesTheData_CarriesTheQrCode_AndNoScript()
    {
        var content = new LicenceContent
        {
            Id = "0192a7b3c4d5e6f70192a7b3c4d5e6f1",
            TypeCode = "GTGSHYYZZ",
            TypeName = "个体工商户营业执照",
            Number = "GTGSHYYZZ-542500-2026-01234567",
            Holder = new LicenceHolder("natural-person", "次仁<script>alert(1)</script>", "1101**********002X"),
            IssuerDepartmentCode = "542500-SCJGJ",
            IssuerDepartmentName = "阿里地区市场监督管理局",
            DivisionCode = "542500",
            IssuedOn = new DateOnly(2026, 3, 10),
            ValidFrom = new DateOnly(2026, 3, 10),
            CaseNumber = "542500-20260310-ABCDEF0123",
            ItemCode = "542500-SCJGJ-01001",
            Data = new Dictionary<string, string> { ["名称"] = "<b>小卖部</b>" },
            KeyId = "kid",
        };
        var licence = new Licence { Content = content, Signature = "sig", ApplicationId = "a", OwnerId = "o", IssuedAt = DateTimeOffset.UnixEpoch };
        var url = LicencePage.VerificationUrl("https://api.example/", content);

        var html = LicencePage.Render(licence, LicenceStatus.Valid, url);

        Assert.Equal($"https://api.example/api/licences/verify?id={content.Id}&d={content.Digest()}", url);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;小卖部&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains(url.Replace("&", "&amp;", StringComparison.Ordinal), html, StringComparison.Ordinal);
        Assert.Contains("长期", html, StringComparison.Ordinal);
    }
}

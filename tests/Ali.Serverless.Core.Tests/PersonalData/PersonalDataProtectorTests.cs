using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.PersonalData;

namespace Ali.Serverless.Core.Tests.PersonalData;

public sealed class PersonalDataProtectorTests
{
    private const string IdNumber = IntakeHarness.ValidResidentId;
    private const string Phone = "13800000000";
    private const string Address = "西藏阿里地区噶尔县狮泉河镇";

    private readonly TestPersonalDataKeys _keys = new();
    private readonly PersonalDataProtector _protector;

    public PersonalDataProtectorTests() => _protector = new PersonalDataProtector(_keys, new ApplicantKeys(_keys));

    private static Application Plain(string owner = "applicant:user-1", string id = "0192a7b3c4d5e6f70192a7b3c4d5e6f7") => new()
    {
        Id = id,
        OwnerId = owner,
        ItemCode = "542500-RSJ-1",
        DepartmentCode = "542500-RSJ",
        DivisionCode = "542500",
        Channel = Channel.Web,
        Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, IdNumber, "卓玛", Phone),
        OpenedBy = "user-1",
        OpenedByRole = "applicant",
        Fields = new Dictionary<string, string> { ["address"] = Address },
        Status = ApplicationStatus.Draft,
        CreatedAt = IntakeHarness.Start,
        UpdatedAt = IntakeHarness.Start,
    };

    [Fact]
    public async Task Protect_LeavesNoPersonalDataInTheDocument_AndUnprotectGivesItBack()
    {
        var plain = Plain();

        var stored = await _protector.ProtectAsync(plain, default);
        var json = JsonSerializer.Serialize(stored, DocumentJson.Options);

        Assert.DoesNotContain(IdNumber, json);
        Assert.DoesNotContain(Phone, json);
        Assert.DoesNotContain(Address, json);
        Assert.StartsWith("pd1.", stored.Applicant.DocumentNumber);
        Assert.StartsWith("pd1.", stored.Applicant.Phone);
        Assert.StartsWith("pd1.", stored.Fields["address"]);
        Assert.StartsWith($"dk1.{_keys.Versions[0].Id}.", stored.DataKey);
        Assert.Equal(await new ApplicantKeys(_keys).ForAsync(ApplicantKind.NaturalPerson, IdNumber, default), stored.ApplicantKey);

        var back = await _protector.UnprotectAsync(JsonSerializer.Deserialize<Application>(json, DocumentJson.Options)!, default);
        Assert.Equal(plain.Applicant, back.Applicant);
        Assert.Equal(plain.Fields, back.Fields);
        Assert.Equal(stored.ApplicantKey, back.ApplicantKey);
        Assert.Null(back.DataKey);
    }

    [Fact]
    public async Task EveryWrite_UsesAFreshDataKeyAndNonce()
    {
        var first = await _protector.ProtectAsync(Plain(), default);
        var second = await _protector.ProtectAsync(Plain(), default);

        Assert.NotEqual(first.DataKey, second.DataKey);
        Assert.NotEqual(first.Applicant.DocumentNumber, second.Applicant.DocumentNumber);
    }

    [Fact]
    public async Task AValueCopiedIntoAnotherDocument_DoesNotDecrypt()
    {
        var mine = await _protector.ProtectAsync(Plain(id: "0192a7b3c4d5e6f70192a7b3c4d5e6f7"), default);
        var other = await _protector.ProtectAsync(Plain(id: "0192a7b3c4d5e6f70192a7b3c4d5e6f8"), default);

        // The whole envelope moved (data key and value): bound to owner and id, it does not open.
        var moved = other with { DataKey = mine.DataKey, Applicant = mine.Applicant };
        await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => _protector.UnprotectAsync(moved, default));

        // Only the value moved: made under another data key.
        var pasted = other with { Applicant = other.Applicant with { Phone = mine.Applicant.Phone } };
        await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => _protector.UnprotectAsync(pasted, default));
    }

    [Fact]
    public async Task AValueMovedToAnotherFieldOfTheSameDocument_DoesNotDecrypt()
    {
        var stored = await _protector.ProtectAsync(Plain(), default);

        var swapped = stored with { Applicant = stored.Applicant with { Phone = stored.Applicant.DocumentNumber } };

        await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => _protector.UnprotectAsync(swapped, default));
    }

    [Fact]
    public async Task AChangedCiphertext_DoesNotDecrypt()
    {
        var stored = await _protector.ProtectAsync(Plain(), default);
        var parts = stored.Applicant.DocumentNumber.Split('.');
        parts[3] = parts[3][..^2] + (parts[3][^2..] == "AA" ? "AB" : "AA");

        var changed = stored with { Applicant = stored.Applicant with { DocumentNumber = string.Join('.', parts) } };

        await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => _protector.UnprotectAsync(changed, default));
    }

    [Fact]
    public async Task AWrappedDataKeyOfTheWrongSize_IsUnreadable_NotAnotherError()
    {
        // A data key sealed correctly under the KEK, but 5 bytes long: it opens, and then is no AES key.
        var stored = await _protector.ProtectAsync(Plain(), default);
        var kek = await _keys.GetCurrentAsync(default);
        var dataKey = stored.DataKey!.Split('.');
        var nonce = new byte[12];
        var cipher = new byte[5];
        var tag = new byte[16];
        using (var aes = new System.Security.Cryptography.AesGcm(kek.Bytes, 16))
        {
            aes.Encrypt(nonce, new byte[5], cipher, tag, System.Text.Encoding.UTF8.GetBytes($"dk1|{stored.OwnerId}|{stored.Id}|{kek.Id}|{dataKey[2]}"));
        }
        var odd = stored with
        {
            DataKey = string.Join('.', "dk1", kek.Id, dataKey[2], System.Buffers.Text.Base64Url.EncodeToString(nonce),
                System.Buffers.Text.Base64Url.EncodeToString(cipher), System.Buffers.Text.Base64Url.EncodeToString(tag)),
        };

        var error = await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => _protector.UnprotectAsync(odd, default));
        Assert.Contains("not a valid key", error.Message);
    }

    [Fact]
    public async Task OldKeyVersions_StayReadable_AndNewWritesUseTheNewest()
    {
        var underFirst = await _protector.ProtectAsync(Plain(), default);
        var second = await _keys.AddVersionAsync(default);

        var underSecond = await _protector.ProtectAsync(Plain(), default);

        Assert.Equal(IdNumber, (await _protector.UnprotectAsync(underFirst, default)).Applicant.DocumentNumber);
        Assert.Equal(second, PersonalDataProtector.KeyIdOf(underSecond.DataKey));
        Assert.Equal(second, await _protector.CurrentKeyIdAsync(default));
    }

    [Fact]
    public async Task AMissingKeyVersion_IsAClearError_NotGarbage()
    {
        var stored = await _protector.ProtectAsync(Plain(), default);
        await _keys.AddVersionAsync(default);
        _keys.Forget(_keys.Versions[0].Id);

        var error = await Assert.ThrowsAsync<PersonalDataUnreadableException>(() => _protector.UnprotectAsync(stored, default));
        Assert.Contains("not available", error.Message);
    }

    [Fact]
    public async Task ADocumentWrittenBeforeEncryption_ReadsAsItIs()
    {
        var legacy = Plain();

        Assert.Same(legacy, await _protector.UnprotectAsync(legacy, default));
    }

    [Fact]
    public async Task AnEncryptedLookingValueWithoutADataKey_IsNotTakenForPlainText()
    {
        var stored = await _protector.ProtectAsync(Plain(), default);

        await Assert.ThrowsAsync<PersonalDataUnreadableException>(() =>
            _protector.UnprotectAsync(stored with { DataKey = "dk1.nope" }, default));
    }

    [Theory]
    [InlineData("11010519491231002x")]
    [InlineData(" 11010519491231002X ")]
    public async Task TheApplicantKey_NormalisesTheNumber(string written)
    {
        var applicantKeys = new ApplicantKeys(_keys);

        Assert.Equal(
            await applicantKeys.ForAsync(ApplicantKind.NaturalPerson, IdNumber, default),
            await applicantKeys.ForAsync(ApplicantKind.NaturalPerson, written, default));
    }

    [Fact]
    public async Task TheApplicantKey_DependsOnTheKindAndTheSecret()
    {
        var applicantKeys = new ApplicantKeys(_keys);
        var otherSecret = new ApplicantKeys(new TestPersonalDataKeys());

        var key = await applicantKeys.ForAsync(ApplicantKind.NaturalPerson, IdNumber, default);

        Assert.NotEqual(key, await applicantKeys.ForAsync(ApplicantKind.LegalPerson, IdNumber, default));
        Assert.NotEqual(key, await otherSecret.ForAsync(ApplicantKind.NaturalPerson, IdNumber, default));
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Theory]
    [InlineData("13800000000", "1380***0000")]
    [InlineData("11010519491231002X", "1101**********002X")]
    [InlineData("12345678", "********")]
    public void Masks_KeepTheFirstAndLastFour(string value, string masked) => Assert.Equal(masked, PersonalDataMask.Mask(value));
}

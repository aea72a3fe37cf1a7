using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.Core.Tests.Support;
using Ali.Serverless.Identity;
using static Ali.Serverless.Core.Tests.Support.IntakeHarness;

namespace Ali.Serverless.Core.Tests.Applications;

public class OpenApplicationTests
{
    private readonly IntakeHarness _h = new();

    private Task<Result<OpenedApplication>> Open(Caller caller, OpenApplicationRequest request, string? key = null, string fingerprint = "fp-1") =>
        _h.Intake.OpenAsync(caller, request, key, fingerprint, CancellationToken.None);

    private static void AssertInvalidNaming(Result<OpenedApplication> result, params string[] fields)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.NotNull(result.Problem.Errors);
        foreach (var field in fields)
        {
            Assert.True(result.Problem.Errors.ContainsKey(field), $"'{field}' is not named; named: {string.Join(", ", result.Problem.Errors.Keys)}");
        }
    }

    [Fact]
    public async Task Open_ByApplicantOnTheWeb_StoresADraftInTheApplicantsPartition()
    {
        var result = await Open(Applicant, PersonRequest("web"));

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        var application = result.Value!.Application;
        Assert.False(result.Value.Replayed);
        Assert.Equal(ApplicationStatus.Draft, application.Status);
        Assert.Equal("applicant:user-7f3a", application.OwnerId);
        Assert.Equal(TestCatalog.PersonItemCode, application.ItemCode);
        Assert.Equal("542500-SCJGJ", application.DepartmentCode);
        Assert.Equal("542500", application.DivisionCode);
        Assert.Equal(Channel.Web, application.Channel);
        Assert.Equal("user-7f3a", application.OpenedBy);
        Assert.Equal(Roles.Applicant, application.OpenedByRole);
        Assert.Equal(Start, application.CreatedAt);
        Assert.Empty(application.Materials);
        Assert.Matches("^[0-9a-f]{32}$", application.Id);
        Assert.Equal(application, _h.Store.Single("applicant:user-7f3a", application.Id));
    }

    [Fact]
    public async Task Open_WithLowerCaseX_StoresTheIdNumberUpperCased()
    {
        var result = await Open(Applicant, PersonRequest(document: " 11010519491231002x "));

        Assert.Equal(new ApplicantIdentity(ApplicantKind.NaturalPerson, "11010519491231002X", "卓玛", "13800000000"), result.Value!.Application.Applicant);
    }

    [Fact]
    public async Task Open_ByWindowClerk_BelongsToTheClerksHall()
    {
        var result = await Open(Clerk, PersonRequest("window"));

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        Assert.Equal("hall:542523-ZWFWZX", result.Value!.Application.OwnerId);
        Assert.Equal(Channel.Window, result.Value.Application.Channel);
        Assert.Equal("clerk-42", result.Value.Application.OpenedBy);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Open_ByWindowClerkWithoutDepartment_IsForbiddenAndStoresNothing(string? department)
    {
        var result = await Open(new Caller("clerk-9", Roles.WindowClerk, department), PersonRequest("window"));

        Assert.Equal(ProblemKind.Forbidden, result.Problem!.Kind);
        Assert.Equal(0, _h.Store.CreateCalls);
    }

    [Fact]
    public async Task Open_ByApplicantThroughTheWindowChannel_IsInvalidNamingChannel()
    {
        var result = await Open(Applicant, PersonRequest("window"));

        AssertInvalidNaming(result, "channel");
    }

    [Theory]
    [InlineData("web")]
    [InlineData("mobile")]
    public async Task Open_ByWindowClerkOnline_IsInvalidNamingChannel(string channel)
    {
        var result = await Open(Clerk, PersonRequest(channel));

        AssertInvalidNaming(result, "channel");
    }

    [Fact]
    public async Task Open_ThroughAChannelTheItemDoesNotOffer_IsInvalidNamingChannel()
    {
        var request = PersonRequest("web") with { ItemCode = TestCatalog.NoWebItemCode };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "channel");
        Assert.Contains("window, mobile", result.Problem!.Errors!["channel"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("post")]
    [InlineData("2")]
    public async Task Open_WithUnknownChannelName_IsInvalidNamingChannel(string channel)
    {
        var result = await Open(Applicant, PersonRequest(channel));

        AssertInvalidNaming(result, "channel");
    }

    [Fact]
    public async Task Open_WithUnknownItemCode_IsInvalidNamingItemCode()
    {
        var result = await Open(Applicant, PersonRequest() with { ItemCode = "542500-NOPE-00000" });

        AssertInvalidNaming(result, "itemCode");
    }

    [Fact]
    public async Task Open_WithEverythingMissing_NamesEveryMissingFieldInOneProblem()
    {
        var request = new OpenApplicationRequest(null, null, new ApplicantRequest(null, null, null, null), null);

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "itemCode", "channel", "applicant.kind", "applicant.documentNumber", "applicant.name");
    }

    [Fact]
    public async Task Open_WithoutApplicant_NamesApplicantAndOtherMissingFields()
    {
        var request = new OpenApplicationRequest(TestCatalog.PersonItemCode, null, null, null);

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant", "channel");
    }

    [Theory]
    [InlineData("11010519491231002Y")]
    [InlineData("110105194912310021")]
    [InlineData("110101199002300137")]
    [InlineData("1101051949123100")]
    [InlineData("91350100M000100Y43")] // a credit code is not an ID number
    public async Task Open_WithInvalidResidentIdNumber_NamesTheField(string document)
    {
        var result = await Open(Applicant, PersonRequest(document: document));

        AssertInvalidNaming(result, "applicant.documentNumber");
    }

    [Theory]
    [InlineData("91350100M000100Y42")]
    [InlineData("91350100M0001O0Y43")]
    [InlineData("11010519491231002X")] // an ID number is not a credit code
    public async Task Open_WithInvalidCreditCode_NamesTheField(string document)
    {
        var request = new OpenApplicationRequest(TestCatalog.EnterpriseItemCode, "web", new ApplicantRequest("legal-person", document, "阿里某公司", null), null);

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.documentNumber");
    }

    [Fact]
    public async Task Open_ByLegalPersonWithValidCreditCode_StoresItUpperCased()
    {
        var request = new OpenApplicationRequest(TestCatalog.EnterpriseItemCode, "web", new ApplicantRequest("legal-person", "91350100m000100y43", "阿里某公司", null), null);

        var result = await Open(Applicant, request);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        Assert.Equal(new ApplicantIdentity(ApplicantKind.LegalPerson, "91350100M000100Y43", "阿里某公司", null), result.Value!.Application.Applicant);
    }

    [Fact]
    public async Task Open_ByNaturalPersonOnAnEnterpriseOnlyItem_IsInvalidNamingApplicantKind()
    {
        var request = PersonRequest() with { ItemCode = TestCatalog.EnterpriseItemCode };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.kind");
    }

    [Fact]
    public async Task Open_ByLegalPersonOnAPersonOnlyItem_IsInvalidNamingApplicantKind()
    {
        var request = PersonRequest() with { Applicant = new ApplicantRequest("legal-person", ValidCreditCode, "阿里某公司", null) };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.kind");
    }

    [Fact]
    public async Task Open_WithMalformedPhone_IsInvalidNamingPhone()
    {
        var request = PersonRequest() with { Applicant = new ApplicantRequest("natural-person", ValidResidentId, "卓玛", "call me") };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.phone");
    }

    [Theory]
    [InlineData("13900000000\n")]   // a $ anchor would match before this final newline
    [InlineData("13900000000\r\n")]
    [InlineData("\n13900000000")]
    [InlineData("1390000\n0000")]
    [InlineData("13900000000\u0000")]
    [InlineData("１３９００００００００")] // full-width digits
    public async Task Open_WithPhoneCarryingALineBreakOrOtherCharacters_IsInvalidNamingPhone(string phone)
    {
        var request = PersonRequest() with { Applicant = new ApplicantRequest("natural-person", ValidResidentId, "卓玛", phone) };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.phone");
        Assert.Empty(_h.Store.All);
    }

    [Theory]
    [InlineData("13900000000")]
    [InlineData("+86 139-0000-0000")]
    [InlineData("(0897) 2821234")]
    public async Task Open_WithWellFormedPhone_KeepsIt(string phone)
    {
        var request = PersonRequest() with { Applicant = new ApplicantRequest("natural-person", ValidResidentId, "卓玛", phone) };

        var result = await Open(Applicant, request);

        Assert.Equal(phone, result.Value!.Application.Applicant.Phone);
    }

    public static TheoryData<string> RefusedNames => new()
    {
        "卓\u0000玛",   // NUL
        "卓\u0007玛",   // BEL
        "卓\u001B[31m玛", // ESC, starting a terminal colour sequence
        "卓玛\r",
        "卓玛\n",
        "卓\r\n玛",
        "卓玛\u202Eabc", // RIGHT-TO-LEFT OVERRIDE
        "\u200B",        // only zero-width characters
        "\u200B\u200C\u200D\u2060\uFEFF",
        "\u3164",        // only a HANGUL FILLER
        "\u3164\u3164",
        "\u2800",        // BRAILLE PATTERN BLANK
        "\u00A0",        // NBSP alone
        "卓玛\u2028",
        "卓玛\uE000",    // private use
        new string('玛', 101),
    };

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task Open_WithNameOfControlInvisibleOrFormatCharacters_IsInvalidNamingName_AndStoresNothing(string name)
    {
        var request = PersonRequest() with { Applicant = new ApplicantRequest("natural-person", ValidResidentId, name, null) };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.name");
        Assert.Equal(0, _h.Store.CreateCalls);
    }

    [Fact]
    public async Task Open_WithNameHoldingHalfASurrogatePair_IsInvalidNamingName()
    {
        // Built here, not in theory data: the test runner's serialisation would turn it into U+FFFD.
        var request = PersonRequest() with { Applicant = new ApplicantRequest("natural-person", ValidResidentId, "卓玛\uD800", null) };

        var result = await Open(Applicant, request);

        AssertInvalidNaming(result, "applicant.name");
        Assert.Empty(_h.Store.All);
    }

    [Theory]
    [InlineData("次仁卓玛", "次仁卓玛")]
    [InlineData("扎西·次仁", "扎西·次仁")]
    [InlineData(" 王小明 ", "王小明")]
    [InlineData("\u0F40\u0F0B\u0F41\u0F0B\u0F42", "\u0F40\u0F0B\u0F41\u0F0B\u0F42")] // ཀ་ཁ་ག
    [InlineData("\u0F40\u0FB1\u0F72", "\u0F40\u0FB1\u0F72")]                         // ཀྱི: KA, subjoined YA, vowel I
    [InlineData("\u0F43\u0F0B\u0F40", "\u0F42\u0FB7\u0F0B\u0F40")]                   // GHA is stored as GA + subjoined HA (NFC)
    [InlineData("\uF900", "\u8C48")]                                                   // compatibility ideograph → unified
    public async Task Open_WithTibetanOrChineseName_StoresItInNfc(string name, string stored)
    {
        var request = PersonRequest() with { Applicant = new ApplicantRequest("natural-person", ValidResidentId, name, null) };

        var result = await Open(Applicant, request);

        Assert.True(result.IsSuccess, result.Problem?.Detail);
        Assert.Equal(stored, result.Value!.Application.Applicant.Name);
        Assert.Equal(stored, Assert.Single(_h.Store.All).Applicant.Name);
    }

    [Theory]
    [InlineData("首次\u0000申领")]
    [InlineData("首次\u202E申领")]
    [InlineData("首次\u2028申领")]
    [InlineData("\u3164")]
    [InlineData("\u200B")]
    public async Task Open_WithFormFieldValueOfControlInvisibleOrFormatCharacters_NamesThatField(string value)
    {
        var fields = new Dictionary<string, string> { ["reason"] = value };

        var result = await Open(Applicant, PersonRequest() with { Fields = fields });

        AssertInvalidNaming(result, "fields.reason");
        Assert.Empty(_h.Store.All);
    }

    [Fact]
    public async Task Open_WithMultiLineFormFieldValue_KeepsItsLineBreaks_InNfc()
    {
        var fields = new Dictionary<string, string> { ["address"] = "噶尔县\r\n狮泉河镇\n\u0F40\u0F73" };

        var result = await Open(Applicant, PersonRequest() with { Fields = fields });

        Assert.Equal("噶尔县\r\n狮泉河镇\n\u0F40\u0F71\u0F72", result.Value!.Application.Fields["address"]);
    }

    [Theory]
    [InlineData("rea\u202Eson")]
    [InlineData("reason\n")]
    [InlineData("\u200B")]
    public async Task Open_WithFormFieldNameOfControlOrInvisibleCharacters_NamesFields(string name)
    {
        var fields = new Dictionary<string, string> { [name] = "首次申领" };

        var result = await Open(Applicant, PersonRequest() with { Fields = fields });

        AssertInvalidNaming(result, "fields");
        Assert.Empty(_h.Store.All);
    }

    [Fact]
    public async Task Open_WithTooManyFormFields_IsInvalidNamingFields()
    {
        var fields = Enumerable.Range(0, _h.Options.MaxFields + 1).ToDictionary(i => $"f{i}", i => "x");

        var result = await Open(Applicant, PersonRequest() with { Fields = fields });

        AssertInvalidNaming(result, "fields");
    }

    [Fact]
    public async Task Open_WithOverlongFormFieldValue_NamesThatField()
    {
        var fields = new Dictionary<string, string> { ["address"] = new string('a', _h.Options.MaxFieldValueLength + 1) };

        var result = await Open(Applicant, PersonRequest() with { Fields = fields });

        AssertInvalidNaming(result, "fields.address");
    }

    [Fact]
    public async Task Open_WithFormFields_KeepsThem()
    {
        var fields = new Dictionary<string, string> { ["address"] = "噶尔县狮泉河镇" };

        var result = await Open(Applicant, PersonRequest() with { Fields = fields });

        Assert.Equal("噶尔县狮泉河镇", result.Value!.Application.Fields["address"]);
    }

    [Fact]
    public async Task Open_WithOverlongIdempotencyKey_IsInvalidNamingTheHeader()
    {
        var result = await Open(Applicant, PersonRequest(), key: new string('k', 101));

        AssertInvalidNaming(result, "Idempotency-Key");
    }

    public static TheoryData<OpenApplicationRequest> InvalidRequests => new()
    {
        PersonRequest("window"),
        PersonRequest(document: "110105194912310021"),
        PersonRequest() with { ItemCode = "542500-NOPE-00000" },
        PersonRequest() with { ItemCode = TestCatalog.EnterpriseItemCode },
        new OpenApplicationRequest(null, null, null, null),
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Open_WhenInvalid_StoresNothing(OpenApplicationRequest request)
    {
        var result = await Open(Applicant, request, key: "key-1");

        Assert.False(result.IsSuccess);
        Assert.Equal(0, _h.Store.CreateCalls);
        Assert.Empty(_h.Store.All);
    }

    [Fact]
    public async Task Open_RetriedWithSameKeyAndSameBody_ReplaysTheFirstApplicationAndStoresOne()
    {
        var first = await Open(Applicant, PersonRequest(), key: "key-1", fingerprint: "fp-A");
        _h.Clock.Advance(TimeSpan.FromSeconds(30));

        var second = await Open(Applicant, PersonRequest(), key: "key-1", fingerprint: "fp-A");

        Assert.True(second.IsSuccess, second.Problem?.Detail);
        Assert.False(first.Value!.Replayed);
        Assert.True(second.Value!.Replayed);
        Assert.Equal(first.Value.Application, second.Value.Application);
        Assert.Single(_h.Store.All);
    }

    [Fact]
    public async Task Open_WithAKey_StoresTheRequestsFingerprintKeyed_NotItsPlainHash()
    {
        var sha256OfTheBody = new string('a', 64);

        await Open(Applicant, PersonRequest(), key: "key-1", fingerprint: sha256OfTheBody);

        var stored = Assert.Single(_h.Store.All).RequestFingerprint;
        Assert.Equal(await _h.ApplicantKeys.ForRequestAsync(sha256OfTheBody, CancellationToken.None), stored);
        Assert.NotEqual(sha256OfTheBody, stored);
    }

    [Fact]
    public async Task Open_SameKeyWithDifferentBody_IsUnprocessableKeyReused()
    {
        await Open(Applicant, PersonRequest(), key: "key-1", fingerprint: "fp-A");

        var second = await Open(Applicant, PersonRequest("mobile"), key: "key-1", fingerprint: "fp-B");

        Assert.Equal(ProblemKind.Unprocessable, second.Problem!.Kind);
        Assert.Equal("idempotency-key-reused", second.Problem.Type);
        Assert.Equal(Channel.Web, Assert.Single(_h.Store.All).Channel);
    }

    [Fact]
    public async Task Open_SameKeyByAnotherOwner_OpensASeparateApplication()
    {
        var mine = await Open(Applicant, PersonRequest(), key: "key-1");

        var theirs = await Open(OtherApplicant, PersonRequest(), key: "key-1");

        Assert.False(theirs.Value!.Replayed);
        Assert.NotEqual(mine.Value!.Application.Id, theirs.Value.Application.Id);
        Assert.Equal(2, _h.Store.All.Count());
    }

    [Fact]
    public async Task Open_WithoutKey_OpensANewApplicationEachTime()
    {
        await Open(Applicant, PersonRequest());
        await Open(Applicant, PersonRequest());

        Assert.Equal(2, _h.Store.All.Count());
    }
}

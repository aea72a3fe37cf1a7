using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ali.Serverless.Licences;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Electronic licences over HTTP against the local host: a case approved → licence issued → verified
/// valid through its QR link and offline with the published key → a byte changed in the stored licence
/// → tampered → revoked → revoked; reused as a material of a second application, and refused once
/// revoked or when it is someone else's; a rotated key still verifies the old licence.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed partial class LicenceFlowTests(LocalHostProcess host)
{
    /// <summary>食品经营许可: its M02 (营业执照) may be given as a GTGSHYYZZ licence.</summary>
    private const string FoodItem = "542500-SCJGJ-01002";

    private const string Department = "542500-SCJGJ";

    private static object Person(string itemCode) => new
    {
        itemCode,
        channel = "web",
        applicant = new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛", phone = "13800000000" },
        fields = new Dictionary<string, string> { ["名称"] = "阿里高原牧家小卖部", ["经营场所"] = "狮泉河镇" },
    };

    /// <summary>
    /// Applies for 个体工商户设立登记 (即办件, issues a 个体工商户营业执照, GTGSHYYZZ) and approves it on the spot;
    /// returns the licence id.
    /// </summary>
    private async Task<string> IssuedLicenceAsync(HttpClient applicant, HttpClient reviewer)
    {
        var (id, _) = await EvaluationFlowTests.CompletedCaseAsync(applicant, reviewer);
        var completed = await (await applicant.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        var licenceId = completed.GetProperty("licenceId").GetString()!;
        // The licence follows the decision through the outbox: at once, or when the relay finishes the outbox
        // (its one-minute grace plus its timer, so up to about two minutes).
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while ((await applicant.GetAsync($"/api/licences/{licenceId}")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Licence {licenceId} was not issued.");
            await Task.Delay(200);
        }
        return licenceId;
    }

    private async Task<JsonElement> VerifyAsync(string url)
    {
        var response = await host.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Checks the licence as a verifier would offline: the canonical form of its content, the signature, the published key.</summary>
    private async Task<bool> VerifiesOfflineAsync(JsonElement licence)
    {
        var keys = await (await host.Http.GetAsync("/api/licences/keys")).JsonAsync();
        var kid = licence.GetProperty("content").GetProperty("keyId").GetString();
        var jwk = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = LicenceSignatures.FromBase64Url(jwk.GetProperty("x").GetString()!), Y = LicenceSignatures.FromBase64Url(jwk.GetProperty("y").GetString()!) },
        });
        var canonical = CanonicalJson.Encode(JsonNode.Parse(licence.GetProperty("content").GetRawText()));
        return LicenceSignatures.Verify(key, canonical, licence.GetProperty("signature").GetString()!);
    }

    [Fact]
    public async Task ApprovedCase_IssuesALicence_VerifiedByItsQrCode_ThenTampered_ThenRevoked_AndReusedUntilRevoked()
    {
        var applicant = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var other = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var reviewer = await host.ClientAsAsync("reviewer", "scjgj-reviewer", Department);
        var stranger = await host.ClientAsAsync("reviewer", "jyj-reviewer", "542500-JYJ");

        var licenceId = await IssuedLicenceAsync(applicant, reviewer);

        // The holder's JSON: the signed content, the identity masked, a signature that verifies offline.
        var licence = await (await applicant.GetAsync($"/api/licences/{licenceId}")).JsonAsync();
        var content = licence.GetProperty("content");
        Assert.Equal("valid", licence.GetProperty("status").GetString());
        Assert.Equal("GTGSHYYZZ", content.GetProperty("type").GetProperty("code").GetString());
        Assert.Matches(@"^GTGSHYYZZ-542500-\d{4}-\d{8}$", content.GetProperty("number").GetString());
        Assert.Equal("1101**********002X", content.GetProperty("holder").GetProperty("identityNumber").GetString());
        Assert.Equal("阿里高原牧家小卖部", content.GetProperty("data").GetProperty("名称").GetString());
        Assert.True(await VerifiesOfflineAsync(licence));
        var changed = JsonNode.Parse(licence.GetRawText())!;
        changed["content"]!["data"]!["名称"] = "阿里高原牧家小卖铺";
        Assert.False(await VerifiesOfflineAsync(JsonDocument.Parse(changed.ToJsonString()).RootElement));
        Assert.DoesNotContain(Api.ValidIdNumber, licence.GetRawText(), StringComparison.Ordinal);

        // Listed for its holder; read by its department; nobody else finds it.
        var mine = await (await applicant.GetAsync("/api/me/licences")).JsonAsync();
        Assert.Equal(licenceId, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync($"/api/licences/{licenceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/licences/{licenceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/licences/{licenceId}")).StatusCode);

        // The printable page carries a QR code (inline SVG) of the verification link; anyone opening it sees "valid".
        var page = await applicant.GetAsync($"/api/licences/{licenceId}?format=html");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(content.GetProperty("number").GetString()!, html, StringComparison.Ordinal);
        var link = WebUtility.HtmlDecode(VerificationLink().Match(html).Value);
        Assert.StartsWith(host.Http.BaseAddress!.ToString().TrimEnd('/'), link, StringComparison.Ordinal);
        var verifyPath = new Uri(link).PathAndQuery;
        var valid = await VerifyAsync(verifyPath);
        Assert.Equal("valid", valid.GetProperty("status").GetString());
        Assert.Equal("次**玛", valid.GetProperty("licence").GetProperty("holderName").GetString());
        Assert.DoesNotContain(Api.ValidIdNumber, valid.GetRawText(), StringComparison.Ordinal);
        Assert.False(valid.GetProperty("licence").TryGetProperty("data", out _));

        // Reuse (减材料): the licence instead of an upload of M02 in a second application; the reviewer sees it.
        var food = (await applicant.OpenAsync(Person(FoodItem))).GetProperty("id").GetString()!;
        foreach (var code in new[] { "M01", "M03", "M04" })
        {
            Assert.Equal(HttpStatusCode.OK, (await applicant.ProvideAsync(food, code, Api.Pdf())).StatusCode);
        }
        var given = await applicant.PostAsJsonAsync($"/api/applications/{food}/materials", new { materialCode = "M02", licenceId });
        Assert.True(given.StatusCode == HttpStatusCode.Created, await given.Content.ReadAsStringAsync());
        var givenBody = await given.JsonAsync();
        Assert.Equal("verified", givenBody.GetProperty("material").GetProperty("status").GetString());
        Assert.False(givenBody.TryGetProperty("upload", out _));
        var foodSubmit = await applicant.PostAsync($"/api/applications/{food}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, foodSubmit.StatusCode);
        var foodCase = (await foodSubmit.JsonAsync()).GetProperty("caseNumber").GetString()!;
        var acceptance = await CaseLifecycleTests.TaskOfCaseAsync(reviewer, foodCase, "acceptance");
        var seen = await (await reviewer.GetAsync($"/api/tasks/{acceptance}")).JsonAsync();
        var m02 = seen.GetProperty("case").GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("materialCode").GetString() == "M02");
        Assert.Equal(content.GetProperty("number").GetString(), m02.GetProperty("licence").GetProperty("number").GetString());
        // Someone else's licence is refused as not theirs.
        var theirs = (await other.OpenAsync(Person(FoodItem))).GetProperty("id").GetString()!;
        var refusedForeign = await other.PostAsJsonAsync($"/api/applications/{theirs}/materials", new { materialCode = "M02", licenceId });
        Assert.Equal((HttpStatusCode)422, refusedForeign.StatusCode);
        Assert.Equal("urn:ali-serverless:problem:licence-not-found", (await refusedForeign.JsonAsync()).GetProperty("type").GetString());

        // A byte changed in the stored licence: the QR link now answers "tampered", and shows nothing of it.
        var number = content.GetProperty("number").GetString()!;
        var forged = number[..^1] + (number[^1] == '9' ? '0' : (char)(number[^1] + 1));
        ChangeStoredLicence(licenceId, number, forged);
        var tampered = await VerifyAsync(verifyPath);
        Assert.Equal("tampered", tampered.GetProperty("status").GetString());
        Assert.False(tampered.TryGetProperty("licence", out var hidden) && hidden.ValueKind != JsonValueKind.Null);
        ChangeStoredLicence(licenceId, forged, number);
        Assert.Equal("valid", (await VerifyAsync(verifyPath)).GetProperty("status").GetString());

        // Revocation: only the issuing department's reviewer, with a reason; then "revoked" everywhere.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/licences/{licenceId}/revoke", new { reason = "错误" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.PostAsJsonAsync($"/api/licences/{licenceId}/revoke", new { reason = "" })).StatusCode);
        var revoke = await reviewer.PostAsJsonAsync($"/api/licences/{licenceId}/revoke", new { reason = "经营者申请注销" });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("revoked", (await revoke.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync($"/api/licences/{licenceId}/revoke", new { reason = "再次" })).StatusCode);
        var revoked = await VerifyAsync(verifyPath);
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokedAt").ValueKind);
        Assert.Equal("revoked", (await (await applicant.GetAsync("/api/me/licences")).JsonAsync()).GetProperty("items")[0].GetProperty("status").GetString());

        // A revoked licence can no longer replace an upload: 422 naming it.
        var third = (await applicant.OpenAsync(Person(FoodItem))).GetProperty("id").GetString()!;
        var refused = await applicant.PostAsJsonAsync($"/api/applications/{third}/materials", new { materialCode = "M02", licenceId });
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal("urn:ali-serverless:problem:licence-revoked", problem.GetProperty("type").GetString());
        Assert.Equal(["licenceId"], problem.ErrorFields());

        // Issuing and revoking are in the case's audit trail.
        var supervisor = await host.ClientAsAsync("supervisor", "supervisor-1");
        var trail = await (await supervisor.GetAsync($"/api/cases/{content.GetProperty("caseNumber").GetString()}/audit?pageSize=500")).JsonAsync();
        var actions = trail.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("action").GetString()).ToList();
        Assert.Contains(LicenceService.IssueAction, actions);
        Assert.Contains(LicenceService.RevokeAction, actions);
        Assert.True(trail.GetProperty("verification").GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task ALicenceSignedWithTheOldKey_StillVerifies_AfterANewKeyIsAdded()
    {
        var reviewer = await host.ClientAsAsync("reviewer", "scjgj-reviewer", Department);
        var first = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var old = await (await first.GetAsync($"/api/licences/{await IssuedLicenceAsync(first, reviewer)}")).JsonAsync();
        var oldKid = old.GetProperty("content").GetProperty("keyId").GetString();

        // Rotation: a newer key file beside the old one (in Azure: a new version of the Key Vault secret).
        var stamp = DateTime.UtcNow.AddYears(1).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(host.LicenceKeyDirectory, $"licence-key-{stamp}.pem"), LicenceSignatures.NewPrivateKeyPem());

        var second = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var fresh = await (await second.GetAsync($"/api/licences/{await IssuedLicenceAsync(second, reviewer)}")).JsonAsync();
        var keys = (await (await host.Http.GetAsync("/api/licences/keys")).JsonAsync()).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();

        Assert.NotEqual(oldKid, fresh.GetProperty("content").GetProperty("keyId").GetString());
        Assert.Equal(fresh.GetProperty("content").GetProperty("keyId").GetString(), keys[0]);
        Assert.Contains(oldKid, keys);
        foreach (var licence in new[] { old, fresh })
        {
            var check = await VerifyAsync($"/api/licences/verify?id={licence.GetProperty("id").GetString()}&d={licence.GetProperty("verificationDigest").GetString()}");
            Assert.Equal("valid", check.GetProperty("status").GetString());
            Assert.True(await VerifiesOfflineAsync(licence));
        }
    }

    [Fact]
    public async Task Verify_WithoutItsQueryOrForAnUnknownLicence_IsA400Or404_NeverA5xx()
    {
        var missing = await host.Http.GetAsync("/api/licences/verify");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["d", "id"], (await missing.JsonAsync()).ErrorFields().Order());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/licences/verify?id=0192a7b3c4d5e6f70192a7b3c4d5e6f1&d=AAAAAAAAAAAAAAAAAAAAAA")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("/api/licences/verify?id=%00&d=%E2%80%AE")).StatusCode);
    }

    /// <summary>Plays someone with write access to the store: replaces text inside the licence document itself.</summary>
    private void ChangeStoredLicence(string licenceId, string from, string to)
    {
        using var connection = new SqliteConnection($"Data Source={host.SqlitePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE licences SET document = replace(document, $from, $to) WHERE id = $id";
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.Parameters.AddWithValue("$id", licenceId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [GeneratedRegex(@"https?://[^\s<""]+/api/licences/verify\?id=[0-9a-f]{32}&amp;d=[A-Za-z0-9_-]{22}")]
    private static partial Regex VerificationLink();
}

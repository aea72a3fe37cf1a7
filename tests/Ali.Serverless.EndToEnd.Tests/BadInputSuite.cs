using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Ali.Serverless.Functions.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// The bad-input suite (issue 8, item 10): one table of hostile requests over every route that takes
/// input. Each row names a route, who calls it, and what it sends; each must answer the expected 4xx
/// as a problem detail, never a 5xx, and leave everything an owner, a reviewer and a supervisor can see
/// exactly as it was. Ids in paths are placeholders filled from objects seeded once per run.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class BadInputSuite(LocalHostProcess host)
{
    /// <summary>发改委 item with a co-implementing department; its acceptance task is the lead department's.</summary>
    private const string CaseItem = CaseLifecycleTests.ProjectItem;
    private const string CaseDepartment = CaseLifecycleTests.LeadDepartment;
    private const string OtherDepartment = "542500-JYJ";
    private const string IssuedLookingId = "0192a7b3c4d5e6f70192a7b3c4d5e6f1";
    private const string JsonType = "application/json";

    /// <summary>One hostile request: route and caller, body (raw bytes, so invalid UTF-8 can be sent), expected status and, where known, the field the problem names.</summary>
    public sealed record BadRequest(string Method, string Path, string Caller, byte[]? Body, string? ContentType, int Status, string? Field = null, string? IdempotencyKey = null)
    {
        /// <summary>
        /// False for the few requests the HTTP server itself refuses before any code of ours runs (a NUL in
        /// the decoded path): Kestrel answers a bare 400, here and in the Functions host alike.
        /// </summary>
        public bool ProblemBody { get; init; } = true;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
    private static byte[] JsonOf(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    // Huge for a field, yet under the body limit (escaped in JSON as 6 bytes a character), so the field rule answers.
    private static readonly string Huge = new('字', 3_000);
    private static readonly string Long = new('a', 5_000);
    private static readonly string DeepNesting = new string('[', 5_000) + new string(']', 5_000);
    private static readonly byte[] InvalidUtf8 = [.. Utf8("{\"reason\":\""), 0xC3, 0x28, 0xFF, 0xFE, .. Utf8("\"}")];
    private static readonly string Sha = new('a', 64);

    private static object OpenBody(string itemCode = Api.SocialSecurityCardItem, object? channel = null, object? applicant = null, object? fields = null) => new
    {
        itemCode,
        channel = channel ?? "web",
        applicant = applicant ?? new { kind = "natural-person", documentNumber = Api.ValidIdNumber, name = "次仁卓玛" },
        fields,
    };

    private static object Person(object? kind = null, object? documentNumber = null, object? name = null, object? phone = null) => new
    {
        kind = kind ?? "natural-person",
        documentNumber = documentNumber ?? Api.ValidIdNumber,
        name = name ?? "次仁卓玛",
        phone,
    };

    private static object Declaration(object? materialCode = null, object? fileName = null, object? contentType = null, object? sizeBytes = null, object? sha256 = null) => new
    {
        materialCode = materialCode ?? "M01",
        fileName = fileName ?? "身份证.pdf",
        contentType = contentType ?? "application/pdf",
        sizeBytes = sizeBytes ?? 2048,
        sha256 = sha256 ?? Sha,
    };

    /// <summary>The routes that read a JSON body, with the caller allowed to use them and a body that would be accepted.</summary>
    private static readonly (string Name, string Method, string Path, string Caller)[] JsonRoutes =
    [
        ("open", "POST", "/api/applications", "owner"),
        ("declare", "POST", "/api/applications/{draft}/materials", "owner"),
        ("withdraw", "POST", "/api/applications/{draft}/withdraw", "owner"),
        ("complete-task", "POST", "/api/tasks/{task}/complete", "reviewer"),
        ("special-procedure", "POST", "/api/cases/{case}/special-procedures", "reviewer"),
        ("end-special-procedure", "POST", $"/api/cases/{{case}}/special-procedures/{IssuedLookingId}/end", "reviewer"),
        ("preferences", "PUT", "/api/me/preferences", "owner"),
        ("revoke-licence", "POST", $"/api/licences/{IssuedLookingId}/revoke", "reviewer"),
        ("recompute-statistics", "POST", "/api/statistics/recompute", "operator"),
        ("evaluate", "POST", "/api/applications/{draft}/evaluation", "owner"),
        ("appeal-evaluation", "POST", "/api/cases/{case}/evaluation/appeal", "reviewer"),
        ("decide-appeal", "POST", "/api/cases/{case}/evaluation/appeal/decision", "supervisor"),
    ];

    private static readonly (string Kind, byte[] Body)[] MalformedBodies =
    [
        ("truncated", Utf8("{\"itemCode\": ")),
        ("not JSON", Utf8("hello")),
        ("an array", Utf8("[]")),
        ("a string", Utf8("\"x\"")),
        ("JSON null", Utf8("null")),
        ("deep nesting", Utf8("{\"a\":" + DeepNesting + "}")),
        ("invalid UTF-8", InvalidUtf8),
        ("trailing garbage", Utf8("{} x")),
        ("a comment", Utf8("/* hi */ {}")),
        ("single quotes", Utf8("{'reason':'x'}")),
    ];

    private static readonly string[] WrongContentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"];

    // Lazy: the table reads static fields declared below it.
    private static readonly Lazy<Dictionary<string, BadRequest>> Rows = new(Build);

    public static IReadOnlyDictionary<string, BadRequest> Table => Rows.Value;

    private static Dictionary<string, BadRequest> Build()
    {
        var t = new Dictionary<string, BadRequest>(StringComparer.Ordinal);
        void Add(string name, BadRequest request) => t.Add(name, request);

        // --- malformed bodies and wrong content types, on every route that reads JSON --------------------
        foreach (var (route, method, path, caller) in JsonRoutes)
        {
            foreach (var (kind, body) in MalformedBodies)
            {
                Add($"{route}: {kind} body", new(method, path, caller, body, JsonType, 400, "body"));
            }
            foreach (var type in WrongContentTypes)
            {
                Add($"{route}: body as {type}", new(method, path, caller, Utf8("{}"), type, 415));
            }
            Add($"{route}: JSON without Content-Type", new(method, path, caller, Utf8("{}"), null, 415));
            Add($"{route}: body over the size limit", new(method, path, caller, JsonOf(new { padding = new string('x', 200_000) }), JsonType, 413));
        }
        Add("receipts: broken JSON", new("POST", "/api/notifications/receipts?token=local-fake-sms-receipt-token-not-a-secret", "none", Utf8("[{\"sid\": "), JsonType, 400));
        Add("receipts: no token", new("POST", "/api/notifications/receipts", "none", Utf8("[]"), JsonType, 401));
        Add("receipts: wrong token", new("POST", "/api/notifications/receipts?token=guess", "none", Utf8("[]"), JsonType, 401));
        Add("receipts: huge token", new("POST", $"/api/notifications/receipts?token={Long}", "none", Utf8("[]"), JsonType, 401));

        // --- opening: wrong types, huge, invisible and forged values ------------------------------------
        Add("open: itemCode a number", new("POST", "/api/applications", "owner", Utf8("{\"itemCode\":12,\"channel\":\"web\"}"), JsonType, 400, "itemCode"));
        Add("open: applicant a string", new("POST", "/api/applications", "owner", Utf8($"{{\"itemCode\":\"{Api.SocialSecurityCardItem}\",\"channel\":\"web\",\"applicant\":\"me\"}}"), JsonType, 400, "applicant"));
        Add("open: fields an array", new("POST", "/api/applications", "owner", Utf8($"{{\"itemCode\":\"{Api.SocialSecurityCardItem}\",\"channel\":\"web\",\"applicant\":{{\"kind\":\"natural-person\",\"documentNumber\":\"{Api.ValidIdNumber}\",\"name\":\"a\"}},\"fields\":[1]}}"), JsonType, 400, "fields"));
        Add("open: unknown item", new("POST", "/api/applications", "owner", JsonOf(OpenBody("NO-SUCH-ITEM")), JsonType, 400, "itemCode"));
        Add("open: item code with path traversal", new("POST", "/api/applications", "owner", JsonOf(OpenBody("../../542500-RSJ-20001")), JsonType, 400, "itemCode"));
        Add("open: huge item code", new("POST", "/api/applications", "owner", JsonOf(OpenBody(Long)), JsonType, 400, "itemCode"));
        Add("open: unknown channel", new("POST", "/api/applications", "owner", JsonOf(OpenBody(channel: "fax")), JsonType, 400, "channel"));
        Add("open: channel a number", new("POST", "/api/applications", "owner", JsonOf(OpenBody(channel: 1)), JsonType, 400, "channel"));
        Add("open: unknown applicant kind", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(kind: "alien"))), JsonType, 400, "applicant.kind"));
        Add("open: ID number with a wrong check digit", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: "110105194912310021"))), JsonType, 400, "applicant.documentNumber"));
        Add("open: ID number of letters", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: "ABCDEFGHIJKLMNOPQR"))), JsonType, 400, "applicant.documentNumber"));
        Add("open: ID number with a zero-width space", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: "110105194912\u200B31002X"))), JsonType, 400, "applicant.documentNumber"));
        Add("open: ID number with full-width digits", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: "１１０１０５１９４９１２３１００２Ｘ"))), JsonType, 400, "applicant.documentNumber"));
        Add("open: huge ID number", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: Long))), JsonType, 400, "applicant.documentNumber"));
        Add("open: ID number a number", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: 110105194912310021))), JsonType, 400, "applicant.documentNumber"));
        Add("open: credit code for a natural person", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(documentNumber: CaseLifecycleTests.CreditCode))), JsonType, 400, "applicant.documentNumber"));
        Add("open: huge name", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: Huge))), JsonType, 400, "applicant.name"));
        Add("open: empty name", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: ""))), JsonType, 400, "applicant.name"));
        Add("open: name a number", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: 7))), JsonType, 400, "applicant.name"));
        Add("open: name with NUL", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: "卓\u0000玛"))), JsonType, 400, "applicant.name"));
        Add("open: name with ESC", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: "卓\u001B[2J玛"))), JsonType, 400, "applicant.name"));
        Add("open: name with a bidi override", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: "卓玛\u202Egnp.exe"))), JsonType, 400, "applicant.name"));
        Add("open: name with a bidi isolate", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: "卓玛\u2066x\u2069"))), JsonType, 400, "applicant.name"));
        Add("open: name of zero-width characters", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: "\u200B\u200C\u200D"))), JsonType, 400, "applicant.name"));
        Add("open: name of a filler", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(name: "\u3164"))), JsonType, 400, "applicant.name"));
        Add("open: name with a lone surrogate", new("POST", "/api/applications", "owner", Utf8($"{{\"itemCode\":\"{Api.SocialSecurityCardItem}\",\"channel\":\"web\",\"applicant\":{{\"kind\":\"natural-person\",\"documentNumber\":\"{Api.ValidIdNumber}\",\"name\":\"卓\\uD800玛\"}}}}"), JsonType, 400));
        Add("open: phone of letters", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(phone: "1390000abcd"))), JsonType, 400, "applicant.phone"));
        Add("open: phone with a newline", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(phone: "13900000000\n"))), JsonType, 400, "applicant.phone"));
        Add("open: huge phone", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(phone: Long))), JsonType, 400, "applicant.phone"));
        Add("open: phone a number", new("POST", "/api/applications", "owner", JsonOf(OpenBody(applicant: Person(phone: 13900000000))), JsonType, 400, "applicant.phone"));
        Add("open: form field with a bidi override", new("POST", "/api/applications", "owner", JsonOf(OpenBody(fields: new Dictionary<string, string> { ["reason"] = "首次\u202E申领" })), JsonType, 400, "fields.reason"));
        Add("open: huge form field", new("POST", "/api/applications", "owner", JsonOf(OpenBody(fields: new Dictionary<string, string> { ["reason"] = Huge })), JsonType, 400, "fields.reason"));
        Add("open: form field a number", new("POST", "/api/applications", "owner", Utf8($"{{\"itemCode\":\"{Api.SocialSecurityCardItem}\",\"channel\":\"web\",\"applicant\":{{\"kind\":\"natural-person\",\"documentNumber\":\"{Api.ValidIdNumber}\",\"name\":\"a\"}},\"fields\":{{\"reason\":3}}}}"), JsonType, 400, "fields.reason"));
        Add("open: Idempotency-Key too long", new("POST", "/api/applications", "owner", JsonOf(OpenBody()), JsonType, 400, "Idempotency-Key", IdempotencyKey: Long));
        Add("open: Idempotency-Key with a control character", new("POST", "/api/applications", "owner", JsonOf(OpenBody()), JsonType, 400, "Idempotency-Key", IdempotencyKey: "key\u0007"));

        // --- declaring a material -------------------------------------------------------------------------
        const string declare = "/api/applications/{draft}/materials";
        Add("declare: unknown material code", new("POST", declare, "owner", JsonOf(Declaration(materialCode: "M99")), JsonType, 400, "materialCode"));
        Add("declare: material code a number", new("POST", declare, "owner", JsonOf(Declaration(materialCode: 1)), JsonType, 400, "materialCode"));
        Add("declare: file name with ../", new("POST", declare, "owner", JsonOf(Declaration(fileName: "../../etc/passwd.pdf")), JsonType, 400, "fileName"));
        Add("declare: absolute file name", new("POST", declare, "owner", JsonOf(Declaration(fileName: "/etc/passwd.pdf")), JsonType, 400, "fileName"));
        Add("declare: file name with a backslash", new("POST", declare, "owner", JsonOf(Declaration(fileName: "..\\..\\boot.pdf")), JsonType, 400, "fileName"));
        Add("declare: file name with a URL-encoded traversal", new("POST", declare, "owner", JsonOf(Declaration(fileName: "%2e%2e%2fetc.pdf")), JsonType, 400, "fileName"));
        Add("declare: huge file name", new("POST", declare, "owner", JsonOf(Declaration(fileName: Long + ".pdf")), JsonType, 400, "fileName"));
        Add("declare: file name with NUL", new("POST", declare, "owner", JsonOf(Declaration(fileName: "a\u0000.pdf")), JsonType, 400, "fileName"));
        Add("declare: file name with a bidi override", new("POST", declare, "owner", JsonOf(Declaration(fileName: "invoice\u202Efdp.exe")), JsonType, 400, "fileName"));
        Add("declare: file name of fillers", new("POST", declare, "owner", JsonOf(Declaration(fileName: "\u3164\u3164")), JsonType, 400, "fileName"));
        Add("declare: file name with a line separator", new("POST", declare, "owner", JsonOf(Declaration(fileName: "报告\u2028.pdf")), JsonType, 400, "fileName"));
        Add("declare: content type not allowed", new("POST", declare, "owner", JsonOf(Declaration(contentType: "application/x-msdownload")), JsonType, 400, "contentType"));
        Add("declare: content type with parameters smuggled", new("POST", declare, "owner", JsonOf(Declaration(contentType: "application/pdf\r\nx-ms-meta: 1")), JsonType, 400, "contentType"));
        Add("declare: negative size", new("POST", declare, "owner", JsonOf(Declaration(sizeBytes: -1)), JsonType, 400, "sizeBytes"));
        Add("declare: zero size", new("POST", declare, "owner", JsonOf(Declaration(sizeBytes: 0)), JsonType, 400, "sizeBytes"));
        Add("declare: absurd size", new("POST", declare, "owner", JsonOf(Declaration(sizeBytes: 1_000_000_000_000_000L)), JsonType, 400, "sizeBytes"));
        Add("declare: size beyond a long", new("POST", declare, "owner", Utf8($"{{\"materialCode\":\"M01\",\"fileName\":\"a.pdf\",\"contentType\":\"application/pdf\",\"sizeBytes\":99999999999999999999999,\"sha256\":\"{Sha}\"}}"), JsonType, 400, "sizeBytes"));
        Add("declare: fractional size", new("POST", declare, "owner", Utf8($"{{\"materialCode\":\"M01\",\"fileName\":\"a.pdf\",\"contentType\":\"application/pdf\",\"sizeBytes\":2.5,\"sha256\":\"{Sha}\"}}"), JsonType, 400, "sizeBytes"));
        Add("declare: size as a string", new("POST", declare, "owner", JsonOf(Declaration(sizeBytes: "2048")), JsonType, 400, "sizeBytes"));
        Add("declare: short hash", new("POST", declare, "owner", JsonOf(Declaration(sha256: new string('a', 63))), JsonType, 400, "sha256"));
        Add("declare: long hash", new("POST", declare, "owner", JsonOf(Declaration(sha256: new string('a', 65))), JsonType, 400, "sha256"));
        Add("declare: hash not hex", new("POST", declare, "owner", JsonOf(Declaration(sha256: new string('g', 64))), JsonType, 400, "sha256"));
        Add("declare: hash in base64", new("POST", declare, "owner", JsonOf(Declaration(sha256: Convert.ToBase64String(new byte[32]))), JsonType, 400, "sha256"));
        Add("declare: hash with a trailing newline", new("POST", declare, "owner", JsonOf(Declaration(sha256: Sha + "\n")), JsonType, 400, "sha256"));
        Add("declare: hash a number", new("POST", declare, "owner", JsonOf(Declaration(sha256: 12345)), JsonType, 400, "sha256"));
        // contentMd5 (decision 21): optional, but when given exactly the 24 base64 characters of a 16-byte digest.
        static object WithMd5(object contentMd5) => new { materialCode = "M01", fileName = "身份证.pdf", contentType = "application/pdf", sizeBytes = 2048, sha256 = Sha, contentMd5 };
        Add("declare: md5 in hex", new("POST", declare, "owner", JsonOf(WithMd5("d41d8cd98f00b204e9800998ecf8427e")), JsonType, 400, "contentMd5"));
        Add("declare: md5 without its padding", new("POST", declare, "owner", JsonOf(WithMd5("1B2M2Y8AsgTpgAmY7PhCfg")), JsonType, 400, "contentMd5"));
        Add("declare: md5 not base64", new("POST", declare, "owner", JsonOf(WithMd5("1B2M2Y8AsgTpgAmY7PhC!g==")), JsonType, 400, "contentMd5"));
        Add("declare: md5 of the wrong length", new("POST", declare, "owner", JsonOf(WithMd5(Convert.ToBase64String(new byte[32]))), JsonType, 400, "contentMd5"));
        Add("declare: md5 a number", new("POST", declare, "owner", JsonOf(WithMd5(12345)), JsonType, 400, "contentMd5"));

        // --- a material, its upload target and its completion, by bad or foreign ids -------------------
        Add("material: unknown id", new("GET", $"/api/applications/{{draft}}/materials/{IssuedLookingId}", "owner", null, null, 404));
        Add("material: id with traversal", new("GET", "/api/applications/{draft}/materials/..%2F..%2Fverified", "owner", null, null, 404));
        Add("upload target: unknown material", new("POST", $"/api/applications/{{draft}}/materials/{IssuedLookingId}/upload-target", "owner", null, null, 404));
        Add("upload target: someone else's material", new("POST", "/api/applications/{draft}/materials/{material}/upload-target", "stranger", null, null, 404));
        Add("complete: unknown material", new("POST", $"/api/applications/{{draft}}/materials/{IssuedLookingId}/complete", "owner", null, null, 404));
        Add("complete: someone else's material", new("POST", "/api/applications/{draft}/materials/{material}/complete", "stranger", null, null, 404));
        Add("complete: nothing uploaded yet", new("POST", "/api/applications/{draft}/materials/{material}/complete", "owner", null, null, 422));
        Add("read link: unknown material", new("POST", $"/api/applications/{{draft}}/materials/{IssuedLookingId}/read-link", "owner", null, null, 404));
        Add("read link: id with traversal", new("POST", "/api/applications/{draft}/materials/..%2F..%2Fverified/read-link", "owner", null, null, 404));
        Add("read link: someone else's material", new("POST", "/api/applications/{draft}/materials/{material}/read-link", "stranger", null, null, 404));
        Add("read link: not verified yet", new("POST", "/api/applications/{draft}/materials/{material}/read-link", "owner", null, null, 409));

        // --- applications by bad or foreign ids, and their pages --------------------------------------------
        Add("application: someone else's", new("GET", "/api/applications/{draft}", "stranger", null, null, 404));
        Add("application: a reviewer reads it", new("GET", "/api/applications/{draft}", "reviewer", null, null, 403));
        Add("application: id with traversal", new("GET", "/api/applications/..%2F..%2Fetc%2Fpasswd", "owner", null, null, 404));
        Add("application: id with NUL", new("GET", "/api/applications/%00", "owner", null, null, 400) { ProblemBody = false });
        Add("application: huge id", new("GET", $"/api/applications/{Long}", "owner", null, null, 404));
        Add("application: SQL in the id", new("GET", "/api/applications/'%20OR%20'1'%3D'1", "owner", null, null, 404));
        Add("application: issued-looking id of nobody", new("GET", $"/api/applications/{IssuedLookingId}", "owner", null, null, 404));
        Add("declare: on someone else's", new("POST", declare, "stranger", JsonOf(Declaration()), JsonType, 404));
        Add("submit: someone else's", new("POST", "/api/applications/{draft}/submit", "stranger", null, null, 404));
        Add("submit: with materials missing", new("POST", "/api/applications/{draft}/submit", "owner", null, null, 422));
        Add("withdraw: someone else's", new("POST", "/api/applications/{draft}/withdraw", "stranger", null, null, 404));
        Add("withdraw: huge reason", new("POST", "/api/applications/{draft}/withdraw", "owner", JsonOf(new { reason = Huge }), JsonType, 400, "reason"));
        Add("withdraw: reason a number", new("POST", "/api/applications/{draft}/withdraw", "owner", JsonOf(new { reason = 5 }), JsonType, 400, "reason"));
        Add("withdraw: reason with a bidi override", new("POST", "/api/applications/{draft}/withdraw", "owner", JsonOf(new { reason = "不再\u202E需要" }), JsonType, 400, "reason"));
        Add("resubmit: someone else's case", new("POST", "/api/applications/{caseApplication}/resubmit", "stranger", null, null, 404));
        Add("resubmit: no supplement asked", new("POST", "/api/applications/{caseApplication}/resubmit", "caseOwner", null, null, 409));
        Add("resubmit: a draft", new("POST", "/api/applications/{draft}/resubmit", "owner", null, null, 409));
        Add("submit: a case already submitted", new("POST", "/api/applications/{caseApplication}/submit", "caseOwner", null, null, 409));
        Add("notifications of someone else's application", new("GET", "/api/applications/{caseApplication}/notifications", "stranger", null, null, 404));
        foreach (var (what, query) in PageQueries)
        {
            Add($"applications: {what}", new("GET", $"/api/applications?{query}", "owner", null, null, 400, FieldOf(query)));
            Add($"worklist: {what}", new("GET", $"/api/worklist?{query}", "reviewer", null, null, 400, FieldOf(query)));
            Add($"warnings: {what}", new("GET", $"/api/supervision/warnings?{query}", "supervisor", null, null, 400, FieldOf(query)));
            Add($"inbox: {what}", new("GET", $"/api/me/notifications?{query}", "owner", null, null, 400, FieldOf(query)));
        }
        Add("worklist: unknown kind", new("GET", "/api/worklist?kind=everything", "reviewer", null, null, 400, "kind"));
        Add("warnings: unknown level", new("GET", "/api/supervision/warnings?level=panic", "supervisor", null, null, 400, "level"));
        Add("inbox: unread not a boolean", new("GET", "/api/me/notifications?unread=maybe", "owner", null, null, 400, "unread"));

        // --- tasks and cases: foreign, forged and malformed --------------------------------------------------
        const string complete = "/api/tasks/{task}/complete";
        Add("task: another department's", new("GET", "/api/tasks/{task}", "otherReviewer", null, null, 404));
        Add("task: completed by another department", new("POST", complete, "otherReviewer", JsonOf(new { outcome = "accept" }), JsonType, 404));
        Add("task: completed by the applicant", new("POST", complete, "caseOwner", JsonOf(new { outcome = "accept" }), JsonType, 403));
        Add("task: id with traversal", new("GET", "/api/tasks/..%2F..%2Fcases", "reviewer", null, null, 404));
        Add("task: huge id", new("GET", $"/api/tasks/{Long}", "reviewer", null, null, 404));
        Add("task: unknown outcome", new("POST", complete, "reviewer", JsonOf(new { outcome = "approve-everything" }), JsonType, 400, "outcome"));
        Add("task: outcome a number", new("POST", complete, "reviewer", JsonOf(new { outcome = 1 }), JsonType, 400, "outcome"));
        Add("task: no outcome", new("POST", complete, "reviewer", JsonOf(new { opinion = "好" }), JsonType, 400, "outcome"));
        Add("task: review outcome on an acceptance task", new("POST", complete, "reviewer", JsonOf(new { outcome = "approve" }), JsonType, 400, "outcome"));
        Add("task: not-accept without an opinion", new("POST", complete, "reviewer", JsonOf(new { outcome = "not-accept" }), JsonType, 400, "opinion"));
        Add("task: huge opinion", new("POST", complete, "reviewer", JsonOf(new { outcome = "not-accept", opinion = Huge }), JsonType, 400, "opinion"));
        Add("task: opinion with a bidi override", new("POST", complete, "reviewer", JsonOf(new { outcome = "not-accept", opinion = "不予\u202E受理" }), JsonType, 400, "opinion"));
        Add("task: opinion of zero-width characters", new("POST", complete, "reviewer", JsonOf(new { outcome = "not-accept", opinion = "\u200B\u200B" }), JsonType, 400, "opinion"));
        Add("task: supplement without materials", new("POST", complete, "reviewer", JsonOf(new { outcome = "supplement" }), JsonType, 400, "missingMaterials"));
        Add("task: supplement of an unknown material", new("POST", complete, "reviewer", JsonOf(new { outcome = "supplement", missingMaterials = new[] { new { code = "M99", reason = "不清晰" } } }), JsonType, 400));
        Add("task: supplement materials not a list", new("POST", complete, "reviewer", JsonOf(new { outcome = "supplement", missingMaterials = "M01" }), JsonType, 400, "missingMaterials"));
        Add("task: supplement reason with NUL", new("POST", complete, "reviewer", JsonOf(new { outcome = "supplement", missingMaterials = new[] { new { code = "M01", reason = "不\u0000清晰" } } }), JsonType, 400));
        Add("case: another department's", new("GET", "/api/cases/{case}", "otherReviewer", null, null, 404));
        Add("case: the applicant reads it as staff", new("GET", "/api/cases/{case}", "caseOwner", null, null, 403));
        Add("case: malformed number", new("GET", "/api/cases/..%2F..%2Fapplications", "supervisor", null, null, 404));
        Add("case: huge number", new("GET", $"/api/cases/{Long}", "supervisor", null, null, 404));
        Add("case: number of nobody", new("GET", "/api/cases/542500-20260310-ABCDEF0123", "supervisor", null, null, 404));
        Add("audit: a reviewer asks", new("GET", "/api/cases/{case}/audit", "reviewer", null, null, 403));
        Add("audit: NUL for a number", new("GET", "/api/cases/%00/audit", "supervisor", null, null, 400) { ProblemBody = false });
        Add("audit: malformed number", new("GET", "/api/cases/not-a-case-number/audit", "supervisor", null, null, 404));
        Add("audit: case of nobody", new("GET", "/api/cases/542500-20260310-ABCDEF0123/audit", "supervisor", null, null, 404));
        // The trail's pages (decision 27): every malformed page size or token is a 400 naming it.
        foreach (var (what, query) in PageQueries.Concat(AuditPageQueries))
        {
            Add($"audit: {what}", new("GET", $"/api/cases/{{case}}/audit?{query}", "supervisor", null, null, 400, FieldOf(query)));
        }
        Add("case read link: another department's case", new("POST", "/api/cases/{case}/materials/{material}/read-link", "otherReviewer", null, null, 404));
        Add("case read link: a material not of the case", new("POST", "/api/cases/{case}/materials/{material}/read-link", "reviewer", null, null, 404));
        Add("case read link: unknown material", new("POST", $"/api/cases/{{case}}/materials/{IssuedLookingId}/read-link", "reviewer", null, null, 404));
        Add("case read link: malformed number", new("POST", $"/api/cases/..%2F..%2Fx/materials/{IssuedLookingId}/read-link", "reviewer", null, null, 404));
        Add("case read link: the applicant asks as staff", new("POST", "/api/cases/{case}/materials/{material}/read-link", "caseOwner", null, null, 403));
        const string procedures = "/api/cases/{case}/special-procedures";
        Add("special procedure: another department's case", new("POST", procedures, "otherReviewer", JsonOf(new { kind = "hearing", reason = "听证" }), JsonType, 404));
        Add("special procedure: unknown kind", new("POST", procedures, "reviewer", JsonOf(new { kind = "vacation", reason = "休假" }), JsonType, 400, "kind"));
        Add("special procedure: kind a number", new("POST", procedures, "reviewer", JsonOf(new { kind = 3, reason = "听证" }), JsonType, 400, "kind"));
        Add("special procedure: no reason", new("POST", procedures, "reviewer", JsonOf(new { kind = "hearing" }), JsonType, 400, "reason"));
        Add("special procedure: huge reason", new("POST", procedures, "reviewer", JsonOf(new { kind = "hearing", reason = Huge }), JsonType, 400, "reason"));
        Add("special procedure: reason with ESC", new("POST", procedures, "reviewer", JsonOf(new { kind = "hearing", reason = "听\u001B证" }), JsonType, 400, "reason"));
        Add("special procedure: before acceptance", new("POST", procedures, "reviewer", JsonOf(new { kind = "hearing", reason = "听证" }), JsonType, 409));
        Add("special procedure end: unknown procedure", new("POST", $"/api/cases/{{case}}/special-procedures/{IssuedLookingId}/end", "reviewer", JsonOf(new { result = "结束" }), JsonType, 404));
        Add("special procedure end: id with traversal", new("POST", "/api/cases/{case}/special-procedures/..%2F..%2Fx/end", "reviewer", JsonOf(new { result = "结束" }), JsonType, 404));

        // --- good and bad reviews (好差评) ------------------------------------------------------------------------
        const string evaluate = "/api/applications/{draft}/evaluation";
        var online = new Dictionary<string, int> { ["efficiency"] = 1, ["guideAccuracy"] = 1, ["convenience"] = 1, ["operability"] = 1 };
        Add("evaluate: satisfaction a string", new("POST", evaluate, "owner", JsonOf(new { satisfaction = "5", indicators = online }), JsonType, 400, "satisfaction"));
        Add("evaluate: satisfaction a fraction", new("POST", evaluate, "owner", Utf8("{\"satisfaction\":2.5,\"indicators\":{}}"), JsonType, 400, "satisfaction"));
        Add("evaluate: satisfaction beyond 5", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 7, indicators = online }), JsonType, 400, "satisfaction"));
        Add("evaluate: satisfaction 0", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 0, indicators = online }), JsonType, 400, "satisfaction"));
        Add("evaluate: no satisfaction", new("POST", evaluate, "owner", JsonOf(new { indicators = online }), JsonType, 400, "satisfaction"));
        Add("evaluate: a hall indicator on an online case", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 2, indicators = new Dictionary<string, int>(online) { ["attitude"] = 2 } }), JsonType, 400, "indicators.attitude"));
        Add("evaluate: an indicator missing", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 2, indicators = new { efficiency = 1, guideAccuracy = 1, convenience = 1 } }), JsonType, 400, "indicators.operability"));
        Add("evaluate: an indicator a string", new("POST", evaluate, "owner", Utf8("{\"satisfaction\":2,\"indicators\":{\"efficiency\":\"1\"}}"), JsonType, 400, "indicators.efficiency"));
        Add("evaluate: an indicator beyond 5", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 2, indicators = new Dictionary<string, int>(online) { ["efficiency"] = 6 } }), JsonType, 400, "indicators.efficiency"));
        Add("evaluate: indicators an array", new("POST", evaluate, "owner", Utf8("{\"satisfaction\":2,\"indicators\":[1,2]}"), JsonType, 400, "indicators"));
        Add("evaluate: text with a bidi override", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 4, indicators = online, text = "很慢\u202E" }), JsonType, 400, "text"));
        Add("evaluate: huge text", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 4, indicators = online, text = Huge }), JsonType, 400, "text"));
        Add("evaluate: a draft", new("POST", evaluate, "owner", JsonOf(new { satisfaction = 1, indicators = online }), JsonType, 409));
        Add("evaluate: someone else's application", new("POST", evaluate, "stranger", JsonOf(new { satisfaction = 1, indicators = online }), JsonType, 404));
        Add("evaluate: a reviewer", new("POST", evaluate, "reviewer", JsonOf(new { satisfaction = 1, indicators = online }), JsonType, 403));
        Add("evaluate: id with traversal", new("POST", "/api/applications/..%2F..%2Fx/evaluation", "owner", JsonOf(new { satisfaction = 1, indicators = online }), JsonType, 404));
        Add("evaluation read: none yet", new("GET", evaluate, "owner", null, null, 404));
        Add("evaluation read: someone else's", new("GET", evaluate, "stranger", null, null, 404));
        Add("evaluation read: a supervisor", new("GET", evaluate, "supervisor", null, null, 403));
        const string appeal = "/api/cases/{case}/evaluation/appeal";
        Add("appeal: no reason", new("POST", appeal, "reviewer", JsonOf(new { }), JsonType, 400, "reason"));
        Add("appeal: huge reason", new("POST", appeal, "reviewer", JsonOf(new { reason = Huge }), JsonType, 400, "reason"));
        Add("appeal: reason a number", new("POST", appeal, "reviewer", JsonOf(new { reason = 5 }), JsonType, 400, "reason"));
        Add("appeal: a case without a review", new("POST", appeal, "reviewer", JsonOf(new { reason = "恶意差评" }), JsonType, 404));
        Add("appeal: another department's case", new("POST", appeal, "otherReviewer", JsonOf(new { reason = "恶意差评" }), JsonType, 404));
        Add("appeal: the applicant", new("POST", appeal, "caseOwner", JsonOf(new { reason = "恶意差评" }), JsonType, 403));
        Add("appeal: malformed case number", new("POST", "/api/cases/..%2F..%2Fx/evaluation/appeal", "reviewer", JsonOf(new { reason = "恶意差评" }), JsonType, 404));
        const string decision = "/api/cases/{case}/evaluation/appeal/decision";
        Add("appeal decision: unknown outcome", new("POST", decision, "supervisor", JsonOf(new { outcome = "void", opinion = "x" }), JsonType, 400, "outcome"));
        Add("appeal decision: no opinion", new("POST", decision, "supervisor", JsonOf(new { outcome = "upheld" }), JsonType, 400, "opinion"));
        Add("appeal decision: opinion with ESC", new("POST", decision, "supervisor", JsonOf(new { outcome = "upheld", opinion = "成\u001B立" }), JsonType, 400, "opinion"));
        Add("appeal decision: nothing appealed", new("POST", decision, "supervisor", JsonOf(new { outcome = "upheld", opinion = "成立" }), JsonType, 404));
        Add("appeal decision: a reviewer", new("POST", decision, "reviewer", JsonOf(new { outcome = "upheld", opinion = "成立" }), JsonType, 403));
        Add("public reviews: unknown item", new("GET", "/api/catalog/items/NO-SUCH-ITEM/evaluations", "none", null, null, 404));
        Add("public reviews: item with traversal", new("GET", "/api/catalog/items/..%2F..%2Fx/evaluations", "none", null, null, 404));
        Add("public reviews: page size 0", new("GET", $"/api/catalog/items/{CaseItem}/evaluations?pageSize=0", "none", null, null, 400, "pageSize"));
        Add("public reviews: page size of letters", new("GET", $"/api/catalog/items/{CaseItem}/evaluations?pageSize=many", "none", null, null, 400, "pageSize"));
        Add("public reviews: garbage continuation token", new("GET", $"/api/catalog/items/{CaseItem}/evaluations?continuationToken=%00%01garbage", "none", null, null, 400, "continuationToken"));
        Add("department reviews: malformed department", new("GET", "/api/departments/542500_FGW%3B/evaluations", "none", null, null, 400, "departmentCode"));
        Add("department reviews: page size 101", new("GET", $"/api/departments/{CaseDepartment}/evaluations?pageSize=101", "none", null, null, 400, "pageSize"));
        Add("appeals: page size 0", new("GET", "/api/supervision/appeals?pageSize=0", "supervisor", null, null, 400, "pageSize"));
        Add("appeals: garbage continuation token", new("GET", "/api/supervision/appeals?continuationToken=bm9wZQ", "supervisor", null, null, 400, "continuationToken"));
        Add("appeals: a reviewer", new("GET", "/api/supervision/appeals", "reviewer", null, null, 403));
        Add("department reviews: garbage continuation token", new("GET", $"/api/departments/{CaseDepartment}/evaluations?continuationToken=bm9wZQ", "none", null, null, 400, "continuationToken"));

        // --- full reads of the applicant (audited reveals) ---------------------------------------------------
        Add("reveal: someone else's application", new("GET", "/api/applications/{draft}/applicant", "stranger", null, null, 404));
        Add("reveal: a reviewer on the applicants' route", new("GET", "/api/applications/{draft}/applicant", "reviewer", null, null, 403));
        Add("reveal: id with traversal", new("GET", "/api/applications/..%2F..%2Fx/applicant", "owner", null, null, 404));
        Add("reveal: huge id", new("GET", $"/api/applications/{Long}/applicant", "owner", null, null, 404));
        Add("task reveal: another department's task", new("GET", "/api/tasks/{task}/applicant", "otherReviewer", null, null, 404));
        Add("task reveal: a supervisor", new("GET", "/api/tasks/{task}/applicant", "supervisor", null, null, 403));
        Add("task reveal: the applicant", new("GET", "/api/tasks/{task}/applicant", "caseOwner", null, null, 403));
        Add("task reveal: unknown task", new("GET", $"/api/tasks/{IssuedLookingId}/applicant", "reviewer", null, null, 404));

        // --- inbox and preferences --------------------------------------------------------------------------
        Add("inbox: mark someone else's entry read", new("POST", $"/api/me/notifications/{IssuedLookingId}/read", "owner", null, null, 404));
        Add("inbox: mark an entry with a traversal id", new("POST", "/api/me/notifications/..%2F..%2Fx/read", "owner", null, null, 404));
        Add("preferences: unknown language", new("PUT", "/api/me/preferences", "owner", JsonOf(new { language = "en" }), JsonType, 400, "language"));
        Add("preferences: language a number", new("PUT", "/api/me/preferences", "owner", JsonOf(new { language = 1 }), JsonType, 400, "language"));
        Add("preferences: huge language", new("PUT", "/api/me/preferences", "owner", JsonOf(new { language = Long }), JsonType, 400, "language"));
        Add("preferences: no language", new("PUT", "/api/me/preferences", "owner", JsonOf(new { }), JsonType, 400, "language"));
        Add("preferences: language with a zero-width space", new("PUT", "/api/me/preferences", "owner", JsonOf(new { language = "bo\u200B" }), JsonType, 400, "language"));

        // --- the public catalog -------------------------------------------------------------------------------
        // --- licences ---------------------------------------------------------------------------------
        Add("verify: no query", new("GET", "/api/licences/verify", "none", null, null, 400, "id"));
        Add("verify: id with traversal", new("GET", "/api/licences/verify?id=..%2F..%2Fetc&d=AAAAAAAAAAAAAAAAAAAAAA", "none", null, null, 400, "id"));
        Add("verify: digest with control characters", new("GET", $"/api/licences/verify?id={IssuedLookingId}&d=%1B%5B2J", "none", null, null, 400, "d"));
        Add("verify: huge digest", new("GET", $"/api/licences/verify?id={IssuedLookingId}&d={Long}", "none", null, null, 400, "d"));
        Add("verify: unknown licence", new("GET", $"/api/licences/verify?id={IssuedLookingId}&d=AAAAAAAAAAAAAAAAAAAAAA", "none", null, null, 404));
        Add("licence: unknown id", new("GET", $"/api/licences/{IssuedLookingId}", "owner", null, null, 404));
        Add("licence: id with traversal", new("GET", "/api/licences/..%2F..%2Fetc%2Fpasswd", "owner", null, null, 404));
        Add("licence: unknown format", new("GET", $"/api/licences/{IssuedLookingId}?format=pdf", "owner", null, null, 400, "format"));
        Add("revoke: unknown licence", new("POST", $"/api/licences/{IssuedLookingId}/revoke", "reviewer", JsonOf(new { reason = "吊销" }), JsonType, 404));
        Add("revoke: id with traversal", new("POST", "/api/licences/..%2F..%2Fx/revoke", "reviewer", JsonOf(new { reason = "吊销" }), JsonType, 404));
        // --- statistics: every parameter checked and named; a month never computed is 404 -------------------
        foreach (var (view, caller) in new[] { ("statistics", "supervisor"), ("statistics/public", "none") })
        {
            Add($"{view}: no period", new("GET", $"/api/{view}", caller, null, null, 400, "period"));
            Add($"{view}: month 13", new("GET", $"/api/{view}?period=2026-13", caller, null, null, 400, "period"));
            Add($"{view}: month 0", new("GET", $"/api/{view}?period=2026-00", caller, null, null, 400, "period"));
            Add($"{view}: a day, not a month", new("GET", $"/api/{view}?period=2026-02-01", caller, null, null, 400, "period"));
            Add($"{view}: a future month", new("GET", $"/api/{view}?period=2999-01", caller, null, null, 400, "period"));
            Add($"{view}: period with SQL", new("GET", $"/api/{view}?period=2026-02%27%3B%20DROP%20TABLE%20statistics%3B--", caller, null, null, 400, "period"));
            Add($"{view}: period with full-width digits", new("GET", $"/api/{view}?period=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-02", caller, null, null, 400, "period"));
            Add($"{view}: huge period", new("GET", $"/api/{view}?period={Long}", caller, null, null, 400, "period"));
            Add($"{view}: department with traversal", new("GET", $"/api/{view}?period=2026-01&department=..%2F..%2Fetc", caller, null, null, 400, "department"));
            Add($"{view}: department with a control character", new("GET", $"/api/{view}?period=2026-01&department=542500-RSJ%1B", caller, null, null, 400, "department"));
            Add($"{view}: huge department", new("GET", $"/api/{view}?period=2026-01&department={Long}", caller, null, null, 400, "department"));
            Add($"{view}: county outside Ali", new("GET", $"/api/{view}?period=2026-01&county=110105", caller, null, null, 400, "county"));
            Add($"{view}: county of letters", new("GET", $"/api/{view}?period=2026-01&county=abc", caller, null, null, 400, "county"));
            Add($"{view}: unknown format", new("GET", $"/api/{view}?period=2026-01&format=xlsx", caller, null, null, 400, "format"));
            Add($"{view}: a month never computed", new("GET", $"/api/{view}?period=2001-01", caller, null, null, 404));
        }
        Add("statistics: as a reviewer", new("GET", "/api/statistics?period=2026-01", "reviewer", null, null, 403));
        Add("statistics: without a token", new("GET", "/api/statistics?period=2026-01", "none", null, null, 401));
        Add("recompute: no period", new("POST", "/api/statistics/recompute", "operator", Utf8("{}"), JsonType, 400, "period"));
        Add("recompute: period a number", new("POST", "/api/statistics/recompute", "operator", Utf8("{\"period\":202601}"), JsonType, 400, "period"));
        Add("recompute: a future month", new("POST", "/api/statistics/recompute", "operator", JsonOf(new { period = "2999-01" }), JsonType, 400, "period"));
        Add("recompute: period with a bidi override", new("POST", "/api/statistics/recompute", "operator", JsonOf(new { period = "2026-\u202E01" }), JsonType, 400, "period"));
        Add("recompute: as a supervisor", new("POST", "/api/statistics/recompute", "supervisor", JsonOf(new { period = "2026-01" }), JsonType, 403));
        Add("declare: licence for a material that takes none", new("POST", "/api/applications/{draft}/materials", "owner", JsonOf(new { materialCode = "M01", licenceId = IssuedLookingId }), JsonType, 422, "licenceId"));
        Add("declare: licence and file fields together", new("POST", "/api/applications/{draft}/materials", "owner", JsonOf(new { materialCode = "M01", licenceId = IssuedLookingId, fileName = "x.pdf" }), JsonType, 400, "fileName"));
        Add("declare: licence id a number", new("POST", "/api/applications/{draft}/materials", "owner", JsonOf(new { materialCode = "M01", licenceId = 7 }), JsonType, 400, "licenceId"));

        Add("catalog: unknown item", new("GET", "/api/catalog/items/NO-SUCH-ITEM", "none", null, null, 404));
        Add("catalog: item with traversal", new("GET", "/api/catalog/items/..%2F..%2Fetc%2Fpasswd", "none", null, null, 404));
        Add("catalog: huge item code", new("GET", $"/api/catalog/items/{Long}", "none", null, null, 404));
        Add("catalog: unknown language", new("GET", "/api/catalog/items?lang=xx", "none", null, null, 400, "lang"));
        Add("catalog item: unknown language", new("GET", $"/api/catalog/items/{Api.SocialSecurityCardItem}?lang=%00", "none", null, null, 400, "lang"));
        Add("catalog: huge keyword", new("GET", $"/api/catalog/items?keyword={Long}", "none", null, null, 400, "keyword"));
        Add("catalog: keyword with control characters", new("GET", "/api/catalog/items?keyword=%1B%5B2J", "none", null, null, 400, "keyword"));
        Add("catalog: malformed department", new("GET", "/api/catalog/items?department=..%2F..", "none", null, null, 400, "department"));
        Add("catalog: unknown item type", new("GET", "/api/catalog/items?itemType=everything", "none", null, null, 400, "itemType"));

        // --- tokens: every way a bearer token can be wrong, on a read, a write and a staff action -------
        foreach (var (kind, _) in BadTokens)
        {
            Add($"token {kind}: list applications", new("GET", "/api/applications", $"token:{kind}", null, null, 401));
            Add($"token {kind}: open an application", new("POST", "/api/applications", $"token:{kind}", JsonOf(OpenBody()), JsonType, 401));
            Add($"token {kind}: complete a task", new("POST", complete, $"token:{kind}", JsonOf(new { outcome = "accept" }), JsonType, 401));
        }
        Add("token: staff without a second factor", new("POST", complete, "reviewerWithoutMfa", JsonOf(new { outcome = "accept" }), JsonType, 403));
        Add("token: a role this API does not serve", new("GET", "/api/applications", "unknownRole", null, null, 403));
        Add("token: a reviewer without a department", new("GET", "/api/worklist", "reviewerWithoutDepartment", null, null, 403));
        return t;
    }

    private static readonly (string What, string Query)[] PageQueries =
    [
        ("page size zero", "pageSize=0"),
        ("negative page size", "pageSize=-1"),
        ("huge page size", "pageSize=1000000"),
        ("page size beyond an int", "pageSize=99999999999999"),
        ("page size not a number", "pageSize=ten"),
        ("fractional page size", "pageSize=1.5"),
        ("garbage continuation token", "continuationToken=garbage"),
        ("base64 garbage continuation token", "continuationToken=eyJmb28iOiJiYXIifQ%3D%3D"),
        ("huge continuation token", $"continuationToken={new string('A', 4_000)}"),
        ("continuation token with SQL", "continuationToken=%27%3B%20DROP%20TABLE%20applications%3B--"),
    ];

    /// <summary>What the audit trail's pages refuse beyond <see cref="PageQueries"/>: its own maximum, and tokens that look almost like its sequences.</summary>
    private static readonly (string What, string Query)[] AuditPageQueries =
    [
        ("page size above its maximum of 500", "pageSize=501"),
        ("page size with an invisible character", "pageSize=%E2%80%8B10"),
        ("page size in other digits", "pageSize=%D9%A1%D9%A0"),
        ("negative continuation token", "continuationToken=-1"),
        ("continuation token with a sign", "continuationToken=%2B4"),
        ("continuation token with an invisible character", "continuationToken=%E2%80%8B4"),
        ("continuation token with a space", "continuationToken=4%20"),
        ("continuation token beyond a long", "continuationToken=99999999999999999999"),
        ("continuation token past the end of the trail", "continuationToken=900000"),
    ];

    private static string FieldOf(string query) => query[..query.IndexOf('=')];

    /// <summary>Tokens that must each be a 401. Forged ones claim the owner's subject or the reviewer's department, so a wrongly accepted one would show in what those people see.</summary>
    private static readonly (string Kind, Func<Seed, string> Token)[] BadTokens =
    [
        ("expired", s => Mint(s.ReviewerSubject, "reviewer", CaseDepartment, expires: DateTime.UtcNow.AddHours(-1), notBefore: DateTime.UtcNow.AddHours(-2))),
        ("not yet valid", s => Mint(s.ReviewerSubject, "reviewer", CaseDepartment, notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2))),
        ("alg none", s => Unsigned(s.ReviewerSubject, "reviewer", CaseDepartment)),
        ("with a changed payload", s => Tampered(s.OwnerToken, s.ReviewerSubject)),
        ("with a changed signature", s => s.OwnerToken[..^4] + (s.OwnerToken[^4..] == "AAAA" ? "BBBB" : "AAAA")),
        ("from another issuer", s => Mint(s.ReviewerSubject, "reviewer", CaseDepartment, issuer: "https://evil.example/")),
        ("for another audience", s => Mint(s.ReviewerSubject, "reviewer", CaseDepartment, audience: "some-other-api")),
        ("signed with another key", s => Mint(s.ReviewerSubject, "reviewer", CaseDepartment, key: "an-attackers-own-signing-key-of-32-bytes")),
        ("without an expiry", s => Mint(s.ReviewerSubject, "reviewer", CaseDepartment, noExpiry: true)),
        ("that is garbage", _ => "not-a-token"),
        ("that is empty", _ => ""),
        ("of two parts", s => string.Join('.', s.OwnerToken.Split('.').Take(2))),
    ];

    private static string Mint(string subject, string role, string? department, DateTime? expires = null, DateTime? notBefore = null,
        string issuer = AuthSettings.DefaultIssuer, string audience = AuthSettings.DefaultAudience, string key = "local-development-only-signing-key-not-a-secret", bool noExpiry = false)
    {
        var claims = new List<Claim> { new("sub", subject), new(CallerAuthenticator.RoleClaim, role), new("amr", "pwd"), new("amr", "mfa") };
        if (department is not null)
        {
            claims.Add(new Claim(CallerAuthenticator.DepartmentClaim, department));
        }
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = !noExpiry };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = noExpiry ? null : notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = noExpiry ? null : expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key.PadRight(32, '.'))), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);

    private static string Unsigned(string subject, string role, string department)
    {
        var exp = new DateTimeOffset(DateTime.UtcNow.AddHours(1)).ToUnixTimeSeconds();
        var payload = $$"""{"sub":"{{subject}}","role":"{{role}}","department":"{{department}}","amr":["pwd","mfa"],"iss":"{{AuthSettings.DefaultIssuer}}","aud":"{{AuthSettings.DefaultAudience}}","exp":{{exp}}}""";
        return $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{Base64Url(payload)}.";
    }

    /// <summary>The owner's genuine token with its payload rewritten to a reviewer of the case's department, signature kept.</summary>
    private static string Tampered(string genuine, string subject)
    {
        var parts = genuine.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        var forged = payload.ToDictionary(p => p.Key, p => (object)p.Value);
        forged["sub"] = subject;
        forged["role"] = "reviewer";
        forged["department"] = CaseDepartment;
        forged["amr"] = new[] { "pwd", "mfa" };
        return $"{parts[0]}.{Base64Url(JsonSerializer.Serialize(forged))}.{parts[2]}";
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in Table.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void TheTable_HasAtLeast150Cases_AndReachesEveryRouteThatTakesInput()
    {
        Assert.True(Table.Count >= 150, $"{Table.Count} cases");
        var routes = Permissions.Table
            .Where(p => p.Function is not ("Health" or "GetOpenApiDocument" or "GetQueueHealth" or "GetNotificationCounts" or "GetMyPreferences" or "GetLicenceKeys" or "ListMyLicences"))
            .Select(p => $"{p.Method} /api/{p.Route}");
        var reached = Table.Values.Select(c => $"{c.Method} {Template(c.Path)}").ToHashSet();
        Assert.Equal([], routes.Where(r => !reached.Contains(r)).ToArray());
    }

    /// <summary>A case's path with its concrete segments turned back into the table's route template.</summary>
    private static string Template(string path)
    {
        var route = path.Split('?')[0];
        return Permissions.Table
            .Select(p => $"/api/{p.Route}")
            .FirstOrDefault(template => Matches(template, route)) is { } found ? found : route;
    }

    private static bool Matches(string template, string path)
    {
        var want = template.Split('/');
        var have = path.Split('/');
        return want.Length == have.Length && want.Zip(have).All(p => p.First.StartsWith('{') || p.First == p.Second);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryBadRequest_IsItsOwn4xxProblem_AndChangesNothing(string name)
    {
        var c = Table[name];
        var seed = await Seed.OnceAsync(host);
        var before = await seed.WhatPeopleSeeAsync(host);

        var response = await SendAsync(seed, c);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == c.Status, $"{name}: expected {c.Status}, got {status} {Clip(text)}");
        if (c.ProblemBody)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        if (c.Field is not null)
        {
            using var problem = JsonDocument.Parse(text);
            Assert.Contains(c.Field, problem.RootElement.ErrorFields());
        }
        Assert.Equal(before, await seed.WhatPeopleSeeAsync(host));
    }

    private static string Clip(string text) => text.Length > 400 ? text[..400] + "…" : text;

    private async Task<HttpResponseMessage> SendAsync(Seed seed, BadRequest c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), seed.Fill(c.Path));
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
            }
        }
        if (c.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", c.IdempotencyKey);
        }
        if (await seed.TokenOfAsync(host, c.Caller) is { } token)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }
        return await host.Http.SendAsync(request);
    }

    // --- concurrency -----------------------------------------------------------------------------------

    [Fact]
    public async Task TwoParallelOpens_WithOneIdempotencyKey_AndDifferentBodies_GiveOneApplication()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        var key = Guid.NewGuid().ToString("N");
        HttpRequestMessage Open(string reason)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications")
            {
                Content = JsonContent.Create(OpenBody(fields: new Dictionary<string, string> { ["reason"] = reason })),
            };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(citizen.SendAsync(Open("首次申领")), citizen.SendAsync(Open("补领")));
            Assert.All(responses, r => Assert.True((int)r.StatusCode < 500, r.StatusCode.ToString()));
        }

        var list = await (await citizen.GetAsync("/api/applications")).JsonAsync();
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    /// <summary>
    /// What the suite's requests aim at, made once per local host: a draft with a declared material, a
    /// submitted case waiting for acceptance with its task, and the people concerned.
    /// </summary>
    private sealed class Seed
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static (LocalHostProcess Host, Seed Seed)? _made;
        private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

        public required string ReviewerSubject { get; init; }
        public required string OwnerToken { get; init; }
        public required HttpClient Owner { get; init; }
        public required HttpClient CaseOwner { get; init; }
        public required HttpClient Reviewer { get; init; }
        public required HttpClient Supervisor { get; init; }
        public required HttpClient Stranger { get; init; }
        public required Dictionary<string, string> Ids { get; init; }

        public static async Task<Seed> OnceAsync(LocalHostProcess host)
        {
            await Gate.WaitAsync();
            try
            {
                if (_made is { } made && ReferenceEquals(made.Host, host))
                {
                    return made.Seed;
                }
                var seed = await MakeAsync(host);
                _made = (host, seed);
                return seed;
            }
            finally
            {
                Gate.Release();
            }
        }

        private static async Task<Seed> MakeAsync(LocalHostProcess host)
        {
            var run = Guid.NewGuid().ToString("N")[..12];
            var owner = await host.ClientAsAsync("applicant", $"bad-input-owner-{run}");
            var caseOwner = await host.ClientAsAsync("applicant", $"bad-input-company-{run}");
            var stranger = await host.ClientAsAsync("applicant", $"bad-input-stranger-{run}");
            var reviewerSubject = $"bad-input-reviewer-{run}";
            var reviewer = await host.ClientAsAsync("reviewer", reviewerSubject, CaseDepartment);
            var supervisor = await host.ClientAsAsync("supervisor", $"bad-input-supervisor-{run}");

            var draft = (await owner.OpenAsync()).GetProperty("id").GetString()!;
            var declared = await owner.DeclareAsync(draft, "M01", Api.Pdf());
            Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
            var material = (await declared.JsonAsync()).GetProperty("material").GetProperty("id").GetString()!;

            var opened = await caseOwner.OpenAsync(new
            {
                itemCode = CaseItem,
                channel = "web",
                applicant = new { kind = "legal-person", documentNumber = CaseLifecycleTests.CreditCode, name = "阿里高原能源有限公司" },
            });
            var caseApplication = opened.GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await caseOwner.ProvideAsync(caseApplication, "M01", Api.Pdf())).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await caseOwner.ProvideAsync(caseApplication, "M02", Api.Pdf())).StatusCode);
            var submitted = await caseOwner.PostAsync($"/api/applications/{caseApplication}/submit", null);
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            var caseNumber = (await submitted.JsonAsync()).GetProperty("caseNumber").GetString()!;
            await IntakeFlowTests.WaitForAsync(caseOwner, caseApplication, a => a.GetProperty("status").GetString() == "pending-acceptance");
            var task = await AcceptanceTaskAsync(reviewer, caseNumber);

            return new Seed
            {
                ReviewerSubject = reviewerSubject,
                OwnerToken = owner.DefaultRequestHeaders.Authorization!.Parameter!,
                Owner = owner,
                CaseOwner = caseOwner,
                Reviewer = reviewer,
                Supervisor = supervisor,
                Stranger = stranger,
                Ids = new()
                {
                    ["{draft}"] = draft,
                    ["{material}"] = material,
                    ["{caseApplication}"] = caseApplication,
                    ["{case}"] = caseNumber,
                    ["{task}"] = task,
                },
            };
        }

        private static async Task<string> AcceptanceTaskAsync(HttpClient reviewer, string caseNumber)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var page = await (await reviewer.GetAsync("/api/worklist?kind=acceptance&pageSize=100")).JsonAsync();
                var task = page.GetProperty("items").EnumerateArray().FirstOrDefault(t => t.GetProperty("caseNumber").GetString() == caseNumber);
                if (task.ValueKind == JsonValueKind.Object)
                {
                    return task.GetProperty("id").GetString()!;
                }
                Assert.True(DateTime.UtcNow < deadline, $"No acceptance task for {caseNumber}.");
                await Task.Delay(200);
            }
        }

        public string Fill(string path) => Ids.Aggregate(path, (p, id) => p.Replace(id.Key, id.Value, StringComparison.Ordinal));

        public async Task<string?> TokenOfAsync(LocalHostProcess host, string caller)
        {
            if (caller.StartsWith("token:", StringComparison.Ordinal))
            {
                var kind = caller["token:".Length..];
                return BadTokens.Single(t => t.Kind == kind).Token(this);
            }
            if (caller == "none")
            {
                return null;
            }
            if (!_tokens.TryGetValue(caller, out var token))
            {
                token = caller switch
                {
                    "owner" => OwnerToken,
                    "caseOwner" => CaseOwner.DefaultRequestHeaders.Authorization!.Parameter!,
                    "stranger" => Stranger.DefaultRequestHeaders.Authorization!.Parameter!,
                    "reviewer" => Reviewer.DefaultRequestHeaders.Authorization!.Parameter!,
                    "supervisor" => Supervisor.DefaultRequestHeaders.Authorization!.Parameter!,
                    "operator" => (await host.ClientAsAsync("operator", "bad-input-operator")).DefaultRequestHeaders.Authorization!.Parameter!,
                    "otherReviewer" => (await host.ClientAsAsync("reviewer", "bad-input-other-reviewer", OtherDepartment)).DefaultRequestHeaders.Authorization!.Parameter!,
                    "reviewerWithoutMfa" => MintWithout("amr", ReviewerSubject, "reviewer", CaseDepartment),
                    "unknownRole" => Mint(ReviewerSubject, "emperor", null),
                    "reviewerWithoutDepartment" => Mint(ReviewerSubject, "reviewer", null),
                    _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "No such caller in the suite."),
                };
                _tokens[caller] = token;
            }
            return token;
        }

        /// <summary>A correctly signed staff token that lacks the multi-factor claim.</summary>
        private static string MintWithout(string claim, string subject, string role, string department) =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = AuthSettings.DefaultIssuer,
                Audience = AuthSettings.DefaultAudience,
                Subject = new ClaimsIdentity([new("sub", subject), new(CallerAuthenticator.RoleClaim, role), new(CallerAuthenticator.DepartmentClaim, department), new(claim, "pwd")]),
                Expires = DateTime.UtcNow.AddHours(1),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("local-development-only-signing-key-not-a-secret".PadRight(32, '.'))), SecurityAlgorithms.HmacSha256),
            });

        /// <summary>Everything the people of the seed can see; a bad request must leave it byte for byte as it was.</summary>
        public async Task<string> WhatPeopleSeeAsync(LocalHostProcess host)
        {
            var seen = new StringBuilder();
            foreach (var (client, path) in new[]
            {
                (Owner, "/api/applications?pageSize=100"),
                (Owner, $"/api/applications/{Ids["{draft}"]}"),
                (Owner, "/api/me/preferences"),
                (Stranger, "/api/applications?pageSize=100"),
                (CaseOwner, $"/api/applications/{Ids["{caseApplication}"]}"),
                (Reviewer, $"/api/tasks/{Ids["{task}"]}"),
                (Supervisor, $"/api/cases/{Ids["{case}"]}"),
            })
            {
                var response = await client.GetAsync(path);
                seen.Append(path).Append(' ').Append((int)response.StatusCode).Append(' ').AppendLine(await response.Content.ReadAsStringAsync());
            }
            return seen.ToString();
        }
    }
}

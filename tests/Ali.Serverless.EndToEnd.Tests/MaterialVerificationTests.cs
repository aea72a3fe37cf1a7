using System.Net;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>Completion refuses any upload that is not exactly what was declared, and nothing changes when it does.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class MaterialVerificationTests(LocalHostProcess host)
{
    [Fact]
    public async Task TamperedUpload_WithTheDeclaredMd5_IsRefusedByBlobStorageOnThePut()
    {
        var (citizen, id) = await OpenAsync();
        var declaredBytes = Api.Pdf();
        var declared = await (await citizen.DeclareWithMd5Async(id, "M01", declaredBytes)).JsonAsync();

        // The upload target's headers carry the declared Content-MD5: other bytes of the same size never get stored.
        var put = await Api.UploadAsync(declared, Api.Pdf());
        var complete = await CompleteAsync(citizen, id, declared);

        Assert.Equal(Api.Md5(declaredBytes), declared.GetProperty("upload").GetProperty("headers").GetProperty("Content-MD5").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("urn:ali-serverless:problem:material-not-uploaded", (await complete.JsonAsync()).GetProperty("type").GetString());
        await AssertStillAwaitingUploadAsync(citizen, id);
    }

    [Fact]
    public async Task TamperedUpload_SentWithoutTheContentMd5Header_IsRefusedAtCompletion_NamingContentMd5()
    {
        var (citizen, id) = await OpenAsync();
        var declared = await (await citizen.DeclareWithMd5Async(id, "M01", Api.Pdf())).JsonAsync();
        var tampered = Api.Pdf();

        // A client that drops the header: Blob Storage stores the bytes and the MD5 it computed for them.
        var upload = declared.GetProperty("upload");
        using var request = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("url").GetString()) { Content = new ByteArrayContent(tampered) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Content.Headers.ContentType = new("application/pdf");
        using var plain = new HttpClient();
        Assert.Equal(HttpStatusCode.Created, (await plain.SendAsync(request)).StatusCode);
        var complete = await CompleteAsync(citizen, id, declared);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Equal("application/problem+json", complete.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["contentMd5"], (await complete.JsonAsync()).ErrorFields());
        await AssertStillAwaitingUploadAsync(citizen, id);
    }

    [Fact]
    public async Task UploadWithTheDeclaredMd5_IsVerified_AndTheReadLinkCarriesTheServicesMd5()
    {
        var (citizen, id) = await OpenAsync();
        var bytes = Api.Pdf();
        var declared = await (await citizen.DeclareWithMd5Async(id, "M01", bytes)).JsonAsync();
        Assert.Equal(HttpStatusCode.Created, (await Api.UploadAsync(declared, bytes)).StatusCode);

        var complete = await CompleteAsync(citizen, id, declared);
        var materialId = declared.GetProperty("material").GetProperty("id").GetString();
        var link = await (await citizen.PostAsync($"/api/applications/{id}/materials/{materialId}/read-link", null)).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal(Api.Md5(bytes), link.GetProperty("contentMd5").GetString());
        using var plain = new HttpClient();
        Assert.Equal(bytes, await plain.GetByteArrayAsync(link.GetProperty("url").GetString()));
    }

    [Fact]
    public async Task VerifiedMaterial_CannotBeSwapped_ThroughItsStillValidUploadUrl()
    {
        var (citizen, id) = await OpenAsync();
        var verifiedBytes = Api.Pdf();
        var declared = await (await citizen.DeclareAsync(id, "M01", verifiedBytes)).JsonAsync();
        await Api.UploadAsync(declared, verifiedBytes);
        Assert.Equal(HttpStatusCode.OK, (await CompleteAsync(citizen, id, declared)).StatusCode);

        // The URL has not expired: storage takes the new bytes into the uploaded blob...
        Assert.Equal(HttpStatusCode.Created, (await Api.UploadAsync(declared, Api.Pdf())).StatusCode);

        // ...but the bytes staff read are the sealed copy made at verification.
        var materialId = declared.GetProperty("material").GetProperty("id").GetString();
        var materials = new Azure.Storage.Blobs.BlobContainerClient(Environment.GetEnvironmentVariable("ALI_TEST_STORAGE") ?? "UseDevelopmentStorage=true", "materials");
        var sealedBytes = (await materials.GetBlobClient($"verified/{id}/{materialId}").DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(verifiedBytes, sealedBytes);
        var material = await (await citizen.GetAsync($"/api/applications/{id}/materials/{materialId}")).JsonAsync();
        Assert.Equal("verified", material.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OversizedUpload_IsRefused_AndStaysUnverified()
    {
        var (citizen, id) = await OpenAsync();
        var declaredBytes = Api.Pdf(1000);
        var declared = await (await citizen.DeclareAsync(id, "M01", declaredBytes)).JsonAsync();

        await Api.UploadAsync(declared, Api.Pdf(50_000));
        var complete = await CompleteAsync(citizen, id, declared);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Contains("sizeBytes", (await complete.JsonAsync()).ErrorFields());
        await AssertStillAwaitingUploadAsync(citizen, id);
    }

    [Fact]
    public async Task WronglyTypedUpload_PngBytesDeclaredAsPdf_IsRefused()
    {
        var (citizen, id) = await OpenAsync();
        var png = Api.Png();
        var declared = await (await citizen.DeclareAsync(id, "M01", png, "application/pdf", "scan.pdf")).JsonAsync();

        await Api.UploadAsync(declared, png);
        var complete = await CompleteAsync(citizen, id, declared);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Contains("contentType", (await complete.JsonAsync()).ErrorFields());
        await AssertStillAwaitingUploadAsync(citizen, id);
    }

    [Fact]
    public async Task RenewedUploadTarget_WritesTheSameMaterial_WhichThenCompletes()
    {
        var (citizen, id) = await OpenAsync();
        var bytes = Api.Pdf();
        var declared = await (await citizen.DeclareAsync(id, "M01", bytes)).JsonAsync();
        var materialId = declared.GetProperty("material").GetProperty("id").GetString();

        var renewedResponse = await citizen.PostAsync($"/api/applications/{id}/materials/{materialId}/upload-target", null);
        var renewed = await renewedResponse.JsonAsync();
        await Api.UploadAsync(renewed, bytes);
        var complete = await CompleteAsync(citizen, id, declared);

        var material = await (await citizen.GetAsync($"/api/applications/{id}/materials/{materialId}")).JsonAsync();
        Assert.Equal(HttpStatusCode.OK, renewedResponse.StatusCode);
        Assert.Equal(materialId, renewed.GetProperty("material").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal("verified", material.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CompletingAMaterialNeverUploaded_IsRefused()
    {
        var (citizen, id) = await OpenAsync();
        var declared = await (await citizen.DeclareAsync(id, "M01", Api.Pdf())).JsonAsync();

        var complete = await CompleteAsync(citizen, id, declared);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Equal("urn:ali-serverless:problem:material-not-uploaded", (await complete.JsonAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Declaring_OverTheItemsSizeLimit_IsRefusedBeforeAnyUpload()
    {
        var (citizen, id) = await OpenAsync();

        // M02 (photo) of the social security card item accepts at most 2 MiB.
        var response = await citizen.DeclareAsync(id, "M02", Api.Jpeg(3 * 1024 * 1024), "image/jpeg", "photo.jpg");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["sizeBytes"], (await response.JsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task Submit_WithMaterialsMissing_NamesEveryMissingOneAtOnce()
    {
        var (citizen, id) = await OpenAsync();
        await citizen.DeclareAsync(id, "M01", Api.Pdf());

        var response = await citizen.PostAsync($"/api/applications/{id}/submit", null);
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["materials.M01", "materials.M02"], problem.ErrorFields().Order());
        Assert.Equal(2, problem.GetProperty("missingMaterials").GetArrayLength());
        Assert.Equal("draft", (await (await citizen.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SubmittingTwice_IsAConflict_NamingTheCaseNumber()
    {
        var (citizen, id) = await OpenAsync();
        await citizen.ProvideAsync(id, "M01", Api.Pdf());
        await citizen.ProvideAsync(id, "M02", Api.Jpeg(), "image/jpeg");
        var first = await (await citizen.PostAsync($"/api/applications/{id}/submit", null)).JsonAsync();

        var second = await citizen.PostAsync($"/api/applications/{id}/submit", null);

        var problem = await second.JsonAsync();
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        // The pre-check may already have taken the case: the local queue runner is woken by the submission (decision 22).
        Assert.Contains(problem.GetProperty("applicationStatus").GetString(), new[] { "submitted", "pending-acceptance" });
        Assert.Equal(first.GetProperty("caseNumber").GetString(), problem.GetProperty("caseNumber").GetString());
    }

    private async Task<(HttpClient Citizen, string Id)> OpenAsync()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");
        return (citizen, (await citizen.OpenAsync()).GetProperty("id").GetString()!);
    }

    private static Task<HttpResponseMessage> CompleteAsync(HttpClient client, string id, System.Text.Json.JsonElement declared) =>
        client.PostAsync($"/api/applications/{id}/materials/{declared.GetProperty("material").GetProperty("id").GetString()}/complete", null);

    private static async Task AssertStillAwaitingUploadAsync(HttpClient client, string id)
    {
        var application = await (await client.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Equal("awaiting-upload", application.GetProperty("materials")[0].GetProperty("status").GetString());
    }
}

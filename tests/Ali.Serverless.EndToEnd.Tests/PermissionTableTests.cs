using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ali.Serverless.Functions.Auth;
using Ali.Serverless.Identity;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Generated from the permission table: every route called as every role and without a token. A role
/// the table does not list gets 403; a listed role never does; nobody gets a 5xx.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class PermissionTableTests(LocalHostProcess host)
{
    private const string SomeId = "0192a7b3c4d5e6f70192a7b3c4d5e6f1";

    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (var permission in Permissions.Table.Where(p => !p.IsAnonymous))
        {
            data.Add(permission.Function);
        }
        return data;
    }

    private static string PathOf(Permission p) =>
        "/api/" + System.Text.RegularExpressions.Regex.Replace(p.Route, @"\{(\w+)\}", m => m.Groups[1].Value == "caseNumber" ? "542500-20260310-ABCDEF0123" : SomeId);

    private static HttpRequestMessage Request(Permission p, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(p.Method), PathOf(p));
        if (p.Method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task EveryRole_IsAllowedOrRefused_AsTheTableSays(string function)
    {
        var permission = Permissions.For(function);

        using (var anonymous = Request(permission, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(anonymous)).StatusCode);
        }
        foreach (var role in Roles.All)
        {
            var department = Roles.WithDepartment.Contains(role) ? "542500-FGW" : null;
            var client = await host.ClientAsAsync(role, $"{role}-probe", department);
            using var request = Request(permission, null);
            request.Headers.Authorization = client.DefaultRequestHeaders.Authorization;

            var response = await host.Http.SendAsync(request);

            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{function} as {role}: {status}");
            if (permission.Roles.Contains(role))
            {
                Assert.True(response.StatusCode != HttpStatusCode.Forbidden, $"{function} as {role}: refused, but the table allows it.");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{function} as {role}: {status}, but the table does not allow it.");
            }
        }
    }
}

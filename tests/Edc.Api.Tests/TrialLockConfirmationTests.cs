using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>
/// The database lock confirmed with a reason and the admin's own password (LockTrial's Reason and Password). The API's
/// <c>POST /api/trials/{trialId}/lock</c> takes neither (it has no body: the bearer token is the admin's), so they are
/// sent as the admin's trial page sends them: its form, posted over HTTP with the web session's cookie and token.
/// Each test locks a trial of its own.
/// </summary>
public sealed partial class TrialLockConfirmationTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const string Reason = "Last participant's last visit done; queries closed, data cleaned";

    [Fact]
    public async Task LockForm_WithAWrongPassword_AnswersThePasswordIsNotCorrectAndLocksNothing()
    {
        var (admin, trial) = await TrialAsync();
        using var web = await WebSession.SignInAsync(api, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword);

        using var answer = await LockAsync(web, trial, "Not-The-Admin-Password-1");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.Matches(PasswordFieldError(), html);
        Assert.Contains("The trial was not locked", html, StringComparison.Ordinal);
        var definition = await admin.GetJsonAsync($"/api/trials/{trial}");
        Assert.Equal("Active", definition.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, definition.GetProperty("lockedAt").ValueKind);
        Assert.Empty(await LockRowsAsync(admin, trial));

        // A mistyped confirmation is not a failed sign-in: the session goes on, and the form is offered again.
        using var again = await web.GetAsync($"/admin/trials/{trial}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Lock trial", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockForm_WithTheRightPasswordAndAReason_LocksAndTheAuditRowsCarryTheReason()
    {
        var (admin, trial) = await TrialAsync();
        using var web = await WebSession.SignInAsync(api, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword);

        using var answer = await LockAsync(web, trial, EdcApiFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.EndsWith($"/admin/trials/{trial}", answer.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal("Locked", (await admin.GetJsonAsync($"/api/trials/{trial}")).GetProperty("status").GetString());
        var rows = await LockRowsAsync(admin, trial);
        Assert.Contains(rows, r => r.GetProperty("field").GetString() == "Status" && r.GetProperty("newValue").GetString() == "Locked");
        Assert.All(rows, r =>
        {
            Assert.Equal(Reason, r.GetProperty("reason").GetString());
            Assert.Equal(EdcApiFactory.AdminEmail, r.GetProperty("userEmail").GetString());
        });
    }

    private async Task<(HttpClient Admin, Guid Trial)> TrialAsync()
    {
        var admin = await api.AdminAsync();
        return (admin, (await DistinctiveTrial.CreateAsync(admin, ["S1"])).Id);
    }

    private static Task<HttpResponseMessage> LockAsync(WebSession web, Guid trial, string password) =>
        web.PostFormAsync($"/admin/trials/{trial}", "lock-trial", new() { ["Lock.Reason"] = Reason, ["Lock.Password"] = password });

    /// <summary>The trial's audit rows of a change since its creation: the lock's (its status and the time it was locked).</summary>
    private static async Task<List<JsonElement>> LockRowsAsync(HttpClient admin, Guid trial)
    {
        var rows = await admin.GetJsonAsync($"/api/audit?entityType=Trial&entityId={trial}&pageSize=200");
        return [.. rows.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("action").GetString() != "Insert")];
    }

    // The refusal beside the password field (FieldErrors), as the API's 403 reauthentication-failed says it.
    [GeneratedRegex("id=\"password-error\"[^>]*>\\s*<span>The password is not correct\\.")]
    private static partial Regex PasswordFieldError();
}

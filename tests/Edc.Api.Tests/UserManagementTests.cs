using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>Accounts as the Admin manages them: creation, validation, listing, changes and their audit rows.</summary>
public sealed class UserManagementTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task CreateUser_WithRolesAndSites_Returns201AndUserReadsBack()
    {
        var admin = await api.AdminAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var email = NewEmail();

        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            email,
            password = TestData.UserPassword,
            displayName = "Carla Coordinator",
            roles = RoleList("Coordinator", "Investigator"),
            siteIds = new[] { siteId },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.NotEqual(Guid.Empty, id);
        var user = await admin.GetJsonAsync($"/api/users/{id}");
        Assert.Equal(id, user.GetProperty("id").GetGuid());
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("Carla Coordinator", user.GetProperty("displayName").GetString());
        Assert.Equal(["Coordinator", "Investigator"], Strings(user.GetProperty("roles")).Order(StringComparer.Ordinal));
        Assert.Equal([siteId], user.GetProperty("siteIds").EnumerateArray().Select(s => s.GetGuid()));
        Assert.True(user.GetProperty("active").GetBoolean());
        Assert.DoesNotContain("password", user.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // The new account can sign in with what the admin set.
        var signedIn = await api.LoginAsync(email, TestData.UserPassword);
        Assert.Equal(id, (await signedIn.GetJsonAsync("/api/me")).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task ListUsers_ReturnsPagedList()
    {
        var admin = await api.AdminAsync();
        for (var i = 0; i < 3; i++)
        {
            await admin.CreateUserAsync(["DsmbMember"]);
        }

        var first = await admin.GetJsonAsync("/api/users?page=1&pageSize=2");
        var second = await admin.GetJsonAsync("/api/users?page=2&pageSize=2");

        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(2, first.GetProperty("pageSize").GetInt32());
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        var total = first.GetProperty("total").GetInt32();
        Assert.True(total >= 4, $"total {total}: the admin and three new users exist");
        Assert.Equal(total, second.GetProperty("total").GetInt32());
        var firstIds = Ids(first);
        var secondIds = Ids(second);
        Assert.Equal(2, firstIds.Count);
        Assert.Equal(2, secondIds.Count);
        Assert.Empty(firstIds.Intersect(secondIds));

        var all = await admin.GetJsonAsync("/api/users?pageSize=200");
        Assert.Equal(total, all.GetProperty("items").GetArrayLength());
        Assert.Contains(all.GetProperty("items").EnumerateArray(), u => u.GetProperty("email").GetString() == EdcApiFactory.AdminEmail);
    }

    [Fact]
    public async Task CreateUser_WithElevenCharacterPassword_Returns400WithPasswordError()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", Body(NewEmail(), password: "Abcdefghijk"));

        await AssertFieldErrorAsync(response, "password");
    }

    [Fact]
    public async Task CreateUser_WithoutEmail_Returns400WithEmailError()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            password = TestData.UserPassword,
            displayName = "No Email",
            roles = RoleList("DsmbMember"),
        });

        await AssertFieldErrorAsync(response, "email");
    }

    [Fact]
    public async Task CreateUser_WithUnknownRole_Returns400WithRolesError()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", Body(NewEmail(), roles: ["DsmbMember", "Superuser"]));

        var errors = await AssertValidationProblemAsync(response);
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith("roles", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateUser_MonitorWhoAlsoEntersData_Returns400WithRolesError()
    {
        var admin = await api.AdminAsync();
        var siteId = await admin.DemoSiteIdAsync();

        var response = await admin.PostAsJsonAsync("/api/users", Body(NewEmail(), roles: ["Monitor", "Coordinator"], siteIds: [siteId]));

        await AssertFieldErrorAsync(response, "roles");
    }

    [Fact]
    public async Task CreateUser_MonitorWithoutSites_Returns400WithSiteIdsError()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", Body(NewEmail(), roles: ["Monitor"]));

        await AssertFieldErrorAsync(response, "siteIds");
    }

    [Fact]
    public async Task CreateUser_CoordinatorWithoutSites_Returns400WithSiteIdsError()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", Body(NewEmail(), roles: ["Coordinator"]));

        await AssertFieldErrorAsync(response, "siteIds");
    }

    [Fact]
    public async Task CreateUser_WithUnknownSiteId_Returns400WithSiteIdsError()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", Body(NewEmail(), roles: ["Coordinator"], siteIds: [Guid.NewGuid()]));

        await AssertFieldErrorAsync(response, "siteIds");
    }

    [Fact]
    public async Task CreateUser_WithDuplicateEmail_Returns409()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync(["DsmbMember"]);

        var sameEmail = await admin.PostAsJsonAsync("/api/users", Body(email));
        var otherCase = await admin.PostAsJsonAsync("/api/users", Body(email.ToUpperInvariant()));

        await sameEmail.AssertProblemAsync(HttpStatusCode.Conflict);
        await otherCase.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CreateUser_WithInvalidInput_ChangesNothing()
    {
        var admin = await api.AdminAsync();
        var (_, takenEmail) = await admin.CreateUserAsync(["DsmbMember"]);
        var before = await UserCountAsync(admin);
        var email = NewEmail();

        // Caught by the validator, and caught only inside the handler (after the transaction began).
        await AssertFieldErrorAsync(await admin.PostAsJsonAsync("/api/users", Body(email, password: "short")), "password");
        await AssertFieldErrorAsync(await admin.PostAsJsonAsync("/api/users", Body(email, password: "aaaaaaaaaaaaaaaa")), "password");
        await AssertFieldErrorAsync(await admin.PostAsJsonAsync("/api/users", Body(email, roles: ["Coordinator"], siteIds: [Guid.NewGuid()])), "siteIds");
        await (await admin.PostAsJsonAsync("/api/users", Body(takenEmail))).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before, await UserCountAsync(admin));
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task UpdateUser_WithRolesAndSites_ReplacesThem()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteA = await admin.DemoSiteIdAsync();
        var siteB = await admin.AddSiteAsync(trialId, NewSiteCode());
        var (id, _) = await admin.CreateUserAsync(["Coordinator"], siteA);

        var response = await admin.PatchAsJsonAsync($"/api/users/{id}", new { roles = RoleList("Investigator", "Coordinator"), siteIds = new[] { siteB } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var returned = await response.JsonAsync();
        Assert.Equal(["Coordinator", "Investigator"], Strings(returned.GetProperty("roles")).Order(StringComparer.Ordinal));
        Assert.Equal([siteB], returned.GetProperty("siteIds").EnumerateArray().Select(s => s.GetGuid()));
        var stored = await admin.GetJsonAsync($"/api/users/{id}");
        Assert.Equal(["Coordinator", "Investigator"], Strings(stored.GetProperty("roles")).Order(StringComparer.Ordinal));
        Assert.Equal([siteB], stored.GetProperty("siteIds").EnumerateArray().Select(s => s.GetGuid()));
        Assert.True(stored.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task UpdateUser_RemovingAllSitesOfCoordinator_Returns400AndChangesNothing()
    {
        var admin = await api.AdminAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var (id, _) = await admin.CreateUserAsync(["Coordinator"], siteId);

        var response = await admin.PatchAsJsonAsync($"/api/users/{id}", new { roles = RoleList("Investigator"), siteIds = Array.Empty<Guid>() });

        await AssertFieldErrorAsync(response, "siteIds");
        var stored = await admin.GetJsonAsync($"/api/users/{id}");
        Assert.Equal(["Coordinator"], Strings(stored.GetProperty("roles")));
        Assert.Equal([siteId], stored.GetProperty("siteIds").EnumerateArray().Select(s => s.GetGuid()));
    }

    [Fact]
    public async Task UpdateUser_WithUnknownSiteId_Returns400AndKeepsRoles()
    {
        var admin = await api.AdminAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var (id, _) = await admin.CreateUserAsync(["Coordinator"], siteId);

        // The role change is written before the sites are checked: the whole change must roll back.
        var response = await admin.PatchAsJsonAsync($"/api/users/{id}", new { roles = RoleList("Investigator"), siteIds = new[] { Guid.NewGuid() } });

        await AssertFieldErrorAsync(response, "siteIds");
        var stored = await admin.GetJsonAsync($"/api/users/{id}");
        Assert.Equal(["Coordinator"], Strings(stored.GetProperty("roles")));
        Assert.Equal([siteId], stored.GetProperty("siteIds").EnumerateArray().Select(s => s.GetGuid()));
    }

    [Fact]
    public async Task GetUser_WithUnknownId_Returns404()
    {
        var admin = await api.AdminAsync();

        var response = await admin.GetAsync($"/api/users/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateUser_AdminDeactivatesSelf_Returns409()
    {
        var admin = await api.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/me")).GetProperty("id").GetGuid();

        var response = await admin.PatchAsJsonAsync($"/api/users/{adminId}", new { active = false });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.True((await admin.GetJsonAsync($"/api/users/{adminId}")).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task UpdateUser_AdminRemovesOwnAdminRole_Returns409()
    {
        var admin = await api.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/me")).GetProperty("id").GetGuid();

        var response = await admin.PatchAsJsonAsync($"/api/users/{adminId}", new { roles = RoleList("DsmbMember") });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["Admin"], Strings((await admin.GetJsonAsync($"/api/users/{adminId}")).GetProperty("roles")));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task UpdateUser_WithUnknownId_Returns404()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PatchAsJsonAsync($"/api/users/{Guid.NewGuid()}", new { active = false });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateUser_WithReason_IsAuditedWithReasonOldAndNewValues()
    {
        const string Reason = "Moved to site B";
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteA = await admin.DemoSiteIdAsync();
        var siteB = await admin.AddSiteAsync(trialId, NewSiteCode());
        var (id, _) = await admin.CreateUserAsync(["Coordinator"], siteA);

        var response = await admin.PatchAsJsonAsync($"/api/users/{id}", new
        {
            roles = RoleList("Investigator"),
            siteIds = new[] { siteB },
            displayName = "Ivan Investigator",
            reason = Reason,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var siteRows = (await AuditRowsAsync(admin, "UserSite")).Where(r => r.GetProperty("entityId").GetString()!.StartsWith(id.ToString(), StringComparison.Ordinal)).ToList();
        var removedSite = Assert.Single(siteRows, r => r.GetProperty("action").GetString() == "Delete" && r.GetProperty("field").GetString() == "SiteId");
        Assert.Equal(siteA.ToString(), removedSite.GetProperty("oldValue").GetString());
        Assert.Equal(JsonValueKind.Null, removedSite.GetProperty("newValue").ValueKind);
        Assert.Equal(Reason, removedSite.GetProperty("reason").GetString());
        var addedSite = Assert.Single(siteRows, r => r.GetProperty("action").GetString() == "Insert" && r.GetProperty("field").GetString() == "SiteId"
            && r.GetProperty("newValue").GetString() == siteB.ToString());
        Assert.Equal(JsonValueKind.Null, addedSite.GetProperty("oldValue").ValueKind);
        Assert.Equal(Reason, addedSite.GetProperty("reason").GetString());

        var roleRows = (await AuditRowsAsync(admin, "UserRole")).Where(r => r.GetProperty("entityId").GetString()!.StartsWith(id.ToString(), StringComparison.Ordinal)).ToList();
        var removedRole = Assert.Single(roleRows, r => r.GetProperty("action").GetString() == "Delete" && r.GetProperty("field").GetString() == "RoleId");
        Assert.Equal("Coordinator", removedRole.GetProperty("oldValue").GetString());
        Assert.Equal(Reason, removedRole.GetProperty("reason").GetString());
        var addedRole = Assert.Single(roleRows, r => r.GetProperty("reason").GetString() == Reason
            && r.GetProperty("action").GetString() == "Insert" && r.GetProperty("field").GetString() == "RoleId");
        Assert.Equal("Investigator", addedRole.GetProperty("newValue").GetString());

        var nameRow = Assert.Single(
            await AuditRowsAsync(admin, "User", id.ToString()),
            r => r.GetProperty("action").GetString() == "Update" && r.GetProperty("field").GetString() == "DisplayName");
        Assert.Equal("Test Coordinator", nameRow.GetProperty("oldValue").GetString());
        Assert.Equal("Ivan Investigator", nameRow.GetProperty("newValue").GetString());
        Assert.Equal(Reason, nameRow.GetProperty("reason").GetString());

        // Who made the change is named too.
        var adminId = (await admin.GetJsonAsync("/api/me")).GetProperty("id").GetGuid();
        Assert.All(new[] { removedSite, addedSite, removedRole, addedRole, nameRow }, r => Assert.Equal(adminId, r.GetProperty("userId").GetGuid()));
    }

    [Fact]
    public async Task UpdateUser_Deactivation_IsAuditedWithOldAndNewValue()
    {
        var admin = await api.AdminAsync();
        var (id, _) = await admin.CreateUserAsync(["DsmbMember"]);

        var response = await admin.PatchAsJsonAsync($"/api/users/{id}", new { active = false, reason = "Left the study team" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = Assert.Single(
            await AuditRowsAsync(admin, "User", id.ToString()),
            r => r.GetProperty("action").GetString() == "Update" && r.GetProperty("field").GetString() == "IsActive");
        Assert.Equal("true", row.GetProperty("oldValue").GetString());
        Assert.Equal("false", row.GetProperty("newValue").GetString());
        Assert.Equal("Left the study team", row.GetProperty("reason").GetString());
    }

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@test.local";

    private static string NewSiteCode() => "B" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static object Body(string email, string? password = null, string[]? roles = null, Guid[]? siteIds = null) => new
    {
        email,
        password = password ?? TestData.UserPassword,
        displayName = "Someone",
        roles = roles ?? ["DsmbMember"],
        siteIds = siteIds ?? [],
    };

    private static string[] RoleList(params string[] roles) => roles;

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid())];

    private static async Task<int> UserCountAsync(HttpClient admin) =>
        (await admin.GetJsonAsync("/api/users?pageSize=1")).GetProperty("total").GetInt32();

    /// <summary>Every audit row of an entity type (and id), reading all pages.</summary>
    private static async Task<List<JsonElement>> AuditRowsAsync(HttpClient admin, string entityType, string? entityId = null)
    {
        var rows = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var query = $"/api/audit?entityType={entityType}&page={page}&pageSize=200" + (entityId is null ? string.Empty : $"&entityId={entityId}");
            var result = await admin.GetJsonAsync(query);
            var items = result.GetProperty("items").EnumerateArray().ToList();
            Assert.All(items, r => Assert.Equal(entityType, r.GetProperty("entityType").GetString()));
            rows.AddRange(items);
            if (items.Count == 0 || rows.Count >= result.GetProperty("total").GetInt32())
            {
                return rows;
            }
        }
    }

    private static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(JsonValueKind.Object, errors.ValueKind);
        return errors;
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var errors = await AssertValidationProblemAsync(response);
        Assert.True(errors.TryGetProperty(field, out var messages), $"No '{field}' in errors: {errors.GetRawText()}");
        Assert.True(messages.GetArrayLength() > 0);
    }
}

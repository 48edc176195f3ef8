using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Edc.Api.Features.AdverseEvents;
using Edc.Api.Security;
using Edc.Api.Tests.Infrastructure;
using Edc.Api.Web.Pages.SiteForms;
using Edc.Domain.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Edc.Api.Tests;

/// <summary>
/// Who may call what: every endpoint states a decision, the fallback denies, each role gets exactly the
/// endpoints the contract gives it, and site-scoped roles cannot see (or learn of) other sites' trials.
/// </summary>
public sealed class AuthorizationTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly string[] AllRoles = [.. Roles.All];
    private static readonly string[] AdminOnly = [Roles.Admin];
    private static readonly string[] AdminAndInvestigator = [Roles.Admin, Roles.Investigator];
    private static readonly string[] AuditReaders = [Roles.Admin, Roles.Investigator, Roles.Monitor, Roles.DataManager];
    private static readonly string[] DataEntry = [Roles.Coordinator, Roles.Investigator];
    private static readonly string[] InvestigatorOnly = [Roles.Investigator];
    private static readonly string[] StatisticianOnly = [Roles.UnblindedStatistician];
    private static readonly string[] DsmbOnly = [Roles.DsmbMember];
    private static readonly string[] UnblindingReaders = [Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Admin];
    private static readonly string[] MrssOnly = ["Mrss"];
    private static readonly string[] WorklistRoles = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager];
    private static readonly string[] ExportRoles = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager];
    private static readonly string[] SafetyReaders = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager];
    private static readonly string[] SummaryRoles = [Roles.DsmbMember, Roles.UnblindedStatistician];
    private static readonly string[] OdmExportRoles = [Roles.Admin, Roles.DataManager, Roles.UnblindedStatistician];
    private static readonly string[] QueryRaisers = [Roles.Monitor, Roles.DataManager, Roles.Investigator, Roles.Coordinator];
    private static readonly string[] QueryReaders = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager];

    /// <summary>Endpoints that anyone may call. A new anonymous endpoint must be added here on purpose.</summary>
    private static readonly string[] ExpectedAnonymousEndpoints =
    [
        "POST /api/auth/login",
        "POST /api/auth/refresh",
        "* /health/live",
        "* /health/ready",
        "GET /openapi/{documentName}.json",
        "* {*path}",
        "GET,POST /sign-in",
        "POST /sign-out",
        "GET /_framework/opaque-redirect",
    ];

    /// <summary>
    /// Anonymous endpoints that send a request only for a signed-in caller: the web's sign-out ends the session it is
    /// sent with, when there is one.
    /// </summary>
    private static readonly string[] SendOnlyWhenSignedIn = ["POST /sign-out"];

    /// <summary>Signed-in clients per role, created once per API instance (that is, once for this class).</summary>
    private static readonly ConditionalWeakTable<EdcApiFactory, Task<RoleClients>> ClientsByApi = new();

    public static TheoryData<string, string, string[]> EndpointRoles => new()
    {
        { "GET", "/api/me", AllRoles },
        { "GET", "/api/users", AdminOnly },
        { "POST", "/api/users", AdminOnly },
        { "GET", "/api/users/{id}", AdminOnly },
        { "PATCH", "/api/users/{id}", AdminOnly },
        { "GET", "/api/trials", AllRoles },
        { "GET", "/api/trials/{trialId}", AllRoles },
        { "GET", "/api/trials/{trialId}/sites", AllRoles },
        { "POST", "/api/trials", AdminOnly },
        { "POST", "/api/trials/{trialId}/sites", AdminOnly },
        { "GET", "/api/trials/{trialId}/audit", AuditReaders },
        { "GET", "/api/audit", AdminOnly },
        { "GET", "/api/audit/verification", AdminOnly },
        { "POST", "/api/auth/logout", AllRoles },
        { "POST", "/api/trials/{trialId}/participants", DataEntry },
        { "GET", "/api/trials/{trialId}/participants", AllRoles },
        { "GET", "/api/trials/{trialId}/participants/{participantId}", AllRoles },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/enrollment", DataEntry },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/randomization", DataEntry },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/withdrawal", DataEntry },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/emergency-unblinding", InvestigatorOnly },
        { "POST", "/api/trials/{trialId}/randomization-list", StatisticianOnly },
        { "GET", "/api/trials/{trialId}/randomization-list", StatisticianOnly },
        { "POST", "/api/trials/{trialId}/randomization-list/import", StatisticianOnly },
        { "POST", "/api/trials/{trialId}/randomization-list/extension", StatisticianOnly },
        { "POST", "/api/trials/{trialId}/unblinding-requests", DsmbOnly },
        { "GET", "/api/trials/{trialId}/unblinding-requests", UnblindingReaders },
        { "POST", "/api/trials/{trialId}/unblinding-requests/{requestId}/decision", StatisticianOnly },
        { "POST", "/api/trials/{trialId}/lock", AdminOnly },
        { "POST", "/api/trials/{trialId}/final-unblinding", StatisticianOnly },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/visits", AllRoles },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/visits", DataEntry },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}", AllRoles },
        { "PUT", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}", DataEntry },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/infusion", AllRoles },
        { "PUT", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/infusion", DataEntry },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/casebook", AllRoles },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/signatures", InvestigatorOnly },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/signatures", AllRoles },
        { "GET", "/api/trials/{trialId}/visit-worklist", WorklistRoles },
        { "GET", "/api/trials/{trialId}/task-summary", WorklistRoles },
        { "GET", "/api/trials/{trialId}/analyses/primary", SummaryRoles }, // before the final unblinding; then every role
        { "GET", "/api/trials/{trialId}/analyses/primary/report", SummaryRoles }, // as the analysis
        { "GET", "/api/trials/{trialId}/exports/mrss.csv", ExportRoles },
        { "GET", "/api/trials/{trialId}/exports/visits.csv", ExportRoles },
        { "GET", "/api/trials/{trialId}/exports/forms/{formCode}.csv", ExportRoles },
        { "GET", "/api/trials/{trialId}/exports/data-dictionary.csv", ExportRoles },
        { "GET", "/api/trials/{trialId}/exports/odm", OdmExportRoles },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/adverse-events", DataEntry },
        { "GET", "/api/trials/{trialId}/adverse-events", SafetyReaders },
        { "GET", "/api/trials/{trialId}/adverse-events/{adverseEventId}", SafetyReaders },
        { "PUT", "/api/trials/{trialId}/adverse-events/{adverseEventId}", DataEntry },
        { "POST", "/api/trials/{trialId}/adverse-events/{adverseEventId}/expedited-reports", AdminOnly },
        { "GET", "/api/trials/{trialId}/expedited-reports", AdminAndInvestigator },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/mrss", AllRoles },
        { "GET", "/api/notifications", AllRoles },
        { "GET", "/api/trials/{trialId}/forms", AllRoles },
        { "POST", "/api/trials/{trialId}/forms", AdminOnly },
        { "POST", "/api/trials/{trialId}/forms/import", AdminOnly },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms", AllRoles },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}", AllRoles },
        { "PUT", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}", DataEntry },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}/evaluation", DataEntry },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/logs/{formCode}", DataEntry },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/logs/{formCode}", AllRoles },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/logs/{formCode}/{entryId}", AllRoles },
        { "PUT", "/api/trials/{trialId}/participants/{participantId}/logs/{formCode}/{entryId}", DataEntry },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/logs/{formCode}/evaluation", DataEntry },
        { "GET", "/api/trials/{trialId}/participants/{participantId}/verification", [Roles.Monitor, Roles.DataManager] },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}/verification", [Roles.Monitor] },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}/freeze", [Roles.DataManager] },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}/unfreeze", [Roles.DataManager] },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/lock", [Roles.DataManager] },
        { "POST", "/api/trials/{trialId}/participants/{participantId}/unlock", [Roles.DataManager] },
        { "PUT", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/mrss", DataEntry },
        { "GET", "/api/trials/{trialId}/safety-summaries", SummaryRoles },
        { "POST", "/api/trials/{trialId}/safety-summaries", SummaryRoles },
        { "GET", "/api/trials/{trialId}/safety-summaries/{summaryId}", SummaryRoles },
        { "GET", "/api/trials/{trialId}/safety-summaries/{summaryId}/report", SummaryRoles },
        { "POST", "/api/trials/{trialId}/queries", QueryRaisers },
        { "GET", "/api/trials/{trialId}/queries", QueryReaders },
        { "GET", "/api/trials/{trialId}/queries/{queryId}", QueryReaders },
        { "POST", "/api/trials/{trialId}/queries/{queryId}/responses", DataEntry },
        { "POST", "/api/trials/{trialId}/queries/{queryId}/close", QueryRaisers },
        { "POST", "/api/trials/{trialId}/queries/{queryId}/reopen", QueryRaisers },
        { "*", "/jobs/{**path}", AdminOnly }, // the jobs dashboard, every page of it (called here with GET /jobs/recurring)

        // Pages (Razor components): GET renders them; their forms post back to them. Without a browser's Accept: text/html
        // an anonymous request answers 401 like the API, where a browser is sent to the sign-in page.
        { "GET", "/", AllRoles },
        { "GET", "/trials/{trialId}/participants/{participantId}/visits/{visitCode}/mrss", DataEntry },
        { "GET", "/trials/{trialId}/participants/{participantId}/visits/{visitCode}/infusion", DataEntry },
        { "GET", "/trials/{trialId}/participants/{participantId}/adverse-events/new", DataEntry },
        { "GET", "/trials/{trialId}/adverse-events/{adverseEventId}", SafetyReaders },
        { "GET", "/trials/{trialId}/expedited-reports", AdminAndInvestigator },
        { "GET", "/trials/{trialId}/participants/{participantId}/unblinding", InvestigatorOnly },
        { "GET", "/trials/{trialId}/participants/{participantId}/signatures/new", InvestigatorOnly },
        { "GET", "/trials/{trialId}/safety-summaries", SummaryRoles },
        { "GET", "/trials/{trialId}/analyses/primary", SummaryRoles }, // as the analysis: the page shows the handler's 403
        { "GET", "/trials/{trialId}/unblinding-requests", UnblindingReaders },
        { "GET", "/trials/{trialId}/randomization-list", StatisticianOnly },
        { "GET", "/trials/{trialId}/dispensing", [Roles.Pharmacist] },
        { "GET", "/notifications", AllRoles },
        { "GET", "/admin", AdminOnly },
        { "GET", "/admin/users", AdminOnly },
        { "GET", "/admin/users/{id}", AdminOnly },
        { "GET", "/admin/sites", AdminOnly },
        { "GET", "/admin/trials/{trialId}", AdminOnly },
        { "GET", "/trials/{trialId}", AllRoles },
        { "GET", "/trials/{trialId}/participants/new", DataEntry },
        { "GET", "/trials/{trialId}/participants/{participantId}", AllRoles },
        { "GET", "/trials/{trialId}/participants/{participantId}/enrollment", DataEntry },
        { "GET", "/trials/{trialId}/participants/{participantId}/visits/{visitCode}", AllRoles },
        { "GET", "/trials/{trialId}/participants/{participantId}/visits/{visitCode}/forms/{formCode}", AllRoles },
        { "GET", "/trials/{trialId}/participants/{participantId}/logs/{formCode}", AllRoles },
        { "GET", "/trials/{trialId}/participants/{participantId}/verification", [Roles.Monitor, Roles.DataManager] },
        { "GET", "/trials/{trialId}/participants/{participantId}/logs/{formCode}/{entryId}", AllRoles },
        { "GET", "/trials/{trialId}/audit", AuditReaders },
        { "GET", "/trials/{trialId}/queries", QueryReaders },
    };

    [Fact]
    public void EveryEndpoint_StatesAnExplicitAuthorizationDecision()
    {
        var endpoints = Endpoints();
        Assert.Contains(endpoints, e => Describe(e) == "GET /api/me");

        var undecided = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && e.Metadata.GetMetadata<IAuthorizeData>() is null
                && e.Metadata.GetMetadata<AuthorizationPolicy>() is null)
            .Select(Describe)
            .ToList();
        Assert.True(undecided.Count == 0, "Endpoints without an explicit authorization decision: " + string.Join(", ", undecided));

        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(Describe).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ExpectedAnonymousEndpoints.Order(StringComparer.Ordinal), anonymous);
    }

    [Fact]
    public void EveryProtectedEndpoint_HasARowInTheRoleMatrix()
    {
        var inMatrix = EndpointRoles.Select(row => $"{row[0]} {row[1]}").ToHashSet(StringComparer.Ordinal);
        var missing = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(StripConstraints)
            .Where(endpoint => !inMatrix.Contains(endpoint))
            .ToList();

        Assert.True(missing.Count == 0, "Endpoints the role matrix does not cover: " + string.Join(", ", missing));
    }

    [Fact]
    public void StaticFiles_AreAnonymousReads()
    {
        var files = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Where(IsStaticFile).ToList();
        Assert.Contains(files, e => e.RoutePattern.RawText == "_framework/blazor.web.js");
        Assert.Contains(files, e => e.RoutePattern.RawText == "css/edc.css");
        Assert.All(files, e =>
        {
            Assert.NotNull(e.Metadata.GetMetadata<IAllowAnonymous>());
            Assert.All(e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods, m => Assert.Contains(m, new[] { "GET", "HEAD" }));
        });
    }

    [Fact]
    public void EveryPage_IsAnonymousOnPurposeOrNamesItsRoles()
    {
        var pages = Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null).ToList();
        Assert.Contains(pages, e => e.RoutePattern.RawText == "/sign-in");
        var undecided = pages
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Roles) || !string.IsNullOrEmpty(a.Policy)))
            .Select(Describe)
            .ToList();
        Assert.True(undecided.Count == 0, "Pages with neither [AllowAnonymous] nor [Authorize(Roles = ...)]: " + string.Join(", ", undecided));
    }

    /// <summary>
    /// The request's own gate (RequestSenderGate) agrees with the endpoint's: an endpoint admits exactly the roles of the
    /// request it sends (a request sent by several endpoints, the roles of them all), and an anonymous one sends anonymous
    /// requests. The request each endpoint sends is read from its handler's IL.
    /// </summary>
    [Fact]
    public void EveryEndpoint_AdmitsExactlyTheRolesOfTheRequestsItSends()
    {
        var admittedBy = new Dictionary<Type, HashSet<string>>();
        var failures = new List<string>();
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null))
        {
            var sent = endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler ? SentRequests.ByHandler(handler) : new HashSet<Type>();
            if (sent.Count == 0 && endpoint.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            {
                failures.Add($"{Describe(endpoint)} sends no request that could be found");
            }

            var roles = AdmittedRoles(endpoint);
            foreach (var request in sent)
            {
                var senders = RequestSenders.Of(request);
                if (roles is null)
                {
                    if (!senders.Anonymous && !SendOnlyWhenSignedIn.Contains(Describe(endpoint)))
                    {
                        failures.Add($"{Describe(endpoint)} is anonymous but sends {request.FullName}, which is not");
                    }

                    continue;
                }

                if (!admittedBy.TryGetValue(request, out var admitted))
                {
                    admittedBy[request] = admitted = new HashSet<string>(StringComparer.Ordinal);
                }

                admitted.UnionWith(roles);
                if (!senders.Anonymous && roles.Except(senders.Roles).ToList() is { Count: > 0 } refused)
                {
                    failures.Add($"{Describe(endpoint)} admits {string.Join(",", refused)}, whom {request.FullName} refuses");
                }
            }
        }

        Assert.Contains(typeof(ReviseAdverseEvent.Command), admittedBy.Keys);
        failures.AddRange(admittedBy
            .Where(r => !RequestSenders.Of(r.Key).Anonymous)
            .Select(r => (r.Key, Extra: RequestSenders.Of(r.Key).Roles.Except(r.Value).ToList()))
            .Where(r => r.Extra.Count > 0)
            .Select(r => $"{r.Key.FullName} admits {string.Join(",", r.Extra)}, whom no endpoint sending it admits"));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// A page may draw a form for some of its roles only, but every request it sends is one that some role opening the page
    /// may send (an anonymous page, anonymous requests): otherwise the form is refused to everyone who can see it.
    /// </summary>
    [Fact]
    public void EveryPage_SendsOnlyRequestsSomeRoleOpeningItMaySend()
    {
        Assert.Contains(typeof(ReviseAdverseEvent.Command), SentRequests.ByComponent(typeof(AdverseEventDetail)));
        var failures = new List<string>();
        foreach (var page in Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null))
        {
            var roles = AdmittedRoles(page);
            foreach (var request in SentRequests.ByComponent(page.Metadata.GetMetadata<ComponentTypeMetadata>()!.Type))
            {
                var senders = RequestSenders.Of(request);
                if (!senders.Anonymous && (roles is null || !roles.Overlaps(senders.Roles)))
                {
                    failures.Add($"{Describe(page)} sends {request.FullName}, which none of the page's roles may send");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task FallbackPolicy_DeniesEndpointsWithoutMetadata()
    {
        var fallback = api.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        Assert.NotNull(fallback);

        using var scope = api.Services.CreateScope();
        var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
        var everyRole = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), .. Roles.All.Select(r => new Claim(ClaimTypes.Role, r))],
            "Bearer"));
        Assert.True(everyRole.Identity!.IsAuthenticated);
        Assert.True(everyRole.IsInRole(Roles.Admin));

        Assert.False((await authorization.AuthorizeAsync(everyRole, null, fallback)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), null, fallback)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(EndpointRoles))]
    public async Task Endpoint_WhenCalledByEachRole_AllowsExactlyTheContractRoles(string method, string template, string[] allowedRoles)
    {
        var context = await ContextAsync();
        // Locking or unblinding the shared demo trial would change what other tests see: those rows use an unknown trial
        // (the role check comes before the handler, so only the allowed roles' answer changes, from 200 to 404).
        var trialId = template.EndsWith("/lock", StringComparison.Ordinal) || template.EndsWith("/final-unblinding", StringComparison.Ordinal)
            ? Guid.NewGuid()
            : context.DemoTrialId;
        var path = template
            .Replace("{trialId}", trialId.ToString(), StringComparison.Ordinal)
            .Replace("{participantId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{requestId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{adverseEventId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{summaryId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{queryId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{visitCode}", "W4", StringComparison.Ordinal)
            .Replace("{formCode}", "VS", StringComparison.Ordinal)
            .Replace("{entryId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{**path}", "recurring", StringComparison.Ordinal)
            .Replace("{id}", context.TargetUserId.ToString(), StringComparison.Ordinal);
        method = method == "*" ? "GET" : method;
        var failures = new List<string>();

        var anonymous = await SendAsync(api.Anonymous(), method, path);
        if (anonymous != HttpStatusCode.Unauthorized)
        {
            failures.Add($"anonymous: expected 401, got {(int)anonymous}");
        }

        foreach (var role in Roles.All)
        {
            var (email, cached) = context.ByRole[role];

            // Logging out ends the session: use a fresh one so the cached client stays signed in.
            var client = template == "/api/auth/logout" && allowedRoles.Contains(role)
                ? await api.LoginAsync(email, TestData.UserPassword)
                : cached;
            var status = await SendAsync(client, method, path);
            if (allowedRoles.Contains(role))
            {
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500)
                {
                    failures.Add($"{role} (allowed): got {(int)status}");
                }
            }
            else if (status != HttpStatusCode.Forbidden)
            {
                failures.Add($"{role} (not allowed): expected 403, got {(int)status}");
            }
        }

        Assert.True(failures.Count == 0, $"{method} {template}: " + string.Join("; ", failures));
    }

    [Fact]
    public async Task GetTrial_WhenTrialHasNoSiteOfTheCaller_Returns404()
    {
        var context = await ContextAsync();
        foreach (var role in Roles.SiteScoped)
        {
            var client = context.ByRole[role].Client;
            await (await client.GetAsync($"/api/trials/{context.OtherTrialId}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/trials/{context.OtherTrialId}/sites")).AssertProblemAsync(HttpStatusCode.NotFound);

            // The caller's own trial answers, so the 404 is about the site, not the role.
            await client.GetJsonAsync($"/api/trials/{context.DemoTrialId}");
        }
    }

    [Fact]
    public async Task GetTrialAudit_WhenInvestigatorOfAnotherSite_Returns404()
    {
        var context = await ContextAsync();
        var investigator = context.ByRole[Roles.Investigator].Client;
        await (await investigator.GetAsync($"/api/trials/{context.OtherTrialId}/audit")).AssertProblemAsync(HttpStatusCode.NotFound);
        await investigator.GetJsonAsync($"/api/trials/{context.DemoTrialId}/audit");
    }

    [Fact]
    public async Task ListTrials_WhenSiteScoped_OmitsTrialsOfOtherSites()
    {
        var context = await ContextAsync();
        foreach (var role in Roles.SiteScoped)
        {
            var ids = TrialIds(await context.ByRole[role].Client.GetJsonAsync("/api/trials"));
            Assert.Contains(context.DemoTrialId, ids);
            Assert.DoesNotContain(context.OtherTrialId, ids);
        }

        var all = TrialIds(await context.ByRole[Roles.Admin].Client.GetJsonAsync("/api/trials"));
        Assert.Contains(context.DemoTrialId, all);
        Assert.Contains(context.OtherTrialId, all);
    }

    [Fact]
    public async Task ListSites_WhenCoordinatorAtSecondSite_ShowsOnlyOwnSite()
    {
        var context = await ContextAsync();
        var secondSite = await context.Admin.AddSiteAsync(context.DemoTrialId, "Z2-" + Guid.NewGuid().ToString("N")[..8]);
        var coordinator = await api.ClientForNewUserAsync(context.Admin, Roles.Coordinator, secondSite);

        var sites = await coordinator.GetJsonAsync($"/api/trials/{context.DemoTrialId}/sites");
        var ids = sites.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([secondSite], ids);
        Assert.Equal(1, sites.GetProperty("total").GetInt32());

        var adminSites = await context.Admin.GetJsonAsync($"/api/trials/{context.DemoTrialId}/sites");
        var adminIds = adminSites.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(secondSite, adminIds);
        Assert.Contains(context.DemoSiteId, adminIds);
    }

    [Fact]
    public async Task GetTrial_WhenTrialDoesNotExist_AnswersLikeAnotherSitesTrial()
    {
        var context = await ContextAsync();
        var coordinator = context.ByRole[Roles.Coordinator].Client;
        foreach (var suffix in new[] { string.Empty, "/sites" })
        {
            var hidden = await coordinator.GetAsync($"/api/trials/{context.OtherTrialId}{suffix}");
            var missing = await coordinator.GetAsync($"/api/trials/{Guid.NewGuid()}{suffix}");
            await hidden.AssertProblemAsync(HttpStatusCode.NotFound);
            await missing.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(await WithoutTraceIdAsync(missing), await WithoutTraceIdAsync(hidden));
        }
    }

    /// <summary>
    /// "/api/users/{id:guid}" as the matrix writes it: "/api/users/{id}"; a group's root route has no trailing slash (the
    /// site's root "/" stays); a page is its GET.
    /// </summary>
    private static string StripConstraints(RouteEndpoint endpoint)
    {
        var described = System.Text.RegularExpressions.Regex.Replace(Describe(endpoint), ":[^}]+}", "}");
        described = described.EndsWith(" /", StringComparison.Ordinal) ? described : described.TrimEnd('/');
        return endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null ? described : described.Replace("GET,POST ", "GET ", StringComparison.Ordinal);
    }

    /// <summary>The roles an endpoint admits (every role-stating authorization it carries must pass); null when anonymous.</summary>
    private static HashSet<string>? AdmittedRoles(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return null;
        }

        var admitted = Roles.All.ToHashSet(StringComparer.Ordinal);
        foreach (var stated in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => !string.IsNullOrEmpty(a.Roles)))
        {
            admitted.IntersectWith(stated.Roles!.Split(',', StringSplitOptions.TrimEntries));
        }

        return admitted;
    }

    /// <summary>Every endpoint but the static files, which <see cref="StaticFiles_AreAnonymousReads"/> covers.</summary>
    private List<RouteEndpoint> Endpoints() =>
        [.. api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Where(e => !IsStaticFile(e))];

    private static bool IsStaticFile(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;

    private static string Describe(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is { Count: > 0 } ? string.Join(',', methods) : "*")} {endpoint.RoutePattern.RawText}";
    }

    private static List<Guid> TrialIds(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid())];

    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = await response.JsonAsync();
        var fields = body.EnumerateObject().Where(p => p.Name != "traceId").OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value.GetRawText()}");
        return string.Join("\n", fields);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" or "PUT")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private Task<RoleClients> ContextAsync() => ClientsByApi.GetValue(api, RoleClients.CreateAsync);

    private sealed record RoleClients(
        HttpClient Admin,
        Guid DemoTrialId,
        Guid DemoSiteId,
        Guid OtherTrialId,
        Guid TargetUserId,
        IReadOnlyDictionary<string, (string Email, HttpClient Client)> ByRole)
    {
        public static async Task<RoleClients> CreateAsync(EdcApiFactory api)
        {
            var admin = await api.AdminAsync();
            var demoTrialId = await admin.DemoTrialIdAsync();
            var demoSiteId = await admin.DemoSiteIdAsync();
            var byRole = new Dictionary<string, (string Email, HttpClient Client)>(StringComparer.Ordinal);
            foreach (var role in Roles.All)
            {
                var (_, email) = await admin.CreateUserAsync([role], Roles.SiteScoped.Contains(role) ? [demoSiteId] : []);
                byRole[role] = (email, await api.LoginAsync(email, TestData.UserPassword));
            }

            var (targetUserId, _) = await admin.CreateUserAsync([Roles.DsmbMember]);
            var otherTrialId = await CreateOtherTrialAsync(admin);
            return new RoleClients(admin, demoTrialId, demoSiteId, otherTrialId, targetUserId, byRole);
        }

        private static async Task<Guid> CreateOtherTrialAsync(HttpClient admin)
        {
            var code = "OTHER-" + Guid.NewGuid().ToString("N")[..8];
            var response = await admin.PostAsJsonAsync("/api/trials", new
            {
                code,
                title = "A second trial at another site",
                arms = new[] { new { code = "A", name = "Arm A", ratio = 1 }, new { code = "B", name = "Arm B", ratio = 1 } },
                visitDefinitions = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = MrssOnly } },
                sites = new[] { new { code = "ELSEWHERE", name = "Another hospital" } },
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.JsonAsync()).GetProperty("id").GetGuid();
        }
    }
}

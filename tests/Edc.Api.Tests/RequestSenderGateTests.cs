using Edc.Api.Common;
using Edc.Api.Features.AdverseEvents;
using Edc.Api.Features.Auth;
using Edc.Api.Features.Notifications;
using Edc.Api.Features.Users;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>
/// The request's own gate, behind each endpoint's and page's: a request is sent only by those its type names (roles, the
/// system, or anyone for the sign-ins), whatever way it comes, and a refusal is the API's 403 before anything else runs.
/// The requests are sent here as a page or a job sends them, in a scope of the running API.
/// </summary>
public sealed class RequestSenderGateTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task ARoleTheRequestDoesNotName_IsRefusedWith403_BeforeItsValidation()
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(Guid.NewGuid(), "coordinator@test.local", [Roles.Coordinator], [Guid.NewGuid()]);

        // Every field of the command is missing: refused for the role, not for its fields.
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => Send(scope, new CreateUser.Command(null, null, null, null, null)));

        var problem = ProblemMapping.ToProblem(refused);
        Assert.Equal((403, "urn:edc:problem:forbidden"), (problem.Status, problem.Type));
    }

    [Fact]
    public async Task TheSystem_MaySendOnlyTheRequestsMarkedForIt()
    {
        await using var scope = api.Services.CreateAsyncScope();

        await Send(scope, new MonitorReportingDeadlines.Command());
        await Assert.ThrowsAsync<ForbiddenException>(() => Send(scope, new GetMe.Query()));
    }

    [Fact]
    public async Task AnAnonymousHttpCaller_MaySendOnlyTheSignIns_NotTheSystemsRequests()
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };

        // Past the gate, the sign-in answers for the credentials.
        await Assert.ThrowsAsync<AuthenticationFailedException>(() => Send(scope, new Login.Command("nobody@test.local", "Not-The-Password-1")));
        await Assert.ThrowsAsync<ForbiddenException>(() => Send(scope, new GetMe.Query()));
        await Assert.ThrowsAsync<ForbiddenException>(() => Send(scope, new DeliverNotifications.Command()));
    }

    [Fact]
    public async Task ASignedInUser_CannotSendAJobsRequest_WhateverTheirRole()
    {
        var admin = await api.AdminAsync();
        var (id, email) = await admin.CreateUserAsync([Roles.Admin]);
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(id, email, [Roles.Admin], []);

        await Assert.ThrowsAsync<ForbiddenException>(() => Send(scope, new DeliverNotifications.Command()));
        Assert.Equal(id, (await Send(scope, new GetMe.Query())).Id);
    }

    private static Task<T> Send<T>(AsyncServiceScope scope, IRequest<T> request) =>
        scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
}

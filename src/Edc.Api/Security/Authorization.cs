using Edc.Domain.Security;
using Microsoft.AspNetCore.Authorization;

namespace Edc.Api.Security;

/// <summary>
/// How endpoints state who may call them. The fallback policy denies everything, so an endpoint that states
/// nothing is closed; a test walks the route table to prove each one states a decision.
/// </summary>
public static class Authorization
{
    public static readonly string[] EveryRole = [.. Roles.All];

    /// <summary>Site-scoped clinical data entry.</summary>
    public static readonly string[] DataEntry = [Roles.Coordinator, Roles.Investigator];

    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(',', roles) });

    public static void DenyByDefault(AuthorizationOptions options) =>
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build();
}

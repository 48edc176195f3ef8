using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Edc.Api.Common;

/// <summary>
/// Answers a request that no endpoint took, as a problem: 405 (with <c>Allow</c>) when its path exists for other
/// methods, 415 when the path and method exist but not for its content type, 404 otherwise. The routing would answer
/// 405 and 415 itself, but the catch-all endpoint that keeps unknown paths out of the deny-by-default policy takes
/// those requests first, so it asks this which one they are.
/// </summary>
public sealed class UnmatchedRequests(EndpointDataSource endpoints, IInlineConstraintResolver constraints)
{
    private IReadOnlyList<Route>? _routes;

    public IResult Answer(HttpContext http)
    {
        var path = http.Request.Path;
        var matching = (_routes ??= Routes()).Where(r => r.Matches(path, http)).ToList();
        if (matching.Count == 0)
        {
            return Results.Problem(ProblemMapping.Problem(StatusCodes.Status404NotFound));
        }

        var method = http.Request.Method;
        var forMethod = matching.Where(r => r.Methods is null || r.Methods.Contains(method, StringComparer.OrdinalIgnoreCase)).ToList();
        if (forMethod.Count == 0)
        {
            var allowed = matching.SelectMany(r => r.Methods!).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            http.Response.Headers.Allow = string.Join(", ", allowed);
            return Problem(
                StatusCodes.Status405MethodNotAllowed, "method-not-allowed", "Method not allowed.", $"This resource answers {string.Join(", ", allowed)}, not {method}.");
        }

        var accepted = forMethod.SelectMany(r => r.ContentTypes).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return accepted.Count > 0
            ? Problem(
                StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type.",
                $"This resource takes a body of type {string.Join(" or ", accepted)}.")
            : Results.Problem(ProblemMapping.Problem(StatusCodes.Status404NotFound));
    }

    private static IResult Problem(int status, string type, string title, string detail) =>
        Results.Problem(ProblemMapping.Problem(status, type, title, detail));

    private List<Route> Routes() =>
        [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Order != int.MaxValue) // not the catch-all fallbacks (MapFallback's order) themselves
            .Select(e => new Route(
                new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults)),
                [.. from parameter in e.RoutePattern.ParameterPolicies
                    from reference in parameter.Value
                    let constraint = reference.Content is { } inline ? constraints.ResolveConstraint(inline) : null
                    where constraint is not null
                    select (parameter.Key, constraint)],
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods,
                e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? []))];

    private sealed record Route(
        TemplateMatcher Matcher, IReadOnlyList<(string Name, IRouteConstraint Constraint)> Constraints,
        IReadOnlyList<string>? Methods, IReadOnlyList<string> ContentTypes)
    {
        public bool Matches(PathString path, HttpContext http)
        {
            var values = new RouteValueDictionary();
            return Matcher.TryMatch(path, values)
                && Constraints.All(c => c.Constraint.Match(http, null, c.Name, values, RouteDirection.IncomingRequest));
        }
    }
}

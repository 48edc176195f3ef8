using System.Reflection;
using Edc.Infrastructure.Security;

namespace Edc.Api.Security;

/// <summary>
/// Who may send a MediatR request, as its type declares with <see cref="AllowedRolesAttribute"/>,
/// <see cref="AllowedToEveryRoleAttribute"/>, <see cref="AnonymousRequestAttribute"/> or <see cref="SystemRequestAttribute"/>.
/// A type that declares nothing may be sent by nobody: deny by default.
/// </summary>
public sealed class RequestSenders
{
    private readonly string[] _roles;

    private RequestSenders(string[] roles, bool anonymous, bool system) => (_roles, Anonymous, System) = (roles, anonymous, system);

    /// <summary>The roles whose holders may send it.</summary>
    public IReadOnlyList<string> Roles => _roles;

    /// <summary>Any HTTP caller may send it, signed in or not.</summary>
    public bool Anonymous { get; }

    /// <summary>A job or the start-up may send it, with no user and outside any HTTP request.</summary>
    public bool System { get; }

    public bool IsDeclared => _roles.Length > 0 || Anonymous || System;

    /// <summary>Reads a request type's declaration; once per type (the pipeline keeps it), never per request.</summary>
    public static RequestSenders Of(Type requestType)
    {
        var listed = requestType.GetCustomAttribute<AllowedRolesAttribute>()?.Roles;
        var everyRole = requestType.IsDefined(typeof(AllowedToEveryRoleAttribute), inherit: false);
        if (listed is not null && everyRole)
        {
            throw new InvalidOperationException($"{requestType.FullName} allows listed roles and every role: state one.");
        }

        var roles = everyRole ? [.. Domain.Security.Roles.All] : listed ?? [];
        if (roles.FirstOrDefault(r => !Domain.Security.Roles.IsKnown(r)) is { } unknown)
        {
            throw new InvalidOperationException($"{requestType.FullName} allows '{unknown}', which is not a role.");
        }

        return new RequestSenders(
            [.. roles.Distinct(StringComparer.Ordinal)],
            requestType.IsDefined(typeof(AnonymousRequestAttribute), inherit: false),
            requestType.IsDefined(typeof(SystemRequestAttribute), inherit: false));
    }

    /// <param name="overHttp">The request is sent while answering an HTTP request (an endpoint or a page), not by a job.</param>
    public bool Allows(CurrentUser user, bool overHttp)
    {
        if (!user.IsAuthenticated)
        {
            return overHttp ? Anonymous : System;
        }

        if (Anonymous)
        {
            return true;
        }

        // A user holds one role or a few, a request allows at most six: no set, no allocation.
        var held = user.Roles;
        for (var i = 0; i < held.Count; i++)
        {
            if (Array.IndexOf(_roles, held[i]) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}

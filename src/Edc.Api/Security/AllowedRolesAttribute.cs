namespace Edc.Api.Security;

/// <summary>
/// The roles whose holders may send this MediatR request: the roles its endpoint admits, stated again on the request
/// itself so that no other way to it (a page, a form it draws) admits more. Read by <see cref="RequestSenders"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AllowedRolesAttribute(params string[] roles) : Attribute
{
    public string[] Roles { get; } = roles;
}

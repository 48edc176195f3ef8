namespace Edc.Api.Security;

/// <summary>Any signed-in user may send this MediatR request, whatever their role (as endpoints' <see cref="Authorization.EveryRole"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AllowedToEveryRoleAttribute : Attribute;

namespace Edc.Api.Security;

/// <summary>
/// The system may send this MediatR request: a background job or the start-up, outside any HTTP request and with no
/// user. Without this mark such a sender is refused, as an anonymous HTTP caller is.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SystemRequestAttribute : Attribute;

namespace Edc.Api.Security;

/// <summary>
/// Anyone may send this MediatR request over HTTP, signed in or not: the sign-ins, which are how a caller gets a user.
/// A new one is added on purpose (an architecture test lists them).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AnonymousRequestAttribute : Attribute;

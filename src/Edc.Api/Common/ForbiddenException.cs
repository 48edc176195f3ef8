namespace Edc.Api.Common;

/// <summary>
/// 403: the caller's role may not send the request (<see cref="Security.RequestSenderGate{TRequest, TResponse}"/>), or they
/// may see the thing but not in the form asked for (e.g. a closed report before unblinding).
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message);

namespace Edc.Api.Common;

/// <summary>No such thing, or a thing the caller may not see: the answer is the same 404 either way.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>Bad credentials, an unknown or revoked token: 401 without saying which.</summary>
public sealed class AuthenticationFailedException(string message) : Exception(message);

/// <summary>A change to data that already exists came without <c>If-Match</c>: 428, read the data and send its version.</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);

/// <summary>The caller may see the thing but not in the form asked for (e.g. a closed report before unblinding): 403.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

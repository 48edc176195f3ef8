namespace Edc.Api.Common;

/// <summary>No such thing, or a thing the caller may not see: the answer is the same 404 either way.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>Bad credentials, an unknown or revoked token: 401 without saying which.</summary>
public sealed class AuthenticationFailedException(string message) : Exception(message);

/// <summary>A change to data that already exists came without <c>If-Match</c>: 428, read the data and send its version.</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);

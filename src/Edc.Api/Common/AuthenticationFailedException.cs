namespace Edc.Api.Common;

/// <summary>Bad credentials, an unknown or revoked token: 401 without saying which.</summary>
public sealed class AuthenticationFailedException(string message) : Exception(message);

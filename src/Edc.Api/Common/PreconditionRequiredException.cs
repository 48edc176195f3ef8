namespace Edc.Api.Common;

/// <summary>A change to data that already exists came without <c>If-Match</c>: 428, read the data and send its version.</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);

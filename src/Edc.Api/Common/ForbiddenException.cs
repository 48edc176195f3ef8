namespace Edc.Api.Common;

/// <summary>The caller may see the thing but not in the form asked for (e.g. a closed report before unblinding): 403.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

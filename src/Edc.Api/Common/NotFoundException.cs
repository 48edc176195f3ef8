namespace Edc.Api.Common;

/// <summary>No such thing, or a thing the caller may not see: the answer is the same 404 either way.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

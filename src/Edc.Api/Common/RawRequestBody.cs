namespace Edc.Api.Common;

/// <summary>Endpoint metadata: the body the endpoint reads from the request stream, for the OpenAPI document.</summary>
public sealed record RawRequestBody(string ContentType, string Description);

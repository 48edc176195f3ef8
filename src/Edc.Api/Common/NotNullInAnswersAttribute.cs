namespace Edc.Api.Common;

/// <summary>
/// A field of a type that requests and answers share (the adverse event form) that an answer always has. Its type is
/// nullable for the request's sake, so that a missing field is the validators' error (which say whether a request must
/// send it); an answer never leaves it null, and the OpenAPI document says so (<c>Hosting.OpenApi.SchemaConventions</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotNullInAnswersAttribute : Attribute;

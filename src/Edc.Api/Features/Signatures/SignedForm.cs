using System.Text.Json;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Signatures;

/// <summary>One form's data as a signature covers them: a visit's form, a log entry or an adverse event, values by item code.</summary>
public sealed record SignedForm(Guid Id, string FormCode, string Name, int FormVersion, FormStatus Status, bool Removed, string? RemovedReason, JsonElement Values);

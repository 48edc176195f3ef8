using Edc.Domain.Forms;

namespace Edc.Api.Features.Signatures;

/// <summary>A form in a signature's scope that is not Complete: a visit's form (with its visit) or a log entry (without).</summary>
public sealed record MissingForm(string? VisitCode, string FormCode, string Name, FormStatus Status);

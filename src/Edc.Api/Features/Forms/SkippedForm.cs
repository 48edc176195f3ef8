namespace Edc.Api.Features.Forms;

public sealed record SkippedForm(string Code, string Reason);

namespace Edc.Api.Features.Forms;

public sealed record CodeModel(string? Code, string? Label);

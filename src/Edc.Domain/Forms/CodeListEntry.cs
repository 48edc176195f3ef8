namespace Edc.Domain.Forms;

public sealed record CodeListEntry(string Code, string Label);

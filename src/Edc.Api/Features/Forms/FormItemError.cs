namespace Edc.Api.Features.Forms;

/// <summary>An item's value that a save would refuse, and why.</summary>
public sealed record FormItemError(string ItemCode, string Message);

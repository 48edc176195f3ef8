namespace Edc.Api.Common.Signatures;

/// <summary>A signature's view with whose casebook it is in and who signed it.</summary>
public sealed record SignatureRow(Guid ParticipantId, Guid SignerId, SignatureView View);

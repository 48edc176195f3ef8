namespace Edc.Api.Features.Signatures;

/// <summary>What an investigator is about to sign: their printed name, the participant, and the data in scope with what is not yet complete.</summary>
public sealed record SignaturePreview(string SignerName, string ScreeningNumber, SignedData Data);

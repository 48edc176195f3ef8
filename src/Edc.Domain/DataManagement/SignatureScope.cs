namespace Edc.Domain.DataManagement;

/// <summary>What a signature covers: one visit's data, or the participant's whole casebook.</summary>
public enum SignatureScope
{
    Visit,
    Casebook,
}

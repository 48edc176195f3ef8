namespace Edc.Domain.DataManagement;

/// <summary>What the signer means by signing (21 CFR 11.50(a)(3)), shown with every signature.</summary>
public enum SignatureMeaning
{
    Approval,
    Review,
    Responsibility,
}

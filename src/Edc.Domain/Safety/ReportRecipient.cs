namespace Edc.Domain.Safety;

/// <summary>Who an expedited report goes to: the sponsor (every SAE, 24 h) or the regulators (SUSARs, 7 or 15 days).</summary>
public enum ReportRecipient
{
    Sponsor,
    Regulator,
}

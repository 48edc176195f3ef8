namespace Edc.Domain.Analysis;

/// <summary>One participant's endpoint at baseline and at the final visit; the change is final less baseline.</summary>
public sealed record PairedScores(double Baseline, double Final)
{
    public double Change => Final - Baseline;
}

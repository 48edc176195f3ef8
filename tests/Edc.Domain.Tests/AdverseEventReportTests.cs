using Edc.Domain.Safety;

namespace Edc.Domain.Tests;

/// <summary>The adverse event form's consistency rules (each field error named as the client names the field) and SUSAR classification.</summary>
public sealed class AdverseEventReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Consent = new(2026, 3, 1);
    private static readonly DateOnly Onset = new(2026, 3, 5);

    /// <summary>A consistent, non-serious, ongoing event.</summary>
    private static readonly AdverseEventReport Mild = new(
        "Headache", Onset, null, true, 1, false, [], Relatedness.NotRelated, true, ActionTaken.DoseNotChanged, AdverseEventOutcome.NotRecovered,
        new DateTimeOffset(2026, 3, 6, 9, 0, 0, TimeSpan.Zero));

    private static readonly AdverseEventReport Hospitalized = Mild with { Grade = 3, Serious = true, SeriousnessCriteria = [SeriousnessCriterion.Hospitalization] };

    private static readonly AdverseEventReport Fatal = Mild with
    {
        Grade = 5,
        Serious = true,
        SeriousnessCriteria = [SeriousnessCriterion.Death],
        Outcome = AdverseEventOutcome.Fatal,
        Ongoing = false,
        EndDate = Onset.AddDays(2),
    };

    private static List<string> FieldsOf(AdverseEventReport report, DateOnly? consent = null) =>
        [.. report.Inconsistencies(consent ?? Consent, Now).Select(i => i.Field)];

    [Fact]
    public void Inconsistencies_WhenMildOngoingEvent_AreNone() => Assert.Empty(FieldsOf(Mild));

    [Fact]
    public void Inconsistencies_WhenSeriousWithACriterion_AreNone() => Assert.Empty(FieldsOf(Hospitalized));

    [Fact]
    public void Inconsistencies_WhenGrade5SeriousWithDeathAndFatalOutcome_AreNone() => Assert.Empty(FieldsOf(Fatal));

    [Fact]
    public void Inconsistencies_WhenGrade5NotSerious_NameSerious()
    {
        var fields = FieldsOf(Fatal with { Serious = false, SeriousnessCriteria = [] });

        Assert.Contains("serious", fields);
        Assert.Contains("seriousnessCriteria", fields);
    }

    [Fact]
    public void Inconsistencies_WhenGrade5WithoutDeathCriterion_NameSeriousnessCriteria() =>
        Assert.Equal(["seriousnessCriteria"], FieldsOf(Fatal with { SeriousnessCriteria = [SeriousnessCriterion.Hospitalization] }));

    [Fact]
    public void Inconsistencies_WhenGrade5WithDeathAmongOtherCriteria_AreNone() =>
        Assert.Empty(FieldsOf(Fatal with { SeriousnessCriteria = [SeriousnessCriterion.Hospitalization, SeriousnessCriterion.Death] }));

    [Theory]
    [InlineData(AdverseEventOutcome.Recovered)]
    [InlineData(AdverseEventOutcome.NotRecovered)]
    [InlineData(AdverseEventOutcome.Unknown)]
    public void Inconsistencies_WhenGrade5WithoutFatalOutcome_NameOutcome(AdverseEventOutcome outcome) =>
        Assert.Equal(["outcome"], FieldsOf(Fatal with { Outcome = outcome }));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Inconsistencies_WhenDeathCriterionBelowGrade5_NameGrade(int grade) =>
        Assert.Equal(["grade"], FieldsOf(Fatal with { Grade = grade, Outcome = AdverseEventOutcome.Recovered }));

    [Fact]
    public void Inconsistencies_WhenFatalOutcomeBelowGrade5_NameGrade() =>
        Assert.Equal(["grade"], FieldsOf(Hospitalized with { Outcome = AdverseEventOutcome.Fatal, Ongoing = false, EndDate = Onset }));

    [Fact]
    public void Inconsistencies_WhenSeriousWithoutCriterion_NameSeriousnessCriteria() =>
        Assert.Equal(["seriousnessCriteria"], FieldsOf(Hospitalized with { SeriousnessCriteria = [] }));

    [Theory]
    [InlineData(SeriousnessCriterion.LifeThreatening)]
    [InlineData(SeriousnessCriterion.Hospitalization)]
    [InlineData(SeriousnessCriterion.Disability)]
    [InlineData(SeriousnessCriterion.CongenitalAnomaly)]
    [InlineData(SeriousnessCriterion.ImportantMedicalEvent)]
    public void Inconsistencies_WhenACriterionWithoutSerious_NameSerious(SeriousnessCriterion criterion) =>
        Assert.Equal(["serious"], FieldsOf(Mild with { SeriousnessCriteria = [criterion] }));

    [Theory]
    [InlineData(SeriousnessCriterion.LifeThreatening)]
    [InlineData(SeriousnessCriterion.Hospitalization)]
    [InlineData(SeriousnessCriterion.Disability)]
    [InlineData(SeriousnessCriterion.CongenitalAnomaly)]
    [InlineData(SeriousnessCriterion.ImportantMedicalEvent)]
    public void Inconsistencies_WhenSeriousWithAnyNonDeathCriterionBelowGrade5_AreNone(SeriousnessCriterion criterion) =>
        Assert.Empty(FieldsOf(Hospitalized with { SeriousnessCriteria = [criterion] }));

    [Fact]
    public void Inconsistencies_WhenOngoingWithAnEndDate_NameOngoing() =>
        Assert.Equal(["ongoing"], FieldsOf(Mild with { Ongoing = true, EndDate = Onset.AddDays(1) }));

    [Fact]
    public void Inconsistencies_WhenNotOngoingWithoutEndDate_NameOngoing() =>
        Assert.Equal(["ongoing"], FieldsOf(Mild with { Ongoing = false, EndDate = null }));

    [Fact]
    public void Inconsistencies_WhenEndedWithAnEndDate_AreNone() =>
        Assert.Empty(FieldsOf(Mild with { Ongoing = false, EndDate = Onset.AddDays(1) }));

    [Fact]
    public void Inconsistencies_WhenEndBeforeOnset_NameEndDate() =>
        Assert.Equal(["endDate"], FieldsOf(Mild with { Ongoing = false, EndDate = Onset.AddDays(-1) }));

    [Fact]
    public void Inconsistencies_WhenEndOnTheOnsetDay_AreNone() =>
        Assert.Empty(FieldsOf(Mild with { Ongoing = false, EndDate = Onset }));

    [Fact]
    public void Inconsistencies_WhenOnsetBeforeConsent_NameOnsetDate() =>
        Assert.Equal(["onsetDate"], FieldsOf(Mild, consent: Onset.AddDays(1)));

    [Fact]
    public void Inconsistencies_WhenOnsetOnTheConsentDay_AreNone() =>
        Assert.Empty(FieldsOf(Mild, consent: Onset));

    [Fact]
    public void Inconsistencies_WhenNoConsentKnown_DoNotBoundTheOnset() =>
        Assert.Empty(Mild.Inconsistencies(null, Now));

    [Fact]
    public void Inconsistencies_WhenOnsetBeyondTomorrow_NameOnsetDate()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);

        Assert.Contains("onsetDate", FieldsOf(Mild with { OnsetDate = today.AddDays(2), AwareAt = Now }));
        Assert.DoesNotContain("onsetDate", FieldsOf(Mild with { OnsetDate = today.AddDays(1), AwareAt = Now }));
    }

    [Fact]
    public void Inconsistencies_WhenEndBeyondTomorrow_NameEndDate()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);

        Assert.Equal(["endDate"], FieldsOf(Mild with { Ongoing = false, EndDate = today.AddDays(2) }));
        Assert.Empty(FieldsOf(Mild with { Ongoing = false, EndDate = today.AddDays(1) }));
    }

    [Fact]
    public void Inconsistencies_WhenAwareBeforeOnset_NameAwarenessDate() =>
        Assert.Equal(["awarenessDate"], FieldsOf(Mild with { AwareAt = new DateTimeOffset(Onset.AddDays(-1), new TimeOnly(23, 59), TimeSpan.Zero) }));

    [Fact]
    public void Inconsistencies_WhenAwareOnTheOnsetDay_AreNone() =>
        Assert.Empty(FieldsOf(Mild with { AwareAt = new DateTimeOffset(Onset, TimeOnly.MinValue, TimeSpan.Zero) }));

    [Fact]
    public void Inconsistencies_WhenAwareInTheFuture_NameAwarenessDate()
    {
        Assert.Equal(["awarenessDate"], FieldsOf(Mild with { AwareAt = Now.AddMinutes(1) }));
        Assert.Empty(FieldsOf(Mild with { AwareAt = Now }));
    }

    [Fact]
    public void Inconsistencies_WhenSeveralRulesBroken_NameEachField()
    {
        var fields = FieldsOf(Mild with { Grade = 5, Ongoing = false, EndDate = Onset.AddDays(-1) }, consent: Onset.AddDays(1));

        Assert.Equal(["serious", "seriousnessCriteria", "outcome", "endDate", "onsetDate"], fields);
    }

    [Theory]
    [InlineData(Relatedness.NotRelated, null, true, false)]
    [InlineData(Relatedness.Unlikely, null, true, false)]
    [InlineData(Relatedness.Unlikely, false, true, false)]
    [InlineData(Relatedness.Possible, false, true, true)]
    [InlineData(Relatedness.Probable, false, true, true)]
    [InlineData(Relatedness.Definite, false, true, true)]
    [InlineData(Relatedness.Possible, null, true, true)]
    [InlineData(Relatedness.Probable, null, true, true)]
    [InlineData(Relatedness.Definite, null, true, true)]
    [InlineData(Relatedness.Possible, true, true, false)]
    [InlineData(Relatedness.Probable, true, true, false)]
    [InlineData(Relatedness.Definite, true, true, false)]
    [InlineData(Relatedness.Definite, false, false, false)]
    [InlineData(Relatedness.Definite, null, false, false)]
    [InlineData(Relatedness.Probable, false, false, false)]
    public void IsSusar_IsSeriousRelatedAndNotKnownExpected(Relatedness relatedness, bool? expected, bool serious, bool susar)
    {
        var report = Mild with
        {
            Relatedness = relatedness,
            Expected = expected,
            Serious = serious,
            SeriousnessCriteria = serious ? [SeriousnessCriterion.Hospitalization] : [],
        };

        Assert.Equal(susar, report.IsSusar);
    }

    [Theory]
    [InlineData(Relatedness.NotRelated, false)]
    [InlineData(Relatedness.Unlikely, false)]
    [InlineData(Relatedness.Possible, true)]
    [InlineData(Relatedness.Probable, true)]
    [InlineData(Relatedness.Definite, true)]
    public void IsRelated_IsPossibleProbableOrDefinite(Relatedness relatedness, bool related) =>
        Assert.Equal(related, (Mild with { Relatedness = relatedness }).IsRelated);

    [Fact]
    public void IsFatalOrLifeThreatening_IsGrade5OrTheDeathOrLifeThreateningCriterion()
    {
        Assert.True(Fatal.IsFatalOrLifeThreatening);
        Assert.True((Hospitalized with { SeriousnessCriteria = [SeriousnessCriterion.LifeThreatening] }).IsFatalOrLifeThreatening);
        Assert.False(Hospitalized.IsFatalOrLifeThreatening);
        Assert.False((Hospitalized with { Grade = 4, SeriousnessCriteria = [SeriousnessCriterion.Disability, SeriousnessCriterion.ImportantMedicalEvent] }).IsFatalOrLifeThreatening);
    }
}

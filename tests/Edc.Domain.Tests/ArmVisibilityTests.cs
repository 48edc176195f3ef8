using Edc.Domain.Blinding;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Domain.Trials;

namespace Edc.Domain.Tests;

public sealed class ArmVisibilityTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 14, 5, 0, TimeSpan.Zero);
    private static readonly Trial Trial = NewTrial();
    private static readonly Site OwnSite = Trial.AddSite("S1", "Own site", []);
    private static readonly Site OtherSite = Trial.AddSite("S2", "Other site", [OwnSite]);

    private static Trial NewTrial() => Trial.Define(
        new TrialDefinition(
            "T1", "Trial one", [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)], [new VisitSpec("D0", "Day 0", 0, 0, 0, [])], [], []),
        Now);

    private static Viewer As(string role, params Site[] sites) => new(Guid.NewGuid(), [role], [.. sites.Select(s => s.Id)]);

    private static Participant At(Site site) => Participant.Register(Trial, site, site.Code + "-001", "F", 1970, Now);

    [Fact]
    public void MaySeeArm_UnblindedStatistician_SeesEveryParticipantsArm() =>
        Assert.True(ArmVisibility.MaySeeArm(As(Roles.UnblindedStatistician), Trial, At(OtherSite)));

    [Fact]
    public void MaySeeArm_Pharmacist_SeesOwnSiteArmsOnly()
    {
        var pharmacist = As(Roles.Pharmacist, OwnSite);

        Assert.True(ArmVisibility.MaySeeArm(pharmacist, Trial, At(OwnSite)));
        Assert.False(ArmVisibility.MaySeeArm(pharmacist, Trial, At(OtherSite)));
    }

    [Theory]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Investigator)]
    [InlineData(Roles.DsmbMember)]
    [InlineData(Roles.Admin)]
    public void MaySeeArm_BlindedRoles_SeeNoArmBeforeTheFinalUnblinding(string role) =>
        Assert.False(ArmVisibility.MaySeeArm(As(role, OwnSite), Trial, At(OwnSite)));

    [Fact]
    public void MaySeeArm_Investigator_SeesTheArmOfTheParticipantTheyUnblindedOnly()
    {
        var investigator = As(Roles.Investigator, OwnSite);
        var unblinded = At(OwnSite);
        unblinded.Enroll(Trial, DateOnly.FromDateTime(Now.UtcDateTime), new Dictionary<string, bool>(), new Dictionary<string, string>(), Now);
        unblinded.Randomize(Trial, "R001", "K001", Now);
        unblinded.RecordEmergencyUnblinding(investigator.Id!.Value, "Anaphylaxis", Now);
        var colleague = As(Roles.Investigator, OwnSite);

        Assert.True(ArmVisibility.MaySeeArm(investigator, Trial, unblinded));
        Assert.False(ArmVisibility.MaySeeArm(investigator, Trial, At(OwnSite)));
        Assert.False(ArmVisibility.MaySeeArm(colleague, Trial, unblinded));
    }

    [Fact]
    public void MaySeeArm_AfterTheFinalUnblinding_EveryRoleSeesArms()
    {
        var trial = NewTrial();
        var site = trial.AddSite("S1", "Site", []);
        var participant = Participant.Register(trial, site, "S1-001", null, null, Now);
        trial.Lock(Now);
        trial.FinalUnblind(Now);

        Assert.True(ArmVisibility.MaySeeArm(As(Roles.Coordinator, site), trial, participant));
        Assert.True(ArmVisibility.ExportCarriesArms(trial));
        Assert.True(ArmVisibility.MayReadClosedReport(As(Roles.Coordinator, site), trial, boardRequestApproved: false));
    }

    [Fact]
    public void ExportCarriesArms_BeforeTheFinalUnblinding_NeverEvenForTheStatistician() =>
        Assert.False(ArmVisibility.ExportCarriesArms(Trial));

    [Fact]
    public void MayReadClosedReport_Board_OnlyOnceAnUnblindingRequestIsApproved()
    {
        Assert.False(ArmVisibility.MayReadClosedReport(As(Roles.DsmbMember), Trial, boardRequestApproved: false));
        Assert.True(ArmVisibility.MayReadClosedReport(As(Roles.DsmbMember), Trial, boardRequestApproved: true));
        Assert.False(ArmVisibility.MayReadClosedReport(As(Roles.Coordinator, OwnSite), Trial, boardRequestApproved: true));
        Assert.True(ArmVisibility.MayReadClosedReport(As(Roles.UnblindedStatistician), Trial, boardRequestApproved: false));
    }

    [Theory]
    [InlineData(Roles.UnblindedStatistician, true)]
    [InlineData(Roles.Pharmacist, false)]
    [InlineData(Roles.DsmbMember, false)]
    [InlineData(Roles.Admin, false)]
    public void MayReadRandomizationList_OnlyTheUnblindedStatistician(string role, bool allowed) =>
        Assert.Equal(allowed, ArmVisibility.MayReadRandomizationList(As(role, OwnSite)));
}

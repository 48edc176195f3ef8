using Edc.Domain.Security;

namespace Edc.Domain.Tests;

public sealed class RolesTests
{
    [Fact]
    public void SiteScopedRoles_AreCoordinatorInvestigatorPharmacistAndMonitor()
    {
        Assert.Equal(
            [Roles.Coordinator, Roles.Investigator, Roles.Pharmacist, Roles.Monitor],
            Roles.All.Where(Roles.SiteScoped.Contains));
    }

    [Theory]
    [InlineData("Admin", true)]
    [InlineData("UnblindedStatistician", true)]
    [InlineData("Monitor", true)]
    [InlineData("DataManager", true)]
    [InlineData("admin", false)]
    [InlineData("Sponsor", false)]
    public void IsKnown_MatchesContractRolesExactly(string role, bool known) => Assert.Equal(known, Roles.IsKnown(role));

    [Theory]
    [InlineData(true, "UnblindedStatistician")]
    [InlineData(true, "Pharmacist")]
    [InlineData(true, "Admin", "DsmbMember", "Coordinator")]
    [InlineData(false, "UnblindedStatistician", "Admin")]
    [InlineData(false, "Pharmacist", "Coordinator")]
    [InlineData(false, "Pharmacist", "UnblindedStatistician")]
    public void AreSeparated_KeepsUnblindedRolesAlone(bool separated, params string[] roles) =>
        Assert.Equal(separated, Roles.AreSeparated(roles));

    [Theory]
    [InlineData(true, "Monitor")]
    [InlineData(true, "DataManager", "Admin")]
    [InlineData(true, "Coordinator", "Investigator")]
    [InlineData(false, "Monitor", "Coordinator")]
    [InlineData(false, "DataManager", "Investigator")]
    public void KeepReviewApartFromEntry_RefusesOneAccountThatBothEntersAndChecksData(bool apart, params string[] roles) =>
        Assert.Equal(apart, Roles.KeepReviewApartFromEntry(roles));
}

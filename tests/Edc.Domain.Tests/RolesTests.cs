using Edc.Domain.Security;

namespace Edc.Domain.Tests;

public sealed class RolesTests
{
    [Fact]
    public void SiteScopedRoles_AreCoordinatorInvestigatorAndPharmacist()
    {
        Assert.Equal(
            [Roles.Coordinator, Roles.Investigator, Roles.Pharmacist],
            Roles.All.Where(Roles.SiteScoped.Contains));
    }

    [Theory]
    [InlineData("Admin", true)]
    [InlineData("UnblindedStatistician", true)]
    [InlineData("admin", false)]
    [InlineData("Sponsor", false)]
    public void IsKnown_MatchesContractRolesExactly(string role, bool known) => Assert.Equal(known, Roles.IsKnown(role));
}

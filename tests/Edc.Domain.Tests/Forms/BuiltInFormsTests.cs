using Edc.Domain.Forms;
using Edc.Domain.Visits;

namespace Edc.Domain.Tests.Forms;

public sealed class BuiltInFormsTests
{
    [Fact]
    public void BuiltInForms_DefineUnderTheirFixedCodes()
    {
        Assert.Equal(["MRSS", "INFUSION", "AE"], BuiltInForms.All.Select(f => f.Code));
        Assert.True(BuiltInForms.All.Single(f => f.Code == "AE").Log);
    }

    [Fact]
    public void Mrss_HasTheSeventeenAreasAndTheirCalculatedTotal()
    {
        var mrss = BuiltInForms.All.Single(f => f.Code == "MRSS").Definition;
        var scores = MrssAssessment.Areas.ToDictionary(a => a, object? (_) => 2m);
        scores["assessedOn"] = "2026-12-01";
        scores["assessorName"] = "Dr Khanna";

        var outcome = FormEntry.Check(mrss, scores, _ => null);

        Assert.Empty(outcome.Errors);
        Assert.Equal(34m, outcome.Values["total"]);
        Assert.Equal(FormStatus.Complete, outcome.Status);
    }
}

using Edc.Api.Tests.Infrastructure;
using Edc.Api.Tests.Odm;

namespace Edc.Api.Tests;

/// <summary>
/// The demonstration trial exported as ODM, both kinds, valid against the official schema. When <c>EDC_ODM_EXPORT_DIR</c>
/// is set (<c>.ci/run</c> sets it) the documents are kept there, for CI to validate them once more with xmllint.
/// </summary>
public sealed class OdmDemoExportTests(DemoDataApiFactory api) : IClassFixture<DemoDataApiFactory>
{
    [Theory]
    [InlineData("Snapshot")]
    [InlineData("Transactional")]
    public async Task ExportOdm_OfTheDemonstrationTrial_IsValidOdm_WithEveryParticipant(string type)
    {
        var dataManager = await api.LoginAsync("datamanager@edc.local", EdcApiFactory.AdminPassword);
        var trialId = await dataManager.DemoTrialIdAsync();
        var participants = (await dataManager.GetJsonAsync($"/api/trials/{trialId}/participants?pageSize=200")).GetProperty("total").GetInt32();

        var xml = await dataManager.GetStringAsync($"/api/trials/{trialId}/exports/odm?type={type}");

        var odm = OdmSchema.Validated(xml);
        var subjects = odm.Root!.Element(OdmSchema.Odm + "ClinicalData")!.Elements(OdmSchema.Odm + "SubjectData")
            .Where(s => (string?)s.Attribute("TransactionType") != "Context").ToList();
        Assert.Equal(participants, subjects.Count);
        Assert.All(subjects, s => Assert.NotEmpty(s.Descendants(OdmSchema.Odm + "ItemData")));
        if (Environment.GetEnvironmentVariable("EDC_ODM_EXPORT_DIR") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, $"demo-{type.ToLowerInvariant()}.xml"), xml);
        }
    }
}

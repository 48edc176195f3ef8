using Edc.Domain.Forms;
using Edc.Domain.Trials;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// What the metadata and the data of one export share: the trial's OIDs, its study events and forms as ODM describes
/// them, and the units its items use. The randomization form has the arm only when the export may carry arms.
/// </summary>
internal sealed class OdmStudy
{
    public const string RandomizationNumberItem = "randomizationNumber";
    public const string RandomizedAtItem = "randomizedAt";
    public const string ArmItem = "arm";

    public OdmStudy(Trial trial, IEnumerable<VisitDefinition> visits, FormCatalog catalog, bool carriesArms)
    {
        Trial = trial;
        StudyOid = OdmOids.Study(trial.Code);
        MetaDataVersionOid = OdmOids.MetaDataVersion(trial.FormsRevision);
        var forms = catalog.LatestForms.Select(latest => OdmForm.Of(catalog, latest)).ToList();
        forms.Add(RandomizationForm(trial, carriesArms));
        Forms = forms;
        FormsByCode = forms.ToDictionary(f => f.Code, StringComparer.Ordinal);

        var participantLevel = forms.Where(f => f.Log).Select(f => f.Code).Prepend(OdmOids.RandomizationForm).ToList();
        Events =
        [
            .. visits.OrderBy(v => v.Day).ThenBy(v => v.Ordinal).Select(v => new OdmStudyEvent(
                OdmOids.StudyEvent(v.Code), v.Name, Repeating: false, "Scheduled",
                $"Day {v.Day} (window {v.WindowBefore} days before, {v.WindowAfter} after)", catalog.FormsAt(v.Code))),
            new OdmStudyEvent(OdmOids.UnscheduledEvent, "Unscheduled visit", Repeating: true, "Unscheduled", null,
                BuiltInFormCodes.WithProcedures([], [.. BuiltInFormCodes.All]).Forms.Where(f => !BuiltInFormCodes.Logs.Contains(f)).ToList()),
            new OdmStudyEvent(OdmOids.SubjectEvent, "Participant", Repeating: false, "Common", "Data kept per participant: log forms and the randomization", participantLevel),
        ];

        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in forms.SelectMany(f => f.AllItems).Where(i => i.Units is not null))
        {
            var oid = OdmOids.MeasurementUnit(item.Units!);
            // Two spellings that make the same OID ("m/s", "m_s") keep apart.
            for (var n = 2; units.ContainsValue(oid) && !units.ContainsKey(item.Units!); n++)
            {
                oid = OdmOids.MeasurementUnit(item.Units!) + "." + n;
            }

            units.TryAdd(item.Units!, oid);
        }

        Units = units;
    }

    public Trial Trial { get; }

    public string StudyOid { get; }

    public string MetaDataVersionOid { get; }

    public IReadOnlyList<OdmForm> Forms { get; }

    public IReadOnlyDictionary<string, OdmForm> FormsByCode { get; }

    public IReadOnlyList<OdmStudyEvent> Events { get; }

    /// <summary>The units items use, each with its <c>MeasurementUnit</c> OID, in the order first used.</summary>
    public IReadOnlyDictionary<string, string> Units { get; }

    private static OdmForm RandomizationForm(Trial trial, bool carriesArms) => new(
        OdmOids.RandomizationForm, "Randomization", Log: false, Version: 1,
        [
            new ItemSpec(RandomizationNumberItem, "Randomization number", ItemType.Text, Required: true, MaxLength: 40),
            new ItemSpec(RandomizedAtItem, "Randomized at", ItemType.DateTime, Required: true),
            .. carriesArms
                ? [new ItemSpec(ArmItem, "Arm", ItemType.Choice, Required: true, CodeList: [.. trial.Arms.OrderBy(a => a.Ordinal).Select(a => new CodeListEntry(a.Code, a.Name))])]
                : Array.Empty<ItemSpec>(),
        ],
        []);
}

using System.Globalization;
using Edc.Domain.Forms;
using Edc.Domain.Forms.Expressions;
using Edc.Domain.Participants;
using Edc.Domain.Visits;

namespace Edc.Api.Features.DemoData;

/// <summary>
/// One demo participant's own forms (DM, VS, PFT, BIOPSY at the visits done; CM and MH entries), plausible for diffuse
/// systemic sclerosis: disease onset within three years of screening, Raynaud phenomenon before it, antibodies, a weight
/// that drifts a little, blood pressure, pulse and temperature around the person's own level (once in a while outside the
/// soft range), lung function, biopsies, mycophenolate titrated to 1,000 mg twice daily. The values go through
/// <see cref="FormEntry.Check"/> as any entry does, so every rule holds and the calculated dose is computed. Its random
/// source is its own: the MRSS and adverse events drawn from the demo's shared one stay as they were.
/// </summary>
internal sealed class DemoForms
{
    private static readonly (string Drug, decimal Dose, string Frequency)[] RaynaudDrugs = [("Nifedipine", 30, "QD"), ("Sildenafil", 20, "TID")];

    private readonly FormCatalog _catalog;
    private readonly Participant _participant;
    private readonly DemoTimeline _timeline;
    private readonly Random _random;
    private readonly DateOnly _screening;
    private readonly DateOnly _firstSymptom;
    private readonly bool _hypertension;
    private readonly bool _reflux;
    private readonly int _index;
    private readonly decimal _fvc;
    private readonly decimal _dlco;
    private readonly (int Systolic, int Diastolic, int Pulse) _vitals;
    private decimal _weight;
    private IReadOnlyDictionary<string, object> _demographics = new Dictionary<string, object>();

    public DemoForms(FormCatalog catalog, Participant participant, int index, DateOnly screening, DemoTimeline timeline)
    {
        (_catalog, _participant, _index, _screening, _timeline) = (catalog, participant, index, screening, timeline);
        _random = new Random(1700 + index);
        _firstSymptom = screening.AddDays(-_random.Next(60, 1000));
        _hypertension = _random.Next(4) == 0;
        _reflux = _random.Next(2) == 0;
        _weight = participant.Sex == "M" ? 65 + _random.Next(33) : 52 + _random.Next(30);
        _vitals = (108 + _random.Next(25) + (_hypertension ? 15 : 0), 66 + _random.Next(16) + (_hypertension ? 8 : 0), 62 + _random.Next(26));
        _fvc = 60 + _random.Next(51);
        _dlco = 40 + _random.Next(61);
    }

    /// <summary>The forms of a visit done on <paramref name="actual"/>, those the demo fills (the built-in ones are entered apart).</summary>
    public IEnumerable<FormRecord> AtVisit(ScheduledVisit visit, DateOnly actual)
    {
        foreach (var code in _catalog.FormsAt(visit))
        {
            var values = code switch
            {
                "DM" => Demographics(),
                "VS" => VitalSigns(visit.Code),
                "PFT" => PulmonaryFunction(visit.Day ?? 0),
                "BIOPSY" => Biopsy(visit.Code, actual),
                _ => null,
            };
            if (values is not null && Enter(code, values, visit, _timeline.At(actual, 13)) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Medical history and medications, as taken at screening: Raynaud phenomenon before the first other symptom, reflux and
    /// hypertension for some, each treated; mycophenolate started during screening and titrated to 1,000 mg twice daily.
    /// </summary>
    public IReadOnlyList<FormRecord> Logs()
    {
        var raynaud = _firstSymptom.AddDays(-_random.Next(90, 2500));
        var reflux = _firstSymptom.AddDays(_random.Next(0, _screening.DayNumber - _firstSymptom.DayNumber));
        var hypertension = _screening.AddDays(-_random.Next(400, 4000));
        var history = new List<Dictionary<string, object?>> { Condition("Raynaud phenomenon", raynaud) };
        var medications = new List<(Dictionary<string, object?> Values, DateOnly EnteredOn)>();
        if (_reflux)
        {
            history.Add(Condition("Gastro-oesophageal reflux disease", reflux));
            medications.Add((Medication("Omeprazole", "Gastro-oesophageal reflux disease", 20, "QD", Between(reflux, _screening), stop: null), _screening));
        }

        if (_hypertension)
        {
            history.Add(Condition("Hypertension", hypertension));
            medications.Add((Medication("Amlodipine", "Hypertension", 5, "QD", Between(hypertension, _screening), stop: null), _screening));
        }

        // One to three medications besides mycophenolate: a vasodilator for the Raynaud phenomenon unless two are taken already.
        if (medications.Count < 2 || _random.Next(3) == 0)
        {
            var (drug, dose, frequency) = RaynaudDrugs[_random.Next(RaynaudDrugs.Length)];
            medications.Add((Medication(drug, "Raynaud phenomenon", dose, frequency, Between(raynaud, _screening), stop: null), _screening));
        }

        var mmfStart = _screening.AddDays(_random.Next(0, 20));
        var titrated = mmfStart.AddDays(14 + _random.Next(15));
        medications.Add((Medication("Mycophenolate mofetil", "Systemic sclerosis", 500, "BID", mmfStart, stop: titrated.AddDays(-1)), titrated));
        medications.Add((Medication("Mycophenolate mofetil", "Systemic sclerosis", 1000, "BID", titrated, stop: null), titrated));

        var entries = history.Select(condition => Enter("MH", condition, visit: null, _timeline.At(_screening, 15)))
            .Concat(medications.Where(m => m.EnteredOn <= _timeline.Today).Select(m => Enter("CM", m.Values, visit: null, _timeline.At(m.EnteredOn, 16))));
        return [.. entries.OfType<FormRecord>()];
    }

    private Dictionary<string, object?> Demographics()
    {
        // Diffuse disease: anti-RNA polymerase III and anti-Scl-70 about equally common, anti-centromere rare.
        var antibody = _random.NextDouble();
        return new()
        {
            ["SEX"] = _participant.Sex,
            ["BIRTHYEAR"] = (decimal)_participant.BirthYear!.Value,
            ["ETHNIC"] = Pick(("NOTHISPANIC", 85), ("HISPANIC", 10), ("NOTREPORTED", 5)),
            ["RACE"] = Pick(("WHITE", 70), ("BLACK", 15), ("ASIAN", 10), ("MULTIPLE", 5)),
            ["FIRSTSYMPTOM"] = Date(_firstSymptom),
            ["RNAPOL3"] = antibody < 0.35 ? "POS" : "NEG",
            ["SCL70"] = antibody is >= 0.35 and < 0.7 ? "POS" : "NEG",
            ["ACA"] = _index == 13 ? "ND" : antibody is >= 0.7 and < 0.75 ? "POS" : "NEG",
        };
    }

    private Dictionary<string, object?> VitalSigns(string visitCode)
    {
        _weight = Math.Round(_weight + ((decimal)_random.Next(-6, 7) / 10), 1);
        var values = new Dictionary<string, object?>
        {
            ["WEIGHT"] = _weight,
            ["SYSBP"] = (decimal)(_vitals.Systolic + _random.Next(-8, 9) + (_index == 5 && visitCode == "W12" ? 40 : 0)),
            ["DIABP"] = (decimal)(_vitals.Diastolic + _random.Next(-5, 6)),
            ["PULSE"] = (decimal)(_vitals.Pulse + _random.Next(-6, 7)),
            ["TEMP"] = _index == 12 && visitCode == "W28" ? 38.3m : 36.3m + ((decimal)_random.Next(9) / 10),
        };
        if (_participant.Sex == "F")
        {
            values["PREG"] = _screening.Year - _participant.BirthYear < 50 ? "NEG" : "NOTCBP";
        }

        return values;
    }

    private Dictionary<string, object?> PulmonaryFunction(int day)
    {
        // Lung function holds or slips a little over the year.
        var decline = (decimal)Math.Max(day, 0) / 364 * _random.Next(0, 4);
        return new()
        {
            ["FVC"] = Math.Clamp(Math.Round(_fvc - decline + ((decimal)_random.Next(-20, 21) / 10), 1), 60, 110),
            ["DLCO"] = Math.Clamp(Math.Round(_dlco - decline + ((decimal)_random.Next(-20, 21) / 10), 1), 40, 100),
        };
    }

    private Dictionary<string, object?> Biopsy(string visitCode, DateOnly actual) =>
        _index == 1 && visitCode == "W52"
            ? new() { ["TAKEN"] = false, ["NOTTAKENREASON"] = "Participant declined the second biopsy" }
            : new() { ["TAKEN"] = true, ["BIOPSYDATE"] = Date(actual), ["SITE"] = "FOREARM" };

    private static Dictionary<string, object?> Condition(string condition, DateOnly onset) =>
        new() { ["CONDITION"] = condition, ["ONSETDATE"] = Date(onset), ["ONGOING"] = true };

    private static Dictionary<string, object?> Medication(string drug, string indication, decimal dose, string frequency, DateOnly start, DateOnly? stop)
    {
        var values = new Dictionary<string, object?>
        {
            ["DRUG"] = drug,
            ["INDICATION"] = indication,
            ["DOSE"] = dose,
            ["UNIT"] = "MG",
            ["FREQ"] = frequency,
            ["STARTDATE"] = Date(start),
            ["ONGOING"] = stop is null,
        };
        if (stop is { } stopped)
        {
            values["STOPDATE"] = Date(stopped);
        }

        return values;
    }

    /// <summary>The entry checked as the API checks one (DM.SEX read from the screening's demographics); none when the trial has no such form.</summary>
    private FormRecord? Enter(string formCode, Dictionary<string, object?> values, ScheduledVisit? visit, DateTimeOffset enteredAt)
    {
        if (_catalog.Latest(formCode) is not { } form)
        {
            return null;
        }

        var outcome = FormEntry.Check(form.Definition, values, OtherForm);
        if (outcome.Errors.Count > 0)
        {
            throw new InvalidOperationException($"The demo's {formCode} does not check: {string.Join("; ", outcome.Errors.Select(e => $"{e.Key}: {e.Value}"))}");
        }

        if (formCode == "DM")
        {
            _demographics = outcome.Values;
        }

        return FormRecord.Enter(_participant, visit, form, outcome, enteredAt);
    }

    private object? OtherForm(ItemReference reference) => reference.FormCode == "DM" ? _demographics.GetValueOrDefault(reference.ItemCode) : null;

    private DateOnly Between(DateOnly first, DateOnly last) => first.AddDays(_random.Next(0, last.DayNumber - first.DayNumber + 1));

    private string Pick(params (string Code, int Weight)[] choices)
    {
        var draw = _random.Next(choices.Sum(c => c.Weight));
        foreach (var (code, weight) in choices)
        {
            if ((draw -= weight) < 0)
            {
                return code;
            }
        }

        throw new InvalidOperationException("Weights are positive.");
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

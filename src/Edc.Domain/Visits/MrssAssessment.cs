using Edc.Domain.Common;

namespace Edc.Domain.Visits;

/// <summary>
/// A modified Rodnan skin score: 17 areas scored 0 to 3, total 0 to 51. Each area is its own column, so the audit
/// trail keeps every area's old value on an edit.
/// </summary>
public sealed class MrssAssessment : VersionedRecord, ITrialScoped, ISiteScoped
{
    /// <summary>The contract's area codes, in the order of the form.</summary>
    public static readonly IReadOnlyList<string> Areas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private MrssAssessment()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public Guid VisitId { get; private set; }

    public DateOnly AssessedOn { get; private set; }

    public string AssessorName { get; private set; } = string.Empty;

    public int Face { get; private set; }

    public int AnteriorChest { get; private set; }

    public int Abdomen { get; private set; }

    public int RightFingers { get; private set; }

    public int LeftFingers { get; private set; }

    public int RightHand { get; private set; }

    public int LeftHand { get; private set; }

    public int RightForearm { get; private set; }

    public int LeftForearm { get; private set; }

    public int RightUpperArm { get; private set; }

    public int LeftUpperArm { get; private set; }

    public int RightThigh { get; private set; }

    public int LeftThigh { get; private set; }

    public int RightLowerLeg { get; private set; }

    public int LeftLowerLeg { get; private set; }

    public int RightFoot { get; private set; }

    public int LeftFoot { get; private set; }

    /// <summary>Derived from the 17 areas, never sent by a client; stored for set-based reports.</summary>
    public int Total { get; private set; }

    public static MrssAssessment Record(ScheduledVisit visit, DateOnly assessedOn, string assessorName, IReadOnlyDictionary<string, int> scores)
    {
        if (!visit.HasProcedure("Mrss"))
        {
            throw new RuleViolationException(RuleCodes.MrssNotAtThisVisit, $"Visit {visit.Code} does not include an MRSS assessment.");
        }

        var assessment = new MrssAssessment
        {
            Id = Guid.NewGuid(),
            TrialId = visit.TrialId,
            SiteId = visit.SiteId,
            ParticipantId = visit.ParticipantId,
            VisitId = visit.Id,
        };
        assessment.Update(assessedOn, assessorName, scores);
        return assessment;
    }

    public void Update(DateOnly assessedOn, string assessorName, IReadOnlyDictionary<string, int> scores)
    {
        var missing = Areas.Where(a => !scores.ContainsKey(a)).ToList();
        if (missing.Count > 0 || scores.Count != Areas.Count || scores.Values.Any(v => v is < 0 or > 3))
        {
            throw new RuleViolationException(RuleCodes.MrssIncomplete, "All 17 areas are scored, each 0 to 3.");
        }

        AssessedOn = assessedOn;
        AssessorName = assessorName;
        (Face, AnteriorChest, Abdomen, RightFingers, LeftFingers) = (scores["face"], scores["anteriorChest"], scores["abdomen"], scores["rightFingers"], scores["leftFingers"]);
        (RightHand, LeftHand, RightForearm, LeftForearm) = (scores["rightHand"], scores["leftHand"], scores["rightForearm"], scores["leftForearm"]);
        (RightUpperArm, LeftUpperArm, RightThigh, LeftThigh) = (scores["rightUpperArm"], scores["leftUpperArm"], scores["rightThigh"], scores["leftThigh"]);
        (RightLowerLeg, LeftLowerLeg, RightFoot, LeftFoot) = (scores["rightLowerLeg"], scores["leftLowerLeg"], scores["rightFoot"], scores["leftFoot"]);
        Total = Scores.Values.Sum();
        CountVersion();
    }

    public IReadOnlyDictionary<string, int> Scores => new Dictionary<string, int>
    {
        ["face"] = Face,
        ["anteriorChest"] = AnteriorChest,
        ["abdomen"] = Abdomen,
        ["rightFingers"] = RightFingers,
        ["leftFingers"] = LeftFingers,
        ["rightHand"] = RightHand,
        ["leftHand"] = LeftHand,
        ["rightForearm"] = RightForearm,
        ["leftForearm"] = LeftForearm,
        ["rightUpperArm"] = RightUpperArm,
        ["leftUpperArm"] = LeftUpperArm,
        ["rightThigh"] = RightThigh,
        ["leftThigh"] = LeftThigh,
        ["rightLowerLeg"] = RightLowerLeg,
        ["leftLowerLeg"] = LeftLowerLeg,
        ["rightFoot"] = RightFoot,
        ["leftFoot"] = LeftFoot,
    };
}

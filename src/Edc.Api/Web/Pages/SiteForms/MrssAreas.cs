namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>The 17 MRSS areas as the form shows them: grouped by body region, each with its label (the API's keys in camelCase).</summary>
public static class MrssAreas
{
    public static readonly IReadOnlyList<(string Region, IReadOnlyList<(string Key, string Label)> Areas)> Regions =
    [
        ("Face and trunk", [("face", "Face"), ("anteriorChest", "Anterior chest"), ("abdomen", "Abdomen")]),
        ("Hands and fingers", [("rightFingers", "Right fingers"), ("leftFingers", "Left fingers"), ("rightHand", "Right hand"), ("leftHand", "Left hand")]),
        ("Arms", [("rightForearm", "Right forearm"), ("leftForearm", "Left forearm"), ("rightUpperArm", "Right upper arm"), ("leftUpperArm", "Left upper arm")]),
        ("Legs and feet",
        [
            ("rightThigh", "Right thigh"), ("leftThigh", "Left thigh"), ("rightLowerLeg", "Right lower leg"), ("leftLowerLeg", "Left lower leg"),
            ("rightFoot", "Right foot"), ("leftFoot", "Left foot"),
        ]),
    ];

    public static IEnumerable<(string Key, string Label)> All => Regions.SelectMany(r => r.Areas);
}

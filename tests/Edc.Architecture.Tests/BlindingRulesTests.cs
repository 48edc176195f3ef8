namespace Edc.Architecture.Tests;

/// <summary>
/// Arm data (a slot's arm, the masked group key) leave the database through one guarded exit, the API's
/// AssignmentGate. Besides it, only the code that makes them (the domain's randomization), maps them (EF
/// configuration, migrations) or aggregates them inside the database by masked group (the safety summary's SQL) may
/// name them.
/// </summary>
public sealed class BlindingRulesTests
{
    private static readonly string[] ArmMembers =
    [
        "Edc.Domain.Randomization.RandomizationSlot::get_ArmCode",
        "Edc.Domain.Randomization.RandomizationList::get_GroupKey",
        "Edc.Domain.Randomization.SlotSpec::get_ArmCode",
    ];

    private static readonly string[] ArmColumns = ["arm_code", "group_key"];

    private static readonly string[] AllowedNamespaces =
    [
        "Edc.Domain.Randomization",
        "Edc.Infrastructure.Persistence.Configurations",
        "Edc.Infrastructure.Persistence.Migrations",
    ];

    private static readonly string[] AllowedTypes =
    [
        "Edc.Api.Blinding.AssignmentGate",
        "Edc.Infrastructure.Safety.SafetySummarySql",
    ];

    [Fact]
    public void ArmData_AreReadOnlyThroughTheAssignmentGate()
    {
        var readers = CodeModel.Edc.Types
            .Where(t => !AllowedTypes.Contains(t.FullName) && !AllowedNamespaces.Any(n => t.Namespace == n || t.Namespace.StartsWith(n + ".", StringComparison.Ordinal)))
            .Where(t => t.Members.Any(ArmMembers.Contains)
                || t.Strings.Any(s => ArmColumns.Any(c => s.Contains(c, StringComparison.OrdinalIgnoreCase))))
            .Select(t => t.FullName);

        Assert.Empty(readers);
    }

    [Fact]
    public void ArmData_AreReadByTheGate_SoTheRuleLooksAtTheRightMembers() =>
        Assert.Contains(CodeModel.Edc.Types.Single(t => t.FullName == "Edc.Api.Blinding.AssignmentGate").Members, ArmMembers.Contains);
}

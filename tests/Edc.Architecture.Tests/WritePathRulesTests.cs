namespace Edc.Architecture.Tests;

/// <summary>
/// One write path: a request's transaction is begun and committed by the pipeline step
/// (ChangeTransactionBehavior) alone; batch jobs begin theirs through the same AuditedTransaction. Nobody opens a
/// transaction of EF's own, except for a snapshot read and the audit's own save.
/// </summary>
public sealed class WritePathRulesTests
{
    private const string Pipeline = "Edc.Api.Common.Changes.ChangeTransactionBehavior`2";

    // Jobs work in batches, a transaction each (SKIP LOCKED claims), which one request-wide transaction cannot do.
    private static readonly string[] BatchJobs =
    [
        "Edc.Api.Features.AdverseEvents.MonitorReportingDeadlines",
        "Edc.Api.Features.Notifications.DeliverNotifications",
        "Edc.Api.Features.Visits.OverdueVisitDigest",
        "Edc.Api.Features.SafetySummaries.GenerateSafetySummary",
        "Edc.Api.Features.DemoData.SeedDemoData",
    ];

    [Fact]
    public void Handlers_NeverBeginOrCommitTheirTransaction()
    {
        var beginners = CodeModel.Edc.InNamespace("Edc.Api")
            .Where(t => t.FullName != Pipeline && !BatchJobs.Contains(t.FullName))
            .Where(t => t.Members.Any(m => m.StartsWith("Edc.Infrastructure.Auditing.AuditedTransaction::Begin", StringComparison.Ordinal)
                || m == "Edc.Infrastructure.Auditing.AuditedTransaction::CommitAsync"))
            .Select(t => t.FullName);

        Assert.Empty(beginners);
    }

    // The safety summary and the ODM export (across its batches of participants) read a REPEATABLE READ snapshot (no
    // writes); the audit interceptor gives a save made outside any transaction (a sign-in's audit event) one of its own,
    // so that the save and its audit rows commit together.
    private static readonly string[] OwnTransactions =
    [
        "Edc.Api.Features.SafetySummaries.GenerateSafetySummary",
        "Edc.Api.Features.Exports.Odm.ExportOdm",
        "Edc.Infrastructure.Auditing.AuditInterceptor",
    ];

    [Fact]
    public void NoCode_OpensATransactionOfEfsOwn_ButASnapshotReadAndTheAuditsOwnSave()
    {
        var openers = CodeModel.Edc.Types
            .Where(t => !OwnTransactions.Contains(t.FullName))
            .Where(t => t.Members.Any(m => m.StartsWith("Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade::BeginTransaction", StringComparison.Ordinal)
                || m.StartsWith("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions::BeginTransaction", StringComparison.Ordinal)))
            .Select(t => t.FullName);

        Assert.Empty(openers);
    }
}

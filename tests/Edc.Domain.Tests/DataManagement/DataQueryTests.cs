using Edc.Domain.Common;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;

namespace Edc.Domain.Tests.DataManagement;

public sealed class DataQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly QueryTarget Weight = new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "W4", "VS", "WEIGHT", null);
    private static readonly QueryAuthor Monitor = new(Guid.NewGuid(), "Mona Monitor", Roles.Monitor);
    private static readonly QueryAuthor Coordinator = new(Guid.NewGuid(), "Cora Coordinator", Roles.Coordinator);
    private static readonly QueryAuthor OtherCoordinator = new(Guid.NewGuid(), "Carl Coordinator", Roles.Coordinator);

    [Fact]
    public void Query_RaisedAnsweredClosedAndReopened_KeepsEveryMessageInItsThread()
    {
        var query = DataQuery.Raise(Weight, Monitor, "Source says 61.2 kg", Now);
        query.Answer(Coordinator, "Corrected", Now.AddHours(1));
        query.Close(Monitor, "Thank you", Now.AddHours(2));
        query.Reopen(Monitor, "Still 62.1 in the form", Now.AddHours(3));

        Assert.Equal(QueryStatus.Open, query.Status);
        Assert.Equal(
            [QueryMessageKind.Raised, QueryMessageKind.Answered, QueryMessageKind.Closed, QueryMessageKind.Reopened],
            query.Messages.Select(m => m.Kind));
        Assert.Equal(["Mona Monitor", "Cora Coordinator", "Mona Monitor", "Mona Monitor"], query.Messages.Select(m => m.AuthorName));
        Assert.Equal(Monitor.UserId, query.RaisedBy);
        Assert.Equal(4, query.Version);
    }

    [Fact]
    public void Answer_OfAClosedQuery_IsARuleViolation()
    {
        var query = DataQuery.Raise(Weight, Monitor, "Please check", Now);
        query.Close(Monitor, "Settled", Now);

        Assert.Equal(RuleCodes.QueryClosed, Assert.Throws<RuleViolationException>(() => query.Answer(Coordinator, "Checked", Now)).Rule);
        Assert.DoesNotContain(query.Messages, m => m.Kind == QueryMessageKind.Answered);
        Assert.Equal(QueryStatus.Closed, query.Status);
    }

    [Fact]
    public void Close_BySiteStaffWhoDidNotRaiseIt_IsRefused_ButWhoRaisedItMay()
    {
        var byMonitor = DataQuery.Raise(Weight, Monitor, "Please check", Now);
        var byCoordinator = DataQuery.Raise(Weight, Coordinator, "Is this right?", Now);

        Assert.Equal(RuleCodes.QueryNotYours, Assert.Throws<RuleViolationException>(() => byMonitor.Close(Coordinator, "Done", Now)).Rule);
        Assert.Equal(RuleCodes.QueryNotYours, Assert.Throws<RuleViolationException>(() => byCoordinator.Close(OtherCoordinator, "Done", Now)).Rule);
        byCoordinator.Close(Coordinator, "Answered myself", Now);
        Assert.Equal(QueryStatus.Closed, byCoordinator.Status);
    }

    [Fact]
    public void Reopen_BySomeoneWhoMayNotCloseIt_IsARuleViolation()
    {
        var query = DataQuery.Raise(Weight, Monitor, "Check", Now);
        query.Close(Monitor, "Settled", Now);

        Assert.Equal(RuleCodes.QueryNotYours, Assert.Throws<RuleViolationException>(() => query.Reopen(Coordinator, "Not settled", Now)).Rule);
    }

    [Fact]
    public void Reopen_OfAQueryNotClosed_IsARuleViolation() =>
        Assert.Equal(RuleCodes.QueryNotClosed, Assert.Throws<RuleViolationException>(() => DataQuery.Raise(Weight, Monitor, "Check", Now).Reopen(Monitor, "Again", Now)).Rule);

    [Fact]
    public void AutomaticQuery_IsRaisedAndClosedByTheSystem_SayingSoInTheThread()
    {
        var query = DataQuery.RaiseAutomatically(Weight, AutomaticQueryKind.SoftRange, "Weight is 38.2 kg, outside the expected 40 to 150 kg.", Now);
        query.Close(QueryAuthor.System, "Closed by the system: the value was corrected to 58.2.", Now.AddMinutes(5));

        Assert.Null(query.RaisedBy);
        Assert.Equal(AutomaticQueryKind.SoftRange, query.Automatic);
        Assert.All(query.Messages, m => Assert.Equal(QueryAuthor.SystemName, m.AuthorName));
        Assert.Equal(QueryStatus.Closed, query.Status);
        Assert.Throws<ArgumentException>(() => DataQuery.RaiseAutomatically(Weight with { ItemCode = null }, AutomaticQueryKind.SoftRange, "x", Now));
        Assert.Null(DataQuery.RaiseAutomatically(Weight with { ItemCode = null }, AutomaticQueryKind.MissingRequired, "Form not entered", Now).ItemCode);
    }

    [Fact]
    public void Query_AboutBothAVisitAndALogEntry_OrNeither_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => DataQuery.Raise(Weight with { LogEntryId = Guid.NewGuid() }, Monitor, "x", Now));
        Assert.Throws<ArgumentException>(() => DataQuery.Raise(Weight with { VisitCode = null }, Monitor, "x", Now));
        Assert.Throws<ArgumentException>(() => DataQuery.Raise(Weight, Monitor, " ", Now));
    }
}

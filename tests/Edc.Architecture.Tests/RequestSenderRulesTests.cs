using Edc.Api.Features.AdverseEvents;
using Edc.Api.Hosting;
using Edc.Api.Security;
using MediatR;

namespace Edc.Architecture.Tests;

/// <summary>
/// Every MediatR request states who may send it, next to its type (<see cref="RequestSenders"/>), and the pipeline's
/// <see cref="RequestSenderGate{TRequest, TResponse}"/> refuses anyone else: deny by default, decided in one place, whatever
/// page or endpoint the request comes through.
/// </summary>
public sealed class RequestSenderRulesTests
{
    private const string SetsTheUser = "Edc.Infrastructure.Security.CurrentUser::Set";

    private static readonly List<Type> Requests =
        [.. typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBaseRequest).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>Requests anyone may send, signed in or not. A new one must be added here on purpose.</summary>
    private static readonly string[] ExpectedAnonymous =
    [
        "Edc.Api.Features.Auth.Login+Command",
        "Edc.Api.Features.Auth.RefreshToken+Command",
        "Edc.Api.Features.Auth.WebSignIn+Command",
    ];

    [Fact]
    public void EveryRequest_DeclaresWhoMaySendIt()
    {
        Assert.Contains(typeof(ReviseAdverseEvent.Command), Requests);

        var undeclared = Requests.Where(t => !RequestSenders.Of(t).IsDeclared).Select(t => t.FullName).ToList();
        Assert.True(
            undeclared.Count == 0,
            "Requests that state no sender ([AllowedRoles], [AllowedToEveryRole], [AnonymousRequest] or [SystemRequest]): " + string.Join(", ", undeclared));
    }

    [Fact]
    public void AnonymousRequests_AreTheSignInsOnly() =>
        Assert.Equal(ExpectedAnonymous, Requests.Where(t => RequestSenders.Of(t).Anonymous).Select(t => t.FullName));

    /// <summary>
    /// The jobs and the start-up send with no user: what they send, and what those requests' handlers send in turn, must be
    /// marked for the system. A handler that acts as a user of its own (the demonstration data) sends as that user.
    /// </summary>
    [Fact]
    public void EveryRequestTheSystemSends_IsMarkedForTheSystem()
    {
        var types = CodeModel.Edc.Types.ToDictionary(t => t.FullName, StringComparer.Ordinal);
        var senders = new Queue<string>(BackgroundJobs.Recurring.Select(j => j.Type.FullName!).Append("Edc.Api.Hosting.StartupInitializer"));
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var unmarked = new List<string>();
        while (senders.TryDequeue(out var sender))
        {
            // A record's own copy constructor is no sending.
            foreach (var (request, owner) in ConstructedRequests(types[sender]).Where(r => r.Owner != sender))
            {
                if (!RequestSenders.Of(request).System)
                {
                    unmarked.Add($"{sender} sends {request.FullName}");
                }

                if (reached.Add(owner) && !types[owner].Members.Contains(SetsTheUser))
                {
                    senders.Enqueue(owner);
                }
            }
        }

        Assert.Contains("Edc.Api.Features.SafetySummaries.GenerateSafetySummary", reached);
        Assert.True(unmarked.Count == 0, "Requests the system sends without [SystemRequest]: " + string.Join(", ", unmarked));
    }

    /// <summary>The requests a type constructs, each with the type that holds it (its feature's class, with its handler).</summary>
    private static IEnumerable<(Type Request, string Owner)> ConstructedRequests(TypeFacts sender) =>
        sender.Members
            .Where(m => m.EndsWith("::.ctor", StringComparison.Ordinal))
            .Select(m => typeof(Program).Assembly.GetType(m[..^"::.ctor".Length].Replace('/', '+')))
            .OfType<Type>()
            .Where(typeof(IBaseRequest).IsAssignableFrom)
            .Select(t => (t, t.DeclaringType?.FullName ?? t.FullName!));
}

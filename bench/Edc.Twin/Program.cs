using Edc.Infrastructure;
using Edc.Twin;
using Npgsql;

// The twin of bench/suite.sh (README.md, "Benchmarks"): Edc's routes answered the TechEmpower way, with the SQL the suite
// compares the API against, through one shared NpgsqlDataSource; no EF Core, no MediatR, no middleware beyond routing, no
// authentication. The suite starts it as it starts the API (Release, Production, --urls on loopback, logging at Warning)
// and drives both with the same wrk script, request list and headers. What the API reads from the caller's bearer token
// comes in headers the API ignores: X-Twin-Sites (the caller's sites; none: every site) and X-Twin-Template (which row
// the API wrote a write is to copy, see RowTemplate).
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // As the API's (ApiServices.AddEdcApi).
    kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
    kestrel.AddServerHeader = false;
});
var connectionString = builder.Configuration.GetConnectionString(InfrastructureServices.ConnectionStringName) is { Length: > 0 } configured
    ? configured
    : throw new InvalidOperationException("ConnectionStrings:Edc is not set.");

// The API's pool settings: statements prepared on each connection (64 at most), no session reset on close.
await using var dataSource = NpgsqlDataSource.Create(InfrastructureServices.ForApplicationPool(connectionString));
var templates = new Templates(dataSource);
var trialForms = new TrialFormsCache();
var app = builder.Build();

app.MapGet("/health/live", () => "Healthy");
app.MapGet("/health/ready", () => "Healthy");

var trial = app.MapGroup("/api/trials/{trialId:guid}");
trial.MapGet("/participants/{participantId:guid}/casebook", (Guid trialId, Guid participantId, HttpRequest request, CancellationToken ct) =>
    Reads.CasebookAsync(dataSource, trialId, participantId, Sites(request), ct));
trial.MapGet("/visit-worklist", (Guid trialId, int? page, int? pageSize, HttpRequest request, CancellationToken ct) =>
    Reads.WorklistAsync(dataSource, trialId, Sites(request), page ?? 1, pageSize ?? 50, ct));
trial.MapGet("/adverse-events", (Guid trialId, int? page, int? pageSize, HttpRequest request, CancellationToken ct) =>
    Reads.AdverseEventsAsync(dataSource, trialId, Sites(request), page ?? 1, pageSize ?? 50, ct));
trial.MapPost("/participants/{participantId:guid}/adverse-events", async (Guid trialId, Guid participantId, AdverseEventBody body, HttpRequest request, CancellationToken ct) =>
    await Writes.AdverseEventAsync(dataSource, await templates.GetAsync(Template.AdverseEvent, request, ct), trialId, participantId, ct));
trial.MapPut("/participants/{participantId:guid}/visits/{visitCode}/mrss", async (Guid trialId, Guid participantId, string visitCode, MrssBody body, HttpRequest request, CancellationToken ct) =>
    await Writes.MrssAsync(dataSource, await templates.GetAsync(Template.Mrss, request, ct), trialId, participantId, visitCode, Sites(request), ct));
trial.MapPost("/participants/{participantId:guid}/randomization", async (Guid trialId, Guid participantId, HttpRequest request, CancellationToken ct) =>
    await Writes.RandomizeAsync(dataSource, await templates.GetAsync(Template.Randomization, request, ct), trialId, participantId, ct));
trial.MapPost("/safety-summaries", (Guid trialId, CancellationToken ct) => Writes.SafetySummaryAsync(dataSource, trialId, ct));
trial.MapPut("/participants/{participantId:guid}/visits/{visitCode}/forms/{formCode}", (Guid trialId, Guid participantId, string visitCode, string formCode, FormBody body, HttpRequest request, CancellationToken ct) =>
    Writes.VisitFormAsync(dataSource, templates, trialForms, trialId, participantId, visitCode, formCode, body, request, Sites(request), ct));

// The trial's home page (HTML on the API's side): its data, answered as JSON.
app.MapGet("/trials/{trialId:guid}", (Guid trialId, int? page, HttpRequest request, CancellationToken ct) =>
    TrialHome.GetAsync(dataSource, trialId, Sites(request), page ?? 1, ct));

await app.RunAsync();

// The caller's sites, as the API takes them from the caller's account; null (no header): every site, as for a DSMB member.
static Guid[]? Sites(HttpRequest request) =>
    request.Headers["X-Twin-Sites"].ToString() is { Length: > 0 } sites ? [.. sites.Split(',').Select(Guid.Parse)] : null;

/// <summary>The body of POST .../adverse-events, bound as the API binds its own (the row written is the template's).</summary>
internal sealed record AdverseEventBody(
    string Term, DateOnly OnsetDate, DateOnly? EndDate, bool Ongoing, int Grade, bool Serious, string[]? SeriousnessCriteria,
    string Relatedness, bool? Expected, string ActionTaken, string Outcome);

/// <summary>The body of PUT .../mrss, bound as the API binds its own (the row written is the template's).</summary>
internal sealed record MrssBody(DateOnly AssessedOn, string AssessorName, Dictionary<string, int> Scores);

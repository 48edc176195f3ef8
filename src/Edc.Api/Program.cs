using Edc.Api.Hosting;
using Edc.Infrastructure.Database;

// `--demo-data` seeds the demonstration trial with synthetic participants (see README).
var demoData = args.Contains("--demo-data");
var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--demo-data")]);
if (demoData)
{
    builder.Configuration.AddInMemoryCollection([new(StartupInitializer.DemoDataKey, "true")]);
}

if (LocalDatabaseService.IsNeeded(builder.Configuration)
    && LocalPostgres.FindBinDirectory(builder.Configuration[LocalDatabaseService.BinDirectoryKey]) is null)
{
    Console.Error.WriteLine(LocalPostgres.MissingBinariesMessage);
    return 1;
}

builder.AddEdcApi();
var app = builder.Build();
app.UseEdcApi();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;

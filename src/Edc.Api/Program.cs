using Edc.Api.Hosting;
using Edc.Infrastructure.Database;

var builder = WebApplication.CreateBuilder(args);
if (LocalDatabaseService.IsNeeded(builder.Configuration) && LocalPostgres.FindBinDirectory() is null)
{
    Console.Error.WriteLine(
        "Edc needs PostgreSQL. Either install its server binaries (Debian/Ubuntu: sudo apt-get install postgresql) so Edc can " +
        "run a private database itself, or set ConnectionStrings__Edc to an existing PostgreSQL database.");
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

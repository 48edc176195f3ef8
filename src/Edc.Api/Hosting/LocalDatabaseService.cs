using Edc.Infrastructure;
using Edc.Infrastructure.Database;

namespace Edc.Api.Hosting;

/// <summary>
/// With no ConnectionStrings:Edc, starts a private PostgreSQL cluster from the installed binaries, its data kept in
/// Edc:LocalDatabase:DataDirectory so a restart keeps it, and stops it when the API stops. With one set, does nothing.
/// </summary>
public sealed class LocalDatabaseService(IConfiguration configuration, IHostEnvironment environment, ILogger<LocalDatabaseService> logger)
    : IHostedService
{
    public const string DatabaseName = "edc";
    public const string BinDirectoryKey = "Edc:LocalDatabase:BinDirectory";
    private LocalPostgres? _server;

    public static bool IsNeeded(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration.GetConnectionString(InfrastructureServices.ConnectionStringName));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsNeeded(configuration))
        {
            return;
        }

        var dataDirectory = Path.Combine(environment.ContentRootPath, configuration["Edc:LocalDatabase:DataDirectory"] ?? ".edc-data/postgres");
        var port = configuration.GetValue("Edc:LocalDatabase:Port", 55432);
        logger.LogInformation("No ConnectionStrings__Edc set: starting a local PostgreSQL in {DataDirectory} on port {Port}", dataDirectory, port);
        _server = await LocalPostgres.StartAsync(dataDirectory, port, durable: true, configuration[BinDirectoryKey], cancellationToken);
        await _server.CreateDatabaseIfMissingAsync(DatabaseName, cancellationToken);
        configuration[$"ConnectionStrings:{InfrastructureServices.ConnectionStringName}"] = _server.ConnectionString(DatabaseName);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            logger.LogInformation("Stopping the local PostgreSQL");
            await _server.StopAsync();
        }
    }
}

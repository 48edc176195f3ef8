using System.Text.Json;
using Edc.Api.Features.DemoData;
using Edc.Api.Features.Trials;
using Edc.Domain.Security;
using Edc.Infrastructure;
using Edc.Infrastructure.Database;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Jobs;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Api.Hosting;

/// <summary>
/// Brings the database to the current schema (the application's migrations, then Hangfire's tables), registers the
/// recurring jobs and seeds what must exist, before the API takes requests. Instances
/// starting at once take turns through a database lock; the later ones find the work done.
/// </summary>
public sealed class StartupInitializer(
    IServiceProvider services,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<StartupInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = InfrastructureServices.RequireConnectionString(configuration);
        await using var startupLock = await StartupLock.AcquireAsync(connectionString, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<EdcDbContext>();
        // The history table first: on a new database, Npgsql's migrator would otherwise read it before it exists and
        // log that failed query as an error (npgsql/efcore.pg#3407), though nothing is wrong.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        JobStore.Install(connectionString);
        BackgroundJobs.RegisterRecurringJobs(provider);
        EnsureSigningKey(provider.GetRequiredService<IKeyManager>(), provider.GetRequiredService<TimeProvider>());
        await EnsureBootstrapAdminAsync(provider, cancellationToken);
        if (configuration.GetValue<bool>("Edc:TrialDefinitions:LoadAtStartup"))
        {
            await LoadTrialDefinitionsAsync(provider, cancellationToken);
        }

        if (configuration.GetValue<bool>(DemoDataKey))
        {
            await SeedDemoDataAsync(provider, cancellationToken);
        }
    }

    /// <summary>The run command's <c>--demo-data</c> option sets this.</summary>
    public const string DemoDataKey = "Edc:DemoData:Seed";

    /// <summary>Synthetic participants for the demonstration trial, with demo accounts sharing the bootstrap admin's password.</summary>
    private async Task SeedDemoDataAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var password = configuration["Edc:Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(password))
        {
            logger.LogWarning("Demo data needs Edc__Bootstrap__AdminPassword (the demo accounts use it); nothing was seeded.");
            return;
        }

        if (await provider.GetRequiredService<IMediator>().Send(new SeedDemoData.Command(password), cancellationToken))
        {
            logger.LogInformation(
                "Demo accounts (password as the admin's): coordinator@edc.local, investigator@edc.local, dsmb@edc.local, statistician@edc.local, pharmacist@edc.local, monitor@edc.local, datamanager@edc.local");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the first token-protection key under the lock, so no two instances each make their own.</summary>
    private static void EnsureSigningKey(IKeyManager keys, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
        {
            keys.CreateNewKey(now, now.AddDays(90));
        }
    }

    private async Task EnsureBootstrapAdminAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var users = provider.GetRequiredService<UserManager<EdcUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }

        var email = configuration["Edc:Bootstrap:AdminEmail"];
        var password = configuration["Edc:Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            logger.LogWarning("No Admin exists and Edc__Bootstrap__AdminEmail / Edc__Bootstrap__AdminPassword are not set: nobody can sign in.");
            return;
        }

        var admin = new EdcUser
        {
            Id = Guid.NewGuid(),
            Email = email,
            UserName = email,
            DisplayName = "Administrator",
            CreatedAt = provider.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        var created = await users.CreateAsync(admin, password);
        if (created.Succeeded)
        {
            created = await users.AddToRoleAsync(admin, Roles.Admin);
        }

        if (!created.Succeeded)
        {
            throw new InvalidOperationException("The bootstrap admin could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        logger.LogInformation("Created the bootstrap admin {Email}", email);
    }

    /// <summary>Creates each trial of the definition folder that does not exist yet, through the same command as POST /api/trials.</summary>
    private async Task LoadTrialDefinitionsAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, configuration["Edc:TrialDefinitions:Directory"] ?? "TrialDefinitions");
        if (!Directory.Exists(folder))
        {
            folder = Path.Combine(environment.ContentRootPath, configuration["Edc:TrialDefinitions:Directory"] ?? "TrialDefinitions");
        }

        var db = provider.GetRequiredService<EdcDbContext>();
        var mediator = provider.GetRequiredService<IMediator>();
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Order().ToArray() : [])
        {
            await using var stream = File.OpenRead(file);
            var definition = await JsonSerializer.DeserializeAsync<CreateTrial.Command>(stream, JsonSerializerOptions.Web, cancellationToken)
                ?? throw new InvalidOperationException($"{file} holds no trial definition.");
            if (!await db.Trials.AnyAsync(t => t.Code == definition.Code, cancellationToken))
            {
                await mediator.Send(definition, cancellationToken);
                logger.LogInformation("Created trial {Code} from {File}", definition.Code, Path.GetFileName(file));
            }
        }
    }
}

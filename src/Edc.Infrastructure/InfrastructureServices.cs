using System.Collections.Concurrent;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Infrastructure;

public static class InfrastructureServices
{
    public const string ConnectionStringName = "Edc";

    /// <summary>
    /// The database, the audit interceptor, Identity stores and the shared Data Protection key ring. The connection
    /// string is read when the first context is created, so a local cluster started at host start-up can supply it.
    /// Contexts are pooled: a scope (a request, a job) takes one from the pool with its <see cref="CurrentUser"/> and
    /// gives it back when it ends, so a request does not build EF's services of a context anew (a tenth of the CPU of a
    /// request that reads one row).
    /// </summary>
    public static IServiceCollection AddEdcInfrastructure(this IServiceCollection services)
    {
        services.AddSingleton<TimeProvider, DatabaseClock>();
        services.AddScoped<CurrentUser>();
        services.AddPooledDbContextFactory<EdcDbContext>((provider, options) => options
            .UseNpgsql(
                ForApplicationPool(RequireConnectionString(provider.GetRequiredService<IConfiguration>())),
                npgsql => npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(AuditInterceptor.Instance, AccessChangeInterceptor.Instance));
        services.AddSingleton<SessionCache>();
        services.AddScoped(provider =>
        {
            var db = provider.GetRequiredService<IDbContextFactory<EdcDbContext>>().CreateDbContext();
            db.CurrentUser = provider.GetRequiredService<CurrentUser>();
            return db;
        });

        services.AddIdentityCore<EdcUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<EdcRole>()
            .AddEntityFrameworkStores<EdcDbContext>();

        services.AddDataProtection().SetApplicationName("Edc");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceScopeFactory>((options, scopes) => options.XmlRepository = new DatabaseXmlRepository(scopes));
        return services;
    }

    /// <summary>
    /// The connection string of the application's own pool.
    /// - Npgsql's automatic preparation is on, unless the string sets its own: a statement run a few times on a pooled
    ///   connection is prepared there, so PostgreSQL plans it once per connection instead of on every run (planning was
    ///   half of PostgreSQL's CPU per MRSS save, bench/mrss.sh).
    /// - A connection going back to the pool is not reset (a batch of 7 statements, prepended to the next request's
    ///   first query, twice per request). The reset guards against session state, and the application keeps none:
    ///   its locks and settings end with their transaction (pg_advisory_xact_lock, SET LOCAL), the one session lock
    ///   (<see cref="Database.StartupLock"/>) has an unpooled connection of its own, and Npgsql still rolls back a
    ///   transaction left open before the connection is used again.
    /// </summary>
    public static string ForApplicationPool(string connectionString) =>
        ApplicationConnectionStrings.GetOrAdd(connectionString, static raw =>
        {
            var builder = new NpgsqlConnectionStringBuilder(raw) { NoResetOnClose = true };
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 64;
            }

            return builder.ConnectionString;
        });

    private static readonly ConcurrentDictionary<string, string> ApplicationConnectionStrings = new(StringComparer.Ordinal);

    public static string RequireConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException("ConnectionStrings:Edc is not set and no local database was started.");
}

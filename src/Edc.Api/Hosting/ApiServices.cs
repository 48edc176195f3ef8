using System.Text.Json.Serialization;
using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Common.Signatures;
using Edc.Api.Features.AdverseEvents;
using Edc.Api.Features.Auth;
using Edc.Api.Features.Forms;
using Edc.Api.Features.Notifications;
using Edc.Api.Features.Participants;
using Edc.Api.Features.Queries;
using Edc.Api.Features.Randomization;
using Edc.Api.Features.SafetySummaries;
using Edc.Api.Features.Signatures;
using Edc.Api.Hosting.OpenApi;
using Edc.Api.Security;
using Edc.Api.Web;
using Edc.Infrastructure;
using Edc.Infrastructure.Security;
using FluentValidation;
using Microsoft.AspNetCore.Identity;

namespace Edc.Api.Hosting;

public static class ApiServices
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddEdcApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Order matters: the local database starts before the initializer migrates it; both before the server listens.
        services.AddHostedService<LocalDatabaseService>();
        services.AddHostedService<StartupInitializer>();
        services.AddHostedService<SessionChangeListener>();
        services.AddEdcInfrastructure();
        // Data Protection warns that its keys are stored unencrypted: they live in the application's database
        // (DatabaseXmlRepository), protected by its access control and encryption at rest like the trial's data.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);

        // Blazor's script and the compressed files live outside wwwroot until published; the framework maps them only in
        // Development, and the tests and benchmarks run built, not published, in other environments. A no-op once published.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        services.ConfigureHttpJsonOptions(json =>
        {
            // Enums are their names only: a number (even a valid one) is refused with the names allowed.
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            json.SerializerOptions.Converters.Add(new UtcTimestampConverter());
            json.SerializerOptions.MaxDepth = 32;
        });
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemMapping.Complete);
        services.AddExceptionHandler<ProblemMapping>();
        services.AddSingleton<UnmatchedRequests>();
        services.AddSingleton<FormCatalogs>();

        var authentication = services.AddAuthentication(WebSessionSettings.PolicyScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, options =>
            {
                options.BearerTokenExpiration = TimeSpan.FromMinutes(configuration.GetValue("Edc:Tokens:AccessTokenMinutes", 20));
                options.RefreshTokenExpiration = TimeSpan.FromHours(configuration.GetValue("Edc:Tokens:RefreshTokenHours", 12));
            });
        services.AddEdcWeb(authentication);
        services.AddAuthorization(Authorization.DenyByDefault);
        services.AddSingleton<TokenIssuer>();
        services.AddScoped<AssignmentGate>();
        services.AddScoped<ParticipantViews>();
        services.AddScoped<VisibleData>();
        services.AddScoped<RandomizationListStore>();
        services.AddScoped<ForChange>();
        services.AddScoped<ClinicalDataChanges>();
        services.AddScoped<SignedContent>();
        services.AddScoped<SignatureViews>();
        services.AddScoped<AdverseEventReader>();
        services.AddScoped<SafetyNotifications>();
        services.AddScoped<QueryAuthors>();
        services.AddScoped<QueryNotifications>();
        services.AddScoped<IClinicalDataFollower, AutomaticQueries>();
        services.AddScoped<SafetySummaryReader>();
        services.AddSingleton<SignInLimits>();
        services.AddScoped<SignInCheck>();

        AddMediator(services);
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddEdcOpenApi();
        services.AddSingleton<NotificationSender>();

        builder.AddEdcTelemetry();
        // Last: the job server's hosted service starts after the database is started and migrated.
        return builder.AddEdcJobs();
    }

    private static void AddMediator(IServiceCollection services)
    {
        var assembly = typeof(ApiServices).Assembly;
        services.AddMediatR(mediatr =>
        {
            mediatr.RegisterServicesFromAssembly(assembly);
            // Scoped as the DbContext the handlers use: one per request or job run.
            mediatr.Lifetime = ServiceLifetime.Scoped;
            // Outermost: a sender the request does not allow is refused before anything else runs.
            mediatr.AddOpenBehavior(typeof(RequestSenderGate<,>));
            // Then a refused sign-in stops before validation, and only failures below it are counted.
            mediatr.AddOpenBehavior(typeof(SignInLimitBehavior<,>));
            mediatr.AddOpenBehavior(typeof(ValidationBehavior<,>));
            mediatr.AddOpenBehavior(typeof(ChangeTransactionBehavior<,>));
        });
        // Singletons: building a validator compiles its rules' expressions, work to do once, not per request.
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
    }
}

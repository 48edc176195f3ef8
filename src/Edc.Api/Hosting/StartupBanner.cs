using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Edc.Api.Hosting;

/// <summary>Tells whoever started the API where it listens and how to sign in.</summary>
public static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return;
        }

        var email = app.Configuration["Edc:Bootstrap:AdminEmail"];
        var password = app.Environment.IsDevelopment() ? app.Configuration["Edc:Bootstrap:AdminPassword"] : "<Edc__Bootstrap__AdminPassword>";
        var account = string.IsNullOrEmpty(email) ? "an existing account" : $"{email} / {password}";
        var signIn = string.IsNullOrEmpty(email)
            ? "Sign in with an existing account."
            : $"API sign-in: curl -s -X POST {address}/api/auth/login -H 'Content-Type: application/json' " +
              $"-d '{{\"email\":\"{email}\",\"password\":\"{password}\"}}'";
        Console.WriteLine(
            $"""

            Edc is listening on {address}
              Web: open {address}/ in a browser and sign in as {account}
              API docs: {address}/swagger   OpenAPI: {address}/openapi/v1.json   Health: {address}/health/ready
              Jobs dashboard (Admin): {address}/jobs
              {signIn}
            Press Ctrl+C to stop.

            """);
    }
}

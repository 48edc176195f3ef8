using Edc.Api.Tests;

namespace Edc.Web.Tests.Infrastructure;

/// <summary>Edc started as the README's <c>--demo-data</c> starts it: 25 participants in every state, an account per role.</summary>
public sealed class DemoWebApp() : WebApp(new DemoDataApiFactory());

namespace Edc.Web.Tests.Infrastructure;

/// <summary>The browser tests that read the demonstration data share its one server.</summary>
[CollectionDefinition(Name)]
public sealed class DemoWebCollection : ICollectionFixture<DemoWebApp>
{
    public const string Name = "demo-web";
}

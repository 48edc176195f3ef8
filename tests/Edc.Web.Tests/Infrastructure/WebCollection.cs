namespace Edc.Web.Tests.Infrastructure;

/// <summary>The browser test classes share one server and one Chromium: starting them is most of a browser test's cost.</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebApp>
{
    public const string Name = "web";
}

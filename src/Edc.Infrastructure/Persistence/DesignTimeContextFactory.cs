using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Edc.Infrastructure.Persistence;

/// <summary>
/// The context as <c>dotnet ef</c> builds it to add a migration: the model and the provider only. Adding a migration
/// compares the model with the snapshot and connects to no database, so the connection string is a placeholder.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<EdcDbContext>
{
    public EdcDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EdcDbContext>().UseNpgsql("Host=localhost;Database=edc").Options);
}

namespace Edc.Infrastructure.Identity;

/// <summary>ASP.NET Core Data Protection keys, kept in the database so every API instance reads the same tokens.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = string.Empty;
}

using System.Security.Cryptography;
using System.Text;
using Edc.Domain.Security;
using Microsoft.AspNetCore.Identity;

namespace Edc.Infrastructure.Identity;

public sealed class EdcRole : IdentityRole<Guid>
{
    /// <summary>Roles are fixed by the contract, so their ids are derived from their names: stable across databases.</summary>
    public static Guid IdOf(string role) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("edc-role:" + role)).AsSpan(0, 16));

    public static readonly IReadOnlyDictionary<Guid, string> NamesById = Roles.All.ToDictionary(IdOf, r => r);
}

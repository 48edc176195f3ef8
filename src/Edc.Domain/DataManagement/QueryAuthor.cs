using Edc.Domain.Security;

namespace Edc.Domain.DataManagement;

/// <summary>Who wrote a query's message: a user in the role they acted in, or the system (no user).</summary>
public sealed record QueryAuthor(Guid? UserId, string Name, string Role)
{
    public const string SystemName = "system";

    public static readonly QueryAuthor System = new(null, SystemName, SystemName);

    public bool IsSystem => UserId is null;

    /// <summary>Monitors and data managers close any query of what they may see; anyone closes a query they raised.</summary>
    public bool MayClose(DataQuery query) => Role is Roles.Monitor or Roles.DataManager || (UserId is { } id && id == query.RaisedBy);
}

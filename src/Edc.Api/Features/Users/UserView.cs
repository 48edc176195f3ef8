namespace Edc.Api.Features.Users;

public sealed record UserView(
    Guid Id,
    string Email,
    string DisplayName,
    bool Active,
    IReadOnlyList<string> Roles,
    IReadOnlyList<Guid> SiteIds,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset CreatedAt);

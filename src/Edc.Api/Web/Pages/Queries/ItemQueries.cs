using Edc.Api.Features.Queries;
using Edc.Infrastructure.Security;
using MediatR;

namespace Edc.Api.Web.Pages.Queries;

/// <summary>
/// The queries beside a form's fields: each item's link to its thread in the query inbox (where a query is raised,
/// answered, closed or reopened) with the count of its open queries. None for a role that reads no query.
/// </summary>
public sealed class ItemQueries(string inbox, IReadOnlyDictionary<string, int> open)
{
    public int OpenOn(string itemCode) => open.GetValueOrDefault(itemCode);

    public string Href(string itemCode) => $"{inbox}&itemCode={Uri.EscapeDataString(itemCode)}";

    /// <summary>The form's queries, or null when the caller reads none (the links are then not drawn).</summary>
    public static async Task<ItemQueries?> ForAsync(
        ISender sender, CurrentUser user, Guid trialId, Guid participantId, string? visitCode, string formCode, Guid? logEntryId, CancellationToken cancellationToken = default)
    {
        if (!user.IsInAnyRole(QueryRoles.Readers))
        {
            return null;
        }

        var open = await sender.Send(new CountItemQueries.Query(trialId, participantId, visitCode, formCode, logEntryId), cancellationToken);
        var inbox = $"/trials/{trialId}/queries?participantId={participantId}&formCode={Uri.EscapeDataString(formCode)}"
            + (visitCode is null ? "" : $"&visitCode={Uri.EscapeDataString(visitCode)}")
            + (logEntryId is null ? "" : $"&logEntryId={logEntryId}");
        return new ItemQueries(inbox, open);
    }
}

using Edc.Domain.Security;

namespace Edc.Api.Features.Queries;

/// <summary>Who takes part in queries: who raises, answers, closes and reopens them, and who reads them.</summary>
public static class QueryRoles
{
    /// <summary>Raise, close and reopen (closing and reopening: a monitor or data manager, or whoever raised the query).</summary>
    public static readonly string[] Raisers = [Roles.Monitor, Roles.DataManager, Roles.Investigator, Roles.Coordinator];

    /// <summary>The site answers.</summary>
    public static readonly string[] Answerers = [Roles.Investigator, Roles.Coordinator];

    /// <summary>Read: those who work on the clinical data, and the admin; the board and the pharmacist see no query.</summary>
    public static readonly string[] Readers = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager];
}

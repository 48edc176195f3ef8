using System.Globalization;
using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Visits;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common;

/// <summary>
/// Optimistic concurrency of the editable records (visits, MRSS assessments, infusions, adverse events), in one place.
/// Each record counts its versions 1, 2, 3 (<see cref="VersionedRecord"/>; an adverse event its version number), answers
/// the version as a strong ETag (<c>"3"</c>) on its GET and on every write, and an edit names the version it was made
/// from in <c>If-Match</c>: without it 428, with another version 409 <c>StaleEdit</c>, and nothing changes. An edit
/// that lacks its reason as well answers one 400 naming both, keyed <c>reason</c> and <c>If-Match</c>.
/// </summary>
public static class RecordVersion
{
    public const string IfMatchHeader = "If-Match";

    public const string StaleRule = RuleCodes.StaleEdit;

    public const string ETagDescription = "The record's version: send it back in If-Match to edit it.";

    public const string IfMatchDescription = "The ETag of the version the edit was made from; required to edit a record already saved (428 without it).";

    /// <summary>The strong entity tag of a version, e.g. <c>"3"</c>.</summary>
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Answers <paramref name="view"/> with its version as the response's <c>ETag</c>.</summary>
    public static T WithETag<T>(this HttpResponse response, T view)
        where T : IVersionedView
    {
        response.Headers.ETag = ETag(view.Version);
        return view;
    }

    /// <summary>
    /// The checks of a change to an editable record, before anything changes. A first save (<paramref name="edit"/>
    /// false) needs no <c>If-Match</c>, but one given must name the current version (none when the record does not exist
    /// yet: it cannot match). An edit needs the version it was made from; lacking it and its reason too, one 400 names both.
    /// </summary>
    /// <param name="ifMatch">The request's <c>If-Match</c> header; null or blank when not sent.</param>
    /// <param name="version">The record's current version; null when it does not exist yet.</param>
    /// <param name="edit">Whether the change edits what was recorded (rather than recording it the first time).</param>
    /// <param name="reason">The change's reason, required of an edit.</param>
    /// <param name="what">The record in the messages, e.g. "visit".</param>
    public static void Require(string? ifMatch, int? version, bool edit, string? reason, string what)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            if (!edit)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new ValidationException(
                [
                    new ValidationFailure("reason", $"The {what} is already recorded: a change needs a reason."),
                    IfMatchMissing(what),
                ]);
            }

            throw new PreconditionRequiredException(IfMatchMissingMessage(what));
        }

        if (version is null || Expected(ifMatch) != version)
        {
            throw Stale(what);
        }
    }

    /// <summary>The field error of an edit without <c>If-Match</c>, keyed by the header's name as it is.</summary>
    public static ValidationFailure IfMatchMissing(string what) =>
        new(IfMatchHeader, IfMatchMissingMessage(what)) { CustomState = ProblemMapping.DataKey };

    public static string IfMatchMissingMessage(string what) =>
        $"The {what} is already recorded: an edit names the version it was made from in If-Match (the ETag of the {what} read).";

    public static RuleViolationException Stale(string what) =>
        new(StaleRule, $"The {what} is no longer the version named in If-Match: read it again and reapply the change.");

    /// <summary>
    /// An update that found its row changed since it was read (a concurrency token no longer matched): the edit that
    /// lost to a concurrent one, which passed the same <c>If-Match</c>.
    /// </summary>
    public static RuleViolationException Stale(DbUpdateConcurrencyException exception) =>
        Stale(exception.Entries.Select(e => e.Entity).FirstOrDefault() switch
        {
            ScheduledVisit => "visit",
            MrssAssessment => "MRSS",
            InfusionRecord => "infusion",
            AdverseEvent => "adverse event",
            Participant => "participant",
            _ => "record",
        });

    /// <summary>
    /// The version an <c>If-Match</c> names: the first tag holding a version number (<c>"3"</c>, or <c>3</c> unquoted).
    /// Comparison is strong: a weak tag (<c>W/"3"</c>), <c>*</c> or anything else names none, and matches no version.
    /// </summary>
    private static int? Expected(string ifMatch)
    {
        foreach (var tag in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var value = tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' ? tag[1..^1] : tag;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return version;
            }
        }

        return null;
    }
}

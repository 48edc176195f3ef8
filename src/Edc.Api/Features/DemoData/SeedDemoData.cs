using System.Diagnostics;
using Edc.Api.Features.Forms;
using Edc.Api.Features.Randomization;
using Edc.Api.Features.SafetySummaries;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.DemoData;

/// <summary>
/// Seeds the demonstration trial with 25 synthetic participants and their data (<see cref="DemoCohort"/>), so a newcomer
/// sees real lists, casebooks and safety reports on first start, and, once the trial is locked and unblinded, the primary
/// analysis gives the published pilot's results: one account per role, the randomization list, 21 participants randomized
/// every two weeks from 22 months ago (twenty complete their year, ten an arm; one withdraws after a SUSAR) and four more
/// three to eight months ago, still on study (the last two behind, so visits are overdue); their visits done (one out of
/// its window, one missed), MRSS, infusions, the trial's own forms (<see cref="DemoForms"/>) and adverse events (three
/// serious, one a SUSAR, with their reports). Deterministic (fixed seeds). The data goes in through the domain, so every
/// rule holds and every row is audited (as the system); only the dates lie in the past. A trial that already has
/// participants is left alone.
/// </summary>
public static class SeedDemoData
{
    public const string TrialCode = "BELIMUMAB-DCSSC";

    [SystemRequest]
    public sealed record Command(string Password) : IRequest<bool>;

    internal sealed class Handler(
        EdcDbContext db, CurrentUser user, UserManager<EdcUser> users, IMediator mediator, FormCatalogs catalogs, TimeProvider clock,
        ILogger<SeedDemoData.Command> logger)
        : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await db.Trials.Include(t => t.Arms).Include(t => t.Visits).Include(t => t.EligibilityCriteria).Include(t => t.StratificationFactors)
                .AsSplitQuery().SingleOrDefaultAsync(t => t.Code == TrialCode, cancellationToken);
            if (trial is null || await db.Participants.AnyAsync(p => p.TrialId == trial.Id, cancellationToken))
            {
                return false;
            }

            var started = Stopwatch.GetTimestamp();
            var site = await db.Sites.OrderBy(s => s.Code).FirstAsync(s => s.TrialId == trial.Id, cancellationToken);
            var accounts = await DemoAccountsAsync(site, command.Password);

            // The list is generated as the statistician would, through the same command; everything after it as the site.
            user.Set(accounts[Roles.UnblindedStatistician], "statistician@edc.local", [Roles.UnblindedStatistician], []);
            if (!await db.RandomizationLists.AnyAsync(l => l.TrialId == trial.Id, cancellationToken))
            {
                await mediator.Send(new CreateRandomizationList.Command(trial.Id, 20261121, [2, 4], 40), cancellationToken);
            }

            var coordinator = accounts[Roles.Coordinator];
            user.Set(coordinator, "coordinator@edc.local", [Roles.Coordinator], [site.Id]);
            var timeline = new DemoTimeline(clock.GetUtcNow(), new Random(2026));
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            await using var transaction = await AuditedTransaction.BeginAsync(db, reason: null, cancellationToken);
            var stratum = Stratum.KeyFor(trial, FirstLevels(trial));
            var slots = await db.RandomizationSlots.Where(s => s.TrialId == trial.Id && s.StratumKey == stratum && s.ParticipantId == null)
                .OrderBy(s => s.Sequence).ToListAsync(cancellationToken);
            var planned = DemoCohort.Plan(trial, slots, timeline);
            foreach (var participant in planned)
            {
                await SeedParticipantAsync(trial, site, participant, coordinator, timeline, catalog, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            // The board's first report is there on first start, asked for by its member.
            user.Set(accounts[Roles.DsmbMember], "dsmb@edc.local", [Roles.DsmbMember], []);
            await mediator.Send(new GenerateSafetySummary.Command(trial.Id), cancellationToken);
            logger.LogInformation(
                "Seeded {Count} synthetic participants of {Trial} with a year of visits, MRSS, infusions, forms and adverse events in {Elapsed} ms",
                planned.Count, trial.Code, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }

        /// <summary>One account per role (the site roles at the site), all with the given password.</summary>
        private async Task<Dictionary<string, Guid>> DemoAccountsAsync(Site site, string password)
        {
            var accounts = new Dictionary<string, Guid>();
            foreach (var (role, name) in new[]
            {
                (Roles.Coordinator, "Site Coordinator"), (Roles.Investigator, "Site Investigator"), (Roles.DsmbMember, "Safety Board Member"),
                (Roles.UnblindedStatistician, "Unblinded Statistician"), (Roles.Pharmacist, "Site Pharmacist"), (Roles.Monitor, "Site Monitor"),
                (Roles.DataManager, "Data Manager"),
            })
            {
                var email = role switch
                {
                    Roles.UnblindedStatistician => "statistician@edc.local",
                    Roles.DsmbMember => "dsmb@edc.local",
                    Roles.DataManager => "datamanager@edc.local",
                    _ => role.ToLowerInvariant() + "@edc.local",
                };
                var account = await users.FindByEmailAsync(email);
                if (account is null)
                {
                    account = new EdcUser { Id = Guid.NewGuid(), Email = email, UserName = email, DisplayName = name, CreatedAt = clock.GetUtcNow() };
                    var created = await users.CreateAsync(account, password);
                    if (created.Succeeded)
                    {
                        created = await users.AddToRoleAsync(account, role);
                    }

                    if (!created.Succeeded)
                    {
                        throw new InvalidOperationException($"The demo account {email} could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
                    }

                    if (Roles.SiteScoped.Contains(role))
                    {
                        db.UserSites.Add(new UserSite { UserId = account.Id, SiteId = site.Id });
                        await db.SaveChangesAsync();
                    }
                }

                accounts[role] = account.Id;
            }

            return accounts;
        }

        private async Task SeedParticipantAsync(
            Trial trial, Site site, DemoParticipant planned, Guid coordinator, DemoTimeline timeline, FormCatalog catalog, CancellationToken cancellationToken)
        {
            var random = timeline.Random;
            var (index, dayZero) = (planned.Index, planned.DayZero);
            var registeredAt = timeline.At(dayZero.AddDays(-24), 9);
            var participant = Participant.Register(
                trial, site, $"{site.Code}-{index + 1:000}", random.Next(4) == 0 ? "M" : "F", 1960 + random.Next(35), registeredAt);
            participant.Enroll(
                trial, dayZero.AddDays(-24), trial.EligibilityCriteria.ToDictionary(c => c.Code, c => c.Kind == CriterionKind.Inclusion),
                FirstLevels(trial), timeline.At(dayZero.AddDays(-3), 11));
            db.Participants.Add(participant);

            var randomizedAt = timeline.At(dayZero, 10);
            planned.Slot.AllocateTo(participant.Id, randomizedAt);
            participant.Randomize(trial, planned.Slot.RandomizationNumber, planned.Slot.KitNumber, randomizedAt);
            var visits = ScheduledVisit.ScheduleFor(participant, trial.Visits, dayZero);
            db.Visits.AddRange(visits);
            await db.SaveChangesAsync(cancellationToken);

            // The analysis's baseline and final visits: the first and the last that score the MRSS from Day 0 on.
            var mrssDays = trial.Visits.Where(v => v.Day >= 0 && v.Forms.Contains(BuiltInFormCodes.Mrss)).Select(v => v.Day).Order().ToList();
            var course = new MrssCourse(random, planned, mrssDays[0], mrssDays[^1]);
            var forms = new DemoForms(catalog, participant, index, dayZero.AddDays(-24), timeline);
            foreach (var visit in visits.OrderBy(v => v.Day))
            {
                // Screening on the day of consent; later visits within two days of their target.
                var actual = visit.Day < 0 ? dayZero.AddDays(-24) : visit.TargetDate!.Value.AddDays(visit.Day > 0 ? random.Next(-2, 3) : 0);
                if (index == 9 && visit.Code == "W8")
                {
                    actual = visit.TargetDate!.Value.AddDays(10); // one visit out of its window (±7 days), a protocol deviation
                }

                if (actual >= planned.EnteredUntil || (planned.WithdrawsOn is { } w && actual > w))
                {
                    break;
                }

                SeedVisit(participant, visit, actual, index, timeline, course, forms);
            }

            // History and medications are taken at screening.
            if (visits.Any(v => v.Day < 0 && v.Status == VisitStatus.Completed))
            {
                db.FormRecords.AddRange(forms.Logs());
            }

            foreach (var adverseEvent in DemoAdverseEvents.For(planned, timeline))
            {
                var (recorded, version) = AdverseEvent.Record(trial, participant, adverseEvent.Report, coordinator, adverseEvent.EnteredAt);
                db.AdverseEvents.Add(recorded);
                db.AdverseEventVersions.Add(version);
                if (adverseEvent.SponsorReportAfter is { } delay)
                {
                    recorded.RecordReportSent(ReportRecipient.Sponsor, adverseEvent.Report.AwareAt + delay, timeline.Now);
                }

                if (recorded.Susar)
                {
                    recorded.RecordReportSent(ReportRecipient.Regulator, adverseEvent.Report.AwareAt + TimeSpan.FromDays(6), timeline.Now);
                }
            }

            // Done, the schedule's last visit completes the participant, as recording it does (a visit missed on the way or not).
            if (planned.WithdrawsOn is { } withdrawal)
            {
                participant.Withdraw(trial, withdrawal, "Adverse event: study treatment stopped after disseminated herpes zoster", timeline.Today);
            }
            else if (visits.Where(v => v.Day is not null).MaxBy(v => v.Day) is { Status: VisitStatus.Completed } last)
            {
                participant.CompleteTrial(last.ActualDate!.Value);
            }
        }

        private static Dictionary<string, string> FirstLevels(Trial trial) => trial.StratificationFactors.ToDictionary(f => f.Code, f => f.Levels[0]);

        private void SeedVisit(Participant participant, ScheduledVisit visit, DateOnly actual, int index, DemoTimeline timeline, MrssCourse course, DemoForms forms)
        {
            // One visit in the pilot was missed (participant 12 travelling at week 8).
            if (index == 11 && visit.Code == "W8")
            {
                visit.Miss(participant, "Participant travelling abroad");
                return;
            }

            if (visit.Complete(participant, actual, timeline.Today))
            {
                db.ProtocolDeviations.Add(ProtocolDeviation.VisitOutOfWindow(visit, timeline.At(actual, 12)));
            }
            if (visit.HasProcedure("Mrss"))
            {
                var assessor = index % 9 == 4 && visit.Day > 0 ? "Dr. K. Osei" : "Dr. A. Rivera";
                db.MrssAssessments.Add(MrssAssessment.Record(visit, actual, assessor, course.ScoresAt(visit.Day!.Value)));
            }

            if (visit.HasProcedure("Infusion"))
            {
                var infusion = InfusionRecord.For(visit);
                if (index == 3 && visit.Code == "W16")
                {
                    infusion.NotAdministered(participant, visit, "Infusion postponed: active upper respiratory infection");
                }
                else
                {
                    infusion.Administer(participant, visit, timeline.At(actual, 11), participant.KitNumber!, timeline.Now);
                }

                db.Infusions.Add(infusion);
            }

            db.FormRecords.AddRange(forms.AtVisit(visit, actual));
        }
    }
}

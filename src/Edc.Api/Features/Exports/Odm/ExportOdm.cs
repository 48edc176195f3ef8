using System.Data;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml;
using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// The trial as a CDISC ODM 1.3.2 document (docs/odm.md): metadata, administration and every participant's data, a
/// snapshot of the current values or a transactional file of every value's history with its audit records and the
/// signatures. Written as a stream in batches of participants, inside one read-only repeatable-read transaction, so the
/// file is one consistent moment of the trial (<c>AsOfDateTime</c>) and memory does not grow with the trial.
/// </summary>
public static class ExportOdm
{
    public const string Snapshot = "Snapshot";
    public const string Transactional = "Transactional";

    /// <param name="Type">Snapshot (the default) or Transactional.</param>
    [AllowedRoles(Roles.Admin, Roles.DataManager, Roles.UnblindedStatistician)]
    public sealed record Query(Guid TrialId, string? Type) : IRequest<PreparedExport>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() =>
            RuleFor(q => q.Type).Must(t => t is null or Snapshot or Transactional)
                .WithMessage("The type is Snapshot (the current values) or Transactional (every value's history with its audit records).");
    }

    internal sealed class Handler(
        EdcDbContext db, CurrentUser user, AssignmentGate gate, VisibleData visible, FormCatalogs catalogs, SignatureViews signatures, TimeProvider clock)
        : IRequestHandler<Query, PreparedExport>
    {
        public async Task<PreparedExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var transactional = query.Type == Transactional;
            var trial = await visible.Trials.AsNoTracking().Include(t => t.Arms).Include(t => t.Visits)
                .SingleOrDefaultAsync(t => t.Id == query.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            var carriesArms = AssignmentGate.ExportCarriesArms(trial);
            await TrialExport.RecordAsync(db, user, trial, $"odm ({(transactional ? Transactional : Snapshot)}, {(carriesArms ? "with arms" : "blinded")})", cancellationToken);

            var fileName = TrialExport.FileName(trial, $"odm-{(transactional ? "transactional" : "snapshot")}.xml");
            return new PreparedExport(fileName, (body, ct) => WriteAsync(body, trial, carriesArms, transactional, ct), "application/xml; charset=utf-8");
        }

        private async Task WriteAsync(Stream body, Trial trial, bool carriesArms, bool transactional, CancellationToken cancellationToken)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", cancellationToken);
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            var study = new OdmStudy(trial, trial.Visits, catalog, carriesArms);
            var accounts = await db.Users.AsNoTracking().OrderBy(u => u.Email)
                .Select(u => new OdmAdminDataWriter.Account(u.Id, u.Email!, u.DisplayName)).ToListAsync(cancellationToken);
            var sites = await db.Sites.AsNoTracking().Where(s => s.TrialId == trial.Id).OrderBy(s => s.Code)
                .Select(s => new OdmAdminDataWriter.Location(s.Code, s.Name)).ToListAsync(cancellationToken);

            await using var text = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
            var buffer = new StringBuilder();
            await using var formatted = new StringWriter(buffer, CultureInfo.InvariantCulture);
            formatted.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            using var xml = XmlWriter.Create(formatted, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, ConformanceLevel = ConformanceLevel.Document });
            var now = clock.GetUtcNow();
            xml.WriteStartElement("ODM", OdmOids.Namespace);
            xml.WriteAttributeString("FileType", transactional ? Transactional : Snapshot);
            xml.WriteAttributeString("Granularity", "All");
            xml.WriteAttributeString("FileOID", $"{OdmOids.Study(trial.Code)}.{(transactional ? "T" : "S")}.{now:yyyyMMddTHHmmssfff}");
            xml.WriteAttributeString("CreationDateTime", Domain.Forms.FormValues.Format(now));
            xml.WriteAttributeString("AsOfDateTime", Domain.Forms.FormValues.Format(now));
            xml.WriteAttributeString("ODMVersion", "1.3.2");
            xml.WriteAttributeString("Originator", "Edc");
            xml.WriteAttributeString("SourceSystem", "Edc");
            xml.WriteAttributeString("SourceSystemVersion", typeof(ExportOdm).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1");

            new OdmMetadataWriter(xml, study).Write();
            OdmAdminDataWriter.Write(xml, study, accounts, sites);
            await DrainAsync();

            var clinical = new OdmClinicalDataWriter(xml, study, transactional);
            clinical.WriteStart();
            var reader = new OdmBatchReader(db, visible, gate, signatures, catalog, trial, transactional);
            await foreach (var batch in reader.ReadAsync(cancellationToken))
            {
                clinical.Write(batch);
                await DrainAsync();
            }

            clinical.WriteEnd();
            xml.WriteEndElement();
            await DrainAsync();
            await transaction.CommitAsync(cancellationToken);

            // The XML is formatted into a small buffer and written out asynchronously (Kestrel forbids synchronous writes).
            async Task DrainAsync()
            {
                xml.Flush();
                await text.WriteAsync(buffer, cancellationToken);
                buffer.Clear();
                await text.FlushAsync(cancellationToken);
            }
        }
    }
}

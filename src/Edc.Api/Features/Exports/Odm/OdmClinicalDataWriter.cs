using System.Globalization;
using System.Xml;
using Edc.Api.Common.Signatures;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Visits;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// Writes each participant as a <c>SubjectData</c> (docs/odm.md): the randomization and the log forms at the
/// participant-level event, then each visit with its forms. A snapshot has the current values and the valid signatures;
/// a transactional file has every value's history, one <c>ItemData</c> with its <c>AuditRecord</c> per change, and every
/// signature, each in an element of its own (ODM allows one per element).
/// </summary>
internal sealed class OdmClinicalDataWriter(XmlWriter xml, OdmStudy study, bool transactional)
{
    private readonly XmlWriter _xml = xml;
    private readonly OdmStudy _study = study;
    private readonly bool _transactional = transactional;
    private readonly Dictionary<string, int> _formOrder = study.Forms.Select((f, i) => (f.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

    public void WriteStart()
    {
        _xml.WriteStartElement("ClinicalData", OdmOids.Namespace);
        _xml.WriteAttributeString("StudyOID", _study.StudyOid);
        _xml.WriteAttributeString("MetaDataVersionOID", _study.MetaDataVersionOid);
    }

    public void Write(OdmBatch batch)
    {
        foreach (var subject in batch.Subjects)
        {
            new SubjectWriter(this, batch, subject).Write();
        }
    }

    public void WriteEnd() => _xml.WriteEndElement();

    /// <summary>One participant's data, with the site every audit record and signature of it names.</summary>
    private sealed class SubjectWriter(OdmClinicalDataWriter parent, OdmBatch batch, OdmBatch.Subject subject)
    {
        private readonly XmlWriter _xml = parent._xml;
        private readonly bool _transactional = parent._transactional;
        private readonly string _location = OdmOids.Location(subject.SiteCode);

        public void Write()
        {
            var signatures = batch.Signatures[subject.Id].ToList();
            var records = batch.Records[subject.Id].ToList();
            var casebookSignatures = signatures.Where(s => s.View.Scope == SignatureScope.Casebook).ToList();

            _xml.WriteStartElement("SubjectData");
            _xml.WriteAttributeString("SubjectKey", subject.ScreeningNumber);
            Transaction("Upsert");
            WriteSignedElementStart(_transactional ? null : Current(casebookSignatures), siteRef: true);
            WriteParticipantLevel(records.Where(r => r.VisitId is null).ToList());
            foreach (var visit in batch.Visits[subject.Id])
            {
                var atVisit = records.Where(r => r.VisitId == visit.Id).ToList();
                var visitSignatures = signatures.Where(s => s.View.Scope == SignatureScope.Visit && s.View.VisitCode == visit.Code).ToList();
                if (atVisit.Count > 0 || visitSignatures.Count > 0)
                {
                    WriteVisit(visit, atVisit, visitSignatures);
                }
            }

            _xml.WriteEndElement();

            // A transactional file repeats the subject for each casebook signature: ODM carries one signature per element.
            foreach (var signature in _transactional ? casebookSignatures : [])
            {
                _xml.WriteStartElement("SubjectData");
                _xml.WriteAttributeString("SubjectKey", subject.ScreeningNumber);
                _xml.WriteAttributeString("TransactionType", "Context");
                WriteSignedElementStart(signature, siteRef: true);
                _xml.WriteEndElement();
            }
        }

        private void WriteParticipantLevel(List<OdmBatch.Record> logEntries)
        {
            if (subject.RandomizationNumber is null && logEntries.Count == 0)
            {
                return;
            }

            _xml.WriteStartElement("StudyEventData");
            _xml.WriteAttributeString("StudyEventOID", OdmOids.SubjectEvent);
            Transaction("Upsert");
            if (subject.RandomizationNumber is not null)
            {
                var values = new Dictionary<string, object> { [OdmStudy.RandomizationNumberItem] = subject.RandomizationNumber };
                if (subject.RandomizedAt is { } randomizedAt)
                {
                    values[OdmStudy.RandomizedAtItem] = randomizedAt;
                }

                if (batch.Arms.GetValueOrDefault(subject.Id) is { } arm)
                {
                    values[OdmStudy.ArmItem] = arm.Code;
                }

                WriteForm(new OdmBatch.Record(string.Empty, subject.Id, null, OdmOids.RandomizationForm, 1, values, false, default), repeatKey: null);
            }

            // An entry keeps its place among its form's entries, removed ones included, in either kind of file.
            foreach (var entries in logEntries.GroupBy(r => r.FormCode).OrderBy(g => parent._formOrder.GetValueOrDefault(g.Key)))
            {
                var key = 0;
                foreach (var entry in entries.OrderBy(r => r.EnteredAt).ThenBy(r => r.Id))
                {
                    key++;
                    if (_transactional || !entry.Removed)
                    {
                        WriteForm(entry, key.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }

            _xml.WriteEndElement();
        }

        private void WriteVisit(OdmBatch.Visit visit, List<OdmBatch.Record> records, List<SignatureRow> signatures)
        {
            WriteVisitStart(visit);
            Transaction("Upsert");
            WriteSignedElementStart(_transactional ? null : Current(signatures), siteRef: false);
            foreach (var record in records.OrderBy(r => parent._formOrder.GetValueOrDefault(r.FormCode)))
            {
                WriteForm(record, repeatKey: null);
            }

            _xml.WriteEndElement();
            foreach (var signature in _transactional ? signatures : [])
            {
                WriteVisitStart(visit);
                _xml.WriteAttributeString("TransactionType", "Context");
                WriteSignedElementStart(signature, siteRef: false);
                _xml.WriteEndElement();
            }
        }

        private void WriteVisitStart(OdmBatch.Visit visit)
        {
            _xml.WriteStartElement("StudyEventData");
            if (visit.Day is null && visit.Code.StartsWith(ScheduledVisit.UnscheduledPrefix, StringComparison.Ordinal))
            {
                _xml.WriteAttributeString("StudyEventOID", OdmOids.UnscheduledEvent);
                _xml.WriteAttributeString("StudyEventRepeatKey", visit.Code[ScheduledVisit.UnscheduledPrefix.Length..]);
            }
            else
            {
                _xml.WriteAttributeString("StudyEventOID", OdmOids.StudyEvent(visit.Code));
            }
        }

        private void WriteForm(OdmBatch.Record record, string? repeatKey)
        {
            var form = parent._study.FormsByCode[record.FormCode];
            var changes = _transactional ? batch.Changes[(record.EntityType, record.Id.ToString())].ToList() : [];
            FormStart();
            Transaction("Upsert");
            WriteItemGroup(OdmOids.ItemGroup(form.Code), form.Items, record, changes);
            WriteItemGroup(OdmOids.EarlierItemGroup(form.Code), form.EarlierItems, record, changes);
            _xml.WriteEndElement();

            // A removed log entry: its removal, with who removed it, when and why.
            if (_transactional && record.Removed)
            {
                FormStart();
                _xml.WriteAttributeString("TransactionType", "Remove");
                if (changes.LastOrDefault(c => c.Field == nameof(FormRecord.Removed)) is { } removal)
                {
                    WriteAuditRecord(removal);
                }

                _xml.WriteEndElement();
            }

            void FormStart()
            {
                _xml.WriteStartElement("FormData");
                _xml.WriteAttributeString("FormOID", OdmOids.Form(form.Code));
                if (repeatKey is not null)
                {
                    _xml.WriteAttributeString("FormRepeatKey", repeatKey);
                }
            }
        }

        private void WriteItemGroup(string oid, IReadOnlyList<ItemSpec> items, OdmBatch.Record record, List<OdmBatch.Change> changes)
        {
            var written = false;
            foreach (var item in items)
            {
                var value = OdmValues.Format(record.Values.GetValueOrDefault(item.Code));
                var history = changes.Where(c => ItemOf(record, c.Field) == item.Code).ToList();
                if (value is null && history.Count == 0)
                {
                    continue;
                }

                if (!written)
                {
                    _xml.WriteStartElement("ItemGroupData");
                    _xml.WriteAttributeString("ItemGroupOID", oid);
                    Transaction("Upsert");
                    written = true;
                }

                var itemOid = OdmOids.Item(record.FormCode, item.Code);
                if (!_transactional || history.Count == 0)
                {
                    WriteItemData(itemOid, value, _transactional ? "Insert" : null, change: null);
                    continue;
                }

                var first = true;
                foreach (var change in history)
                {
                    WriteItemData(itemOid, OdmValues.FromAudit(change.NewValue, item), first ? "Insert" : "Update", change);
                    first = false;
                }
            }

            if (written)
            {
                _xml.WriteEndElement();
            }
        }

        private void WriteItemData(string itemOid, string? value, string? transactionType, OdmBatch.Change? change)
        {
            _xml.WriteStartElement("ItemData");
            _xml.WriteAttributeString("ItemOID", itemOid);
            if (transactionType is not null)
            {
                _xml.WriteAttributeString("TransactionType", transactionType);
            }

            if (value is null)
            {
                _xml.WriteAttributeString("IsNull", "Yes");
            }
            else
            {
                _xml.WriteAttributeString("Value", value);
            }

            if (change is not null)
            {
                WriteAuditRecord(change);
            }

            _xml.WriteEndElement();
        }

        private void WriteAuditRecord(OdmBatch.Change change)
        {
            _xml.WriteStartElement("AuditRecord");
            UserAndLocation(change.UserId);
            _xml.WriteElementString("DateTimeStamp", FormValues.Format(change.OccurredAt));
            if (!string.IsNullOrEmpty(change.Reason))
            {
                _xml.WriteElementString("ReasonForChange", change.Reason);
            }

            _xml.WriteElementString("SourceID", "audit-trail:" + change.Sequence.ToString(CultureInfo.InvariantCulture));
            _xml.WriteEndElement();
        }

        /// <summary>
        /// The start of a subject's or visit's content: the signature (if any), the subject's site, and a note of what was
        /// signed (the content's hash) and, for an invalidated signature, when, by whom and why.
        /// </summary>
        private void WriteSignedElementStart(SignatureRow? signature, bool siteRef)
        {
            if (signature is not null)
            {
                _xml.WriteStartElement("Signature");
                UserAndLocation(signature.SignerId);
                _xml.WriteStartElement("SignatureRef");
                _xml.WriteAttributeString("SignatureOID", OdmOids.SignatureDef(signature.View.Meaning.ToString()));
                _xml.WriteEndElement();
                _xml.WriteElementString("DateTimeStamp", FormValues.Format(signature.View.SignedAt));
                _xml.WriteEndElement();
            }

            if (siteRef)
            {
                _xml.WriteStartElement("SiteRef");
                _xml.WriteAttributeString("LocationOID", _location);
                _xml.WriteEndElement();
            }

            if (signature is not null)
            {
                var view = signature.View;
                _xml.WriteStartElement("Annotation");
                _xml.WriteAttributeString("SeqNum", "1");
                _xml.WriteElementString("Comment", $"Signed by {view.SignerName} ({view.Meaning}) at {FormValues.Format(view.SignedAt)}; SHA-256 of the content signed: {view.ContentHash}."
                    + (view.Valid ? string.Empty : $" Invalidated at {FormValues.Format(view.InvalidatedAt!.Value)} by {view.InvalidatedBy}: {view.InvalidationReason}"));
                _xml.WriteEndElement();
            }
        }

        private void UserAndLocation(Guid? userId)
        {
            _xml.WriteStartElement("UserRef");
            _xml.WriteAttributeString("UserOID", OdmOids.User(userId));
            _xml.WriteEndElement();
            _xml.WriteStartElement("LocationRef");
            _xml.WriteAttributeString("LocationOID", _location);
            _xml.WriteEndElement();
        }

        private void Transaction(string type)
        {
            if (_transactional)
            {
                _xml.WriteAttributeString("TransactionType", type);
            }
        }

        /// <summary>The valid signature a snapshot shows: the newest.</summary>
        private static SignatureRow? Current(List<SignatureRow> signatures) => signatures.LastOrDefault(s => s.View.Valid);

        /// <summary>
        /// The item an audit row is about: a trial form's record names its items; a built-in form's table names its columns
        /// as properties (AssessedOn for assessedOn).
        /// </summary>
        private static string ItemOf(OdmBatch.Record record, string field) =>
            record.EntityType == nameof(FormRecord) ? field : char.ToLowerInvariant(field[0]) + field[1..];
    }
}

using System.Globalization;
using System.Xml;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// Writes a trial's <c>Study</c>: its name, the units its items use and one <c>MetaDataVersion</c> with every visit as a
/// <c>StudyEventDef</c> (protocol order, then unscheduled visits and the participant-level data), every form at its newest
/// version as <c>FormDef</c>/<c>ItemGroupDef</c>/<c>ItemDef</c> with code lists, ranges, conditions and methods, as
/// docs/odm.md maps them.
/// </summary>
internal sealed class OdmMetadataWriter(XmlWriter xml, OdmStudy study)
{
    public void Write()
    {
        xml.WriteStartElement("Study", OdmOids.Namespace);
        xml.WriteAttributeString("OID", study.StudyOid);
        xml.WriteStartElement("GlobalVariables");
        xml.WriteElementString("StudyName", study.Trial.Code);
        xml.WriteElementString("StudyDescription", study.Trial.Title);
        xml.WriteElementString("ProtocolName", study.Trial.Code);
        xml.WriteEndElement();
        if (study.Units.Count > 0)
        {
            xml.WriteStartElement("BasicDefinitions");
            foreach (var (units, oid) in study.Units)
            {
                xml.WriteStartElement("MeasurementUnit");
                xml.WriteAttributeString("OID", oid);
                xml.WriteAttributeString("Name", units);
                xml.WriteStartElement("Symbol");
                TranslatedText(units);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteStartElement("MetaDataVersion");
        xml.WriteAttributeString("OID", study.MetaDataVersionOid);
        xml.WriteAttributeString("Name", $"{study.Trial.Code} forms revision {study.Trial.FormsRevision}");
        WriteProtocol();
        WriteStudyEvents();
        foreach (var form in study.Forms)
        {
            WriteFormDef(form);
        }

        foreach (var form in study.Forms)
        {
            WriteItemGroupDefs(form);
        }

        foreach (var form in study.Forms)
        {
            foreach (var item in form.AllItems)
            {
                WriteItemDef(form.Code, item);
            }
        }

        foreach (var form in study.Forms)
        {
            foreach (var item in form.AllItems.Where(i => i.CodeList is { Count: > 0 }))
            {
                WriteCodeList(form.Code, item);
            }
        }

        foreach (var form in study.Forms)
        {
            foreach (var item in form.AllItems.Where(i => i.ShowIf is not null))
            {
                WriteExpressionDef("ConditionDef", OdmOids.Condition(form.Code, item.Code), $"{form.Code}.{item.Code} is not collected when",
                    $"not ({item.ShowIf})", type: null);
            }
        }

        foreach (var form in study.Forms)
        {
            foreach (var item in form.AllItems.Where(i => i.Expression is not null))
            {
                WriteExpressionDef("MethodDef", OdmOids.Method(form.Code, item.Code), $"{form.Code}.{item.Code} is calculated as", item.Expression!, "Computation");
            }
        }

        xml.WriteEndElement(); // MetaDataVersion
        xml.WriteEndElement(); // Study
    }

    private void WriteProtocol()
    {
        xml.WriteStartElement("Protocol");
        var order = 1;
        foreach (var oid in study.Events.Select(e => e.Oid))
        {
            xml.WriteStartElement("StudyEventRef");
            xml.WriteAttributeString("StudyEventOID", oid);
            xml.WriteAttributeString("OrderNumber", Number(order++));
            xml.WriteAttributeString("Mandatory", oid == OdmOids.UnscheduledEvent ? "No" : "Yes");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private void WriteStudyEvents()
    {
        foreach (var studyEvent in study.Events)
        {
            xml.WriteStartElement("StudyEventDef");
            xml.WriteAttributeString("OID", studyEvent.Oid);
            xml.WriteAttributeString("Name", studyEvent.Name);
            xml.WriteAttributeString("Repeating", YesNo(studyEvent.Repeating));
            xml.WriteAttributeString("Type", studyEvent.Type);
            if (studyEvent.Description is { } description)
            {
                Description(description);
            }

            var order = 1;
            foreach (var formCode in studyEvent.Forms)
            {
                xml.WriteStartElement("FormRef");
                xml.WriteAttributeString("FormOID", OdmOids.Form(formCode));
                xml.WriteAttributeString("OrderNumber", Number(order++));
                xml.WriteAttributeString("Mandatory", "No");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }
    }

    private void WriteFormDef(OdmForm form)
    {
        xml.WriteStartElement("FormDef");
        xml.WriteAttributeString("OID", OdmOids.Form(form.Code));
        xml.WriteAttributeString("Name", form.Name);
        xml.WriteAttributeString("Repeating", YesNo(form.Log));
        Description($"{form.Name}, version {Number(form.Version)}");
        ItemGroupRef(OdmOids.ItemGroup(form.Code), 1, mandatory: true);
        if (form.EarlierItems.Count > 0)
        {
            ItemGroupRef(OdmOids.EarlierItemGroup(form.Code), 2, mandatory: false);
        }

        xml.WriteEndElement();

        void ItemGroupRef(string oid, int order, bool mandatory)
        {
            xml.WriteStartElement("ItemGroupRef");
            xml.WriteAttributeString("ItemGroupOID", oid);
            xml.WriteAttributeString("OrderNumber", Number(order));
            xml.WriteAttributeString("Mandatory", YesNo(mandatory));
            xml.WriteEndElement();
        }
    }

    private void WriteItemGroupDefs(OdmForm form)
    {
        ItemGroupDef(OdmOids.ItemGroup(form.Code), form.Name, form.Items, alias: null);
        if (form.EarlierItems.Count > 0)
        {
            ItemGroupDef(OdmOids.EarlierItemGroup(form.Code), form.Name + ": items of earlier versions", form.EarlierItems, OdmOids.EarlierVersionsAlias);
        }

        void ItemGroupDef(string oid, string name, IReadOnlyList<ItemSpec> items, string? alias)
        {
            xml.WriteStartElement("ItemGroupDef");
            xml.WriteAttributeString("OID", oid);
            xml.WriteAttributeString("Name", name);
            xml.WriteAttributeString("Repeating", "No");
            var order = 1;
            foreach (var item in items)
            {
                xml.WriteStartElement("ItemRef");
                xml.WriteAttributeString("ItemOID", OdmOids.Item(form.Code, item.Code));
                xml.WriteAttributeString("OrderNumber", Number(order++));
                xml.WriteAttributeString("Mandatory", YesNo(item.Required && alias is null));
                if (item.ShowIf is not null)
                {
                    xml.WriteAttributeString("CollectionExceptionConditionOID", OdmOids.Condition(form.Code, item.Code));
                }

                if (item.Expression is not null)
                {
                    xml.WriteAttributeString("MethodOID", OdmOids.Method(form.Code, item.Code));
                }

                xml.WriteEndElement();
            }

            if (alias is not null)
            {
                Alias(alias);
            }

            xml.WriteEndElement();
        }
    }

    private void WriteItemDef(string formCode, ItemSpec item)
    {
        xml.WriteStartElement("ItemDef");
        xml.WriteAttributeString("OID", OdmOids.Item(formCode, item.Code));
        xml.WriteAttributeString("Name", item.Code);
        xml.WriteAttributeString("DataType", OdmValues.DataType(item.Type));
        if (item.Type == ItemType.Text)
        {
            xml.WriteAttributeString("Length", Number(item.MaxLength ?? FormDefinition.MaxTextLength));
        }

        if (item is { Type: ItemType.Decimal, Precision: { } precision })
        {
            xml.WriteAttributeString("SignificantDigits", Number(precision));
        }

        xml.WriteStartElement("Question");
        TranslatedText(item.Label);
        xml.WriteEndElement();
        if (item.Units is { } units)
        {
            xml.WriteStartElement("MeasurementUnitRef");
            xml.WriteAttributeString("MeasurementUnitOID", study.Units[units]);
            xml.WriteEndElement();
        }

        RangeChecks(item.Range, "Hard");
        RangeChecks(item.SoftRange, "Soft");
        if (item.CodeList is { Count: > 0 })
        {
            xml.WriteStartElement("CodeListRef");
            xml.WriteAttributeString("CodeListOID", OdmOids.CodeList(formCode, item.Code));
            xml.WriteEndElement();
        }

        if (item.Type == ItemType.MultiChoice)
        {
            Alias(OdmOids.MultiChoiceAlias);
        }

        xml.WriteEndElement();
    }

    private void RangeChecks(NumberRange? range, string softHard)
    {
        if (range is null)
        {
            return;
        }

        Check("GE", range.Min, "at least", "below");
        Check("LE", range.Max, "at most", "above");

        void Check(string comparator, decimal? bound, string hardWords, string softWords)
        {
            if (bound is not { } value)
            {
                return;
            }

            xml.WriteStartElement("RangeCheck");
            xml.WriteAttributeString("Comparator", comparator);
            xml.WriteAttributeString("SoftHard", softHard);
            xml.WriteElementString("CheckValue", OdmValues.Number(value));
            xml.WriteStartElement("ErrorMessage");
            TranslatedText(softHard == "Hard"
                ? $"The value must be {hardWords} {OdmValues.Number(value)}."
                : $"A value {softWords} {OdmValues.Number(value)} is unusual: please check it.");
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
    }

    private void WriteCodeList(string formCode, ItemSpec item)
    {
        xml.WriteStartElement("CodeList");
        xml.WriteAttributeString("OID", OdmOids.CodeList(formCode, item.Code));
        xml.WriteAttributeString("Name", $"{formCode}.{item.Code}");
        xml.WriteAttributeString("DataType", "text");
        foreach (var entry in item.CodeList!)
        {
            xml.WriteStartElement("CodeListItem");
            xml.WriteAttributeString("CodedValue", entry.Code);
            xml.WriteStartElement("Decode");
            TranslatedText(entry.Label);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private void WriteExpressionDef(string element, string oid, string description, string expression, string? type)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("OID", oid);
        xml.WriteAttributeString("Name", oid);
        if (type is not null)
        {
            xml.WriteAttributeString("Type", type);
        }

        Description($"{description}: {expression}");
        xml.WriteStartElement("FormalExpression");
        xml.WriteAttributeString("Context", OdmOids.ExpressionContext);
        xml.WriteString(expression);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private void Description(string text)
    {
        xml.WriteStartElement("Description");
        TranslatedText(text);
        xml.WriteEndElement();
    }

    private void TranslatedText(string text)
    {
        xml.WriteStartElement("TranslatedText");
        xml.WriteAttributeString("xml", "lang", null, "en");
        xml.WriteString(text);
        xml.WriteEndElement();
    }

    private void Alias(string name)
    {
        xml.WriteStartElement("Alias");
        xml.WriteAttributeString("Context", OdmOids.AliasContext);
        xml.WriteAttributeString("Name", name);
        xml.WriteEndElement();
    }

    private static string YesNo(bool yes) => yes ? "Yes" : "No";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Edc.Api.Common;
using Edc.Domain.Forms;
using Edc.Domain.Forms.Expressions;
using FluentValidation;
using FluentValidation.Results;

namespace Edc.Api.Features.Forms;

/// <summary>
/// Reads the forms of a CDISC ODM 1.3.2 document's first <c>MetaDataVersion</c> as docs/odm.md maps them, the inverse of
/// the ODM export. What Edc cannot represent refuses the whole document: a <see cref="ValidationException"/> whose keys
/// name the element by an XPath-like path (<c>FormDef[@OID='F.VS']/ItemDef[@OID='I.VS.HR']/RangeCheck[@Comparator='IN']</c>).
/// Only the elements the imported forms refer to are read; the rest of the document (protocol, visits, administration,
/// clinical data) is ignored.
/// </summary>
internal sealed class OdmFormReader
{
    public const string Namespace = "http://www.cdisc.org/ns/odm/v1.3";

    /// <summary>The form the export adds for the randomization, which every trial has like the built-in forms.</summary>
    public const string RandomizationFormCode = "RANDOMIZATION";

    // The request body is already limited to 1 MB; this bounds the characters a document may expand to as well.
    private const long MaxCharacters = 4_000_000;

    private static readonly XNamespace Odm = Namespace;

    private static readonly Dictionary<string, ItemType> DataTypes = new(StringComparer.Ordinal)
    {
        ["text"] = ItemType.Text,
        ["integer"] = ItemType.Integer,
        ["float"] = ItemType.Decimal,
        ["date"] = ItemType.Date,
        ["datetime"] = ItemType.DateTime,
        ["boolean"] = ItemType.Boolean,
    };

    private readonly List<ValidationFailure> _refusals = [];
    private readonly Dictionary<string, XElement> _groups;
    private readonly Dictionary<string, XElement> _items;
    private readonly Dictionary<string, XElement> _codeLists;
    private readonly Dictionary<string, XElement> _conditions;
    private readonly Dictionary<string, XElement> _methods;
    private readonly Dictionary<string, XElement> _units;

    private OdmFormReader(XElement study, XElement metaData)
    {
        _groups = ByOid(metaData.Elements(Odm + "ItemGroupDef"));
        _items = ByOid(metaData.Elements(Odm + "ItemDef"));
        _codeLists = ByOid(metaData.Elements(Odm + "CodeList"));
        _conditions = ByOid(metaData.Elements(Odm + "ConditionDef"));
        _methods = ByOid(metaData.Elements(Odm + "MethodDef"));
        _units = ByOid(study.Elements(Odm + "BasicDefinitions").Elements(Odm + "MeasurementUnit"));
    }

    /// <summary>A form read from a <c>FormDef</c>, not yet checked by the domain.</summary>
    public sealed record Form(string Oid, FormSpec Spec);

    /// <summary>The forms to import, in the document's order, and the codes of the forms every trial already has.</summary>
    public sealed record Document(IReadOnlyList<Form> Forms, IReadOnlyList<string> Skipped);

    public static Document Read(string xml)
    {
        var root = Load(xml).Root!;
        if (root.Name != Odm + "ODM")
        {
            throw Refused("ODM", $"The document is not CDISC ODM 1.3.2: its root element is {root.Name.LocalName} in the namespace "
                + $"'{root.Name.NamespaceName}', where ODM in the namespace '{Namespace}' is expected.");
        }

        var study = root.Elements(Odm + "Study").FirstOrDefault(s => s.Element(Odm + "MetaDataVersion") is not null)
            ?? throw Refused("MetaDataVersion", "The document has no Study with a MetaDataVersion: it defines no forms to import.");
        var metaData = study.Element(Odm + "MetaDataVersion")!;
        var reader = new OdmFormReader(study, metaData);
        var document = reader.ReadForms(metaData);
        return reader._refusals.Count > 0 ? throw new ValidationException(reader._refusals) : document;
    }

    private static XDocument Load(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw Refused("body", $"The body is not well-formed XML, so not a CDISC ODM 1.3.2 document: {exception.Message}");
        }
    }

    private Document ReadForms(XElement metaData)
    {
        if (metaData.Element(Odm + "Include") is not null)
        {
            Refuse("MetaDataVersion/Include", "Include (metadata taken from another study's MetaDataVersion) is not supported: send the metadata complete.");
        }

        var forms = new List<Form>();
        var skipped = new List<string>();
        foreach (var formDef in metaData.Elements(Odm + "FormDef"))
        {
            var oid = Attribute(formDef, "OID") ?? string.Empty;
            var path = $"FormDef[@OID='{oid}']";
            var code = oid.StartsWith("F.", StringComparison.Ordinal) ? oid[2..] : FormDefinition.IsFormCode(oid) ? oid : null;
            if (code is null)
            {
                Refuse(path, "A FormDef's OID is F.{code}, or the form's code itself (1 to 20 capital letters, digits or underscores, starting with a letter).");
            }
            else if (BuiltInFormCodes.All.Contains(code) || code == RandomizationFormCode)
            {
                skipped.Add(code);
            }
            else if (forms.Any(f => f.Spec.Code == code))
            {
                Refuse(path, $"Another FormDef is also the form {code}.");
            }
            else
            {
                var log = Attribute(formDef, "Repeating") == "Yes";
                forms.Add(new Form(oid, new FormSpec(code, Attribute(formDef, "Name")!, log, ItemsOf(formDef, code, log, path))));
            }
        }

        return new Document(forms, skipped);
    }

    private List<ItemSpec> ItemsOf(XElement formDef, string formCode, bool log, string formPath)
    {
        var items = new List<ItemSpec>();
        foreach (var groupRef in InOrder(formDef.Elements(Odm + "ItemGroupRef")))
        {
            var groupOid = Attribute(groupRef, "ItemGroupOID") ?? string.Empty;
            var refPath = $"{formPath}/ItemGroupRef[@ItemGroupOID='{groupOid}']";
            if (!_groups.TryGetValue(groupOid, out var group))
            {
                Refuse(refPath, $"No ItemGroupDef has the OID {groupOid}.");
                continue;
            }

            // The items only earlier versions had: their data keep those versions, the new one does not ask them.
            if (HasEdcAlias(group, "earlier versions"))
            {
                continue;
            }

            var groupPath = $"{formPath}/ItemGroupDef[@OID='{groupOid}']";
            if (Attribute(groupRef, "CollectionExceptionConditionOID") is not null)
            {
                Refuse(refPath, "A condition on a whole item group is not supported: Edc's conditions (showIf) are on items.");
            }

            if (Attribute(group, "Repeating") == "Yes" && !log)
            {
                Refuse(groupPath, "A repeating item group in a form that does not repeat is not supported: a log form (FormDef Repeating=\"Yes\") repeats as a whole.");
            }

            foreach (var itemRef in InOrder(group.Elements(Odm + "ItemRef")))
            {
                if (ItemOf(itemRef, formCode, formPath, groupPath) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        return items;
    }

    private ItemSpec? ItemOf(XElement itemRef, string formCode, string formPath, string groupPath)
    {
        var itemOid = Attribute(itemRef, "ItemOID") ?? string.Empty;
        var refPath = $"{groupPath}/ItemRef[@ItemOID='{itemOid}']";
        if (!_items.TryGetValue(itemOid, out var def))
        {
            Refuse(refPath, $"No ItemDef has the OID {itemOid}.");
            return null;
        }

        if (Attribute(itemRef, "ImputationMethodOID") is not null)
        {
            Refuse(refPath, "ImputationMethodOID is not supported: Edc computes a value only for a calculated item (MethodOID).");
        }

        var path = $"{formPath}/ItemDef[@OID='{itemOid}']";
        var dataType = Attribute(def, "DataType") ?? string.Empty;
        if (!DataTypes.TryGetValue(dataType, out var type))
        {
            Refuse(path, $"DataType {dataType} is not supported: Edc's items are {string.Join(", ", DataTypes.Keys)}.");
            return null;
        }

        var codeListRef = def.Element(Odm + "CodeListRef");
        var method = Attribute(itemRef, "MethodOID");
        if (method is not null)
        {
            type = ItemType.Calculated;
        }
        else if (codeListRef is not null)
        {
            if (type is not (ItemType.Text or ItemType.Integer))
            {
                Refuse(path, $"A CodeListRef on a {dataType} item is not supported: a choice's codes are text (or integers).");
            }

            type = HasEdcAlias(def, "multiChoice") ? ItemType.MultiChoice : ItemType.Choice;
        }

        var name = Attribute(def, "Name");
        var suffix = itemOid.StartsWith($"I.{formCode}.", StringComparison.Ordinal) ? itemOid[$"I.{formCode}.".Length..] : null;
        var code = FormDefinition.IsItemCode(name) || !FormDefinition.IsItemCode(suffix) ? name : suffix;
        var (units, unitOid) = UnitsOf(def, path);
        var (range, softRange) = RangesOf(def, unitOid, path);
        var condition = Attribute(itemRef, "CollectionExceptionConditionOID");

        // Length and SignificantDigits describe storage on other types (an integer's digits); Edc keeps them only where it has the property.
        return new ItemSpec(
            code!,
            TextOf(def.Element(Odm + "Question")) ?? name!,
            type,
            Attribute(itemRef, "Mandatory") == "Yes",
            type == ItemType.Text ? Number(def, "Length", path) : null,
            type == ItemType.Decimal ? Number(def, "SignificantDigits", path) : null,
            units,
            range,
            softRange,
            codeListRef is null ? null : CodeListOf(codeListRef, formPath, path),
            condition is null ? null : ShowIfOf(condition, formPath, refPath),
            method is null ? null : ExpressionOf(method, formPath, refPath));
    }

    private (string? Units, string? Oid) UnitsOf(XElement def, string path)
    {
        var refs = def.Elements(Odm + "MeasurementUnitRef").ToList();
        if (refs.Count == 0)
        {
            return (null, null);
        }

        var oid = Attribute(refs[0], "MeasurementUnitOID") ?? string.Empty;
        if (refs.Count > 1)
        {
            Refuse($"{path}/MeasurementUnitRef", $"An item has one unit in Edc; this ItemDef names {refs.Count}.");
        }

        if (!_units.TryGetValue(oid, out var unit))
        {
            Refuse($"{path}/MeasurementUnitRef[@MeasurementUnitOID='{oid}']", $"No MeasurementUnit of the study's BasicDefinitions has the OID {oid}.");
            return (null, oid);
        }

        return (TextOf(unit.Element(Odm + "Symbol")) ?? Attribute(unit, "Name"), oid);
    }

    private (NumberRange? Range, NumberRange? SoftRange) RangesOf(XElement def, string? unitOid, string path)
    {
        var bounds = new Dictionary<(string SoftHard, string Comparator), decimal>();
        foreach (var check in def.Elements(Odm + "RangeCheck"))
        {
            var comparator = Attribute(check, "Comparator");
            var softHard = Attribute(check, "SoftHard");
            var checkPath = $"{path}/RangeCheck[@Comparator='{comparator}']";
            var values = check.Elements(Odm + "CheckValue").ToList();
            var checkUnit = check.Element(Odm + "MeasurementUnitRef") is { } unitRef ? Attribute(unitRef, "MeasurementUnitOID") : unitOid;
            if (comparator is not ("GE" or "LE"))
            {
                Refuse(checkPath, $"Comparator {comparator} is not supported: Edc's ranges are a minimum (GE) and a maximum (LE).");
            }
            else if (softHard is not ("Hard" or "Soft"))
            {
                Refuse(checkPath, "SoftHard is Hard (the range) or Soft (the range that warns).");
            }
            else if (values.Count != 1 || !decimal.TryParse(values[0].Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
            {
                Refuse(checkPath, "A range check is one CheckValue, a number; a FormalExpression or several values are not supported.");
            }
            else if (checkUnit != unitOid)
            {
                Refuse(checkPath, "A range check in other units than its item's is not supported.");
            }
            else if (!bounds.TryAdd((softHard, comparator), bound))
            {
                Refuse(checkPath, $"Another {softHard} {comparator} range check: Edc keeps one minimum and one maximum per range.");
            }
        }

        NumberRange? Range(string softHard)
        {
            decimal? min = bounds.TryGetValue((softHard, "GE"), out var ge) ? ge : null;
            decimal? max = bounds.TryGetValue((softHard, "LE"), out var le) ? le : null;
            return min is null && max is null ? null : new NumberRange(min, max);
        }

        return (Range("Hard"), Range("Soft"));
    }

    private List<CodeListEntry>? CodeListOf(XElement codeListRef, string formPath, string path)
    {
        var oid = Attribute(codeListRef, "CodeListOID") ?? string.Empty;
        if (!_codeLists.TryGetValue(oid, out var codeList))
        {
            Refuse($"{path}/CodeListRef[@CodeListOID='{oid}']", $"No CodeList has the OID {oid}.");
            return null;
        }

        if (codeList.Element(Odm + "ExternalCodeList") is not null)
        {
            Refuse($"{formPath}/CodeList[@OID='{oid}']/ExternalCodeList", "ExternalCodeList (a dictionary kept elsewhere) is not supported: a choice lists its codes (CodeListItem).");
            return null;
        }

        // An EnumeratedItem is a code without a decode: its code is its label.
        return
        [
            .. InOrder(codeList.Elements(Odm + "CodeListItem")).Select(i => new CodeListEntry(Attribute(i, "CodedValue")!, TextOf(i.Element(Odm + "Decode"))!)),
            .. InOrder(codeList.Elements(Odm + "EnumeratedItem")).Select(i => new CodeListEntry(Attribute(i, "CodedValue")!, Attribute(i, "CodedValue")!)),
        ];
    }

    // ODM's condition says when the item is not collected: the export writes `not (showIf)`, which gives showIf back.
    private string? ShowIfOf(string oid, string formPath, string refPath)
    {
        if (!_conditions.TryGetValue(oid, out var condition))
        {
            Refuse(refPath, $"No ConditionDef has the OID {oid} (CollectionExceptionConditionOID).");
            return null;
        }

        return EdcExpression(condition, $"{formPath}/ConditionDef[@OID='{oid}']") is { } expression
            ? NegatedOperand(expression) ?? $"not ({expression})"
            : null;
    }

    private string? ExpressionOf(string oid, string formPath, string refPath)
    {
        if (!_methods.TryGetValue(oid, out var method))
        {
            Refuse(refPath, $"No MethodDef has the OID {oid} (MethodOID).");
            return null;
        }

        var path = $"{formPath}/MethodDef[@OID='{oid}']";
        if (Attribute(method, "Type") is { } type and not "Computation")
        {
            Refuse(path, $"A MethodDef of Type {type} is not supported: a calculated item's method is a Computation.");
            return null;
        }

        return EdcExpression(method, path);
    }

    private string? EdcExpression(XElement definition, string path)
    {
        var expressions = definition.Elements(Odm + "FormalExpression").ToList();
        if (expressions.FirstOrDefault(e => Attribute(e, "Context") == "Edc") is not { } edc)
        {
            Refuse($"{path}/FormalExpression", expressions.Count == 0
                ? "A FormalExpression Context=\"Edc\" is needed: Edc evaluates its own expression language."
                : $"FormalExpression Context '{string.Join("', '", expressions.Select(e => Attribute(e, "Context")))}' is not supported: "
                    + "Edc evaluates its own expression language (Context=\"Edc\").");
            return null;
        }

        var text = edc.Value.Trim();
        try
        {
            ExpressionParser.Parse(text);
            return text;
        }
        catch (ExpressionException exception)
        {
            Refuse($"{path}/FormalExpression", $"The expression cannot be read: {exception.Message}");
            return null;
        }
    }

    /// <summary>X when the expression is exactly <c>not (X)</c>, its parentheses enclosing the rest; otherwise null.</summary>
    internal static string? NegatedOperand(string expression)
    {
        const string Prefix = "not (";
        if (!expression.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var depth = 0;
        var inText = false;
        for (var i = Prefix.Length - 1; i < expression.Length; i++)
        {
            // A quote inside a text is doubled ('O''Brien'), which toggles twice.
            switch (expression[i])
            {
                case '\'':
                    inText = !inText;
                    break;
                case '(' when !inText:
                    depth++;
                    break;
                case ')' when !inText && --depth == 0:
                    return i == expression.Length - 1 ? expression[Prefix.Length..i].Trim() : null;
            }
        }

        return null;
    }

    private int? Number(XElement element, string attribute, string path)
    {
        if (Attribute(element, attribute) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Refuse(path, $"{attribute} is a whole number, not '{text}'.");
        return null;
    }

    // Elements in their OrderNumber's order when each has one, else as the document lists them.
    private static IEnumerable<XElement> InOrder(IEnumerable<XElement> elements)
    {
        var list = elements.ToList();
        var numbers = list.Select(e => int.TryParse(Attribute(e, "OrderNumber"), CultureInfo.InvariantCulture, out var n) ? n : (int?)null).ToList();
        return numbers.All(n => n.HasValue) ? list.Zip(numbers).OrderBy(p => p.Second).Select(p => p.First) : list;
    }

    // A TranslatedText in English if there is one, else the first.
    private static string? TextOf(XElement? element)
    {
        var texts = element?.Elements(Odm + "TranslatedText").ToList() ?? [];
        static bool IsEnglish(XElement text) => text.Attribute(XNamespace.Xml + "lang")?.Value is { } lang && (lang == "en" || lang.StartsWith("en-", StringComparison.Ordinal));
        return (texts.FirstOrDefault(IsEnglish) ?? texts.FirstOrDefault())?.Value.Trim();
    }

    private static bool HasEdcAlias(XElement element, string name) =>
        element.Elements(Odm + "Alias").Any(a => Attribute(a, "Context") == "Edc" && Attribute(a, "Name") == name);

    private static string? Attribute(XElement element, string name) => element.Attribute(name)?.Value;

    // The first definition of an OID counts; a document that repeats one is not valid ODM anyway.
    private static Dictionary<string, XElement> ByOid(IEnumerable<XElement> definitions)
    {
        var byOid = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            byOid.TryAdd(Attribute(definition, "OID") ?? string.Empty, definition);
        }

        return byOid;
    }

    private void Refuse(string path, string message) => _refusals.Add(Failure(path, message));

    private static ValidationException Refused(string path, string message) => new([Failure(path, message)]);

    private static ValidationFailure Failure(string path, string message) => new(path, message) { CustomState = ProblemMapping.DataKey };
}

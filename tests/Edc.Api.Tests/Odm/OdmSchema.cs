using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Edc.Api.Tests.Odm;

/// <summary>The official CDISC ODM 1.3.2 schema (Odm/Schema, copied to the tests' output), loaded once, and documents checked against it.</summary>
public static class OdmSchema
{
    public static readonly XNamespace Odm = "http://www.cdisc.org/ns/odm/v1.3";

    private static readonly Lazy<XmlSchemaSet> Schemas = new(() =>
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        set.Add("http://www.cdisc.org/ns/odm/v1.3", Path.Combine(AppContext.BaseDirectory, "Odm", "Schema", "ODM1-3-2.xsd"));
        set.Compile();
        return set;
    });

    /// <summary>Parses the document and validates it: every schema error and warning fails, with its line.</summary>
    public static XDocument Validated(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        Assert.True(errors.Count == 0, "Not valid ODM 1.3.2:\n" + string.Join('\n', errors.Take(20)));
        return document;
    }
}

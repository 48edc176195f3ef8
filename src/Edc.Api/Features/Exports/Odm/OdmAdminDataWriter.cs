using System.Xml;
using Edc.Domain.DataManagement;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// Writes <c>AdminData</c>: every account (audit records and signatures name users by OID) and the system, the trial's
/// sites as locations, and a signature definition per meaning with the attestation the signer made.
/// </summary>
internal static class OdmAdminDataWriter
{
    public const string LegalReason =
        "The signer attested that this electronic signature is the legally binding equivalent of their handwritten signature (21 CFR 11.100(c)), "
        + "and re-entered their password to sign.";

    public sealed record Account(Guid Id, string Email, string Name);

    public sealed record Location(string Code, string Name);

    public static void Write(XmlWriter xml, OdmStudy study, IEnumerable<Account> accounts, IEnumerable<Location> sites)
    {
        xml.WriteStartElement("AdminData", OdmOids.Namespace);
        xml.WriteAttributeString("StudyOID", study.StudyOid);
        xml.WriteStartElement("User");
        xml.WriteAttributeString("OID", OdmOids.SystemUser);
        xml.WriteAttributeString("UserType", "Other");
        xml.WriteElementString("DisplayName", "Edc");
        xml.WriteElementString("FullName", "Edc (the system: demonstration data, automatic queries, jobs)");
        xml.WriteEndElement();
        foreach (var account in accounts)
        {
            xml.WriteStartElement("User");
            xml.WriteAttributeString("OID", OdmOids.User(account.Id));
            xml.WriteElementString("LoginName", account.Email);
            xml.WriteElementString("DisplayName", account.Name);
            xml.WriteElementString("FullName", account.Name);
            xml.WriteElementString("Email", account.Email);
            xml.WriteEndElement();
        }

        foreach (var site in sites)
        {
            xml.WriteStartElement("Location");
            xml.WriteAttributeString("OID", OdmOids.Location(site.Code));
            xml.WriteAttributeString("Name", site.Name);
            xml.WriteAttributeString("LocationType", "Site");
            xml.WriteStartElement("MetaDataVersionRef");
            xml.WriteAttributeString("StudyOID", study.StudyOid);
            xml.WriteAttributeString("MetaDataVersionOID", study.MetaDataVersionOid);
            xml.WriteAttributeString("EffectiveDate", study.Trial.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        foreach (var meaning in Enum.GetValues<SignatureMeaning>())
        {
            xml.WriteStartElement("SignatureDef");
            xml.WriteAttributeString("OID", OdmOids.SignatureDef(meaning.ToString()));
            xml.WriteAttributeString("Methodology", "Electronic");
            xml.WriteElementString("Meaning", meaning.ToString());
            xml.WriteElementString("LegalReason", LegalReason);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }
}

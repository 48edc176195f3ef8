using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Edc.Api.Features.Forms;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>
/// Forms imported from a CDISC ODM 1.3.2 document (docs/odm.md): each FormDef of its MetaDataVersion becomes the form
/// DefineForm would make of the same definition, all or none; what Edc cannot represent refuses the document with 400
/// naming the element.
/// </summary>
public sealed class OdmImportTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly JsonSerializerOptions AsWritten = new();

    /// <summary>
    /// A document as the export writes one, with what import ignores around the forms (protocol, visits, a built-in form,
    /// RANDOMIZATION, the earlier versions' group, descriptions, administration and clinical data). Items are listed out
    /// of order where OrderNumber gives the order.
    /// </summary>
    private const string Document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3.2" FileType="Snapshot" FileOID="EDC.SOURCE"
             CreationDateTime="2026-12-07T10:00:00Z" SourceSystem="Edc">
          <Study OID="ST.SOURCE">
            <GlobalVariables>
              <StudyName>SOURCE</StudyName>
              <StudyDescription>The trial the forms come from</StudyDescription>
              <ProtocolName>SOURCE</ProtocolName>
            </GlobalVariables>
            <BasicDefinitions>
              <MeasurementUnit OID="MU.kg" Name="kilogram">
                <Symbol><TranslatedText xml:lang="en">kg</TranslatedText></Symbol>
              </MeasurementUnit>
            </BasicDefinitions>
            <MetaDataVersion OID="MDV.5" Name="Forms revision 5">
              <Protocol>
                <StudyEventRef StudyEventOID="SE.D0" OrderNumber="1" Mandatory="Yes"/>
                <StudyEventRef StudyEventOID="SE.SUBJECT" OrderNumber="2" Mandatory="Yes"/>
              </Protocol>
              <StudyEventDef OID="SE.D0" Name="Day 0" Repeating="No" Type="Scheduled">
                <FormRef FormOID="F.MRSS" OrderNumber="1" Mandatory="No"/>
                <FormRef FormOID="F.VS" OrderNumber="2" Mandatory="No"/>
              </StudyEventDef>
              <StudyEventDef OID="SE.SUBJECT" Name="Participant" Repeating="No" Type="Common">
                <FormRef FormOID="F.CM" OrderNumber="1" Mandatory="No"/>
                <FormRef FormOID="F.RANDOMIZATION" OrderNumber="2" Mandatory="No"/>
              </StudyEventDef>
              <FormDef OID="F.MRSS" Name="Modified Rodnan skin score" Repeating="No">
                <ItemGroupRef ItemGroupOID="IG.MRSS" Mandatory="Yes"/>
              </FormDef>
              <FormDef OID="F.VS" Name="Vital signs" Repeating="No">
                <Description><TranslatedText xml:lang="en">Vital signs at a visit</TranslatedText></Description>
                <ItemGroupRef ItemGroupOID="IG.VS" Mandatory="Yes" OrderNumber="1"/>
                <ItemGroupRef ItemGroupOID="IG.VS.EARLIER" Mandatory="No" OrderNumber="2"/>
              </FormDef>
              <FormDef OID="F.CM" Name="Concomitant medications" Repeating="Yes">
                <ItemGroupRef ItemGroupOID="IG.CM" Mandatory="Yes"/>
              </FormDef>
              <FormDef OID="F.RANDOMIZATION" Name="Randomization" Repeating="No">
                <ItemGroupRef ItemGroupOID="IG.RANDOMIZATION" Mandatory="Yes"/>
              </FormDef>
              <ItemGroupDef OID="IG.MRSS" Name="MRSS" Repeating="No">
                <ItemRef ItemOID="I.MRSS.TOTAL" Mandatory="Yes"/>
              </ItemGroupDef>
              <ItemGroupDef OID="IG.VS" Name="Vital signs" Repeating="No">
                <ItemRef ItemOID="I.VS.HR" Mandatory="Yes" OrderNumber="2"/>
                <ItemRef ItemOID="I.VS.NOTE" Mandatory="No" OrderNumber="1"/>
                <ItemRef ItemOID="I.VS.WEIGHT" Mandatory="No" OrderNumber="3"/>
                <ItemRef ItemOID="I.VS.VDATE" Mandatory="Yes" OrderNumber="4"/>
                <ItemRef ItemOID="I.VS.VTIME" Mandatory="No" OrderNumber="5"/>
                <ItemRef ItemOID="I.VS.FASTING" Mandatory="No" OrderNumber="6"/>
                <ItemRef ItemOID="I.VS.POSITION" Mandatory="No" OrderNumber="7"/>
                <ItemRef ItemOID="I.VS.SYMPTOMS" Mandatory="No" OrderNumber="8"/>
                <ItemRef ItemOID="I.VS.HALF" Mandatory="No" OrderNumber="9" MethodOID="MT.VS.HALF"/>
                <ItemRef ItemOID="I.VS.TACHY" Mandatory="No" OrderNumber="10" CollectionExceptionConditionOID="CD.VS.TACHY"/>
                <ItemRef ItemOID="I.VS.NOHR" Mandatory="No" OrderNumber="11" CollectionExceptionConditionOID="CD.VS.NOHR"/>
              </ItemGroupDef>
              <ItemGroupDef OID="IG.VS.EARLIER" Name="Vital signs, earlier versions" Repeating="No">
                <ItemRef ItemOID="I.VS.OLD" Mandatory="No"/>
                <Alias Context="Edc" Name="earlier versions"/>
              </ItemGroupDef>
              <ItemGroupDef OID="IG.CM" Name="Concomitant medications" Repeating="No">
                <ItemRef ItemOID="I.CM.MED" Mandatory="Yes"/>
                <ItemRef ItemOID="I.CM.START" Mandatory="No"/>
              </ItemGroupDef>
              <ItemGroupDef OID="IG.RANDOMIZATION" Name="Randomization" Repeating="No">
                <ItemRef ItemOID="I.RANDOMIZATION.NUMBER" Mandatory="Yes"/>
              </ItemGroupDef>
              <ItemDef OID="I.MRSS.TOTAL" Name="TOTAL" DataType="integer">
                <Question><TranslatedText xml:lang="en">Total skin score</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.NOTE" Name="NOTE" DataType="text" Length="200">
                <Question><TranslatedText xml:lang="en">Note</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.HR" Name="HR" DataType="integer">
                <Description><TranslatedText xml:lang="en">Beats per minute, at rest</TranslatedText></Description>
                <Question>
                  <TranslatedText xml:lang="fr">Fréquence cardiaque</TranslatedText>
                  <TranslatedText xml:lang="en">Heart rate</TranslatedText>
                </Question>
                <RangeCheck Comparator="GE" SoftHard="Hard">
                  <CheckValue>30</CheckValue>
                  <ErrorMessage><TranslatedText xml:lang="en">Below 30</TranslatedText></ErrorMessage>
                </RangeCheck>
                <RangeCheck Comparator="LE" SoftHard="Hard"><CheckValue>200</CheckValue></RangeCheck>
              </ItemDef>
              <ItemDef OID="I.VS.WEIGHT" Name="WEIGHT" DataType="float" SignificantDigits="1">
                <Question><TranslatedText xml:lang="en">Weight</TranslatedText></Question>
                <MeasurementUnitRef MeasurementUnitOID="MU.kg"/>
                <RangeCheck Comparator="GE" SoftHard="Hard"><CheckValue>20</CheckValue></RangeCheck>
                <RangeCheck Comparator="LE" SoftHard="Hard"><CheckValue>300</CheckValue></RangeCheck>
                <RangeCheck Comparator="GE" SoftHard="Soft"><CheckValue>40.5</CheckValue></RangeCheck>
                <RangeCheck Comparator="LE" SoftHard="Soft"><CheckValue>150</CheckValue></RangeCheck>
              </ItemDef>
              <ItemDef OID="I.VS.VDATE" Name="VDATE" DataType="date">
                <Question><TranslatedText xml:lang="en">Date of the measures</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.VTIME" Name="VTIME" DataType="datetime">
                <Question><TranslatedText xml:lang="en">Time of the measures</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.FASTING" Name="FASTING" DataType="boolean">
                <Question><TranslatedText xml:lang="en">Fasting</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.POSITION" Name="POSITION" DataType="text">
                <Question><TranslatedText xml:lang="en">Position</TranslatedText></Question>
                <CodeListRef CodeListOID="CL.VS.POSITION"/>
              </ItemDef>
              <ItemDef OID="I.VS.SYMPTOMS" Name="SYMPTOMS" DataType="text">
                <Question><TranslatedText xml:lang="en">Symptoms</TranslatedText></Question>
                <CodeListRef CodeListOID="CL.VS.SYMPTOMS"/>
                <Alias Context="Edc" Name="multiChoice"/>
              </ItemDef>
              <ItemDef OID="I.VS.HALF" Name="HALF" DataType="float">
                <Question><TranslatedText xml:lang="en">Half the weight</TranslatedText></Question>
                <MeasurementUnitRef MeasurementUnitOID="MU.kg"/>
              </ItemDef>
              <ItemDef OID="I.VS.TACHY" Name="TACHY" DataType="text">
                <Question><TranslatedText xml:lang="en">Tachycardia noted</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.NOHR" Name="NOHR" DataType="text">
                <Question><TranslatedText xml:lang="en">Heart rate measured</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.VS.OLD" Name="OLD" DataType="text">
                <Question><TranslatedText xml:lang="en">An item of version 1</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.CM.MED" Name="MED" DataType="text" Length="100">
                <Question><TranslatedText xml:lang="en">Medication</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.CM.START" Name="START" DataType="date">
                <Question><TranslatedText xml:lang="en">Start date</TranslatedText></Question>
              </ItemDef>
              <ItemDef OID="I.RANDOMIZATION.NUMBER" Name="NUMBER" DataType="text">
                <Question><TranslatedText xml:lang="en">Randomization number</TranslatedText></Question>
              </ItemDef>
              <CodeList OID="CL.VS.POSITION" Name="Position" DataType="text">
                <CodeListItem CodedValue="SIT"><Decode><TranslatedText xml:lang="en">Sitting</TranslatedText></Decode></CodeListItem>
                <CodeListItem CodedValue="LIE"><Decode><TranslatedText xml:lang="en">Lying</TranslatedText></Decode></CodeListItem>
              </CodeList>
              <CodeList OID="CL.VS.SYMPTOMS" Name="Symptoms" DataType="text">
                <CodeListItem CodedValue="DIZZY"><Decode><TranslatedText xml:lang="en">Dizziness</TranslatedText></Decode></CodeListItem>
                <CodeListItem CodedValue="NAUSEA"><Decode><TranslatedText xml:lang="en">Nausea</TranslatedText></Decode></CodeListItem>
              </CodeList>
              <ConditionDef OID="CD.VS.TACHY" Name="TACHY asked">
                <Description><TranslatedText xml:lang="en">Not collected unless the heart rate is above 100</TranslatedText></Description>
                <FormalExpression Context="Edc">not (HR > 100)</FormalExpression>
              </ConditionDef>
              <ConditionDef OID="CD.VS.NOHR" Name="NOHR asked">
                <Description><TranslatedText xml:lang="en">Not collected when the heart rate is blank</TranslatedText></Description>
                <FormalExpression Context="Edc">isblank(HR)</FormalExpression>
              </ConditionDef>
              <MethodDef OID="MT.VS.HALF" Name="HALF" Type="Computation">
                <Description><TranslatedText xml:lang="en">Half the weight</TranslatedText></Description>
                <FormalExpression Context="Edc">round(WEIGHT / 2, 1)</FormalExpression>
              </MethodDef>
            </MetaDataVersion>
          </Study>
          <AdminData StudyOID="ST.SOURCE">
            <User OID="USR.SYSTEM"><FullName>Edc</FullName></User>
            <Location OID="LOC.S1" Name="Site one" LocationType="Site">
              <MetaDataVersionRef StudyOID="ST.SOURCE" MetaDataVersionOID="MDV.5" EffectiveDate="2026-12-07"/>
            </Location>
          </AdminData>
          <ClinicalData StudyOID="ST.SOURCE" MetaDataVersionOID="MDV.5">
            <SubjectData SubjectKey="S1-001">
              <SiteRef LocationOID="LOC.S1"/>
              <StudyEventData StudyEventOID="SE.D0">
                <FormData FormOID="F.VS">
                  <ItemGroupData ItemGroupOID="IG.VS">
                    <ItemData ItemOID="I.VS.HR" Value="72"/>
                  </ItemGroupData>
                </FormData>
              </StudyEventData>
            </SubjectData>
          </ClinicalData>
        </ODM>
        """;

    /// <summary>The same forms as the document, as DefineForm's JSON writes them.</summary>
    private static readonly object[] SameFormsAsJson =
    [
        new
        {
            code = "VS",
            name = "Vital signs",
            log = false,
            items = new object[]
            {
                new { code = "NOTE", label = "Note", type = "text", maxLength = 200 },
                new { code = "HR", label = "Heart rate", type = "integer", required = true, range = new { min = 30, max = 200 } },
                new
                {
                    code = "WEIGHT", label = "Weight", type = "decimal", precision = 1, units = "kg",
                    range = new { min = 20m, max = 300m }, softRange = new { min = 40.5m, max = 150m },
                },
                new { code = "VDATE", label = "Date of the measures", type = "date", required = true },
                new { code = "VTIME", label = "Time of the measures", type = "datetime" },
                new { code = "FASTING", label = "Fasting", type = "boolean" },
                new { code = "POSITION", label = "Position", type = "choice", codeList = new[] { new { code = "SIT", label = "Sitting" }, new { code = "LIE", label = "Lying" } } },
                new { code = "SYMPTOMS", label = "Symptoms", type = "multiChoice", codeList = new[] { new { code = "DIZZY", label = "Dizziness" }, new { code = "NAUSEA", label = "Nausea" } } },
                new { code = "HALF", label = "Half the weight", type = "calculated", units = "kg", expression = "round(WEIGHT / 2, 1)" },
                new { code = "TACHY", label = "Tachycardia noted", type = "text", showIf = "HR > 100" },
                new { code = "NOHR", label = "Heart rate measured", type = "text", showIf = "not (isblank(HR))" },
            },
        },
        new
        {
            code = "CM",
            name = "Concomitant medications",
            log = true,
            items = new object[]
            {
                new { code = "MED", label = "Medication", type = "text", required = true, maxLength = 100 },
                new { code = "START", label = "Start date", type = "date" },
            },
        },
    ];

    private static readonly string[] BuiltInForms = ["MRSS", "INFUSION", "AE"];

    [Fact]
    public void TheImportedDocument_IsValidOdm() => Edc.Api.Tests.Odm.OdmSchema.Validated(Document);

    [Fact]
    public async Task ImportForms_OdmDocument_AddsItsFormsAsDefineFormWould_AndSkipsTheOnesEveryTrialHas()
    {
        var admin = await api.AdminAsync();
        var imported = await TrialAsync(admin);
        var defined = await TrialAsync(admin);

        var response = await admin.PostAsync($"/api/trials/{imported}/forms/import", Xml(Document));
        foreach (var form in SameFormsAsJson)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/trials/{defined}/forms", form, AsWritten)).StatusCode);
        }

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal($"/api/trials/{imported}/forms", response.Headers.Location?.OriginalString);
        var answer = await response.JsonAsync();
        Assert.Equal(["VS 1", "CM 1"], answer.GetProperty("forms").EnumerateArray().Select(f => $"{f.GetProperty("code").GetString()} {f.GetProperty("version").GetInt32()}"));
        Assert.Equal(["MRSS", "RANDOMIZATION"], answer.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
        Assert.All(answer.GetProperty("skipped").EnumerateArray(), s => Assert.Contains("Every trial has this form", s.GetProperty("reason").GetString()));

        var forms = await admin.GetJsonAsync($"/api/trials/{imported}/forms");
        Assert.Equal([.. BuiltInForms, "VS", "CM"], Codes(forms));
        Assert.Equal((await admin.GetJsonAsync($"/api/trials/{defined}/forms")).GetRawText(), forms.GetRawText());
        var weight = forms[3].GetProperty("items")[2];
        Assert.Equal("kg", weight.GetProperty("units").GetString());
        Assert.Equal(40.5m, weight.GetProperty("softRange").GetProperty("min").GetDecimal());
        Assert.DoesNotContain(forms[3].GetProperty("items").EnumerateArray(), i => i.GetProperty("code").GetString() == "OLD");
        Assert.True(await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE trial_id = @p AND entity_type = 'TrialForm'", imported) > 0);
    }

    [Fact]
    public async Task ImportForms_OfAnExistingCode_AddsItsNextVersion()
    {
        var admin = await api.AdminAsync();
        var trialId = await TrialAsync(admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/trials/{trialId}/forms/import", Xml(Document))).StatusCode);

        var again = await admin.PostAsync($"/api/trials/{trialId}/forms/import", Xml(Document.Replace(">Weight<", ">Body weight<", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(["VS 2", "CM 2"], (await again.JsonAsync()).GetProperty("forms").EnumerateArray().Select(f => $"{f.GetProperty("code").GetString()} {f.GetProperty("version").GetInt32()}"));
        var vs = (await admin.GetJsonAsync($"/api/trials/{trialId}/forms")).EnumerateArray().Single(f => f.GetProperty("code").GetString() == "VS");
        Assert.Equal(2, vs.GetProperty("version").GetInt32());
        Assert.Equal("Body weight", vs.GetProperty("items")[2].GetProperty("label").GetString());
    }

    public static TheoryData<string, string, string, string> Refusals() => new()
    {
        {
            """<RangeCheck Comparator="LE" SoftHard="Hard"><CheckValue>200</CheckValue>""",
            """<RangeCheck Comparator="IN" SoftHard="Hard"><CheckValue>60</CheckValue><CheckValue>200</CheckValue>""",
            "FormDef[@OID='F.VS']/ItemDef[@OID='I.VS.HR']/RangeCheck[@Comparator='IN']", "Comparator IN is not supported"
        },
        {
            """Name="NOTE" DataType="text" Length="200">""", """Name="NOTE" DataType="hexBinary" Length="200">""",
            "FormDef[@OID='F.VS']/ItemDef[@OID='I.VS.NOTE']", "DataType hexBinary is not supported"
        },
        {
            """<FormalExpression Context="Edc">round(WEIGHT / 2, 1)</FormalExpression>""", """<FormalExpression Context="XPath">round(WEIGHT / 2, 1)</FormalExpression>""",
            "FormDef[@OID='F.VS']/MethodDef[@OID='MT.VS.HALF']/FormalExpression", "FormalExpression Context 'XPath' is not supported"
        },
        {
            """<FormalExpression Context="Edc">isblank(HR)</FormalExpression>""", """<FormalExpression Context="Edc">isblank(HR</FormalExpression>""",
            "FormDef[@OID='F.VS']/ConditionDef[@OID='CD.VS.NOHR']/FormalExpression", "The expression cannot be read"
        },
        {
            """<CodeList OID="CL.VS.POSITION" Name="Position" DataType="text">""",
            """<CodeList OID="CL.VS.POSITION" Name="Position" DataType="text"><ExternalCodeList Dictionary="POSITIONS" Version="1"/></CodeList><CodeList OID="CL.UNUSED" Name="Unused" DataType="text">""",
            "FormDef[@OID='F.VS']/CodeList[@OID='CL.VS.POSITION']/ExternalCodeList", "ExternalCodeList"
        },
        {
            """MethodOID="MT.VS.HALF"/>""", """MethodOID="MT.VS.NONE"/>""",
            "FormDef[@OID='F.VS']/ItemGroupDef[@OID='IG.VS']/ItemRef[@ItemOID='I.VS.HALF']", "No MethodDef has the OID MT.VS.NONE"
        },
        {
            """CollectionExceptionConditionOID="CD.VS.TACHY"/>""", """CollectionExceptionConditionOID="CD.VS.NONE"/>""",
            "FormDef[@OID='F.VS']/ItemGroupDef[@OID='IG.VS']/ItemRef[@ItemOID='I.VS.TACHY']", "No ConditionDef has the OID CD.VS.NONE"
        },
        {
            """<CodeListRef CodeListOID="CL.VS.POSITION"/>""", """<CodeListRef CodeListOID="CL.VS.NONE"/>""",
            "FormDef[@OID='F.VS']/ItemDef[@OID='I.VS.POSITION']/CodeListRef[@CodeListOID='CL.VS.NONE']", "No CodeList has the OID CL.VS.NONE"
        },
        {
            """<ItemRef ItemOID="I.CM.START" """, """<ItemRef ItemOID="I.CM.NONE" """,
            "FormDef[@OID='F.CM']/ItemGroupDef[@OID='IG.CM']/ItemRef[@ItemOID='I.CM.NONE']", "No ItemDef has the OID I.CM.NONE"
        },
        {
            """<ItemGroupRef ItemGroupOID="IG.CM" """, """<ItemGroupRef ItemGroupOID="IG.NONE" """,
            "FormDef[@OID='F.CM']/ItemGroupRef[@ItemGroupOID='IG.NONE']", "No ItemGroupDef has the OID IG.NONE"
        },
        {
            """<MeasurementUnitRef MeasurementUnitOID="MU.kg"/>""", """<MeasurementUnitRef MeasurementUnitOID="MU.lb"/>""",
            "FormDef[@OID='F.VS']/ItemDef[@OID='I.VS.WEIGHT']/MeasurementUnitRef[@MeasurementUnitOID='MU.lb']", "No MeasurementUnit"
        },
        {
            // The domain's own check: a soft range reaching beyond the range.
            """<RangeCheck Comparator="LE" SoftHard="Soft"><CheckValue>150</CheckValue>""", """<RangeCheck Comparator="LE" SoftHard="Soft"><CheckValue>400</CheckValue>""",
            "FormDef[@OID='F.VS'].items[2].softRange", "The soft range must lie inside the range"
        },
        {
            """<FormDef OID="F.CM" """, """<FormDef OID="cm medications" """,
            "FormDef[@OID='cm medications']", "A FormDef's OID is F.{code}"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ImportForms_WithWhatEdcCannotRepresent_Returns400NamingTheElement_AndAddsNothing(string valid, string refused, string key, string message)
    {
        var admin = await api.AdminAsync();
        var trialId = await TrialAsync(admin);
        Assert.Contains(valid, Document, StringComparison.Ordinal);

        var response = await admin.PostAsync($"/api/trials/{trialId}/forms/import", Xml(Document.Replace(valid, refused, StringComparison.Ordinal)));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), errors.GetRawText());
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        await AssertNothingAddedAsync(admin, trialId);
    }

    [Theory]
    [InlineData("VS,HR", "body", "not well-formed XML")]
    [InlineData("""<?xml version="1.0"?><Trial xmlns="urn:other"/>""", "ODM", "is not CDISC ODM 1.3.2")]
    [InlineData("""<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3"><AdminData/></ODM>""", "MetaDataVersion", "no Study with a MetaDataVersion")]
    [InlineData(
        """<?xml version="1.0"?><!DOCTYPE ODM [<!ENTITY secret SYSTEM "file:///etc/passwd">]><ODM xmlns="http://www.cdisc.org/ns/odm/v1.3">&secret;</ODM>""",
        "body", "DTD")]
    public async Task ImportForms_OfABodyThatIsNotAnOdmDocument_Returns400SayingSo(string body, string key, string message)
    {
        var admin = await api.AdminAsync();
        var trialId = await TrialAsync(admin);

        var response = await admin.PostAsync($"/api/trials/{trialId}/forms/import", Xml(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var messages = (await response.JsonAsync()).GetProperty("errors").GetProperty(key);
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        await AssertNothingAddedAsync(admin, trialId);
    }

    [Fact]
    public async Task ImportForms_ByAnotherRoleThanAdmin_Returns403_AndAddsNothing()
    {
        var admin = await api.AdminAsync();
        var trialId = await TrialAsync(admin);
        var dataManager = await api.ClientForNewUserAsync(admin, "DataManager");

        var response = await dataManager.PostAsync($"/api/trials/{trialId}/forms/import", Xml(Document));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        await AssertNothingAddedAsync(admin, trialId);
    }

    [Theory]
    [InlineData("not (HR > 100)", "HR > 100")]
    [InlineData("not ( (A > 1) and (B < 2) )", "(A > 1) and (B < 2)")]
    [InlineData("not ('(' = A)", "'(' = A")]
    [InlineData("not (A > 1) and not (B < 2)", null)]
    [InlineData("not A", null)]
    [InlineData("isblank(HR)", null)]
    public void NegatedOperand_IsTheShowIfOfAConditionWrittenNotParenthesized(string condition, string? showIf) =>
        Assert.Equal(showIf, OdmFormReader.NegatedOperand(condition));

    private async Task AssertNothingAddedAsync(HttpClient admin, Guid trialId)
    {
        Assert.Equal(BuiltInForms, Codes(await admin.GetJsonAsync($"/api/trials/{trialId}/forms")));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE trial_id = @p AND entity_type = 'TrialForm'", trialId));
    }

    private static IEnumerable<string?> Codes(JsonElement forms) => forms.EnumerateArray().Select(f => f.GetProperty("code").GetString());

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    private static async Task<Guid> TrialAsync(HttpClient admin)
    {
        var code = "ODM-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var response = await admin.PostAsJsonAsync("/api/trials", new
        {
            code,
            title = "Import target " + code,
            arms = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "B", name = "Control", ratio = 1 } },
            visitDefinitions = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = Array.Empty<string>(), forms = new[] { "INFUSION" } } },
            eligibilityCriteria = new[] { new { code = "ADULT", kind = "Inclusion", text = "Aged 18 or older" } },
            stratificationFactors = Array.Empty<object>(),
            sites = new[] { new { code = "S1", name = "Site one" } },
        }, AsWritten);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}

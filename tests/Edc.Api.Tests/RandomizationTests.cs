using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Randomization;
using Npgsql;
using Xunit.Abstractions;

namespace Edc.Api.Tests;

/// <summary>
/// The randomization list (generated, imported, read, extended) and randomization itself: rules, strata, and allocation
/// strictly in list order under concurrency, on one API instance and on two sharing a database.
/// </summary>
public sealed class RandomizationTests(EdcApiFactory api, ITestOutputHelper output) : IClassFixture<EdcApiFactory>
{
    // Distinctive arm codes, so that a search of a response or audit row for them cannot match by accident.
    private const string ActiveArm = "ARMACTIVEX";
    private const string PlaceboArm = "ARMPLACEBOX";
    private const string Algorithm = "permuted-blocks-random-sizes/v1";
    private static readonly string[] ArmCodes = [ActiveArm, PlaceboArm];
    private static readonly string[] NonStatisticianRoles = ["Admin", "Coordinator", "Investigator", "DsmbMember", "Pharmacist"];

    private sealed record Setup(Guid TrialId, Guid SiteId, HttpClient Admin, HttpClient Coordinator, HttpClient Statistician);

    private sealed record SlotLine(string Stratum, int Sequence, string RandomizationNumber, string KitNumber, string ArmCode);

    // ---- The list: generation, reproducibility, reading ----

    [Fact]
    public async Task CreateList_WithSeed_Returns201AndGetServesTheListWithArmsAndGroupKey()
    {
        var setup = await SetupAsync(api);

        var response = await setup.Statistician.PostAsJsonAsync(
            ListPath(setup.TrialId), new { seed = 4242L, blockSizes = new[] { 2, 4 }, slotsPerStratum = 20 });

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal(ListPath(setup.TrialId), response.Headers.Location?.OriginalString);
        var created = await response.JsonAsync();
        Assert.Equal(Algorithm, created.GetProperty("algorithm").GetString());
        Assert.Equal("4242", created.GetProperty("seed").GetString());
        var checksum = created.GetProperty("checksum").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", checksum);
        var slotCount = created.GetProperty("slots").GetInt32();
        Assert.InRange(slotCount, 40, 46);

        var list = await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId));
        Assert.Equal(checksum, list.GetProperty("checksum").GetString());
        Assert.Equal("4242", list.GetProperty("seed").GetString());
        Assert.Equal(Algorithm, list.GetProperty("algorithm").GetString());
        Assert.Equal([2, 4], list.GetProperty("blockSizes").EnumerateArray().Select(b => b.GetInt32()));
        var slots = list.GetProperty("slots").EnumerateArray().ToList();
        Assert.Equal(slotCount, slots.Count);
        Assert.All(slots, s => Assert.Contains(s.GetProperty("armCode").GetString(), ArmCodes));
        Assert.All(slots, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("participantId").ValueKind));
        Assert.Equal(["SEX=F", "SEX=M"], slots.Select(s => s.GetProperty("stratum").GetString()).Distinct());
        var groupKey = list.GetProperty("groupKey").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(["Group A", "Group B"], groupKey.Keys.Order());
        Assert.Equal(ArmCodes.Order(), groupKey.Values.Order());

        // The recorded checksum is the checksum of the list as served.
        Assert.Equal(checksum, ChecksumOf(list));
    }

    [Fact]
    public async Task CreateList_OnAnotherDatabaseWithTheSameOrTheRecordedSeed_GivesAnIdenticalList()
    {
        var here = await SetupAsync(api);
        var seeded = await here.Statistician.CreateListAsync(here.TrialId, seed: 987_654_321, slotsPerStratum: 30);
        var unseededHere = await SetupAsync(api);
        var drawn = await unseededHere.Statistician.CreateListAsync(unseededHere.TrialId, seed: null, slotsPerStratum: 30);

        // Without a seed, one is drawn and recorded.
        var drawnSeed = drawn.GetProperty("seed").GetString();
        Assert.False(string.IsNullOrEmpty(drawnSeed));
        Assert.True(long.Parse(drawnSeed, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.Equal(drawnSeed, (await unseededHere.Statistician.GetJsonAsync(ListPath(unseededHere.TrialId))).GetProperty("seed").GetString());
        Assert.NotEqual(seeded.GetProperty("checksum").GetString(), drawn.GetProperty("checksum").GetString());

        await using var elsewhere = new EdcApiFactory();
        await elsewhere.InitializeAsync();
        var there = await SetupAsync(elsewhere);
        var seededThere = await there.Statistician.CreateListAsync(there.TrialId, seed: 987_654_321, slotsPerStratum: 30);
        var redrawnThere = await SetupAsync(elsewhere);
        var regenerated = await redrawnThere.Statistician.CreateListAsync(
            redrawnThere.TrialId, seed: long.Parse(drawnSeed, System.Globalization.CultureInfo.InvariantCulture), slotsPerStratum: 30);

        Assert.Equal(seeded.GetProperty("checksum").GetString(), seededThere.GetProperty("checksum").GetString());
        Assert.Equal(drawn.GetProperty("checksum").GetString(), regenerated.GetProperty("checksum").GetString());
        var listHere = await here.Statistician.GetJsonAsync(ListPath(here.TrialId));
        var listThere = await there.Statistician.GetJsonAsync(ListPath(there.TrialId));
        Assert.Equal(SlotLines(listHere), SlotLines(listThere));
        Assert.Equal(listHere.GetProperty("groupKey").ToString(), listThere.GetProperty("groupKey").ToString());
        Assert.Equal(
            SlotLines(await unseededHere.Statistician.GetJsonAsync(ListPath(unseededHere.TrialId))),
            SlotLines(await redrawnThere.Statistician.GetJsonAsync(ListPath(redrawnThere.TrialId))));
    }

    [Fact]
    public async Task CreateList_WhenTheTrialHasAList_Returns409AndKeepsTheFirst()
    {
        var setup = await SetupAsync(api);
        var first = await setup.Statistician.CreateListAsync(setup.TrialId, seed: 1);

        var second = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId), new { seed = 2L, blockSizes = new[] { 2 }, slotsPerStratum = 10 });
        var imported = await setup.Statistician.PostAsync(ListPath(setup.TrialId) + "/import", Csv(CsvLines(("SEX=F", 1, "F-1", "KF1", ActiveArm))));

        await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("RandomizationListExists", (await second.JsonAsync()).GetProperty("rule").GetString());
        await imported.AssertProblemAsync(HttpStatusCode.Conflict);
        var list = await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId));
        Assert.Equal(first.GetProperty("checksum").GetString(), list.GetProperty("checksum").GetString());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_lists WHERE trial_id = @p", setup.TrialId));
    }

    [Fact]
    public async Task CreateList_WithInvalidParameters_IsRejectedAndStoresNothing()
    {
        var setup = await SetupAsync(api);

        var noSlots = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId), new { seed = 1L, blockSizes = new[] { 2, 4 } });
        var noBlocks = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId), new { seed = 1L, blockSizes = Array.Empty<int>(), slotsPerStratum = 10 });
        var oddBlock = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId), new { seed = 1L, blockSizes = new[] { 3 }, slotsPerStratum = 10 });

        await noSlots.AssertProblemAsync(HttpStatusCode.BadRequest);
        await noBlocks.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(oddBlock.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{(int)oddBlock.StatusCode}");
        Assert.Contains("BlockSizeInvalid", await oddBlock.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_lists WHERE trial_id = @p", setup.TrialId));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_slots WHERE trial_id = @p", setup.TrialId));
    }

    [Fact]
    public async Task ListEndpoints_ForEachNonStatisticianRole_Return403AndWriteNoReadAudit()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId);
        var readsBefore = await ReadAuditCountAsync(setup.TrialId);

        foreach (var role in NonStatisticianRoles)
        {
            var client = role == "Admin" ? setup.Admin : await api.ClientForNewUserAsync(setup.Admin, role, setup.SiteId);
            var read = await client.GetAsync(ListPath(setup.TrialId));
            await read.AssertProblemAsync(HttpStatusCode.Forbidden);
            var body = await read.Content.ReadAsStringAsync();
            Assert.DoesNotContain(ActiveArm, body, StringComparison.Ordinal);
            Assert.DoesNotContain(PlaceboArm, body, StringComparison.Ordinal);

            await (await client.PostAsJsonAsync(ListPath(setup.TrialId), new { seed = 1L, blockSizes = new[] { 2 }, slotsPerStratum = 4 }))
                .AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.PostAsJsonAsync(ListPath(setup.TrialId) + "/extension", new { stratum = "SEX=F", slots = 4 }))
                .AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.PostAsync(ListPath(setup.TrialId) + "/import", Csv(CsvLines(("SEX=F", 1, "F-1", "KF1", ActiveArm)))))
                .AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await api.Anonymous().GetAsync(ListPath(setup.TrialId))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(readsBefore, await ReadAuditCountAsync(setup.TrialId));
    }

    [Fact]
    public async Task ReadList_EachRead_WritesAnAuditRowThatCarriesNoArmOrSeed()
    {
        var setup = await SetupAsync(api);
        var (statisticianId, statisticianEmail) = await setup.Admin.CreateUserAsync(["UnblindedStatistician"]);
        var statistician = await api.LoginAsync(statisticianEmail, TestData.UserPassword);
        var created = await statistician.CreateListAsync(setup.TrialId, seed: 731_902_455);
        var listId = created.GetProperty("id").GetGuid().ToString();

        await statistician.GetJsonAsync(ListPath(setup.TrialId));
        await statistician.GetJsonAsync(ListPath(setup.TrialId));

        var rows = await AuditRowsAsync(setup.Admin, "entityType=RandomizationList&entityId=" + listId);
        var reads = rows.Where(r => r.GetProperty("action").GetString() == "Read").ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r =>
        {
            Assert.Equal("RandomizationList", r.GetProperty("entityType").GetString());
            Assert.Equal(statisticianId, r.GetProperty("userId").GetGuid());
            Assert.Equal(setup.TrialId, r.GetProperty("trialId").GetGuid());
        });
        Assert.Single(rows, r => r.GetProperty("action").GetString() == "RandomizationListCreated");

        // Nothing the Admin reads about the list tells an arm, the group key or the seed that reproduces them.
        var trialRows = await AuditRowsAsync(setup.Admin, string.Empty, setup.TrialId);
        foreach (var row in trialRows.Where(r => r.GetProperty("entityType").GetString() is "RandomizationList" or "RandomizationSlot"))
        {
            var text = row.ToString();
            Assert.DoesNotContain(ActiveArm, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PlaceboArm, text, StringComparison.Ordinal);
            Assert.DoesNotContain("731902455", text, StringComparison.Ordinal);
        }
    }

    // ---- Import ----

    [Fact]
    public async Task ImportList_WithValidCsv_Returns201WithChecksumAndIsUsedForRandomization()
    {
        var setup = await SetupAsync(api);
        var csv = CsvLines(
            ("SEX=F", 1, "F-001", "KIT-F1", PlaceboArm),
            ("SEX=F", 2, "F-002", "KIT-F2", ActiveArm),
            ("SEX=F", 3, "F-003", "KIT-F3", ActiveArm),
            ("SEX=M", 2, "M-002", "KIT-M2", ActiveArm),
            ("SEX=M", 1, "M-001", "KIT-M1", PlaceboArm));

        var response = await setup.Statistician.PostAsync(ListPath(setup.TrialId) + "/import", Csv(csv));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.JsonAsync();
        Assert.Equal("imported-csv/v1", created.GetProperty("algorithm").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("seed").ValueKind);
        Assert.Equal(5, created.GetProperty("slots").GetInt32());
        var checksum = created.GetProperty("checksum").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", checksum);

        var list = await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId));
        Assert.Equal(checksum, list.GetProperty("checksum").GetString());
        Assert.Equal(checksum, ChecksumOf(list));
        Assert.Equal(
            [
                new SlotLine("SEX=F", 1, "F-001", "KIT-F1", PlaceboArm), new SlotLine("SEX=F", 2, "F-002", "KIT-F2", ActiveArm),
                new SlotLine("SEX=F", 3, "F-003", "KIT-F3", ActiveArm), new SlotLine("SEX=M", 1, "M-001", "KIT-M1", PlaceboArm),
                new SlotLine("SEX=M", 2, "M-002", "KIT-M2", ActiveArm),
            ],
            SlotLines(list));

        var male = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "M");
        var randomized = await (await setup.Coordinator.RandomizeAsync(setup.TrialId, male)).JsonAsync();
        Assert.Equal("M-001", randomized.GetProperty("randomizationNumber").GetString());
        Assert.Equal("KIT-M1", randomized.GetProperty("kitNumber").GetString());

        // An imported list has no seed to extend from.
        var extension = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId) + "/extension", new { stratum = "SEX=M", slots = 2 });
        await extension.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string> BadCsvs => new()
    {
        { "unknown arm", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=F", 2, "F-2", "K2", "NOSUCHARM"), ("SEX=M", 1, "M-1", "K3", PlaceboArm)) },
        { "gap in sequence", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=F", 3, "F-3", "K2", PlaceboArm), ("SEX=M", 1, "M-1", "K3", PlaceboArm)) },
        { "repeated sequence", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=F", 1, "F-2", "K2", PlaceboArm), ("SEX=M", 1, "M-1", "K3", PlaceboArm)) },
        { "duplicate kit", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=F", 2, "F-2", "K2", PlaceboArm), ("SEX=M", 1, "M-1", "K1", PlaceboArm)) },
        { "duplicate number", CsvLines(("SEX=F", 1, "X-1", "K1", ActiveArm), ("SEX=F", 2, "F-2", "K2", PlaceboArm), ("SEX=M", 1, "X-1", "K3", PlaceboArm)) },
        { "unknown stratum", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=X", 1, "X-1", "K2", PlaceboArm)) },
        { "wrong header", "stratum,seq,randomizationNumber,kitNumber,armCode\nSEX=F,1,F-1,K1," + ActiveArm + "\n" },
        { "header only", "stratum,sequence,randomizationNumber,kitNumber,armCode\n" },
        { "short line", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm)) + "SEX=F,2,F-2\n" },
        { "stratum without slots", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=F", 2, "F-2", "K2", PlaceboArm)) },
        { "sequence not a number", CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm)) + "SEX=F,two,F-2,K2," + PlaceboArm + "\n" },
    };

    [Theory]
    [MemberData(nameof(BadCsvs))]
    public async Task ImportList_WithBadCsv_Returns400WithErrorsAndStoresNothing(string problem, string csv)
    {
        var setup = await SetupAsync(api);

        var response = await setup.Statistician.PostAsync(ListPath(setup.TrialId) + "/import", Csv(csv));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(), problem);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_lists WHERE trial_id = @p", setup.TrialId));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_slots WHERE trial_id = @p", setup.TrialId));
        await (await setup.Statistician.GetAsync(ListPath(setup.TrialId))).AssertProblemAsync(HttpStatusCode.NotFound);

        // Nothing half-stored blocks a correct import afterwards.
        var good = await setup.Statistician.PostAsync(
            ListPath(setup.TrialId) + "/import", Csv(CsvLines(("SEX=F", 1, "F-1", "K1", ActiveArm), ("SEX=M", 1, "M-1", "K2", PlaceboArm))));
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
    }

    // ---- Randomize: rules and strata ----

    [Fact]
    public async Task Randomize_WhenTheTrialHasNoList_Returns409NoRandomizationList()
    {
        var setup = await SetupAsync(api);
        var participant = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F");

        var response = await setup.Coordinator.RandomizeAsync(setup.TrialId, participant);

        await AssertRuleAsync(response, "NoRandomizationList");
        Assert.Equal("Enrolled", await StatusOfAsync(setup, participant));
    }

    [Fact]
    public async Task Randomize_WhenParticipantIsStillScreening_Returns409NotEnrolled()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId);
        var participant = await setup.Coordinator.RegisterAsync(setup.TrialId, setup.SiteId);

        var response = await setup.Coordinator.RandomizeAsync(setup.TrialId, participant);

        await AssertRuleAsync(response, "NotEnrolled");
        Assert.Equal("Screening", await StatusOfAsync(setup, participant));
        Assert.Equal(0L, await AllocatedCountAsync(api.ConnectionString, setup.TrialId));
    }

    [Fact]
    public async Task Randomize_WhenAlreadyRandomized_Returns409AndKeepsTheFirstSlot()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId);
        var participant = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F");
        var first = await (await setup.Coordinator.RandomizeAsync(setup.TrialId, participant)).JsonAsync();
        var investigator = await api.ClientForNewUserAsync(setup.Admin, "Investigator", setup.SiteId);

        var again = await investigator.RandomizeAsync(setup.TrialId, participant);

        await AssertRuleAsync(again, "AlreadyRandomized");
        var view = await setup.Coordinator.GetJsonAsync($"/api/trials/{setup.TrialId}/participants/{participant}");
        Assert.Equal(first.GetProperty("randomizationNumber").GetString(), view.GetProperty("randomizationNumber").GetString());
        Assert.Equal(1L, await AllocatedCountAsync(api.ConnectionString, setup.TrialId));
    }

    [Fact]
    public async Task Randomize_ByRolesOtherThanDataEntryOrAtAnotherSite_IsRefused()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId);
        var participant = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F");
        var otherSite = await setup.Admin.AddSiteAsync(setup.TrialId, "S2");
        var otherCoordinator = await api.ClientForNewUserAsync(setup.Admin, "Coordinator", otherSite);

        await (await setup.Statistician.RandomizeAsync(setup.TrialId, participant)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await setup.Admin.RandomizeAsync(setup.TrialId, participant)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await otherCoordinator.RandomizeAsync(setup.TrialId, participant)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await AllocatedCountAsync(api.ConnectionString, setup.TrialId));
    }

    [Fact]
    public async Task Randomize_ParticipantsOfEachStratum_DrawFromTheirOwnSequenceInListOrder()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId, seed: 77, slotsPerStratum: 8);
        var order = new[] { "F", "M", "F", "F", "M" };
        var participants = new List<Guid>();
        foreach (var sex in order)
        {
            participants.Add(await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, sex));
        }

        var results = new List<JsonElement>();
        foreach (var participant in participants)
        {
            var response = await setup.Coordinator.RandomizeAsync(setup.TrialId, participant);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(ActiveArm, body, StringComparison.Ordinal);
            Assert.DoesNotContain(PlaceboArm, body, StringComparison.Ordinal);
            results.Add(JsonDocument.Parse(body).RootElement);
        }

        Assert.Equal(
            ["01-0001", "02-0001", "01-0002", "01-0003", "02-0002"],
            results.Select(r => r.GetProperty("randomizationNumber").GetString()));

        // Kit numbers and allocations are those of the list's slots; the participant shows them, not the arm.
        var list = await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId));
        var slotsByNumber = list.GetProperty("slots").EnumerateArray().ToDictionary(s => s.GetProperty("randomizationNumber").GetString()!);
        for (var i = 0; i < participants.Count; i++)
        {
            var number = results[i].GetProperty("randomizationNumber").GetString()!;
            var slot = slotsByNumber[number];
            Assert.Equal(slot.GetProperty("kitNumber").GetString(), results[i].GetProperty("kitNumber").GetString());
            Assert.Equal(participants[i], slot.GetProperty("participantId").GetGuid());
            Assert.Equal(order[i] == "F" ? "SEX=F" : "SEX=M", slot.GetProperty("stratum").GetString());
            AssertSameMicrosecond(results[i].GetProperty("randomizedAt").GetDateTimeOffset(), slot.GetProperty("allocatedAt").GetDateTimeOffset());

            var view = await setup.Coordinator.GetJsonAsync($"/api/trials/{setup.TrialId}/participants/{participants[i]}");
            Assert.Equal("Randomized", view.GetProperty("status").GetString());
            Assert.Equal(number, view.GetProperty("randomizationNumber").GetString());
            Assert.Equal(results[i].GetProperty("kitNumber").GetString(), view.GetProperty("kitNumber").GetString());
            AssertSameMicrosecond(results[i].GetProperty("randomizedAt").GetDateTimeOffset(), view.GetProperty("randomizedAt").GetDateTimeOffset());
            Assert.False(view.TryGetProperty("arm", out _));
        }

        Assert.EndsWith("Z", results[0].GetProperty("randomizedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Randomize_WhenTheStratumIsExhausted_Returns409UntilTheStatisticianExtendsTheList()
    {
        var setup = await SetupAsync(api);
        var created = await CreateListAsync(setup, seed: 5, blockSizes: [2], slotsPerStratum: 2);
        var females = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            females.Add(await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F"));
        }

        var male = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "M");
        Assert.Equal(HttpStatusCode.OK, (await setup.Coordinator.RandomizeAsync(setup.TrialId, females[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await setup.Coordinator.RandomizeAsync(setup.TrialId, females[1])).StatusCode);

        var exhausted = await setup.Coordinator.RandomizeAsync(setup.TrialId, females[2]);

        var problem = await AssertRuleAsync(exhausted, "RandomizationListExhausted");
        Assert.Contains("extend", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("SEX=F", problem.GetProperty("stratum").GetString());
        Assert.Equal("Enrolled", await StatusOfAsync(setup, females[2]));
        // Another stratum is not affected.
        Assert.Equal("02-0001", (await (await setup.Coordinator.RandomizeAsync(setup.TrialId, male)).JsonAsync()).GetProperty("randomizationNumber").GetString());

        // Extension: statistician only, a known stratum, appended deterministically with a new checksum.
        await (await setup.Coordinator.PostAsJsonAsync(ListPath(setup.TrialId) + "/extension", new { stratum = "SEX=F", slots = 2 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId) + "/extension", new { stratum = "SEX=X", slots = 2 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var extension = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId) + "/extension", new { stratum = "SEX=F", slots = 2 });
        Assert.True(extension.StatusCode == HttpStatusCode.OK, await extension.Content.ReadAsStringAsync());
        var extended = await extension.JsonAsync();
        Assert.Equal("SEX=F", extended.GetProperty("stratum").GetString());
        Assert.Equal(2, extended.GetProperty("slotsAdded").GetInt32());
        var newChecksum = extended.GetProperty("checksum").GetString()!;
        Assert.NotEqual(created.GetProperty("checksum").GetString(), newChecksum);
        var list = await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId));
        Assert.Equal(newChecksum, list.GetProperty("checksum").GetString());
        Assert.Equal(newChecksum, ChecksumOf(list));
        Assert.Equal(
            ["01-0001", "01-0002", "01-0003", "01-0004"],
            list.GetProperty("slots").EnumerateArray().Where(s => s.GetProperty("stratum").GetString() == "SEX=F").Select(s => s.GetProperty("randomizationNumber").GetString()));

        var randomized = await setup.Coordinator.RandomizeAsync(setup.TrialId, females[2]);
        Assert.True(randomized.StatusCode == HttpStatusCode.OK, await randomized.Content.ReadAsStringAsync());
        Assert.Equal("01-0003", (await randomized.JsonAsync()).GetProperty("randomizationNumber").GetString());

        // The extension is audited, naming the stratum; neither the arms nor the checksum (sealed: it would confirm a guessed seed).
        var rows = await AuditRowsAsync(setup.Admin, "entityType=RandomizationList&entityId=" + created.GetProperty("id").GetGuid());
        var audited = Assert.Single(rows, r => r.GetProperty("action").GetString() == "RandomizationListExtended");
        Assert.DoesNotContain(newChecksum, audited.ToString(), StringComparison.Ordinal);
        Assert.Contains("SEX=F", audited.GetProperty("newValue").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ActiveArm, audited.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PlaceboArm, audited.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtendList_OnTwoDatabasesFromTheSameSeed_AppendsTheSameSlots()
    {
        var here = await SetupAsync(api);
        await CreateListAsync(here, seed: 31337, blockSizes: [2, 4], slotsPerStratum: 4);
        await using var elsewhere = new EdcApiFactory();
        await elsewhere.InitializeAsync();
        var there = await SetupAsync(elsewhere);
        await CreateListAsync(there, seed: 31337, blockSizes: [2, 4], slotsPerStratum: 4);

        var extendedHere = await (await here.Statistician.PostAsJsonAsync(ListPath(here.TrialId) + "/extension", new { stratum = "SEX=M", slots = 6 })).JsonAsync();
        var extendedThere = await (await there.Statistician.PostAsJsonAsync(ListPath(there.TrialId) + "/extension", new { stratum = "SEX=M", slots = 6 })).JsonAsync();

        Assert.Equal(extendedHere.GetProperty("checksum").GetString(), extendedThere.GetProperty("checksum").GetString());
        Assert.Equal(
            SlotLines(await here.Statistician.GetJsonAsync(ListPath(here.TrialId))),
            SlotLines(await there.Statistician.GetJsonAsync(ListPath(there.TrialId))));
    }

    [Fact]
    public async Task Randomize_WhenTheTrialIsLocked_Returns409TrialLocked()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId);
        var participant = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F");

        var locked = await setup.Admin.PostAsync($"/api/trials/{setup.TrialId}/lock", null);
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());
        var response = await setup.Coordinator.RandomizeAsync(setup.TrialId, participant);

        await AssertRuleAsync(response, "TrialLocked");
        Assert.Equal("Enrolled", await StatusOfAsync(setup, participant));
        Assert.Equal(0L, await AllocatedCountAsync(api.ConnectionString, setup.TrialId));

        // Nor may the list change once the database is locked.
        var checksum = (await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId))).GetProperty("checksum").GetString();
        var extension = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId) + "/extension", new { stratum = "SEX=F", slots = 2 });
        await AssertRuleAsync(extension, "TrialLocked");
        Assert.Equal(checksum, (await setup.Statistician.GetJsonAsync(ListPath(setup.TrialId))).GetProperty("checksum").GetString());
    }

    // ---- Concurrency ----

    [Fact]
    public async Task Randomize_With200ConcurrentRequests_AllocatesSequences1To200InListOrder()
    {
        const int Count = 200;
        var setup = await SetupAsync(api);
        var participants = await EnrollManyAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F", Count);
        await setup.Statistician.CreateListAsync(setup.TrialId, seed: 2026, slotsPerStratum: Count + 10);
        var clients = new List<HttpClient> { setup.Coordinator };
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await api.ClientForNewUserAsync(setup.Admin, i % 2 == 0 ? "Investigator" : "Coordinator", setup.SiteId));
        }

        var stopwatch = Stopwatch.StartNew();
        var responses = await FireTogetherAsync(participants.Select((p, i) => (clients[i % clients.Count], setup.TrialId, p)));
        stopwatch.Stop();
        output.WriteLine($"{Count} concurrent randomizations took {stopwatch.ElapsedMilliseconds} ms");

        var results = await SucceededAsync(responses);
        Assert.Equal(Count, results.Count);
        var numbers = results.Select(r => r.RandomizationNumber).ToList();
        Assert.Equal(Enumerable.Range(1, Count).Select(n => $"01-{n:D4}"), numbers.Order(StringComparer.Ordinal));
        Assert.Equal(Count, results.Select(r => r.KitNumber).Distinct().Count());

        // Strictly in list order: the later the allocation, the higher the sequence.
        var byTime = results.OrderBy(r => r.RandomizedAt).Select(r => r.RandomizationNumber).ToList();
        Assert.Equal(numbers.Order(StringComparer.Ordinal), byTime);
        Assert.Equal(Count, results.Select(r => r.RandomizedAt).Distinct().Count());

        await AssertAllocationsConsistentAsync(api.ConnectionString, setup.TrialId, "SEX=F", Count);
    }

    [Fact]
    public async Task Randomize_OnTwoInstancesConcurrently_AllocatesWithoutDuplicatesOrGaps()
    {
        const int Count = 60;
        var setup = await SetupAsync(api);
        var participants = await EnrollManyAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "M", Count);
        var females = await EnrollManyAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F", 20);
        var twice = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F");
        await setup.Statistician.CreateListAsync(setup.TrialId, seed: 11, slotsPerStratum: Count);

        await using var second = new EdcApiFactory().WithConnectionString(api.ConnectionString);
        await second.InitializeAsync();
        var (_, email) = await setup.Admin.CreateUserAsync(["Coordinator"], setup.SiteId);
        var onFirst = await api.LoginAsync(email, TestData.UserPassword);
        var onSecond = await second.LoginAsync(email, TestData.UserPassword);
        var clients = new[] { onFirst, onSecond };

        // Both strata at once, half of every stratum's requests on each instance, and one participant asked for ten times.
        var requests = participants.Concat(females).Select((p, i) => (clients[i % 2], setup.TrialId, p))
            .Concat(Enumerable.Range(0, 10).Select(i => (clients[i % 2], setup.TrialId, twice)));
        var responses = await FireTogetherAsync(requests);

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(Count + 20 + 1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(9, statuses.Count(s => s == HttpStatusCode.Conflict));
        await AssertAllocationsConsistentAsync(api.ConnectionString, setup.TrialId, "SEX=M", Count);
        await AssertAllocationsConsistentAsync(api.ConnectionString, setup.TrialId, "SEX=F", 21);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_slots WHERE participant_id = @p", twice));
    }

    [Fact]
    public async Task Randomize_SameParticipantConcurrently_SucceedsExactlyOnce()
    {
        var setup = await SetupAsync(api);
        await setup.Statistician.CreateListAsync(setup.TrialId, seed: 3);
        var participant = await EnrollAsync(setup.Coordinator, setup.TrialId, setup.SiteId, "F");
        var investigator = await api.ClientForNewUserAsync(setup.Admin, "Investigator", setup.SiteId);
        var clients = new[] { setup.Coordinator, investigator };

        var responses = await FireTogetherAsync(Enumerable.Range(0, 10).Select(i => (clients[i % 2], setup.TrialId, participant)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await AssertRuleAsync(refused, "AlreadyRandomized");
        }

        Assert.Equal(1L, await AllocatedCountAsync(api.ConnectionString, setup.TrialId));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_slots WHERE participant_id = @p", participant));
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
        Assert.Equal("01-0001", winner.GetProperty("randomizationNumber").GetString());
    }

    // ---- Helpers ----

    private static string ListPath(Guid trialId) => $"/api/trials/{trialId}/randomization-list";

    private static Dictionary<string, object> TrialBody(string code) => new()
    {
        ["code"] = code,
        ["title"] = "Randomization test " + code,
        ["arms"] = new[] { new { code = ActiveArm, name = "Active drug", ratio = 1 }, new { code = PlaceboArm, name = "Placebo", ratio = 1 } },
        ["visitDefinitions"] = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 2, procedures = new[] { "Infusion" } } },
        ["eligibilityCriteria"] = new[] { new { code = "AGE", kind = "Inclusion", text = "Aged 18 or over" } },
        ["stratificationFactors"] = new[] { new { code = "SEX", name = "Sex", levels = new[] { "F", "M" } } },
        ["sites"] = new[] { new { code = "S1", name = "Site one" } },
    };

    /// <summary>A new trial stratified by sex (F, M) with one site, a Coordinator there and an UnblindedStatistician.</summary>
    private static async Task<Setup> SetupAsync(EdcApiFactory factory)
    {
        var admin = await factory.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/trials", TrialBody("RND-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var trialId = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var siteId = (await admin.GetJsonAsync($"/api/trials/{trialId}/sites")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var coordinator = await factory.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await factory.ClientForNewUserAsync(admin, "UnblindedStatistician");
        return new Setup(trialId, siteId, admin, coordinator, statistician);
    }

    private static async Task<JsonElement> CreateListAsync(Setup setup, long seed, int[] blockSizes, int slotsPerStratum)
    {
        var response = await setup.Statistician.PostAsJsonAsync(ListPath(setup.TrialId), new { seed, blockSizes, slotsPerStratum });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static async Task<Guid> EnrollAsync(HttpClient coordinator, Guid trialId, Guid siteId, string sex)
    {
        var registered = await coordinator.PostAsJsonAsync($"/api/trials/{trialId}/participants", new { siteId, sex, birthYear = 1970 });
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var id = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        var enrolled = await coordinator.PostAsJsonAsync($"/api/trials/{trialId}/participants/{id}/enrollment", new
        {
            consentDate = "2026-01-15",
            eligibility = new Dictionary<string, bool> { ["AGE"] = true },
            strata = new Dictionary<string, string> { ["SEX"] = sex },
        });
        Assert.True(enrolled.StatusCode == HttpStatusCode.OK, await enrolled.Content.ReadAsStringAsync());
        return id;
    }

    private static async Task<List<Guid>> EnrollManyAsync(HttpClient coordinator, Guid trialId, Guid siteId, string sex, int count)
    {
        using var gate = new SemaphoreSlim(8);
        var tasks = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return await EnrollAsync(coordinator, trialId, siteId, sex);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return [.. await Task.WhenAll(tasks)];
    }

    /// <summary>Sends every request at the same moment (all wait on one signal) and answers the responses in request order.</summary>
    private static async Task<HttpResponseMessage[]> FireTogetherAsync(IEnumerable<(HttpClient Client, Guid TrialId, Guid ParticipantId)> requests)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(async r =>
        {
            await start.Task;
            return await r.Client.RandomizeAsync(r.TrialId, r.ParticipantId);
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    private sealed record Allocation(string RandomizationNumber, string KitNumber, DateTimeOffset RandomizedAt);

    private static async Task<List<Allocation>> SucceededAsync(IEnumerable<HttpResponseMessage> responses)
    {
        var results = new List<Allocation>();
        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            var json = JsonDocument.Parse(body).RootElement;
            results.Add(new Allocation(
                json.GetProperty("randomizationNumber").GetString()!, json.GetProperty("kitNumber").GetString()!, json.GetProperty("randomizedAt").GetDateTimeOffset()));
        }

        return results;
    }

    /// <summary>
    /// In the database: exactly sequences 1..count of the stratum are allocated, each to a different participant, none twice,
    /// in increasing allocation time, and each participant carries its slot's number, kit and time.
    /// </summary>
    private static async Task AssertAllocationsConsistentAsync(string cs, Guid trialId, string stratum, int count)
    {
        var rows = new List<(int Sequence, DateTime AllocatedAt, Guid ParticipantId)>();
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT sequence, allocated_at, participant_id FROM randomization_slots WHERE trial_id = @t AND stratum_key = @s AND participant_id IS NOT NULL ORDER BY sequence",
                connection);
            command.Parameters.AddWithValue("t", trialId);
            command.Parameters.AddWithValue("s", stratum);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt32(0), reader.GetDateTime(1), reader.GetGuid(2)));
            }
        }

        Assert.Equal(Enumerable.Range(1, count), rows.Select(r => r.Sequence));
        Assert.Equal(count, rows.Select(r => r.ParticipantId).Distinct().Count());
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i].AllocatedAt > rows[i - 1].AllocatedAt, $"Sequence {rows[i].Sequence} was allocated no later than {rows[i - 1].Sequence}.");
        }

        Assert.Equal(0L, await ScalarAsync(cs, """
            SELECT count(*) FROM (SELECT participant_id FROM randomization_slots
            WHERE trial_id = @t AND participant_id IS NOT NULL GROUP BY participant_id HAVING count(*) > 1) twice
            """, trialId, stratum));
        Assert.Equal((long)count, await ScalarAsync(cs, """
            SELECT count(*) FROM participants p JOIN randomization_slots s ON s.participant_id = p.id
            WHERE p.randomization_number = s.randomization_number AND p.kit_number = s.kit_number
              AND p.randomized_at = s.allocated_at AND p.status = 'Randomized' AND p.stratum_key = s.stratum_key
              AND s.trial_id = @t AND p.trial_id = @t AND s.stratum_key = @s
            """, trialId, stratum));
        Assert.Equal((long)count, await ScalarAsync(
            cs, "SELECT count(*) FROM participants WHERE trial_id = @t AND stratum_key = @s AND randomization_number IS NOT NULL", trialId, stratum));
    }

    private static async Task<long> ScalarAsync(string cs, string sql, Guid trialId, string stratum)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("t", trialId);
        command.Parameters.AddWithValue("s", stratum);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The response carries the clock's 100 ns ticks; PostgreSQL keeps microseconds.</summary>
    private static void AssertSameMicrosecond(DateTimeOffset answered, DateTimeOffset stored) =>
        Assert.True(Math.Abs((answered - stored).Ticks) < TimeSpan.TicksPerMicrosecond, $"{answered:O} vs {stored:O}");

    private static Task<long> AllocatedCountAsync(string cs, Guid trialId) =>
        Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM randomization_slots WHERE trial_id = @p AND participant_id IS NOT NULL", trialId);

    private Task<long> ReadAuditCountAsync(Guid trialId) => Sql.ScalarAsync<long>(
        api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE trial_id = @p AND action = 'Read' AND entity_type = 'RandomizationList'", trialId);

    private static async Task<string> StatusOfAsync(Setup setup, Guid participantId) =>
        (await setup.Coordinator.GetJsonAsync($"/api/trials/{setup.TrialId}/participants/{participantId}")).GetProperty("status").GetString()!;

    private static async Task<JsonElement> AssertRuleAsync(HttpResponseMessage response, string rule)
    {
        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        var problem = await response.JsonAsync();
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        var text = problem.ToString();
        Assert.DoesNotContain(ActiveArm, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PlaceboArm, text, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Every audit row of /api/audit (or of one trial) matching the query, all pages, as Admin.</summary>
    private static async Task<List<JsonElement>> AuditRowsAsync(HttpClient admin, string query, Guid? trialId = null)
    {
        var path = trialId is { } id ? $"/api/trials/{id}/audit" : "/api/audit";
        var rows = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await admin.GetJsonAsync($"{path}?pageSize=200&page={page}&{query}");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            rows.AddRange(items);
            if (items.Count == 0 || rows.Count >= body.GetProperty("total").GetInt32())
            {
                return rows;
            }
        }
    }

    private static List<SlotLine> SlotLines(JsonElement list) =>
        [.. list.GetProperty("slots").EnumerateArray().Select(s => new SlotLine(
            s.GetProperty("stratum").GetString()!, s.GetProperty("sequence").GetInt32(), s.GetProperty("randomizationNumber").GetString()!,
            s.GetProperty("kitNumber").GetString()!, s.GetProperty("armCode").GetString()!))];

    /// <summary>The checksum of a list as GET serves it, computed independently of the server's stored value.</summary>
    private static string ChecksumOf(JsonElement list) => BlockRandomizer.Checksum(
        list.GetProperty("algorithm").GetString()!,
        list.GetProperty("seed").ValueKind == JsonValueKind.Null ? null : list.GetProperty("seed").GetString(),
        list.GetProperty("blockSizes").EnumerateArray().Select(b => b.GetInt32()),
        list.GetProperty("slots").EnumerateArray().Select(s => new SlotSpec(
            s.GetProperty("stratum").GetString()!, s.GetProperty("sequence").GetInt32(), s.GetProperty("blockNumber").GetInt32(),
            s.GetProperty("blockSize").GetInt32(), s.GetProperty("randomizationNumber").GetString()!, s.GetProperty("kitNumber").GetString()!,
            s.GetProperty("armCode").GetString()!)));

    private static string CsvLines(params (string Stratum, int Sequence, string Number, string Kit, string Arm)[] lines) =>
        "stratum,sequence,randomizationNumber,kitNumber,armCode\n"
        + string.Concat(lines.Select(l => $"{l.Stratum},{l.Sequence},{l.Number},{l.Kit},{l.Arm}\n"));

    private static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");
}

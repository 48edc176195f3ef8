using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>
/// Visit windows over HTTP across a leap day, month ends and a year end: the API runs on a clock moved to the days under
/// test, so the schedule is laid out from a real randomization on that day, and visits and the worklist are judged as
/// they would be then. W2 is day 14 and W4 day 28, both 3 days either side; W52 is day 364, 14 days either side.
/// </summary>
public sealed class CalendarEdgeTests(MovedClockApiFactory api) : IClassFixture<MovedClockApiFactory>
{
    [Theory]
    [InlineData("2028-02-01", "2028-02-15", "2028-02-29", "2028-02-26", "2028-03-03", "2029-01-30")] // leap year: W4 on the 29th
    [InlineData("2027-02-01", "2027-02-15", "2027-03-01", "2027-02-26", "2027-03-04", "2028-01-31")] // common year: no 29th
    [InlineData("2028-01-31", "2028-02-14", "2028-02-28", "2028-02-25", "2028-03-02", "2029-01-29")] // from a month's last day
    [InlineData("2027-12-04", "2027-12-18", "2028-01-01", "2027-12-29", "2028-01-04", "2028-12-02")] // W4 on New Year's Day
    public async Task Randomize_OnACalendarEdge_CountsCalendarDaysFromDayZero(
        string dayZero, string week2, string week4, string week4Opens, string week4Closes, string week52)
    {
        var p = await RandomizedOnAsync(Day(dayZero));

        var visits = (await p.Coordinator.GetJsonAsync($"{p.Path}/visits")).EnumerateArray().ToDictionary(v => v.GetProperty("code").GetString()!);

        Assert.Equal(dayZero, visits["D0"].GetProperty("targetDate").GetString());
        Assert.Equal(week2, visits["W2"].GetProperty("targetDate").GetString());
        Assert.Equal((week4, week4Opens, week4Closes), Window(visits["W4"]));
        Assert.Equal(week52, visits["W52"].GetProperty("targetDate").GetString());
        Assert.Equal(Day(dayZero).AddDays(-28), Day(visits["SCR"].GetProperty("windowStart").GetString()!));
    }

    [Fact]
    public async Task CompleteWeek4_AtTheEdgesOfAWindowAcrossTheLeapDay_FlagsOnlyTheDaysOutsideIt()
    {
        var p = await RandomizedOnAsync(Day("2028-02-01"));
        var coordinator = await CoordinatorOnAsync(Day("2028-03-10"));
        var week4 = $"{p.Path}/visits/W4";

        var dayBefore = await coordinator.PutAsJsonAsync(week4, new { status = "Completed", actualDate = "2028-02-25" });
        var firstDay = await coordinator.PutWithIfMatchAsync(week4, new { status = "Completed", actualDate = "2028-02-26", reason = "Date corrected" }, TestData.ETagOf(dayBefore));
        var leapDay = await coordinator.PutWithIfMatchAsync(week4, new { status = "Completed", actualDate = "2028-02-29", reason = "Date corrected" }, TestData.ETagOf(firstDay));
        var lastDay = await coordinator.PutWithIfMatchAsync(week4, new { status = "Completed", actualDate = "2028-03-03", reason = "Date corrected" }, TestData.ETagOf(leapDay));
        var dayAfter = await coordinator.PutWithIfMatchAsync(week4, new { status = "Completed", actualDate = "2028-03-04", reason = "Date corrected" }, TestData.ETagOf(lastDay));

        var flags = await Task.WhenAll(new[] { dayBefore, firstDay, leapDay, lastDay, dayAfter }.Select(OutOfWindowAsync));
        Assert.Equal(new[] { true, false, false, false, true }, flags);
        Assert.Equal(2L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM protocol_deviations WHERE participant_id = @p AND kind = 'VisitOutOfWindow'", p.ParticipantId));
    }

    [Theory]
    [InlineData("2028-02-11", null, null)] // the window opens in 15 days: not yet listed
    [InlineData("2028-02-12", "Upcoming", 14)] // opens in 14 days
    [InlineData("2028-02-26", "Due", 6)] // first day of the window (through the 29th)
    [InlineData("2028-02-29", "Due", 3)]
    [InlineData("2028-03-03", "Due", 0)] // last day
    [InlineData("2028-03-04", "Overdue", 1)] // closed yesterday
    public async Task Worklist_AroundAWindowAcrossTheLeapDay_ListsWeek4AsTheDayRequires(string today, string? urgency, int? days)
    {
        var p = await RandomizedOnAsync(Day("2028-02-01"));
        var coordinator = await CoordinatorOnAsync(Day(today));

        var item = (await WorklistAsync(coordinator, p.TrialId)).SingleOrDefault(i =>
            i.GetProperty("participantId").GetGuid() == p.ParticipantId && i.GetProperty("visitCode").GetString() == "W4");

        if (urgency is null)
        {
            Assert.Equal(JsonValueKind.Undefined, item.ValueKind);
            return;
        }

        Assert.Equal(urgency, item.GetProperty("urgency").GetString());
        var count = urgency switch { "Upcoming" => "daysUntilWindowOpens", "Due" => "daysLeft", _ => "daysOverdue" };
        Assert.Equal(days, item.GetProperty(count).GetInt32());
    }

    [Fact]
    public async Task Worklist_AroundAWindowAcrossTheEndOfFebruaryOfACommonYear_TurnsOverdueTheDayAfterItCloses()
    {
        // Day 0 on 15 February 2027: W2's window is 26 February to 4 March, W2 on 1 March.
        var p = await RandomizedOnAsync(Day("2027-02-15"));

        var onTheFourth = await WorklistAsync(await CoordinatorOnAsync(Day("2027-03-04")), p.TrialId);
        var onTheFifth = await WorklistAsync(await CoordinatorOnAsync(Day("2027-03-05")), p.TrialId);

        Assert.Equal("Due", Week2(onTheFourth).GetProperty("urgency").GetString());
        Assert.Equal("Overdue", Week2(onTheFifth).GetProperty("urgency").GetString());

        JsonElement Week2(List<JsonElement> items) =>
            items.Single(i => i.GetProperty("participantId").GetGuid() == p.ParticipantId && i.GetProperty("visitCode").GetString() == "W2");
    }

    /// <summary>A participant of the demonstration trial randomized on <paramref name="dayZero"/> by a new coordinator of its site.</summary>
    private async Task<RandomizedParticipant> RandomizedOnAsync(DateOnly dayZero)
    {
        api.Clock.SetToday(dayZero);
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync([Roles.Coordinator], await admin.DemoSiteIdAsync());
        return await api.RandomizedAsync(await api.LoginAsync(email, TestData.UserPassword));
    }

    /// <summary>Moves the API's clock to <paramref name="today"/> and signs in a new coordinator of the site (tokens are dated by it).</summary>
    private async Task<HttpClient> CoordinatorOnAsync(DateOnly today)
    {
        api.Clock.SetToday(today);
        var admin = await api.AdminAsync();
        return await api.ClientForNewUserAsync(admin, Roles.Coordinator, await admin.DemoSiteIdAsync());
    }

    private static async Task<List<JsonElement>> WorklistAsync(HttpClient client, Guid trialId)
    {
        var items = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await client.GetJsonAsync($"/api/trials/{trialId}/visit-worklist?page={page}&pageSize=200");
            items.AddRange(body.GetProperty("items").EnumerateArray());
            if (items.Count >= body.GetProperty("total").GetInt32())
            {
                return items;
            }
        }
    }

    private static async Task<bool> OutOfWindowAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("outOfWindow").GetBoolean();
    }

    private static (string?, string?, string?) Window(JsonElement visit) =>
        (visit.GetProperty("targetDate").GetString(), visit.GetProperty("windowStart").GetString(), visit.GetProperty("windowEnd").GetString());

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>An API whose clock a test moves to the day it needs (noon UTC, then running on).</summary>
public sealed class MovedClockApiFactory : EdcApiFactory
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>The API's own clock (<see cref="DatabaseClock"/>) shifted to a chosen day by whole microseconds.</summary>
public sealed class MovableClock : TimeProvider
{
    private readonly DatabaseClock _clock = new();
    private long _offsetTicks;

    public void SetToday(DateOnly day)
    {
        var offset = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero) - _clock.GetUtcNow();
        Interlocked.Exchange(ref _offsetTicks, offset.Ticks - (offset.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}

using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>A signed-in site user with a randomized participant at their site, set up over the API, for the site forms' tests.</summary>
public sealed record SiteStaff(string Email, HttpClient Client, RandomizedParticipant Participant)
{
    public static readonly string[] Areas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public string ParticipantPage => $"/trials/{Participant.TrialId}/participants/{Participant.ParticipantId}";

    public string Mrss(string visitCode) => $"{ParticipantPage}/visits/{visitCode}/mrss";

    public string ApiMrss(string visitCode) => $"{Participant.Path}/visits/{visitCode}/mrss";

    /// <summary>A new user of <paramref name="role"/> at the demonstration site, with a participant randomized there (by a coordinator).</summary>
    public static async Task<SiteStaff> CreateAsync(WebApp web, string role = Roles.Coordinator)
    {
        var (_, email) = await web.CreateUserAsync(role);
        var client = await web.Api.LoginAsync(email, TestData.UserPassword);
        var participant = await web.Api.RandomizedAsync(role == Roles.Coordinator ? client : null);
        return new SiteStaff(email, client, participant);
    }

    /// <summary>Records an MRSS over the API, every area scored <paramref name="score"/>.</summary>
    public async Task RecordMrssAsync(string visitCode, int score, string assessor = "Dr Baseline")
    {
        var response = await Client.PutAsJsonAsync(ApiMrss(visitCode), new
        {
            assessedOn = Today,
            assessorName = assessor,
            scores = Areas.ToDictionary(a => a, _ => score),
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task<IPage> SignedInPageAsync(WebApp web, string path)
    {
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, Email, TestData.UserPassword, path);
        Assert.Equal(path, new Uri(page.Url).AbsolutePath);
        return page;
    }
}

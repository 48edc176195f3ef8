using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Edc.Api.Features.Notifications;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Notifications;
using Edc.Domain.Security;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>
/// The notification outbox: a user reads their own notifications (GET /api/notifications), and the delivery job sends
/// them by mail when Edc:Smtp:Host is set, writes them to the log otherwise, and backs off and finally gives up when
/// sending fails. Delivery is run through its command, as the scheduled job runs it.
/// </summary>
public sealed class NotificationTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task List_AnswersOnlyTheCallersNotificationsNewestFirstPaged()
    {
        var admin = await api.AdminAsync();
        var (aliceId, aliceEmail) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var (bobId, bobEmail) = await admin.CreateUserAsync([Roles.Coordinator], await admin.DemoSiteIdAsync());
        var alices = new[] { await QueueAsync(api, aliceId, "first", ageSeconds: 30), await QueueAsync(api, aliceId, "second", ageSeconds: 20), await QueueAsync(api, aliceId, "third", ageSeconds: 10) };
        var bobs = await QueueAsync(api, bobId, "bob's", ageSeconds: 15);
        var alice = await api.LoginAsync(aliceEmail, TestData.UserPassword);
        var bob = await api.LoginAsync(bobEmail, TestData.UserPassword);

        var alicePage = await alice.GetJsonAsync("/api/notifications?pageSize=2");
        var aliceSecondPage = await alice.GetJsonAsync("/api/notifications?page=2&pageSize=2");
        var bobPage = await bob.GetJsonAsync("/api/notifications");

        Assert.Equal(3, alicePage.GetProperty("total").GetInt32());
        Assert.Equal(2, alicePage.GetProperty("pageSize").GetInt32());
        Assert.Equal([alices[2], alices[1], alices[0]], Ids(alicePage).Concat(Ids(aliceSecondPage)));
        Assert.Equal([bobs], Ids(bobPage));
        var item = Items(bobPage).Single();
        Assert.Equal("Test", item.GetProperty("kind").GetString());
        Assert.Equal("bob's", item.GetProperty("subject").GetString());
        Assert.Equal("Body of bob's", item.GetProperty("body").GetString());
        Assert.Equal("Pending", item.GetProperty("status").GetString());
        Assert.Equal(0, item.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("deliveredAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("trialId").ValueKind);
        Assert.False(item.TryGetProperty("lastError", out _));
        Assert.Equal(JsonValueKind.String, item.GetProperty("createdAt").ValueKind);
    }

    [Fact]
    public async Task Delivery_WithoutSmtpHost_LogsOneLinePerNotificationWithoutItsBodyAndMarksItDelivered()
    {
        var admin = await api.AdminAsync();
        var (userId, email) = await admin.CreateUserAsync([Roles.Investigator], await admin.DemoSiteIdAsync());
        var queued = new List<Guid>();
        for (var i = 0; i < DeliverNotifications.BatchSize + 5; i++)
        {
            queued.Add(await QueueAsync(api, userId, $"Logged {i}"));
        }

        await DeliverAsync(api);
        await DeliverAsync(api);

        foreach (var id in queued)
        {
            var lines = api.Logs.Lines.Where(l => l.Contains($"Notification {id} to", StringComparison.Ordinal)).ToList();
            var line = Assert.Single(lines);
            Assert.Contains(email, line, StringComparison.Ordinal);
            Assert.Contains("Test \"Logged ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Body of", line, StringComparison.Ordinal);
        }

        var user = await api.LoginAsync(email, TestData.UserPassword);
        var items = Items(await user.GetJsonAsync("/api/notifications?pageSize=200"));
        Assert.Equal(queued.Count, items.Count);
        Assert.All(items, n =>
        {
            Assert.Equal("Delivered", n.GetProperty("status").GetString());
            Assert.Equal(1, n.GetProperty("attempts").GetInt32());
            Assert.Equal(JsonValueKind.String, n.GetProperty("deliveredAt").ValueKind);
        });
    }

    [Fact]
    public async Task Delivery_WithSmtpHost_MailsTheRecipientsAddress()
    {
        await using var smtp = new FakeSmtpServer();
        var mailing = new EdcApiFactory().WithSetting("Edc:Smtp:Host", "127.0.0.1").WithSetting("Edc:Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture));
        await using var _ = mailing;
        await mailing.InitializeAsync();
        var admin = await mailing.AdminAsync();
        var (userId, email) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var id = await QueueAsync(mailing, userId, "By mail");

        await DeliverAsync(mailing);

        var (recipient, data) = Assert.Single(smtp.Messages);
        Assert.Equal(email, recipient);
        Assert.Contains("Subject: By mail", data, StringComparison.Ordinal);
        Assert.Contains("Body of By mail", data, StringComparison.Ordinal);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(mailing.ConnectionString, "SELECT count(*) FROM notifications WHERE id = @p AND delivered_at IS NOT NULL AND attempts = 1", id));
    }

    [Fact]
    public async Task Delivery_WhenSmtpUnreachable_RecordsTheErrorRetriesWithDoublingDelaysAndFinallyGivesUp()
    {
        var unreachable = new EdcApiFactory().WithSetting("Edc:Smtp:Host", "127.0.0.1").WithSetting("Edc:Smtp:Port", ClosedPort().ToString(CultureInfo.InvariantCulture));
        await using var _ = unreachable;
        await unreachable.InitializeAsync();
        var admin = await unreachable.AdminAsync();
        var (userId, email) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var id = await QueueAsync(unreachable, userId, "Unreachable");
        var user = await unreachable.LoginAsync(email, TestData.UserPassword);

        // First attempt: failed, retried a minute later.
        await DeliverAsync(unreachable);
        var first = await StateAsync(unreachable, id);
        Assert.Equal(1, first.Attempts);
        Assert.False(string.IsNullOrEmpty(first.LastError));
        Assert.Null(first.DeliveredAt);
        Assert.InRange(first.Delay!.Value.TotalSeconds, 59, 61);
        var pending = Items(await user.GetJsonAsync("/api/notifications")).Single();
        Assert.Equal("Pending", pending.GetProperty("status").GetString());
        Assert.Equal(first.LastError, pending.GetProperty("lastError").GetString());

        // Not due yet: another run does not try it.
        await DeliverAsync(unreachable);
        Assert.Equal(1, (await StateAsync(unreachable, id)).Attempts);

        // Due again: the second failure waits two minutes.
        await MakeDueAsync(unreachable, id);
        await DeliverAsync(unreachable);
        var second = await StateAsync(unreachable, id);
        Assert.Equal(2, second.Attempts);
        Assert.InRange(second.Delay!.Value.TotalSeconds, 119, 121);

        // The last attempt fails: given up, nothing due any more.
        await Sql.ExecuteAsync(unreachable.ConnectionString, $"UPDATE notifications SET attempts = {Notification.MaxAttempts - 1} WHERE id = @p", id);
        await MakeDueAsync(unreachable, id);
        await DeliverAsync(unreachable);
        var last = await StateAsync(unreachable, id);
        Assert.Equal(Notification.MaxAttempts, last.Attempts);
        Assert.Null(last.Delay);
        var failed = Items(await user.GetJsonAsync("/api/notifications")).Single();
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Contains(unreachable.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"Notification {id} not delivered", StringComparison.Ordinal) && l.Contains("given up", StringComparison.Ordinal));
    }

    /// <summary>Queues a notification (kind "Test") in the outbox, due now; the newest is the one with the smallest age.</summary>
    internal static async Task<Guid> QueueAsync(EdcApiFactory instance, Guid recipientId, string subject, int ageSeconds = 0)
    {
        var id = Guid.NewGuid();
        await Sql.ExecuteAsync(instance.ConnectionString, $"""
            INSERT INTO notifications (id, recipient_user_id, kind, subject, body, created_at, attempts, next_attempt_at)
            VALUES ('{id}', '{recipientId}', 'Test', @p, 'Body of ' || @p, now() - interval '{ageSeconds} seconds', 0, now() - interval '{ageSeconds} seconds')
            """, subject);
        return id;
    }

    internal static async Task DeliverAsync(EdcApiFactory instance)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeliverNotifications.Command());
    }

    private static async Task<(int Attempts, string? LastError, DateTimeOffset? DeliveredAt, TimeSpan? Delay)> StateAsync(EdcApiFactory instance, Guid id)
    {
        var row = await Sql.ScalarAsync<string>(instance.ConnectionString, """
            SELECT json_build_object('attempts', attempts, 'lastError', last_error, 'deliveredAt', delivered_at,
                'delaySeconds', extract(epoch FROM next_attempt_at - now()))::text
            FROM notifications WHERE id = @p
            """, id);
        var json = JsonDocument.Parse(row).RootElement;
        return (
            json.GetProperty("attempts").GetInt32(),
            json.GetProperty("lastError").GetString(),
            json.GetProperty("deliveredAt").ValueKind == JsonValueKind.Null ? null : json.GetProperty("deliveredAt").GetDateTimeOffset(),
            json.GetProperty("delaySeconds").ValueKind == JsonValueKind.Null ? null : TimeSpan.FromSeconds(json.GetProperty("delaySeconds").GetDouble()));
    }

    private static Task<int> MakeDueAsync(EdcApiFactory instance, Guid id) =>
        Sql.ExecuteAsync(instance.ConnectionString, "UPDATE notifications SET next_attempt_at = now() WHERE id = @p", id);

    /// <summary>A loopback port nothing listens on: connecting to it is refused at once.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static IEnumerable<Guid> Ids(JsonElement page) => Items(page).Select(i => i.GetProperty("id").GetGuid());
}

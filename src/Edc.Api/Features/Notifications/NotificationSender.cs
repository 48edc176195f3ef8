using System.Net;
using System.Net.Mail;
using Edc.Domain.Notifications;

namespace Edc.Api.Features.Notifications;

/// <summary>
/// Sends one notification by mail, or, with no mail server configured, writes it to the log: one line with the
/// recipient, kind and subject (a notification names no arm, and its body is not logged).
/// </summary>
public sealed class NotificationSender(IConfiguration configuration, ILogger<NotificationSender> logger)
{
    private readonly SmtpSettings _smtp = configuration.GetSection(SmtpSettings.Section).Get<SmtpSettings>() ?? new SmtpSettings();

    /// <exception cref="NotificationNotSentException">The mail server refused it, could not be reached or did not answer in time.</exception>
    public async Task SendAsync(Notification notification, string? recipientEmail, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_smtp.Host))
        {
            logger.LogInformation(
                "Notification {NotificationId} to {Recipient}: {Kind} \"{Subject}\"",
                notification.Id, recipientEmail ?? notification.RecipientUserId.ToString(), notification.Kind, notification.Subject);
            return;
        }

        if (string.IsNullOrWhiteSpace(recipientEmail))
        {
            throw new NotificationNotSentException("The recipient has no email address.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
        using var client = new SmtpClient(_smtp.Host, _smtp.Port) { EnableSsl = _smtp.EnableSsl };
        if (!string.IsNullOrEmpty(_smtp.UserName))
        {
            client.Credentials = new NetworkCredential(_smtp.UserName, _smtp.Password);
        }

        try
        {
            using var message = new MailMessage(_smtp.From, recipientEmail, notification.Subject, notification.Body);
            await client.SendMailAsync(message, timeout.Token);
        }
        catch (Exception e) when (e is SmtpException or FormatException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new NotificationNotSentException(e is OperationCanceledException
                ? $"The mail server {_smtp.Host}:{_smtp.Port} did not answer within {_smtp.TimeoutSeconds} s."
                : $"{e.Message}{(e.InnerException is { } inner ? " " + inner.Message : string.Empty)}");
        }
    }
}

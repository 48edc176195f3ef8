namespace Edc.Api.Features.Notifications;

/// <summary>Edc:Smtp: the mail server notifications go through. Without a host they are written to the log instead.</summary>
public sealed class SmtpSettings
{
    public const string Section = "Edc:Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public bool EnableSsl { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "edc@localhost";

    public int TimeoutSeconds { get; set; } = 30;
}

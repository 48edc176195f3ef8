namespace Edc.Api.Features.Notifications;

public sealed class NotificationNotSentException(string message) : Exception(message);

namespace Edc.Infrastructure.Database;

public sealed class LocalPostgresException(string message) : Exception(message);

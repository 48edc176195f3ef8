using Npgsql;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>Direct SQL against a test database, for checks and faults the API must not be able to cause itself.</summary>
public static class Sql
{
    /// <summary>The first column of the first row; <c>@p</c> in the statement is bound to <paramref name="parameter"/>.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, object? parameter = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameter);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement and answers how many rows it changed.</summary>
    public static async Task<int> ExecuteAsync(string connectionString, string sql, object? parameter = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameter);
        return await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object? parameter)
    {
        var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("p", parameter);
        }

        return command;
    }
}

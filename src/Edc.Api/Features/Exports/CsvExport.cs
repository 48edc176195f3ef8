namespace Edc.Api.Features.Exports;

/// <summary>
/// A CSV export, checked and audited, ready to stream: <see cref="WriteAsync"/> writes the rows to the response body
/// as the database returns them, so memory does not grow with the number of rows.
/// </summary>
public sealed record CsvExport(string FileName, Func<Stream, CancellationToken, Task> WriteAsync);

namespace Edc.Api.Features.Exports;

/// <summary>
/// An export, checked and audited, ready to stream: <see cref="WriteAsync"/> writes it to the response body as the
/// database returns the rows, so memory does not grow with the trial.
/// </summary>
public sealed record PreparedExport(string FileName, Func<Stream, CancellationToken, Task> WriteAsync, string ContentType = "text/csv; charset=utf-8");

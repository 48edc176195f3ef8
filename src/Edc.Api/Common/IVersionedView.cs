namespace Edc.Api.Common;

/// <summary>An answer showing one version of an editable record: its <see cref="Version"/> is the record's ETag.</summary>
public interface IVersionedView
{
    int Version { get; }
}

namespace Edc.Domain.Common;

/// <summary>Data that belongs to one site; site-scoped roles see it only for their own sites.</summary>
public interface ISiteScoped
{
    Guid SiteId { get; }
}

using Edc.Domain.Common;

namespace Edc.Domain.Trials;

/// <summary>A site of a trial. Site-scoped roles see the data of their sites only.</summary>
public sealed class Site : ITrialScoped, ISiteScoped
{
    private Site()
    {
    }

    internal Site(Guid trialId, string code, string name)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Code = code;
        Name = name;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    Guid ISiteScoped.SiteId => Id;
}

namespace Edc.Api.Features.AdverseEvents;

/// <summary>
/// The form's fields as a command carries them, so that field errors name the client's fields. The form's shape is
/// checked here; its consistency (grade 5 and death, seriousness and criteria, the dates) by the domain.
/// </summary>
public interface IAdverseEventForm
{
    AdverseEventBody Form { get; }
}

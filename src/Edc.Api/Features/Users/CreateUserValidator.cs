using Edc.Domain.Security;
using FluentValidation;

namespace Edc.Api.Features.Users;

public sealed class CreateUserValidator : AbstractValidator<CreateUser.Command>
{
    public CreateUserValidator()
    {
        RuleFor(c => c.Email).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(c => c.Password).NotEmpty().MinimumLength(12).MaximumLength(256);
        RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Roles).NotEmpty().WithMessage("A user needs at least one role.");
        RuleForEach(c => c.Roles).Must(Roles.IsKnown).WithMessage("'{PropertyValue}' is not a role. Roles: " + string.Join(", ", Roles.All) + ".");
        RuleFor(c => c.Roles).Must(r => Roles.AreSeparated(r!)).When(c => c.Roles is not null)
            .WithMessage("UnblindedStatistician and Pharmacist see arms: an account with one of them can have no other role.");
        RuleFor(c => c.Roles).Must(r => Roles.KeepReviewApartFromEntry(r!)).When(c => c.Roles is not null)
            .WithMessage("Monitors and DataManagers check the data that Coordinators and Investigators enter: one account cannot do both.");
        RuleFor(c => c.SiteIds)
            .NotEmpty()
            .When(c => c.Roles?.Any(Roles.SiteScoped.Contains) == true)
            .WithMessage("Coordinators, Investigators, Pharmacists and Monitors need at least one site.");
    }
}

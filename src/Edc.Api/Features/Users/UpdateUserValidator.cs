using Edc.Domain.Security;
using FluentValidation;

namespace Edc.Api.Features.Users;

public sealed class UpdateUserValidator : AbstractValidator<UpdateUser.Command>
{
    public UpdateUserValidator()
    {
        RuleFor(c => c.Roles).NotEmpty().When(c => c.Roles is not null).WithMessage("A user needs at least one role.");
        RuleForEach(c => c.Roles).Must(Roles.IsKnown).WithMessage("'{PropertyValue}' is not a role. Roles: " + string.Join(", ", Roles.All) + ".");
        RuleFor(c => c.Roles).Must(r => Roles.AreSeparated(r!)).When(c => c.Roles is not null)
            .WithMessage("UnblindedStatistician and Pharmacist see arms: an account with one of them can have no other role.");
        RuleFor(c => c.Roles).Must(r => Roles.KeepReviewApartFromEntry(r!)).When(c => c.Roles is not null)
            .WithMessage("Monitors and DataManagers check the data that Coordinators and Investigators enter: one account cannot do both.");
        RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(200).When(c => c.DisplayName is not null);
        RuleFor(c => c.Reason).MaximumLength(2000);
    }
}

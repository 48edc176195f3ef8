using Edc.Api.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Auth;

public static class Login
{
    [AnonymousRequest]
    public sealed record Command(string? Email, string? Password) : IRequest<TokenResponse>, ISignInAttempt
    {
        string? ISignInAttempt.Account => Email;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).NotEmpty().MaximumLength(256);
            RuleFor(c => c.Password).NotEmpty().MaximumLength(256);
        }
    }

    internal sealed class Handler(SignInCheck signIn, TokenIssuer tokens) : IRequestHandler<Command, TokenResponse>
    {
        public async Task<TokenResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var session = await signIn.OpenSessionAsync(command.Email!, command.Password!, tokens.RefreshTokenLifetime, cancellationToken);
            return tokens.Issue(session.UserId, session.Id, session.RefreshTokenId);
        }
    }
}

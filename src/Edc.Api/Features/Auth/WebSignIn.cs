using Edc.Api.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Auth;

/// <summary>The web's sign-in: the same check and session row as <see cref="Login"/>, the session's id going into a cookie.</summary>
public static class WebSignIn
{
    [AnonymousRequest]
    public sealed record Command(string? Email, string? Password) : IRequest<Session>, ISignInAttempt
    {
        string? ISignInAttempt.Account => Email;
    }

    public sealed record Session(Guid UserId, Guid SessionId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your email.").MaximumLength(256);
            RuleFor(c => c.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(256);
        }
    }

    internal sealed class Handler(SignInCheck signIn, WebSessionSettings settings) : IRequestHandler<Command, Session>
    {
        public async Task<Session> Handle(Command command, CancellationToken cancellationToken)
        {
            // The row lives only as long as the idle time; each request through the cookie renews it.
            var session = await signIn.OpenSessionAsync(command.Email!, command.Password!, settings.IdleTimeout, cancellationToken);
            return new Session(session.UserId, session.Id);
        }
    }
}

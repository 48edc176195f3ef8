using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Auth;

/// <summary>
/// Refuses a sign-in while its account or its address has failed too often, and counts failures only: a hospital's
/// users all come from one address, so their successful sign-ins must never use up its allowance. The API's endpoints and
/// the web's sign-in page both send their sign-ins through here.
/// </summary>
internal sealed class SignInLimitBehavior<TRequest, TResponse>(SignInLimits limits, IHttpContextAccessor http)
    : IPipelineBehavior<TRequest, TResponse>
    where TRequest : ISignInAttempt
{
    public async Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        limits.ThrowIfRefused(address, request.Account);
        try
        {
            return await next(cancellationToken);
        }
        catch (AuthenticationFailedException)
        {
            limits.CountFailure(address, request.Account);
            throw;
        }
    }
}

using Edc.Api.Common;
using Edc.Infrastructure.Security;
using MediatR;

namespace Edc.Api.Security;

/// <summary>
/// The second gate, behind each endpoint's and page's own authorization: every MediatR request is refused (403) unless its
/// type allows its sender (<see cref="RequestSenders"/>), before anything else of the pipeline runs. A page that draws a
/// form for a role the request does not allow, or any other way around an endpoint, still meets this one decision.
/// </summary>
public sealed class RequestSenderGate<TRequest, TResponse>(CurrentUser user, IHttpContextAccessor http, ILogger<RequestSenders> logger)
    : IPipelineBehavior<TRequest, TResponse>
    where TRequest : notnull
{
    // Read once per request type, when the first one is sent: a request costs a field read, not reflection.
    private static readonly RequestSenders Senders = RequestSenders.Of(typeof(TRequest));

    public Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        if (Senders.Allows(user, overHttp: http.HttpContext is not null))
        {
            return next(cancellationToken);
        }

        // The outer gates should have stopped it first: a refusal here is a gap in one of them, worth a look.
        logger.LogWarning(
            "Refused {Request} to {User} with roles {Roles}", typeof(TRequest).FullName, user.Id?.ToString() ?? "no user", string.Join(",", user.Roles));
        return Task.FromException<TResponse>(new ForbiddenException("Your role may not do this."));
    }
}

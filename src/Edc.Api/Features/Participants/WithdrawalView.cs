namespace Edc.Api.Features.Participants;

public sealed record WithdrawalView(DateOnly Date, string Reason);

namespace Edc.Api.Security;

public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

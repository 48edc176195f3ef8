namespace Edc.Api.Common;

/// <summary>The password entered again to confirm an act (an emergency unblinding) was wrong: 403, and the session stays valid.</summary>
public sealed class ReauthenticationFailedException() : Exception("The password is not correct.");

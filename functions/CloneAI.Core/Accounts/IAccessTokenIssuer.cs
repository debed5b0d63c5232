using CloneAI.Core.Domain;

namespace CloneAI.Core.Accounts;

/// <summary>Issues access tokens that the host's bearer validation accepts.</summary>
public interface IAccessTokenIssuer
{
    AccessToken Issue(User user);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

// Types that break the rules on purpose, for RuleSelfTests: each rule must be able to fail and name what broke it.

namespace CloneAI.Architecture.Tests.Fixtures.Cycle.First
{
    internal static class Alpha
    {
        // Used inside an async lambda, so the use sits in compiler-generated nested types.
        public static Func<Task<int>> Later() => async () =>
        {
            await Task.Yield();
            return Second.Beta.Value;
        };
    }
}

namespace CloneAI.Architecture.Tests.Fixtures.Cycle.Second
{
    internal static class Beta
    {
        public static int Value => 1;

        public static Type Back() => typeof(First.Alpha);
    }
}

namespace CloneAI.Architecture.Tests.Fixtures.Web
{
    internal sealed class ReadsTheRequest
    {
        public static string? Path(HttpContext context) => context.Request.Path.Value;
    }

    internal sealed class HashesAPassword
    {
        public static string Hash(string password) => new PasswordHasher<object>().HashPassword(new object(), password);
    }
}

using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CloneAI.Functions.Http;

/// <summary>One HTTP function, as its attributes declare it.</summary>
public sealed record HttpFunction(string Name, Type Class, MethodInfo Method, string Route, IReadOnlyList<string> Methods, ApiDocAttribute? Doc)
{
    /// <summary>The JSON request body record, if any.</summary>
    public Type? Body => Generic(typeof(AcceptsAttribute<>));

    /// <summary>The query-string record, if any.</summary>
    public Type? Query => Generic(typeof(QueryAttribute<>));

    public AcceptsFilesAttribute? Files => Method.GetCustomAttribute<AcceptsFilesAttribute>();

    public IReadOnlyList<IReturns> Returns => Method.GetCustomAttributes().OfType<IReturns>().OrderBy(r => r.Status).ToList();

    public ReturnsFileAttribute? File => Method.GetCustomAttribute<ReturnsFileAttribute>();

    public Type[]? Streams => Method.GetCustomAttribute<StreamsAttribute>()?.Frames;

    private Type? Generic(Type definition) =>
        Method.GetCustomAttributes().FirstOrDefault(a => a.GetType().IsGenericType && a.GetType().GetGenericTypeDefinition() == definition)
            ?.GetType().GetGenericArguments()[0];

    public IReadOnlyList<string> RouteParameters =>
        Route.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}').Split(':', '=')[0].TrimEnd('?')).ToList();
}

/// <summary>Finds every [Function] with an [HttpTrigger]: the one source of the route list for the local host and OpenAPI.</summary>
public static class RouteCatalog
{
    public static IReadOnlyList<HttpFunction> Discover(Assembly? assembly = null) =>
        (assembly ?? typeof(RouteCatalog).Assembly).GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(m => (t, m)))
            .Select(x => (x.t, x.m, fn: x.m.GetCustomAttribute<FunctionAttribute>(),
                trigger: x.m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.fn is not null && x.trigger is not null)
            .Select(x => new HttpFunction(
                x.fn!.Name, x.t, x.m,
                (x.trigger!.Route ?? x.fn.Name).Trim('/'),
                (x.trigger.Methods ?? ["get", "post"]).Select(v => v.ToUpperInvariant()).ToList(),
                x.m.GetCustomAttribute<ApiDocAttribute>()))
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .ThenBy(f => f.Methods[0], StringComparer.Ordinal)
            .ToList();
}

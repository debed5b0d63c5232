using System.Globalization;
using System.Reflection;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing.Template;

namespace CloneAI.Local.Hosting;

/// <summary>
/// Maps every HTTP function of CloneAI.Functions to <c>/api/{route}</c>, as the Functions host would: the same methods, route
/// template and route parameters, a new function-class instance per call from DI, and the returned IActionResult executed.
/// </summary>
public static class FunctionRoutes
{
    public const string Prefix = "api";

    public static IReadOnlyList<HttpFunction> Map(WebApplication app)
    {
        var functions = RouteCatalog.Discover();
        foreach (var function in functions)
        {
            var invoker = new Invoker(function);
            app.MapMethods($"/{Prefix}/{function.Route}", function.Methods, invoker.InvokeAsync)
                .WithName(function.Name)
                .WithDisplayName($"{string.Join('|', function.Methods)} /{Prefix}/{function.Route}");
        }

        // Anything else under /api is a problem+json 404, or a 405 when the path exists with other methods.
        var matchers = functions.Select(f => (f, matcher: new TemplateMatcher(TemplateParser.Parse($"{Prefix}/{f.Route}"), new RouteValueDictionary()))).ToList();
        app.Map($"/{Prefix}/{{**rest}}", async context =>
        {
            var allowed = matchers.Where(m => m.matcher.TryMatch(context.Request.Path, new RouteValueDictionary())).SelectMany(m => m.f.Methods).Distinct().ToList();
            var result = allowed.Count > 0
                ? Problems.Create(405, "Method not allowed", $"Use {string.Join(", ", allowed)} on this route.")
                : Problems.Create(404, "Not found", "No API route matches this path.");
            if (allowed.Count > 0) context.Response.Headers.Allow = string.Join(", ", allowed);
            await Execute(context, result);
        });
        return functions;
    }

    internal static Task Execute(HttpContext context, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));

    private sealed class Invoker
    {
        private readonly HttpFunction _function;
        private readonly ObjectFactory _factory;
        private readonly Func<HttpContext, object?>[] _arguments;

        public Invoker(HttpFunction function)
        {
            _function = function;
            _factory = ActivatorUtilities.CreateFactory(function.Class, Type.EmptyTypes);
            _arguments = function.Method.GetParameters().Select(Bind).ToArray();
        }

        public async Task InvokeAsync(HttpContext context)
        {
            var instance = _function.Method.IsStatic ? null : _factory(context.RequestServices, null);
            var args = new object?[_arguments.Length];
            for (var i = 0; i < args.Length; i++) args[i] = _arguments[i](context);
            var returned = LocalDurable.Invoke(_function.Method, instance, args);
            var result = returned switch
            {
                Task<IActionResult> task => await task,
                IActionResult r => r,
                _ => throw new InvalidOperationException($"{_function.Name} returned {returned?.GetType().Name ?? "null"}, not an IActionResult."),
            };
            await Execute(context, result);
            if (instance is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (instance is IDisposable disposable) disposable.Dispose();
        }

        private Func<HttpContext, object?> Bind(ParameterInfo parameter)
        {
            var type = parameter.ParameterType;
            if (type == typeof(HttpRequest)) return c => c.Request;
            if (type == typeof(CancellationToken)) return c => c.RequestAborted;
            if (type == typeof(Microsoft.DurableTask.Client.DurableTaskClient))
                return c => c.RequestServices.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
            var name = parameter.Name!;
            if (!_function.RouteParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{_function.Name}: the local host cannot bind parameter '{name}' of type {type.Name}.");
            var target = Nullable.GetUnderlyingType(type) ?? type;
            return c =>
            {
                var raw = c.Request.RouteValues[name]?.ToString();
                if (raw is null) return parameter.HasDefaultValue ? parameter.DefaultValue : null;
                return target == typeof(string) ? raw : Convert.ChangeType(raw, target, CultureInfo.InvariantCulture);
            };
        }
    }
}

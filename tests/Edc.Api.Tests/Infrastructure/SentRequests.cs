using System.Reflection;
using System.Runtime.CompilerServices;
using MediatR;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// The MediatR requests a piece of Edc.Api sends, read from its IL with Mono.Cecil: the request types it constructs (in its
/// body and its async state machine; for a page, in any type nested in it: lambdas, state machines) or takes as a
/// parameter (a body the endpoint binds).
/// </summary>
public static class SentRequests
{
    private static readonly Assembly Api = typeof(Program).Assembly;
    private static readonly Lazy<ModuleDefinition> Module = new(() => ModuleDefinition.ReadModule(Api.Location));

    // Cecil reads method bodies on demand and is not thread-safe; test classes run in parallel.
    private static readonly Lock Reading = new();

    /// <summary>What an endpoint's handler (a lambda or a method) sends; nothing for a handler outside Edc.Api.</summary>
    public static IReadOnlySet<Type> ByHandler(MethodInfo handler)
    {
        if (handler.Module.Assembly != Api)
        {
            return new HashSet<Type>();
        }

        var bodies = new List<MethodInfo> { handler };
        if (handler.GetCustomAttribute<AsyncStateMachineAttribute>() is { } async)
        {
            bodies.Add(async.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic)!);
        }

        lock (Reading)
        {
            return handler.GetParameters().Select(p => p.ParameterType).Where(IsRequest)
                .Concat(bodies.SelectMany(b => Constructed((MethodDefinition)Module.Value.LookupToken(b.MetadataToken))))
                .ToHashSet();
        }
    }

    /// <summary>What a component (a page) sends from any of its methods or those of the types nested in it.</summary>
    public static IReadOnlySet<Type> ByComponent(Type component)
    {
        lock (Reading)
        {
            var type = Module.Value.GetType(component.FullName) ?? throw new ArgumentException($"{component} is not a type of Edc.Api.", nameof(component));
            return WithNested(type).SelectMany(t => t.Methods).SelectMany(Constructed).ToHashSet();
        }
    }

    private static IEnumerable<TypeDefinition> WithNested(TypeDefinition type) => type.NestedTypes.SelectMany(WithNested).Prepend(type);

    private static IEnumerable<Type> Constructed(MethodDefinition method) =>
        method.HasBody
            ? method.Body.Instructions
                .Where(i => i.OpCode == OpCodes.Newobj)
                .Select(i => Api.GetType(((MethodReference)i.Operand).DeclaringType.FullName.Replace('/', '+')))
                .OfType<Type>()
                .Where(IsRequest)
            : [];

    private static bool IsRequest(Type type) => typeof(IBaseRequest).IsAssignableFrom(type);
}

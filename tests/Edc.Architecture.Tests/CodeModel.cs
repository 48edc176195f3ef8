using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Edc.Architecture.Tests;

/// <summary>
/// What each type of Edc's assemblies refers to, read from their IL with Mono.Cecil: the types it names (signatures,
/// bodies, attributes), the members it calls or reads, and its string literals (SQL). Compiler-made types (lambdas,
/// async state machines) count as their outermost declaring type, the one a developer wrote.
/// </summary>
public sealed class CodeModel
{
    public static readonly CodeModel Edc = new(typeof(Program).Assembly.Location, typeof(Infrastructure.Persistence.EdcDbContext).Assembly.Location,
        typeof(Domain.Trials.Trial).Assembly.Location);

    private CodeModel(params string[] assemblyPaths)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(assemblyPaths[0])!);
        var types = new Dictionary<string, TypeFacts>(StringComparer.Ordinal);
        foreach (var path in assemblyPaths)
        {
            using var module = ModuleDefinition.ReadModule(path, new ReaderParameters { AssemblyResolver = resolver });
            foreach (var type in module.GetTypes().Where(t => t.Name != "<Module>"))
            {
                var owner = type;
                while (owner.DeclaringType is not null)
                {
                    owner = owner.DeclaringType;
                }

                if (!types.TryGetValue(owner.FullName, out var facts))
                {
                    types[owner.FullName] = facts = new TypeFacts(owner.FullName, owner.Namespace);
                }

                Collect(type, facts);
            }
        }

        Types = [.. types.Values];
    }

    public IReadOnlyList<TypeFacts> Types { get; }

    public IEnumerable<TypeFacts> InNamespace(string prefix) =>
        Types.Where(t => t.Namespace == prefix || t.Namespace.StartsWith(prefix + ".", StringComparison.Ordinal));

    private static void Collect(TypeDefinition type, TypeFacts facts)
    {
        facts.AddType(type.BaseType);
        foreach (var i in type.Interfaces)
        {
            facts.AddType(i.InterfaceType);
        }

        foreach (var attribute in type.CustomAttributes)
        {
            facts.AddType(attribute.AttributeType);
        }

        foreach (var field in type.Fields)
        {
            facts.AddType(field.FieldType);
        }

        foreach (var property in type.Properties)
        {
            facts.AddType(property.PropertyType);
        }

        foreach (var method in type.Methods)
        {
            facts.AddType(method.ReturnType);
            foreach (var parameter in method.Parameters)
            {
                facts.AddType(parameter.ParameterType);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                facts.AddType(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case MethodReference called:
                        facts.AddMember(called.DeclaringType, called.Name);
                        facts.AddType(called.ReturnType);
                        if (called is GenericInstanceMethod generic)
                        {
                            generic.GenericArguments.ToList().ForEach(facts.AddType);
                        }

                        break;
                    case FieldReference field:
                        facts.AddMember(field.DeclaringType, field.Name);
                        facts.AddType(field.FieldType);
                        break;
                    case TypeReference named:
                        facts.AddType(named);
                        break;
                    case string text when instruction.OpCode == OpCodes.Ldstr:
                        facts.Strings.Add(text);
                        break;
                }
            }
        }
    }
}

public sealed class TypeFacts(string fullName, string @namespace)
{
    public string FullName { get; } = fullName;

    public string Namespace { get; } = @namespace;

    /// <summary>Namespaces of the types this type refers to.</summary>
    public HashSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>Members called or read, as "Declaring.Type::Name".</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Strings { get; } = new(StringComparer.Ordinal);

    public override string ToString() => FullName;

    internal void AddType(TypeReference? type)
    {
        while (type is TypeSpecification specification)
        {
            if (type is GenericInstanceType generic)
            {
                generic.GenericArguments.ToList().ForEach(AddType);
            }

            type = specification.ElementType;
        }

        if (type is null || type is GenericParameter)
        {
            return;
        }

        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        Namespaces.Add(type.Namespace);
    }

    internal void AddMember(TypeReference declaringType, string name)
    {
        var type = declaringType is GenericInstanceType generic ? generic.ElementType : declaringType;
        Members.Add(type.FullName + "::" + name);
        AddType(declaringType);
    }
}

using System.Reflection;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Edc.Api.Hosting.OpenApi;

/// <summary>
/// Which fields of the request bodies are required, as the validators say. Request records declare their fields nullable
/// so that a missing field is a field error of the validator, not a JSON error; by its C# type alone every field would
/// look optional (or, as a constructor parameter, required). A field is required when a rule of the validator of its
/// type, or of the command its body becomes (the <c>Command</c> declared next to a <c>Body</c>), refuses it missing
/// without a condition (see <see cref="RefusesMissing"/>).
/// </summary>
public sealed class RequestRequirements
{
    /// <summary>Per type, the fields each validator that checks fields of the type requires (a type may be shared by bodies).</summary>
    private readonly Dictionary<Type, Dictionary<IValidator, HashSet<string>>> requiredBy = [];
    private readonly Dictionary<Type, HashSet<string>> required = [];
    private readonly HashSet<Type> requestTypes = [];

    public RequestRequirements(IServiceProvider services, IApiDescriptionGroupCollectionProvider descriptions)
    {
        var seen = new HashSet<IValidator>(ReferenceEqualityComparer.Instance);
        foreach (var scanned in AssemblyScanner.FindValidatorsInAssembly(typeof(RequestRequirements).Assembly, includeInternalTypes: true))
        {
            if (services.GetService(scanned.InterfaceType) is IValidator validator)
            {
                Collect(validator, validator, seen);
            }
        }

        // A type checked by several validators (one body for creating and revising) requires what all of them require.
        foreach (var (type, byValidator) in requiredBy)
        {
            var names = new HashSet<string>(byValidator.Values.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var other in byValidator.Values.Skip(1))
            {
                names.IntersectWith(other);
            }

            required[type] = names;
        }

        foreach (var body in descriptions.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Source == BindingSource.Body)
            .Select(p => p.Type))
        {
            AddRequestType(body);
        }
    }

    /// <summary>Whether <paramref name="type"/> is sent in a request body (the body's type or the type of one of its fields).</summary>
    public bool IsRequestType(Type type) => requestTypes.Contains(type);

    /// <summary>
    /// Whether the field <paramref name="name"/> (C# or JSON name) of a request type must be sent: as its validators say,
    /// or those of the type it derives from (a body that adds to a form: the form's own rules name the form's type).
    /// </summary>
    public bool IsRequired(Type type, string name) =>
        (required.TryGetValue(type, out var own) && own.Contains(name))
        || (type.BaseType is { } baseType && baseType != typeof(object) && IsRequired(baseType, name))
        || (type.DeclaringType?.GetNestedType("Command") is { } command && command != type
            && required.TryGetValue(command, out var commands) && commands.Contains(name));

    private void AddRequestType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.Assembly.GetName().Name?.StartsWith("Edc.", StringComparison.Ordinal) != true)
        {
            foreach (var argument in type.IsArray ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [])
            {
                AddRequestType(argument);
            }

            return;
        }

        if (type.IsEnum || !requestTypes.Add(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            AddRequestType(property.PropertyType);
        }
    }

    private void Collect(IValidator root, IValidator validator, HashSet<IValidator> seen)
    {
        if (!seen.Add(validator))
        {
            return;
        }

        foreach (var rule in validator.CreateDescriptor().Rules)
        {
            if (rule.RuleSets is { Length: > 0 } sets && !sets.Contains(RulesetValidatorSelector.DefaultRuleSetName, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var component in rule.Components)
            {
                if (ChildValidator(component.Validator) is { } child)
                {
                    Collect(root, child, seen);
                }
            }

            if (rule.Member is not PropertyInfo property || IsCollectionRule(rule))
            {
                continue;
            }

            var owner = property.ReflectedType ?? property.DeclaringType!;
            if (!requiredBy.TryGetValue(owner, out var byValidator))
            {
                requiredBy[owner] = byValidator = new(ReferenceEqualityComparer.Instance);
            }

            if (!byValidator.TryGetValue(root, out var names))
            {
                byValidator[root] = names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            if (!rule.HasCondition && !rule.HasAsyncCondition
                && rule.Components.Any(c => !c.HasCondition && !c.HasAsyncCondition && RefusesMissing(c.Validator, property.PropertyType)))
            {
                names.Add(property.Name);
            }
        }
    }

    private static bool IsCollectionRule(IValidationRule rule) =>
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    /// <summary>The validator of a <c>SetValidator</c> or <c>ChildRules</c> (an instance, not one chosen per value).</summary>
    private static IValidator? ChildValidator(IPropertyValidator validator)
    {
        if (validator is not IChildValidatorAdaptor)
        {
            return null;
        }

        // GetValidator(ValidationContext<T>, TProperty): ChildRules hands out its one validator whatever the context says.
        var getValidator = validator.GetType().GetMethod("GetValidator", BindingFlags.Public | BindingFlags.Instance);
        if (getValidator?.GetParameters() is not [{ ParameterType: var contextType }, _])
        {
            return null;
        }

        try
        {
            var context = Activator.CreateInstance(contextType, [null]);
            return getValidator.Invoke(validator, [context, null]) as IValidator;
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MissingMethodException)
        {
            return null; // chosen per value from the validation context: nothing to describe.
        }
    }

    /// <summary>
    /// Whether the validator refuses the field when it is missing: null, or 0 for a number that is not nullable (a
    /// <c>NotNull</c>, a <c>NotEmpty</c>, a <c>Must</c> that wants a value, a range without 0). It is asked, with a command
    /// that is not there: a check that needs the rest of the command is a condition, and says nothing.
    /// </summary>
    private static bool RefusesMissing(IPropertyValidator validator, Type propertyType)
    {
        if (validator is INotNullValidator or INotEmptyValidator)
        {
            return true;
        }

        if (validator is IChildValidatorAdaptor
            || validator.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(m => m.Name == "IsValid" && m.ReturnType == typeof(bool) && m.GetParameters().Length == 2) is not { } isValid)
        {
            return false;
        }

        var parameters = isValid.GetParameters();
        var valueType = parameters[1].ParameterType;
        var missing = propertyType.IsValueType && Nullable.GetUnderlyingType(propertyType) is null ? Activator.CreateInstance(propertyType) : null;
        if (missing is null && valueType.IsValueType && Nullable.GetUnderlyingType(valueType) is null)
        {
            return false; // a check of a nullable number's value (InclusiveBetween of an int?): FluentValidation skips null.
        }

        try
        {
            var context = Activator.CreateInstance(parameters[0].ParameterType, [null]);
            return isValid.Invoke(validator, [context, missing]) is false;
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MissingMethodException or NotSupportedException)
        {
            return false;
        }
    }
}

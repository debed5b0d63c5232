using Mono.Cecil;
using Mono.Cecil.Cil;

namespace CloneAI.Architecture.Tests;

/// <summary>
/// Every type a type uses, read from its compiled IL with Cecil: base type, interfaces, attributes, member signatures, locals,
/// and every type, method and field a method body names. Nested types (lambdas, closures, async state machines) count for the
/// type that declares them, so a dependency is always reported against a type a person wrote.
/// </summary>
internal static class TypeDependencies
{
    /// <summary>The types <paramref name="type"/> and its nested types use, each as the outermost type it belongs to.</summary>
    public static IReadOnlySet<TypeReference> Of(TypeDefinition type)
    {
        var found = new HashSet<TypeReference>(TypeReferenceComparer.Instance);
        Collect(type, found);
        return found;
    }

    /// <summary>The type a nested type is declared in, all the way out (the namespace lives there).</summary>
    public static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    /// <summary>The name of the assembly that defines <paramref name="type"/> as the referencing module sees it.</summary>
    public static string AssemblyOf(TypeReference type) => Outermost(type).Scope switch
    {
        AssemblyNameReference assembly => assembly.Name,
        ModuleDefinition module => module.Assembly.Name.Name,
        var other => other.Name,
    };

    /// <summary>A readable name: <c>Namespace.Outer/Nested</c> becomes <c>Namespace.Outer</c> (see <see cref="Outermost"/>).</summary>
    public static string NameOf(TypeReference type) => Outermost(type).FullName;

    private static void Collect(TypeDefinition type, HashSet<TypeReference> found)
    {
        Add(type.BaseType, found);
        foreach (var i in type.Interfaces) Add(i.InterfaceType, found);
        Attributes(type, found);
        GenericConstraints(type, found);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType, found);
            Attributes(field, found);
        }
        foreach (var property in type.Properties)
        {
            Add(property.PropertyType, found);
            Attributes(property, found);
        }
        foreach (var e in type.Events)
        {
            Add(e.EventType, found);
            Attributes(e, found);
        }
        foreach (var method in type.Methods) Method(method, found);
        foreach (var nested in type.NestedTypes) Collect(nested, found);
    }

    private static void Method(MethodDefinition method, HashSet<TypeReference> found)
    {
        Add(method.ReturnType, found);
        Attributes(method, found);
        Attributes(method.MethodReturnType, found);
        GenericConstraints(method, found);
        foreach (var p in method.Parameters)
        {
            Add(p.ParameterType, found);
            Attributes(p, found);
        }
        if (!method.HasBody) return;
        foreach (var v in method.Body.Variables) Add(v.VariableType, found);
        foreach (var handler in method.Body.ExceptionHandlers) Add(handler.CatchType, found);
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference t:
                    Add(t, found);
                    break;
                case MethodReference m:
                    MethodReference(m, found);
                    break;
                case FieldReference f:
                    Add(f.DeclaringType, found);
                    Add(f.FieldType, found);
                    break;
                case CallSite site:
                    Add(site.ReturnType, found);
                    foreach (var p in site.Parameters) Add(p.ParameterType, found);
                    break;
            }
        }
    }

    private static void MethodReference(MethodReference method, HashSet<TypeReference> found)
    {
        Add(method.DeclaringType, found);
        Add(method.ReturnType, found);
        foreach (var p in method.Parameters) Add(p.ParameterType, found);
        if (method is GenericInstanceMethod generic)
            foreach (var argument in generic.GenericArguments) Add(argument, found);
    }

    private static void GenericConstraints(IGenericParameterProvider provider, HashSet<TypeReference> found)
    {
        foreach (var parameter in provider.GenericParameters)
            foreach (var constraint in parameter.Constraints) Add(constraint.ConstraintType, found);
    }

    private static void Attributes(ICustomAttributeProvider provider, HashSet<TypeReference> found)
    {
        if (!provider.HasCustomAttributes) return;
        foreach (var attribute in provider.CustomAttributes)
        {
            Add(attribute.AttributeType, found);
            foreach (var argument in attribute.ConstructorArguments) Argument(argument, found);
            foreach (var named in attribute.Properties.Concat(attribute.Fields)) Argument(named.Argument, found);
        }
    }

    private static void Argument(CustomAttributeArgument argument, HashSet<TypeReference> found)
    {
        Add(argument.Type, found);
        switch (argument.Value)
        {
            case TypeReference t: // typeof(...) in an attribute
                Add(t, found);
                break;
            case CustomAttributeArgument inner:
                Argument(inner, found);
                break;
            case CustomAttributeArgument[] items:
                foreach (var item in items) Argument(item, found);
                break;
        }
    }

    /// <summary>Adds a type and everything it is built from (generic arguments, array and pointer elements, modifiers).</summary>
    private static void Add(TypeReference? type, HashSet<TypeReference> found)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                Add(generic.ElementType, found);
                foreach (var argument in generic.GenericArguments) Add(argument, found);
                return;
            case IModifierType modified:
                Add(modified.ModifierType, found);
                Add(((TypeSpecification)type).ElementType, found);
                return;
            case FunctionPointerType pointer:
                Add(pointer.ReturnType, found);
                foreach (var p in pointer.Parameters) Add(p.ParameterType, found);
                return;
            case TypeSpecification specification: // arrays, by-refs, pointers, pinned, sentinels
                Add(specification.ElementType, found);
                return;
            default:
                found.Add(Outermost(type));
                return;
        }
    }

    /// <summary>Type references are compared by assembly and full name (Cecil makes one object per reference site).</summary>
    private sealed class TypeReferenceComparer : IEqualityComparer<TypeReference>
    {
        public static readonly TypeReferenceComparer Instance = new();

        public bool Equals(TypeReference? x, TypeReference? y) =>
            x is not null && y is not null && x.FullName == y.FullName && AssemblyOf(x) == AssemblyOf(y);

        public int GetHashCode(TypeReference obj) => HashCode.Combine(obj.FullName, AssemblyOf(obj));
    }
}

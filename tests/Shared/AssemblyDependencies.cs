using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CompilerLLM.Tests.Shared;

/// <summary>
/// What a built assembly depends on, read from its metadata without loading it: the assemblies it references, the
/// namespaces of its own types, and, for each of its namespaces, which of its other namespaces its types use
/// (base types, interfaces, fields, signatures, locals, and every type, method and field token in method bodies).
/// </summary>
public sealed class AssemblyDependencies
{
    private AssemblyDependencies(string name, IReadOnlySet<string> references, IReadOnlySet<string> namespaces,
        IReadOnlyDictionary<string, IReadOnlySet<string>> uses)
    {
        Name = name;
        References = references;
        Namespaces = namespaces;
        Uses = uses;
    }

    public string Name { get; }

    /// <summary>Names of the assemblies this one references.</summary>
    public IReadOnlySet<string> References { get; }

    /// <summary>Namespaces of the types defined here (compiler-generated and nested types count as their outer type's).</summary>
    public IReadOnlySet<string> Namespaces { get; }

    /// <summary>For each namespace defined here, the other namespaces defined here that its types use.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Uses { get; }

    public static AssemblyDependencies Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToHashSet(StringComparer.Ordinal);
        var scanner = new Scanner(md, pe);
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var handle in md.TypeDefinitions)
        {
            string from = scanner.NamespaceOf(handle);
            if (!uses.TryGetValue(from, out var set)) uses[from] = set = new HashSet<string>(StringComparer.Ordinal);
            foreach (string to in scanner.UsedBy(handle))
                if (to != from) set.Add(to);
        }
        var namespaces = uses.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var set in uses.Values) set.IntersectWith(namespaces);
        return new AssemblyDependencies(md.GetString(md.GetAssemblyDefinition().Name), references, namespaces,
            uses.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value, StringComparer.Ordinal));
    }

    /// <summary>Walks one type's definition and code for the namespaces of this assembly's types it mentions.</summary>
    private sealed class Scanner(MetadataReader md, PEReader pe) : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        private static readonly Dictionary<short, System.Reflection.Emit.OpCode> OpCodes = typeof(System.Reflection.Emit.OpCodes)
            .GetFields().Select(f => (System.Reflection.Emit.OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

        public string NamespaceOf(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            while (type.IsNested) type = md.GetTypeDefinition(type.GetDeclaringType());
            return md.GetString(type.Namespace);
        }

        public IEnumerable<string> UsedBy(TypeDefinitionHandle handle)
        {
            var found = new List<string>();
            var type = md.GetTypeDefinition(handle);
            found.AddRange(OfEntity(type.BaseType));
            foreach (var i in type.GetInterfaceImplementations()) found.AddRange(OfEntity(md.GetInterfaceImplementation(i).Interface));
            foreach (var f in type.GetFields()) found.AddRange(md.GetFieldDefinition(f).DecodeSignature(this, null));
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                var signature = method.DecodeSignature(this, null);
                found.AddRange(signature.ReturnType);
                foreach (var p in signature.ParameterTypes) found.AddRange(p);
                if (method.RelativeVirtualAddress != 0) found.AddRange(InBody(pe.GetMethodBody(method.RelativeVirtualAddress)));
            }
            return found;
        }

        private IEnumerable<string> InBody(MethodBodyBlock body)
        {
            var found = new List<string>();
            if (!body.LocalSignature.IsNil)
                foreach (var local in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null)) found.AddRange(local);
            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                short value = il.ReadByte();
                if (value == 0xFE) value = unchecked((short)(0xFE00 | il.ReadByte()));
                var op = OpCodes[value];
                switch (op.OperandType)
                {
                    case System.Reflection.Emit.OperandType.InlineMethod or System.Reflection.Emit.OperandType.InlineField
                        or System.Reflection.Emit.OperandType.InlineType or System.Reflection.Emit.OperandType.InlineTok:
                        found.AddRange(OfEntity(MetadataTokens.EntityHandle(il.ReadInt32())));
                        break;
                    case System.Reflection.Emit.OperandType.InlineSwitch:
                        int targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    default:
                        il.Offset += OperandSize(op.OperandType);
                        break;
                }
            }
            return found;
        }

        private static int OperandSize(System.Reflection.Emit.OperandType t) => t switch
        {
            System.Reflection.Emit.OperandType.InlineNone => 0,
            System.Reflection.Emit.OperandType.ShortInlineBrTarget or System.Reflection.Emit.OperandType.ShortInlineI
                or System.Reflection.Emit.OperandType.ShortInlineVar => 1,
            System.Reflection.Emit.OperandType.InlineVar => 2,
            System.Reflection.Emit.OperandType.InlineI8 or System.Reflection.Emit.OperandType.InlineR => 8,
            _ => 4,
        };

        private ImmutableArray<string> OfEntity(EntityHandle handle)
        {
            if (handle.IsNil) return [];
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [NamespaceOf((TypeDefinitionHandle)handle)];
                case HandleKind.TypeSpecification:
                    return md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    return [NamespaceOf(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())];
                case HandleKind.FieldDefinition:
                    return [NamespaceOf(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())];
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    return OfEntity(member.Parent);
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return [.. OfEntity(spec.Method), .. spec.DecodeSignature(this, null).SelectMany(t => t)];
                default:
                    return []; // type references: other assemblies
            }
        }

        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [NamespaceOf(handle)];
        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];
        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(t => t)];
        public ImmutableArray<string> GetGenericMethodParameter(object? context, int index) => [];
        public ImmutableArray<string> GetGenericTypeParameter(object? context, int index) => [];
        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(t => t)];
        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;
    }
}

namespace CompilerLLM.Build.EndToEnd.Tests;

/// <summary>The small C program the tests build: three translation units, an include folder, a definition, per-file options.</summary>
public static class Programs
{
    public const string Items = """
            <ClCompile Include="src/*.c" AdditionalIncludeDirectories="include" PreprocessorDefinitions="GREETING=&quot;hello&quot;;ROUNDS=3" />
            <ClCompile Update="src/digits.c" AdditionalOptions="-fno-strict-aliasing -funroll-loops" />
        """;

    public static void WriteSources(TestProject p)
    {
        p.Write("include/hash.h", """
            #include <stddef.h>
            #include <stdint.h>
            uint32_t fnv1a(const unsigned char *d, size_t n);
            int digits(unsigned v);
            int collatz_steps(unsigned long n);
            """);
        p.Write("src/hash.c", """
            #include "hash.h"
            uint32_t fnv1a(const unsigned char *d, size_t n)
            {
                uint32_t h = 2166136261u;
                for (size_t i = 0; i < n; i++) { h ^= d[i]; h *= 16777619u; }
                return h;
            }
            """);
        p.Write("src/digits.c", """
            #include "hash.h"
            int digits(unsigned v) { int n = 1; while (v >= 10) { v /= 10; n++; } return n; }
            int collatz_steps(unsigned long n)
            {
                int steps = 0;
                while (n != 1) { n = (n & 1) ? 3 * n + 1 : n / 2; steps++; }
                return steps;
            }
            """);
        p.Write("src/main.c", """
            #include <stdio.h>
            #include <string.h>
            #include "hash.h"
            int main(int argc, char **argv)
            {
                const char *words[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
                unsigned total = 0;
                for (int r = 0; r < ROUNDS; r++)
                    for (int i = 0; i < 5; i++) {
                        uint32_t h = fnv1a((const unsigned char *)words[i], strlen(words[i]) - (size_t)r % 2);
                        total += h % 1000 + (unsigned)digits(h) + (unsigned)collatz_steps(h % 10000 + 1);
                        if (r == 0) printf("%s %08x %d\n", words[i], h, digits(h));
                    }
                printf("%s, total %u\n", GREETING, total);
                return argc > 1 && strcmp(argv[1], "--fail") == 0;
            }
            """);
    }

    /// <summary>The gcc arguments the package gives each file of <see cref="Items"/> with CompilerLlmCFlags <paramref name="flags"/>.</summary>
    public static string[] Arguments(string file, string flags)
    {
        var args = new List<string>(flags.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (file == "src/digits.c") args.AddRange(["-fno-strict-aliasing", "-funroll-loops"]);
        args.AddRange(["-DGREETING=\"hello\"", "-DROUNDS=3", "-Iinclude"]);
        return [.. args];
    }

    public static readonly string[] Files = ["src/digits.c", "src/hash.c", "src/main.c"];
}

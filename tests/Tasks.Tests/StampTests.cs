using CompilerLLM.Toolchain;

namespace CompilerLLM.Build.Tasks.Tests;

public class StampTests
{
    private static readonly DateTime Old = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_stamp_is_deterministic_and_changes_with_any_entry()
    {
        KeyValuePair<string, string>[] a = [new("flags", "-O2"), new("package", "1")];
        KeyValuePair<string, string>[] b = [new("flags", "-O3"), new("package", "1")];
        KeyValuePair<string, string>[] c = [new("flags", "-O2"), new("package", "2")];
        Assert.Equal(BuildStamp.Render(a), BuildStamp.Render(a));
        Assert.NotEqual(BuildStamp.Render(a), BuildStamp.Render(b));
        Assert.NotEqual(BuildStamp.Render(a), BuildStamp.Render(c));
        Assert.Contains("flags=-O2\n", BuildStamp.Render(a));
        Assert.Matches(@"sha256=[0-9a-f]{64}\n$", BuildStamp.Render(a));
        Assert.Contains("x=a\\nb", BuildStamp.Render([new("x", "a\nb")]));
    }

    [Fact]
    public void A_stamp_is_rewritten_only_when_it_changes()
    {
        using var dir = new TempDir();
        string stamp = dir.File("s.stamp");
        Assert.True(BuildStamp.Write(stamp, [new("k", "1")]));
        Tools.SetTime(stamp, Old);
        Assert.False(BuildStamp.Write(stamp, [new("k", "1")]));
        Assert.Equal(Old, File.GetLastWriteTimeUtc(stamp));
        Assert.True(BuildStamp.Write(stamp, [new("k", "2")]));
        Assert.NotEqual(Old, File.GetLastWriteTimeUtc(stamp));
    }

    [Fact]
    public void The_package_identity_names_version_and_code()
    {
        var parts = BuildStamp.PackageIdentity.Split(';');
        Assert.Equal(3, parts.Length);
        Assert.StartsWith("0.", parts[0]);
        Assert.Matches("^[0-9a-f]{32}$", parts[1]);
        Assert.Matches("^[0-9a-f]{32}$", parts[2]);
    }

    [Fact]
    public void Outputs_are_replaced_only_when_their_bytes_change()
    {
        using var dir = new TempDir();
        string target = dir.Write("x.o", "same");
        Tools.SetTime(target, Old);
        string temp = dir.Write("x.o.tmp", "same");
        Assert.False(Outputs.ReplaceIfDifferent(temp, target));
        Assert.False(File.Exists(temp));
        Assert.Equal(Old, File.GetLastWriteTimeUtc(target));
        dir.Write("x.o.tmp", "different");
        Assert.True(Outputs.ReplaceIfDifferent(temp, target));
        Assert.Equal("different", File.ReadAllText(target));
    }

    [Fact]
    public void Dependency_files_parse_like_make()
    {
        string text = "obj/x.o: src/x.c include/a.h \\\n include/dir\\ with\\ space/b.h \\\n  /usr/include/stdio.h\ninclude/a.h:\n";
        Assert.Equal(["src/x.c", "include/a.h", "include/dir with space/b.h", "/usr/include/stdio.h"], DependencyFile.Parse(text));
        Assert.Empty(DependencyFile.Parse(""));
    }

    [Fact]
    public void A_compiled_unit_is_up_to_date_until_a_prerequisite_or_its_stamp_is_newer()
    {
        using var dir = new TempDir();
        string source = dir.Write("x.c", "#include \"a.h\"\n");
        string header = dir.Write("a.h", "");
        string asm = dir.Write("x.s", ""), obj = dir.Write("x.o", "");
        string stamp = dir.Write("x.stamp", "");
        string dep = dir.Write("x.d", "x.o: x.c a.h\n");
        foreach (var f in new[] { source, header, stamp }) Tools.SetTime(f, Old);
        Tools.SetTime(dep, Old.AddMinutes(1));
        Assert.True(DependencyFile.IsUpToDate(dep, stamp, [asm, obj], dir.Path));

        Tools.SetTime(header, Old.AddMinutes(2));
        Assert.False(DependencyFile.IsUpToDate(dep, stamp, [asm, obj], dir.Path));
        Tools.SetTime(header, Old);

        Tools.SetTime(stamp, Old.AddMinutes(2));
        Assert.False(DependencyFile.IsUpToDate(dep, stamp, [asm, obj], dir.Path));
        Tools.SetTime(stamp, Old);

        File.Delete(header);
        Assert.False(DependencyFile.IsUpToDate(dep, stamp, [asm, obj], dir.Path));
        dir.Write("a.h", "");
        Tools.SetTime(header, Old);

        File.Delete(obj);
        Assert.False(DependencyFile.IsUpToDate(dep, stamp, [asm, obj], dir.Path));
    }
}

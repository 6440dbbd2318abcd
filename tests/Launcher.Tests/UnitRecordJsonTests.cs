using System.Text.Json;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;

namespace CompilerLLM.Launcher.Tests;

/// <summary>Unit records are written by generated code only and read with the metadata context: the two agree.</summary>
public sealed class UnitRecordJsonTests : IDisposable
{
    private readonly TempDirectory _temp = new("compilerllm-record-json-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_written_record_reads_back_as_the_metadata_context_writes_it()
    {
        var record = new UnitRecord(Path.Combine(_temp.Path, "obj", "a \"b\".o"), "/work/ü", "gcc", ["-O2", "-c", "a.c", "-DX=\"1 2\""], "a.c",
            UnitStatus.FellBack, "timeout\nafter 120 s", 3, 7, 0, 1, true, 0.25, "ab12", "00ff", "ff00", new DateTime(2026, 12, 7, 14, 30, 0, DateTimeKind.Utc));
        var store = new UnitRecordStore(_temp.File("units"));
        Assert.True(store.Write(record));
        string written = File.ReadAllText(Directory.EnumerateFiles(store.Directory).Single());
        Assert.Equal(JsonSerializer.Serialize(record, LauncherJson.Default.UnitRecord), written);
        var back = store.Under(null).Single();
        Assert.Equal(record with { Arguments = back.Arguments }, back);
        Assert.Equal(record.Arguments, back.Arguments);
    }
}

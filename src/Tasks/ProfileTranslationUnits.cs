using System.Security.Cryptography;
using CompilerLLM.Pipeline;
using CompilerLLM.Toolchain;
using Microsoft.Build.Framework;

namespace CompilerLLM.Build.Tasks;

/// <summary>
/// The project's profile: the engine's <see cref="ProfileBuilder"/> (every unit instrumented, the artifact linked and put
/// at <c>NativeOutputPath</c>, <c>CompilerLlmProfileWorkload</c> run once) into <c>ProfileDirectory</c>. The stamp records
/// a hash of every profile file, so the compile step chooses variants again exactly when the profile changed. A failure
/// is warning CLLM2009 and a build without a profile.
/// </summary>
public sealed class ProfileTranslationUnits : CompilerLlmTask
{
    [Required] public ITaskItem[] TranslationUnits { get; set; } = [];
    [Required] public string Compiler { get; set; } = "gcc";
    [Required] public string ProjectDirectory { get; set; } = ".";
    [Required] public string NativeOutputPath { get; set; } = "";
    public string? NativeOutputType { get; set; }
    public string? LinkFlags { get; set; }
    [Required] public string Workload { get; set; } = "";
    public string? Timeout { get; set; }
    [Required] public string ProfileDirectory { get; set; } = "";
    [Required] public string ProfileStampFile { get; set; } = "";
    public int MaxParallelism { get; set; }

    public override bool Execute()
    {
        var units = UnitItem.From(TranslationUnits).Select(u => u.Unit).ToList();
        var gcc = new Gcc(ToolchainOptions.Default with { Compiler = Compiler }, ProjectDirectory);
        var kind = Enum.TryParse<NativeOutputKind>(NativeOutputType, out var k) ? k : NativeOutputKind.Application;
        int seconds = int.TryParse(Timeout, out int t) && t > 0 ? t : 60;
        ProfileOutcome outcome;
        try
        {
            outcome = new ProfileBuilder(gcc).Build(units, kind, NativeOutputPath, CommandLine.Split(LinkFlags), Workload, ProjectDirectory,
                TimeSpan.FromSeconds(seconds), ProfileDirectory, CompileTranslationUnits.Parallelism(MaxParallelism));
        }
        catch (ToolNotFoundException e)
        {
            outcome = new ProfileOutcome(null, e.Message, units.Count, 0, TimeSpan.Zero);
        }
        if (outcome.Profile is null)
        {
            Report(Diagnostics.ProfileFailed, outcome.Failure);
            if (Directory.Exists(ProfileDirectory)) Directory.Delete(ProfileDirectory, recursive: true);
            BuildStamp.Write(ProfileStampFile, [new("profile", "none"), new("reason", outcome.Failure ?? "")]);
            return !Log.HasLoggedErrors;
        }
        Report(new PendingDiagnostic(Diagnostics.ProfileMade, null, 0, [outcome.UnitsWithData, outcome.Units, outcome.Elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)], MessageImportance.Normal));
        BuildStamp.Write(ProfileStampFile, [new("profile", HashOf(outcome.Profile.Directory))]);
        return !Log.HasLoggedErrors;
    }

    /// <summary>A hash over every profile file's relative name and bytes.</summary>
    private static string HashOf(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in Directory.EnumerateFiles(directory, "*.gcda", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(directory, file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

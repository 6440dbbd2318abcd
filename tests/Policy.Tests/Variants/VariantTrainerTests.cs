using CompilerLLM.Training.Variants;

namespace CompilerLLM.Training.Tests.Variants;

/// <summary>The variant trainer learns a planted relation from reward alone, and only from reward; cross-validation never trains on a held-out program.</summary>
public sealed class VariantTrainerTests
{
    private static readonly VariantTrainingOptions Fast = new();

    /// <summary>Share of weighted units whose cross-validated choice agrees with the planted rule (unroll iff the program is loopy).</summary>
    internal static double PlantedAgreement(VariantCorpus corpus, int[][] assignments)
    {
        int unroll = VariantCorpus.IndexOf("unroll");
        double agree = 0, total = 0;
        for (int p = 0; p < corpus.Programs.Count; p++)
            for (int u = 0; u < corpus.Programs[p].Units.Count; u++)
            {
                if (corpus.Programs[p].Units[u].Weight == 0) continue;
                bool wantUnroll = SyntheticVariantDataset.IsLoopy(p);
                total++;
                if ((assignments[p][u] == unroll) == wantUnroll && (wantUnroll || assignments[p][u] == 0)) agree++;
            }
        return agree / total;
    }

    private static int[][] CrossValidate(VariantCorpus corpus, VariantTrainingOptions options) =>
        VariantCrossValidation.Assign(corpus.Programs, VariantCrossValidation.Folds(corpus.Programs.Count, 4), training => VariantTrainer.Train(training, options).Assign);

    [Fact]
    public void LearnsThePlantedVariantOnHeldOutPrograms()
    {
        var corpus = VariantCorpus.From(SyntheticVariantDataset.Create(programs: 16, units: 6, seed: 3));
        var assignments = CrossValidate(corpus, Fast);
        double agreement = PlantedAgreement(corpus, assignments);
        var learned = VariantEvaluation.Score("learned", corpus.Programs, assignments);
        var oracle = VariantEvaluation.Score("oracle", corpus.Programs, VariantMethods.Oracle(corpus.Programs));
        Assert.True(agreement >= 0.9, $"agreement with the planted rule {agreement:P0}");
        Assert.True(Math.Log(learned.Geomean) >= 0.8 * Math.Log(oracle.Geomean), $"learned {learned.Geomean:0.0000}x, oracle {oracle.Geomean:0.0000}x");
        Assert.Equal(0, learned.Slower);
    }

    [Fact]
    public void DoesNotLearnThePlantedVariantWhenTheRewardIsShuffled()
    {
        var corpus = VariantCorpus.From(SyntheticVariantDataset.Create(programs: 16, units: 6, seed: 3, shuffleRewards: true));
        double agreement = PlantedAgreement(corpus, CrossValidate(corpus, Fast));
        Assert.True(agreement < 0.6, $"agreement with the planted rule {agreement:P0} although the rewards no longer follow it");
    }

    [Fact]
    public void TrainingIsAPureFunctionOfTheSeed()
    {
        var programs = VariantCorpus.From(SyntheticVariantDataset.Create(8, 5, seed: 7)).Programs;
        var options = Fast with { Steps = 20 };
        var a = VariantTrainer.Train(programs, options);
        var b = VariantTrainer.Train(programs, options);
        var c = VariantTrainer.Train(programs, options with { Config = options.Config with { Seed = 2 } });
        Assert.Equal(a.Network.Parameters, b.Network.Parameters);
        Assert.NotEqual(a.Network.Parameters, c.Network.Parameters);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void CrossValidationNeverTrainsOnTheHeldOutProgram(int folds)
    {
        var programs = VariantCorpus.From(SyntheticVariantDataset.Create(7, 3, seed: 5)).Programs;
        var foldList = VariantCrossValidation.Folds(programs.Count, folds);
        var predictedBy = new Dictionary<string, int>();
        var assignments = VariantCrossValidation.Assign(programs, foldList, training =>
        {
            var model = VariantTrainer.Train(training, Fast with { Steps = 2 });
            var seen = training.Select(p => p.Name).ToHashSet();
            return program =>
            {
                // The program being chosen for must not be one the model was trained on.
                Assert.DoesNotContain(program.Name, seen);
                predictedBy[program.Name] = predictedBy.GetValueOrDefault(program.Name) + 1;
                return model.Assign(program);
            };
        });
        Assert.Equal(folds == 0 ? programs.Count : folds, foldList.Count);
        Assert.All(programs, p => Assert.Equal(1, predictedBy[p.Name]));
        Assert.All(assignments, a => Assert.NotNull(a));
    }
}

internal static class VariantTrainerTestsAccess
{
    public static double Agreement(VariantCorpus c, int[][] a) => VariantTrainerTests.PlantedAgreement(c, a);
}

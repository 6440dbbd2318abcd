using CompilerLLM.Analysis;
using Xunit.Sdk;

namespace CompilerLLM.Tests.Analysis;

/// <summary>Assertions on <see cref="LocationSet"/>s that name the offending locations.</summary>
internal static class LiveAssert
{
    public static void Live(LocationSet set, params int[] locations)
    {
        var missing = locations.Where(l => !set.Contains(l)).Select(Location.Name).ToArray();
        if (missing.Length > 0)
            throw new XunitException($"expected live: {string.Join(" ", missing)}\nin {set}");
    }

    public static void Dead(LocationSet set, params int[] locations)
    {
        var present = locations.Where(set.Contains).Select(Location.Name).ToArray();
        if (present.Length > 0)
            throw new XunitException($"expected dead: {string.Join(" ", present)}\nin {set}");
    }

    public static void Equal(LocationSet expected, LocationSet actual)
    {
        if (expected != actual)
            throw new XunitException($"expected {expected}\nactual   {actual}\nmissing  {expected - actual}\nextra    {actual - expected}");
    }

    public static int Xmm(int n) => Location.VectorLowBase + n;
    public static int YmmHi(int n) => Location.VectorHighBase + n;
    public static int K(int n) => Location.MaskBase + n;

    public static readonly int[] StatusFlags = [Location.CF, Location.PF, Location.AF, Location.ZF, Location.SF, Location.OF];
}

using System.Numerics;
using System.Runtime.InteropServices;

namespace CompilerLLM.Training.Learning;

/// <summary>
/// Arithmetic whose rounding depends only on the values and the length, never on where the arrays happen to lie
/// in memory. TensorPrimitives aligns its vector loops to the data's address, and its vector and scalar paths
/// may round differently (fused or not), so the same inputs could train differently from one process to the
/// next; training must be a pure function of its seed. Here every element takes the same, unfused path.
/// </summary>
public static class FixedOrderMath
{
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("spans differ in length");
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            var ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            var acc = Vector<float>.Zero;
            for (int v = 0; v < xs.Length; v++) acc += xs[v] * ys[v];
            sum = Vector.Sum(acc);
            i = xs.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    public static float Norm(ReadOnlySpan<float> x) => MathF.Sqrt(Dot(x, x));

    /// <summary>y[i] += x[i]·a, rounded as a product then a sum (never fused), element by element.</summary>
    public static void AddScaled(Span<float> y, ReadOnlySpan<float> x, float a)
    {
        if (x.Length != y.Length) throw new ArgumentException("spans differ in length");
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            var ys = MemoryMarshal.Cast<float, Vector<float>>(y);
            var va = new Vector<float>(a);
            for (int v = 0; v < xs.Length; v++) ys[v] += xs[v] * va;
            i = xs.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] += x[i] * a;
    }
}

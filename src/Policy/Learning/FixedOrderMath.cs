using System.Numerics;
using System.Runtime.InteropServices;

namespace CompilerLLM.Training.Learning;

/// <summary>
/// Reductions whose summation order depends only on the length, never on where the arrays happen to lie in
/// memory. TensorPrimitives' reductions align their vector loop to the data's address, so the same inputs can
/// round differently from one process to the next; training must be a pure function of its seed.
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
}

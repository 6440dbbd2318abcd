namespace CompilerLLM.Timing;

/// <summary>How a speed comparison came out.</summary>
public enum TimingVerdict : byte
{
    /// <summary>The interval contains 1.0, or the effect is smaller than the noise margin.</summary>
    NoMeasurableChange,

    /// <summary>The whole interval and the median lie above 1 + margin.</summary>
    Faster,

    /// <summary>The whole interval and the median lie below 1 − margin.</summary>
    Slower,
}

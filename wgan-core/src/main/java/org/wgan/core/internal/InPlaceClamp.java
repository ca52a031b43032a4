package org.wgan.core.internal;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Clamps one array to {@code [min, max]} in place with ND4J's two scalar ops, {@code max(x, min)} then
 * {@code min(x, max)}, built once and run again on every call.
 *
 * <p>Why: constructing an ND4J scalar op allocates its scalar as a fresh off-heap array (even the no-argument
 * constructor does), about 15-20 us on the 2-core benchmark machine, while running a built op costs about 1 us
 * before its pass over the data (benchmarks/README.md). The ops read the array's buffer and shape when they run,
 * so a clamp stays valid for as long as its array object is the one being clamped.
 */
public final class InPlaceClamp {

    private final INDArray array;
    private final ScalarMax lower;
    private final ScalarMin upper;

    private InPlaceClamp(INDArray array, double min, double max) {
        this.array = array;
        this.lower = new ScalarMax(array, min);
        this.upper = new ScalarMin(array, max);
    }

    /**
     * A clamp of {@code array} (any data type and layout ND4J's scalar ops take) to {@code [min, max]}.
     *
     * @throws IllegalArgumentException if {@code min > max} or either bound is NaN
     */
    public static InPlaceClamp of(INDArray array, double min, double max) {
        Objects.requireNonNull(array, "array");
        if (!(min <= max)) {
            throw new IllegalArgumentException("min must be <= max, but was [" + min + ", " + max + "]");
        }
        return new InPlaceClamp(array, min, max);
    }

    /** True when this clamp was built for this very array object. */
    public boolean clamps(INDArray candidate) {
        return candidate == array;
    }

    /**
     * Clamps the array in place: values beyond a bound become that bound (rounded to the array's data type), the
     * others are left as they are, and NaN becomes {@code min} (ND4J's max of NaN and a number is the number).
     */
    public void run() {
        Nd4j.getExecutioner().exec(lower);
        Nd4j.getExecutioner().exec(upper);
    }
}

package org.wgan.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.BaseTransformSameOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wgan.core.Critic;
import org.wgan.core.ParameterBlock;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.constraint.WeightClipping;

/**
 * Weight clipping over a critic's flattened parameters, against its floor (a streaming copy of the same bytes)
 * and ND4J's {@code ClipByValue} op (the naive baseline). Clipping is memory-bound, so the ratio to the copy is
 * the figure of merit.
 *
 * <p>{@code WeightClipping} clamps contiguous float parameters in one SIMD pass through the JDK's Vector API (the fork
 * adds {@code jdk.incubator.vector}, as applications should). Alternatives measured in the same run: ND4J's two scalar
 * ops ({@code max}, then {@code min}) built once and run again (what it ran before the SIMD pass), the same ops built
 * afresh on every call (what it did before it kept them), and two single native passes that ND4J has no Java class for,
 * libnd4j 1.0.0-M2.1's legacy {@code ClipByValue} transform ({@code TRANSFORM_SAME_OPS} 19, bounds in its extra
 * arguments) and its {@code LstmClip} scalar op ({@code SCALAR_OPS} 42, a clamp to {@code [-s, s]}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ClampBenchmark {

    /** Parameter counts: the 2-512-512-512-1 MLP critic (~0.5M), and larger critics. */
    @Param({"527361", "4300000", "16000000"})
    public int parameters;

    private INDArray params;
    private INDArray copyTarget;
    private ScalarMax keptMax;
    private ScalarMin keptMin;
    private Critic critic;
    private WeightClipping clipping;

    @Setup(Level.Trial)
    public void setUp() {
        // ND4J's own ops on one thread, as the examples and the critic-step benchmarks run them
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        params = Nd4j.rand(DataType.FLOAT, parameters).subi(0.5f).muli(0.04f);
        copyTarget = Nd4j.create(DataType.FLOAT, parameters);
        clipping = LipschitzConstraints.weightClipping(0.01);
        critic = new FlatCritic(params);
        keptMax = new ScalarMax(params, -0.01);
        keptMin = new ScalarMin(params, 0.01);
    }

    @Benchmark
    public INDArray floorStreamingCopy() {
        return copyTarget.assign(params);
    }

    @Benchmark
    public INDArray baselineClipByValue() {
        ClipByValue clip = new ClipByValue(params, -0.01, 0.01);
        clip.addOutputArgument(params);
        Nd4j.exec(clip);
        return params;
    }

    @Benchmark
    public INDArray weightClipping() {
        clipping.afterCriticUpdate(critic);
        return params;
    }

    @Benchmark
    public INDArray scalarOpsBuiltOnce() {
        Nd4j.getExecutioner().exec(keptMax);
        Nd4j.getExecutioner().exec(keptMin);
        return params;
    }

    @Benchmark
    public INDArray freshScalarOps() {
        Transforms.max(params, -0.01, false);
        Transforms.min(params, 0.01, false);
        return params;
    }

    @Benchmark
    public INDArray legacyClipByValueTransform() {
        Nd4j.getExecutioner().exec(new LegacyClipByValue(params, -0.01, 0.01));
        return params;
    }

    @Benchmark
    public INDArray legacyLstmClipScalar() {
        Nd4j.getExecutioner().exec(new LegacyLstmClip(params, 0.01));
        return params;
    }

    /** libnd4j's legacy {@code simdOps::ClipByValue} transform, in place; bounds in the extra arguments. */
    private static final class LegacyClipByValue extends BaseTransformSameOp {
        LegacyClipByValue(INDArray array, double min, double max) {
            super(array, array);
            this.extraArgs = new Object[] {min, max};
        }

        @Override
        public int opNum() {
            return 19;
        }

        @Override
        public String opName() {
            return "legacy_clip_by_value";
        }

        @Override
        public String onnxName() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String tensorflowName() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> gradients) {
            throw new UnsupportedOperationException();
        }
    }

    /** libnd4j's legacy {@code simdOps::LstmClip} scalar op, in place: each value clamped to [-s, s]. */
    private static final class LegacyLstmClip extends BaseScalarOp {
        LegacyLstmClip(INDArray array, double bound) {
            super(array, array, bound);
        }

        @Override
        public int opNum() {
            return 42;
        }

        @Override
        public String opName() {
            return "legacy_lstm_clip";
        }

        @Override
        public String onnxName() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String tensorflowName() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> gradients) {
            throw new UnsupportedOperationException();
        }
    }

    /** Just enough of a critic for the clamp: one weight block holding every parameter. */
    private static final class FlatCritic implements Critic {
        private final INDArray params;
        private final List<ParameterBlock> blocks;

        FlatCritic(INDArray params) {
            this.params = params;
            this.blocks = List.of(new ParameterBlock(0, "W", ParameterBlock.Kind.WEIGHT, 0, params));
        }

        @Override
        public INDArray parameters() {
            return params;
        }

        @Override
        public List<ParameterBlock> parameterBlocks() {
            return blocks;
        }

        @Override
        public INDArray score(INDArray samples) {
            throw new UnsupportedOperationException();
        }

        @Override
        public INDArray forward(INDArray samples) {
            throw new UnsupportedOperationException();
        }

        @Override
        public INDArray backward(INDArray scoreGradient) {
            throw new UnsupportedOperationException();
        }

        @Override
        public INDArray gradient() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void applyGradient() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long updateCount() {
            return 0;
        }

        @Override
        public INDArray optimizerState() {
            throw new UnsupportedOperationException();
        }

        @Override
        public DataType dataType() {
            return params.dataType();
        }
    }
}

package org.wgan.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.infra.Blackhole;
import org.wgan.core.Optimizers;
import org.wgan.core.WganTrainer;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.dl4j.Mlp;
import org.wgan.core.dl4j.MultiLayerCritic;
import org.wgan.core.dl4j.MultiLayerGenerator;
import org.wgan.losses.Objectives;

/**
 * One critic update of the toy recipe's 2-512-512-512-1 ReLU MLP (real and generated batch through the critic,
 * backward, optimizer update, constraint): unconstrained, weight-clipped and gradient-penalised, next to the floor
 * of the same matrix products alone (forward, input-gradient and weight-gradient products of every layer on the
 * 2 x batch rows). ND4J runs one thread, as the examples do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g")
public class CriticStepBenchmark {

    private static final int[] SIZES = {2, 512, 512, 512, 1};

    @Param({"64", "256"})
    public int batchSize;

    @Param({"unconstrained", "clipping", "penalty"})
    public String constraint;

    private WganTrainer trainer;
    private INDArray[] activations;
    private INDArray[] weights;
    private INDArray[] weightGradients;
    private INDArray[] errors;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        boolean clipping = constraint.equals("clipping");
        LipschitzConstraint lipschitz = switch (constraint) {
            case "clipping" -> LipschitzConstraints.weightClipping();
            case "penalty" -> LipschitzConstraints.gradientPenalty();
            default -> new LipschitzConstraint() {
            };
        };
        trainer = WganTrainer.builder()
                .generator(MultiLayerGenerator.of(Mlp.builder().sizes(2, 512, 512, 512, 2).seed(1)
                        .updater(clipping ? Optimizers.wgan() : Optimizers.wganGp()).build()))
                .critic(MultiLayerCritic.of(Mlp.builder().sizes(SIZES).seed(2)
                        .updater(clipping ? Optimizers.wgan() : Optimizers.wganGp()).build()))
                .objective(Objectives.wasserstein())
                .constraint(lipschitz)
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(batchSize)
                .build();
        int rows = 2 * batchSize;
        int layers = SIZES.length - 1;
        activations = new INDArray[layers + 1];
        errors = new INDArray[layers + 1];
        weights = new INDArray[layers];
        weightGradients = new INDArray[layers];
        for (int k = 0; k <= layers; k++) {
            activations[k] = Nd4j.rand(DataType.FLOAT, rows, SIZES[k]);
            errors[k] = Nd4j.rand(DataType.FLOAT, rows, SIZES[k]);
        }
        for (int k = 0; k < layers; k++) {
            weights[k] = Nd4j.rand(DataType.FLOAT, SIZES[k], SIZES[k + 1]);
            weightGradients[k] = Nd4j.create(DataType.FLOAT, SIZES[k], SIZES[k + 1]);
        }
    }

    @Benchmark
    public Object criticStep() {
        return trainer.criticStep();
    }

    /** The matrix products of one forward and backward pass of the critic on 2 x batch rows, alone. */
    @Benchmark
    public void floorMatrixProducts(Blackhole blackhole) {
        for (int k = 0; k < weights.length; k++) {
            Nd4j.gemm(activations[k], weights[k], activations[k + 1], false, false, 1.0, 0.0);
        }
        for (int k = weights.length - 1; k >= 0; k--) {
            Nd4j.gemm(activations[k], errors[k + 1], weightGradients[k], true, false, 1.0, 0.0);
            Nd4j.gemm(errors[k + 1], weights[k], errors[k], false, true, 1.0, 0.0);
        }
        blackhole.consume(errors[0]);
    }
}

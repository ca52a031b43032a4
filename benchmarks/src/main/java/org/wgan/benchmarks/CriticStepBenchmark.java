package org.wgan.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
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
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.engine.Gemm;
import org.wgan.losses.Objectives;

/**
 * One critic update of the toy recipe's 2-512-512-512-1 ReLU MLP (generate a batch with the 2-512-512-512-2
 * generator, real and generated batch through the critic, backward, optimizer update, constraint): unconstrained,
 * weight-clipped and gradient-penalised (weight {@link #penaltyWeight}); a generator update; a whole iteration
 * (5 critic updates and one generator update). Each next to its floor: the same matrix products alone, on
 * preallocated arrays.
 *
 * <p>Floor of a critic update: the generator's forward products on the batch, and the forward, input-gradient and
 * weight-gradient products of every critic layer on the 2 x batch rows. The penalty adds four passes over the
 * batch of interpolates: forward, input gradient, the adjoint's forward (tangent) pass and its weight-gradient
 * products (a ReLU critic has no second-derivative term). The products go through the library's own {@link Gemm}
 * as a network of dense layers sends them (all straight to OpenBLAS), so the floor pays no more per call than the
 * step does. ND4J runs its own ops on one thread, as the examples do; its BLAS keeps its default threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g",
    jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class CriticStepBenchmark {

    private static final int[] CRITIC = {2, 512, 512, 512, 1};
    private static final int[] GENERATOR = {2, 512, 512, 512, 2};

    @Param({"64", "256"})
    public int batchSize;

    @Param({"unconstrained", "clipping", "penalty"})
    public String constraint;

    /**
     * ND4J's threads (setMaxThreads); run the fork with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set to the same
     * number, which bound the oneDNN convolutions and OpenBLAS (compare.py does).
     */
    @Param({"1"})
    public int threads;

    /** The penalty's weight: the toy recipe's 0.1 (the figures the peer was measured with); the paper's is 10. */
    @Param({"0.1"})
    public double penaltyWeight;

    private WganTrainer trainer;
    private MultiLayerGenerator generator;
    private MultiLayerCritic critic;
    private final Random random = new Random(3);
    private Products generatorForward;
    private Products criticPass;
    private Products penaltyPass;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        boolean clipping = constraint.equals("clipping");
        LipschitzConstraint lipschitz = switch (constraint) {
            case "clipping" -> LipschitzConstraints.weightClipping();
            case "penalty" -> LipschitzConstraints.gradientPenalty(penaltyWeight);
            default -> new LipschitzConstraint() {
            };
        };
        IUpdater updater = clipping ? Optimizers.wgan() : Optimizers.adam(1e-4, 0.5, 0.9);
        generator = MultiLayerGenerator.of(Mlp.builder().sizes(GENERATOR).seed(1).updater(updater).build());
        critic = MultiLayerCritic.of(Mlp.builder().sizes(CRITIC).seed(2).updater(updater).build());
        trainer = WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(lipschitz)
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(batchSize)
                .build();
        generatorForward = new Products(GENERATOR, batchSize);
        criticPass = new Products(CRITIC, 2 * batchSize);
        penaltyPass = new Products(CRITIC, batchSize);
    }

    @Benchmark
    public Object criticStep() {
        return trainer.criticStep();
    }

    /**
     * One generator update as the trainer runs it: generate, score, the Wasserstein generator loss's gradient
     * (-1/B per score) back through the critic into the generator, one optimizer update of the generator.
     */
    @Benchmark
    public Object generatorStep() {
        INDArray fake = generator.forward(LatentSamplers.gaussian(2).sample(batchSize, random));
        INDArray scores = critic.forward(fake);
        INDArray sampleGradient = critic.backward(Nd4j.valueArrayOf(scores.shape(), -1.0 / batchSize,
                scores.dataType()));
        generator.backward(sampleGradient);
        generator.applyGradient();
        return generator.parameters();
    }

    /** Five critic updates and one generator update: the unit the toy recipe's figures are quoted in. */
    @Benchmark
    public Object iteration() {
        return trainer.step();
    }

    /** The matrix products of {@link #criticStep()} alone. */
    @Benchmark
    public void floorMatrixProducts(Blackhole blackhole) {
        generatorForward.forward();
        criticPass.forward();
        criticPass.backward(true);
        if (constraint.equals("penalty")) {
            penaltyPass.forward();
            penaltyPass.backward(false);
            penaltyPass.forward();
            penaltyPass.weightGradients();
        }
        blackhole.consume(criticPass.errors[0]);
    }

    /** Preallocated activations, errors and weights of one MLP on a fixed number of rows. */
    private static final class Products {
        final INDArray[] activations;
        final INDArray[] errors;
        final INDArray[] weights;
        final INDArray[] weightGradients;

        Products(int[] sizes, int rows) {
            int layers = sizes.length - 1;
            activations = new INDArray[layers + 1];
            errors = new INDArray[layers + 1];
            weights = new INDArray[layers];
            weightGradients = new INDArray[layers];
            for (int k = 0; k <= layers; k++) {
                activations[k] = Nd4j.rand(DataType.FLOAT, rows, sizes[k]);
                errors[k] = Nd4j.rand(DataType.FLOAT, rows, sizes[k]);
            }
            for (int k = 0; k < layers; k++) {
                weights[k] = Nd4j.rand(DataType.FLOAT, sizes[k], sizes[k + 1]);
                weightGradients[k] = Nd4j.create(DataType.FLOAT, sizes[k], sizes[k + 1]);
            }
        }

        void forward() {
            for (int k = 0; k < weights.length; k++) {
                Gemm.gemm(activations[k], weights[k], activations[k + 1], false, false, 1.0, 0.0, true);
            }
        }

        /** Input-gradient products of every layer, and the weight-gradient products when asked. */
        void backward(boolean withWeightGradients) {
            for (int k = weights.length - 1; k >= 0; k--) {
                if (withWeightGradients) {
                    Gemm.gemm(activations[k], errors[k + 1], weightGradients[k], true, false, 1.0, 0.0, true);
                }
                Gemm.gemm(errors[k + 1], weights[k], errors[k], false, true, 1.0, 0.0, true);
            }
        }

        void weightGradients() {
            for (int k = weights.length - 1; k >= 0; k--) {
                Gemm.gemm(activations[k], errors[k + 1], weightGradients[k], true, false, 1.0, 1.0, true);
            }
        }
    }
}

package org.wgan.benchmarks;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
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
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

/**
 * One critic update of a DCGAN-style Fashion-MNIST critic (28x28x1 -> conv 4x4 stride 2 same, 64, LeakyReLU 0.2
 * -> conv 4x4 stride 2 same, 128, LeakyReLU 0.2 -> dense 1), plain and gradient-penalised, Adam (1e-4, 0, 0.9).
 * The generator is a single 2 -> 784 tanh layer, so the step is the critic's. Floor: the same conv2d and conv2d_bp
 * calls (and the dense products) alone on preallocated arrays, four passes more over the interpolates for the
 * penalty.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g",
    "-Dorg.bytedeco.javacpp.platform.extension=-onednn"}, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ConvCriticStepBenchmark {

    private static final long[] CONV1 = {4, 4, 2, 2, 0, 0, 1, 1, 1, 0, 1};
    private static final long[] CONV2 = CONV1;

    @Param({"64"})
    public int batchSize;

    @Param({"unconstrained", "penalty"})
    public String constraint;

    /**
     * ND4J's threads (setMaxThreads); run the fork with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set to the same
     * number, which bound the oneDNN convolutions and OpenBLAS (compare.py does).
     */
    @Param({"1"})
    public int threads;

    private WganTrainer trainer;
    private INDArray[] floorArrays;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(2).dataType(DataType.FLOAT).updater(Optimizers.wganGp()).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(64)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(128)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        network.init();
        INDArray pool = Nd4j.rand(DataType.FLOAT, 8L * batchSize, 784).muli(2).subi(1);
        LipschitzConstraint lipschitz = constraint.equals("penalty") ? LipschitzConstraints.gradientPenalty(10.0)
                : new LipschitzConstraint() {
                };
        trainer = WganTrainer.builder()
                .generator(MultiLayerGenerator.of(Mlp.builder().sizes(2, 784).output(Activation.TANH).seed(1)
                        .updater(Optimizers.wganGp()).build()))
                .critic(MultiLayerCritic.of(network))
                .objective(Objectives.wasserstein())
                .constraint(lipschitz)
                .realSamples((batch, random) -> {
                    long from = (long) random.nextInt(8) * batch;
                    return pool.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + batch),
                            org.nd4j.linalg.indexing.NDArrayIndex.all());
                })
                .batchSize(batchSize)
                .build();
        floorArrays = new INDArray[] {
            Nd4j.rand(DataType.FLOAT, 2L * batchSize, 1, 28, 28), Nd4j.rand(DataType.FLOAT, 64, 1, 4, 4),
            Nd4j.rand(DataType.FLOAT, 2L * batchSize, 64, 14, 14), Nd4j.rand(DataType.FLOAT, 128, 64, 4, 4),
            Nd4j.rand(DataType.FLOAT, 2L * batchSize, 128, 7, 7), Nd4j.rand(DataType.FLOAT, 6272, 1),
            Nd4j.rand(DataType.FLOAT, 2L * batchSize, 1), Nd4j.rand(DataType.FLOAT, 64, 1, 4, 4),
            Nd4j.rand(DataType.FLOAT, 128, 64, 4, 4), Nd4j.rand(DataType.FLOAT, 6272, 1),
            Nd4j.rand(DataType.FLOAT, 2L * batchSize, 1, 28, 28), Nd4j.rand(DataType.FLOAT, 2L * batchSize, 64, 14, 14),
            Nd4j.rand(DataType.FLOAT, 2L * batchSize, 128, 7, 7)};
    }

    @Benchmark
    public Object criticStep() {
        return trainer.criticStep();
    }

    /** The conv2d/conv2d_bp calls and dense products of the step alone (the penalty's passes counted as rows). */
    @Benchmark
    public void floorConvolutions(Blackhole blackhole) {
        int passes = constraint.equals("penalty") ? 2 : 1; // 2 x batch rows plain; + ~2 x batch-row passes
        for (int p = 0; p < passes; p++) {
            INDArray x = floorArrays[0];
            INDArray a1 = floorArrays[2];
            INDArray a2 = floorArrays[4];
            FloorOps.conv(x, floorArrays[1], a1, CONV1);
            FloorOps.conv(a1, floorArrays[3], a2, CONV2);
            INDArray flat = a2.reshape(a2.size(0), 6272);
            Nd4j.gemm(flat, floorArrays[5], floorArrays[6], false, false, 1.0, 0.0);
            Nd4j.gemm(flat, floorArrays[6], floorArrays[9], true, false, 1.0, 0.0);
            Nd4j.gemm(floorArrays[6], floorArrays[5], floorArrays[12].reshape(a2.size(0), 6272), false, true, 1.0,
                    0.0);
            FloorOps.convBackprop(a1, floorArrays[3], floorArrays[12], floorArrays[11], floorArrays[8], CONV2);
            FloorOps.convBackprop(x, floorArrays[1], floorArrays[11], floorArrays[10], floorArrays[7], CONV1);
        }
        blackhole.consume(floorArrays[10]);
    }
}

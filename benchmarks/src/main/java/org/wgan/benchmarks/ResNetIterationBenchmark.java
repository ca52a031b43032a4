package org.wgan.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
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
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetGenerator;
import org.wgan.dl4j.models.ResNetSpec;

/**
 * One iteration of the WGAN-GP paper's CIFAR-10 ResNet ({@link Recipes#resnetWganGp}: five gradient-penalised
 * critic steps and one generator step, batch 64, 32x32x3) at width {@code dim} (the paper's DIM) on {@code threads}
 * ND4J threads, and its floor. The peer is {@code resnet_wgangp_iteration_dim<dim>_b64} of
 * benchmarks/pytorch/peer.py.
 *
 * <p>The floor, {@link #floorConvolutions}, makes the iteration's convolution calls alone, in its order, on
 * preallocated arrays: libnd4j's conv2d and conv2d_bp (which gives the input and the weight gradient in one call),
 * made as the engine's {@code Conv2dMap} makes them. The critic has 10 convolutions (d1_shortcut, d1_conv1,
 * d1_conv2, d2_shortcut_conv, d2_conv1, d2_conv2, d3_conv1, d3_conv2, d4_conv1, d4_conv2), the generator 10 (three
 * up blocks of shortcut, conv1 and conv2, then output), each stride 1 in Same mode. One critic step makes 40
 * conv2d and 30 conv2d_bp calls:
 * <pre>
 *   generator forward, 64 rows (the fake batch)                10 conv2d
 *   critic forward, 128 rows (real and fake)                   10 conv2d
 *   critic backward, 128 rows (weight gradients)               10 conv2d_bp
 *   penalty: critic forward on the 64 interpolates             10 conv2d
 *            input gradient (backward, 64 rows)                10 conv2d_bp
 *            adjoint (ReLU: no second-derivative term)         10 conv2d_bp (weight gradients) + 10 conv2d (tangents)
 * </pre>
 * and the generator step 20 of each: generator and critic forward, critic and generator backward, 64 rows. One
 * iteration: 5 x 70 + 40 = 390 calls, 220 conv2d and 170 conv2d_bp (counted in the engine's NativeOps over two
 * iterations of the recipe). Not in the floor: the biases (a pass of their own in the engine), activations, mean
 * pooling, upsampling, batch normalisation, the dense layers, the penalty's arithmetic and the optimizer steps.
 * Arrays of one shape are shared by the layers that have it (one per role: input, output, output gradient, input
 * gradient), so the floor's caches are, if anything, warmer than the engine's, whose buffers are per vertex.
 *
 * <p>One iteration is some 0.65 TFLOP of convolutions at DIM 64 and 2.6 at DIM 128, tens of seconds on one core, so
 * a JMH iteration of 5 s holds one operation. The engine's buffers for the three batch shapes (the critic's 128 and
 * 64 rows, with the penalty's, and the generator's 64) take some 4 GB resident at DIM 64 and 8 GB at DIM 128
 * ({@code MemoryProbe resnet}), hence the fork's bound of 12 GB, not the other benchmarks' 2 GB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=12g",
    "-Dorg.bytedeco.javacpp.platform.extension=-onednn"}, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ResNetIterationBenchmark {

    /** Critic steps per iteration, as {@link Recipes#resnetWganGp} trains. */
    private static final int CRITIC_STEPS = 5;

    @Param({"64", "128"})
    public int dim;

    @Param({"1"})
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }

    /** The trainer, made only for {@link #iteration}. */
    @State(Scope.Benchmark)
    public static class Training {

        private WganTrainer trainer;

        @Setup(Level.Trial)
        public void setUp(ResNetIterationBenchmark benchmark) {
            trainer = Recipes.resnetWganGp(benchmark.dim);
        }
    }

    /** The floor's arrays, made only for {@link #floorConvolutions}. */
    @State(Scope.Benchmark)
    public static class Floor {

        private Convolution[] critic128;
        private Convolution[] critic64;
        private Convolution[] generator64;

        @Setup(Level.Trial)
        public void setUp(ResNetIterationBenchmark benchmark) {
            ResNetSpec spec = ResNetSpec.cifar10().withWidth(benchmark.dim);
            InputType images = InputType.convolutional(spec.imageSize(), spec.imageSize(), spec.channels());
            List<Layer> critic = convolutions(ResNetCritic.of(spec), images);
            List<Layer> generator = convolutions(ResNetGenerator.of(spec), InputType.feedForward(spec.latentSize()));
            if (critic.size() != 10 || generator.size() != 10) {
                throw new IllegalStateException("the floor counts 10 convolutions in each network, but the critic has "
                        + critic.size() + " and the generator " + generator.size());
            }
            Map<List<Long>, INDArray[]> arrays = new HashMap<>();
            int batch = Recipes.RESNET_BATCH_SIZE;
            critic128 = sites(critic, 2 * batch, arrays);
            critic64 = sites(critic, batch, arrays);
            generator64 = sites(generator, batch, arrays);
        }
    }

    /** A convolution layer of a graph: its weights (the graph's own), arguments and per-sample shapes. */
    private record Layer(INDArray weight, long[] args, long[] input, long[] output) {
    }

    /** One layer at one batch size: the arrays its calls read and write. */
    private record Convolution(INDArray input, INDArray weight, INDArray output, INDArray outputGradient,
            INDArray inputGradient, INDArray weightGradient, long[] args) {

        void forward() {
            FloorOps.conv(input, weight, output, args);
        }

        void backward() {
            FloorOps.convBackprop(input, weight, outputGradient, inputGradient, weightGradient, args);
        }
    }

    @Benchmark
    public Object iteration(Training training) {
        return training.trainer.step();
    }

    /** The iteration's 220 conv2d and 170 conv2d_bp calls alone (see the class's Javadoc), in its order. */
    @Benchmark
    public void floorConvolutions(Floor floor, Blackhole blackhole) {
        for (int step = 0; step < CRITIC_STEPS; step++) {
            forward(floor.generator64);
            forward(floor.critic128);
            backward(floor.critic128);
            forward(floor.critic64);
            backward(floor.critic64);
            for (Convolution c : floor.critic64) {
                // the adjoint, in forward order: the weight gradient of the tangent input, then the tangent
                c.backward();
                c.forward();
            }
        }
        forward(floor.generator64);
        forward(floor.critic64);
        backward(floor.critic64);
        backward(floor.generator64);
        blackhole.consume(floor.generator64[0].weightGradient());
    }

    private static void forward(Convolution[] layers) {
        for (Convolution c : layers) {
            c.forward();
        }
    }

    private static void backward(Convolution[] layers) {
        for (int k = layers.length - 1; k >= 0; k--) {
            layers[k].backward();
        }
    }

    /**
     * The graph's convolution layers in topological order (the engine's), each with the shapes of one sample; every
     * one must be stride 1 in Same mode, so that its input and output have the same height and width.
     */
    private static List<Layer> convolutions(ComputationGraph graph, InputType input) {
        Map<String, InputType> outputs = graph.getConfiguration().getLayerActivationTypes(input);
        GraphVertex[] vertices = graph.getVertices();
        List<Layer> layers = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            if (!vertex.hasLayer() || !(vertex.getLayer().conf().getLayer() instanceof ConvolutionLayer conv)) {
                continue;
            }
            if (conv.getConvolutionMode() != ConvolutionMode.Same || conv.getStride()[0] != 1
                    || conv.getStride()[1] != 1) {
                throw new IllegalStateException("convolution " + vertex.getVertexName() + " must be stride 1 in Same"
                        + " mode, but has stride " + Arrays.toString(conv.getStride()) + " in "
                        + conv.getConvolutionMode());
            }
            long[] out = outputs.get(vertex.getVertexName()).getShape(false);
            layers.add(new Layer(vertex.getLayer().getParam("W"),
                    FloorOps.convolutionArguments(conv.getKernelSize(), conv.getStride(), conv.getPadding(), true),
                    new long[] {conv.getNIn(), out[1], out[2]}, out));
        }
        return layers;
    }

    /** The layers at {@code batch} rows, their arrays taken from {@code arrays} by shape and role. */
    private static Convolution[] sites(List<Layer> layers, int batch, Map<List<Long>, INDArray[]> arrays) {
        return layers.stream().map(layer -> {
            INDArray[] in = arraysOf(batch, layer.input(), arrays);
            INDArray[] out = arraysOf(batch, layer.output(), arrays);
            // input and output of one shape (w to w maps): distinct arrays, as no call writes what it reads
            return new Convolution(in[0], layer.weight(), out[1], out[2], in[3], layer.weight().ulike(),
                    layer.args());
        }).toArray(Convolution[]::new);
    }

    /** The four arrays of one shape (input, output, output gradient, input gradient), made on first use. */
    private static INDArray[] arraysOf(int batch, long[] sample, Map<List<Long>, INDArray[]> arrays) {
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return arrays.computeIfAbsent(Arrays.stream(shape).boxed().toList(), key -> {
            INDArray[] four = new INDArray[4];
            for (int role = 0; role < 4; role++) {
                four[role] = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
            }
            return four;
        });
    }
}

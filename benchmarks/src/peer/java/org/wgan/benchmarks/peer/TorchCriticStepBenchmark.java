package org.wgan.benchmarks.peer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer of {@code CriticStepBenchmark}: the same critic update in PyTorch 2.7.1 through DJL's PyTorch engine
 * (CPU, float32, 2 intra-op threads): generator forward without gradients, real and generated batch through the
 * 2-512-512-512-1 ReLU critic, Wasserstein loss, backward, Adam (1e-4, 0.5, 0.9) on every parameter.
 *
 * <p>{@code penalty}: the exact gradient penalty (weight {@link #penaltyWeight}) on interpolates, by a
 * create-graph backward of {@code sum f(x^)} and a second backward through the input gradient. DJL exposes only
 * {@code backward} (not {@code torch.autograd.grad}), so the first backward also accumulates
 * {@code d sum f(x^) / d theta} into the parameters' gradients, which are zeroed before the loss backward: one
 * pass of weight-gradient products over the 256 interpolates more than {@code gan_toy.py} computes (1 of the
 * step's ~11 passes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class TorchCriticStepBenchmark {

    private static final int[] CRITIC = {2, 512, 512, 512, 1};
    private static final int[] GENERATOR = {2, 512, 512, 512, 2};
    private static final int POOL = 16;

    @Param({"64", "256"})
    public int batchSize;

    @Param({"unconstrained", "penalty"})
    public String constraint;

    /** The penalty's weight: the toy recipe's 0.1, as in {@code CriticStepBenchmark}. */
    @Param({"0.1"})
    public float penaltyWeight;

    private NDManager manager;
    private List<NDArray> critic;
    private List<NDArray> generator;
    private NDArray realPool;
    private Optimizer adam;
    private int draw;

    @Setup(Level.Trial)
    public void setUp() {
        Engine engine = Engine.getEngine("PyTorch");
        manager = engine.newBaseManager(Device.cpu());
        manager.getEngine().setRandomSeed(1);
        critic = mlp(CRITIC, true);
        generator = mlp(GENERATOR, true);
        // 8 Gaussians: centres at radius 2 (the gan_toy.py scale), std 0.02, divided by 1.414
        NDArray angles = manager.randomInteger(0, 8, new Shape(POOL * batchSize, 1), DataType.INT32)
                .toType(DataType.FLOAT32, false).mul(Math.PI / 4);
        NDArray centres = angles.cos().concat(angles.sin(), 1).mul(2);
        realPool = centres.add(manager.randomNormal(0, 0.02f, centres.getShape(), DataType.FLOAT32))
                .div(1.414f);
        adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).optBeta1(0.5f).optBeta2(0.9f)
                .optEpsilon(1e-8f).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    private List<NDArray> mlp(int[] sizes, boolean trainable) {
        List<NDArray> parameters = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            float scale = (float) Math.sqrt(2.0 / sizes[k]);
            NDArray weight = manager.randomNormal(0, scale, new Shape(sizes[k], sizes[k + 1]), DataType.FLOAT32);
            NDArray bias = manager.zeros(new Shape(sizes[k + 1]), DataType.FLOAT32);
            if (trainable) {
                weight.setRequiresGradient(true);
                bias.setRequiresGradient(true);
            }
            parameters.add(weight);
            parameters.add(bias);
        }
        return parameters;
    }

    private static NDArray forward(List<NDArray> parameters, NDArray x) {
        NDArray a = x;
        int layers = parameters.size() / 2;
        for (int k = 0; k < layers; k++) {
            NDArray z = a.matMul(parameters.get(2 * k)).add(parameters.get(2 * k + 1));
            a = k + 1 < layers ? Activation.relu(z) : z;
        }
        return a;
    }

    @Benchmark
    public float criticStep() {
        try (NDManager step = manager.newSubManager()) {
            int offset = (draw++ % POOL) * batchSize;
            NDArray real = realPool.get(new NDIndex(offset + ":" + (offset + batchSize)));
            real.attach(step);
            NDArray fake = forward(generator, step.randomNormal(new Shape(batchSize, 2)));
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray penalty = null;
                if (constraint.equals("penalty")) {
                    NDArray alpha = step.randomUniform(0, 1, new Shape(batchSize, 1));
                    NDArray points = real.add(fake.sub(real).mul(alpha));
                    points.setRequiresGradient(true);
                    NDArray sum = forward(critic, points).sum();
                    JniUtils.backward((PtNDArray) sum, (PtNDArray) step.ones(sum.getShape()), true, true);
                    NDArray inputGradient = points.getGradient();
                    for (NDArray parameter : critic) {
                        JniUtils.zeroGrad((PtNDArray) parameter);
                    }
                    penalty = inputGradient.norm(new int[] {1}).sub(1).square().mean().mul(penaltyWeight);
                }
                NDArray scores = forward(critic, real.concat(fake, 0));
                NDArray critics = scores.get(new NDIndex(batchSize + ":")).mean()
                        .sub(scores.get(new NDIndex(":" + batchSize)).mean());
                NDArray total = penalty == null ? critics : critics.add(penalty);
                collector.backward(total);
                loss = total.getFloat();
            }
            update("critic-", critic, step);
            return loss;
        }
    }

    /**
     * One generator update: generate with gradients, score, {@code -mean(scores)} back through the critic into
     * the generator, Adam on the generator's parameters; the critic's accumulated gradients are zeroed.
     */
    @Benchmark
    public float generatorStep() {
        try (NDManager step = manager.newSubManager()) {
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray fake = forward(generator, step.randomNormal(new Shape(batchSize, 2)));
                NDArray total = forward(critic, fake).mean().neg();
                collector.backward(total);
                loss = total.getFloat();
            }
            update("generator-", generator, step);
            for (NDArray parameter : critic) {
                JniUtils.zeroGrad((PtNDArray) parameter);
            }
            return loss;
        }
    }

    /** One Adam step of every parameter from its accumulated gradient (which DJL's Adam then zeroes). */
    private void update(String prefix, List<NDArray> parameters, NDManager step) {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray parameter = parameters.get(i);
            NDArray gradient = parameter.getGradient();
            gradient.attach(step);
            adam.update(prefix + i, parameter, gradient);
        }
    }

    /** Five critic updates and one generator update. */
    @Benchmark
    public float iteration() {
        for (int k = 0; k < 5; k++) {
            criticStep();
        }
        return generatorStep();
    }
}

package org.wgan.examples.fashion;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.metrics.FrechetDistance;

/**
 * Builds and trains {@link FashionClassifier}'s network: the architecture its class documentation describes,
 * Adam(1e-3), cross-entropy over minibatches of {@value FashionClassifier#BATCH_SIZE} images shuffled with
 * {@code new Random(seed)}. After the last epoch the test split's features give the recorded accuracy and the
 * Gaussian that every later evaluation compares against.
 */
final class FashionClassifierTraining {

    private FashionClassifierTraining() {
    }

    /** The untrained network, its weights initialised from {@code seed}. */
    static MultiLayerNetwork network(long seed) {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(FashionClassifier.FEATURE_SIZE).activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionClassifier.CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE, 1,
                        CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }

    /**
     * Trains a network from {@code settings.seed()} for {@code settings.epochs()} epochs on the first
     * {@code settings.trainingImages()} training images, logging each epoch's time and test accuracy.
     */
    static FashionClassifier train(FashionMnist data, FashionClassifier.Settings settings, Consumer<String> log) {
        log.accept("Fashion classifier: training (" + settings + ")");
        MultiLayerNetwork network = network(settings.seed());
        INDArray pixels = data.images(FashionMnist.Split.TRAIN)
                .reshape('c', data.trainSize(), FashionClassifier.PIXELS);
        int[] labels = data.labels(FashionMnist.Split.TRAIN);
        INDArray testImages = data.images(FashionMnist.Split.TEST);
        int[] testLabels = data.labels(FashionMnist.Split.TEST);
        Random random = new Random(settings.seed());
        int[] order = new int[settings.trainingImages()];
        Arrays.setAll(order, i -> i);
        FashionClassifier classifier = new FashionClassifier(network, settings, Double.NaN);
        FashionClassifier.Readout last = null;
        int batchSize = FashionClassifier.BATCH_SIZE;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, random);
            for (int from = 0; from < order.length; from += batchSize) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
                INDArray features = Nd4j.pullRows(pixels, 1, rows)
                        .reshape('c', rows.length, 1, FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE);
                INDArray oneHot = Nd4j.zeros(DataType.FLOAT, rows.length, FashionClassifier.CLASSES);
                for (int i = 0; i < rows.length; i++) {
                    oneHot.putScalar(i, labels[rows[i]], 1f);
                }
                network.fit(new DataSet(features, oneHot));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // the last pass also yields the test split's features, which the first evaluation would compute anyway
            last = classifier.readout(testImages, epoch == settings.epochs());
            log.accept(String.format(Locale.ROOT, "Fashion classifier: epoch %d/%d, %.1f s, last minibatch loss"
                    + " %.4f, test accuracy %.4f", epoch, settings.epochs(), seconds, network.score(),
                    FashionClassifier.accuracy(last.predicted(), testLabels)));
        }
        double accuracy = FashionClassifier.accuracy(last.predicted(), testLabels);
        FashionClassifier trained = new FashionClassifier(network, settings, accuracy);
        trained.keepTestSplitGaussian(data, FrechetDistance.Gaussian.fit(last.features()));
        return trained;
    }

    /** Fisher-Yates with the given source, so that the order depends on the seed alone. */
    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}

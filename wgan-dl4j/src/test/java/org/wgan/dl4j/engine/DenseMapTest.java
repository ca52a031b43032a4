package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A dense layer's bias add (the path of double precision and smooth activations) is a rank-1 product over the bias
 * as it lies in the flat parameters: ND4J's broadcast add's bits, and it follows later changes to the parameters.
 */
class DenseMapTest {

    @ParameterizedTest
    @CsvSource({"FLOAT, 1, 64", "FLOAT, 2, 512", "DOUBLE, 1, 64", "DOUBLE, 2, 256", "FLOAT, 2, 8192",
        "DOUBLE, 1, 8192"})
    void addsTheBiasViewWithTheBroadcastsBits(DataType dataType, int biasRank, int rows) {
        int width = 37;
        INDArray flat = Nd4j.rand(dataType, 1, 500).subi(0.5);
        INDArray bias = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(100, 100 + width));
        bias = biasRank == 2 ? bias.reshape(1, width) : bias.reshape(width);
        INDArray weight = Nd4j.rand(dataType, 'f', 3, width);
        LinearMap dense = new DenseMap(weight, bias);
        INDArray z = Nd4j.rand(dataType, rows, width).muli(1e3);
        INDArray expected = z.dup().addiRowVector(bias);

        dense.addBias(z);

        assertThat(z).isEqualTo(expected);
        assertThat(z.sub(expected).amaxNumber().doubleValue()).isZero();

        flat.muli(2);
        INDArray again = z.dup().addiRowVector(bias);
        dense.addBias(z);
        assertThat(z.sub(again).amaxNumber().doubleValue()).as("reads the parameters, not a copy").isZero();
    }
}

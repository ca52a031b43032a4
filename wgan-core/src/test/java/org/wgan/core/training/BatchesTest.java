package org.wgan.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Batches#stackRows}: the bulk copy gives {@code Nd4j.concat(0, ...)}'s array, views and ranks included. */
class BatchesTest {

    @Test
    void stacksFloatMatricesAsConcatDoes() {
        INDArray top = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}});
        INDArray bottom = Nd4j.createFromArray(new float[][] {{-1, -1.5f}, {-2, -2.5f}, {-3, -3.5f}, {-4, -4.5f}});

        INDArray stacked = Batches.stackRows(top, bottom);

        assertThat(stacked.shape()).containsExactly(10, 2);
        assertThat(stacked.ordering()).isEqualTo('c');
        assertThat(stacked.getFloat(0, 0)).isEqualTo(1f);
        assertThat(stacked.getFloat(5, 1)).isEqualTo(12f);
        assertThat(stacked.getFloat(6, 0)).isEqualTo(-1f);
        assertThat(stacked.getFloat(9, 1)).isEqualTo(-4.5f);
        assertThat(stacked).isEqualTo(Nd4j.concat(0, top, bottom));
    }

    @Test
    void stacksRowViewsAtAnOffsetAndDoubles() {
        Nd4j.getRandom().setSeed(7);
        INDArray scores = Nd4j.randn(DataType.DOUBLE, 8, 1);
        INDArray lower = scores.get(NDArrayIndex.interval(5, 8), NDArrayIndex.all());
        INDArray upper = scores.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());

        INDArray stacked = Batches.stackRows(lower, upper);

        assertThat(stacked.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(stacked.toDoubleVector()).containsExactly(scores.getDouble(5), scores.getDouble(6),
                scores.getDouble(7), scores.getDouble(1), scores.getDouble(2));
    }

    @Test
    void stacksImageBatches() {
        Nd4j.getRandom().setSeed(3);
        INDArray real = Nd4j.rand(DataType.FLOAT, 3, 1, 4, 5);
        INDArray fake = Nd4j.rand(DataType.FLOAT, 2, 1, 4, 5);

        INDArray stacked = Batches.stackRows(real, fake);

        assertThat(stacked.shape()).containsExactly(5, 1, 4, 5);
        assertThat(stacked).isEqualTo(Nd4j.concat(0, real, fake));
        assertThat(stacked.getFloat(4, 0, 3, 4)).isEqualTo(fake.getFloat(1, 0, 3, 4));
    }

    @Test
    void columnMajorGoesThroughConcat() {
        INDArray columnMajor = Nd4j.createFromArray(new float[][] {{1, 4}, {2, 5}, {3, 6}}).dup('f');
        INDArray rowMajor = Nd4j.createFromArray(new float[][] {{7, 8}, {9, 10}});

        assertThat(Batches.stackRows(columnMajor, rowMajor)).isEqualTo(Nd4j.concat(0, columnMajor, rowMajor));
        assertThat(Batches.stackRows(columnMajor, rowMajor).getFloat(1, 0)).isEqualTo(2f);
    }
}

package org.wgan.core.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * State kept beside the trainer that a checkpoint must hold too: a generator's moving average
 * ({@code org.wgan.dl4j.GeneratorEma}), the fixed noise an example draws its sample grids from. Register it
 * with the trainer builder's {@code checkpointParticipant(...)}.
 */
public interface CheckpointParticipant {

    /**
     * The arrays to save, by names unique among the trainer's participants (the checkpoint copies them).
     * Scalars can be saved as arrays of one element.
     */
    Map<String, INDArray> checkpointArrays();

    /**
     * How the arrays of a checkpoint differ from what {@link #restoreCheckpointArrays} needs, checked before the
     * trainer restores anything. The default requires every name {@link #checkpointArrays()} gives, each with
     * the live array's shape and data type; override it when a participant needs more (or less).
     *
     * @param arrays all arrays of the checkpoint, by name (other participants' too)
     * @return one sentence per difference, naming both values; empty when the arrays fit
     */
    default List<String> checkpointMismatches(Map<String, INDArray> arrays) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(checkpointArrays()).forEach((name, live) -> {
            INDArray saved = arrays.get(name);
            if (saved == null) {
                out.add("checkpoint holds no array '" + name + "', which " + this + " restores");
            } else {
                SavedArrays.shapeMismatch(saved, live, "array '" + name + "'", this + " expects").ifPresent(out::add);
            }
        });
        return out;
    }

    /**
     * Restores from the arrays of a checkpoint: the same names {@link #checkpointArrays()} gives. The trainer
     * calls it only when {@link #checkpointMismatches} found nothing, and then it must not fail: a failure
     * here would leave the other participants and the networks restored while this one is not.
     *
     * @throws IllegalArgumentException if an array is missing or does not fit
     */
    void restoreCheckpointArrays(Map<String, INDArray> arrays);

    /**
     * A participant holding one fixed array (e.g. evaluation noise drawn once): saved as it is, and restored by
     * overwriting it in place, so what samples it keep using the restored values. A checkpoint's array must
     * have its shape and data type.
     *
     * @throws IllegalArgumentException if name is blank
     */
    static CheckpointParticipant fixedArray(String name, INDArray array) {
        java.util.Objects.requireNonNull(array, "array");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
        }
        return new CheckpointParticipant() {
            @Override
            public Map<String, INDArray> checkpointArrays() {
                return Map.of(name, array);
            }

            @Override
            public void restoreCheckpointArrays(Map<String, INDArray> arrays) {
                List<String> differences = checkpointMismatches(arrays);
                if (!differences.isEmpty()) {
                    throw new CheckpointMismatchException("checkpoint does not fit " + this
                            + "; nothing was restored", differences);
                }
                SavedArrays.copy(arrays.get(name), array, "'" + name + "'");
            }

            @Override
            public String toString() {
                return "fixedArray[" + name + ", " + java.util.Arrays.toString(array.shape()) + "]";
            }
        };
    }
}

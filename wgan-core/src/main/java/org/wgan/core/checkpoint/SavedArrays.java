package org.wgan.core.checkpoint;

import java.util.Arrays;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks and copies of saved arrays into live ones. */
final class SavedArrays {

    private SavedArrays() {
    }

    /**
     * Copies {@code saved} into {@code live} element by element (in the live array's order).
     *
     * @throws IllegalArgumentException naming {@code what} if the lengths or data types differ
     */
    static void copy(INDArray saved, INDArray live, String what) {
        lengthMismatch(saved, live, what, "the live one").ifPresent(d -> {
            throw new IllegalArgumentException(d);
        });
        if (length(live) > 0) {
            live.assign(saved.reshape(live.shape()));
        }
    }

    /**
     * How {@code saved} differs from {@code live} in length or data type, if it does.
     *
     * @param what  names the array ("critic parameters")
     * @param owner names the live side ("this critic")
     */
    static Optional<String> lengthMismatch(INDArray saved, INDArray live, String what, String owner) {
        long savedLength = length(saved);
        long liveLength = length(live);
        if (savedLength != liveLength) {
            return Optional.of(what + ": checkpoint has length " + savedLength + ", " + owner + " " + liveLength);
        }
        if (saved.dataType() != live.dataType()) {
            return Optional.of(what + ": checkpoint has " + saved.dataType() + ", " + owner + " " + live.dataType());
        }
        return Optional.empty();
    }

    /** How {@code saved} differs from {@code live} in shape or data type, if it does. */
    static Optional<String> shapeMismatch(INDArray saved, INDArray live, String what, String owner) {
        if (!Arrays.equals(shape(saved), shape(live)) || saved.dataType() != live.dataType()) {
            return Optional.of(what + ": checkpoint has " + describe(saved) + ", " + owner + " " + describe(live));
        }
        return Optional.empty();
    }

    private static long length(INDArray array) {
        return array.isEmpty() ? 0 : array.length();
    }

    /** An empty array's shape as the checkpoint file writes it ({@code [0]}), whatever ND4J reports. */
    private static long[] shape(INDArray array) {
        return array.isEmpty() ? new long[] {0} : array.shape();
    }

    private static String describe(INDArray array) {
        return Arrays.toString(shape(array)) + " " + array.dataType();
    }
}
